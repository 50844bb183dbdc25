import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../lib/domain/market';
import { correlationMatrix, correlationOf } from '../../../lib/market/correlation';
import { flat, MINUTE, randomWalk, rng } from './generate';

const withClose = (cs: Candle[], f: (c: number) => number): Candle[] =>
  cs.map((c) => ({ ...c, open: f(c.open), high: f(c.high), low: f(c.low), close: f(c.close) }));

function pearson(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('correlation matrix', () => {
  const a = randomWalk(500, 1);

  it('a scaled copy is +1, an inverse is -1, an independent walk is near 0; the matrix is symmetric', () => {
    const m = correlationMatrix({ A: a, B: withClose(a, (p) => 2 * p), C: withClose(a, (p) => 1 / p), D: randomWalk(500, 99) });
    expect(m.symbols).toEqual(['A', 'B', 'C', 'D']);
    expect(m.intervalMs).toBe(MINUTE);
    expect(correlationOf(m, 'A', 'B')).toBeCloseTo(1, 12);
    expect(correlationOf(m, 'A', 'C')).toBeCloseTo(-1, 12);
    expect(Math.abs(correlationOf(m, 'A', 'D'))).toBeLessThan(0.15);
    for (let i = 0; i < 4; i++) {
      expect(m.matrix[i]![i]).toBe(1);
      for (let j = 0; j < 4; j++) expect(m.matrix[i]![j]).toBe(m.matrix[j]![i]);
    }
    expect(m.counts[0]![1]).toBe(499);
  });

  it('equals a brute-force Pearson of log returns', () => {
    const r = rng(4);
    // B shares part of A's returns: a known positive, imperfect correlation.
    let p = 50;
    const b = a.map((c, i) => {
      const ret = i === 0 ? 0 : Math.log(c.close / a[i - 1]!.close) * 0.6 + (r() - 0.5) * 0.01;
      p *= Math.exp(ret);
      return { ...c, open: p, high: p, low: p, close: p };
    });
    const ra = a.slice(1).map((c, i) => Math.log(c.close / a[i]!.close));
    const rb = b.slice(1).map((c, i) => Math.log(c.close / b[i]!.close));
    const m = correlationMatrix({ A: a, B: b });
    expect(m.matrix[0]![1]).toBeCloseTo(pearson(ra, rb), 12);
    expect(m.matrix[0]![1]).toBeGreaterThan(0.3);
    expect(m.matrix[0]![1]).toBeLessThan(0.95);
  });

  it('a missing candle drops its returns instead of comparing a two-bar return with a one-bar one', () => {
    const gappy = withClose(a, (x) => 3 * x).filter((_, i) => i % 50 !== 25);
    const m = correlationMatrix({ A: a, B: gappy });
    expect(correlationOf(m, 'A', 'B')).toBeCloseTo(1, 12);
    // 10 candles missing, each removes the return into it and the one out of it.
    expect(m.counts[0]![1]).toBe(499 - 20);
    expect(m.counts[1]![1]).toBe(499 - 20);
  });

  it('misaligned histories use only the overlap', () => {
    const late = a.slice(200);
    const m = correlationMatrix({ A: a, B: late });
    expect(m.counts[0]![1]).toBe(299);
    expect(m.matrix[0]![1]).toBeCloseTo(1, 12);
  });

  it('a constant series or too little overlap gives 0, never NaN', () => {
    const m = correlationMatrix({ A: a, F: flat(500), S: a.slice(0, 10) });
    expect(correlationOf(m, 'A', 'F')).toBe(0);
    expect(correlationOf(m, 'F', 'F')).toBe(1);
    expect(correlationOf(m, 'A', 'S')).toBe(0);
    expect(m.counts[0]![2]).toBe(9);
    expect(m.matrix.flat().every(Number.isFinite)).toBe(true);
    const loose = correlationMatrix({ A: a, S: a.slice(0, 10) }, { settings: { correlation: { minOverlap: 5 } } });
    expect(loose.matrix[0]![1]).toBeCloseTo(1, 12);
  });

  it('empty input, empty series, one candle', () => {
    expect(correlationMatrix({})).toEqual({ symbols: [], matrix: [], counts: [], intervalMs: 0 });
    const m = correlationMatrix({ A: [], B: randomWalk(1, 2) });
    expect(m.matrix).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(correlationOf(m, 'A', 'Z')).toBe(0);
  });

  it('an explicit interval wins over inference', () => {
    const hourly = randomWalk(100, 5, { intervalMs: 3_600_000 });
    const m = correlationMatrix({ A: hourly, B: withClose(hourly, (x) => x * 2) }, { intervalMs: 7_200_000 });
    // Two-hour returns need candles two hours apart: every candle has one except the first two.
    expect(m.counts[0]![1]).toBe(98);
  });
});
