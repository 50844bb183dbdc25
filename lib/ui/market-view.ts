/**
 * The Market view's view-model: pure functions that turn lib/market results into what the charts and tables draw.
 * Times leave here in seconds (lightweight-charts' UTCTimestamp); colours come in as a palette, so the functions stay
 * free of the DOM and the theme. Nothing here fetches or keeps state (lib/ui/market-feed.ts does).
 */
import type { Candle, OrderBook } from '../domain/market';
import type { CandleAnalysis } from '../market/analysis';
import type { CorrelationMatrix } from '../market/correlation';
import { headlineBand as sharedHeadlineBand, type BookLiquidity, type DepthBand, type LiquidityZone } from '../market/liquidity';
import type { MultiTimeframeRegime, TrendRegime, VolatilityRegime } from '../market/regime';
import type { VolumeProfile } from '../market/volume-profile';

export const DASH = '—';

/** Chart time: epoch seconds (lightweight-charts' UTCTimestamp). */
export const chartTime = (ms: number) => Math.floor(ms / 1000);

export interface Bar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}
export interface LinePt {
  time: number;
  value: number;
  /** Set on the last point of a session followed by another: the segment to the next session's start is hidden. */
  color?: string;
}

export const candleBars = (candles: readonly Candle[]): Bar[] =>
  candles.map((c) => ({ time: chartTime(c.time), open: c.open, high: c.high, low: c.low, close: c.close }));

/** The candle still forming, drawn after the closed ones in one muted colour (it is not analysed). */
export const formingBar = (c: Candle, color: string): Bar & { color: string; wickColor: string; borderColor: string } => ({
  time: chartTime(c.time),
  open: c.open,
  high: c.high,
  low: c.low,
  close: c.close,
  color,
  wickColor: color,
  borderColor: color,
});

/**
 * Decimals to show prices with: the most any of the last candles' prices carries (as the venue sends them), at most 8.
 * 97312.5 -> 1, 0.00012345 -> 8.
 */
export function priceDecimals(candles: readonly Candle[]): number {
  let d = 0;
  for (const c of candles.slice(-50)) {
    for (const v of [c.open, c.high, c.low, c.close]) {
      const s = String(v);
      const e = /e-(\d+)$/.exec(s);
      const n = e ? Number(e[1]) + (s.split('e')[0]!.split('.')[1]?.length ?? 0) : (s.split('.')[1]?.length ?? 0);
      if (n > d) d = n;
    }
  }
  return Math.min(8, d);
}

const grouped = (s: string) => s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
/** A price with fixed decimals and grouped thousands: "97,312.50"; unknown is '—'. */
export function priceText(v: number | null | undefined, decimals: number): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return DASH;
  const [int, dec] = Math.abs(v).toFixed(decimals).split('.');
  return `${v < 0 ? '-' : ''}${grouped(int!)}${dec ? `.${dec}` : ''}`;
}

/** A size or notional, compact: 1234 -> "1,234", 1234567 -> "1.23M", 0.5 -> "0.5". */
export function amountText(v: number | null | undefined): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return DASH;
  const a = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  if (a >= 1e9) return `${sign}${Number((a / 1e9).toFixed(2))}B`;
  if (a >= 1e6) return `${sign}${Number((a / 1e6).toFixed(2))}M`;
  if (a >= 1e4) return `${sign}${grouped(String(Math.round(a)))}`;
  return `${sign}${Number(a.toPrecision(4))}`;
}

/** A signed ratio in -1..1 as a percentage with its sign: 0.1834 -> "+18.3%". */
export function signedPct(v: number): string {
  if (!Number.isFinite(v)) return DASH;
  const r = Math.round(v * 1000) / 10;
  return `${r > 0 ? '+' : ''}${Object.is(r, -0) ? 0 : r}%`;
}

// ---------------------------------------------------------------------------------------------------------------
// Price chart: VWAP bands, profile levels, volume profile rows
// ---------------------------------------------------------------------------------------------------------------

export interface VwapLines {
  vwap: LinePt[];
  bands: { multiplier: number; upper: LinePt[]; lower: LinePt[] }[];
}

/**
 * Session VWAP and its bands as lines aligned with the candles (one point per candle, in candle order). VWAP restarts
 * each session; the last point of a session that another follows carries `gapColor`, which draws the segment joining
 * the two sessions in that colour (transparent: a gap), as lightweight-charts colours a segment by its first point.
 */
