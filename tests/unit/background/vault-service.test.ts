/**
 * The vault service as the background runs it: the session in storage.session, the record in IndexedDB. A lock is
 * never undone by a use in flight, two secrets stored at once are both kept, and the idle time does not lock the
 * vault while an account that needs its key is supervised.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { AUTO_LOCK_MIN, createVaultService } from '@/lib/background/vault-service';
import { RingfenceDb } from '@/lib/store/db';
import { memorySession } from '../helpers/fake-runtime';

const T0 = Date.UTC(2026, 10, 20, 12);
const PASS = 'a long enough passphrase';
const MIN = 60_000;
const freshDb = () => new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });

/**
 * storage.session as the browser runs it: each call is applied when it is made, in order, and answered later. Reads
 * are answered only when the test releases them, so a lock can be placed between a read and what follows it.
 */
function heldSession() {
  const data = new Map<string, unknown>();
  let held = false;
  const waiting: (() => void)[] = [];
  return {
    data,
    waiting,
    hold: () => void (held = true),
    release() {
      held = false;
      for (const answer of waiting.splice(0)) answer();
    },
    get(k: string) {
      const value = structuredClone(data.get(k));
      return held ? new Promise<unknown>((r) => waiting.push(() => r(value))) : Promise.resolve(value);
    },
    set: async (k: string, v: unknown) => void data.set(k, structuredClone(v)),
    remove: async (k: string) => void data.delete(k),
  };
}

// Real key derivations (600,000 iterations) take seconds on a loaded machine.
describe('vault service', { timeout: 60_000 }, () => {
  it('"Lock now" while a secret is being read (an account reconnecting) leaves the vault locked', async () => {
    const session = heldSession();
    const vault = createVaultService({ db: freshDb(), session, now: () => T0 });
    await vault.create(PASS);
    await vault.putSecret('account:x', 'the secret');
    session.hold();
    const reading = vault.getSecret('account:x');
    // The read of the session has been made (the entry as it was); the user locks before it is answered.
    await vi.waitFor(() => expect(session.waiting.length).toBeGreaterThan(0));
    const locking = vault.lock();
    session.release();
    await Promise.all([reading, locking]);
    expect(await vault.status()).toEqual({ state: 'locked' });
    expect(session.data.has('vault.session')).toBe(false);
  });

  it('two secrets stored at once (two accounts added together) are both kept', async () => {
    const db = freshDb();
    const vault = createVaultService({ db, session: memorySession(), now: () => T0 });
    await vault.create(PASS);
    await Promise.all([vault.putSecret('account:a', 'secret-a'), vault.putSecret('account:b', 'secret-b')]);
    expect(Object.keys(((await db.meta.get('vault'))!.value as { secrets: object }).secrets).sort()).toEqual(['account:a', 'account:b']);
    expect([await vault.getSecret('account:a'), await vault.getSecret('account:b')]).toEqual(['secret-a', 'secret-b']);
    // A removal at the same time as a store keeps the store.
    await Promise.all([vault.deleteSecret('account:a'), vault.putSecret('account:c', 'secret-c')]);
    expect(Object.keys(((await db.meta.get('vault'))!.value as { secrets: object }).secrets).sort()).toEqual(['account:b', 'account:c']);
  });

  it('does not lock for want of use while an account needs its key; locks once none does; "Lock now" locks at once', async () => {
    const db = freshDb();
    const session = memorySession();
    const clock = { t: T0 };
    const needed = { now: true };
    const alarms: (number | null)[] = [];
    const make = () =>
      createVaultService({ db, session, now: () => clock.t, keepOpen: async () => needed.now, onLockAt: (t) => alarms.push(t) });
    const vault = make();
    expect(await vault.create(PASS)).toEqual({ state: 'unlocked', lockAt: T0 + AUTO_LOCK_MIN * MIN });
    await vault.putSecret('account:x', 'the secret');
    // 20 quiet minutes: the lock alarm fires, an account needs the key, the session is extended and the alarm set again.
    clock.t += 20 * MIN;
    await vault.expire();
    expect(await vault.status()).toEqual({ state: 'unlocked', lockAt: clock.t + AUTO_LOCK_MIN * MIN });
    expect(alarms.at(-1)).toBe(clock.t + AUTO_LOCK_MIN * MIN);
    // A worker restart long after (the alarm of a stopped worker may come late): the key is still there.
    const again = make();
    clock.t += 60 * MIN;
    expect(await again.getSecret('account:x')).toBe('the secret');
    // No account needs it any more: the next alarm after the idle time locks, and the key leaves memory.
    needed.now = false;
    clock.t += AUTO_LOCK_MIN * MIN;
    await again.expire();
    expect(await again.status()).toEqual({ state: 'locked' });
    expect(session.data.size).toBe(0);
    expect(alarms.at(-1)).toBeNull();
    // "Lock now" does not wait for the idle time, whatever the accounts need.
    needed.now = true;
    await again.unlock(PASS);
    await again.lock();
    expect(await again.status()).toEqual({ state: 'locked' });
  });

  it('reports each problem once per lock, across worker restarts; a lock or an unlock starts afresh', async () => {
    const db = freshDb();
    const session = memorySession();
    const vault = createVaultService({ db, session, now: () => T0 });
    await vault.create(PASS);
    await vault.lock();
    expect(await vault.noticeOnce('binance:main|locked')).toBe(true);
    expect(await vault.noticeOnce('binance:main|locked')).toBe(false);
    expect(await vault.noticeOnce('binance:other|locked')).toBe(true);
    // A new worker on the same session: already reported.
    const again = createVaultService({ db, session, now: () => T0 });
    expect(await again.noticeOnce('binance:main|locked')).toBe(false);
    await again.unlock(PASS);
    await again.lock();
    expect(await again.noticeOnce('binance:main|locked')).toBe(true);
  });
});
