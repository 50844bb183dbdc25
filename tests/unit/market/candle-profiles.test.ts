import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Candle } from '../../../lib/domain/market';
import { candleProfiles, sessionProfiles, volumeProfileFromCandles } from '../../../lib/market/volume-profile';
import { flat, randomWalk, T0 } from './generate';

// Whole-series comparisons: generous time on a loaded CI machine.
vi.setConfig({ testTimeout: 60_000 });

const HOUR = 3_600_000;
const candle = (time: number, low: number, high: number, volume: number): Candle => ({ time, open: low, high, low, close: high, volume });

/** candleProfiles equals the two calls it stands for (what analyzeCandles used to make), to the last bit. */
function expectSameAsSeparate(candles: Candle[], opts: { bins?: number; binSize?: number; valueArea?: number; sessionMs?: number; sessionOffsetMs?: number }) {
  const both = candleProfiles(candles, opts);
  const whole = volumeProfileFromCandles(candles, opts);
  const sessions = sessionProfiles(candles, candles.length > 0 && opts.binSize === undefined ? { ...opts, binSize: whole.binSize } : opts);
  expect(both.profile).toEqual(whole);
  expect(both.sessions).toEqual(sessions);
  // toEqual treats +0 and -0 alike and NaN as NaN; the volumes must be the very same doubles.
  const bits = (p: { volume: Float64Array }) => Array.from(p.volume, (v) => Object.is(v, -0) ? '-0' : String(v));
  expect(bits(both.profile)).toEqual(bits(whole));
  both.sessions.forEach((s, k) => expect(bits(s.profile)).toEqual(bits(sessions[k]!.profile)));
}

describe('candleProfiles: the whole profile and the session profiles in one pass', () => {
  it('equals volumeProfileFromCandles and sessionProfiles on random walks, hourly sessions, with and without a bin size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        fc.integer({ min: -2, max: 2 }),
        (n, seed, bins, sized, offsetHours) => {
          const candles = randomWalk(n, seed, { start: 1000, vol: 0.004, intervalMs: 5 * 60_000 });
          expectSameAsSeparate(candles, {
            bins,
            ...(sized ? { binSize: 0.5 } : {}),
            sessionMs: 4 * HOUR,
            sessionOffsetMs: offsetHours * HOUR,
          });
        },
      ),
      { numRuns: 60, seed: 27 },
    );
  });

  it('keeps the top edge open when a zero-range candle sits at the highest high, in any session', () => {
    const day = 86_400_000;
    const base = [candle(T0, 100, 104, 4), candle(T0 + 60_000, 101, 103, 2), candle(T0 + day, 102, 104, 3)];
    expectSameAsSeparate(base, { binSize: 1 });
    // The zero-range candle at 104 in the first session, then in the second.
    expectSameAsSeparate([...base.slice(0, 2), candle(T0 + 120_000, 104, 104, 5), base[2]!], { binSize: 1 });
    expectSameAsSeparate([...base, candle(T0 + day + 60_000, 104, 104, 5)], { binSize: 1 });
    // A higher candle later closes it again.
    expectSameAsSeparate([...base, candle(T0 + day + 60_000, 104, 104, 5), candle(T0 + 2 * day, 103, 105, 1)], { binSize: 1 });
    expectSameAsSeparate([candle(T0, 104, 104, 5), candle(T0 + day, 100, 104, 1)], { bins: 4 });
  });

  it('handles empty input, one price, zero volume and odd times like the separate calls', () => {
    expectSameAsSeparate([], {});
    expect(candleProfiles([]).sessions).toEqual([]);
    expectSameAsSeparate(flat(30, 123.45), {});
    expectSameAsSeparate(flat(30, 100, 0), { bins: 10 });
    const walk = randomWalk(200, 5);
    const odd = walk.map((c, i) => (i === 50 ? { ...c, time: NaN } : i === 120 ? { ...c, high: NaN } : c));
    expectSameAsSeparate(odd, { sessionMs: HOUR });
    expect(() => candleProfiles(walk, { valueArea: 0 })).toThrow(/valueArea/);
    expect(() => candleProfiles(walk, { binSize: 0 })).toThrow(/binSize/);
  });
});
