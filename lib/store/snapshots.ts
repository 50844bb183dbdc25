import type { AccountSnapshot } from '../domain/types';
import { accountKey, type RingfenceDb, type SnapshotRow } from './db';

export const HOUR = 3_600_000;
export const RAW_RETENTION_MS = 7 * 24 * HOUR;

export async function appendSnapshot(db: RingfenceDb, snap: AccountSnapshot): Promise<number> {
  return db.snapshots.add({ ...snap, account: accountKey(snap.venue, snap.accountId), resolution: 'raw' });
}

/** The equity curve of an account between two instants, oldest first. */
export function snapshotsBetween(db: RingfenceDb, account: string, from: number, to: number): Promise<SnapshotRow[]> {
  return db.snapshots.where('[account+time]').between([account, from], [account, to], true, true).toArray();
}

/**
 * Retention: snapshots older than 7 days are downsampled to the last one of each hour per account; newer ones stay as
 * they are. Idempotent (an hour already downsampled is left alone). Never touches the audit log or fills.
 */
export async function downsampleSnapshots(db: RingfenceDb, now: number, keepRawMs = RAW_RETENTION_MS) {
  const cutoff = now - keepRawMs;
  return db.transaction('rw', db.snapshots, async () => {
    const old = await db.snapshots.where('time').below(cutoff).toArray();
    const lastOfHour = new Map<string, SnapshotRow>();
    for (const row of old) {
      const bucket = `${row.account}|${Math.floor(row.time / HOUR)}`;
      const cur = lastOfHour.get(bucket);
      if (!cur || row.time > cur.time || (row.time === cur.time && (row.id ?? 0) > (cur.id ?? 0))) lastOfHour.set(bucket, row);
    }
    const keep = new Set([...lastOfHour.values()].map((r) => r.id));
    const drop = old.filter((r) => !keep.has(r.id)).map((r) => r.id!);
    await db.snapshots.bulkDelete(drop);
    const promote = [...lastOfHour.values()].filter((r) => r.resolution === 'raw');
    await db.snapshots.bulkPut(promote.map((r) => ({ ...r, resolution: 'hour' as const })));
    return { removed: drop.length, kept: keep.size };
  });
}
