/**
 * The key vault: API secrets are stored only encrypted. A key is derived from the user's passphrase with
 * PBKDF2-SHA256 (at least 600,000 iterations, OWASP's 2023 figure) and encrypts each secret with AES-GCM under a fresh
 * 96-bit IV. The slot name and format version are authenticated data, so a ciphertext moved to another slot, or any
 * flipped bit, fails to decrypt (tamper detection). A known marker encrypted at creation tells a wrong passphrase
 * apart from a tampered secret. Works with any WebCrypto (the service worker's, Node's).
 */
import { z } from 'zod';

export const VAULT_VERSION = 1;
export const MIN_ITERATIONS = 600_000;
export const MIN_PASSPHRASE_LENGTH = 10;
const MARKER = 'ringfence-vault-check';

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const Sealed = z.object({ iv: b64, ct: b64 }).strict();

export const VaultRecordSchema = z
  .object({
    v: z.literal(VAULT_VERSION),
    kdf: z
      .object({
        name: z.literal('PBKDF2'),
        hash: z.literal('SHA-256'),
        iterations: z.number().int().min(MIN_ITERATIONS, `iterations must be at least ${MIN_ITERATIONS}`),
        salt: b64,
      })
      .strict(),
    check: Sealed,
    secrets: z.record(z.string().min(1), Sealed),
  })
  .strict();
export type VaultRecord = z.infer<typeof VaultRecordSchema>;

export class VaultError extends Error {
  constructor(
    readonly code: 'weak_passphrase' | 'wrong_passphrase' | 'tampered' | 'missing_secret' | 'bad_format' | 'locked' | 'exists' | 'no_vault',
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function toB64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
function fromB64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
const aad = (slot: string) => enc.encode(`ringfence/v${VAULT_VERSION}/${slot}`);

export type VaultCrypto = Pick<Crypto, 'subtle' | 'getRandomValues'>;
const defaultCrypto = (): VaultCrypto => globalThis.crypto;

async function deriveKey(c: VaultCrypto, passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
  const base = await c.subtle.importKey('raw', enc.encode(passphrase), 'PBKDF2', false, ['deriveBits']);
  const bits = await c.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, 256);
  // Extractable so the unlocked key can sit in session storage (memory only) across service-worker restarts.
  return c.subtle.importKey('raw', bits, 'AES-GCM', true, ['encrypt', 'decrypt']);
}

async function seal(c: VaultCrypto, key: CryptoKey, slot: string, plaintext: string) {
  const iv = c.getRandomValues(new Uint8Array(12));
  const ct = await c.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(slot) }, key, enc.encode(plaintext));
  return { iv: toB64(iv), ct: toB64(new Uint8Array(ct)) };
}

async function unseal(c: VaultCrypto, key: CryptoKey, slot: string, sealed: z.infer<typeof Sealed>): Promise<string | null> {
  try {
    const pt = await c.subtle.decrypt(
      { name: 'AES-GCM', iv: fromB64(sealed.iv), additionalData: aad(slot) },
      key,
      fromB64(sealed.ct),
    );
    return dec.decode(pt);
  } catch {
    return null; // authentication failed: wrong key or altered data
  }
}

export function checkPassphrase(passphrase: string): void {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new VaultError('weak_passphrase', `The passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long.`);
  }
}

/** Reads a stored vault record; anything malformed is a clear error, never a crash later. */
export function parseVaultRecord(raw: unknown): VaultRecord {
  const r = VaultRecordSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new VaultError('bad_format', `The stored vault is not readable (${i ? `${i.path.join('.') || 'record'}: ${i.message}` : 'invalid'}).`);
  }
  return r.data;
}

export async function createVault(
  passphrase: string,
  opts: { iterations?: number; crypto?: VaultCrypto } = {},
): Promise<{ record: VaultRecord; key: CryptoKey }> {
  checkPassphrase(passphrase);
  const c = opts.crypto ?? defaultCrypto();
  const iterations = opts.iterations ?? MIN_ITERATIONS;
  if (iterations < MIN_ITERATIONS) throw new VaultError('bad_format', `iterations must be at least ${MIN_ITERATIONS}.`);
  const salt = c.getRandomValues(new Uint8Array(16));
  const key = await deriveKey(c, passphrase, salt, iterations);
  const record: VaultRecord = {
    v: VAULT_VERSION,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toB64(salt) },
    check: await seal(c, key, '__check__', MARKER),
    secrets: {},
  };
  return { record, key };
}

