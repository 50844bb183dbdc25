import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Candle, Trade } from '../../../lib/domain/market';
import {
  nakedPocs,
  pointOfControl,
  profileBins,
  sessionProfiles,
  valueArea,
  volumeProfileFromCandles,
  volumeProfileFromTradeColumns,
  volumeProfileFromTrades,
} from '../../../lib/market/volume-profile';
import { flat, randomTrades, randomWalk, T0 } from './generate';

// Whole-series comparisons: generous time on a loaded CI machine (the speed targets live in bench/market.bench.ts).
vi.setConfig({ testTimeout: 60_000 });

const DAY = 86_400_000;
const candle = (time: number, low: number, high: number, volume: number): Candle => ({ time, open: low, high, low, close: high, volume });
const trade = (price: number, size: number, side: 'buy' | 'sell' = 'buy'): Trade => ({ time: T0, price, size, side });

describe('a known profile', () => {
  // Bins of width 1 from 100: volumes 1 2 3 5 9 [20] 8 4 2 1, total 55, 70% = 38.5.
  const volumes = [1, 2, 3, 5, 9, 20, 8, 4, 2, 1];
  const trades = volumes.map((v, i) => trade(100.25 + i, v, i % 2 === 0 ? 'buy' : 'sell'));

  it('POC, then the value area grown two bins at a time (CBOT): down pair 14 > up pair 12, then up 12 > down 5', () => {
    const p = volumeProfileFromTrades(trades, { binSize: 1 });
    expect(Array.from(p.volume)).toEqual(volumes);
    expect(p.total).toBe(55);
    expect(p.pocIndex).toBe(5);
    expect(p.poc).toBe(105.5);
    expect([p.vaLowIndex, p.vaHighIndex]).toEqual([3, 7]);
    expect(p.val).toBe(103);
    expect(p.vah).toBe(108);
    expect(p.valueAreaVolume).toBe(46);
    expect(Array.from(p.buyVolume!)).toEqual(volumes.map((v, i) => (i % 2 === 0 ? v : 0)));
  });

  it('value area share is configurable', () => {
    const p = volumeProfileFromTrades(trades, { binSize: 1, valueArea: 0.5 });
    // 20 + (9 + 5) = 34 >= 27.5 after one step.
    expect([p.vaLowIndex, p.vaHighIndex]).toEqual([3, 5]);
    const all = volumeProfileFromTrades(trades, { binSize: 1, valueArea: 1 });
    expect([all.vaLowIndex, all.vaHighIndex]).toEqual([0, 9]);
    expect(all.valueAreaVolume).toBe(55);
  });

  it('the columns path gives the same profile', () => {
    const p = volumeProfileFromTradeColumns(
      { price: trades.map((t) => t.price), size: trades.map((t) => t.size), buy: trades.map((t) => (t.side === 'buy' ? 1 : 0)) },
      { binSize: 1 },
    );
    const q = volumeProfileFromTrades(trades, { binSize: 1 });
    expect(p).toEqual(q);
  });

  it('from candles: a wide candle spreads evenly, a narrow one stacks on its bin', () => {
    // [100, 104] x 40 gives 10 per bin; [102, 103] x 30 adds to bin 2: 10 10 40 10. Target 49: down pair 20 > up 10.
    const p = volumeProfileFromCandles([candle(T0, 100, 104, 40), candle(T0 + 60_000, 102, 103, 30)], { binSize: 1 });
    expect(Array.from(p.volume)).toEqual([10, 10, 40, 10]);
    expect(p.poc).toBe(102.5);
    expect([p.val, p.vah]).toEqual([100, 103]);
  });

  it('partial bins get their share of the range', () => {
    const p = volumeProfileFromCandles([candle(T0, 100.5, 102.5, 4)], { binSize: 1 });
    expect(p.low).toBe(100);
    expect(Array.from(p.volume)).toEqual([1, 2, 1]);
  });

  it('POC ties go to the bin nearest the middle, then the lower', () => {
    expect(pointOfControl([5, 1, 1, 5, 1])).toBe(3);
    expect(pointOfControl([1, 5, 5, 1])).toBe(1);
    expect(pointOfControl([0, 0])).toBe(-1);
    // Equal pairs on both sides are both taken.
    expect(valueArea([1, 1, 4, 1, 1], 2, 0.7)).toEqual([0, 4, 8]);
  });

  it('profileBins lists rows with their value-area flag', () => {
    const rows = profileBins(volumeProfileFromTrades(trades, { binSize: 1 }));
    expect(rows).toHaveLength(10);
    expect(rows[5]).toMatchObject({ price: 105.5, low: 105, high: 106, volume: 20, inValueArea: true });
    expect(rows.filter((r) => r.inValueArea).map((r) => r.low)).toEqual([103, 104, 105, 106, 107]);
  });
});