export function vwapLines(a: Pick<CandleAnalysis, 'time' | 'vwap'>, gapColor = 'transparent'): VwapLines {
  const { time, vwap } = a;
  const n = time.length;
  const line = (values: ArrayLike<number>): LinePt[] => {
    const out: LinePt[] = [];
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      const p: LinePt = { time: chartTime(time[i]!), value: v };
      if (i + 1 < n && vwap.sessionStart[i + 1] !== vwap.sessionStart[i]) p.color = gapColor;
      out.push(p);
    }
    return out;
  };
  return { vwap: line(vwap.vwap), bands: vwap.bands.map((b) => ({ multiplier: b.multiplier, upper: line(b.upper), lower: line(b.lower) })) };
}

/**
 * Why session VWAP is not shown, or null when it is: at an interval as long as the session every candle is a session
 * of its own, so VWAP is just that candle's typical price and σ is 0.
 */
export function sessionVwapNote(interval: string, intervalMs: number, sessionMs: number): string | null {
  return intervalMs >= sessionMs ? `Session VWAP needs intraday candles: at ${interval} every candle is a session of its own.` : null;
}

export interface LevelLine {
  id: 'poc' | 'vah' | 'val';
  title: 'POC' | 'VAH' | 'VAL';
  price: number;
}

/** Point of control and value area edges as horizontal lines; none when the profile holds no volume. */
export function profileLevels(p: Pick<VolumeProfile, 'poc' | 'vah' | 'val'>): LevelLine[] {
  const out: LevelLine[] = [];
  if (Number.isFinite(p.vah)) out.push({ id: 'vah', title: 'VAH', price: p.vah });
  if (Number.isFinite(p.poc)) out.push({ id: 'poc', title: 'POC', price: p.poc });
  if (Number.isFinite(p.val)) out.push({ id: 'val', title: 'VAL', price: p.val });
  return out;
}

export interface ProfileRow {
  low: number;
  high: number;
  volume: number;
  /** volume / the largest bin's volume, 0..1: the bar's length. */
  share: number;
  inValueArea: boolean;
  poc: boolean;
}

