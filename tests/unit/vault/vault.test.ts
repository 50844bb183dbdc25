import { describe, expect, it } from 'vitest';
import {
  changePassphrase,
  createVault,
  exportSessionKey,
  importSessionKey,
  maskSecret,
  MIN_ITERATIONS,
  openSecret,
  parseVaultRecord,
  removeSecret,
  sealSecret,
  unlockVault,
  type VaultRecord,
} from '@/lib/vault/vault';

const PASS = 'correct horse battery';
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';

/** One real vault (600,000 iterations) shared by the tests: each derivation takes a noticeable moment. */
const base = (async () => {
  const { record, key } = await createVault(PASS);
  return { record: await sealSecret(key, record, 'binance:main', SECRET), key };
})();

function flip(b64: string): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[bytes.length - 1]! ^= 1;
  return bytes.toString('base64');
}

// Real key derivations take seconds on a loaded 2-core machine: allow for it.
describe('vault', { timeout: 30_000 }, () => {
  it('round trip: create, seal, lock, unlock, open', async () => {
    const { record } = await base;
    const stored = JSON.parse(JSON.stringify(record)) as unknown; // what Dexie would hand back
    const key = await unlockVault(parseVaultRecord(stored), PASS);
    expect(await openSecret(key, record, 'binance:main')).toBe(SECRET);
    expect(record.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: MIN_ITERATIONS });
  });

  it('never stores the secret or the passphrase in the clear', async () => {
    const { record } = await base;
    const text = JSON.stringify(record);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SECRET.slice(0, 16));
    expect(text).not.toContain(PASS);
  });

  it('a wrong passphrase is refused with a clear error', async () => {
    const { record } = await base;
    await expect(unlockVault(record, 'correct horse battery!')).rejects.toMatchObject({
      code: 'wrong_passphrase',
      message: 'Wrong passphrase: the vault stays locked.',
    });
  });

  it('detects a flipped bit in a secret', async () => {
    const { record, key } = await base;
    const sealed = record.secrets['binance:main']!;
    const tampered: VaultRecord = { ...record, secrets: { 'binance:main': { ...sealed, ct: flip(sealed.ct) } } };
    await expect(openSecret(key, tampered, 'binance:main')).rejects.toMatchObject({
      code: 'tampered',
      message: 'The stored secret for "binance:main" failed its integrity check: it was altered. Enter it again.',
    });
  });

  it('detects a ciphertext moved to another slot', async () => {
    const { record, key } = await base;
    const moved: VaultRecord = { ...record, secrets: { 'hyperliquid:main': record.secrets['binance:main']! } };
    await expect(openSecret(key, moved, 'hyperliquid:main')).rejects.toMatchObject({ code: 'tampered' });
  });

  it('a tampered check marker reads as a wrong passphrase, never as a secret', async () => {
    const { record } = await base;
    await expect(unlockVault({ ...record, check: { ...record.check, ct: flip(record.check.ct) } }, PASS)).rejects.toMatchObject({
      code: 'wrong_passphrase',
    });
  });

  it.each([
    [{ v: 2 }, 'The stored vault is not readable (v: Invalid input: expected 1).'],
    [null, 'The stored vault is not readable (record: Invalid input: expected object, received null).'],
  ])('refuses a malformed record %#', async (patch, message) => {
    const { record } = await base;
    const raw = patch === null ? null : { ...record, ...patch };
    expect(() => parseVaultRecord(raw)).toThrow(message);
  });

  it('refuses a record with too few iterations (a downgrade)', async () => {
    const { record } = await base;
    expect(() => parseVaultRecord({ ...record, kdf: { ...record.kdf, iterations: 1000 } })).toThrow(
      'The stored vault is not readable (kdf.iterations: iterations must be at least 600000).',
    );
    await expect(createVault(PASS, { iterations: 100_000 })).rejects.toThrow('iterations must be at least 600000.');
  });

  it('refuses a short passphrase', async () => {
    await expect(createVault('short')).rejects.toMatchObject({
      code: 'weak_passphrase',
      message: 'The passphrase must be at least 10 characters long.',
    });
  });

  it('missing and removed secrets', async () => {
    const { record, key } = await base;
    await expect(openSecret(key, removeSecret(record, 'binance:main'), 'binance:main')).rejects.toMatchObject({
      code: 'missing_secret',
      message: 'No secret is stored for "binance:main".',
    });
    expect(record.secrets['binance:main']).toBeDefined(); // removeSecret does not change its input
  });

  it('uses a fresh IV for every seal', async () => {
    const { record, key } = await base;
    const again = await sealSecret(key, record, 'binance:main', SECRET);
    expect(again.secrets['binance:main']!.iv).not.toBe(record.secrets['binance:main']!.iv);
    expect(again.secrets['binance:main']!.ct).not.toBe(record.secrets['binance:main']!.ct);
  });

  it('session key export and import give a working key', async () => {
    const { record, key } = await base;
    const restored = await importSessionKey(await exportSessionKey(key));
    expect(await openSecret(restored, record, 'binance:main')).toBe(SECRET);
  });

  it('changing the passphrase re-encrypts every secret under a new salt', async () => {
    const { record } = await base;
    const next = await changePassphrase(record, PASS, 'another long passphrase');
    expect(next.record.kdf.salt).not.toBe(record.kdf.salt);
    expect(await openSecret(next.key, next.record, 'binance:main')).toBe(SECRET);
    await expect(unlockVault(next.record, PASS)).rejects.toMatchObject({ code: 'wrong_passphrase' });
  }, 20_000);

  it('masks secrets for display', () => {
    expect(maskSecret(SECRET)).toBe('NhqP…Tj0j');
    expect(maskSecret('abc')).toBe('•••');
  });
});
