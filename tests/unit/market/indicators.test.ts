import fc from 'fast-check';
import * as ti from 'technicalindicators';
import { describe, expect, it, vi } from 'vitest';
import type { Candle } from '../../../lib/domain/market';
import { toColumns } from '../../../lib/market/columns';
import { IndicatorSetStream, indicatorSeries } from '../../../lib/market/indicator-set';
import { adx, atr, bollinger, ema, linRegSlope, rsi, sma } from '../../../lib/market/indicators';
import { RollingWindow, SortedWindow } from '../../../lib/market/rolling';
import {
  AdxStream,
  AtrStream,
  BollingerStream,
  EmaStream,
  HistoricalVolatilityStream,
  LinRegSlopeStream,
  normalCdf,
  RsiStream,
  SmaStream,
  VarianceRatioStream,
} from '../../../lib/market/streaming';
import { expectSeriesClose } from './expect-series';
import { flat, randomWalk, rng } from './generate';

// Whole-series comparisons: generous time on a loaded CI machine (the speed targets live in bench/market.bench.ts).
vi.setConfig({ testTimeout: 60_000 });

const run = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));

function streams(candles: Candle[], p: number, k = 2) {
  const s = { sma: new SmaStream(p), ema: new EmaStream(p), rsi: new RsiStream(p), atr: new AtrStream(p), adx: new AdxStream(p) };
  const bb = new BollingerStream(p, k);
  const lr = p >= 2 ? new LinRegSlopeStream(p) : null;
  const out = { sma: [] as number[], ema: [] as number[], rsi: [] as number[], atr: [] as number[], adx: [] as number[], pdi: [] as number[], mdi: [] as number[] };
  const bands = { middle: [] as number[], upper: [] as number[], lower: [] as number[] };
  const slope: number[] = [];
  for (const c of candles) {
    out.sma.push(s.sma.update(c.close));
    out.ema.push(s.ema.update(c.close));
    out.rsi.push(s.rsi.update(c.close));
    out.atr.push(s.atr.update(c.high, c.low, c.close));
    out.adx.push(s.adx.update(c.high, c.low, c.close));
    out.pdi.push(s.adx.pdi);
    out.mdi.push(s.adx.mdi);
    bb.update(c.close);
    bands.middle.push(bb.middle);
    bands.upper.push(bb.upper);
    bands.lower.push(bb.lower);
    if (lr) slope.push(lr.update(c.close));
  }
  return { ...out, bands, slope };
}

describe('streaming indicators equal the technicalindicators batch', () => {
  it('on random walks of any length and period, warm-up included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 1e6 }), (n, p, seed) => {
        const candles = randomWalk(n, seed, { vol: 0.02 });
        const close = candles.map((c) => c.close);
        const s = streams(candles, p);
        expectSeriesClose(s.sma, sma(close, p), 1e-12, 'sma');
        expectSeriesClose(s.ema, ema(close, p), 1e-12, 'ema');
        expectSeriesClose(s.rsi, rsi(close, p), 1e-12, 'rsi');
        expectSeriesClose(s.atr, atr(candles, p), 1e-12, 'atr');
        const a = adx(candles, p);
        expectSeriesClose(s.adx, a.adx, 1e-10, 'adx');
        expectSeriesClose(s.pdi, a.pdi, 1e-10, 'pdi');
        expectSeriesClose(s.mdi, a.mdi, 1e-10, 'mdi');
        const b = bollinger(close, p, 2);
        expectSeriesClose(s.bands.middle, b.middle, 1e-10, 'bb.middle');
        expectSeriesClose(s.bands.upper, b.upper, 1e-10, 'bb.upper');
        expectSeriesClose(s.bands.lower, b.lower, 1e-10, 'bb.lower');
        expectSeriesClose(s.slope, linRegSlope(close, p), 1e-9, 'slope');
      }),
      { numRuns: 40, seed: 8 },
    );
  });

  it('warm-up lengths follow technicalindicators: SMA/EMA p-1, RSI/ATR p, ADX 2p-1', () => {
    const candles = randomWalk(100, 3);
    const s = streams(candles, 14);
    const firstFinite = (xs: number[]) => xs.findIndex((x) => Number.isFinite(x));
    expect(firstFinite(s.sma)).toBe(13);
    expect(firstFinite(s.ema)).toBe(13);
    expect(firstFinite(s.rsi)).toBe(14);
    expect(firstFinite(s.atr)).toBe(14);
    expect(firstFinite(s.adx)).toBe(27);
    expect(firstFinite(s.pdi)).toBe(27);
    expect(firstFinite(s.bands.middle)).toBe(13);
    expect(firstFinite(s.slope)).toBe(13);
    // The batch side says the same, independently.
    expect(ti.ADX.calculate({ period: 14, high: candles.map((c) => c.high), low: candles.map((c) => c.low), close: candles.map((c) => c.close) })).toHaveLength(100 - 27);
  });

  it('stays equal over a long series at a high price level (no drift in the sliding sums)', () => {
    const candles = randomWalk(20_000, 11, { start: 60_000, vol: 0.0005 });
    const close = candles.map((c) => c.close);
    const s = streams(candles, 20);
    const bb = bollinger(close, 20, 2);
    expect(expectSeriesClose(s.bands.upper, bb.upper, 1e-11, 'bb.upper')).toBe(20_000 - 19);
    expect(expectSeriesClose(s.bands.lower, bb.lower, 1e-11, 'bb.lower')).toBe(20_000 - 19);
    const lnClose = close.map(Math.log);
    const lr = new LinRegSlopeStream(20);
    const streamed = lnClose.map((x) => lr.update(x));
    // Slopes of ln-price are ~1e-5 per bar: compare absolutely at a scale well below that.
    const batch = linRegSlope(lnClose, 20);
    for (let i = 19; i < batch.length; i++) expect(Math.abs(streamed[i]! - batch[i]!)).toBeLessThan(1e-12);
    expect(expectSeriesClose(s.adx, adx(candles, 20).adx, 1e-9, 'adx')).toBe(20_000 - 39);
  });
});

