import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderIntent, Position } from '../../../lib/domain/types';
import { formatReason } from '../../../lib/risk/format';
import { initialRiskState, type RiskState, type ScopeState } from '../../../lib/risk/state';
import type { GateScope } from '../../../lib/risk/types';
import { leverageCap, validate, type PreTradeSnapshot, type ValidationResult } from '../../../lib/risk/validate';
import { MIN, NOW, account, instrument, intent, position, settings, snapshot, strategy, view } from './fixtures';

const S = settings();
const texts = (r: ValidationResult) => r.reasons.map((x) => `${x.level}: ${formatReason(x.reason)}`);
const run = (i: Partial<OrderIntent> = {}, snap: Partial<PreTradeSnapshot> = {}, st: RiskState = initialRiskState(), s = S) => validate(intent(i), snapshot(snap), st, s, NOW);
const withSummary = (over: { riskScore?: number; losingStreak?: number }) => {
  const st = initialRiskState();
  st.accounts['binance:main'] = { at: NOW, riskScore: over.riskScore ?? 0, losingStreak: over.losingStreak ?? 0, lastLoss: null };
  return st;
};
const withScope = (scope: GateScope, key: string, over: Partial<ScopeState>): RiskState => {
  const st = initialRiskState();
  st.scopes[key] = { scope, trading: 'ACTIVE', since: NOW, holds: [], breaker: { state: 'CLOSED', since: NOW, until: null, lastBreachAt: null, reason: null }, ...over };
  return st;
};
const ACCOUNT: GateScope = { kind: 'account', venue: 'binance', accountId: 'main' };
const halted = () => withScope(ACCOUNT, 'binance:main', { trading: 'HALTED' });

describe('validate: allow and what would pass', () => {
  it('allows a small order with a stop and reports the largest size and leverage that pass', () => {
    const r = run();
    expect(r).toMatchObject({ decision: 'allow', reasons: [], increasesRisk: true });
    // Largest: the $5 strategy stop over a $1 stop distance = 5 (the margin cap would allow 10).
    expect(r.allowed).toEqual({ maxSize: 5, maxNotional: 500, maxLeverage: 20, leverageCapSource: 'mode' });
  });

  it('warns, and says so, when the order has no stop', () => {
    const r = run({ stopLoss: null });
    expect(r.decision).toBe('warn');
    expect(texts(r)).toEqual(['warn: No stop loss on this order, so its risk cannot be measured.']);
    expect(r.allowed.maxSize).toBe(10);
  });

  it('converts quote sizes at the order price', () => {
    expect(run({ size: 50, sizeUnit: 'quote', stopLoss: null }).decision).toBe('warn');
    expect(texts(run({ size: 1_500, sizeUnit: 'quote', stopLoss: null }))).toContain('block: Margin $150.00 is above the per-trade cap of $100.00.');
  });
});

describe('validate: leverage cap', () => {
  it('blocks above the mode cap', () => {
    const r = run({ leverage: 25 });
    expect(r.decision).toBe('block');
    expect(texts(r)).toEqual(['block: Leverage 25x is above the leverage mode cap of 20x.']);
    expect(r.allowed.maxLeverage).toBe(20);
  });
  it('lowers the cap for a losing streak, high volatility, the risk level and the exchange', () => {
    expect(texts(run({}, {}, withSummary({ losingStreak: 5 })))).toEqual(['block: Leverage 10x is above the losing-streak cap of 5x.']);
    expect(texts(run({}, { atrPct: 5 }))).toEqual(['block: Leverage 10x is above the high-volatility cap of 3x.']);
    expect(texts(run({ leverage: 12 }, {}, withSummary({ riskScore: 45 })))).toEqual(['block: Leverage 12x is above the risk-level cap of 10x.']);
    expect(texts(run({}, { instrument: instrument({ maxLeverage: 8 }) }))).toEqual(["block: Leverage 10x is above the exchange's cap of 8x."]);
  });
  it('switches mode by risk score in auto mode, and obeys a fixed mode', () => {
    expect(leverageCap(85, 0, null, null, S)).toEqual({ cap: 5, source: 'risk_level' });
    expect(leverageCap(96, 0, null, null, settings({ leverage: { riskLevels: { CRITICAL: { maxLeverage: 8 }, HIGH: { maxLeverage: 8 } } } }))).toEqual({ cap: 5, source: 'mode' });
    expect(leverageCap(0, 0, null, null, settings({ leverage: { mode: 'conservative' } }))).toEqual({ cap: 10, source: 'mode' });
  });
  it("takes the position's leverage when the order shows none, else checks at the cap and says so", () => {
    const p = position({ leverage: 25, notional: 100 });
    expect(texts(run({ leverage: null }, { view: view({ positions: [p] }) }))).toContain('block: Leverage 25x is above the leverage mode cap of 20x.');
    expect(texts(run({ leverage: null }))).toEqual(['warn: The order does not show its leverage; checked at 20x.']);
  });
});

