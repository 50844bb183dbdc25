/**
 * Regime detection per symbol and timeframe:
 *  - trend from ADX (strength) and the regression slope of ln(close) in ATRs (direction and size);
 *  - volatility from historical volatility and its percentile over a lookback;
 *  - mean-reversion probability from the variance ratio.
 * One RegimeStream serves both the background (update per closed candle) and the batch series (the same stream run
 * over every candle), so the timeline a chart shows is exactly what the live path would have said at each candle.
 */
import type { Candle, CandleInterval } from '../domain/market';
import { asColumns, INTERVAL_MS, inferIntervalMs, resampleColumns, type CandleColumns } from './columns';
import { SortedWindow } from './rolling';
import { type MarketSettings, type MarketSettingsInput, resolveSettings } from './settings';
import { AdxStream, AtrStream, HistoricalVolatilityStream, LinRegSlopeStream, VarianceRatioStream } from './streaming';

/** Index = the code stored in RegimeSeries.trend. */
export const TREND_LABELS = ['unknown', 'strong_down', 'weak_down', 'ranging', 'weak_up', 'strong_up'] as const;
export type TrendRegime = (typeof TREND_LABELS)[number];
/** Index = the code stored in RegimeSeries.volatility. */
export const VOLATILITY_LABELS = ['unknown', 'low', 'medium', 'high'] as const;
export type VolatilityRegime = (typeof VOLATILITY_LABELS)[number];

export const TREND = { unknown: 0, strongDown: 1, weakDown: 2, ranging: 3, weakUp: 4, strongUp: 5 } as const;
export const VOLATILITY = { unknown: 0, low: 1, medium: 2, high: 3 } as const;

const YEAR_MS = 365 * 86_400_000;

/** Trend code from ADX and the fitted move over the slope window in ATRs (signed). NaN input gives unknown. */
export function classifyTrend(adx: number, slopeAtr: number, t: MarketSettings['trend']): number {
  if (!Number.isFinite(adx) || !Number.isFinite(slopeAtr)) return TREND.unknown;
  const m = Math.abs(slopeAtr);
  const up = slopeAtr > 0;
  if (adx >= t.adxStrong && m >= t.slopeStrongAtr) return up ? TREND.strongUp : TREND.strongDown;
  if (adx >= t.adxWeak && m >= t.slopeWeakAtr) return up ? TREND.weakUp : TREND.weakDown;
  return TREND.ranging;
}

/** Volatility code from the HV percentile (0..100). */
export function classifyVolatility(percentile: number, v: MarketSettings['volatility']): number {
  if (!Number.isFinite(percentile)) return VOLATILITY.unknown;
  if (percentile < v.lowPercentile) return VOLATILITY.low;
  if (percentile > v.highPercentile) return VOLATILITY.high;
  return VOLATILITY.medium;
}

/** The regime at one candle, as plain data (what a summary line or a tooltip shows). */
export interface RegimePoint {
  time: number;
  trend: TrendRegime;
  volatility: VolatilityRegime;
  adx: number;
  pdi: number;
  mdi: number;
  atr: number;
  /** Least-squares slope of ln(close), per bar. */
  slope: number;
  /** Fitted move over the slope window in ATRs: slope * slopePeriod / (ATR / close). */
  slopeAtr: number;
  /** Standard deviation of one-bar log returns over hvPeriod. */
  hv: number;
  /** hv scaled to a year of 24/7 trading (NaN when the interval is unknown). */
  hvAnnualized: number;
  /** Mid-rank percentile of hv among the last `lookback` hv values, 0..100. */
  hvPercentile: number;
  /** Variance ratio VR(q). */
  varianceRatio: number;
  /** Probability (0..1) that returns mean-revert, from the variance ratio; 0.5 = random walk. */
  meanReversion: number;
}

export class RegimeStream {
  readonly settings: MarketSettings;
  readonly intervalMs: number;
  time = NaN;
  close = NaN;
  trend: number = TREND.unknown;
  volatility: number = VOLATILITY.unknown;
  slope = NaN;
  slopeAtr = NaN;
  hvPercentile = NaN;
  readonly adx: AdxStream;
  readonly atr: AtrStream;
  readonly hv: HistoricalVolatilityStream;
  readonly vr: VarianceRatioStream;
  private readonly lr: LinRegSlopeStream;
  private readonly hvWindow: SortedWindow;
  private readonly annualize: number;