describe('known values', () => {
  it('SMA and EMA of 1..6', () => {
    const s = new SmaStream(3);
    expect([1, 2, 3, 4, 5, 6].map((x) => s.update(x))).toEqual([NaN, NaN, 2, 3, 4, 5]);
    const e = new EmaStream(3);
    // Seed SMA(1,2,3) = 2, then alpha 0.5: 3, 4, 5.
    expect([1, 2, 3, 4, 5, 6].map((x) => e.update(x))).toEqual([NaN, NaN, 2, 3, 4, 5]);
  });

  it('regression slope of a line is its slope, independent of level', () => {
    const ys = run(50, (i) => 1000 + 3 * i);
    const batch = linRegSlope(ys, 10);
    const stream = new LinRegSlopeStream(10);
    const streamed = ys.map((y) => stream.update(y));
    for (let i = 9; i < 50; i++) {
      expect(batch[i]).toBeCloseTo(3, 12);
      expect(streamed[i]).toBeCloseTo(3, 9);
    }
    expect(Number.isNaN(batch[8]!)).toBe(true);
  });

  it('ATR of constant-range bars is that range', () => {
    const candles = run(40, (i) => ({ time: i, open: 100, high: 101, low: 99, close: 100, volume: 1 }));
    const a = new AtrStream(14);
    const values = candles.map((c) => a.update(c.high, c.low, c.close));
    expect(values[14]).toBe(2);
    expect(values[39]).toBe(2);
  });

  it('RSI is 100 without losses, 0 without gains (as technicalindicators)', () => {
    const up = new RsiStream(5);
    const down = new RsiStream(5);
    let u = 0;
    let d = 0;
    for (let i = 0; i < 10; i++) {
      u = up.update(100 + i);
      d = down.update(100 - i);
    }
    expect(u).toBe(100);
    expect(d).toBe(0);
    expect(rsi(run(10, (i) => 100 + i), 5)[9]).toBe(100);
  });
});

