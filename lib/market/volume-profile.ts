/**
 * Volume profiles: volume per price bin from candles (each candle's volume spread evenly over its high-low range) or
 * from trades (each trade's size in its price's bin), with the point of control, the value area grown from it the
 * CBOT way, per-session profiles and the naked points of control of earlier sessions.
 */
import type { Candle, Trade } from '../domain/market';
import { asColumns, type CandleColumns } from './columns';

/**
 * Bin indices are floor(x / binSize + EDGE): prices a millionth of a bin below an edge count in the bin above, so
 * tick-aligned prices with a tick-sized bin (1666.8 / 0.01 = 166679.99999999997) land in their own bin.
 */
const EDGE = 1e-6;

/** Bins beyond this are a caller error (a bin size far too small for the range), not a memory bill. */
export const MAX_PROFILE_BINS = 1_000_000;

export interface ProfileOptions {
  /** Price width of a bin. Bins then align to multiples of it, so profiles of different sessions line up. */
  binSize?: number;
  /** Number of bins over [lowest, highest] when binSize is not given (default 100). */
  bins?: number;
  /** Share of total volume in the value area (default 0.7). */
  valueArea?: number;
}

export interface VolumeProfile {
  /** Lower edge of bin 0; bin i covers [low + i * binSize, low + (i + 1) * binSize). */
  low: number;
  binSize: number;
  /** Volume per bin. */
  volume: Float64Array;
  /** Aggressor-buy volume per bin (trade profiles only). */
  buyVolume: Float64Array | null;
  total: number;
  /** Bin of the point of control; -1 when the profile holds no volume. */
  pocIndex: number;
  /** Point of control: centre of the bin with the most volume (NaN without volume). */
  poc: number;
  /** Value area: bins vaLowIndex..vaHighIndex; val is the lower edge of the lowest, vah the upper edge of the highest. */
  vaLowIndex: number;
  vaHighIndex: number;
  val: number;
  vah: number;
  valueAreaVolume: number;
}

export interface ProfileBin {
  /** Bin centre. */
  price: number;
  low: number;
  high: number;
  volume: number;
  buyVolume?: number;
  inValueArea: boolean;
}

interface Grid {
  low: number;
  binSize: number;
  bins: number;
}

/**
 * Bin grid covering [lo, hi]. With a bin size the grid aligns to its multiples. `topClosed`: a price exactly on the top
 * edge belongs to the bin below (a candle's high bounds a range; a trade at that price opens the next bin).
 */
function grid(lo: number, hi: number, opts: ProfileOptions, topClosed = false): Grid {
  if (opts.binSize !== undefined) {
    if (!(opts.binSize > 0) || !Number.isFinite(opts.binSize)) throw new RangeError(`binSize must be a positive number, got ${opts.binSize}`);
    const b = opts.binSize;
    const first = Math.floor(lo / b + EDGE);
    const bins = Math.max(1, (topClosed ? Math.ceil(hi / b - EDGE) : Math.floor(hi / b + EDGE) + 1) - first);
    if (bins > MAX_PROFILE_BINS) throw new RangeError(`binSize ${b} gives ${bins} bins over ${lo}..${hi} (max ${MAX_PROFILE_BINS})`);
    return { low: first * b, binSize: b, bins };
  }
  const bins = opts.bins ?? 100;
  if (!Number.isInteger(bins) || bins < 1 || bins > MAX_PROFILE_BINS) throw new RangeError(`bins must be an integer 1..${MAX_PROFILE_BINS}, got ${bins}`);
  if (hi > lo) return { low: lo, binSize: (hi - lo) / bins, bins };
  // One price only: a single bin centred on it, so the POC is that price exactly.
  const w = Math.abs(lo) * 1e-9 || 1e-12;
  return { low: lo - w / 2, binSize: w, bins: 1 };
}

