/**
 * The settings lock covers every path to a limit: the strategy table, attribution, strategy modes and the accounts,
 * not only the Limits form. Loosening is refused with one message format; tightening passes.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { accountRemove, accountSetDeadManSwitch, accountSetMode } from '@/lib/messaging/account-requests';
import { request } from '@/lib/messaging/client';
import { settingsGet, settingsLock, settingsSave } from '@/lib/messaging/settings-requests';
import {
  attributionSave,
  strategyCreate,
  strategyResetKill,
  strategySetEnabled,
  strategySetMode,
  strategyUpdate,
} from '@/lib/messaging/strategy-requests';
import { RingfenceDb } from '@/lib/store/db';
import { accountRow } from '../helpers/account-row';
import { extensionSender, fakeRuntime, testBackground } from '../helpers/fake-runtime';

const HOUR = 3_600_000;
const LOCKED = 'Settings are locked until 2026-11-21 14:00 UTC: ';
const refused = (what: string) => ({ ok: false, error: { code: 'forbidden', message: `${LOCKED}${what}. Tightening is allowed.` } });

async function setup() {
  const db = new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
  const clock = { t: Date.UTC(2026, 10, 21, 12) };
  const { bg } = testBackground({ db, now: () => clock.t });
  const { runtime } = fakeRuntime(() => bg, extensionSender('options.html'));
  await request(runtime, strategyCreate, { source: 'binance:main', strategyId: 'grid-1', symbol: 'BTCUSDT', enabled: false });
  await request(runtime, attributionSave, { rules: [{ strategyId: 'grid-1', clientOrderIdPrefix: 'g1', symbol: null }] });
  await request(runtime, strategySetMode, { ids: ['grid-1'], mode: 'guard' });
  await db.accounts.put(accountRow({ venue: 'binance', mode: 'guard', deadManSwitchSec: 120 }));
  const lock = () => request(runtime, settingsLock, { until: clock.t + 2 * HOUR });
  return { db, runtime, clock, lock };
}

describe('settings lock: the strategy table', () => {
  it('refuses a higher limit, enabling and a wider symbol; lower limits and disabling pass', async () => {
    const { db, runtime, lock } = await setup();
    expect(await lock()).toMatchObject({ ok: true });
    expect(await request(runtime, strategyUpdate, { ids: ['grid-1'], patch: { maxDrawdownUsd: 1_000_000 } })).toEqual(
      refused('Strategy grid-1 maxDrawdownUsd cannot be loosened (50 -> 1000000)'),
    );
    expect(await request(runtime, strategyUpdate, { ids: ['grid-1'], patch: { stopLossUsd: 6 } })).toEqual(refused('Strategy grid-1 stopLossUsd cannot be loosened (5 -> 6)'));
    expect(await request(runtime, strategyUpdate, { ids: ['grid-1'], patch: { riskPerTradePct: 2 } })).toEqual(
      refused('Strategy grid-1 riskPerTradePct cannot be loosened (1 -> 2)'),
    );
    expect(await request(runtime, strategyUpdate, { ids: ['grid-1'], patch: { symbol: null } })).toEqual(refused('Strategy grid-1 symbol cannot be loosened ("BTCUSDT" -> no limit)'));
    expect(await request(runtime, strategyUpdate, { ids: ['grid-1'], patch: { symbol: 'ETHUSDT' } })).toEqual(
      refused('Strategy grid-1 symbol cannot be loosened ("BTCUSDT" -> "ETHUSDT")'),
    );
    expect(await request(runtime, strategySetEnabled, { ids: ['grid-1'], enabled: true })).toEqual(refused('Strategy grid-1 enabled cannot be loosened (false -> true)'));
    // A loosening anywhere in the patch refuses the whole patch: nothing changed.
    expect(await request(runtime, strategyUpdate, { ids: ['grid-1'], patch: { stopLossUsd: 4, maxDrawdownUsd: 60 } })).toMatchObject({ ok: false });
    expect(await db.strategies.get('grid-1')).toMatchObject({ symbol: 'BTCUSDT', enabled: false, riskPerTradePct: 1, stopLossUsd: 5, maxDrawdownUsd: 50 });

    expect(await request(runtime, strategyUpdate, { ids: ['grid-1'], patch: { stopLossUsd: 4, maxDrawdownUsd: 40, riskPerTradePct: 0.5 } })).toMatchObject({ ok: true });
    expect(await request(runtime, strategySetEnabled, { ids: ['grid-1'], enabled: false })).toMatchObject({ ok: true });
    expect(await db.strategies.get('grid-1')).toMatchObject({ stopLossUsd: 4, maxDrawdownUsd: 40, riskPerTradePct: 0.5 });
  });

  it('a new row may not be looser than the defaults that would apply without it', async () => {
    const { runtime, lock } = await setup();
    const cur = await request(runtime, settingsGet, {});
    const value = structuredClone(cur.ok ? cur.data.value : {}) as { strategyDefaults: { maxDrawdownUsd: number; enabled: boolean } };
    value.strategyDefaults.maxDrawdownUsd = 20;
    value.strategyDefaults.enabled = false;
    expect(await request(runtime, settingsSave, { value })).toMatchObject({ ok: true });
    await lock();
    expect(await request(runtime, strategyCreate, { source: 'x', strategyId: 'fresh', maxDrawdownUsd: 1e6, enabled: false })).toEqual(
      refused('Strategy fresh maxDrawdownUsd cannot be loosened (20 -> 1000000)'),
    );
    expect(await request(runtime, strategyCreate, { source: 'x', strategyId: 'fresh', maxDrawdownUsd: 20 })).toEqual(refused('Strategy fresh enabled cannot be loosened (false -> true)'));
    expect(await request(runtime, strategyCreate, { source: 'x', strategyId: 'fresh', maxDrawdownUsd: 10, enabled: false, symbol: 'BTCUSDT' })).toMatchObject({ ok: true });
  });

  it('a killed strategy cannot be reset, nor its trades re-pointed to a fresh id', async () => {
    const { db, runtime, lock } = await setup();
    await db.strategies.update('grid-1', { killed: true, totalPnl: -60 });
    await lock();
    expect(await request(runtime, strategyResetKill, { strategyId: 'grid-1' })).toEqual(refused('Strategy grid-1 killed cannot be loosened (true -> false)'));
    expect(await request(runtime, attributionSave, { rules: [{ strategyId: 'grid-2', clientOrderIdPrefix: 'g1', symbol: null }] })).toEqual(
      refused('Attribution rule 1 cannot be loosened ("id g1* -> grid-1" -> "id g1* -> grid-2")'),
    );
    expect(await request(runtime, attributionSave, { rules: [] })).toEqual(refused('Attribution rule 1 cannot be loosened ("id g1* -> grid-1" -> no limit)'));
    // Saving the same rules changes nothing and passes.
    expect(await request(runtime, attributionSave, { rules: [{ strategyId: 'grid-1', clientOrderIdPrefix: 'g1', symbol: null }] })).toMatchObject({ ok: true });
    expect(await db.strategies.get('grid-1')).toMatchObject({ killed: true, totalPnl: -60 });
  });

  it('strategy modes: only stronger ones; no override counts as any account mode', async () => {
    const { runtime, lock } = await setup();
    await lock();
    expect(await request(runtime, strategySetMode, { ids: ['grid-1'], mode: 'monitor' })).toEqual(refused('Strategy grid-1 mode cannot be loosened ("guard" -> "monitor")'));
    expect(await request(runtime, strategySetMode, { ids: ['grid-1'], mode: null })).toEqual(refused('Strategy grid-1 mode cannot be loosened ("guard" -> "account")'));
    expect(await request(runtime, strategySetMode, { ids: ['other'], mode: 'guard' })).toEqual(refused('Strategy other mode cannot be loosened ("account" -> "guard")'));
    expect(await request(runtime, strategySetMode, { ids: ['grid-1', 'other'], mode: 'enforce' })).toEqual({ ok: true, data: { 'grid-1': 'enforce', other: 'enforce' } });
  });
});

describe('settings lock: the accounts', () => {
  it('refuses a weaker mode, switching the dead-man off or lengthening it, and removal; tightening passes', async () => {
    const { db, runtime, lock } = await setup();
    await lock();
    expect(await request(runtime, accountSetMode, { id: 'binance:main', mode: 'monitor' })).toEqual(refused('Binance account Main mode cannot be loosened ("guard" -> "monitor")'));
    expect(await request(runtime, accountSetDeadManSwitch, { id: 'binance:main', seconds: null })).toEqual(
      refused('Binance account Main deadManSwitchSec cannot be loosened (120 -> no limit)'),
    );
    expect(await request(runtime, accountSetDeadManSwitch, { id: 'binance:main', seconds: 300 })).toEqual(
      refused('Binance account Main deadManSwitchSec cannot be loosened (120 -> 300)'),
    );
    expect(await request(runtime, accountRemove, { id: 'binance:main' })).toEqual(refused('Binance account Main cannot be loosened ("guard" -> "removed")'));
    expect(await db.accounts.get('binance:main')).toMatchObject({ mode: 'guard', deadManSwitchSec: 120 });

    expect(await request(runtime, accountSetMode, { id: 'binance:main', mode: 'enforce' })).toMatchObject({ ok: true, data: { mode: 'enforce' } });
    expect(await request(runtime, accountSetDeadManSwitch, { id: 'binance:main', seconds: 60 })).toMatchObject({ ok: true, data: { deadManSwitchSec: 60 } });
  });

  it('after the lock ends, loosening passes again', async () => {
    const { runtime, clock, lock } = await setup();
    await lock();
    clock.t += 2 * HOUR + 1;
    expect(await request(runtime, accountSetMode, { id: 'binance:main', mode: 'monitor' })).toMatchObject({ ok: true });
    expect(await request(runtime, strategyUpdate, { ids: ['grid-1'], patch: { maxDrawdownUsd: 1000 } })).toMatchObject({ ok: true });
    expect(await request(runtime, strategySetMode, { ids: ['grid-1'], mode: null })).toMatchObject({ ok: true });
  });
});
