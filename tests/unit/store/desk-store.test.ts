import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { AccountSnapshot, Fill } from '@/lib/domain/types';
import { RingfenceDb } from '@/lib/store/db';
import { fillsBetween, saveFills } from '@/lib/store/fills';
import { diffValues, saveSettings, settingsHistory } from '@/lib/store/settings';
import { appendSnapshot, downsampleSnapshots, HOUR, snapshotsBetween } from '@/lib/store/snapshots';

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
    // Idempotent.
    expect(await downsampleSnapshots(db, now)).toEqual({ removed: 0, kept: 3 });
    expect(await db.snapshots.count()).toBe(5);
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