const emptyProfile = (g: Grid, buys: boolean): VolumeProfile => ({
  low: g.low,
  binSize: g.binSize,
  volume: new Float64Array(g.bins),
  buyVolume: buys ? new Float64Array(g.bins) : null,
  total: 0,
  pocIndex: -1,
  poc: NaN,
  vaLowIndex: -1,
  vaHighIndex: -1,
  val: NaN,
  vah: NaN,
  valueAreaVolume: 0,
});

const NO_PROFILE = (): VolumeProfile => emptyProfile({ low: NaN, binSize: NaN, bins: 0 }, false);

/**
 * Point of control: the bin with the most volume. Ties go to the bin nearest the middle of the profile, then to the
 * lower one, so a symmetric profile has a stable, central POC.
 */
export function pointOfControl(volume: ArrayLike<number>): number {
  const n = volume.length;
  let best = -1;
  let bestVol = 0;
  const mid = (n - 1) / 2;
  for (let i = 0; i < n; i++) {
    const v = volume[i]!;
    if (v > bestVol || (v === bestVol && best >= 0 && Math.abs(i - mid) < Math.abs(best - mid))) {
      best = i;
      bestVol = v;
    }
  }
  return best;
}

/**
 * Value area grown from the POC the CBOT way: compare the volume of the next two bins above with the next two below,
 * add the larger pair (both on a tie; the only side left at an edge), until the area holds `share` of the total.
 * Returns [lowIndex, highIndex, volume].
 */
export function valueArea(volume: ArrayLike<number>, poc: number, share: number): [number, number, number] {
  const n = volume.length;
  if (poc < 0 || poc >= n) return [-1, -1, 0];
  let total = 0;
  for (let i = 0; i < n; i++) total += volume[i]!;
  const target = total * share;
  let lo = poc;
  let hi = poc;
  let acc = volume[poc]!;
  while (acc < target && (lo > 0 || hi < n - 1)) {
    const upCount = Math.min(2, n - 1 - hi);
    const downCount = Math.min(2, lo);
    let up = 0;
    for (let k = 1; k <= upCount; k++) up += volume[hi + k]!;
    let down = 0;
    for (let k = 1; k <= downCount; k++) down += volume[lo - k]!;
    const takeUp = downCount === 0 || (upCount > 0 && up >= down);
    const takeDown = upCount === 0 || (downCount > 0 && down >= up);
    if (takeUp) {
      hi += upCount;
      acc += up;
    }
    if (takeDown) {
      lo -= downCount;
      acc += down;
    }
  }
  return [lo, hi, acc];
}

function finish(p: VolumeProfile, share: number): VolumeProfile {
  let total = 0;
  for (let i = 0; i < p.volume.length; i++) total += p.volume[i]!;
  p.total = total;
  if (!(total > 0)) return p;
  p.pocIndex = pointOfControl(p.volume);
  p.poc = p.low + (p.pocIndex + 0.5) * p.binSize;
  const [lo, hi, acc] = valueArea(p.volume, p.pocIndex, share);
  p.vaLowIndex = lo;
  p.vaHighIndex = hi;
  p.val = p.low + lo * p.binSize;
  p.vah = p.low + (hi + 1) * p.binSize;
  p.valueAreaVolume = acc;
  return p;
}

const checkShare = (share: number) => {
  if (!(share > 0 && share <= 1)) throw new RangeError(`valueArea must be in (0, 1], got ${share}`);
  return share;
};

