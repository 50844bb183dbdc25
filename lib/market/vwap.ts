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
  // The stream validates the options and supplies the defaults; vwapSession is its update, one session at a time.
  const { sessionMs, offsetMs } = new SessionVwapStream(opts.sessionMs, opts.sessionOffsetMs);
  const mults = opts.bands ?? [1, 2, 3];
  const out: VwapSeries = {
    length: n,
    time: c.time,
    vwap: new Float64Array(n),
    sigma: new Float64Array(n),
    sessionStart: new Float64Array(n),
    bands: mults.map((multiplier) => ({ multiplier, upper: new Float64Array(n), lower: new Float64Array(n) })),
  };
  // Every loop over the candles sits alone in its own function with only `return` after it: V8 compiles a long first
  // loop on the spot, before the code after it has run, and that code would then deoptimise on every later call.
  for (let i = 0; i < n; ) i = vwapSession(c, i, sessionMs, offsetMs, out);
  for (const b of out.bands) band(out.vwap, out.sigma, b);
  return out;
}

// vwapSession's running sums (SessionVwapStream's w, wx, wxx, n, x, xx).
const SUMS = new Float64Array(6);

/**
 * SessionVwapStream.update for the session starting at candle `from`, up to the first candle of another session
 * (a NaN time is a session of its own, as for the stream); returns that candle's index. The sums live in SUMS, not in
 * loop-carried locals: V8 may keep running this loop as code compiled on stack replacement, which boxes every double
 * a loop carries (a heap allocation per candle).
 */
function vwapSession(c: CandleColumns, from: number, sessionMs: number, offsetMs: number, out: VwapSeries): number {
  const { length: n, time, high, low, close, volume } = c;
  const { vwap, sigma, sessionStart } = out;
  const session = sessionOf(time[from]!, sessionMs, offsetMs);
  const start = session * sessionMs + offsetMs;
  const ref = (high[from]! + low[from]! + close[from]!) / 3;
  const sums = SUMS;
  sums.fill(0);
  let i = from;
  for (; i < n; i++) {
    if (i > from && sessionOf(time[i]!, sessionMs, offsetMs) !== session) break;
    const d = (high[i]! + low[i]! + close[i]!) / 3 - ref;
    const vol = volume[i]!;
    const v = vol > 0 ? vol : 0;
    const w = sums[0]! + v;
    const wx = sums[1]! + v * d;
    const wxx = sums[2]! + v * d * d;
    const cnt = sums[3]! + 1;
    const x = sums[4]! + d;
    const xx = sums[5]! + d * d;
    sums[0] = w;
    sums[1] = wx;
    sums[2] = wxx;
    sums[3] = cnt;
    sums[4] = x;
    sums[5] = xx;
    const byVolume = w > 0;
    const sw = byVolume ? w : cnt;
    const mean = (byVolume ? wx : x) / sw;
    const variance = (byVolume ? wxx : xx) / sw - mean * mean;
    vwap[i] = ref + mean;
    sigma[i] = variance > 0 ? Math.sqrt(variance) : 0;
    sessionStart[i] = start;
  }
  return i;
}

/** One band pair: vwap +- multiplier * sigma. */
function band(vwap: Float64Array, sigma: Float64Array, b: VwapBand): void {
  const { multiplier: k, upper, lower } = b;
  for (let i = 0; i < vwap.length; i++) {
    const v = vwap[i]!;
    const ks = k * sigma[i]!;
    upper[i] = v + ks;
    lower[i] = v - ks;
  }
}
