import { describe, expect, it } from 'vitest';
import type { Position } from '../../../lib/domain/types';
import type { AccountView, EvaluationHistory } from '../../../lib/risk/context';
import { evaluate, type EvaluationResult } from '../../../lib/risk/engine';
import { formatReason } from '../../../lib/risk/format';
import { initialRiskState, manualReset, type RiskState } from '../../../lib/risk/state';
import type { EngineAction } from '../../../lib/risk/types';
import { MIN, NOW, account, fill, history, openOrder, position, settings, starts, strategy, view } from './fixtures';

const S = settings();
// A wide strategy stop, so the position tests see one rule at a time.
const H = (over: Partial<EvaluationHistory> = {}) =>
  history({ periodStarts: { 'binance:main': starts(10_000), 'binance:sub': starts(10_000) }, strategies: [strategy({ stopLossUsd: 1_000, maxDrawdownUsd: 10_000 })], ...over });
const kinds = (r: EvaluationResult) => r.actions.map((a) => a.kind);
/** Data counts as just received unless a test says otherwise. */
const run = (views: AccountView[], st: RiskState = initialRiskState(), now = NOW, h = H(), s = S) =>
  evaluate(views.map((v) => (v.receivedAt === undefined && v.account.time === NOW ? { ...v, receivedAt: now } : v)), h, st, s, now);
const btc = (over: Partial<Position> = {}) => position({ entryPrice: 100, markPrice: 100, leverage: 10, size: 1, ...over });
const closes = (r: EvaluationResult) =>
  r.actions.filter((a): a is Extract<EngineAction, { kind: 'close_position' | 'partial_close' }> => a.kind === 'close_position' || a.kind === 'partial_close');