describe('profile invariants', () => {
  it('volume is conserved, the POC is a maximum, the value area holds the share and contains the POC', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (n, seed, bins, share) => {
          const candles = randomWalk(n, seed);
          const p = volumeProfileFromCandles(candles, { bins, valueArea: share });
          const total = candles.reduce((a, c) => a + c.volume, 0);
          expect(p.total).toBeCloseTo(total, 6);
          expect(p.volume.length).toBe(bins);
          const max = Math.max(...p.volume);
          expect(p.volume[p.pocIndex]).toBe(max);
          expect(p.vaLowIndex).toBeLessThanOrEqual(p.pocIndex);
          expect(p.vaHighIndex).toBeGreaterThanOrEqual(p.pocIndex);
          expect(p.valueAreaVolume).toBeGreaterThanOrEqual(share * p.total * (1 - 1e-12));
          const t = volumeProfileFromTrades(randomTrades(n, seed), { bins, valueArea: share });
          expect(t.valueAreaVolume).toBeGreaterThanOrEqual(share * t.total * (1 - 1e-12));
        },
      ),
      { numRuns: 80, seed: 17 },
    );
  });

  it('tick-aligned prices with a one-tick bin land in their own bin despite floating point', () => {
    // 1666.8 / 0.01 = 166679.99999999997: a plain floor would put it in 1666.79's bin.
    const p = volumeProfileFromTrades([trade(1666.79, 1), trade(1666.8, 2), trade(1666.81, 3), trade(1666.8, 4)], { binSize: 0.01 });
    expect(Array.from(p.volume)).toEqual([1, 6, 3]);
    expect(p.poc).toBeCloseTo(1666.805, 9);
    const c = volumeProfileFromCandles([candle(T0, 0.3, 0.3, 5), candle(T0 + 1, 0.1, 0.3, 2)], { binSize: 0.1 });
    // The flat candle at 0.3 sits in [0.3, 0.4); the other spreads over [0.1, 0.3).
    expect(Array.from(c.volume).map((v) => Number(v.toFixed(9)))).toEqual([1, 1, 5]);
  });

  it('trades land in the bin of their price (brute-force count)', () => {
    const trades = randomTrades(5000, 3);
    const p = volumeProfileFromTrades(trades, { binSize: 0.5 });
    const expected = new Map<number, number>();
    for (const t of trades) {
      const b = Math.floor(t.price / 0.5) - Math.floor(p.low / 0.5);
      expected.set(b, (expected.get(b) ?? 0) + t.size);
    }
    for (const [b, v] of expected) expect(p.volume[b]).toBeCloseTo(v, 9);
    expect(p.low % 0.5).toBe(0);
  });
});

describe('edge cases', () => {
  it('no candles, no trades: empty profile with NaN levels', () => {
    for (const p of [volumeProfileFromCandles([]), volumeProfileFromTrades([])]) {
      expect(p.total).toBe(0);
      expect(p.pocIndex).toBe(-1);
      expect(p.poc).toBeNaN();
      expect(p.vah).toBeNaN();
      expect(profileBins(p)).toEqual([]);
    }
  });

  it('one flat candle: the POC is its price', () => {
    const p = volumeProfileFromCandles(flat(1, 123.45));
    expect(p.volume.length).toBe(1);
    expect(p.poc).toBeCloseTo(123.45, 9);
    expect(p.total).toBe(5);
  });

  it('zero volume: bins but no POC', () => {
    const p = volumeProfileFromCandles(flat(10, 100, 0).map((c, i) => ({ ...c, high: 101 + i })));
    expect(p.total).toBe(0);
    expect(p.poc).toBeNaN();
  });

  it('rejects nonsense bin settings', () => {
    expect(() => volumeProfileFromCandles(flat(2), { binSize: 0 })).toThrow(/binSize/);
    expect(() => volumeProfileFromCandles(randomWalk(5, 1), { binSize: 1e-12 })).toThrow(/bins/);
    expect(() => volumeProfileFromCandles(flat(2), { bins: 0 })).toThrow(/bins/);
    expect(() => volumeProfileFromCandles(flat(2), { valueArea: 0 })).toThrow(/valueArea/);
  });
});

describe('sessions and naked POCs', () => {
  const day = (d: number, lo: number, hi: number, n = 10, vol = 10) =>
    Array.from({ length: n }, (_, i) => candle(T0 + d * DAY + i * 3_600_000, lo, hi, vol));

  it('one profile per UTC day on a common grid; POCs that nothing revisited stay naked', () => {
    const candles = [...day(0, 100.2, 100.8), ...day(1, 110.2, 110.8), ...day(2, 105, 111), ...day(3, 104, 108)];
    const sessions = sessionProfiles(candles, { binSize: 1 });
    expect(sessions.map((s) => s.sessionStart)).toEqual([0, 1, 2, 3].map((d) => T0 + d * DAY));
    // Flat-topped profiles: the tie goes to the bin nearest the middle, then the lower one.
    expect(sessions.map((s) => s.profile.poc)).toEqual([100.5, 110.5, 107.5, 105.5]);
    expect(sessions[1]!.first).toBe(10);
    expect(sessions[1]!.last).toBe(19);
    // Day 2 traded through 110.5; day 2's own POC (107.5) was revisited on day 3; day 3 is still forming.
    expect(nakedPocs(candles, sessions)).toEqual([{ sessionStart: T0, price: 100.5, volume: 100 }]);
  });

  it('a touch exactly at the POC price counts; untouched ones are listed oldest first', () => {
    const candles = [...day(0, 100.2, 100.8), ...day(1, 120.2, 120.8), ...day(2, 130.2, 130.8), ...day(3, 120.5, 125)];
    const sessions = sessionProfiles(candles, { binSize: 1 });
    expect(nakedPocs(candles, sessions).map((p) => p.price)).toEqual([100.5, 130.5]);
  });

  it('session offset moves the boundary', () => {
    const candles = day(0, 100, 101, 24);
    expect(sessionProfiles(candles, { binSize: 1 })).toHaveLength(1);
    const shifted = sessionProfiles(candles, { binSize: 1, sessionOffsetMs: 6 * 3_600_000 });
    expect(shifted.map((s) => s.last - s.first + 1)).toEqual([6, 18]);
    expect(shifted[1]!.sessionStart).toBe(T0 + 6 * 3_600_000);
  });

  it('no candles or a single session: no naked POCs', () => {
    expect(sessionProfiles([])).toEqual([]);
    const one = day(0, 100, 101);
    expect(nakedPocs(one, sessionProfiles(one))).toEqual([]);
  });
});
