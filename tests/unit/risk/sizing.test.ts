import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../lib/domain/market';
import { formatReason } from '../../../lib/risk/format';
import {
  atrPercent,
  balanceFactor,
  fixedFractionalSize,
  halfKelly,
  kellyInputFromPnls,
  positionSize,
  roundDownToStep,
  roundToTick,
  volatilityFactor,
  type PositionSizeInput,
} from '../../../lib/risk/sizing';
import { instrument, position, settings } from './fixtures';

const S = settings();
const base: PositionSizeInput = {
  symbol: 'BTCUSDT',
  side: 'long',
  equity: 10_000,
  walletBalance: 10_000,
  entry: 100,
  stop: null,
  leverage: 10,
  riskScore: 0,
  atrPct: null,
  riskPerTradePct: 1,
  kelly: null,
  instrument: instrument(),
  positions: [],
};

describe('fixed fractional', () => {
  it('sizes risk $ over the stop distance, long and short', () => {
    expect(fixedFractionalSize({ equity: 10_000, riskPct: 1, entry: 100, stop: 98, side: 'long' })).toEqual({ size: 50, reason: null });
    expect(fixedFractionalSize({ equity: 10_000, riskPct: 1, entry: 100, stop: 104, side: 'short' })).toEqual({ size: 25, reason: null });
  });
  it('gives 0 with a reason for degenerate inputs', () => {
    const z = fixedFractionalSize({ equity: 0, riskPct: 1, entry: 100, stop: 98 });
    expect(z.size).toBe(0);
    expect(formatReason(z.reason!)).toBe('Equity is $0.00: nothing can be sized against it.');
    expect(fixedFractionalSize({ equity: 10_000, riskPct: 1, entry: 100, stop: 100 }).reason).toEqual({ code: 'stop_equals_entry', price: 100 });
    expect(fixedFractionalSize({ equity: 10_000, riskPct: 1, entry: 100, stop: 101, side: 'long' }).reason?.code).toBe('stop_wrong_side');
    expect(fixedFractionalSize({ equity: 10_000, riskPct: 1, entry: Number.NaN, stop: 99 }).reason).toEqual({ code: 'invalid_sizing_input', field: 'entry' });
    expect(fixedFractionalSize({ equity: -5, riskPct: 1, entry: 100, stop: 99 }).size).toBe(0);
  });
});

describe('half-Kelly', () => {
  it('halves Kelly and shrinks it for the sample size', () => {
    // Kelly = 0.55 - 0.45 / 1.5 = 0.25; half = 0.125; shrink 100 / (100 + 50)
    expect(halfKelly({ winRate: 0.55, payoffRatio: 1.5, samples: 100 }, S).fraction).toBeCloseTo(0.125 * (100 / 150), 12);
  });
  it('is never used below the minimum sample, and is 0 without an edge', () => {
    const small = halfKelly({ winRate: 0.9, payoffRatio: 3, samples: 12 }, S);
    expect(small.fraction).toBe(0);
    expect(formatReason(small.reason!)).toBe('Only 12 trades on record; Kelly sizing needs 30, so it is not used.');
    expect(halfKelly({ winRate: 0.3, payoffRatio: 1, samples: 100 }, S)).toEqual({ fraction: 0, reason: { code: 'kelly_no_edge', kelly: expect.closeTo(-0.4, 12) } });
  });
  it('grows toward the half-Kelly with more samples and caps at maxFraction', () => {
    const f = (n: number) => halfKelly({ winRate: 0.6, payoffRatio: 2, samples: n }, S).fraction;
    expect(f(30)).toBeLessThan(f(300));
    expect(halfKelly({ winRate: 0.99, payoffRatio: 100, samples: 10_000 }, S).fraction).toBe(0.25);
  });
  it('reads win rate and payoff from trade PnLs', () => {
    expect(kellyInputFromPnls([10, -5, 20, -5, 0])).toEqual({ winRate: 0.5, payoffRatio: 3, samples: 4 });
    expect(kellyInputFromPnls([])).toEqual({ winRate: 0, payoffRatio: 0, samples: 0 });
  });
});