/** Derives the key and proves it with the check marker; a wrong passphrase is an error, not garbage secrets. */
export async function unlockVault(record: VaultRecord, passphrase: string, c: VaultCrypto = defaultCrypto()): Promise<CryptoKey> {
  const key = await deriveKey(c, passphrase, fromB64(record.kdf.salt), record.kdf.iterations);
  const marker = await unseal(c, key, '__check__', record.check);
  if (marker !== MARKER) throw new VaultError('wrong_passphrase', 'Wrong passphrase: the vault stays locked.');
  return key;
}

export type SealedSecret = z.infer<typeof Sealed>;

/** `plaintext` encrypted for `slot` alone (the slot is authenticated data): put it in a record with withSealed. */
export async function sealSlot(key: CryptoKey, slot: string, plaintext: string, c: VaultCrypto = defaultCrypto()): Promise<SealedSecret> {
  if (slot === '__check__' || slot.length === 0) throw new VaultError('bad_format', `"${slot}" is not a valid secret name.`);
  return seal(c, key, slot, plaintext);
}

/** Returns a new record with `slot` holding `sealed`; synchronous, so it fits inside a storage transaction. */
export function withSealed(record: VaultRecord, slot: string, sealed: SealedSecret): VaultRecord {
  return { ...record, secrets: { ...record.secrets, [slot]: sealed } };
}

/** Returns a new record with `slot` holding `plaintext` encrypted; the input record is not changed. */
export async function sealSecret(
  key: CryptoKey,
  record: VaultRecord,
  slot: string,
  plaintext: string,
  c: VaultCrypto = defaultCrypto(),
): Promise<VaultRecord> {
  return withSealed(record, slot, await sealSlot(key, slot, plaintext, c));
}

export async function openSecret(key: CryptoKey, record: VaultRecord, slot: string, c: VaultCrypto = defaultCrypto()): Promise<string> {
  const sealed = record.secrets[slot];
  if (!sealed) throw new VaultError('missing_secret', `No secret is stored for "${slot}".`);
  const pt = await unseal(c, key, slot, sealed);
  if (pt === null) {
    throw new VaultError('tampered', `The stored secret for "${slot}" failed its integrity check: it was altered. Enter it again.`);
  }
  return pt;
}

export function removeSecret(record: VaultRecord, slot: string): VaultRecord {
  const { [slot]: _gone, ...rest } = record.secrets;
  return { ...record, secrets: rest };
}

/** Re-encrypts every secret under a new passphrase (new salt); fails as a whole if any secret does not open. */
export async function changePassphrase(
  record: VaultRecord,
  oldPassphrase: string,
  newPassphrase: string,
  c: VaultCrypto = defaultCrypto(),
): Promise<{ record: VaultRecord; key: CryptoKey }> {
  const oldKey = await unlockVault(record, oldPassphrase, c);
  const plain: [string, string][] = [];
  for (const slot of Object.keys(record.secrets)) plain.push([slot, await openSecret(oldKey, record, slot, c)]);
  let next = await createVault(newPassphrase, { iterations: Math.max(record.kdf.iterations, MIN_ITERATIONS), crypto: c });
  let rec = next.record;
  for (const [slot, pt] of plain) rec = await sealSecret(next.key, rec, slot, pt, c);
  next = { record: rec, key: next.key };
  return next;
}

/** The unlocked key as base64, for session storage (memory only, trusted contexts only). */
export async function exportSessionKey(key: CryptoKey, c: VaultCrypto = defaultCrypto()): Promise<string> {
  return toB64(new Uint8Array(await c.subtle.exportKey('raw', key)));
}
export async function importSessionKey(b64key: string, c: VaultCrypto = defaultCrypto()): Promise<CryptoKey> {
  return c.subtle.importKey('raw', fromB64(b64key), 'AES-GCM', true, ['encrypt', 'decrypt']);
}

/** "abcd…wxyz" for display: never the whole secret. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '•'.repeat(secret.length);
  return `${secret.slice(0, 4)}…${secret.slice(-4)}`;
}
