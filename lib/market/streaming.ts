/**
 * Streaming (incremental) indicators: one `update` per closed candle, O(1) each, no allocation. Each one follows the
 * arithmetic of its technicalindicators counterpart step by step (same seeds, same warm-up length, same operation
 * order) so a stream and the batch function agree to rounding; tests/unit/market/indicators.test.ts proves it.
 *
 * `update` returns the new value, NaN during warm-up. A background worker that restarts rebuilds a stream by
 * replaying recent candles (a few warm-up lengths are enough for the Wilder smoothings to converge).
 */
import { RollingWindow } from './rolling';

const checkPeriod = (name: string, period: number) => {
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`${name} period must be a positive integer, got ${period}`);
};

/** Simple moving average; the first value after `period` inputs. */
export class SmaStream {
  readonly period: number;
  value = NaN;
  private readonly buf: Float64Array;
  private head = 0;
  private n = 0;
  private sum = 0;

  constructor(period: number) {
    checkPeriod('SMA', period);
    this.period = period;
    this.buf = new Float64Array(period);
  }

  update(x: number): number {
    if (this.n < this.period) {
      this.n++;
      this.sum = this.sum + x;
    } else {
      // technicalindicators keeps sum - evicted + new (no re-summation); mirror it for identical rounding.
      this.sum = this.sum - this.buf[this.head]! + x;
    }
    this.buf[this.head] = x;
    this.head = this.head + 1 === this.period ? 0 : this.head + 1;
    this.value = this.n === this.period ? this.sum / this.period : NaN;
    return this.value;
  }
}

/** Exponential average seeded with the SMA of the first `period` inputs; alpha = 2 / (period + 1). */
export class EmaStream {
  readonly period: number;
  value = NaN;
  private readonly alpha: number;
  private readonly seed: SmaStream;

  constructor(period: number, alpha = 2 / (period + 1)) {
    checkPeriod('EMA', period);
    this.period = period;
    this.alpha = alpha;
    this.seed = new SmaStream(period);
  }

  update(x: number): number {
    if (Number.isNaN(this.value)) this.value = this.seed.update(x);
    else this.value = (x - this.value) * this.alpha + this.value;
    return this.value;
  }
}

/** Wilder's moving average (technicalindicators' WEMA): an EMA with alpha = 1 / period, SMA seed. */
export class WilderAverageStream extends EmaStream {
  constructor(period: number) {
    super(period, 1 / period);
  }
}

/** Wilder's running-sum smoothing (first value: sum of `period` inputs; then s - s / period + x), as used by ADX. */
class WilderSumStream {
  value = NaN;
  private n = 0;
  private sum = 0;
  constructor(private readonly period: number) {}
  update(x: number): number {
    if (this.n < this.period) {
      this.n++;
      this.sum = this.sum + x;
      if (this.n === this.period) this.value = this.sum;
    } else {
      this.value = this.value - this.value / this.period + x;
    }
    return this.value;
  }
}

/** True range: max(high - low, |high - prevClose|, |low - prevClose|); undefined (NaN) on the first candle. */
export class TrueRangeStream {
  value = NaN;
  private prevClose = NaN;
  update(high: number, low: number, close: number): number {
    const pc = this.prevClose;
    this.prevClose = close;
    if (Number.isNaN(pc)) return (this.value = NaN);
    return (this.value = Math.max(high - low, Math.abs(high - pc), Math.abs(low - pc)));
  }
}

/** Average true range: Wilder average of the true range; first value at candle index `period`. */
export class AtrStream {
  readonly period: number;
  value = NaN;
  private readonly tr = new TrueRangeStream();
  private readonly avg: WilderAverageStream;
  constructor(period: number) {
    checkPeriod('ATR', period);
    this.period = period;
    this.avg = new WilderAverageStream(period);
  }
  update(high: number, low: number, close: number): number {
    const tr = this.tr.update(high, low, close);
    if (Number.isNaN(tr)) return (this.value = NaN);
    return (this.value = this.avg.update(tr));
  }
}

/**
 * Average directional index with +DI and -DI; first ADX at candle index 2 * period - 1 (DI values are reported from
 * then on too, as technicalindicators does). Where technicalindicators divides 0 by 0 (no range or no directional
 * movement over a whole period) this stream uses DI = 0 and DX = 0: no movement is no trend.
 */
export class AdxStream {
  readonly period: number;
  value = NaN;
  pdi = NaN;
  mdi = NaN;
  private prevHigh = NaN;
  private prevLow = NaN;
  private readonly tr = new TrueRangeStream();
  private readonly sTr: WilderSumStream;
  private readonly sPdm: WilderSumStream;
  private readonly sMdm: WilderSumStream;
  private readonly dx: WilderAverageStream;