describe('evaluate', () => {
  it('finds nothing and asks for nothing on a healthy flat account', () => {
    const r = run([view()]);
    expect(r.findings).toEqual([]);
    expect(r.actions).toEqual([]);
    expect(r.events).toEqual([]);
    expect(r.nextState.peaks).toEqual({ 'binance:main': 10_000 });
  });

  it('alerts once for a warning, and not again for the same input', () => {
    const v = [view({ positions: [btc({ markPrice: 96 })] })];
    const first = run(v);
    expect(kinds(first)).toEqual(['alert']);
    const second = run(v, first.nextState);
    expect(second.actions).toEqual([]);
    expect(second.nextState).toEqual(first.nextState);
  });

  it('escalates: partial close and a symbol cooling-off at the limit, a full close past it, never twice while pending', () => {
    const first = run([view({ positions: [btc({ markPrice: 94.9 })] })]);
    expect(closes(first)).toEqual([expect.objectContaining({ kind: 'partial_close', symbol: 'BTCUSDT', side: 'long', size: 0.5, pct: 50 })]);
    const sym = first.nextState.scopes['binance:main:BTCUSDT']!;
    expect(sym).toMatchObject({ trading: 'HALTED', breaker: { state: 'OPEN', until: NOW + 30 * MIN } });
    expect(first.events.map((e) => `${e.kind}:${'from' in e ? `${e.from}->${e.to}` : ''}`)).toEqual(['breaker:CLOSED->OPEN', 'trading_state:ACTIVE->HALTED']);
    expect(first.findings.some((f) => f.rule === 'cooling-off')).toBe(true);

    // Same input: the partial close is pending, nothing new.
    const again = run([view({ positions: [btc({ markPrice: 94.9 })] })], first.nextState, NOW + 10_000);
    expect(again.actions).toEqual([]);
    // The partial executed (size halved): no second partial close.
    const done = run([view({ positions: [btc({ size: 0.5, markPrice: 94.9 })] })], again.nextState, NOW + 20_000);
    expect(closes(done)).toEqual([]);
    // Past 150% of the limit: the full close, once.
    const worse = run([view({ positions: [btc({ size: 0.5, markPrice: 92 })] })], done.nextState, NOW + 30_000);
    expect(closes(worse)).toEqual([expect.objectContaining({ kind: 'close_position', size: 0.5, pct: 100 })]);
    const pending = run([view({ positions: [btc({ size: 0.5, markPrice: 92 })] })], worse.nextState, NOW + 40_000);
    expect(closes(pending)).toEqual([]);
    // Not executed after the pending timeout (60 s): asked again.
    const retry = run([view({ positions: [btc({ size: 0.5, markPrice: 92 })] })], pending.nextState, NOW + 95_000);
    expect(closes(retry)).toHaveLength(1);
    // Closed: the pending entries go away with the position.
    const flat = run([view()], retry.nextState, NOW + 100_000);
    expect(Object.keys(flat.nextState.issued).filter((k) => k.includes('BTCUSDT:long'))).toEqual([]);
  });

  it('asks for one close per position even when two rules want it, and one per hedge leg', () => {
    const long = btc({ hedged: true, markPrice: 90, unrealizedPnl: -10 });
    const short = btc({ side: 'short', size: -1, hedged: true, markPrice: 90, unrealizedPnl: 10, entryPrice: 80 });
    const r = run([view({ positions: [long, short] })]);
    const c = closes(r);
    expect(c.map((a) => `${a.kind}:${a.side}`)).toEqual(['close_position:long', 'close_position:short']);
    expect(formatReason(c[0]!.reason)).toBe('BTCUSDT long: down 100% of margin (10% price move at 10x), limit 50%.');
  });

  it('asks for a full close instead of a partial one when both are due, and no partial while a close is pending', () => {
    // Drawdown 60% (a partial) and the $5 strategy stop (a full close) at once.
    const h = H({ strategies: [] });
    const p = btc({ markPrice: 94, unrealizedPnl: -6 });
    const a = run([view({ positions: [p] })], initialRiskState(), NOW, h);
    expect(closes(a).map((x) => x.kind)).toEqual(['close_position']);
    const b = run([view({ positions: [btc({ markPrice: 94, unrealizedPnl: -4 })] })], a.nextState, NOW + 5_000, h);
    expect(closes(b)).toEqual([]);
  });

  it('halts and flattens on the daily loss emergency, cancelling only risk-increasing orders', () => {
    const v = view({
      account: account({ equity: 9_700 }),
      positions: [btc(), btc({ symbol: 'ETHUSDT', side: 'short', size: -2 })],
      openOrders: [openOrder({ orderId: 'entry' }), openOrder({ orderId: 'tp', side: 'sell', reduceOnly: true }), openOrder({ orderId: 'hedge-close', side: 'sell', positionSide: 'long' })],
    });
    const r = run([v]);
    expect(r.nextState.scopes['binance:main']).toMatchObject({ trading: 'HALTED', holds: [{ rule: 'daily-loss', release: Date.UTC(2026, 2, 11) }] });
    expect(closes(r).map((a) => `${a.symbol}:${a.side}`)).toEqual(['BTCUSDT:long', 'ETHUSDT:short']);
    const cancel = r.actions.find((a) => a.kind === 'cancel_orders');
    expect(cancel).toMatchObject({ orderIds: ['entry'] });
    const state = r.actions.find((a) => a.kind === 'set_trading_state');
    expect(state).toMatchObject({ state: 'HALTED', scope: { kind: 'account' } });
    const ev = r.events.find((e) => e.kind === 'trading_state');
    expect(ev).toMatchObject({ from: 'ACTIVE', to: 'HALTED', cause: 'hold_added', settings: S });
    expect(formatReason(ev?.kind === 'trading_state' ? ev.reason! : { code: 'no_stop_loss' })).toBe(
      'Daily loss 3% of the equity at the period start ($10,000.00), limit 2%.',
    );
    // Next day (new start value), the hold has expired.
    const nextDay = Date.UTC(2026, 2, 11, 1);
    const later = run([view({ account: account({ equity: 9_700, time: nextDay }) })], r.nextState, nextDay, H({ periodStarts: { 'binance:main': { daily: { equity: 9_700, walletBalance: 9_700, at: nextDay - 1 }, weekly: starts(9_700).weekly, monthly: starts(9_700).monthly } } }));
    expect(later.nextState.scopes['binance:main']?.holds ?? []).toEqual([]);
  });

  it('runs the breaker CLOSED -> OPEN -> HALF_OPEN -> CLOSED, and re-opens on a breach while half-open', () => {
    const hit = btc({ unrealizedPnl: -6 }); // over the default $5 stop: close + breach
    const h = H({ strategies: [] });
    const a = run([view({ positions: [hit] })], initialRiskState(), NOW, h);
    const k = 'binance:main:BTCUSDT';
    expect(a.nextState.scopes[k]!.breaker.state).toBe('OPEN');
    const b = run([view()], a.nextState, NOW + 30 * MIN, h);
    expect(b.nextState.scopes[k]).toMatchObject({ trading: 'ACTIVE', breaker: { state: 'HALF_OPEN' } });
    expect(b.events.map((e) => e.kind === 'breaker' && e.cause)).toContain('cooling_elapsed');
    const c = run([view()], b.nextState, NOW + 90 * MIN, h);
    expect(c.nextState.scopes[k]).toBeUndefined();
    expect(c.events).toEqual([expect.objectContaining({ kind: 'breaker', from: 'HALF_OPEN', to: 'CLOSED', cause: 'clean_interval' })]);
    const d = run([view({ positions: [hit] })], b.nextState, NOW + 40 * MIN, h);
    expect(d.nextState.scopes[k]).toMatchObject({ trading: 'HALTED', breaker: { state: 'OPEN', until: NOW + 70 * MIN } });
  });

  it('releases a condition hold when the condition clears', () => {
    const big = view({ positions: [btc({ notional: 6_000 })] });
    const a = run([big]);
    expect(a.nextState.scopes['binance:main']!.trading).toBe('REDUCING');
    const b = run([view({ positions: [btc({ notional: 2_000 })] })], a.nextState, NOW + MIN);
    expect(b.nextState.scopes['binance:main']).toBeUndefined();
    expect(b.events).toEqual([expect.objectContaining({ kind: 'trading_state', from: 'REDUCING', to: 'ACTIVE', cause: 'hold_released' })]);
    expect(b.actions).toEqual([expect.objectContaining({ kind: 'set_trading_state', state: 'ACTIVE' })]);
  });

  it('keeps a kill switch until a recorded manual reset', () => {
    const st = initialRiskState();
    st.peaks['binance:main'] = 12_000;
    const a = run([view()], st);
    expect(a.nextState.scopes['binance:main']).toMatchObject({ trading: 'HALTED', holds: [{ release: 'manual' }] });
    // Equity recovers a little: still halted (manual); the breach persists, so the breaker re-opens after cooling off.
    const b = run([view({ account: account({ equity: 10_100 }) })], a.nextState, NOW + 120 * MIN);
    expect(b.nextState.scopes['binance:main']!.trading).toBe('HALTED');
    const reset = manualReset(b.nextState, { scope: { kind: 'account', venue: 'binance', accountId: 'main' }, actor: 'risk desk', note: 'reviewed', baseline: 10_100 }, S, NOW + 121 * MIN);
    expect(reset.event).toMatchObject({ kind: 'manual_reset', actor: 'risk desk', note: 'reviewed', breakerWas: 'OPEN', settings: S });
    expect(reset.event.kind === 'manual_reset' && reset.event.cleared.map((h) => h.rule)).toEqual(['account-drawdown']);
    const c = run([view({ account: account({ equity: 10_100 }) })], reset.nextState, NOW + 122 * MIN);
    expect(c.nextState.scopes['binance:main']).toBeUndefined();
    expect(c.findings.filter((f) => f.rule === 'account-drawdown')).toEqual([]);
  });

  it('evaluates every account in one call and leaves accounts not in the call untouched', () => {
    const main = view({ positions: [btc({ markPrice: 96 })] });
    const sub = view({ account: account({ accountId: 'sub', time: NOW - 60_000 }) });
    const r = run([main, sub]);
    expect(new Set(r.findings.map((f) => (f.scope.kind === 'strategy' ? 'strategy' : f.scope.accountId)))).toEqual(new Set(['main', 'sub']));
    expect(r.nextState.scopes['binance:sub']!.trading).toBe('REDUCING');
    const onlyMain = run([main], r.nextState, NOW + 1_000);
    expect(onlyMain.nextState.scopes['binance:sub']).toEqual(r.nextState.scopes['binance:sub']);
  });

  it('skips disabled rules', () => {
    const r = run([view({ account: account({ equity: 9_700 }) })], initialRiskState(), NOW, H(), settings({ rules: { disabled: ['daily-loss', 'weekly-loss'] } }));
    expect(r.findings.map((f) => f.rule)).toEqual([]);
  });

  it('applies a cooling-off once per occurrence (revenge trade)', () => {
    const fills = [fill({ realizedPnl: -5, time: NOW - 10 * MIN }), fill({ symbol: 'ETHUSDT', side: 'buy', size: 3, time: NOW - 5 * MIN })];
    const a = run([view()], initialRiskState(), NOW, H({ fills }));
    expect(a.nextState.scopes['binance:main']).toMatchObject({ trading: 'HALTED', holds: [{ id: 'revenge-trading#cool', release: NOW + 30 * MIN }] });
    const b = run([view()], a.nextState, NOW + MIN, H({ fills }));
    expect(b.nextState.scopes['binance:main']!.holds).toEqual(a.nextState.scopes['binance:main']!.holds);
    expect(b.actions).toEqual([]);
  });

  it('survives a JSON round trip exactly and continues identically from it', () => {
    const v = [view({ account: account({ equity: 9_700 }), positions: [btc({ markPrice: 94, liquidationPrice: 88 }), btc({ symbol: 'ETHUSDT', markPrice: null })], openOrders: [openOrder()] })];
    const fills = [fill({ realizedPnl: -1, time: NOW - 3 * MIN }), fill({ realizedPnl: -1, time: NOW - 2 * MIN }), fill({ realizedPnl: -1, time: NOW - MIN })];
    const a = run(v, initialRiskState(), NOW, H({ fills }));
    const copy = JSON.parse(JSON.stringify(a.nextState)) as RiskState;
    expect(copy).toEqual(a.nextState);
    expect(run(v, copy, NOW + 5_000, H({ fills }))).toEqual(run(v, a.nextState, NOW + 5_000, H({ fills })));
  });
});