/** The profile as horizontal histogram rows, lowest price first; empty bins are left out. */
export function profileRows(p: VolumeProfile): ProfileRow[] {
  const out: ProfileRow[] = [];
  const max = p.pocIndex >= 0 ? p.volume[p.pocIndex]! : 0;
  if (!(max > 0)) return out;
  for (let i = 0; i < p.volume.length; i++) {
    const v = p.volume[i]!;
    if (!(v > 0)) continue;
    out.push({
      low: p.low + i * p.binSize,
      high: p.low + (i + 1) * p.binSize,
      volume: v,
      share: v / max,
      inValueArea: p.vaLowIndex >= 0 && i >= p.vaLowIndex && i <= p.vaHighIndex,
      poc: i === p.pocIndex,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Regime timeline
// ---------------------------------------------------------------------------------------------------------------

export type TrendPalette = Record<TrendRegime, string>;
export type VolatilityPalette = Record<VolatilityRegime, string>;

export const TREND_TEXT: Record<TrendRegime, string> = {
  unknown: 'warming up',
  strong_down: 'strong down',
  weak_down: 'weak down',
  ranging: 'ranging',
  weak_up: 'weak up',
  strong_up: 'strong up',
};
export const VOLATILITY_TEXT: Record<VolatilityRegime, string> = { unknown: 'warming up', low: 'low', medium: 'medium', high: 'high' };

export interface Segment<L extends string> {
  /** First and last candle open time of the run, seconds. */
  from: number;
  to: number;
  label: L;
  candles: number;
}

/** Runs of one regime label (codes index `labels`): the coloured bands of the regime timeline. */
export function regimeSegments<L extends string>(time: ArrayLike<number>, codes: ArrayLike<number>, labels: readonly L[]): Segment<L>[] {
  const out: Segment<L>[] = [];
  for (let i = 0; i < codes.length; i++) {
    const label = labels[codes[i]!] ?? labels[0]!;
    const t = chartTime(time[i]!);
    const last = out[out.length - 1];
    if (last && last.label === label) {
      last.to = t;
      last.candles += 1;
    } else out.push({ from: t, to: t, label, candles: 1 });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Order book: cumulative depth, bands, walls and zones
// ---------------------------------------------------------------------------------------------------------------

export interface DepthPt {
  /** Price (the depth chart's horizontal axis). */
  price: number;
  /** Size from the mid out to this level, inclusive. */
  cumulative: number;
}

/**
 * Cumulative depth within `maxBps` of the mid, both sides in ascending price order (what a horizontal price axis
 * wants): bids from the farthest in (largest total) up to the best bid, asks from the best ask out.
 */
export function depthCurves(book: Pick<OrderBook, 'bids' | 'asks'>, mid: number, maxBps: number): { bids: DepthPt[]; asks: DepthPt[] } {
  const within = (p: number) => (Math.abs(p - mid) / mid) * 1e4 <= maxBps + 1e-9;
  const side = (levels: readonly (readonly [number, number])[], desc: boolean) => {
    const sorted = levels.filter(([p, s]) => s > 0 && within(p)).sort((x, y) => (desc ? y[0] - x[0] : x[0] - y[0]));
    let cum = 0;
    return sorted.map(([price, size]) => ({ price, cumulative: (cum += size) }));
  };
  return { bids: side(book.bids, true).reverse(), asks: side(book.asks, false) };
}

export interface BandRow {
  bps: number;
  /** False: the book read does not reach this far on a side; the row shows no figures (they would be a part). */
  covered: boolean;
  bid: string;
  ask: string;
  imbalance: number;
  imbalanceText: string;
}

/** One table row per depth band: notional each side and the imbalance; a band the book does not reach says so. */
export const bandRows = (bands: readonly DepthBand[], reachBps?: BookLiquidity['reachBps']): BandRow[] =>
  bands.map((b) =>
    b.covered
      ? { bps: b.bps, covered: true, bid: amountText(b.bidNotional), ask: amountText(b.askNotional), imbalance: b.imbalance, imbalanceText: signedPct(b.imbalance) }
      : {
          bps: b.bps,
          covered: false,
          bid: DASH,
          ask: DASH,
          imbalance: 0,
          imbalanceText: reachBps ? `not covered (book reaches ${reachText(reachBps)})` : 'not covered',
        },
  );

/** How far the book read reaches: "3.1 bps" (the nearer side's reach: what both sides cover). */
export const reachText = (r: BookLiquidity['reachBps']) => `${Number(Math.min(r.bid, r.ask).toFixed(1))} bps`;

/** What the walls list says when it is empty: how far walls were looked for (less than the range when the book stops short). */
export const noWallText = (l: Pick<BookLiquidity, 'wallsWithinBps'>, rangeBps: number, multiple: number) =>
  l.wallsWithinBps < rangeBps
    ? `No wall within ${Number(l.wallsWithinBps.toFixed(1))} bps, as far as the book read reaches at full precision (no level at ${multiple}x the median size or more).`
    : `No wall within ${rangeBps} bps (no level at ${multiple}x the median size or more).`;

/** The headline imbalance: the shared headline band (lib/market headlineBand), the one the page panel's line reads. */
export function headlineBand(l: Pick<BookLiquidity, 'bands'>): DepthBand | null {
  return sharedHeadlineBand(l.bands);
}

/** Which way the book leans, in words: "bids +18.3% heavier", "asks 7.5% heavier", "balanced". */
export function imbalanceWords(imbalance: number): string {
  if (!Number.isFinite(imbalance) || Math.abs(imbalance) < 0.05) return 'balanced';
  return imbalance > 0 ? `bid-heavy (${signedPct(imbalance)})` : `ask-heavy (${signedPct(imbalance)})`;
}

export interface ZoneRow {
  id: string;
  side: 'bid' | 'ask';
  price: number;
  size: number;
  sightings: number;
  /** How long it has been seen, seconds. */
  ageSec: number;
  persistent: boolean;
}

/** Zones for the table: persistent first, then by size; only those present in the latest snapshot or just missed. */
export const zoneRows = (zones: readonly LiquidityZone[]): ZoneRow[] =>
  [...zones]
    .sort((a, b) => Number(b.persistent) - Number(a.persistent) || b.size - a.size)
    .map((z) => ({
      id: z.id,
      side: z.side,
      price: z.price,
      size: z.size,
      sightings: z.sightings,
      ageSec: Math.round((z.lastSeen - z.firstSeen) / 1000),
      persistent: z.persistent,
    }));

// ---------------------------------------------------------------------------------------------------------------
// Multi-timeframe table and correlation matrix
// ---------------------------------------------------------------------------------------------------------------

export interface TimeframeRow {
  interval: string;
  trend: TrendRegime;
  trendText: string;
  adx: string;
  /** Fitted move over the slope window in ATRs, signed. */
  slope: string;
  volatility: VolatilityRegime;
  volatilityText: string;
  meanReversion: string;
  candles: number;
}

const fixed = (v: number, dp: number, signed = false) =>
  Number.isFinite(v) ? `${signed && v > 0 ? '+' : ''}${v.toFixed(dp)}` : DASH;

export function timeframeRows(m: MultiTimeframeRegime): TimeframeRow[] {
  return m.timeframes.map((tf) => {
    const r = tf.regime;
    const trend = r?.trend ?? 'unknown';
    const volatility = r?.volatility ?? 'unknown';
    return {
      interval: tf.interval,
      trend,
      trendText: r ? TREND_TEXT[trend] : 'no candles',
      adx: r ? fixed(r.adx, 0) : DASH,
      slope: r ? fixed(r.slopeAtr, 2, true) : DASH,
      volatility,
      volatilityText: !r ? DASH : volatility === 'unknown' ? VOLATILITY_TEXT.unknown : `${VOLATILITY_TEXT[volatility]} (p${Math.round(r.hvPercentile)})`,
      meanReversion: r && Number.isFinite(r.meanReversion) ? `${Math.round(r.meanReversion * 100)}%` : DASH,
      candles: tf.candles,
    };
  });
}

export const ALIGNMENT_TEXT = { 1: 'every timeframe trends up', [-1]: 'every timeframe trends down', 0: 'timeframes disagree or range' } as const;

export interface CorrelationCell {
  value: number;
  text: string;
  /** |value|, 0..1: how strongly to tint the cell. */
  strength: number;
  sign: 'pos' | 'neg' | 'none';
  /** Common returns the value rests on; below the minimum the value is 0 and `text` says n/a. */
  count: number;
}

/** The matrix as table rows; a pair with too little overlap reads "n/a" instead of a made-up 0. */
export function correlationRows(m: CorrelationMatrix, minOverlap: number): { symbol: string; cells: CorrelationCell[] }[] {
  return m.symbols.map((symbol, i) => ({
    symbol,
    cells: m.symbols.map((_, j) => {
      const value = m.matrix[i]![j]!;
      const count = m.counts[i]![j]!;
      const known = i === j || count >= minOverlap;
      return {
        value,
        text: known ? value.toFixed(2) : 'n/a',
        strength: known ? Math.min(1, Math.abs(value)) : 0,
        sign: !known || value === 0 ? 'none' : value > 0 ? 'pos' : 'neg',
        count,
      };
    }),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Symbols
// ---------------------------------------------------------------------------------------------------------------

export type Venue = 'binance' | 'hyperliquid';
export const DEFAULT_SYMBOL: Record<Venue, string> = { binance: 'BTCUSDT', hyperliquid: 'BTC' };
/** A second symbol for the correlation table when only one is watched. */
export const SECOND_SYMBOL: Record<Venue, string> = { binance: 'ETHUSDT', hyperliquid: 'ETH' };

export interface SymbolSources {
  /** Open positions (from the live risk picture). */
  positions: readonly { venue: Venue; symbol: string }[];
  /** Trading pages with the panel open. */
  pages: readonly { venue: Venue; symbol: string | null }[];
}

/** Symbols worth offering for a venue: open positions first, then watched pages, then the venue's default. */
export function suggestedSymbols(src: SymbolSources, venue: Venue): string[] {
  const out: string[] = [];
  const add = (s: string | null) => {
    if (s && !out.includes(s)) out.push(s);
  };
  for (const p of src.positions) if (p.venue === venue) add(p.symbol);
  for (const p of src.pages) if (p.venue === venue) add(p.symbol);
  add(DEFAULT_SYMBOL[venue]);
  return out;
}

/** The venue to open with: that of the first position, else of the first watched page, else the first with an account. */
export function defaultVenue(src: SymbolSources, accountVenues: readonly Venue[]): Venue {
  return src.positions[0]?.venue ?? src.pages.find((p) => p.symbol)?.venue ?? accountVenues[0] ?? 'binance';
}

/** Symbols for the correlation table: watched and held symbols of the venue plus the one shown; at least two. */
export function correlationSymbols(src: SymbolSources, venue: Venue, shown: string, max = 8): string[] {
  const out = [shown, ...suggestedSymbols(src, venue).filter((s) => s !== DEFAULT_SYMBOL[venue])];
  const uniq = [...new Set(out)];
  if (uniq.length < 2) uniq.push(shown === DEFAULT_SYMBOL[venue] ? SECOND_SYMBOL[venue] : DEFAULT_SYMBOL[venue]);
  return uniq.slice(0, max);
}

/**
 * What the trader typed, as the venue spells it: Binance symbols upper case; Hyperliquid coins upper case unless
 * they carry mixed case (kPEPE) or a builder-dex prefix (xyz:NAME keeps its lower-case prefix).
 */
export function normalizeSymbol(venue: Venue, raw: string): string {
  const s = raw.trim();
  if (venue === 'binance') return s.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const [prefix, name] = s.includes(':') ? (s.split(':', 2) as [string, string]) : [null, s];
  const coin = name === name.toLowerCase() ? name.toUpperCase() : name;
  return prefix === null ? coin : `${prefix.toLowerCase()}:${coin}`;
}

/** "rgba(r, g, b, a)" from "#rrggbb" (or "#rgb"); any other colour string is returned as it is. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return color;
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
