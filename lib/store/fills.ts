import type { Fill } from '../domain/types';
import { accountKey, type FillRow, type RingfenceDb } from './db';

/** Fills are deduplicated by the venue's trade id: the REST backfill and the stream may both deliver one. */
export const fillKey = (f: Pick<Fill, 'venue' | 'accountId' | 'tradeId'>) => `${f.venue}:${f.accountId}:${f.tradeId}`;

/** Stores the fills not seen before and returns exactly those, in the order given. */
export async function saveFills(db: RingfenceDb, fills: Fill[]): Promise<Fill[]> {
  if (fills.length === 0) return [];
  return db.transaction('rw', db.fills, async () => {
    const unique = new Map<string, Fill>();
    for (const f of fills) if (!unique.has(fillKey(f))) unique.set(fillKey(f), f);
    const keys = [...unique.keys()];
    const existing = await db.fills.bulkGet(keys);
    const fresh: FillRow[] = [];
    keys.forEach((key, i) => {
      if (existing[i]) return;
      const f = unique.get(key)!;
      fresh.push({ ...f, key, account: accountKey(f.venue, f.accountId) });
    });
    await db.fills.bulkAdd(fresh);
    return fresh.map(({ key: _k, account: _a, ...f }) => f);
  });
}

/** An account's fills in a time range, oldest first. */
export function fillsBetween(db: RingfenceDb, account: string, from: number, to: number): Promise<FillRow[]> {
  return db.fills.where('[account+time]').between([account, from], [account, to], true, true).toArray();
}
