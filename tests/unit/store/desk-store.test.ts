import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import type { AccountSnapshot, Fill } from '@/lib/domain/types';
import { RingfenceDb } from '@/lib/store/db';
import { fillsBetween, saveFills } from '@/lib/store/fills';
import { diffValues, saveSettings, settingsHistory } from '@/lib/store/settings';
import { appendSnapshot, downsampleSnapshots, DOWNSAMPLED_KEY, HOUR, snapshotsBetween } from '@/lib/store/snapshots';

const newDb = () => new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });

const fill = (tradeId: string, time: number, accountId = 'main'): Fill => ({
  venue: 'binance',
  accountId,
  tradeId,
  symbol: 'BTCUSDT',
  side: 'buy',
  price: 97000,
  size: 0.01,
  fee: 0.388,
  feeAsset: 'USDT',
  realizedPnl: 0,
  time,
  orderId: 'o1',
  clientOrderId: null,
  strategyId: 'manual',
});

const snap = (time: number, equity: number, accountId = 'main'): AccountSnapshot => ({
  venue: 'binance',
  accountId,
  equity,
  walletBalance: equity,
  availableBalance: equity,
  marginUsed: 0,
  unrealizedPnl: 0,
  time,
});

describe('fills', () => {
  it('stores each trade id once, across and within calls, and returns only the new ones', async () => {
    const db = newDb();
    expect((await saveFills(db, [fill('1', 10), fill('2', 20), fill('1', 10)])).map((f) => f.tradeId)).toEqual(['1', '2']);
    expect((await saveFills(db, [fill('2', 20), fill('3', 30)])).map((f) => f.tradeId)).toEqual(['3']);
    expect(await saveFills(db, [])).toEqual([]);
    expect(await db.fills.count()).toBe(3);
  });

  it('the same trade id on two accounts is two fills', async () => {
    const db = newDb();
    await saveFills(db, [fill('1', 10, 'a'), fill('1', 10, 'b')]);
    expect(await db.fills.count()).toBe(2);
    expect((await fillsBetween(db, 'binance:a', 0, 100)).map((f) => f.accountId)).toEqual(['a']);
  });
});

