/**
 * Batch indicators: technicalindicators for ADX, ATR, RSI, EMA, SMA and Bollinger bands; the linear-regression slope
 * (which technicalindicators lacks) is computed here. Every result is aligned with the input: element i belongs to
 * candle i and is NaN during the warm-up, so a chart can plot it against the candle times directly.
 */
import * as ti from 'technicalindicators';
import type { Candle } from '../domain/market';
import { asColumns, type CandleColumns } from './columns';
import { AdxStream } from './streaming';

const nanArray = (n: number) => new Float64Array(n).fill(NaN);

/** Places a warm-up-trimmed result at the end of an input-aligned array. */
function alignTail(n: number, values: readonly number[]): Float64Array {
  const out = nanArray(n);
  const off = n - values.length;
  for (let k = 0; k < values.length; k++) out[off + k] = values[k]!;
  return out;
}

const list = (xs: ArrayLike<number>): number[] => Array.from(xs);

export function sma(values: ArrayLike<number>, period: number): Float64Array {
  return alignTail(values.length, ti.SMA.calculate({ period, values: list(values) }));
}

export function ema(values: ArrayLike<number>, period: number): Float64Array {
  return alignTail(values.length, ti.EMA.calculate({ period, values: list(values) }));
}

export function rsi(values: ArrayLike<number>, period: number): Float64Array {
  return alignTail(values.length, ti.RSI.calculate({ period, values: list(values) }));
}

export function atr(candles: readonly Candle[] | CandleColumns, period: number): Float64Array {
  const c = asColumns(candles);
  return alignTail(c.length, ti.ATR.calculate({ period, high: list(c.high), low: list(c.low), close: list(c.close) }));
}

export interface AdxSeries {
  adx: Float64Array;
  pdi: Float64Array;
  mdi: Float64Array;
}

/**
 * ADX, +DI and -DI. technicalindicators returns NaN from the first period without range or directional movement on
 * (0 / 0, which then never leaves its Wilder average); for such input the same recurrence is evaluated with DI = 0
 * and DX = 0 there (AdxStream), so flat stretches read as "no trend" instead of poisoning the series.
 */
export function adx(candles: readonly Candle[] | CandleColumns, period: number): AdxSeries {
  const c = asColumns(candles);
  const n = c.length;
  const res = ti.ADX.calculate({ period, high: list(c.high), low: list(c.low), close: list(c.close) });
  const out: AdxSeries = { adx: nanArray(n), pdi: nanArray(n), mdi: nanArray(n) };
  let degenerate = false;
  const off = n - res.length;
  for (let k = 0; k < res.length; k++) {
    const r = res[k]!;
    if (!Number.isFinite(r.adx) || !Number.isFinite(r.pdi) || !Number.isFinite(r.mdi)) {
      degenerate = true;
      break;
    }
    out.adx[off + k] = r.adx;
    out.pdi[off + k] = r.pdi;
    out.mdi[off + k] = r.mdi;
  }
  if (!degenerate) return out;
  const s = new AdxStream(period);
  for (let i = 0; i < n; i++) {
    out.adx[i] = s.update(c.high[i]!, c.low[i]!, c.close[i]!);
    out.pdi[i] = s.pdi;
    out.mdi[i] = s.mdi;
  }
  return out;
}

export interface BollingerSeries {
  middle: Float64Array;
  upper: Float64Array;
  lower: Float64Array;
}

export function bollinger(values: ArrayLike<number>, period: number, stdDev: number): BollingerSeries {
  const n = values.length;
  const res = ti.BollingerBands.calculate({ period, stdDev, values: list(values) });
  const out: BollingerSeries = { middle: nanArray(n), upper: nanArray(n), lower: nanArray(n) };
  const off = n - res.length;
  for (let k = 0; k < res.length; k++) {
    const r = res[k]!;
    out.middle[off + k] = r.middle;
    out.upper[off + k] = r.upper;
    out.lower[off + k] = r.lower;
  }
  return out;
}

/**
 * Least-squares slope of each window of `period` values against x = 0..period-1 (not in technicalindicators):
 * slope = sum((x - xbar)(y - ybar)) / sum((x - xbar)^2), evaluated directly per window (O(n * period)); the streaming
 * version slides the sums instead.
 */
export function linRegSlope(values: ArrayLike<number>, period: number): Float64Array {
  if (!Number.isInteger(period) || period < 2) throw new RangeError(`slope period must be an integer >= 2, got ${period}`);
  const n = values.length;
  const out = nanArray(n);
  const xbar = (period - 1) / 2;
  let sxx = 0;
  for (let x = 0; x < period; x++) sxx += (x - xbar) * (x - xbar);
  for (let i = period - 1; i < n; i++) {
    const start = i - period + 1;
    let ybar = 0;
    for (let x = 0; x < period; x++) ybar += values[start + x]!;
    ybar /= period;
    let sxy = 0;
    for (let x = 0; x < period; x++) sxy += (x - xbar) * (values[start + x]! - ybar);
    out[i] = sxy / sxx;
  }
  return out;
}