describe('factors', () => {
  it('volatility factor runs from 1.0 down to 0.3 between 1% and 5% ATR', () => {
    expect([null, 0.5, 1, 3, 5, 12].map((a) => volatilityFactor(a, S))).toEqual([1, 1, 1, expect.closeTo(0.65, 12), 0.3, 0.3]);
  });
  it('ATR % comes from technicalindicators over the candles', () => {
    const candles: Candle[] = Array.from({ length: 30 }, (_, i) => ({ time: i * 60_000, open: 100, high: 101, low: 99, close: 100, volume: 1 }));
    expect(atrPercent(candles, 14)).toBeCloseTo(2, 9);
    expect(atrPercent(candles.slice(0, 10), 14)).toBeNull();
  });
  it('balance factor is min(balance / $1000, 1), 0 for nothing', () => {
    expect([-1, 0, 500, 1000, 50_000].map((b) => balanceFactor(b, S))).toEqual([0, 0, 0.5, 1, 1]);
  });
  it('rounds to lot step and tick without float noise', () => {
    expect(roundDownToStep(0.12345, 0.001)).toBe(0.123);
    expect(roundDownToStep(0.3, 0.1)).toBe(0.3);
    expect(roundDownToStep(7, 5)).toBe(5);
    expect(roundDownToStep(-1, 0.1)).toBe(0);
    expect([roundToTick(100.07, 0.05, 'down'), roundToTick(100.07, 0.05, 'up'), roundToTick(100.07, 0.05)]).toEqual([100.05, 100.1, 100.05]);
  });
});

