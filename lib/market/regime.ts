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
import { AdxStream, AtrStream, HistoricalVolatilityStream, LinRegSlopeStream, normalCdf, VarianceRatioStream, varianceRatioOf } from './streaming';

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
  // Warm-up through the stream itself; the rest in one fused pass over the columns (same arithmetic, same state).
  const warm = Math.min(n, warmupLength(stream.settings));
  streamRange(stream, c, s, 0, warm);
  const done = warm < n ? fusedRange(stream, c, s, warm) : n;
  streamRange(stream, c, s, done, n);
  return { series: s, stream };
}

/** Candles after which every part of a RegimeStream is past its warm-up (all sums seeded, all windows full). */
function warmupLength(st: MarketSettings): number {
  const p = st.indicators;
  return Math.max(2 * p.adxPeriod, p.atrPeriod + 1, p.slopePeriod, st.volatility.hvPeriod + st.volatility.lookback, st.meanReversion.lookback + 1);
}

/** The reference path: RegimeStream.update per candle, columns copied from its state. */
function streamRange(stream: RegimeStream, c: CandleColumns, s: RegimeSeries, from: number, to: number): void {
  for (let i = from; i < to; i++) {
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
}

// Prices beyond this could overflow the true range or the ADX sums; such input takes the reference path.
const PRICE_LIMIT = 1e300;
const goodCandle = (h: number, l: number, cl: number) =>
  cl > 0 && cl < PRICE_LIMIT && h > -PRICE_LIMIT && h < PRICE_LIMIT && l > -PRICE_LIMIT && l < PRICE_LIMIT;

/**
 * RegimeStream.update for candles from `from` on, for a stream past its warm-up, as one loop over the columns (see
 * FusedRegime). Returns the index to continue from with the reference path: the end, or a candle the loop cannot
 * mirror exactly (non-finite or out-of-range prices, an undefined DX).
 */
function fusedRange(stream: RegimeStream, c: CandleColumns, s: RegimeSeries, from: number): number {
  // The loop mirrors a stream whose state never saw a NaN: one that did takes the reference path throughout.
  for (let k = 0; k < from; k++) if (!goodCandle(c.high[k]!, c.low[k]!, c.close[k]!)) return from;
  if (Number.isNaN(stream.adx.value) || Number.isNaN(stream.atr.value)) return from;
  const f = new FusedRegime(stream, c, s);
  const i = f.run(from, c.length);
  if (i > from) {
    f.rank(from, i);
    f.save(stream, c, from, i);
  }
  return i;
}

// Slots of FusedRegime.d: the sums the loop carries from one candle to the next, and the windows' reference values.
const D_S_TR = 0;
const D_S_PDM = 1;
const D_S_MDM = 2;
const D_LR_SY = 3;
const D_LR_SXY = 4;
const D_HV_SUM = 5;
const D_HV_SQ = 6;
const D_R1_SUM = 7;
const D_R1_SQ = 8;
const D_RQ_SUM = 9;
const D_RQ_SQ = 10;
const D_LR_REF = 11;
const D_HV_REF = 12;
const D_R1_REF = 13;
const D_RQ_REF = 14;
const D_SIZE = 15;

/**
 * The state of a warmed-up RegimeStream unpacked, advanced by `run` in one loop without calls or warm-up branches.
 * The expressions and their order are those of the stream classes, so every value is bit-identical; `save` writes the
 * state back so the stream continues exactly.
 * V8 may compile the loop on stack replacement (a long first call), and such code boxes every double a loop carries
 * in a local (a heap allocation per value per candle). So the sums that change every candle live in a Float64Array
 * (d); the previous candle's prices, ln(close), ADX and ATR are read back from the columns and rings; only values that
 * rarely change (the windows' reference values) and integers are carried in locals. Nothing but `return` follows the
 * loop, as code there may lack type feedback when the loop is compiled; `save` derives the final positions instead.
 * The HV percentile keeps the window as a doubly linked list in value order over the ring slots (sentinels at W and
 * W + 1 hold -Infinity and +Infinity) and walks from the newest value's node to the next one's place: HV moves
 * slowly, so the walk is short, and there is no search for the evicted value and no shifting.
 */
class FusedRegime {
  // Numeric fields start as numbers, not undefined, so V8 keeps them unboxed.
  private readonly adxStrong: number = NaN;
  private readonly adxWeak: number = NaN;
  private readonly slopeStrong: number = NaN;
  private readonly slopeWeak: number = NaN;
  private readonly lowPct: number = NaN;
  private readonly highPct: number = NaN;
  private readonly pA: number = 0;
  private readonly aA: number = NaN;
  private readonly aT: number = NaN;
  private readonly pL: number = 0;
  private readonly lrSx: number = NaN;
  private readonly lrDen: number = NaN;
  private readonly pH: number = 0;
  private readonly q: number = 0;
  private readonly invSeZ: number = NaN;
  private readonly inv1: number = NaN;
  private readonly invq: number = NaN;
  private readonly invQ: number = NaN;
  private readonly pR1: number = 0;
  private readonly pRq: number = 0;
  private readonly W: number = 0;
  // Ring positions and recompute counters at the start (each advances by one per candle), and the counts of HV
  // window values below and equal to the newest one.
  private readonly lrHead: number = 0;
  private readonly lrSince: number = 0;
  private readonly hvHead: number = 0;
  private readonly hvSince: number = 0;
  private readonly logHead: number = 0;
  private readonly seen: number = 0;
  private readonly r1Head: number = 0;
  private readonly r1Since: number = 0;
  private readonly rqHead: number = 0;
  private readonly rqSince: number = 0;
  private readonly ringHead: number = 0;
  private readonly below: number = 0;
  private readonly equal: number = 0;
  private readonly high: Float64Array;
  private readonly low: Float64Array;
  private readonly close: Float64Array;
  private readonly s: RegimeSeries;
  private readonly lrBuf: Float64Array;
  private readonly hvBuf: Float64Array;
  private readonly logs: Float64Array;
  private readonly r1Buf: Float64Array;
  private readonly rqBuf: Float64Array;
  // HV window: slot values (ring order, then the two sentinels) and the list links.
  private readonly val: Float64Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly d = new Float64Array(D_SIZE);

  constructor(stream: RegimeStream, c: CandleColumns, s: RegimeSeries) {
    const d = this.d;
    this.high = c.high;
    this.low = c.low;
    this.close = c.close;
    this.s = s;
    const t = stream.settings.trend;
    const v = stream.settings.volatility;
    this.adxStrong = t.adxStrong;
    this.adxWeak = t.adxWeak;
    this.slopeStrong = t.slopeStrongAtr;
    this.slopeWeak = t.slopeWeakAtr;
    this.lowPct = v.lowPercentile;
    this.highPct = v.highPercentile;

    const adx = stream.adx;
    this.pA = adx.period;
    this.aA = adx['dx']['alpha'];
    this.aT = stream.atr['avg']['alpha'];
    d[D_S_TR] = adx['sTr'].value;
    d[D_S_PDM] = adx['sPdm'].value;
    d[D_S_MDM] = adx['sMdm'].value;

    const lr = stream['lr'];
    this.pL = lr.period;
    this.lrSx = lr['sx'];
    this.lrDen = lr['den'];
    this.lrBuf = lr['buf'];
    this.lrHead = lr['head'];
    this.lrSince = lr['sinceRecompute'];
    d[D_LR_SY] = lr['sy'];
    d[D_LR_SXY] = lr['sxy'];
    d[D_LR_REF] = lr['ref'];

    const hvWin = stream.hv['win'];
    this.pH = hvWin.size;
    this.hvBuf = hvWin['buf'];
    this.hvHead = hvWin['head'];
    this.hvSince = hvWin['sinceRecompute'];
    d[D_HV_REF] = hvWin['ref'];
    d[D_HV_SUM] = hvWin['s'];
    d[D_HV_SQ] = hvWin['ss'];

    const vr = stream.vr;
    this.q = vr.horizon;
    this.invSeZ = vr['invSeZ'];
    this.inv1 = vr['inv1'];
    this.invq = vr['invq'];
    this.invQ = vr['invQ'];
    this.logs = vr['logs'];
    this.logHead = vr['head'];
    this.seen = vr['seen'];
    const r1 = vr['r1'];
    this.pR1 = r1.size;
    this.r1Buf = r1['buf'];
    this.r1Head = r1['head'];
    this.r1Since = r1['sinceRecompute'];
    d[D_R1_REF] = r1['ref'];
    d[D_R1_SUM] = r1['s'];
    d[D_R1_SQ] = r1['ss'];
    const rq = vr['rq'];
    this.pRq = rq.size;
    this.rqBuf = rq['buf'];
    this.rqHead = rq['head'];
    this.rqSince = rq['sinceRecompute'];
    d[D_RQ_REF] = rq['ref'];
    d[D_RQ_SUM] = rq['s'];
    d[D_RQ_SQ] = rq['ss'];

    const win = stream['hvWindow'];
    const W = win.size;
    this.W = W;
    const val = new Float64Array(W + 2);
    val.set(win['ring']);
    val[W] = -Infinity;
    val[W + 1] = Infinity;
    const next = new Int32Array(W + 2);
    const prev = new Int32Array(W + 2);
    const order = Array.from({ length: W }, (_, j) => j).sort((a, b) => val[a]! - val[b]!);
    let last = W;
    for (const j of order) {
      next[last] = j;
      prev[j] = last;
      last = j;
    }
    next[last] = W + 1;
    prev[W + 1] = last;
    this.val = val;
    this.next = next;
    this.prev = prev;
    this.ringHead = win['head'];
    [this.below, this.equal] = this.counts(this.ringHead);
  }

  /** Window values below and equal to the newest one (the slot before ringHead). */
  private counts(ringHead: number): [number, number] {
    const { W, val } = this;
    const cv = val[ringHead === 0 ? W - 1 : ringHead - 1]!;
    let below = 0;
    let equal = 0;
    for (let j = 0; j < W; j++) {
      if (val[j]! < cv) below++;
      else if (val[j] === cv) equal++;
    }
    return [below, equal];
  }

  /** Candles [from, to) (from >= 1); returns the index it stopped at (to, or a candle the loop cannot mirror). */
  run(from: number, to: number): number {
    const { high, low, close, s, d, pA, aA, aT, pL, lrSx, lrDen, lrBuf, pH, hvBuf, q, logs, pR1, r1Buf, pRq, rqBuf } = this;
    const { invSeZ, inv1, invq, invQ } = this;
    const { adxStrong, adxWeak, slopeStrong, slopeWeak } = this;
    const { trend: oTrend, adx: oAdx, pdi: oPdi, mdi: oMdi, atr: oAtr, slopeAtr: oSlopeAtr, hv: oHv, meanReversion: oMr } = s;
    const logSize = q + 1;
    // Codes as locals: a property load in a branch not yet taken would deoptimise the compiled loop when first taken.
    const { unknown: tUnknown, strongDown, weakDown, ranging, weakUp, strongUp } = TREND;
    let { lrHead, lrSince, hvHead, hvSince, logHead, r1Head, r1Since, rqHead, rqSince } = this;
    let lrRef = d[D_LR_REF]!;
    let hvRef = d[D_HV_REF]!;
    let r1Ref = d[D_R1_REF]!;
    let rqRef = d[D_RQ_REF]!;

    let i = from;
    for (; i < to; i++) {
      const h = high[i]!;
      const l = low[i]!;
      const cl = close[i]!;
      if (!goodCandle(h, l, cl)) break;

      // TrueRangeStream, then AdxStream (WilderSumStream x3, DX WilderAverageStream) and AtrStream.
      const prevClose = close[i - 1]!;
      // Math.max(h - l, |h - pc|, |l - pc|) for finite values: >= keeps its +0 over -0 (the abs terms are never -0).
      let tr = h - l;
      const hc = Math.abs(h - prevClose);
      const lc = Math.abs(l - prevClose);
      if (hc >= tr) tr = hc;
      if (lc >= tr) tr = lc;
      const up = h - high[i - 1]!;
      const down = low[i - 1]! - l;
      const pdm = up > down && up > 0 ? up : 0;
      const mdm = down > up && down > 0 ? down : 0;
      const sTr0 = d[D_S_TR]!;
      const sPdm0 = d[D_S_PDM]!;
      const sMdm0 = d[D_S_MDM]!;
      const sTr = sTr0 - sTr0 / pA + tr;
      const sPdm = sPdm0 - sPdm0 / pA + pdm;
      const sMdm = sMdm0 - sMdm0 / pA + mdm;
      const pdi = sTr > 0 ? (sPdm * 100) / sTr : 0;
      const mdi = sTr > 0 ? (sMdm * 100) / sTr : 0;
      const diSum = pdi + mdi;
      const dx = diSum > 0 ? (Math.abs(pdi - mdi) / diSum) * 100 : 0;
      // A NaN DX would send the stream's average back to its seed: leave that to the reference path.
      if (dx !== dx) break;
      const adx0 = oAdx[i - 1]!;
      const atr0 = oAtr[i - 1]!;
      const adx = (dx - adx0) * aA + adx0;
      const atr = (tr - atr0) * aT + atr0;
      d[D_S_TR] = sTr;
      d[D_S_PDM] = sPdm;
      d[D_S_MDM] = sMdm;

      // LinRegSlopeStream (window full).
      const lnClose = Math.log(cl);
      let lrSy = d[D_LR_SY]!;
      let lrSxy = d[D_LR_SXY]!;
      {
        const e = lnClose - lrRef;
        const out = lrBuf[lrHead]! - lrRef;
        lrSxy = lrSxy - (lrSy - out) + (pL - 1) * e;
        lrSy = lrSy - out + e;
        lrBuf[lrHead] = lnClose;
        lrHead = lrHead + 1 === pL ? 0 : lrHead + 1;
        if (++lrSince >= pL) {
          lrSince = 0;
          lrRef = lnClose;
          d[D_LR_REF] = lrRef;
          let sy = 0;
          let sxy = 0;
          let j = lrHead;
          for (let x = 0; x < pL; x++) {
            const y = lrBuf[j]! - lrRef;
            sy += y;
            sxy += x * y;
            j = j + 1 === pL ? 0 : j + 1;
          }
          lrSy = sy;
          lrSxy = sxy;
        }
        d[D_LR_SY] = lrSy;
        d[D_LR_SXY] = lrSxy;
      }
      const slope = (pL * lrSxy - lrSx * lrSy) / lrDen;
      const slopeAtr = atr > 0 ? (slope * pL * cl) / atr : atr === 0 ? 0 : NaN;
      // classifyTrend
      let trend: number;
      if (!Number.isFinite(adx) || !Number.isFinite(slopeAtr)) trend = tUnknown;
      else {
        const m = Math.abs(slopeAtr);
        const rising = slopeAtr > 0;
        if (adx >= adxStrong && m >= slopeStrong) trend = rising ? strongUp : strongDown;
        else if (adx >= adxWeak && m >= slopeWeak) trend = rising ? weakUp : weakDown;
        else trend = ranging;
      }

      // The previous ln(close): the newest entry of the variance ratio's log ring (HistoricalVolatilityStream's prevLog).
      const prevLog = logs[logHead === 0 ? logSize - 1 : logHead - 1]!;

      // HistoricalVolatilityStream: RollingWindow push (full), sample SD.
      const ret = lnClose - prevLog;
      let hvSum = d[D_HV_SUM]!;
      let hvSq = d[D_HV_SQ]!;
      {
        const e = ret - hvRef;
        const o = hvBuf[hvHead]! - hvRef;
        hvSum += e - o;
        hvSq += e * e - o * o;
        hvBuf[hvHead] = ret;
        hvHead = hvHead + 1 === pH ? 0 : hvHead + 1;
        if (++hvSince >= pH) {
          hvSince = 0;
          hvRef = ret;
          d[D_HV_REF] = hvRef;
          let a = 0;
          let b = 0;
          for (let j = 0; j < pH; j++) {
            const y = hvBuf[j]! - hvRef;
            a += y;
            b += y * y;
          }
          hvSum = a;
          hvSq = b;
        }
        d[D_HV_SUM] = hvSum;
        d[D_HV_SQ] = hvSq;
      }
      const hvVar = (hvSq - (hvSum * hvSum) / pH) / (pH - 1);
      const hv = Math.sqrt(hvVar > 0 ? hvVar : 0);

      // VarianceRatioStream (both windows full).
      logs[logHead] = lnClose;
      logHead = logHead + 1 === logSize ? 0 : logHead + 1;
      let r1Sum = d[D_R1_SUM]!;
      let r1Sq = d[D_R1_SQ]!;
      {
        const x1 = lnClose - prevLog;
        const e = x1 - r1Ref;
        const o = r1Buf[r1Head]! - r1Ref;
        r1Sum += e - o;
        r1Sq += e * e - o * o;
        r1Buf[r1Head] = x1;
        r1Head = r1Head + 1 === pR1 ? 0 : r1Head + 1;
        if (++r1Since >= pR1) {
          r1Since = 0;
          r1Ref = x1;
          d[D_R1_REF] = r1Ref;
          let a = 0;
          let b = 0;
          for (let j = 0; j < pR1; j++) {
            const y = r1Buf[j]! - r1Ref;
            a += y;
            b += y * y;
          }
          r1Sum = a;
          r1Sq = b;
        }
        d[D_R1_SUM] = r1Sum;
        d[D_R1_SQ] = r1Sq;
      }
      let rqSum = d[D_RQ_SUM]!;
      let rqSq = d[D_RQ_SQ]!;
      {
        const xq = lnClose - logs[logHead]!;
        const e = xq - rqRef;
        const o = rqBuf[rqHead]! - rqRef;
        rqSum += e - o;
        rqSq += e * e - o * o;
        rqBuf[rqHead] = xq;
        rqHead = rqHead + 1 === pRq ? 0 : rqHead + 1;
        if (++rqSince >= pRq) {
          rqSince = 0;
          rqRef = xq;
          d[D_RQ_REF] = rqRef;
          let a = 0;
          let b = 0;
          for (let j = 0; j < pRq; j++) {
            const y = rqBuf[j]! - rqRef;
            a += y;
            b += y * y;
          }
          rqSum = a;
          rqSq = b;
        }
        d[D_RQ_SUM] = rqSum;
        d[D_RQ_SQ] = rqSq;
      }
      const ratio = varianceRatioOf(r1Ref, r1Sum, r1Sq, inv1, rqRef, rqSum, rqSq, invq, q, invQ);
      const prob = ratio === ratio ? normalCdf((1 - ratio) * invSeZ) : 0.5;

      oTrend[i] = trend;
      oAdx[i] = adx;
      oPdi[i] = pdi;
      oMdi[i] = mdi;
      oAtr[i] = atr;
      oSlopeAtr[i] = slopeAtr;
      oHv[i] = hv;
      oMr[i] = prob;
    }
    return i;
  }

  /**
   * SortedWindow.pushAndRank of the HV column over [from, to), with classifyVolatility: a pass of its own, so the
   * list walk runs without the main loop's many live values.
   */
  rank(from: number, to: number): void {
    const { W, val, next, prev, lowPct, highPct } = this;
    const { hv: oHv, hvPercentile: oPct, volatility: oVol } = this.s;
    const { unknown: vUnknown, low: vLow, medium: vMedium, high: vHigh } = VOLATILITY;
    let { ringHead, below, equal } = this;
    let cur = ringHead === 0 ? W - 1 : ringHead - 1;
    for (let i = from; i < to; i++) {
      const hv = oHv[i]!;
      // SortedWindow.pushAndRank(hv): the oldest slot leaves the list and takes hv at its place in value order.
      {
        const slot = ringHead;
        ringHead = ringHead + 1 === W ? 0 : ringHead + 1;
        const cv = val[cur]!;
        const y = val[slot]!;
        const pS = prev[slot]!;
        const nS = next[slot]!;
        next[pS] = nS;
        prev[nS] = pS;
        let after: number;
        let nb: number;
        let ne = 0;
        if (slot === cur) {
          // W = 1: the window is empty now.
          after = W;
          nb = 0;
        } else {
          if (y < cv) below--;
          else if (y === cv) equal--;
          if (hv > cv) {
            // Past the values equal to cv, count those below hv, then those equal to it.
            let node = next[cur]!;
            while (val[node]! <= cv) node = next[node]!;
            let m = 0;
            while (val[node]! < hv) {
              m++;
              node = next[node]!;
            }
            nb = below + equal + m;
            while (val[node] === hv) {
              ne++;
              node = next[node]!;
            }
            after = prev[node]!;
          } else if (hv < cv) {
            let node = prev[cur]!;
            while (val[node]! >= cv) node = prev[node]!;
            let m = 0;
            while (val[node]! > hv) {
              m++;
              node = prev[node]!;
            }
            while (val[node] === hv) {
              ne++;
              node = prev[node]!;
            }
            nb = below - m - ne;
            after = node;
          } else {
            nb = below;
            ne = equal;
            after = cur;
          }
        }
        val[slot] = hv;
        const nA = next[after]!;
        next[after] = slot;
        prev[slot] = after;
        next[slot] = nA;
        prev[nA] = slot;
        cur = slot;
        below = nb;
        equal = ne + 1;
      }
      // SortedWindow's mid-rank: (below + equal / 2) / n, in percent; then classifyVolatility.
      const pct = (100 * (below + equal / 2)) / W;
      const volatility = !Number.isFinite(pct) ? vUnknown : pct < lowPct ? vLow : pct > highPct ? vHigh : vMedium;

      oPct[i] = pct;
      oVol[i] = volatility;
    }
  }

  /** Writes the state after candles [from, end) back into the stream. */
  save(stream: RegimeStream, c: CandleColumns, from: number, end: number): void {
    const { d, s, W, pL, pH, pR1, pRq, q } = this;
    const n = end - from;
    const last = end - 1;
    const close = c.close[last]!;
    const high = c.high[last]!;
    const low = c.low[last]!;
    const prevClose = c.close[last - 1]!;
    const tr = Math.max(high - low, Math.abs(high - prevClose), Math.abs(low - prevClose));
    const slope = (pL * d[D_LR_SXY]! - this.lrSx * d[D_LR_SY]!) / this.lrDen;
    stream.time = c.time[last]!;
    stream.close = close;
    stream.trend = s.trend[last]!;
    stream.volatility = s.volatility[last]!;
    stream.slope = slope;
    stream.slopeAtr = s.slopeAtr[last]!;
    stream.hvPercentile = s.hvPercentile[last]!;
    const adx = stream.adx;
    adx.value = s.adx[last]!;
    adx.pdi = s.pdi[last]!;
    adx.mdi = s.mdi[last]!;
    adx['prevHigh'] = high;
    adx['prevLow'] = low;
    adx['tr'].value = tr;
    adx['tr']['prevClose'] = close;
    adx['sTr'].value = d[D_S_TR]!;
    adx['sPdm'].value = d[D_S_PDM]!;
    adx['sMdm'].value = d[D_S_MDM]!;
    adx['dx'].value = s.adx[last]!;
    const atr = stream.atr;
    atr.value = s.atr[last]!;
    atr['tr'].value = tr;
    atr['tr']['prevClose'] = close;
    atr['avg'].value = s.atr[last]!;
    const lr = stream['lr'];
    lr.value = slope;
    lr['head'] = (this.lrHead + n) % pL;
    lr['sinceRecompute'] = (this.lrSince + n) % pL;
    lr['sy'] = d[D_LR_SY]!;
    lr['sxy'] = d[D_LR_SXY]!;
    lr['ref'] = d[D_LR_REF]!;
    const hv = stream.hv;
    hv.value = s.hv[last]!;
    hv['prevLog'] = Math.log(close);
    const hvWin = hv['win'];
    hvWin['head'] = (this.hvHead + n) % pH;
    hvWin['sinceRecompute'] = (this.hvSince + n) % pH;
    hvWin['ref'] = d[D_HV_REF]!;
    hvWin['s'] = d[D_HV_SUM]!;
    hvWin['ss'] = d[D_HV_SQ]!;
    const vr = stream.vr;
    vr.ratio = varianceRatioOf(d[D_R1_REF]!, d[D_R1_SUM]!, d[D_R1_SQ]!, this.inv1, d[D_RQ_REF]!, d[D_RQ_SUM]!, d[D_RQ_SQ]!, this.invq, q, this.invQ);
    vr.probability = s.meanReversion[last]!;
    vr['head'] = (this.logHead + n) % (q + 1);
    vr['seen'] = this.seen + n;
    const r1 = vr['r1'];
    r1['head'] = (this.r1Head + n) % pR1;
    r1['sinceRecompute'] = (this.r1Since + n) % pR1;
    r1['ref'] = d[D_R1_REF]!;
    r1['s'] = d[D_R1_SUM]!;
    r1['ss'] = d[D_R1_SQ]!;
    const rq = vr['rq'];
    rq['head'] = (this.rqHead + n) % pRq;
    rq['sinceRecompute'] = (this.rqSince + n) % pRq;
    rq['ref'] = d[D_RQ_REF]!;
    rq['s'] = d[D_RQ_SUM]!;
    rq['ss'] = d[D_RQ_SQ]!;
    // The ring in arrival order, the sorted copy in list order.
    const win = stream['hvWindow'];
    const ringHead = (this.ringHead + n) % W;
    win['ring'].set(this.val.subarray(0, W));
    const sorted = win['sorted'];
    const next = this.next;
    for (let node = next[W]!, j = 0; node !== W + 1; node = next[node]!, j++) sorted[j] = this.val[node]!;
    win['head'] = ringHead;
    win['lastIn'] = this.counts(ringHead)[0];
    win['lastOut'] = 0;
  }
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
 * The regime on each of settings.timeframes. Candles for a timeframe are taken as given when present (pass closed
 * candles only), otherwise aggregated from the finest given interval that divides it, leaving out a last bucket the
 * given candles do not fill; a timeframe with neither reports regime null.
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
        // Only whole buckets: the last one, until its source candles fill it, is still forming.
        cols = resampleColumns(asColumns(src), tfMs, INTERVAL_MS[base]);
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