/** Adds candles [from, to) of `c` to profile `p` (volume spread evenly over each candle's high-low range). */
function addCandles(p: VolumeProfile, c: CandleColumns, from: number, to: number): void {
  const { low: base, binSize: bs, volume } = p;
  const { volume: vols, low: lows, high: highs } = c;
  const last = volume.length - 1;
  const inv = 1 / bs;
  for (let i = from; i < to; i++) {
    const v = vols[i]!;
    if (!(v > 0)) continue;
    const l = lows[i]!;
    const h = highs[i]!;
    let a = Math.floor((l - base) * inv + EDGE);
    let b = Math.floor((h - base) * inv - EDGE);
    if (a < 0) a = 0;
    if (b > last) b = last;
    if (a > last) a = last;
    if (b < 0) b = 0;
    if (a >= b || !(h > l)) {
      volume[a] = volume[a]! + v;
      continue;
    }
    const density = v / (h - l);
    // Partial first and last bins, whole bins in between; the parts sum to v.
    const first = density * (base + (a + 1) * bs - l);
    const lastPart = density * (h - (base + b * bs));
    volume[a] = volume[a]! + (first > 0 ? first : 0);
    const mid = density * bs;
    for (let k = a + 1; k < b; k++) volume[k] = volume[k]! + mid;
    volume[b] = volume[b]! + (lastPart > 0 ? lastPart : 0);
  }
}

/**
 * addCandles of candles [from, to) into two profiles at once (the whole input's and a session's): one read of each
 * candle and one density for both. Each profile gets the same candles in the same order with the same arithmetic as
 * from addCandles, so the same volumes.
 */
function addCandlesTwice(p: VolumeProfile, q: VolumeProfile, c: CandleColumns, from: number, to: number): void {
  const { low: pBase, binSize: pBs, volume: pVol } = p;
  const { low: qBase, binSize: qBs, volume: qVol } = q;
  const { volume: vols, low: lows, high: highs } = c;
  const pLast = pVol.length - 1;
  const qLast = qVol.length - 1;
  const pInv = 1 / pBs;
  const qInv = 1 / qBs;
  for (let i = from; i < to; i++) {
    const v = vols[i]!;
    if (!(v > 0)) continue;
    const l = lows[i]!;
    const h = highs[i]!;
    const range = h > l;
    const density = v / (h - l);
    {
      let a = Math.floor((l - pBase) * pInv + EDGE);
      let b = Math.floor((h - pBase) * pInv - EDGE);
      if (a < 0) a = 0;
      if (b > pLast) b = pLast;
      if (a > pLast) a = pLast;
      if (b < 0) b = 0;
      if (a >= b || !range) pVol[a] = pVol[a]! + v;
      else {
        const first = density * (pBase + (a + 1) * pBs - l);
        const lastPart = density * (h - (pBase + b * pBs));
        pVol[a] = pVol[a]! + (first > 0 ? first : 0);
        const mid = density * pBs;
        for (let k = a + 1; k < b; k++) pVol[k] = pVol[k]! + mid;
        pVol[b] = pVol[b]! + (lastPart > 0 ? lastPart : 0);
      }
    }
    {
      let a = Math.floor((l - qBase) * qInv + EDGE);
      let b = Math.floor((h - qBase) * qInv - EDGE);
      if (a < 0) a = 0;
      if (b > qLast) b = qLast;
      if (a > qLast) a = qLast;
      if (b < 0) b = 0;
      if (a >= b || !range) qVol[a] = qVol[a]! + v;
      else {
        const first = density * (qBase + (a + 1) * qBs - l);
        const lastPart = density * (h - (qBase + b * qBs));
        qVol[a] = qVol[a]! + (first > 0 ? first : 0);
        const mid = density * qBs;
        for (let k = a + 1; k < b; k++) qVol[k] = qVol[k]! + mid;
        qVol[b] = qVol[b]! + (lastPart > 0 ? lastPart : 0);
      }
    }
  }
}

/**
 * [lowest low, highest high, top edge closed]. The top is closed (the highest high bounds the last bin) unless a
 * zero-range candle sits exactly at the highest price: that candle is a price, and a price on an edge opens a bin.
 */
function candleRange(c: CandleColumns, from: number, to: number): [number, number, boolean] {
  scanRange(c.low, c.high, from, to);
  return [RANGE[0]!, RANGE[1]!, RANGE[2] === 1];
}

/** scanRange's result: lowest low, highest high, 1 when the top edge is closed. */
const RANGE = new Float64Array(3);