describe('edge cases', () => {
  it('empty input gives empty series; one candle gives only warm-up', () => {
    expect(sma([], 5)).toHaveLength(0);
    expect(adx([], 14).adx).toHaveLength(0);
    expect(atr([], 14)).toHaveLength(0);
    const one = randomWalk(1, 1);
    expect(Array.from(adx(one, 14).adx)).toEqual([NaN]);
    expect(Array.from(atr(one, 14))).toEqual([NaN]);
    expect(Array.from(rsi([5], 14))).toEqual([NaN]);
    expect(new AdxStream(14).update(1, 1, 1)).toBeNaN();
  });

  it('flat prices: technicalindicators ADX goes NaN, ours reads 0 (no trend) in batch and stream alike', () => {
    const candles = flat(60);
    const raw = ti.ADX.calculate({ period: 14, high: candles.map((c) => c.high), low: candles.map((c) => c.low), close: candles.map((c) => c.close) });
    expect(raw.length).toBeGreaterThan(0);
    expect(raw.every((r) => Number.isNaN(r.adx))).toBe(true);
    const batch = adx(candles, 14);
    const s = new AdxStream(14);
    const streamed = candles.map((c) => s.update(c.high, c.low, c.close));
    expect(expectSeriesClose(streamed, batch.adx, 0, 'flat adx')).toBe(60 - 27);
    expect(batch.adx[59]).toBe(0);
    expect(batch.pdi[59]).toBe(0);
    expect(Array.from(atr(candles, 14)).slice(14).every((x) => x === 0)).toBe(true);
    const b = new BollingerStream(20, 2);
    candles.forEach((c) => b.update(c.close));
    expect([b.lower, b.middle, b.upper]).toEqual([100, 100, 100]);
  });

  it('a flat start followed by movement: batch falls back and still equals the stream', () => {
    const candles = [...flat(40), ...randomWalk(100, 5)].map((c, i) => ({ ...c, time: i * 60_000 }));
    const batch = adx(candles, 14);
    const s = new AdxStream(14);
    const streamed = candles.map((c) => s.update(c.high, c.low, c.close));
    expect(expectSeriesClose(streamed, batch.adx, 0, 'adx')).toBe(140 - 27);
    expect(Array.from(batch.adx).slice(27).every(Number.isFinite)).toBe(true);
    expect(batch.adx[139]).toBeGreaterThan(0);
  });

  it('rejects a non-positive period', () => {
    expect(() => new SmaStream(0)).toThrow(/period/);
    expect(() => new LinRegSlopeStream(1)).toThrow(/period/);
    expect(() => linRegSlope([1, 2, 3], 1)).toThrow(/period/);
  });

  it('columns round-trip', () => {
    const c = toColumns(randomWalk(3, 2));
    expect(c.length).toBe(3);
    expect(c.close).toBeInstanceOf(Float64Array);
  });
});

describe('rolling windows', () => {
  it('SortedWindow percentile rank equals a brute-force mid-rank', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 20, noNaN: true })), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 30 }), (xs, size) => {
        const w = new SortedWindow(size);
        xs.forEach((x, i) => {
          // Both paths: push then rank, and the fused pushAndRank.
          const rank = i % 2 === 0 ? (w.push(x), w.percentileRank(x)) : w.pushAndRank(x);
          const win = xs.slice(Math.max(0, i - size + 1), i + 1);
          const below = win.filter((v) => v < x).length;
          const equal = win.filter((v) => v === x).length;
          expect(rank).toBeCloseTo((100 * (below + equal / 2)) / win.length, 10);
          const probe = xs[(i * 7) % xs.length]!;
          expect(w.percentileRank(probe)).toBeCloseTo((100 * (win.filter((v) => v < probe).length + win.filter((v) => v === probe).length / 2)) / win.length, 10);
        });
      }),
      { numRuns: 100, seed: 3 },
    );
  });

  it('RollingWindow mean and variance equal a direct computation', () => {
    const r = rng(9);
    const w = new RollingWindow(17);
    const xs: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const x = 50_000 + r() * 10;
      xs.push(x);
      w.push(x);
      const win = xs.slice(-17);
      const mean = win.reduce((a, b) => a + b, 0) / win.length;
      const v = win.reduce((a, b) => a + (b - mean) ** 2, 0) / win.length;
      expect(w.mean).toBeCloseTo(mean, 8);
      expect(Math.abs(w.variance - v)).toBeLessThan(1e-8);
    }
  });

  it('RollingWindow recovers full precision after huge values leave the window', () => {
    const w = new RollingWindow(10);
    const r = rng(4);
    for (let i = 0; i < 95; i++) w.push(1e9 + r() * 1e6);
    const small: number[] = [];
    for (let i = 0; i < 25; i++) {
      const x = 1 + r() * 1e-3;
      small.push(x);
      w.push(x);
    }
    const win = small.slice(-10);
    const mean = win.reduce((a, b) => a + b, 0) / 10;
    const v = win.reduce((a, b) => a + (b - mean) ** 2, 0) / 10;
    expect(w.mean).toBeCloseTo(mean, 12);
    // Variance ~1e-7: sums carried over from 1e9-scale values would be off by far more than this.
    expect(Math.abs(w.variance - v)).toBeLessThan(1e-15);
  });
});