  /** intervalMs: the candle interval, for annualising HV (0 = unknown). */
  constructor(settings?: MarketSettings | MarketSettingsInput, intervalMs = 0) {
    const s = resolveSettings(settings);
    this.settings = s;
    this.intervalMs = intervalMs;
    this.adx = new AdxStream(s.indicators.adxPeriod);
    this.atr = new AtrStream(s.indicators.atrPeriod);
    this.lr = new LinRegSlopeStream(s.indicators.slopePeriod);
    this.hv = new HistoricalVolatilityStream(s.volatility.hvPeriod);
    this.hvWindow = new SortedWindow(s.volatility.lookback);
    this.vr = new VarianceRatioStream(s.meanReversion.lookback, s.meanReversion.horizon);
    this.annualize = intervalMs > 0 ? Math.sqrt(YEAR_MS / intervalMs) : NaN;
  }

  /** Feeds one closed candle; returns the trend code (TREND_LABELS index). */
  update(time: number, high: number, low: number, close: number): number {
    this.time = time;
    this.close = close;
    const adx = this.adx.update(high, low, close);
    const atr = this.atr.update(high, low, close);
    const lnClose = Math.log(close);
    const slope = this.lr.update(lnClose);
    this.slope = slope;
    // No range at all (ATR 0) is no move in ATRs; a missing slope or ATR is no answer yet.
    this.slopeAtr = Number.isNaN(slope) ? NaN : atr > 0 ? (slope * this.lr.period * close) / atr : atr === 0 ? 0 : NaN;
    this.trend = classifyTrend(adx, this.slopeAtr, this.settings.trend);

    const hv = this.hv.updateLog(lnClose);
    if (Number.isNaN(hv)) {
      this.hvPercentile = NaN;
    } else {
      const rank = this.hvWindow.pushAndRank(hv);
      this.hvPercentile = this.hvWindow.full ? rank : NaN;
    }
    this.volatility = classifyVolatility(this.hvPercentile, this.settings.volatility);
    this.vr.updateLog(lnClose);
    return this.trend;
  }

  push(c: Candle): RegimePoint {
    this.update(c.time, c.high, c.low, c.close);
    return this.point();
  }

  point(): RegimePoint {
    return {
      time: this.time,
      trend: TREND_LABELS[this.trend] ?? 'unknown',
      volatility: VOLATILITY_LABELS[this.volatility] ?? 'unknown',
      adx: this.adx.value,
      pdi: this.adx.pdi,
      mdi: this.adx.mdi,
      atr: this.atr.value,
      slope: this.slope,
      slopeAtr: this.slopeAtr,
      hv: this.hv.value,
      hvAnnualized: this.hv.value * this.annualize,
      hvPercentile: this.hvPercentile,
      varianceRatio: this.vr.ratio,
      meanReversion: this.vr.probability,
    };
  }
}

/** Per-candle regime columns, aligned with the input candles (NaN / code 0 during warm-up). */
export interface RegimeSeries {
  length: number;
  time: Float64Array;
  /** TREND_LABELS index per candle. */
  trend: Uint8Array;
  /** VOLATILITY_LABELS index per candle. */
  volatility: Uint8Array;
  adx: Float64Array;
  pdi: Float64Array;
  mdi: Float64Array;
  atr: Float64Array;
  slopeAtr: Float64Array;
  hv: Float64Array;
  hvPercentile: Float64Array;
  meanReversion: Float64Array;
}