/**
 * Writes [lowest low, highest high, closed] to RANGE as they change, so only `return` follows the loop: V8 compiles a
 * long first loop on the spot, before code after it has run, and such code would deoptimise on every later call.
 */
function scanRange(low: Float64Array, high: Float64Array, from: number, to: number): void {
  let lo = Infinity;
  let hi = -Infinity;
  RANGE[0] = lo;
  RANGE[1] = hi;
  RANGE[2] = 1;
  // One pass: `closed` is re-decided whenever a new highest high appears, so it ends up about the final one.
  for (let i = from; i < to; i++) {
    const l = low[i]!;
    const h = high[i]!;
    if (l < lo) {
      lo = l;
      RANGE[0] = l;
    }
    if (h > hi) {
      hi = h;
      RANGE[1] = h;
      RANGE[2] = l !== h ? 1 : 0;
    } else if (h === hi && l === h) RANGE[2] = 0;
  }
}

export function volumeProfileFromCandles(candles: readonly Candle[] | CandleColumns, opts: ProfileOptions = {}): VolumeProfile {
  const c = asColumns(candles);
  const share = checkShare(opts.valueArea ?? 0.7);
  if (c.length === 0) return NO_PROFILE();
  const [lo, hi, closed] = candleRange(c, 0, c.length);
  const p = emptyProfile(grid(lo, hi, opts, closed), false);
  addCandles(p, c, 0, c.length);
  return finish(p, share);
}

/** Trades as parallel arrays (the fast path; `side` 1 = aggressor buy, 0 = sell; omit for no buy/sell split). */
export interface TradeColumns {
  price: ArrayLike<number>;
  size: ArrayLike<number>;
  buy?: ArrayLike<number>;
}

export function volumeProfileFromTradeColumns(t: TradeColumns, opts: ProfileOptions = {}): VolumeProfile {
  const share = checkShare(opts.valueArea ?? 0.7);
  const n = t.price.length;
  if (n === 0) return NO_PROFILE();
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = t.price[i]!;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const p = emptyProfile(grid(lo, hi, opts), t.buy !== undefined);
  const { volume, buyVolume } = p;
  const base = p.low;
  const inv = 1 / p.binSize;
  const last = volume.length - 1;
  for (let i = 0; i < n; i++) {
    let b = Math.floor((t.price[i]! - base) * inv + EDGE);
    if (b > last) b = last;
    else if (b < 0) b = 0;
    const s = t.size[i]!;
    volume[b] = volume[b]! + s;
    if (buyVolume && t.buy![i] === 1) buyVolume[b] = buyVolume[b]! + s;
  }
  return finish(p, share);
}

export function volumeProfileFromTrades(trades: readonly Trade[], opts: ProfileOptions = {}): VolumeProfile {
  const share = checkShare(opts.valueArea ?? 0.7);
  const n = trades.length;
  if (n === 0) return NO_PROFILE();
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = trades[i]!.price;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const p = emptyProfile(grid(lo, hi, opts), true);
  const volume = p.volume;
  const buyVolume = p.buyVolume!;
  const base = p.low;
  const inv = 1 / p.binSize;
  const last = volume.length - 1;
  for (let i = 0; i < n; i++) {
    const t = trades[i]!;
    let b = Math.floor((t.price - base) * inv + EDGE);
    if (b > last) b = last;
    else if (b < 0) b = 0;
    volume[b] = volume[b]! + t.size;
    if (t.side === 'buy') buyVolume[b] = buyVolume[b]! + t.size;
  }
  return finish(p, share);
}

/** The profile as chart rows, lowest price first (what a horizontal histogram beside the candles draws). */
export function profileBins(p: VolumeProfile): ProfileBin[] {
  const out: ProfileBin[] = [];
  for (let i = 0; i < p.volume.length; i++) {
    const low = p.low + i * p.binSize;
    out.push({
      price: low + p.binSize / 2,
      low,
      high: low + p.binSize,
      volume: p.volume[i]!,
      ...(p.buyVolume ? { buyVolume: p.buyVolume[i]! } : {}),
      inValueArea: i >= p.vaLowIndex && i <= p.vaHighIndex && p.vaLowIndex >= 0,
    });
  }
  return out;
}

