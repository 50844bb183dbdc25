import { describe, expect, it, vi } from 'vitest';
import type { Candle } from '../../../lib/domain/market';
import { resampleColumns, toColumns } from '../../../lib/market/columns';
import {
  classifyTrend,
  classifyVolatility,
  multiTimeframeRegime,
  RegimeStream,
  regimeSeries,
  TREND,
  TREND_LABELS,
  trendSpans,
  VOLATILITY,
} from '../../../lib/market/regime';
import { DEFAULT_MARKET_SETTINGS } from '../../../lib/market/settings';
import { flat, MINUTE, randomWalk, range, rng, T0, trend } from './generate';

// Whole-series comparisons: generous time on a loaded CI machine (the speed targets live in bench/market.bench.ts).
vi.setConfig({ testTimeout: 60_000 });

const last = <T>(xs: ArrayLike<T>): T => xs[xs.length - 1]!;
const label = (code: number) => TREND_LABELS[code];

describe('trend regime', () => {
  it('a pure uptrend is strong up, a pure downtrend strong down', () => {
    const up = regimeSeries(trend(200, 0.5)).series;
    expect(label(last(up.trend))).toBe('strong_up');
    expect(last(up.adx)).toBeGreaterThan(90);
    const down = regimeSeries(trend(200, -0.2, 100)).series;
    expect(label(last(down.trend))).toBe('strong_down');
  });

  it('a pure range is ranging', () => {
    for (const cycle of [4, 8, 16]) {
      const s = regimeSeries(range(300, cycle)).series;
      expect(label(last(s.trend)), `cycle ${cycle}`).toBe('ranging');
      expect(last(s.adx)).toBeLessThan(20);
    }
  });

  it('a slow grind up (+1, -0.8 per bar) is weak up: directional, but a small fitted move in ATRs', () => {
    let p = 100;
    const candles: Candle[] = Array.from({ length: 300 }, (_, i) => {
      const open = p;
      p = open + (i % 2 === 0 ? 1 : -0.8);
      return { time: T0 + i * MINUTE, open, high: Math.max(open, p) + 0.05, low: Math.min(open, p) - 0.05, close: p, volume: 1 };
    });
    const stream = new RegimeStream();
    let point = stream.push(candles[0]!);
    for (const c of candles.slice(1)) point = stream.push(c);
    expect(point.adx).toBeGreaterThan(DEFAULT_MARKET_SETTINGS.trend.adxStrong);
    expect(point.slopeAtr).toBeGreaterThan(DEFAULT_MARKET_SETTINGS.trend.slopeWeakAtr);
    expect(point.slopeAtr).toBeLessThan(DEFAULT_MARKET_SETTINGS.trend.slopeStrongAtr);
    expect(point.trend).toBe('weak_up');
  });

  it('warm-up reads unknown until ADX exists, then never again', () => {
    const s = regimeSeries(trend(60, 1)).series;
    const firstKnown = Array.from(s.trend).findIndex((c) => c !== TREND.unknown);
    expect(firstKnown).toBe(2 * DEFAULT_MARKET_SETTINGS.indicators.adxPeriod - 1);
    expect(Array.from(s.trend).slice(firstKnown).every((c) => c !== TREND.unknown)).toBe(true);
  });

  it('stays unknown until both ADX and the slope exist, even when ADX comes first', () => {
    const s = regimeSeries(flat(30), { indicators: { adxPeriod: 2, slopePeriod: 20 } }).series;
    expect(s.adx[10]).toBe(0);
    expect(s.trend[18]).toBe(TREND.unknown);
    expect(s.trend[19]).toBe(TREND.ranging);
  });

  it('classifyTrend applies the thresholds at their boundaries', () => {
    const t = DEFAULT_MARKET_SETTINGS.trend;
    expect(classifyTrend(t.adxStrong, t.slopeStrongAtr, t)).toBe(TREND.strongUp);
    expect(classifyTrend(t.adxStrong, -t.slopeStrongAtr, t)).toBe(TREND.strongDown);
    expect(classifyTrend(t.adxStrong - 0.01, t.slopeStrongAtr, t)).toBe(TREND.weakUp);
    expect(classifyTrend(t.adxStrong, t.slopeWeakAtr, t)).toBe(TREND.weakUp);
    expect(classifyTrend(t.adxWeak - 0.01, 10, t)).toBe(TREND.ranging);
    expect(classifyTrend(50, 0.1, t)).toBe(TREND.ranging);
    expect(classifyTrend(NaN, 3, t)).toBe(TREND.unknown);
  });

  it('settings move the thresholds', () => {
    const candles = trend(200, 0.5);
    // The fitted move of this trend is ~16.7 ATRs over the slope window.
    const s = regimeSeries(candles).series;
    expect(last(s.slopeAtr)).toBeGreaterThan(16);
    expect(last(s.slopeAtr)).toBeLessThan(18);
    expect(label(last(regimeSeries(candles, { trend: { slopeStrongAtr: 18 } }).series.trend))).toBe('weak_up');
    expect(label(last(regimeSeries(candles, { trend: { slopeStrongAtr: 30, slopeWeakAtr: 18 } }).series.trend))).toBe('ranging');
  });
});

