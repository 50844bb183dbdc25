/**
 * The vault as the background runs it. The encrypted record lives in IndexedDB; the unlocked key lives only in
 * session storage (memory, cleared when the browser closes, not readable by content scripts) so it survives a
 * service-worker restart; it locks again after `autoLockMin` minutes without use. Secrets leave this module only to
 * the exchange adapters in the background: never in a message, a log or an export.
 */
import type { RingfenceDb } from '../store/db';
import {
  createVault,
  exportSessionKey,
  importSessionKey,
  openSecret,
  parseVaultRecord,
  removeSecret,
  sealSecret,
  unlockVault,
  VaultError,
  type VaultRecord,
} from '../vault/vault';

export interface SessionStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

const RECORD_KEY = 'vault';
const SESSION_KEY = 'vault.session';
export const DEFAULT_AUTO_LOCK_MIN = 15;

export type VaultStatus =
  | { state: 'none' }
  | { state: 'locked' }
  | { state: 'unlocked'; lockAt: number };

interface SessionEntry {
  key: string;
  lockAt: number;
}
const isSession = (v: unknown): v is SessionEntry =>
  typeof v === 'object' && v !== null && typeof (v as SessionEntry).key === 'string' && typeof (v as SessionEntry).lockAt === 'number';

export function createVaultService(deps: {
  db: RingfenceDb;
  session: SessionStore;
  now: () => number;
  autoLockMin?: () => number;
  /** Called whenever the lock time moves, so the entry point can set an alarm for it. */
  onLockAt?: (lockAt: number | null) => void;
}) {
  const { db, session, now } = deps;
  const lockMs = () => (deps.autoLockMin?.() ?? DEFAULT_AUTO_LOCK_MIN) * 60_000;

  const readRecord = async (): Promise<VaultRecord | null> => {
    const row = await db.meta.get(RECORD_KEY);
    return row ? parseVaultRecord(row.value) : null;
  };
  const writeRecord = (record: VaultRecord) => db.meta.put({ key: RECORD_KEY, value: record });

  const startSession = async (key: CryptoKey) => {
    const lockAt = now() + lockMs();
    await session.set(SESSION_KEY, { key: await exportSessionKey(key), lockAt } satisfies SessionEntry);
    deps.onLockAt?.(lockAt);
    return lockAt;
  };

  /** The unlocked key, or null; an expired session is locked on the spot. Each use extends the session. */
  const currentKey = async (touch = true): Promise<CryptoKey | null> => {
    const entry = await session.get(SESSION_KEY);
    if (!isSession(entry)) return null;
    if (entry.lockAt <= now()) {
      await lock();
      return null;
    }
    if (!touch) return importSessionKey(entry.key);
    // The key is imported while the session's lock time moves on (independent steps: together).
    const lockAt = now() + lockMs();
    const [key] = await Promise.all([importSessionKey(entry.key), session.set(SESSION_KEY, { ...entry, lockAt })]);
    deps.onLockAt?.(lockAt);
    return key;
  };

  const lock = async () => {
    await session.remove(SESSION_KEY);
    deps.onLockAt?.(null);
  };

  const requireKey = async () => {
    const key = await currentKey();
    if (!key) throw new VaultError('locked', 'The vault is locked: unlock it with your passphrase first.');
    return key;
  };

  return {
    async status(): Promise<VaultStatus> {
      const record = await readRecord();
      if (!record) return { state: 'none' };
      const entry = await session.get(SESSION_KEY);
      if (!isSession(entry) || entry.lockAt <= now()) return { state: 'locked' };
      return { state: 'unlocked', lockAt: entry.lockAt };
    },
    async create(passphrase: string): Promise<VaultStatus> {
      if (await db.meta.get(RECORD_KEY)) throw new VaultError('exists', 'A vault exists already: unlock it instead.');
      const { record, key } = await createVault(passphrase);
      await writeRecord(record);
      return { state: 'unlocked', lockAt: await startSession(key) };
    },
    async unlock(passphrase: string): Promise<VaultStatus> {
      const record = await readRecord();
      if (!record) throw new VaultError('no_vault', 'There is no vault yet: create one first.');
      const key = await unlockVault(record, passphrase);
      return { state: 'unlocked', lockAt: await startSession(key) };
    },
    lock,
    /** Stores a secret; the vault must be unlocked. */
    async putSecret(slot: string, secret: string): Promise<void> {
      const key = await requireKey();
      const record = await readRecord();
      if (!record) throw new VaultError('no_vault', 'There is no vault yet: create one first.');
      await writeRecord(await sealSecret(key, record, slot, secret));
    },
    /** For the exchange adapters only. Null when locked (monitoring continues; acting waits for an unlock). */
    async getSecret(slot: string): Promise<string | null> {
      // The session key and the sealed record are read together (a cold start waits for this before connecting); a
      // record that cannot be read matters only when the vault is unlocked, as before.
      const [key, record] = await Promise.all([currentKey(), readRecord().then((r) => ({ r }), (error: unknown) => ({ error }))]);
      if (!key) return null;
      if ('error' in record) throw record.error;
      if (!record.r) return null;
      return openSecret(key, record.r, slot);
    },
    async deleteSecret(slot: string): Promise<void> {
      const record = await readRecord();
      if (record) await writeRecord(removeSecret(record, slot));
    },
    /** Locks when the session has expired (the alarm fires at lockAt). */
    async expire(): Promise<void> {
      await currentKey(false);
    },
  };
}
export type VaultService = ReturnType<typeof createVaultService>;