export interface SessionOptions {
  /** Session length (default one UTC day). */
  sessionMs?: number;
  /** Session start offset from the epoch-aligned boundary. */
  sessionOffsetMs?: number;
}

/** Session number of an open time: floor((time - offset) / sessionMs). */
export const sessionOf = (time: number, sessionMs: number, offsetMs: number) => Math.floor((time - offsetMs) / sessionMs);

export interface SessionProfile {
  sessionStart: number;
  sessionEnd: number;
  /** Candle indices [first, last] of the session in the input. */
  first: number;
  last: number;
  profile: VolumeProfile;
}

/**
 * The input split into sessions (runs of candles with one session number; a NaN time is a session of its own, as for
 * SessionVwapStream) with each run's price range: starts[k] is the first candle of run k (starts[runs] = length),
 * lo / hi / closed its candleRange.
 */
interface SessionRuns {
  runs: number;
  starts: Int32Array;
  lo: Float64Array;
  hi: Float64Array;
  closed: Uint8Array;
}

function sessionRuns(c: CandleColumns, sessionMs: number, offset: number): SessionRuns {
  const n = c.length;
  const starts: number[] = [0];
  let session = sessionOf(c.time[0]!, sessionMs, offset);
  for (let i = 1; i < n; i++) {
    // The session of the current run is kept, not recomputed per candle.
    const si = sessionOf(c.time[i]!, sessionMs, offset);
    if (si === session) continue;
    session = si;
    starts.push(i);
  }
  const runs = starts.length;
  starts.push(n);
  const lo = new Float64Array(runs);
  const hi = new Float64Array(runs);
  const closed = new Uint8Array(runs);
  for (let k = 0; k < runs; k++) {
    scanRange(c.low, c.high, starts[k]!, starts[k + 1]!);
    lo[k] = RANGE[0]!;
    hi[k] = RANGE[1]!;
    closed[k] = RANGE[2]!;
  }
  return { runs, starts: Int32Array.from(starts), lo, hi, closed };
}

/**
 * candleRange of the whole input from its runs' ranges: the first lowest low and highest high as a scan in order would
 * keep them, and a top edge that is closed unless some run reaching the highest high has a zero-range candle there.
 */
function wholeRange(r: SessionRuns): [number, number, boolean] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < r.runs; k++) {
    if (r.lo[k]! < lo) lo = r.lo[k]!;
    if (r.hi[k]! > hi) hi = r.hi[k]!;
  }
  let closed = true;
  for (let k = 0; k < r.runs; k++) if (r.hi[k] === hi && r.closed[k] === 0) closed = false;
  return [lo, hi, closed];
}

/** The session profiles of the runs on a grid of bin size `binSize`; with `whole`, each candle is added to it too. */
function runProfiles(
  c: CandleColumns,
  r: SessionRuns,
  binSize: number,
  share: number,
  sessionMs: number,
  offset: number,
  whole: VolumeProfile | null,
): SessionProfile[] {
  const out: SessionProfile[] = [];
  for (let k = 0; k < r.runs; k++) {
    const first = r.starts[k]!;
    const end = r.starts[k + 1]!;
    const p = emptyProfile(grid(r.lo[k]!, r.hi[k]!, { binSize }, r.closed[k] === 1), false);
    if (whole) addCandlesTwice(whole, p, c, first, end);
    else addCandles(p, c, first, end);
    const start = sessionOf(c.time[first]!, sessionMs, offset) * sessionMs + offset;
    out.push({ sessionStart: start, sessionEnd: start + sessionMs, first, last: end - 1, profile: finish(p, share) });
  }
  return out;
}

