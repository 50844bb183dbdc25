/**
 * The vault as the background runs it. The encrypted record lives in IndexedDB; the unlocked key lives only in
 * session storage (memory, cleared when the browser closes, not readable by content scripts) so it survives a
 * service-worker restart. It locks again after AUTO_LOCK_MIN minutes without use, but not while an account that needs
 * its key is supervised (`keepOpen`): a risk tool must not stop enforcing because nobody touched the vault. "Lock
 * now" always locks at once. Secrets leave this module only to the exchange adapters in the background: never in a
 * message, a log or an export.
 */
import type { RingfenceDb } from '../store/db';
import {
  createVault,
  exportSessionKey,
  importSessionKey,
  openSecret,
  parseVaultRecord,
  removeSecret,
  sealSlot,
  unlockVault,
  VaultError,
  withSealed,
  type VaultRecord,
} from '../vault/vault';

export interface SessionStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

const RECORD_KEY = 'vault';
const SESSION_KEY = 'vault.session';
/** The problems already reported since the vault last locked or unlocked (see noticeOnce). */
const NOTICED_KEY = 'vault.noticed';
/** Minutes without use after which the vault locks, while no account that needs its key is supervised. */
export const AUTO_LOCK_MIN = 15;
const LOCK_MS = AUTO_LOCK_MIN * 60_000;

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
  /** Whether an account that needs its key is supervised: while it is, the idle time does not lock the vault. */
  keepOpen?: () => Promise<boolean>;
  /** Called whenever the lock time moves, so the entry point can set an alarm for it. */
  onLockAt?: (lockAt: number | null) => void;
}) {
  const { db, session, now } = deps;

  const readRecord = async (): Promise<VaultRecord | null> => {
    const row = await db.meta.get(RECORD_KEY);
    return row ? parseVaultRecord(row.value) : null;
  };
  const writeRecord = (record: VaultRecord) => db.meta.put({ key: RECORD_KEY, value: record });
  /** Reads, changes and writes the record in one transaction: two changes at once both land. */
  const updateRecord = (change: (record: VaultRecord | null) => VaultRecord | null) =>
    db.transaction('rw', db.meta, async () => {
      const next = change(await readRecord());
      if (next) await writeRecord(next);
    });

  // The session's operations run one after another: a read-then-write (a use extending the session) can never write
  // back an entry that a lock removed between its two steps.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(op: () => Promise<T>): Promise<T> => {
    const run = queue.then(op, op);
    queue = run.catch(() => undefined);
    return run;
  };

  // When in doubt (the accounts cannot be read), the vault stays open: locking would stop enforcement.
  const held = () => (deps.keepOpen ? deps.keepOpen().catch(() => true) : Promise.resolve(false));

  const lockNow = async () => {
    await Promise.all([session.remove(SESSION_KEY), session.remove(NOTICED_KEY)]);
    deps.onLockAt?.(null);
  };

  const startSession = (key: CryptoKey) =>
    serial(async () => {
      const lockAt = now() + LOCK_MS;
      const entry: SessionEntry = { key: await exportSessionKey(key), lockAt };
      await Promise.all([session.set(SESSION_KEY, entry), session.remove(NOTICED_KEY)]);
      deps.onLockAt?.(lockAt);
      return lockAt;
    });

  /**
   * The session entry (the key, base64), or null when locked. A session past its lock time is locked on the spot,
   * unless an account needs the key (then it is extended); `touch` (a use) extends it too.
   */
  const currentSession = (touch: boolean) =>
    serial(async (): Promise<SessionEntry | null> => {
      const entry = await session.get(SESSION_KEY);
      if (!isSession(entry)) return null;
      const expired = entry.lockAt <= now();
      if (expired && !(await held())) {
        await lockNow();
        return null;
      }
      if (!expired && !touch) return entry;
      const next = { ...entry, lockAt: now() + LOCK_MS };
      await session.set(SESSION_KEY, next);
      deps.onLockAt?.(next.lockAt);
      return next;
    });

  /** The unlocked key, or null. Each use extends the session. */
  const currentKey = async (): Promise<CryptoKey | null> => {
    const entry = await currentSession(true);
    return entry ? importSessionKey(entry.key) : null;
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
      const entry = await currentSession(false);
      return entry ? { state: 'unlocked', lockAt: entry.lockAt } : { state: 'locked' };
    },
    async create(passphrase: string): Promise<VaultStatus> {
      if (await db.meta.get(RECORD_KEY)) throw new VaultError('exists', 'A vault exists already: unlock it instead.');
      const { record, key } = await createVault(passphrase);
      // Checked again where it is written: two creates at once keep the first vault, never overwrite it.
      await db.transaction('rw', db.meta, async () => {
        if (await db.meta.get(RECORD_KEY)) throw new VaultError('exists', 'A vault exists already: unlock it instead.');
        await writeRecord(record);
      });
      return { state: 'unlocked', lockAt: await startSession(key) };
    },
    async unlock(passphrase: string): Promise<VaultStatus> {
      const record = await readRecord();
      if (!record) throw new VaultError('no_vault', 'There is no vault yet: create one first.');
      const key = await unlockVault(record, passphrase);
      return { state: 'unlocked', lockAt: await startSession(key) };
    },
    /** Locks at once, whatever the accounts need ("Lock now"). */
    lock: () => serial(lockNow),
    /** Stores a secret; the vault must be unlocked. */
    async putSecret(slot: string, secret: string): Promise<void> {
      const key = await requireKey();
      // Encrypted first (WebCrypto would end an IndexedDB transaction), then added to the record read in the same
      // transaction that writes it.
      const sealed = await sealSlot(key, slot, secret);
      await updateRecord((record) => {
        if (!record) throw new VaultError('no_vault', 'There is no vault yet: create one first.');
        return withSealed(record, slot, sealed);
      });
    },
    /**
     * For the exchange adapters only. Null when locked (what can be watched without the key still is; acting waits
     * for an unlock); a secret that is missing or fails its check is an error with the vault's own message.
     */
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
      await updateRecord((record) => (record ? removeSecret(record, slot) : null));
    },
    /** The lock alarm (set for lockAt): locks when the session has expired and no account needs the key. */
    async expire(): Promise<void> {
      await currentSession(false);
    },
    /**
     * True the first time `key` (an account's problem with the vault) is asked for since the vault last locked or
     * unlocked: one report per account per lock. Kept in session storage, so a worker restart does not repeat it.
     */
    noticeOnce: (key: string) =>
      serial(async () => {
        const seen = await session.get(NOTICED_KEY);
        const list = Array.isArray(seen) ? (seen as unknown[]).filter((k): k is string => typeof k === 'string') : [];
        if (list.includes(key)) return false;
        await session.set(NOTICED_KEY, [...list, key]);
        return true;
      }),
  };
}
export type VaultService = ReturnType<typeof createVaultService>;