export function regimeSeries(
  candles: readonly Candle[] | CandleColumns,
  settings?: MarketSettings | MarketSettingsInput,
  intervalMs?: number,
): { series: RegimeSeries; stream: RegimeStream } {
  const c = asColumns(candles);
  const n = c.length;
  const stream = new RegimeStream(settings, intervalMs ?? inferIntervalMs(c.time));
  const f = () => new Float64Array(n);
  const s: RegimeSeries = {
    length: n,
    time: c.time,
    trend: new Uint8Array(n),
    volatility: new Uint8Array(n),
    adx: f(),
    pdi: f(),
    mdi: f(),
    atr: f(),
    slopeAtr: f(),
    hv: f(),
    hvPercentile: f(),
    meanReversion: f(),
  };
  for (let i = 0; i < n; i++) {
    s.trend[i] = stream.update(c.time[i]!, c.high[i]!, c.low[i]!, c.close[i]!);
    s.volatility[i] = stream.volatility;
    s.adx[i] = stream.adx.value;
    s.pdi[i] = stream.adx.pdi;
    s.mdi[i] = stream.adx.mdi;
    s.atr[i] = stream.atr.value;
    s.slopeAtr[i] = stream.slopeAtr;
    s.hv[i] = stream.hv.value;
    s.hvPercentile[i] = stream.hvPercentile;
    s.meanReversion[i] = stream.vr.probability;
  }
  return { series: s, stream };
}

/** Runs of one regime, for a timeline chart: [from, to] are candle open times, inclusive. */
export interface RegimeSpan {
  from: number;
  to: number;
  trend: TrendRegime;
}

export function trendSpans(series: RegimeSeries): RegimeSpan[] {
  const out: RegimeSpan[] = [];
  for (let i = 0; i < series.length; i++) {
    const code = series.trend[i]!;
    const last = out[out.length - 1];
    const label = TREND_LABELS[code] ?? 'unknown';
    if (last && last.trend === label) last.to = series.time[i]!;
    else out.push({ from: series.time[i]!, to: series.time[i]!, trend: label });
  }
  return out;
}

export interface TimeframeRegime {
  interval: CandleInterval;
  /** Candles the regime was computed on. */
  candles: number;
  /** Set when the candles were aggregated from a finer interval. */
  resampledFrom?: CandleInterval;
  regime: RegimePoint | null;
}

export interface MultiTimeframeRegime {
  timeframes: TimeframeRegime[];
  /** 1 when every known timeframe trends up, -1 when every one trends down, 0 otherwise. */
  alignment: -1 | 0 | 1;
}

/**
 * The regime on each of settings.timeframes. Candles for a timeframe are taken as given when present, otherwise
 * aggregated from the finest given interval that divides it; a timeframe with neither reports regime null.
 */
export function multiTimeframeRegime(
  source: Partial<Record<CandleInterval, readonly Candle[] | CandleColumns>>,
  settings?: MarketSettings | MarketSettingsInput,
): MultiTimeframeRegime {
  const s = resolveSettings(settings);
  const given = (Object.keys(source) as CandleInterval[])
    .filter((k) => source[k] !== undefined)
    .sort((a, b) => INTERVAL_MS[a] - INTERVAL_MS[b]);
  const timeframes = s.timeframes.map((interval): TimeframeRegime => {
    const tfMs = INTERVAL_MS[interval];
    let cols: CandleColumns | undefined;
    let resampledFrom: CandleInterval | undefined;
    const direct = source[interval];
    if (direct) cols = asColumns(direct);
    else {
      const base = given.find((g) => INTERVAL_MS[g] < tfMs && tfMs % INTERVAL_MS[g] === 0);
      const src = base ? source[base] : undefined;
      if (base && src) {
        cols = resampleColumns(asColumns(src), tfMs);
        resampledFrom = base;
      }
    }
    if (!cols || cols.length === 0) return { interval, candles: 0, regime: null };
    const stream = new RegimeStream(s, tfMs);
    for (let i = 0; i < cols.length; i++) stream.update(cols.time[i]!, cols.high[i]!, cols.low[i]!, cols.close[i]!);
    return { interval, candles: cols.length, ...(resampledFrom ? { resampledFrom } : {}), regime: stream.point() };
  });
  const dirs = timeframes
    .map((t) => t.regime?.trend)
    .filter((t): t is TrendRegime => t !== undefined && t !== 'unknown');
  const allUp = dirs.length > 0 && dirs.every((t) => t === 'strong_up' || t === 'weak_up');
  const allDown = dirs.length > 0 && dirs.every((t) => t === 'strong_down' || t === 'weak_down');
  return { timeframes, alignment: allUp ? 1 : allDown ? -1 : 0 };
}
