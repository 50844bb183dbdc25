import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { request } from '@/lib/messaging/client';
import { auditList } from '@/lib/messaging/requests';
import {
  strategiesList,
  strategyCreate,
  strategyResetKill,
  strategySetEnabled,
  strategyUpdate,
} from '@/lib/messaging/strategy-requests';
import { RingfenceDb } from '@/lib/store/db';
import { contentSender, extensionSender, fakeRuntime, testBackground } from '../helpers/fake-runtime';

function setup() {
  const db = new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
  let t = 1000;
  const { bg } = testBackground({ db, now: () => (t += 1) });
  const { runtime } = fakeRuntime(() => bg, extensionSender('options.html'));
  return { db, bg, runtime };
}

const grid = { source: 'binance:main', strategyId: 'grid-1', symbol: 'BTCUSDT' };

describe('strategy requests', () => {
  it('creates with the table defaults, refuses a duplicate, lists', async () => {
    const { runtime } = setup();
    expect(await request(runtime, strategyCreate, grid)).toEqual({
      ok: true,
      data: { ...grid, enabled: true, riskPerTradePct: 1, stopLossUsd: 5, maxDrawdownUsd: 50, killed: false, totalPnl: 0, score: 50 },
    });
    expect(await request(runtime, strategyCreate, grid)).toEqual({
      ok: false,
      error: { code: 'invalid_data', message: 'A strategy "grid-1" exists already.' },
    });
    const list = await request(runtime, strategiesList, {});
    expect(list.ok && list.data.map((s) => s.strategyId)).toEqual(['grid-1']);
  });

  it('updates several rows all-or-nothing and records old -> new', async () => {
    const { runtime, db } = setup();
    await request(runtime, strategyCreate, grid);
    await request(runtime, strategyCreate, { ...grid, strategyId: 'tight', maxDrawdownUsd: 8 });
    const bad = await request(runtime, strategyUpdate, { ids: ['grid-1', 'tight'], patch: { stopLossUsd: 10 } });
    expect(bad).toEqual({
      ok: false,
      error: {
        code: 'invalid_data',
        message: 'tight: Stop loss $10 per trade is above the max drawdown $8: one stopped trade would kill the strategy.',
      },
    });
    expect((await db.strategies.get('grid-1'))?.stopLossUsd).toBe(5); // nothing applied

    const ok = await request(runtime, strategyUpdate, { ids: ['grid-1', 'tight'], patch: { stopLossUsd: 4 } });
    expect(ok.ok && ok.data.map((s) => s.stopLossUsd)).toEqual([4, 4]);
    const audit = await request(runtime, auditList, { limit: 2 });
    expect(audit.ok && audit.data.map((e) => e.message)).toEqual([
      'Strategy tight changed: stopLossUsd 5 -> 4.',
      'Strategy grid-1 changed: stopLossUsd 5 -> 4.',
    ]);
  });

  it('refuses unknown ids and invalid values with specific errors', async () => {
    const { runtime } = setup();
    await request(runtime, strategyCreate, grid);
    expect(await request(runtime, strategySetEnabled, { ids: ['grid-1', 'ghost'], enabled: false })).toEqual({
      ok: false,
      error: { code: 'invalid_data', message: 'No strategy "ghost".' },
    });
    const neg = await request(runtime, strategyUpdate, { ids: ['grid-1'], patch: { riskPerTradePct: -1 } });
    expect(neg).toMatchObject({ ok: false, error: { code: 'invalid_data', issues: [expect.stringMatching(/^patch\.riskPerTradePct: /)] } });
    const bad = await request(runtime, strategyCreate, { ...grid, strategyId: 'has space' });
    expect(bad).toMatchObject({ ok: false, error: { issues: ['strategyId: strategyId may use letters, digits and . _ : -'] } });
  });

  it('refuses a stop loss or max drawdown above $10,000,000 (1e300 would switch the kill switch off)', async () => {
    const { runtime, db } = setup();
    await request(runtime, strategyCreate, grid);
    expect(await request(runtime, strategyUpdate, { ids: ['grid-1'], patch: { maxDrawdownUsd: 1e300 } })).toEqual({
      ok: false,
      error: { code: 'invalid_data', message: 'Invalid data for "strategy.update".', issues: ['patch.maxDrawdownUsd: must be at most $10,000,000'] },
    });
    expect(await request(runtime, strategyCreate, { ...grid, strategyId: 'big', stopLossUsd: 20_000_000, maxDrawdownUsd: 30_000_000 })).toMatchObject({
      ok: false,
      error: { issues: ['stopLossUsd: must be at most $10,000,000', 'maxDrawdownUsd: must be at most $10,000,000'] },
    });
    expect((await db.strategies.get('grid-1'))?.maxDrawdownUsd).toBe(50);
    expect(await request(runtime, strategyUpdate, { ids: ['grid-1'], patch: { maxDrawdownUsd: 10_000_000 } })).toMatchObject({ ok: true });
  });

  it('resets a kill switch as a recorded event, and only when killed', async () => {
    const { runtime, db } = setup();
    await request(runtime, strategyCreate, grid);
    expect(await request(runtime, strategyResetKill, { strategyId: 'grid-1' })).toEqual({
      ok: false,
      error: { code: 'invalid_data', message: 'Strategy grid-1 is not killed: nothing to reset.' },
    });
    await db.strategies.update('grid-1', { killed: true, totalPnl: -52.1 });
    const res = await request(runtime, strategyResetKill, { strategyId: 'grid-1' });
    expect(res.ok && [res.data.killed, res.data.totalPnl]).toEqual([false, 0]);
    const audit = await request(runtime, auditList, { limit: 1 });
    expect(audit.ok && audit.data[0]).toMatchObject({
      kind: 'strategy.kill_reset',
      severity: 'warning',
      message: 'Kill switch of grid-1 reset by the user (total PnL was -$52.10).',
    });
  });

  it('bumps the strategies revision in the pushed state, and content scripts may not touch strategies', async () => {
    const { runtime, bg } = setup();
    await bg.ready;
    const before = bg.viewState().tables.strategies;
    await request(runtime, strategyCreate, grid);
    expect(bg.viewState().tables.strategies).toBe(before + 1);
    const panel = fakeRuntime(() => bg, contentSender('https://www.binance.com/en/futures/BTCUSDT')).runtime;
    expect(await request(panel, strategiesList, {})).toEqual({
      ok: false,
      error: { code: 'forbidden', message: '"strategies.list" is not accepted from content.' },
    });
  });
});