describe('validate: size, exposure and stop', () => {
  it('caps the position margin at the strategy risk per trade', () => {
    const r = run({ size: 15, stopLoss: null });
    expect(texts(r)).toEqual(['block: Margin $150.00 is above the per-trade cap of $100.00.', 'warn: No stop loss on this order, so its risk cannot be measured.']);
    expect(r.allowed.maxSize).toBe(10);
  });

  it('checks projected exposure of the position after the order', () => {
    const eth = position({ symbol: 'ETHUSDT', notional: 4_800, size: 48 });
    expect(texts(run({ size: 1, stopLoss: null }, { view: view({ positions: [eth] }) }))).toEqual([
      'warn: After this order total exposure would be 49% of equity, warning at 30%.',
      'warn: No stop loss on this order, so its risk cannot be measured.',
    ]);
    const r = run({ size: 3, stopLoss: null }, { view: view({ positions: [eth] }) });
    expect(texts(r)[0]).toBe('block: After this order total exposure would be 51% of equity, limit 50%.');
    expect(r.allowed.maxSize).toBe(2);
  });

  it('lets an order that reduces pass, and checks the part of a flip that opens', () => {
    const short = position({ side: 'short', size: -20, notional: 2_000 });
    const close = run({ size: 20, stopLoss: null }, { view: view({ positions: [short] }) });
    expect(close).toMatchObject({ decision: 'allow', increasesRisk: false, reasons: [] });
    const flip = run({ size: 35, stopLoss: null }, { view: view({ positions: [short] }) });
    // After: long 15 -> margin $150 at 10x, over the $100 cap; the largest order is 20 (close) + 10 (new long).
    expect(flip.increasesRisk).toBe(true);
    expect(texts(flip)[0]).toBe('block: Margin $150.00 is above the per-trade cap of $100.00.');
    expect(flip.allowed.maxSize).toBe(30);
  });

  it('counts correlated positions together against the symbol limit', () => {
    const grouped = settings({ account: { correlationGroups: [['BTC', 'ETH']] } });
    const eth = position({ symbol: 'ETHUSDT', notional: 2_000, size: 20 });
    const r = run({ size: 6, stopLoss: null }, { view: view({ positions: [eth] }) }, initialRiskState(), grouped);
    expect(texts(r)).toContain('block: After this order BTC+ETH exposure would be 26% of equity, limit 25%.');
    expect(r.allowed.maxSize).toBe(5);
  });

  it('checks the loss at the stop against the risk budget and the strategy stop', () => {
    const r = run({ size: 1, stopLoss: 90 });
    expect(texts(r)).toEqual(["block: Loss at the stop would be $10.00, the strategy's stop loss is $5.00."]);
    expect(r.allowed.maxSize).toBe(0.5);
    const wide = run({ size: 9, stopLoss: 80 }, { strategy: strategy({ stopLossUsd: 1_000 }) });
    expect(texts(wide)).toEqual(['block: Loss at the stop would be $180.00, risk per trade allows $100.00.']);
  });

  it('blocks an order below the exchange minimum notional', () => {
    expect(texts(run({ size: 0.01 }))).toEqual(['block: Order value $1.00 is below the exchange minimum $5.00.']);
  });
});

