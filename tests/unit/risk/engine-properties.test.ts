import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fill, OpenOrder, Position } from '../../../lib/domain/types';
import type { AccountView, EvaluationHistory, PeriodStartValue } from '../../../lib/risk/context';
import { evaluate } from '../../../lib/risk/engine';
import { initialRiskState } from '../../../lib/risk/state';
import { MIN, NOW, account, fill, openOrder, position, settings, strategy } from './fixtures';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
const S = settings({ account: { correlationGroups: [['BTC', 'ETH']] }, position: { trailing: { mode: 'atr' } } });

const arbPos = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  side: fc.constantFrom('long' as const, 'short' as const),
  size: fc.double({ min: 0.01, max: 40, noNaN: true }),
  entry: fc.double({ min: 50, max: 150, noNaN: true }),
  mark: fc.option(fc.double({ min: 40, max: 160, noNaN: true }), { freq: 4 }),
  leverage: fc.integer({ min: 1, max: 50 }),
  liqGap: fc.option(fc.double({ min: 0.5, max: 40, noNaN: true })),
  ageMin: fc.option(fc.integer({ min: 0, max: 3000 })),
  strategyId: fc.constantFrom('manual', 'grid'),
});
const arbFill = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  pnl: fc.constantFrom(0, 0, -3, -1, 2),
  size: fc.double({ min: 0.1, max: 5, noNaN: true }),
  minutesAgo: fc.integer({ min: 0, max: 1500 }),
  order: fc.integer({ min: 0, max: 20 }),
});
const arbAccount = fc.record({
  equity: fc.double({ min: 0, max: 20_000, noNaN: true }),
  start: fc.option(fc.double({ min: 1, max: 20_000, noNaN: true })),
  staleSec: fc.integer({ min: 0, max: 60 }),
  positions: fc.uniqueArray(arbPos, { maxLength: 6, selector: (p) => `${p.symbol}|${p.side}` }),
  orders: fc.array(fc.record({ side: fc.constantFrom('buy' as const, 'sell' as const), reduceOnly: fc.boolean(), symbol: fc.constantFrom(...SYMBOLS) }), { maxLength: 3 }),
  fills: fc.array(arbFill, { maxLength: 10 }),
  peakBump: fc.double({ min: 0, max: 5_000, noNaN: true }),
});

type Acct = typeof arbAccount extends fc.Arbitrary<infer T> ? T : never;

function scenario(accts: Acct[], pnlGrid: number) {
  const views: AccountView[] = [];
  const fills: Fill[] = [];
  const periodStarts: EvaluationHistory['periodStarts'] = {};
  const state = initialRiskState();
  accts.forEach((a, i) => {
    const accountId = `acc${i}`;
    const positions: Position[] = a.positions.map((p) => {
      const signed = p.side === 'long' ? p.size : -p.size;
      const px = p.mark ?? p.entry;
      return position({
        accountId,
        symbol: p.symbol,
        side: p.side,
        size: signed,
        hedged: true,
        entryPrice: p.entry,
        markPrice: p.mark,
        leverage: p.leverage,
        liquidationPrice: p.liqGap === null ? null : p.side === 'long' ? Math.max(0.01, px * (1 - p.liqGap / 100)) : px * (1 + p.liqGap / 100),
        unrealizedPnl: (px - p.entry) * signed,
        notional: p.size * px,
        openedAt: p.ageMin === null ? null : NOW - p.ageMin * MIN,
        strategyId: p.strategyId,
      });
    });
    const openOrders: OpenOrder[] = a.orders.map((o, j) => openOrder({ accountId, orderId: `${accountId}-o${j}`, side: o.side, reduceOnly: o.reduceOnly, symbol: o.symbol }));
    views.push({ account: account({ accountId, equity: a.equity, walletBalance: a.equity }), positions, openOrders, receivedAt: NOW - a.staleSec * 1000 });
    for (const f of a.fills)
      fills.push(fill({ accountId, symbol: f.symbol, realizedPnl: f.pnl, size: f.size, time: NOW - f.minutesAgo * MIN, orderId: `${accountId}-${f.order}` }));
    if (a.start !== null) {
      const v: PeriodStartValue = { equity: a.start, walletBalance: a.start, at: Date.UTC(2026, 2, 10) };
      periodStarts[`binance:${accountId}`] = { daily: v, weekly: v, monthly: v };
    }
    state.peaks[`binance:${accountId}`] = a.equity + a.peakBump;
  });
  const history: EvaluationHistory = { fills, strategies: [strategy({ strategyId: 'grid', totalPnl: pnlGrid })], periodStarts, atrPct: { BTCUSDT: 2, SOLUSDT: 6 } };
  return { views, history, state };
}

const arbScenario = fc.tuple(fc.array(arbAccount, { minLength: 1, maxLength: 3 }), fc.double({ min: -80, max: 20, noNaN: true }));

describe('evaluate properties', () => {
  it('is deterministic and does not mutate its inputs', () => {
    fc.assert(
      fc.property(arbScenario, ([accts, pnl]) => {
        const { views, history, state } = scenario(accts, pnl);
        const frozen = structuredClone({ views, history, state });
        const a = evaluate(views, history, state, S, NOW);
        const b = evaluate(views, history, state, S, NOW);
        expect(b).toEqual(a);
        expect({ views, history, state }).toEqual(frozen);
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('is idempotent: the same input again asks for nothing new and leaves the state as it was', () => {
    fc.assert(
      fc.property(arbScenario, fc.integer({ min: 0, max: 50 }), ([accts, pnl], secondsLater) => {
        const { views, history, state } = scenario(accts, pnl);
        // Start from a lived-in state: one evaluation ten minutes earlier.
        const earlier = evaluate(views, history, state, S, NOW - 10 * MIN).nextState;
        const first = evaluate(views, history, earlier, S, NOW);
        const second = evaluate(views, history, first.nextState, S, NOW);
        expect(second.actions).toEqual([]);
        expect(second.events).toEqual([]);
        expect(second.nextState).toEqual(first.nextState);
        // Within the pending timeout, a moment later, no close or cancel is asked for twice either.
        const fresh = views.map((v) => ({ ...v, receivedAt: v.receivedAt! + secondsLater * 1000 }));
        const later = evaluate(fresh, history, first.nextState, S, NOW + secondsLater * 1000);
        expect(later.actions.filter((x) => x.kind === 'close_position' || x.kind === 'partial_close' || x.kind === 'cancel_orders')).toEqual([]);
        // And the state is plain data.
        expect(JSON.parse(JSON.stringify(first.nextState))).toEqual(first.nextState);
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});