describe('fill-derived data', () => {
  it('takes a close at exactly the entry price for a close: no revenge-trade halt after a small loss', () => {
    const fills = [
      // A small ETH loss: a closing order of notional 1,000.
      fill({ symbol: 'ETHUSDT', side: 'sell', price: 1_000, size: 1, realizedPnl: -10, orderId: 'lossy', time: NOW - 5 * MIN }),
      // A BTC long closed at exactly its entry (a reduce-only break-even stop): realized PnL 0, notional 6,000.
      fill({ symbol: 'BTCUSDT', side: 'sell', price: 60_000, size: 0.1, realizedPnl: 0, fee: 2.4, orderId: 'be', time: NOW - 2 * MIN, closing: true }),
    ];
    const r = evaluate([view()], history({ fills, periodStarts: { 'binance:main': starts(10_000) } }), initialRiskState(), S, NOW);
    expect(r.findings.filter((f) => f.rule === 'revenge-trading')).toEqual([]);
    expect(r.nextState.scopes['binance:main']).toBeUndefined();
    // It lost its fee: the streak counts it, and it is the last loss the pre-trade check compares a re-entry with.
    expect(r.nextState.accounts['binance:main']).toMatchObject({ losingStreak: 2, lastLoss: { symbol: 'BTCUSDT', notional: 6_000, time: NOW - 2 * MIN } });
  });


  it('follows a new fills array (memoised by identity, never stale)', () => {
    const loss = (i: number) => fill({ realizedPnl: -10, orderId: `loss-${i}`, time: NOW - (10 - i) * MIN });
    const two = [loss(1), loss(2)];
    const h2 = history({ fills: two, periodStarts: { 'binance:main': starts(10_000) } });
    const first = evaluate([view()], h2, initialRiskState(), S, NOW);
    expect(first.nextState.accounts['binance:main']?.losingStreak).toBe(2);
    // Same array again: same answer.
    expect(evaluate([view()], h2, first.nextState, S, NOW).nextState.accounts['binance:main']?.losingStreak).toBe(2);
    // A new array with one more loss: the streak grows.
    const h3 = { ...h2, fills: [...two, loss(3)] };
    expect(evaluate([view()], h3, first.nextState, S, NOW).nextState.accounts['binance:main']?.losingStreak).toBe(3);
  });
});

