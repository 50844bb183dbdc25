/**
 * Session VWAP with standard-deviation bands. Per candle, typical price tp = (high + low + close) / 3;
 * VWAP = sum(v * tp) / sum(v) since the session start, sigma = sqrt(sum(v * tp^2) / sum(v) - VWAP^2) (the
 * volume-weighted standard deviation of tp), bands = VWAP +- k * sigma. Sums restart at each session boundary.
 */
import type { Candle } from '../domain/market';
import { asColumns, type CandleColumns } from './columns';
import { sessionOf } from './volume-profile';

export interface VwapOptions {
  sessionMs?: number;
  sessionOffsetMs?: number;
  /** Band multipliers of sigma (default [1, 2, 3]). */
  bands?: readonly number[];
}

/**
 * Incremental session VWAP. Until the session has volume the weights are equal (a zero-volume candle still has a
 * price), so VWAP is defined from the first candle. Sums are taken relative to the session's first typical price to
 * keep the variance precise at high prices.
 */
export class SessionVwapStream {
  readonly sessionMs: number;
  readonly offsetMs: number;
  vwap = NaN;
  sigma = NaN;
  sessionStart = NaN;
  private session = NaN;
  private ref = 0;
  private w = 0;
  private wx = 0;
  private wxx = 0;
  private n = 0;
  private x = 0;
  private xx = 0;

  constructor(sessionMs = 86_400_000, offsetMs = 0) {
    if (!(sessionMs > 0)) throw new RangeError(`sessionMs must be positive, got ${sessionMs}`);
    this.sessionMs = sessionMs;
    this.offsetMs = offsetMs;
  }

  update(time: number, high: number, low: number, close: number, volume: number): number {
    const tp = (high + low + close) / 3;
    const s = sessionOf(time, this.sessionMs, this.offsetMs);
    if (s !== this.session) {
      this.session = s;
      this.sessionStart = s * this.sessionMs + this.offsetMs;
      this.ref = tp;
      this.w = this.wx = this.wxx = this.n = this.x = this.xx = 0;
    }
    const d = tp - this.ref;
    const v = volume > 0 ? volume : 0;
    this.w += v;
    this.wx += v * d;
    this.wxx += v * d * d;
    this.n += 1;
    this.x += d;
    this.xx += d * d;
    const byVolume = this.w > 0;
    const sw = byVolume ? this.w : this.n;
    const mean = (byVolume ? this.wx : this.x) / sw;
    const variance = (byVolume ? this.wxx : this.xx) / sw - mean * mean;
    this.vwap = this.ref + mean;
    this.sigma = variance > 0 ? Math.sqrt(variance) : 0;
    return this.vwap;
  }
}

export interface VwapBand {
  multiplier: number;
  upper: Float64Array;
  lower: Float64Array;
}

/** Per-candle session VWAP, sigma and bands, aligned with the input candles. */
export interface VwapSeries {
  length: number;
  time: Float64Array;
  vwap: Float64Array;
  sigma: Float64Array;
  sessionStart: Float64Array;
  bands: VwapBand[];
}

export function sessionVwap(candles: readonly Candle[] | CandleColumns, opts: VwapOptions = {}): VwapSeries {
  const c = asColumns(candles);
  const n = c.length;
  // The stream validates the options and supplies the defaults; vwapColumns is its update, inlined.
  const stream = new SessionVwapStream(opts.sessionMs, opts.sessionOffsetMs);
  const mults = opts.bands ?? [1, 2, 3];
  const out: VwapSeries = {
    length: n,
    time: c.time,
    vwap: new Float64Array(n),
    sigma: new Float64Array(n),
    sessionStart: new Float64Array(n),
    bands: mults.map((multiplier) => ({ multiplier, upper: new Float64Array(n), lower: new Float64Array(n) })),
  };
  vwapColumns(c, stream.sessionMs, stream.offsetMs, out.vwap, out.sigma, out.sessionStart);
  for (const b of out.bands) bandColumns(out.vwap, out.sigma, b.multiplier, b.upper, b.lower);
  return out;
}

// Slots of vwapColumns' sums (SessionVwapStream's w, wx, wxx, n, x, xx).
const V_W = 0;
const V_WX = 1;
const V_WXX = 2;
const V_N = 3;
const V_X = 4;
const V_XX = 5;

/**
 * SessionVwapStream.update over the columns. Each loop here and in bandColumns is alone in its function with only
 * `return` after it, and the sums live in a Float64Array rather than loop-carried locals: V8 compiles a long first
 * loop on the spot, where code after the loop has not run yet (it would deoptimise on later calls) and every double a
 * loop carries is boxed (a heap allocation per candle; the session values change too rarely to matter).
 */
function vwapColumns(c: CandleColumns, sessionMs: number, offsetMs: number, vwap: Float64Array, sigma: Float64Array, sessionStart: Float64Array): void {
  const { length: n, time, high, low, close, volume } = c;
  const st = new Float64Array(6);
  let session = NaN;
  let start = NaN;
  let ref = 0;
  for (let i = 0; i < n; i++) {
    const tp = (high[i]! + low[i]! + close[i]!) / 3;
    const si = sessionOf(time[i]!, sessionMs, offsetMs);
    if (si !== session) {
      session = si;
      start = si * sessionMs + offsetMs;
      ref = tp;
      st.fill(0);
    }
    const d = tp - ref;
    const vol = volume[i]!;
    const v = vol > 0 ? vol : 0;
    const w = st[V_W]! + v;
    const wx = st[V_WX]! + v * d;
    const wxx = st[V_WXX]! + v * d * d;
    const cnt = st[V_N]! + 1;
    const x = st[V_X]! + d;
    const xx = st[V_XX]! + d * d;
    st[V_W] = w;
    st[V_WX] = wx;
    st[V_WXX] = wxx;
    st[V_N] = cnt;
    st[V_X] = x;
    st[V_XX] = xx;
    const byVolume = w > 0;
    const sw = byVolume ? w : cnt;
    const mean = (byVolume ? wx : x) / sw;
    const variance = (byVolume ? wxx : xx) / sw - mean * mean;
    vwap[i] = ref + mean;
    sigma[i] = variance > 0 ? Math.sqrt(variance) : 0;
    sessionStart[i] = start;
  }
}

/** One band pair: vwap +- k * sigma. */
function bandColumns(vwap: Float64Array, sigma: Float64Array, k: number, upper: Float64Array, lower: Float64Array): void {
  for (let i = 0; i < vwap.length; i++) {
    const v = vwap[i]!;
    const ks = k * sigma[i]!;
    upper[i] = v + ks;
    lower[i] = v - ks;
  }
}
