import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../lib/domain/market';
import { SessionVwapStream, sessionVwap } from '../../../lib/market/vwap';
import { sessionProfiles } from '../../../lib/market/volume-profile';
import { randomWalk, T0 } from './generate';

const at = (time: number, price: number, volume: number): Candle => ({ time, open: price, high: price, low: price, close: price, volume });

describe('session VWAP', () => {
  it('known answer: tp 10 x1 and 20 x3 give VWAP 17.5, sigma sqrt(18.75)', () => {
    const v = sessionVwap([at(T0, 10, 1), at(T0 + 60_000, 20, 3)], { bands: [1, 2] });
    expect(v.vwap[0]).toBe(10);
    expect(v.sigma[0]).toBe(0);
    expect(v.vwap[1]).toBe(17.5);
    expect(v.sigma[1]).toBeCloseTo(Math.sqrt(18.75), 12);
    expect(v.bands.map((b) => b.multiplier)).toEqual([1, 2]);
    expect(v.bands[1]!.upper[1]).toBeCloseTo(17.5 + 2 * Math.sqrt(18.75), 12);
    expect(v.bands[1]!.lower[1]).toBeCloseTo(17.5 - 2 * Math.sqrt(18.75), 12);
  });

  it('uses the typical price (h + l + c) / 3', () => {
    const v = sessionVwap([{ time: T0, open: 1, high: 12, low: 6, close: 9, volume: 2 }]);
    expect(v.vwap[0]).toBe(9);
  });

  it('restarts at each session boundary', () => {
    const day = 86_400_000;
    const v = sessionVwap([at(T0, 10, 1), at(T0 + 1000, 20, 1), at(T0 + day, 50, 1)]);
    expect(Array.from(v.vwap)).toEqual([10, 15, 50]);
    expect(Array.from(v.sessionStart)).toEqual([T0, T0, T0 + day]);
    expect(v.sigma[2]).toBe(0);
  });

  it('equals a direct computation over hourly sessions at a high price level', () => {
    const candles = randomWalk(1000, 9, { start: 65_000, vol: 0.001 });
    const v = sessionVwap(candles, { sessionMs: 3_600_000 });
    for (const i of [0, 59, 60, 61, 500, 999]) {
      const start = Math.floor(candles[i]!.time / 3_600_000) * 3_600_000;
      const session = candles.slice(0, i + 1).filter((c) => c.time >= start);
      const tp = session.map((c) => (c.high + c.low + c.close) / 3);
      const w = session.reduce((a, c) => a + c.volume, 0);
      const mean = session.reduce((a, c, k) => a + c.volume * tp[k]!, 0) / w;
      const variance = session.reduce((a, c, k) => a + c.volume * (tp[k]! - mean) ** 2, 0) / w;
      expect(v.vwap[i]).toBeCloseTo(mean, 8);
      expect(Math.abs(v.sigma[i]! - Math.sqrt(variance))).toBeLessThan(1e-7);
      expect(v.bands[2]!.upper[i]).toBeCloseTo(mean + 3 * Math.sqrt(variance), 6);
    }
  });

  it('zero volume: equal weights until volume arrives, then volume weights', () => {
    const v = sessionVwap([at(T0, 10, 0), at(T0 + 1, 20, 0), at(T0 + 2, 40, 2)]);
    expect(v.vwap[0]).toBe(10);
    expect(v.vwap[1]).toBe(15);
    expect(v.vwap[2]).toBe(40);
    expect(Array.from(v.sigma).every(Number.isFinite)).toBe(true);
  });

  it('the stream equals the batch; empty input is empty', () => {
    const candles = randomWalk(300, 2);
    const v = sessionVwap(candles, { sessionMs: 3_600_000 });
    const s = new SessionVwapStream(3_600_000);
    candles.forEach((c, i) => {
      expect(s.update(c.time, c.high, c.low, c.close, c.volume)).toBe(v.vwap[i]);
      expect(s.sigma).toBe(v.sigma[i]);
    });
    expect(sessionVwap([]).length).toBe(0);
    expect(() => new SessionVwapStream(0)).toThrow(/sessionMs/);
  });
});

describe('session offset (the settings hint: a New York day)', () => {
  const HOUR = 3_600_000;
  const starts = (t0: number, offset: number) =>
    sessionProfiles(
      Array.from({ length: 48 }, (_, i): Candle => ({ time: t0 + i * HOUR, open: 100, high: 101, low: 99, close: 100, volume: 1 })),
      { sessionOffsetMs: offset },
    ).map((x) => new Date(x.sessionStart).toISOString().slice(11, 16));

  it('+4h starts sessions at 04:00 UTC, New York midnight in summer; -4h would start them at 20:00 UTC', () => {
    const july = Date.UTC(2026, 6, 1);
    expect(new Set(starts(july, 4 * HOUR))).toEqual(new Set(['04:00']));
    expect(new Set(starts(july, -4 * HOUR))).toEqual(new Set(['20:00']));
    const v = new SessionVwapStream(86_400_000, 4 * HOUR);
    v.update(Date.UTC(2026, 6, 1, 21), 101, 99, 100, 1);
    expect(new Date(v.sessionStart).toISOString()).toBe('2026-07-01T04:00:00.000Z');
  });

  it('a fixed offset does not follow daylight saving: New York midnight in January needs +5h', () => {
    expect(new Set(starts(Date.UTC(2026, 0, 10), 5 * HOUR))).toEqual(new Set(['05:00']));
    expect(new Set(starts(Date.UTC(2026, 0, 10), 4 * HOUR))).toEqual(new Set(['04:00'])); // 23:00 in New York
  });
});