describe('cancels while not ACTIVE', () => {
  // Long 1 BTCUSDT at 100; the trader's stop-loss: sell stop-market 1 at 95, placed without the reduce-only box
  // (Binance's order form leaves it off), and a buy limit that would add.
  const p = btc();
  const sl = openOrder({ orderId: 'sl', side: 'sell', type: 'stop_market', price: null, stopPrice: 95, size: 1, reduceOnly: false, positionSide: null });
  const add = openOrder({ orderId: 'add', side: 'buy', price: 90, size: 1 });
  const cancelled = (r: EvaluationResult) => r.actions.flatMap((a) => (a.kind === 'cancel_orders' ? a.orderIds : []));

  it('keeps the one-way stop-loss of a long when the wallet falls under the minimum balance (HALTED)', () => {
    // No period start values: no loss limit flattens the account (the exposure, 2000% of $5, only adds reduce-only).
    const r = run([view({ account: account({ walletBalance: 5, equity: 5 }), positions: [p], openOrders: [sl, add] })], initialRiskState(), NOW, history());
    expect(r.nextState.scopes['binance:main']).toMatchObject({ trading: 'HALTED' });
    expect(r.nextState.scopes['binance:main']!.holds.map((h) => h.rule)).toContain('minimum-balance');
    expect(cancelled(r)).toEqual(['add']);
  });

  it('keeps it when the data goes stale for 31 s (REDUCING)', () => {
    const r = run([view({ positions: [p], openOrders: [sl, add], receivedAt: NOW - 31_000 })]);
    expect(r.nextState.scopes['binance:main']!.trading).toBe('REDUCING');
    expect(cancelled(r)).toEqual(['add']);
  });

  it('cancels the exits that together would open the other way, keeping the stop-loss', () => {
    const tp = openOrder({ orderId: 'tp', side: 'sell', price: 110, size: 1 });
    const r = run([view({ positions: [p], openOrders: [tp, sl], receivedAt: NOW - 31_000 })]);
    expect(cancelled(r)).toEqual(['tp']);
  });
});