describe('positionSize', () => {
  it('sizes by the risk-level base % capped by the strategy risk per trade, as margin', () => {
    // min(2% MINIMAL, 1% strategy) of $10,000 = $100 margin x 10x / $100 = 10
    expect(positionSize(base, S)).toMatchObject({ size: 10, notional: 1_000, margin: 100, limitedBy: 'margin', reason: null });
    // Risk level HIGH (score 70): 0.25% base
    expect(positionSize({ ...base, riskScore: 70 }, S).size).toBe(2.5);
  });

  it('caps by the loss at the stop, long and short', () => {
    expect(positionSize({ ...base, leverage: 20, stop: 90 }, S)).toMatchObject({ size: 10, limitedBy: 'risk' });
    expect(positionSize({ ...base, side: 'short', leverage: 20, stop: 110 }, S)).toMatchObject({ size: 10, limitedBy: 'risk' });
  });

  it('applies the volatility and balance factors', () => {
    expect(positionSize({ ...base, atrPct: 3 }, S).size).toBe(6.5);
    expect(positionSize({ ...base, walletBalance: 500 }, S).size).toBe(5);
  });

  it('uses half-Kelly only with enough samples, and gives 0 without an edge', () => {
    const k = { winRate: 0.51, payoffRatio: 1, samples: 30 }; // half-Kelly 0.01 x 30/80 = 0.375%
    const r = positionSize({ ...base, leverage: 20, stop: 90, kelly: k }, S);
    expect(r).toMatchObject({ size: 3.75, limitedBy: 'risk' });
    expect(r.factors.kellyFraction).toBeCloseTo(0.00375, 12);
    expect(positionSize({ ...base, leverage: 20, stop: 90, kelly: { ...k, samples: 5 } }, S)).toMatchObject({ size: 10, factors: { kellyFraction: null } });
    expect(positionSize({ ...base, stop: 90, kelly: { winRate: 0.2, payoffRatio: 1, samples: 100 } }, S).reason?.code).toBe('kelly_no_edge');
  });

  it('counts correlated positions together against the symbol exposure cap', () => {
    const eth = position({ symbol: 'ETHUSDT', notional: 2_000 });
    expect(positionSize({ ...base, positions: [eth] }, S).size).toBe(10);
    const grouped = settings({ account: { correlationGroups: [['BTC', 'ETH']] } });
    expect(positionSize({ ...base, positions: [eth] }, grouped)).toMatchObject({ size: 5, limitedBy: 'symbol_exposure' });
  });

  it('counts both hedge legs and stops when exposure room is gone', () => {
    const legs = [position({ side: 'long', hedged: true, notional: 1_200 }), position({ side: 'short', size: -1, hedged: true, notional: 1_200 })];
    expect(positionSize({ ...base, side: 'short', positions: legs }, S)).toMatchObject({ size: 1, limitedBy: 'symbol_exposure' });
    const full = positionSize({ ...base, positions: [position({ symbol: 'SOLUSDT', notional: 5_000, marginMode: 'isolated' })] }, S);
    expect(full.size).toBe(0);
    expect(formatReason(full.reason!)).toBe('No exposure room left under the total exposure limit.');
  });

  it('puts entry and stop on the tick, the stop away from the entry', () => {
    const r = positionSize({ ...base, entry: 100.03, stop: 90.07, leverage: 20, instrument: instrument({ tickSize: 0.05 }) }, S);
    expect([r.entry, r.stop]).toEqual([100.05, 90.05]);
    expect(r.size).toBe(10); // $100 / (100.05 - 90.05); with the raw prices it would have been 10.02
    expect(positionSize({ ...base, entry: 0.01, instrument: instrument({ tickSize: 0.1 }) }, S).reason).toEqual({ code: 'invalid_sizing_input', field: 'entry' });
    const s = positionSize({ ...base, side: 'short', entry: 100, stop: 110.01, instrument: instrument({ tickSize: 0.5 }) }, S);
    expect(s.stop).toBe(110.5);
  });

  it('respects lot step and minimum notional', () => {
    expect(positionSize({ ...base, atrPct: 2.3 }, S).size).toBe(7.725);
    const lot = positionSize({ ...base, instrument: instrument({ lotStep: 100 }) }, S);
    expect(lot).toMatchObject({ size: 0, reason: { code: 'below_lot_step', lotStep: 100 } });
    const min = positionSize({ ...base, instrument: instrument({ minNotional: 5_000 }) }, S);
    expect(min.size).toBe(0);
    expect(formatReason(min.reason!)).toBe('Order value $1,000.00 is below the exchange minimum $5,000.00.');
  });

  it('gives 0 with a reason for zero equity and a stop equal to the entry', () => {
    expect(positionSize({ ...base, equity: 0 }, S)).toMatchObject({ size: 0, reason: { code: 'equity_unusable', equity: 0 } });
    expect(positionSize({ ...base, stop: 100 }, S)).toMatchObject({ size: 0, reason: { code: 'stop_equals_entry', price: 100 } });
    expect(positionSize({ ...base, walletBalance: 0 }, S).size).toBe(0);
  });

  it('never grows when volatility grows (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          equity: fc.double({ min: 0, max: 1e6, noNaN: true }),
          walletBalance: fc.double({ min: 0, max: 1e6, noNaN: true }),
          entry: fc.double({ min: 0.01, max: 1e5, noNaN: true }),
          stopDist: fc.option(fc.double({ min: 0.001, max: 0.5, noNaN: true })),
          leverage: fc.integer({ min: 1, max: 50 }),
          riskScore: fc.double({ min: 0, max: 100, noNaN: true }),
          atr: fc.double({ min: 0, max: 10, noNaN: true }),
          bump: fc.double({ min: 0, max: 10, noNaN: true }),
          lot: fc.constantFrom(0.001, 0.01, 1),
        }),
        (r) => {
          const input: PositionSizeInput = {
            ...base,
            equity: r.equity,
            walletBalance: r.walletBalance,
            entry: r.entry,
            stop: r.stopDist === null ? null : r.entry * (1 - r.stopDist),
            leverage: r.leverage,
            riskScore: r.riskScore,
            atrPct: r.atr,
            instrument: instrument({ lotStep: r.lot }),
          };
          const calm = positionSize(input, S).size;
          const wild = positionSize({ ...input, atrPct: r.atr + r.bump }, S).size;
          expect(wild).toBeLessThanOrEqual(calm);
          expect(Number.isFinite(calm) && calm >= 0).toBe(true);
        },
      ),
    );
  }, 30_000);
});