describe('validate: gates', () => {
  it('blocks opening in HALTED and REDUCING, but exits and reduce-only orders pass', () => {
    expect(texts(run({}, {}, halted()))).toEqual(['block: Account main (binance) is halted: only exits and cancels pass.']);
    const reducing = withScope({ kind: 'symbol', venue: 'binance', accountId: 'main', symbol: 'BTCUSDT' }, 'binance:main:BTCUSDT', { trading: 'REDUCING' });
    expect(texts(run({}, {}, reducing))).toEqual(['block: BTCUSDT on account main is reducing: only reduce-only orders pass.']);
    const long = position({ size: 2, notional: 200 });
    expect(run({ side: 'sell', size: 2, reduceOnly: true }, { view: view({ positions: [long] }) }, halted())).toMatchObject({ decision: 'allow', increasesRisk: false });
    expect(run({ side: 'sell', size: 1 }, { view: view({ positions: [long] }) }, halted()).decision).toBe('allow');
    expect(run({}, {}, halted()).allowed.maxSize).toBe(0);
  });

  it('blocks during a cooling-off and limits size on probation', () => {
    const open = withScope(ACCOUNT, 'binance:main', { trading: 'HALTED', breaker: { state: 'OPEN', since: NOW, until: NOW + 30 * MIN, lastBreachAt: NOW, reason: null } });
    expect(texts(run({}, {}, open))).toEqual(['block: Account main (binance) is cooling off until 2026-03-10 12:30 UTC.']);
    const probe = withScope(ACCOUNT, 'binance:main', { breaker: { state: 'HALF_OPEN', since: NOW, until: null, lastBreachAt: NOW - 30 * MIN, reason: null } });
    const r = run({ size: 6, stopLoss: null }, {}, probe);
    expect(texts(r)).toEqual([
      'warn: Account main (binance) is on probation: new orders are limited to 50% of the normal size.',
      'block: Margin $60.00 is above the per-trade cap of $50.00.',
      'warn: No stop loss on this order, so its risk cannot be measured.',
    ]);
    expect(r.allowed.maxSize).toBe(5);
  });

  it('blocks a killed or disabled strategy and a balance under the minimum', () => {
    expect(texts(run({}, { strategy: strategy({ killed: true }) }))).toEqual(['block: Strategy manual is killed until someone resets it.']);
    expect(texts(run({}, { strategy: strategy({ enabled: false }) }))).toEqual(['block: Strategy manual is disabled.']);
    expect(texts(run({}, { view: view({ account: account({ walletBalance: 5, equity: 5 }) }) }))).toContain('block: Balance $5.00 is below the minimum $10.00 needed to open.');
  });

  it('blocks a duplicate within 5 seconds and too many orders per minute', () => {
    const dup = run({}, { recentOrders: [{ symbol: 'BTCUSDT', side: 'buy', size: 0.5, time: NOW - 2_000 }] });
    expect(texts(dup)).toEqual(['block: The same order was sent 2 seconds ago (window 5 seconds).']);
    expect(run({}, { recentOrders: [{ symbol: 'BTCUSDT', side: 'buy', size: 0.6, time: NOW - 2_000 }] }).decision).toBe('allow');
    expect(run({}, { recentOrders: [{ symbol: 'BTCUSDT', side: 'buy', size: 0.5, time: NOW - 6_000 }] }).decision).toBe('allow');
    const burst = Array.from({ length: 6 }, (_, i) => ({ symbol: `S${i}`, side: 'buy' as const, size: 1, time: NOW - i * 5_000 }));
    expect(texts(run({}, { recentOrders: burst }))).toEqual(['block: 6 orders in the last minute, limit 6.']);
  });

  it('warns about a larger re-entry soon after a loss', () => {
    const st = initialRiskState();
    st.accounts['binance:main'] = { at: NOW, riskScore: 0, losingStreak: 1, lastLoss: { time: NOW - 4 * MIN, symbol: 'ETHUSDT', notional: 20 } };
    expect(texts(run({ size: 0.6 }, {}, st))).toEqual(['warn: BTCUSDT: this order comes 4 minutes after a loss, at 3x its size.']);
    expect(run({ size: 0.2 }, {}, st).decision).toBe('allow');
    expect(run({ size: 0.6 }, {}, st, S).decision).toBe('warn');
    st.accounts['binance:main'] = { ...st.accounts['binance:main']!, lastLoss: { time: NOW - 20 * MIN, symbol: 'ETHUSDT', notional: 20 } };
    expect(run({ size: 0.6 }, {}, st).decision).toBe('allow');
  });

  it('blocks a new position beyond the count limit but not an add to an existing one', () => {
    const ten = Array.from({ length: 10 }, (_, i) => position({ symbol: i === 0 ? 'BTCUSDT' : `C${i}USDT`, notional: 10, size: 0.1 }));
    expect(texts(run({ symbol: 'NEWUSDT' }, { view: view({ positions: ten }) }))).toContain('block: 10 positions open, limit 10.');
    expect(run({}, { view: view({ positions: ten }) }).decision).toBe('allow');
  });

  it('says so when there is no price, and blocks against zero equity', () => {
    const r = run({ type: 'market', price: null }, { markPrice: null });
    expect(texts(r)).toEqual(['block: BTCUSDT: no price to value this order, so it cannot be checked.']);
    expect(r.allowed).toMatchObject({ maxSize: 0, maxNotional: 0 });
    expect(run({ type: 'market', price: null }, { markPrice: 100 }).decision).toBe('allow');
    expect(texts(run({}, { view: view({ account: account({ equity: 0 }) }) }))).toEqual(['block: Equity is $0.00: nothing can be sized against it.']);
    // A quote-sized order without a price could be any size: it is not taken for an exit.
    const long = position({ size: 2, notional: 200 });
    const quote = { type: 'market' as const, price: null, sizeUnit: 'quote' as const, side: 'sell' as const, size: 100 };
    expect(run(quote, { markPrice: null, view: view({ positions: [long] }) }, halted()).decision).toBe('block');
    expect(run({ ...quote, reduceOnly: true }, { markPrice: null, view: view({ positions: [long] }) }, halted()).decision).toBe('allow');
  });

  it('in hedge mode, a sell closes the long side and opens the short side', () => {
    const long = position({ side: 'long', hedged: true, size: 1, notional: 100 });
    expect(run({ side: 'sell', positionSide: 'long', size: 1 }, { view: view({ positions: [long] }) }, halted()).increasesRisk).toBe(false);
    const opening = run({ side: 'sell', positionSide: 'short', size: 1, stopLoss: 101 }, { view: view({ positions: [long] }) }, halted());
    expect(opening).toMatchObject({ decision: 'block', increasesRisk: true });
  });
});

