import { z } from 'zod';
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

/** meta key: every snapshot older than this instant (an hour boundary) is downsampled already. */
export const DOWNSAMPLED_KEY = 'snapshots.downsampledTo';
/** Snapshots one retention run reads at most. */
export const DOWNSAMPLE_BATCH = 5000;
const Watermark = z.number();

/**
 * Retention: snapshots older than 7 days are downsampled to the last one of each hour per account; newer ones stay as
 * they are. Incremental and bounded: it runs every heartbeat, so it reads only the complete hours past the stored
 * watermark (not the hour rows kept before it), at most DOWNSAMPLE_BATCH rows a run. Never touches the audit log or fills.
 */
export async function downsampleSnapshots(db: RingfenceDb, now: number, keepRawMs = RAW_RETENTION_MS, batch = DOWNSAMPLE_BATCH) {
  // Whole hours only: an hour is downsampled once, when all of it is older than the retention.
  const cutoff = Math.floor((now - keepRawMs) / HOUR) * HOUR;
  return db.transaction('rw', db.snapshots, db.meta, async () => {
    const mark = Watermark.safeParse((await db.meta.get(DOWNSAMPLED_KEY))?.value);
    const from = mark.success ? mark.data : -Infinity;
    if (!(from < cutoff)) return { removed: 0, kept: 0 };
    const old = await db.snapshots.where('time').between(from, cutoff, true, false).limit(batch).toArray();
    // A full batch may end inside an hour: the next run starts at that hour, reading again only the row each bucket
    // kept of it (keeping the last of a bucket gives the same in parts as whole).
    const to = old.length < batch ? cutoff : Math.floor(old[batch - 1]!.time / HOUR) * HOUR;
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
    await db.meta.put({ key: DOWNSAMPLED_KEY, value: to });
    return { removed: drop.length, kept: keep.size };
  });
}