  constructor(period: number) {
    checkPeriod('ADX', period);
    this.period = period;
    this.sTr = new WilderSumStream(period);
    this.sPdm = new WilderSumStream(period);
    this.sMdm = new WilderSumStream(period);
    this.dx = new WilderAverageStream(period);
  }

  update(high: number, low: number, close: number): number {
    const tr = this.tr.update(high, low, close);
    const ph = this.prevHigh;
    const pl = this.prevLow;
    this.prevHigh = high;
    this.prevLow = low;
    if (Number.isNaN(tr)) return (this.value = NaN);
    const up = high - ph;
    const down = pl - low;
    const pdm = up > down && up > 0 ? up : 0;
    const mdm = down > up && down > 0 ? down : 0;
    const atr = this.sTr.update(tr);
    const apdm = this.sPdm.update(pdm);
    const amdm = this.sMdm.update(mdm);
    if (Number.isNaN(atr)) return (this.value = NaN);
    const pdi = atr > 0 ? (apdm * 100) / atr : 0;
    const mdi = atr > 0 ? (amdm * 100) / atr : 0;
    const sum = pdi + mdi;
    const dx = sum > 0 ? (Math.abs(pdi - mdi) / sum) * 100 : 0;
    this.value = this.dx.update(dx);
    const ready = !Number.isNaN(this.value);
    this.pdi = ready ? pdi : NaN;
    this.mdi = ready ? mdi : NaN;
    return this.value;
  }
}

/**
 * Relative strength index with Wilder averages of gains and losses; first value at index `period`. Like
 * technicalindicators it is rounded to 2 decimals, is 100 when the average loss is 0 (a flat series included) and 0
 * when the average gain is 0.
 */
export class RsiStream {
  readonly period: number;
  value = NaN;
  private prev = NaN;
  private n = 0;
  private gainSum = 0;
  private lossSum = 0;
  private avgGain = NaN;
  private avgLoss = NaN;

  constructor(period: number) {
    checkPeriod('RSI', period);
    this.period = period;
  }

  update(x: number): number {
    const prev = this.prev;
    this.prev = x;
    if (Number.isNaN(prev)) return (this.value = NaN);
    const d = x - prev;
    const gain = d > 0 ? d : 0;
    const loss = d < 0 ? -d : 0;
    const p = this.period;
    if (this.n < p) {
      this.n++;
      this.gainSum += gain;
      this.lossSum += loss;
      if (this.n < p) return (this.value = NaN);
      this.avgGain = this.gainSum / p;
      this.avgLoss = this.lossSum / p;
    } else {
      this.avgGain = (this.avgGain * (p - 1) + gain) / p;
      this.avgLoss = (this.avgLoss * (p - 1) + loss) / p;
    }
    if (this.avgLoss === 0) this.value = 100;
    else if (this.avgGain === 0) this.value = 0;
    else this.value = parseFloat((100 - 100 / (1 + this.avgGain / this.avgLoss)).toFixed(2));
    return this.value;
  }
}

/** Bollinger bands: SMA(period) +- k population standard deviations of the same window. */
export class BollingerStream {
  readonly period: number;
  readonly k: number;
  middle = NaN;
  upper = NaN;
  lower = NaN;
  private readonly win: RollingWindow;

  constructor(period: number, k: number) {
    checkPeriod('Bollinger', period);
    this.period = period;
    this.k = k;
    this.win = new RollingWindow(period);
  }

  update(x: number): number {
    this.win.push(x);
    if (!this.win.full) return (this.middle = this.upper = this.lower = NaN);
    const m = this.win.mean;
    const sd = Math.sqrt(this.win.variance);
    this.middle = m;
    this.upper = m + sd * this.k;
    this.lower = m - sd * this.k;
    return m;
  }
}

/**
 * Least-squares slope of the last `period` values against their index (0..period-1), per step. Sliding sums of y and
 * of x*y shift by one index per update: Sxy' = Sxy - (Sy - y_out) + (period - 1) * y_in.
 */
export class LinRegSlopeStream {
  readonly period: number;
  value = NaN;
  private readonly buf: Float64Array;
  private head = 0;
  private n = 0;
  private sy = 0;
  private sxy = 0;
  private ref = NaN;
  private sinceRecompute = 0;
  private readonly sx: number;
  private readonly den: number;

  constructor(period: number) {
    if (!Number.isInteger(period) || period < 2) throw new RangeError(`slope period must be an integer >= 2, got ${period}`);
    this.period = period;
    this.buf = new Float64Array(period);
    this.sx = (period * (period - 1)) / 2;
    this.den = period * ((period - 1) * period * (2 * period - 1)) / 6 - this.sx * this.sx;
  }