describe('trails belong to their position', () => {
  const KEY = 'binance:main';
  const seenAt = (at: number, st: RiskState = initialRiskState()): RiskState => ({
    ...st,
    accounts: { [KEY]: { at, riskScore: 0, losingStreak: 0, lastLoss: null } },
  });
  const DAY = 1_440 * MIN;

  it('a new long opened while Ringfence was not evaluating does not inherit the old long trail (stored before trails had an identity)', () => {
    // The previous BTCUSDT long reached 66,000; it was closed and a long at 64,000 opened while the browser was closed.
    const st: RiskState = { ...initialRiskState(), trails: { [KEY]: { BTCUSDT: { long: { best: 66_000, firstSeen: NOW - 3 * DAY } } } } };
    const p = position({ size: 0.01, entryPrice: 64_000, markPrice: 64_000, openedAt: null });
    const r = run([view({ positions: [p] })], st);
    expect(r.findings.filter((f) => f.scope.kind === 'position')).toEqual([]);
    expect(closes(r)).toEqual([]);
    expect(r.nextState.trails[KEY]).toEqual({ BTCUSDT: { long: { best: 64_000, firstSeen: NOW, entry: 64_000, size: 0.01 } } });
  });

  it('nor the trail of an old long with an identity, when the entry changed after a gap', () => {
    const st = seenAt(NOW - 3 * DAY, { ...initialRiskState(), trails: { [KEY]: { BTCUSDT: { long: { best: 66_000, firstSeen: NOW - 3 * DAY - DAY, entry: 60_000, size: 0.02 } } } } });
    const p = position({ size: 0.01, entryPrice: 64_000, markPrice: 64_000, openedAt: null });
    const r = run([view({ positions: [p] })], st);
    expect(r.findings.filter((f) => f.scope.kind === 'position')).toEqual([]);
    expect(r.nextState.trails[KEY]!.BTCUSDT!.long).toEqual({ best: 64_000, firstSeen: NOW, entry: 64_000, size: 0.01 });
  });

  it('keeps the time in trade of a position averaged down between two evaluations', () => {
    const first = run([view({ positions: [btc({ openedAt: null })] })], initialRiskState(), NOW - 1_500 * MIN);
    // 1,500 minutes later (evaluated every second in between: the account was seen a second ago) the trader doubles it at 90.
    const st = seenAt(NOW - 1_000, first.nextState);
    const r = run([view({ positions: [btc({ openedAt: null, size: 2, entryPrice: 95, markPrice: 90 })] })], st);
    const tit = r.findings.find((f) => f.rule === 'time-in-trade');
    expect(tit).toMatchObject({ severity: 'warning', value: 1_500 });
    expect(r.nextState.trails[KEY]!.BTCUSDT!.long).toEqual({ best: 100, firstSeen: NOW - 1_500 * MIN, entry: 95, size: 2 });
  });

  it('asks a new position for its own partial close, though the old one on its symbol and side had one', () => {
    // The old long (entry 120, size 2) had its partial close executed; a long at 100 replaced it during a gap.
    const st = seenAt(NOW - DAY, {
      ...initialRiskState(),
      trails: { [KEY]: { BTCUSDT: { long: { best: 120, firstSeen: NOW - 2 * DAY, entry: 120, size: 1 } } } },
      issued: { [`partial|${KEY}:BTCUSDT:long|`]: { account: KEY, at: NOW - DAY - MIN, size: 2, done: true } },
    });
    const r = run([view({ positions: [btc({ markPrice: 94.9 })] })], st);
    expect(closes(r)).toEqual([expect.objectContaining({ kind: 'partial_close', size: 0.5, pct: 50 })]);
    expect(r.nextState.issued[`partial|${KEY}:BTCUSDT:long|`]).toEqual({ account: KEY, at: NOW, size: 1, done: false });
  });

  it('drops the old position markers when a new one stands there and nothing is asked for it', () => {
    const st = seenAt(NOW - DAY, {
      ...initialRiskState(),
      trails: { [KEY]: { BTCUSDT: { long: { best: 120, firstSeen: NOW - 2 * DAY, entry: 120, size: 1 } } } },
      issued: { [`partial|${KEY}:BTCUSDT:long|`]: { account: KEY, at: NOW - DAY - MIN, size: 2, done: true } },
    });
    const r = run([view({ positions: [btc()] })], st);
    expect(r.nextState.issued).toEqual({});
  });
});