/**
 * One profile per session, all on the same bin grid (opts.binSize, or the whole input's range / opts.bins aligned to
 * multiples of the bin size) so their POCs compare across sessions. Candles must be ascending in time.
 */
export function sessionProfiles(
  candles: readonly Candle[] | CandleColumns,
  opts: ProfileOptions & SessionOptions = {},
): SessionProfile[] {
  const c = asColumns(candles);
  if (c.length === 0) return [];
  const share = checkShare(opts.valueArea ?? 0.7);
  const sessionMs = opts.sessionMs ?? 86_400_000;
  const offset = opts.sessionOffsetMs ?? 0;
  const r = sessionRuns(c, sessionMs, offset);
  let binSize = opts.binSize;
  if (binSize === undefined) {
    const [lo, hi] = wholeRange(r);
    binSize = grid(lo, hi, { bins: opts.bins ?? 100 }).binSize;
  }
  return runProfiles(c, r, binSize, share, sessionMs, offset, null);
}

/**
 * volumeProfileFromCandles(candles, opts) and sessionProfiles(candles, opts with the whole profile's bin size) in one
 * go: the session ranges give the whole range, and each candle is read once for both profiles. The same profiles as
 * the two calls (what analyzeCandles needs).
 */
export function candleProfiles(
  candles: readonly Candle[] | CandleColumns,
  opts: ProfileOptions & SessionOptions = {},
): { profile: VolumeProfile; sessions: SessionProfile[] } {
  const c = asColumns(candles);
  const share = checkShare(opts.valueArea ?? 0.7);
  if (c.length === 0) return { profile: NO_PROFILE(), sessions: [] };
  const sessionMs = opts.sessionMs ?? 86_400_000;
  const offset = opts.sessionOffsetMs ?? 0;
  const r = sessionRuns(c, sessionMs, offset);
  const [lo, hi, closed] = wholeRange(r);
  const whole = emptyProfile(grid(lo, hi, opts, closed), false);
  const sessions = runProfiles(c, r, whole.binSize, share, sessionMs, offset, whole);
  return { profile: finish(whole, share), sessions };
}

export interface NakedPoc {
  sessionStart: number;
  price: number;
  /** Volume at the POC bin of its session. */
  volume: number;
}

/**
 * Points of control of completed sessions that no later candle has traded through (low <= poc <= high) since their
 * session ended. The last session is still forming, so its POC is never reported. One pass over the later candles
 * with the open POCs kept sorted by price: each candle removes the ones inside its range by binary search.
 */
export function nakedPocs(candles: readonly Candle[] | CandleColumns, sessions: readonly SessionProfile[]): NakedPoc[] {
  const c = asColumns(candles);
  const open: NakedPoc[] = [];
  const lowerBound = (x: number) => {
    let lo = 0;
    let hi = open.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (open[m]!.price < x) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  const { low, high } = c;
  for (let k = 0; k < sessions.length; k++) {
    const s = sessions[k]!;
    if (k > 0 && open.length > 0) {
      // Bounds of the open POCs (sorted): a candle wholly below or above them all touches none, the usual case.
      let lowest = open[0]!.price;
      let highest = open[open.length - 1]!.price;
      for (let i = s.first; i <= s.last; i++) {
        const l = low[i]!;
        const h = high[i]!;
        if (h < lowest || l > highest) continue;
        const from = lowerBound(l);
        let to = from;
        while (to < open.length && open[to]!.price <= h) to++;
        if (to > from) {
          open.splice(from, to - from);
          if (open.length === 0) break;
          lowest = open[0]!.price;
          highest = open[open.length - 1]!.price;
        }
      }
    }
    if (k < sessions.length - 1 && s.profile.pocIndex >= 0) {
      const poc: NakedPoc = { sessionStart: s.sessionStart, price: s.profile.poc, volume: s.profile.volume[s.profile.pocIndex]! };
      open.splice(lowerBound(poc.price), 0, poc);
    }
  }
  return open.sort((a, b) => a.sessionStart - b.sessionStart);
}