  update(y: number): number {
    const p = this.period;
    // Work relative to a reference (slope is shift-invariant) so ln-prices or prices keep their precision.
    if (Number.isNaN(this.ref)) this.ref = y;
    const d = y - this.ref;
    if (this.n < p) {
      this.sxy += this.n * d;
      this.sy += d;
      this.n++;
    } else {
      const out = this.buf[this.head]! - this.ref;
      this.sxy = this.sxy - (this.sy - out) + (p - 1) * d;
      this.sy = this.sy - out + d;
    }
    this.buf[this.head] = y;
    this.head = this.head + 1 === p ? 0 : this.head + 1;
    if (++this.sinceRecompute >= p) this.recompute();
    this.value = this.n === p ? (p * this.sxy - this.sx * this.sy) / this.den : NaN;
    return this.value;
  }

  private recompute(): void {
    this.sinceRecompute = 0;
    const p = this.period;
    const newest = this.buf[(this.head + p - 1) % p]!;
    this.ref = newest;
    let sy = 0;
    let sxy = 0;
    // Oldest first: x = 0 for the oldest value in the window. The ring index wraps by a compare, not a modulo.
    const buf = this.buf;
    const ref = this.ref;
    let k = (this.head - this.n + p) % p;
    for (let j = 0; j < this.n; j++) {
      const v = buf[k]! - ref;
      sy += v;
      sxy += j * v;
      k = k + 1 === p ? 0 : k + 1;
    }
    this.sy = sy;
    this.sxy = sxy;
  }
}

/** Sample standard deviation of the last `period` log returns (per bar); first value once `period` returns exist. */
export class HistoricalVolatilityStream {
  readonly period: number;
  value = NaN;
  private prevLog = NaN;
  private readonly win: RollingWindow;
  constructor(period: number) {
    if (!Number.isInteger(period) || period < 2) throw new RangeError(`HV period must be an integer >= 2, got ${period}`);
    this.period = period;
    this.win = new RollingWindow(period);
  }
  update(close: number): number {
    return this.updateLog(Math.log(close));
  }
  /** Same as update, given ln(close) (a caller feeding several streams takes the log once). */
  updateLog(lnClose: number): number {
    const prev = this.prevLog;
    this.prevLog = lnClose;
    if (Number.isNaN(prev)) return (this.value = NaN);
    this.win.push(lnClose - prev);
    return (this.value = this.win.full ? Math.sqrt(this.win.sampleVariance) : NaN);
  }
}

/** Standard normal CDF by Marsaglia's series, Phi(x) = 1/2 + phi(x) (x + x^3/3 + x^5/(3*5) + ...): ~1e-15 absolute. */
function phiSeries(x: number): number {
  let sum = x;
  let prev = 0;
  let term = x;
  const q = x * x;
  for (let i = 1; sum !== prev; ) {
    prev = sum;
    i += 2;
    term *= q / i;
    sum = prev + term;
  }
  return 0.5 + sum * Math.exp(-0.5 * q - 0.9189385332046728);
}

// Cubic Hermite table of Phi on [-8, 8] (values and exact derivatives phi at the nodes): the per-candle probability
// costs a few multiplications instead of an exp, with absolute error below 1e-7.
const CDF_H = 1 / 16;
const CDF_INV_H = 16;
const CDF_LO = -8;
const CDF_N = 16 / CDF_H + 1;
const CDF_F = new Float64Array(CDF_N);
const CDF_D = new Float64Array(CDF_N);
for (let i = 0; i < CDF_N; i++) {
  const z = CDF_LO + i * CDF_H;
  CDF_F[i] = phiSeries(z);
  CDF_D[i] = Math.exp(-0.5 * z * z - 0.9189385332046728) * CDF_H;
}

/** Standard normal CDF (table interpolation; 0 / 1 beyond -8 / 8, where the true value is within 7e-16). */
export function normalCdf(z: number): number {
  if (!(z > CDF_LO)) return z <= CDF_LO ? 0 : NaN;
  // Times 1 / CDF_H (a power of two, so exactly the same as dividing by CDF_H, and cheaper).
  const t = (z - CDF_LO) * CDF_INV_H;
  const i = Math.floor(t);
  if (i >= CDF_N - 1) return 1;
  const u = t - i;
  const u2 = u * u;
  const u3 = u2 * u;
  return (
    (2 * u3 - 3 * u2 + 1) * CDF_F[i]! +
    (u3 - 2 * u2 + u) * CDF_D[i]! +
    (-2 * u3 + 3 * u2) * CDF_F[i + 1]! +
    (u3 - u2) * CDF_D[i + 1]!
  );
}