describe('volatility regime', () => {
  /** Calm for `calm` bars, then `wild` bars with ten times the volatility. */
  function calmThenWild(calm: number, wild: number): Candle[] {
    const r = rng(5);
    let c = 100;
    return Array.from({ length: calm + wild }, (_, i) => {
      const vol = i < calm ? 0.001 : 0.01;
      const open = c;
      c = open * Math.exp(vol * (r() - 0.5) * 2);
      return { time: T0 + i * MINUTE, open, high: Math.max(open, c) * (1 + vol / 4), low: Math.min(open, c) * (1 - vol / 4), close: c, volume: 1 };
    });
  }

  it('a volatility jump reads high; calm after a wild stretch reads low', () => {
    const s = regimeSeries(calmThenWild(400, 40)).series;
    expect(last(s.volatility)).toBe(VOLATILITY.high);
    expect(last(s.hvPercentile)).toBeGreaterThan(90);
    const back = calmThenWild(300, 300);
    // then calm again: the lookback (250) is full of wild HV, so calm HV ranks at the bottom.
    const r = rng(8);
    let p = back[back.length - 1]!.close;
    for (let i = 0; i < 60; i++) {
      const open = p;
      p = open * Math.exp(0.001 * (r() - 0.5) * 2);
      back.push({ time: T0 + (600 + i) * MINUTE, open, high: Math.max(open, p), low: Math.min(open, p), close: p, volume: 1 });
    }
    const sb = regimeSeries(back).series;
    expect(last(sb.volatility)).toBe(VOLATILITY.low);
  });

  it('needs a full lookback of HV values before it says anything', () => {
    const { hvPeriod, lookback } = DEFAULT_MARKET_SETTINGS.volatility;
    const s = regimeSeries(randomWalk(hvPeriod + lookback + 5, 2)).series;
    // hv needs hvPeriod returns (index hvPeriod), the percentile a full window of them.
    const first = Array.from(s.volatility).findIndex((v) => v !== VOLATILITY.unknown);
    expect(first).toBe(hvPeriod + lookback - 1);
  });

  it('classifyVolatility boundaries; a flat series is medium (constant HV ranks at the middle)', () => {
    const v = DEFAULT_MARKET_SETTINGS.volatility;
    expect(classifyVolatility(v.lowPercentile - 0.1, v)).toBe(VOLATILITY.low);
    expect(classifyVolatility(v.lowPercentile, v)).toBe(VOLATILITY.medium);
    expect(classifyVolatility(v.highPercentile, v)).toBe(VOLATILITY.medium);
    expect(classifyVolatility(v.highPercentile + 0.1, v)).toBe(VOLATILITY.high);
    const f = regimeSeries(flat(400)).series;
    expect(last(f.volatility)).toBe(VOLATILITY.medium);
    expect(last(f.hv)).toBe(0);
  });

  it('annualises HV with the interval', () => {
    const candles = randomWalk(100, 3);
    const stream = new RegimeStream(undefined, 60_000);
    let p = stream.push(candles[0]!);
    for (const c of candles.slice(1)) p = stream.push(c);
    expect(p.hvAnnualized / p.hv).toBeCloseTo(Math.sqrt(365 * 24 * 60), 6);
  });
});

describe('mean reversion', () => {
  it('a fast range is likely to revert; a clean trend is not', () => {
    const r = regimeSeries(range(300, 4)).series;
    expect(last(r.meanReversion)).toBeGreaterThan(0.95);
    // Trend with noise so returns have variance; persistent direction gives VR > 1.
    const rr = rng(3);
    let p = 100;
    let dir = 1;
    const candles: Candle[] = Array.from({ length: 300 }, (_, i) => {
      if (rr() < 0.04) dir = -dir;
      const open = p;
      p = open * Math.exp(dir * 0.01 + rr() * 0.002);
      return { time: T0 + i * MINUTE, open, high: Math.max(open, p), low: Math.min(open, p), close: p, volume: 1 };
    });
    expect(last(regimeSeries(candles).series.meanReversion)).toBeLessThan(0.05);
  });
});

describe('streaming equals batch', () => {
  it('RegimeStream fed candle by candle gives the batch series', () => {
    const candles = randomWalk(800, 21, { vol: 0.01 });
    const { series } = regimeSeries(candles, undefined, MINUTE);
    const stream = new RegimeStream(undefined, MINUTE);
    candles.forEach((c, i) => {
      const p = stream.push(c);
      expect(p.trend).toBe(TREND_LABELS[series.trend[i]!]);
      expect(Object.is(p.adx, series.adx[i]) || p.adx === series.adx[i]).toBe(true);
      expect(Object.is(p.meanReversion, series.meanReversion[i])).toBe(true);
    });
    expect(Array.from(series.trend).some((c) => c !== TREND.unknown)).toBe(true);
  });
});