// ---- Properties ----

const arbPosition = fc.record({ side: fc.constantFrom('long' as const, 'short' as const), size: fc.double({ min: 0.01, max: 50, noNaN: true }), lev: fc.integer({ min: 1, max: 50 }) });
const arbIntent = fc.record({
  side: fc.constantFrom('buy' as const, 'sell' as const),
  size: fc.double({ min: 0.001, max: 100, noNaN: true }),
  leverage: fc.option(fc.integer({ min: 1, max: 125 })),
  reduceOnly: fc.boolean(),
  stopLoss: fc.option(fc.double({ min: 50, max: 150, noNaN: true })),
});

function book(ps: { side: 'long' | 'short'; size: number; lev: number }[]): Position[] {
  // One-way mode: at most one position per symbol; extra ones go on other symbols.
  return ps.map((p, i) => position({ symbol: i === 0 ? 'BTCUSDT' : `X${i}USDT`, side: p.side, size: p.side === 'long' ? p.size : -p.size, leverage: p.lev, notional: p.size * 100 }));
}

describe('validate properties', () => {
  it('never allows leverage above the cap in force', () => {
    fc.assert(
      fc.property(
        arbIntent,
        fc.option(fc.integer({ min: -2, max: 3 })),
        fc.array(arbPosition, { maxLength: 3 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.integer({ min: 0, max: 10 }),
        fc.option(fc.double({ min: 0, max: 10, noNaN: true })),
        (i, nearCap, ps, score, streak, atr) => {
          const positions = book(ps);
          const { cap } = leverageCap(score, streak, atr, instrument(), S);
          // Half the cases sit right around the cap, where an off-by-one would hide.
          const leverage = nearCap === null ? i.leverage : Math.max(1, cap + nearCap);
          const order = intent({ ...i, leverage, size: nearCap === null ? i.size : 0.1 });
          const r = validate(order, snapshot({ view: view({ positions }), atrPct: atr }), withSummary({ riskScore: score, losingStreak: streak }), S, NOW);
          expect(r.allowed.maxLeverage).toBe(cap);
          if (r.increasesRisk && r.decision !== 'block') {
            const used = order.leverage ?? positions.find((p) => p.symbol === 'BTCUSDT')?.leverage ?? cap;
            expect(used).toBeLessThanOrEqual(cap);
          }
        },
      ),
    );
  }, 30_000);

  it('HALTED never allows a risk-increasing order (checked against the position before and after)', () => {
    const scopes: [GateScope, string][] = [
      [ACCOUNT, 'binance:main'],
      [{ kind: 'symbol', venue: 'binance', accountId: 'main', symbol: 'BTCUSDT' }, 'binance:main:BTCUSDT'],
      [{ kind: 'strategy', strategyId: 'manual' }, 'strategy:manual'],
    ];
    fc.assert(
      fc.property(arbIntent, fc.option(arbPosition), fc.constantFrom(0, 1, 2), (i, p, which) => {
        const [scope, key] = scopes[which]!;
        const positions = p ? book([p]) : [];
        const r = validate(intent(i), snapshot({ view: view({ positions }) }), withScope(scope, key, { trading: 'HALTED' }), S, NOW);
        const before = positions[0]?.size ?? 0;
        const after = i.reduceOnly ? (before * (i.side === 'buy' ? 1 : -1) < 0 ? Math.sign(before) * Math.max(0, Math.abs(before) - i.size) : before) : before + (i.side === 'buy' ? i.size : -i.size);
        if (Math.abs(after) > Math.abs(before) + 1e-12 || after * before < 0) expect(r.decision).toBe('block');
        else expect(r.decision).toBe('allow');
      }),
    );
  }, 30_000);
});
