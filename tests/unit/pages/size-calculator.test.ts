import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floorToStep, positionSize, sizeInCoins } from '@/lib/pages/size-calculator';

const base = { riskUsd: 100, entry: 100_000, stop: 99_000, lotStep: 0.001, minNotional: 100 };

describe('positionSize', () => {
  it('long: risk / stop distance, rounded down to the lot step', () => {
    expect(positionSize(base)).toEqual({ size: 0.1, notional: 10_000, riskAtStop: 100, direction: 'long', reason: null });
  });

  it('short when the stop is above the entry', () => {
    const r = positionSize({ ...base, entry: 3_000, stop: 3_070, riskUsd: 50, lotStep: 0.01 });
    expect(r).toMatchObject({ size: 0.71, direction: 'short', reason: null });
    expect(r.notional).toBeCloseTo(2_130, 9);
    expect(r.riskAtStop).toBeCloseTo(49.7, 9);
  });

  it('rounds down, never up, so the risk stays inside the budget', () => {
    const r = positionSize({ ...base, riskUsd: 100, entry: 100, stop: 97, lotStep: 1, minNotional: 0 });
    expect(r).toMatchObject({ size: 33, notional: 3_300, riskAtStop: 99 });
  });

  it('keeps an exact multiple of the step despite binary floats', () => {
    // 0.3 / 0.1 is 2.9999999999999996 in floats.
    expect(positionSize({ riskUsd: 0.3, entry: 2, stop: 1, lotStep: 0.1, minNotional: 0 }).size).toBe(0.3);
    expect(floorToStep(0.7, 0.1)).toBe(0.7);
    expect(floorToStep(1.23456789, 0.00001)).toBe(1.23456);
    expect(floorToStep(5e-7, 1e-7)).toBe(5e-7);
    expect(floorToStep(12.9, 5)).toBe(10);
    expect(floorToStep(1.234, 0)).toBe(1.234);
  });

  it('without a lot step returns the raw size', () => {
    expect(positionSize({ ...base, lotStep: 0, minNotional: 0, riskUsd: 1, stop: 97_000 }).size).toBeCloseTo(1 / 3_000, 15);
  });

  it.each([
    ['zero risk', { riskUsd: 0 }, 'zero-risk', null],
    ['entry == stop', { stop: 100_000 }, 'entry-equals-stop', null],
    ['less than one lot', { riskUsd: 0.5 }, 'below-lot-step', 'long'],
    ['below the minimum notional', { riskUsd: 1, minNotional: 150 }, 'below-min-notional', 'long'],
    ['negative risk', { riskUsd: -5 }, 'invalid-input', null],
    ['zero entry', { entry: 0 }, 'invalid-input', null],
    ['negative stop', { stop: -1 }, 'invalid-input', null],
    ['zero stop', { stop: 0 }, 'invalid-input', null],
    ['NaN risk', { riskUsd: Number.NaN }, 'invalid-input', null],
    ['infinite entry', { entry: Number.POSITIVE_INFINITY }, 'invalid-input', null],
    ['negative lot step', { lotStep: -0.001 }, 'invalid-input', null],
    ['negative min notional', { minNotional: -1 }, 'invalid-input', null],
  ] as const)('%s -> size 0 (%s)', (_name, patch, reason, direction) => {
    expect(positionSize({ ...base, ...patch })).toEqual({ size: 0, notional: 0, riskAtStop: 0, direction, reason });
  });

  it('a size exactly at the minimum notional passes', () => {
    // 0.001 BTC at 100,000 is exactly 100 USDT.
    expect(positionSize({ ...base, riskUsd: 1, stop: 99_000, minNotional: 100 })).toMatchObject({ size: 0.001, notional: 100, reason: null });
  });

  it('property: never risks more than the budget, a multiple of the step, and one more lot would exceed it', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 100_000, noNaN: true }),
        fc.double({ min: 1, max: 200_000, noNaN: true }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        fc.constantFrom(1, 0.1, 0.01, 0.001, 0.0001),
        (riskUsd, entry, stopFrac, lotStep) => {
          const stop = entry * (1 - stopFrac);
          const r = positionSize({ riskUsd, entry, stop, lotStep, minNotional: 0 });
          const dist = entry - stop;
          if (dist <= 0) return;
          if (r.reason !== null) {
            expect(r.reason).toBe('below-lot-step');
            expect(lotStep * dist).toBeGreaterThan(riskUsd * (1 - 1e-9));
            return;
          }
          expect(r.size * dist).toBeLessThanOrEqual(riskUsd * (1 + 1e-9));
          expect((r.size + lotStep) * dist).toBeGreaterThan(riskUsd * (1 - 1e-9));
          const lots = r.size / lotStep;
          expect(Math.abs(lots - Math.round(lots))).toBeLessThan(1e-9 * Math.max(1, lots));
        },
      ),
      { seed: 6, numRuns: 500 },
    );
  });
});

describe('sizeInCoins', () => {
  it('passes a coin size through', () => {
    expect(sizeInCoins({ size: 0.25, sizeUnit: 'base', price: null }, null)).toBe(0.25);
  });

  it('divides a USDT size by the limit price, or by the reference price for a market order', () => {
    expect(sizeInCoins({ size: 250.5, sizeUnit: 'quote', price: 180.25 }, 999)).toBeCloseTo(250.5 / 180.25, 12);
    expect(sizeInCoins({ size: 1500, sizeUnit: 'quote', price: null }, 25_000)).toBe(0.06);
  });

  it('is null when the size, its unit or a price is missing', () => {
    expect(sizeInCoins({ size: null, sizeUnit: 'base', price: 1 }, 1)).toBeNull();
    expect(sizeInCoins({ size: 1, sizeUnit: null, price: 1 }, 1)).toBeNull();
    expect(sizeInCoins({ size: 1500, sizeUnit: 'quote', price: null }, null)).toBeNull();
    expect(sizeInCoins({ size: 1500, sizeUnit: 'quote', price: null }, 0)).toBeNull();
    expect(sizeInCoins({ size: -1, sizeUnit: 'base', price: null }, null)).toBeNull();
  });
});