describe('edge cases', () => {
  it('empty input and one candle', () => {
    expect(regimeSeries([]).series.length).toBe(0);
    const one = regimeSeries(randomWalk(1, 1)).series;
    expect(one.trend[0]).toBe(TREND.unknown);
    expect(one.volatility[0]).toBe(VOLATILITY.unknown);
  });

  it('flat prices: ranging, zero ATR, no NaN after warm-up', () => {
    const s = regimeSeries(flat(400)).series;
    expect(label(last(s.trend))).toBe('ranging');
    expect(last(s.atr)).toBe(0);
    expect(last(s.meanReversion)).toBe(0.5);
  });

  it('trendSpans collapse runs', () => {
    const s = regimeSeries([...range(200, 8), ...trend(200, 0.5, 100).map((c, i) => ({ ...c, time: T0 + (200 + i) * MINUTE }))]).series;
    const spans = trendSpans(s);
    expect(spans[0]!.trend).toBe('unknown');
    expect(spans.map((x) => x.trend)).toContain('ranging');
    expect(last(spans).trend).toBe('strong_up');
    expect(last(spans).to).toBe(T0 + 399 * MINUTE);
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.trend).not.toBe(spans[i - 1]!.trend);
  });
});

describe('multi-timeframe', () => {
  it('aggregates 1m candles into 15m, 1h and 4h aligned to the hour', () => {
    const candles = trend(3 * 24 * 60, 0.01);
    const cols = toColumns(candles);
    const h1 = resampleColumns(cols, 3_600_000);
    expect(h1.length).toBe(72);
    expect(h1.time[1]! - h1.time[0]!).toBe(3_600_000);
    expect(h1.open[0]).toBe(candles[0]!.open);
    expect(h1.close[0]).toBe(candles[59]!.close);
    expect(h1.high[0]).toBe(Math.max(...candles.slice(0, 60).map((c) => c.high)));
    expect(h1.volume[0]).toBeCloseTo(600, 9);

    const m = multiTimeframeRegime({ '1m': candles });
    expect(m.timeframes.map((t) => t.interval)).toEqual(['15m', '1h', '4h']);
    expect(m.timeframes.map((t) => t.candles)).toEqual([288, 72, 18]);
    expect(m.timeframes[0]!.resampledFrom).toBe('1m');
    expect(m.timeframes[0]!.regime!.trend).toBe('strong_up');
    // 18 four-hour candles are too few for ADX(14): unknown, which does not break the alignment.
    expect(m.timeframes[2]!.regime!.trend).toBe('unknown');
    expect(m.alignment).toBe(1);
  });

  it('a resampled timeframe leaves out its last bucket until the given candles fill it', () => {
    const HOUR = 3_600_000;
    const t0 = Date.UTC(2026, 0, 1);
    const hourly = (n: number): Candle[] =>
      Array.from({ length: n }, (_, i) => {
        const c = 100 + 10 * Math.sin(i / 30) + (i % 5);
        return { time: t0 + i * HOUR, open: c, high: c + 2, low: c - 2, close: c, volume: 5 };
      });
    // Up to 13:00 on day 60: the 12:00 bucket holds two of its four hours.
    const partial = multiTimeframeRegime({ '1h': hourly(60 * 24 + 14) }, { timeframes: ['4h'] }).timeframes[0]!;
    expect(partial.candles).toBe(60 * 6 + 3);
    expect(partial.regime!.time).toBe(t0 + 60 * 86_400_000 + 8 * HOUR);
    // Up to 15:00 it is whole.
    const whole = multiTimeframeRegime({ '1h': hourly(60 * 24 + 16) }, { timeframes: ['4h'] }).timeframes[0]!;
    expect(whole.candles).toBe(60 * 6 + 4);
    expect(whole.regime!.time).toBe(t0 + 60 * 86_400_000 + 12 * HOUR);
    // resampleColumns without the source interval still returns the partial bucket (a live candle's view).
    expect(resampleColumns(toColumns(hourly(60 * 24 + 14)), 4 * HOUR).length).toBe(60 * 6 + 4);
  });

  it('uses candles given for a timeframe as they are, and reports missing ones as null', () => {
    const m = multiTimeframeRegime({ '1h': range(200, 8) }, { timeframes: ['15m', '1h', '4h'] });
    expect(m.timeframes[0]!.regime).toBeNull();
    expect(m.timeframes[1]!.resampledFrom).toBeUndefined();
    expect(m.timeframes[1]!.regime!.trend).toBe('ranging');
    expect(m.timeframes[2]!.resampledFrom).toBe('1h');
    expect(m.alignment).toBe(0);
  });
});