describe('volatility and mean-reversion streams', () => {
  it('historical volatility is the sample SD of log returns over the period', () => {
    const closes = randomWalk(200, 4).map((c) => c.close);
    const hv = new HistoricalVolatilityStream(20);
    const out = closes.map((c) => hv.update(c));
    expect(out[19]).toBeNaN();
    for (const i of [20, 57, 199]) {
      const rets = run(20, (k) => Math.log(closes[i - 19 + k]! / closes[i - 20 + k]!));
      const m = rets.reduce((a, b) => a + b, 0) / 20;
      const sd = Math.sqrt(rets.reduce((a, b) => a + (b - m) ** 2, 0) / 19);
      expect(out[i]).toBeCloseTo(sd, 12);
    }
  });

  it('variance ratio equals a direct computation; alternating returns revert, trending returns do not', () => {
    const closes = randomWalk(300, 6).map((c) => c.close);
    const L = 60;
    const q = 4;
    const vr = new VarianceRatioStream(L, q);
    closes.forEach((c) => vr.update(c));
    const rets = run(299, (i) => Math.log(closes[i + 1]! / closes[i]!)).slice(-L);
    const mu = rets.reduce((a, b) => a + b, 0) / L;
    const var1 = rets.reduce((a, b) => a + (b - mu) ** 2, 0) / L;
    const qs = run(L - q + 1, (k) => rets.slice(k, k + q).reduce((a, b) => a + b, 0));
    const varq = qs.reduce((a, b) => a + (b - q * mu) ** 2, 0) / (q * qs.length);
    expect(vr.ratio).toBeCloseTo(varq / var1, 10);

    const zigzag = new VarianceRatioStream(100, 4);
    const persistent = new VarianceRatioStream(100, 4);
    const r = rng(2);
    let z = 100;
    let p = 100;
    let step = 0.01;
    for (let i = 0; i < 300; i++) {
      z *= Math.exp((i % 2 === 0 ? 1 : -1) * (0.01 + r() * 0.001));
      if (r() < 0.05) step = -step; // long runs in one direction
      p *= Math.exp(step + r() * 0.002);
      zigzag.update(z);
      persistent.update(p);
    }
    expect(zigzag.ratio).toBeLessThan(0.2);
    expect(zigzag.probability).toBeGreaterThan(0.99);
    expect(persistent.ratio).toBeGreaterThan(1.5);
    expect(persistent.probability).toBeLessThan(0.01);
  });

  it('variance ratio on a flat series is "no evidence" (0.5), not NaN', () => {
    const vr = new VarianceRatioStream(20, 4);
    let p = NaN;
    for (let i = 0; i < 30; i++) p = vr.update(100);
    expect(p).toBe(0.5);
  });

  it('normalCdf matches reference values to 1e-7 and is monotone', () => {
    // Reference values of the standard normal CDF (R: pnorm).
    const ref: [number, number][] = [
      [0, 0.5],
      [-1, 0.15865525393145707],
      [1.959963984540054, 0.975],
      [0.3, 0.6179114221889527],
      [-2.5, 0.0062096653257761],
      [-0.01, 0.4960106436853684],
      [3.7, 0.9998922002665226],
      [-6, 9.865876450376946e-10],
    ];
    for (const [z, p] of ref) expect(Math.abs(normalCdf(z) - p), `z=${z}`).toBeLessThan(1e-7);
    expect(normalCdf(-9)).toBe(0);
    expect(normalCdf(9)).toBe(1);
    expect(normalCdf(NaN)).toBeNaN();
    let prev = 0;
    for (let z = -8; z <= 8; z += 0.01) {
      const p = normalCdf(z);
      expect(p).toBeGreaterThanOrEqual(prev);
      prev = p;
    }
  });
});

describe('indicator set (periods from settings)', () => {
  it('the stream equals the batch series for every field, with non-default periods', () => {
    const settings = { indicators: { smaPeriod: 7, emaPeriod: 9, rsiPeriod: 6, atrPeriod: 10, adxPeriod: 8, bollingerPeriod: 12, bollingerStdDev: 1.5, slopePeriod: 5 } };
    const candles = randomWalk(300, 13, { vol: 0.02 });
    const batch = indicatorSeries(candles, settings);
    const stream = new IndicatorSetStream(settings);
    const snaps = candles.map((c) => stream.update(c));
    const fields = ['sma', 'ema', 'rsi', 'atr', 'adx', 'pdi', 'mdi', 'bbUpper', 'bbMiddle', 'bbLower', 'slope'] as const;
    const firstFinite: Record<string, number> = {};
    for (const f of fields) {
      expectSeriesClose(
        snaps.map((s) => s[f]),
        batch[f],
        1e-9,
        f,
      );
      firstFinite[f] = Array.from(batch[f]).findIndex(Number.isFinite);
    }
    expect(firstFinite).toEqual({ sma: 6, ema: 8, rsi: 6, atr: 10, adx: 15, pdi: 15, mdi: 15, bbUpper: 11, bbMiddle: 11, bbLower: 11, slope: 4 });
    expect(snaps[299]!.time).toBe(candles[299]!.time);
  });
});