/**
 * Lo-MacKinlay variance ratio VR(q) of the last `lookback` one-bar log returns, and the probability that the
 * series mean-reverts: P = Phi(-z), z = (VR - 1) / sqrt(2(2q - 1)(q - 1) / (3qL)). VR < 1 (anti-persistent
 * returns) pushes P above 0.5, VR > 1 (trending) below; a window without variance gives 0.5 (no evidence).
 */
export class VarianceRatioStream {
  readonly lookback: number;
  readonly horizon: number;
  ratio = NaN;
  probability = NaN;
  /** The last horizon + 1 log closes, for the q-bar return ln C_t - ln C_{t-q}. */
  private readonly logs: Float64Array;
  private head = 0;
  private seen = 0;
  private readonly r1: RollingWindow;
  private readonly rq: RollingWindow;
  // Reciprocals of the windows' sizes, the horizon and the z-score's standard error (see varianceRatioOf).
  private readonly inv1: number;
  private readonly invq: number;
  private readonly invQ: number;
  private readonly invSeZ: number;

  constructor(lookback: number, horizon: number) {
    if (!Number.isInteger(horizon) || horizon < 2) throw new RangeError(`variance-ratio horizon must be >= 2, got ${horizon}`);
    if (!Number.isInteger(lookback) || lookback < 2 * horizon)
      throw new RangeError(`variance-ratio lookback must be >= 2 * horizon, got ${lookback}`);
    this.lookback = lookback;
    this.horizon = horizon;
    this.logs = new Float64Array(horizon + 1);
    this.r1 = new RollingWindow(lookback);
    this.rq = new RollingWindow(lookback - horizon + 1);
    const q = horizon;
    this.inv1 = 1 / lookback;
    this.invq = 1 / (lookback - horizon + 1);
    this.invQ = 1 / q;
    this.invSeZ = 1 / Math.sqrt((2 * (2 * q - 1) * (q - 1)) / (3 * q * lookback));
  }

  update(close: number): number {
    return this.updateLog(Math.log(close));
  }

  /** Same as update, given ln(close). */
  updateLog(lnClose: number): number {
    const size = this.horizon + 1;
    const prevIdx = this.head === 0 ? size - 1 : this.head - 1;
    const prev = this.logs[prevIdx]!;
    this.logs[this.head] = lnClose;
    this.head = this.head + 1 === size ? 0 : this.head + 1;
    this.seen++;
    if (this.seen === 1) return (this.probability = NaN);
    this.r1.push(lnClose - prev);
    // After the write, the oldest slot (at head) holds ln C_{t-q}.
    if (this.seen > this.horizon) this.rq.push(lnClose - this.logs[this.head]!);
    if (!this.r1.full) return (this.probability = NaN);
    const { r1, rq } = this;
    const ratio = varianceRatioOf(r1['ref'], r1['s'], r1['ss'], this.inv1, rq['ref'], rq['s'], rq['ss'], this.invq, this.horizon, this.invQ);
    this.ratio = ratio;
    // No one-bar variance: no evidence either way.
    return (this.probability = ratio === ratio ? normalCdf((1 - ratio) * this.invSeZ) : 0.5);
  }
}

/**
 * VR(q) from the two full windows' sums about their reference values (RollingWindow's ref, s, ss): each window's mean
 * and population variance as RollingWindow computes them, then sum((rq - q mu)^2) / (q M) = (var_q + (mean_q - q mu)^2)
 * / q over var_1; NaN without one-bar variance. The constant divisors come as reciprocals (inv1 = 1 / lookback, invq =
 * 1 / (lookback - q + 1), invQ = 1 / q): this runs on every candle, and a multiplication costs a fraction of a division.
 * VarianceRatioStream and regimeSeries' batch loop both call it, so they agree bit for bit.
 */
export function varianceRatioOf(
  r1Ref: number,
  r1Sum: number,
  r1Sq: number,
  inv1: number,
  rqRef: number,
  rqSum: number,
  rqSq: number,
  invq: number,
  q: number,
  invQ: number,
): number {
  const mu = r1Ref + r1Sum * inv1;
  const v1 = (r1Sq - r1Sum * r1Sum * inv1) * inv1;
  const vq = (rqSq - rqSum * rqSum * invq) * invq;
  const dm = rqRef + rqSum * invq - q * mu;
  const varq = ((vq > 0 ? vq : 0) + dm * dm) * invQ;
  return v1 > 0 ? varq / v1 : NaN;
}