describe('snapshots retention', () => {
  it('keeps the last snapshot of each hour older than 7 days and every newer one', async () => {
    const db = newDb();
    const now = 100 * 24 * HOUR;
    const old = now - 8 * 24 * HOUR; // an hour boundary, 8 days back
    for (const [t, e] of [
      [old + 60_000, 1],
      [old + 120_000, 2],
      [old + HOUR - 1, 3], // last of that hour
      [old + HOUR + 5, 4], // the next hour, alone
      [now - HOUR, 5], // recent: raw
      [now - HOUR + 1, 6],
    ] as const) {
      await appendSnapshot(db, snap(t, e));
    }
    await appendSnapshot(db, snap(old + 10, 7, 'other')); // another account's hour is its own bucket
    expect(await downsampleSnapshots(db, now)).toEqual({ removed: 2, kept: 3 });
    const rows = await snapshotsBetween(db, 'binance:main', 0, now);
    expect(rows.map((r) => [r.equity, r.resolution])).toEqual([
      [3, 'hour'],
      [4, 'hour'],
      [5, 'raw'],
      [6, 'raw'],
    ]);
    // Idempotent: the next run has nothing new to read.
    expect(await downsampleSnapshots(db, now)).toEqual({ removed: 0, kept: 0 });
    expect(await db.snapshots.count()).toBe(5);
  });

  it('reads only the complete hours past its watermark: never the hour rows it kept before, nor an hour still partly recent', async () => {
    const db = newDb();
    const day = 24 * HOUR;
    const now = 100 * day + HOUR / 2; // the retention cutoff falls mid-hour
    const boundary = 93 * day; // the hour holding the cutoff starts here
    for (const [t, e] of [[boundary - HOUR + 1, 1], [boundary - 1, 2], [boundary + 1, 3], [boundary + HOUR / 2 - 1, 4], [boundary + HOUR / 2 + 1, 5]] as const) {
      await appendSnapshot(db, snap(t, e));
    }
    const read: unknown[][] = [];
    // Every range read on the time index, as [lower, upper, includeLower, includeUpper].
    const where = db.snapshots.where.bind(db.snapshots) as (index: string) => { between: (...a: unknown[]) => unknown };
    vi.spyOn(db.snapshots, 'where').mockImplementation(((index: string) => {
      const c = where(index);
      return index !== 'time' ? c : { between: (...args: unknown[]) => (read.push(args), c.between(...args)) };
    }) as never);
    expect(await downsampleSnapshots(db, now)).toEqual({ removed: 1, kept: 1 });
    expect(read).toEqual([[-Infinity, boundary, true, false]]);
    expect(await db.meta.get(DOWNSAMPLED_KEY)).toEqual({ key: DOWNSAMPLED_KEY, value: boundary });
    // The hour holding the cutoff stays raw until all of it is older than the retention.
    expect((await snapshotsBetween(db, 'binance:main', 0, Infinity)).map((r) => [r.equity, r.resolution])).toEqual([[2, 'hour'], [3, 'raw'], [4, 'raw'], [5, 'raw']]);
    // An hour later: only that next hour is read (from the watermark), and it is downsampled whole.
    expect(await downsampleSnapshots(db, now + HOUR)).toEqual({ removed: 2, kept: 1 });
    expect(read.at(-1)).toEqual([boundary, boundary + HOUR, true, false]);
    expect((await snapshotsBetween(db, 'binance:main', 0, Infinity)).map((r) => [r.equity, r.resolution])).toEqual([[2, 'hour'], [5, 'hour']]);
    // Nothing new to read: no row is read at all.
    expect(await downsampleSnapshots(db, now + HOUR)).toEqual({ removed: 0, kept: 0 });
    expect(read).toHaveLength(2);
  });

  it('reads at most a batch per run; an hour split across runs ends with its last row all the same', async () => {
    const db = newDb();
    const now = 100 * 24 * HOUR;
    const h0 = now - 10 * 24 * HOUR;
    // Hours 0 and 1: two rows each; hour 2: five rows (more than a batch of 3).
    const times = [h0 + 1, h0 + 2, h0 + HOUR + 1, h0 + HOUR + 2, ...[1, 2, 3, 4, 5].map((i) => h0 + 2 * HOUR + i)];
    for (const [i, t] of times.entries()) await appendSnapshot(db, snap(t, i + 1));
    const runs: unknown[] = [];
    const marks: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      runs.push(await downsampleSnapshots(db, now, undefined, 3));
      marks.push((await db.meta.get(DOWNSAMPLED_KEY))?.value);
    }
    expect(runs).toEqual([
      { removed: 1, kept: 2 }, // rows 1-3: hour 0 done, hour 1 begun
      { removed: 1, kept: 2 }, // hour 1's kept row, its second row, hour 2's first row
      { removed: 2, kept: 1 }, // hour 2's kept row and the next two
      { removed: 2, kept: 1 },
      { removed: 0, kept: 1 }, // hour 2's last row alone: the batch is not full, every hour up to the cutoff is done
      { removed: 0, kept: 0 },
    ]);
    expect(marks).toEqual([h0 + HOUR, h0 + 2 * HOUR, h0 + 2 * HOUR, h0 + 2 * HOUR, now - 7 * 24 * HOUR, now - 7 * 24 * HOUR]);
    expect((await snapshotsBetween(db, 'binance:main', 0, now)).map((r) => [r.equity, r.resolution])).toEqual([[2, 'hour'], [4, 'hour'], [9, 'hour']]);
  });

  it('an unreadable watermark starts again from the oldest snapshot, and the result is the same', async () => {
    const db = newDb();
    const now = 100 * 24 * HOUR;
    await appendSnapshot(db, snap(now - 9 * 24 * HOUR, 1));
    await appendSnapshot(db, snap(now - 9 * 24 * HOUR + 1, 2));
    await db.meta.put({ key: DOWNSAMPLED_KEY, value: 'soon' });
    expect(await downsampleSnapshots(db, now)).toEqual({ removed: 1, kept: 1 });
    expect(await db.meta.get(DOWNSAMPLED_KEY)).toEqual({ key: DOWNSAMPLED_KEY, value: now - 7 * 24 * HOUR });
  });
});

describe('settings history', () => {
  it('diffs by dotted path', () => {
    expect(diffValues({ a: { b: 1, c: 2 }, d: [1] }, { a: { b: 1, c: 3 }, d: [1, 2], e: true })).toEqual([
      { path: 'a.c', from: 2, to: 3 },
      { path: 'd', from: [1], to: [1, 2] },
      { path: 'e', from: undefined, to: true },
    ]);
    expect(diffValues(1, 1)).toEqual([]);
    expect(diffValues(undefined, 5)).toEqual([{ path: '(all)', from: undefined, to: 5 }]);
  });

  it('records every change with old -> new, and nothing for an equal save', async () => {
    const db = newDb();
    await saveSettings(db, 'global', { daily: { warning: 1, emergency: 2 } }, 1000, 'options');
    expect(await saveSettings(db, 'global', { daily: { warning: 1, emergency: 2 } }, 2000, 'options')).toEqual([]);
    await saveSettings(db, 'global', { daily: { warning: 1.5, emergency: 2 } }, 3000, 'import');
    expect((await db.settings.get('global'))?.value).toEqual({ daily: { warning: 1.5, emergency: 2 } });
    const history = await settingsHistory(db, 'global');
    expect(history.map((h) => [h.ts, h.source, h.changes])).toEqual([
      [3000, 'import', [{ path: 'daily.warning', from: 1, to: 1.5 }]],
      [1000, 'options', [{ path: '(all)', from: undefined, to: { daily: { warning: 1, emergency: 2 } } }]],
    ]);
  });
});
