import { describe, expect, it, vi } from 'vitest';
import type { Candle } from '../../../lib/domain/market';
import { type RegimePoint, RegimeStream, regimeSeries } from '../../../lib/market/regime';
import type { MarketSettingsInput } from '../../../lib/market/settings';
import { flat, MINUTE, randomWalk, rng, T0 } from './generate';

// Whole-series comparisons: generous time on a loaded CI machine.
vi.setConfig({ testTimeout: 60_000 });

/** A walk on a coarse tick grid with flat stretches: many equal HV values (ties in the percentile window). */
function ticks(n: number, seed: number): Candle[] {
  const r = rng(seed);
  let p = 100;
  return Array.from({ length: n }, (_, i) => {
    const open = p;
    if (r() > 0.3) p = Math.max(1, p + (r() < 0.5 ? -1 : 1));
    return { time: T0 + i * MINUTE, open, high: Math.max(open, p), low: Math.min(open, p), close: p, volume: 1 };
  });
}

const FIELDS = ['adx', 'pdi', 'mdi', 'atr', 'slopeAtr', 'hv', 'hvPercentile', 'meanReversion'] as const;

/** The batch series equals a RegimeStream fed candle by candle, bit for bit, at every candle. */
function expectBatchEqualsStream(candles: Candle[], settings?: MarketSettingsInput): RegimeStream {
  const { series, stream } = regimeSeries(candles, settings, MINUTE);
  const ref = new RegimeStream(settings, MINUTE);
  candles.forEach((c, i) => {
    ref.update(c.time, c.high, c.low, c.close);
    const at = `candle ${i}`;
    expect(series.trend[i], at).toBe(ref.trend);
    expect(series.volatility[i], at).toBe(ref.volatility);
    const now = { adx: ref.adx.value, pdi: ref.adx.pdi, mdi: ref.adx.mdi, atr: ref.atr.value, slopeAtr: ref.slopeAtr, hv: ref.hv.value, hvPercentile: ref.hvPercentile, meanReversion: ref.vr.probability };
    for (const f of FIELDS) if (!Object.is(series[f][i], now[f])) expect.fail(`${f}[${i}]: ${series[f][i]} vs ${now[f]}`);
  });
  expect(samePoint(stream.point(), ref.point())).toBe(true);
  return ref;
}

const samePoint = (a: RegimePoint, b: RegimePoint) => (Object.keys(a) as (keyof RegimePoint)[]).every((k) => Object.is(a[k], b[k]));

/** The stream regimeSeries returns continues exactly like one that was fed every candle. */
function expectStreamContinues(candles: Candle[], more: Candle[], settings?: MarketSettingsInput): void {
  const { stream } = regimeSeries(candles, settings, MINUTE);
  const ref = new RegimeStream(settings, MINUTE);
  for (const c of candles) ref.push(c);
  more.forEach((c, i) => {
    if (!samePoint(stream.push(c), ref.push(c))) expect.fail(`continued candle ${i} differs`);
  });
}

const after = (candles: Candle[], n: number, seed: number) =>
  randomWalk(n, seed, { start: candles[candles.length - 1]!.close }).map((c, i) => ({ ...c, time: candles[candles.length - 1]!.time + (i + 1) * MINUTE }));

describe('batch regime series', () => {
  const small: MarketSettingsInput = {
    indicators: { adxPeriod: 3, atrPeriod: 4, slopePeriod: 2 },
    volatility: { hvPeriod: 2, lookback: 2 },
    meanReversion: { lookback: 8, horizon: 2 },
  };

  it('equals the stream on a random walk, with default and with tiny periods', () => {
    expectBatchEqualsStream(randomWalk(3000, 11, { vol: 0.004 }));
    expectBatchEqualsStream(randomWalk(1000, 12), small);
  });

  it('equals the stream where HV values tie: flat stretches and a coarse tick grid', () => {
    const flatThenMove = [...flat(400, 50), ...randomWalk(600, 13, { start: 50 }).map((c, i) => ({ ...c, time: T0 + (400 + i) * MINUTE }))];
    expectBatchEqualsStream(flatThenMove);
    expectBatchEqualsStream(ticks(3000, 14));
    expectBatchEqualsStream(ticks(1500, 15), small);
    expectBatchEqualsStream(flat(500, 7));
  });

  it('equals the stream through candles it cannot take fast (NaN, non-positive, closes outside the range)', () => {
    const odd = randomWalk(1500, 16);
    odd[700] = { ...odd[700]!, close: NaN };
    odd[900] = { ...odd[900]!, high: NaN };
    odd[1100] = { ...odd[1100]!, close: -1 };
    expectBatchEqualsStream(odd);
    const outside = randomWalk(1200, 17).map((c, i) => (i % 13 === 0 ? { ...c, close: c.high * 1.05 } : i % 7 === 0 ? { ...c, high: c.low } : c));
    expectBatchEqualsStream(outside);
  });

  it('returns a stream that continues exactly as one fed every candle', () => {
    const walk = randomWalk(2000, 18, { vol: 0.003 });
    expectStreamContinues(walk, after(walk, 400, 19));
    const tied = ticks(2000, 20);
    expectStreamContinues(tied, ticks(400, 21).map((c, i) => ({ ...c, time: tied[tied.length - 1]!.time + (i + 1) * MINUTE })));
    const short = randomWalk(300, 22);
    expectStreamContinues(short, after(short, 300, 23), small);
  });
});
