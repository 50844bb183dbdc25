/**
 * The entry points a view or the background calls: one pass over a symbol's candles giving the regime timeline, ATR,
 * session VWAP bands, the volume profile and naked POCs (analyzeCandles); chart-ready series from it (chartSeries);
 * and the compact regime + liquidity summary for the page panel (summarizeMarket / formatMarketSummary).
 */
import type { Candle, Trade } from '../domain/market';
import { asColumns, type CandleColumns, inferIntervalMs, isColumns } from './columns';
import { type BookLiquidity, headlineBand, type LiquidityZone, type Wall } from './liquidity';
import { type RegimePoint, type RegimeSeries, type RegimeSpan, regimeSeries, trendSpans } from './regime';
import { type MarketSettings, type MarketSettingsInput, resolveSettings } from './settings';
import {
  candleProfiles,
  type NakedPoc,
  nakedPocs,
  type ProfileBin,
  profileBins,
  type SessionProfile,
  sessionProfiles,
  type VolumeProfile,
  volumeProfileFromTrades,
} from './volume-profile';
import { sessionVwap, type VwapSeries } from './vwap';

export interface AnalyzeOptions {
  settings?: MarketSettings | MarketSettingsInput;
  /** Candle interval (inferred from the candle times when left out). */
  intervalMs?: number;
  /** Profile bin width; default: the range over settings.profile.bins. */
  binSize?: number;
  /** When given, the overall profile is built from these trades instead of the candles. */
  trades?: readonly Trade[];
}

export interface CandleAnalysis {
  length: number;
  intervalMs: number;
  time: Float64Array;
  /** Regime, ADX/DI, ATR, HV percentile and mean-reversion probability per candle. */
  regime: RegimeSeries;
  /** The regime at the last candle (null without candles). */
  latest: RegimePoint | null;
  vwap: VwapSeries;
  /** Profile of the whole input (from trades when given). */
  profile: VolumeProfile;
  profileSource: 'candles' | 'trades';
  /** One profile per session on a common bin grid; the last one is the developing session. */
  sessions: SessionProfile[];
  nakedPocs: NakedPoc[];
}

export function analyzeCandles(candles: readonly Candle[] | CandleColumns, opts: AnalyzeOptions = {}): CandleAnalysis {
  const s = resolveSettings(opts.settings);
  const c = asColumns(candles);
  const intervalMs = opts.intervalMs ?? inferIntervalMs(c.time);
  const { series, stream } = regimeSeries(c, s, intervalMs);
  const p = s.profile;
  const vwap = sessionVwap(c, { sessionMs: p.sessionMs, sessionOffsetMs: p.sessionOffsetMs, bands: p.vwapBands });
  const profileOpts = { valueArea: p.valueArea, bins: p.bins, ...(opts.binSize !== undefined ? { binSize: opts.binSize } : {}) };
  const sessionOpts = { ...profileOpts, sessionMs: p.sessionMs, sessionOffsetMs: p.sessionOffsetMs };
  const useTrades = opts.trades !== undefined && opts.trades.length > 0;
  // From candles: the whole profile and the session profiles (on the whole profile's bin size) in one pass.
  const { profile, sessions } = useTrades
    ? { profile: volumeProfileFromTrades(opts.trades!, profileOpts), sessions: sessionProfiles(c, sessionOpts) }
    : candleProfiles(c, sessionOpts);
  return {
    length: c.length,
    intervalMs,
    time: c.time,
    regime: series,
    latest: c.length > 0 ? stream.point() : null,
    vwap,
    profile,
    profileSource: useTrades ? 'trades' : 'candles',
    sessions,
    nakedPocs: nakedPocs(c, sessions),
  };
}

/** A point of a line series; time is the candle open time in ms (lightweight-charts wants seconds: divide by 1000). */
export interface LinePoint {
  time: number;
  value: number;
}

/** Pairs times with values, leaving out warm-up (NaN) points. */
export function linePoints(time: ArrayLike<number>, values: ArrayLike<number>): LinePoint[] {
  const out: LinePoint[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) out.push({ time: time[i]!, value: v });
  }
  return out;
}

export interface ChartSeries {
  vwap: LinePoint[];
  vwapBands: { multiplier: number; upper: LinePoint[]; lower: LinePoint[] }[];
  atr: LinePoint[];
  adx: LinePoint[];
  hvPercentile: LinePoint[];
  meanReversion: LinePoint[];
  /** Runs of one trend regime (for a coloured timeline). */
  trendSpans: RegimeSpan[];
  profile: { bins: ProfileBin[]; poc: number; vah: number; val: number };
  nakedPocs: NakedPoc[];
}

/** Everything the options-page charts draw, as plain arrays. */
export function chartSeries(a: CandleAnalysis): ChartSeries {
  const t = a.time;
  return {
    vwap: linePoints(t, a.vwap.vwap),
    vwapBands: a.vwap.bands.map((b) => ({ multiplier: b.multiplier, upper: linePoints(t, b.upper), lower: linePoints(t, b.lower) })),
    atr: linePoints(t, a.regime.atr),
    adx: linePoints(t, a.regime.adx),
    hvPercentile: linePoints(t, a.regime.hvPercentile),
    meanReversion: linePoints(t, a.regime.meanReversion),
    trendSpans: trendSpans(a.regime),
    profile: { bins: profileBins(a.profile), poc: a.profile.poc, vah: a.profile.vah, val: a.profile.val },
    nakedPocs: a.nakedPocs,
  };
}

export interface LiquiditySummary {
  spreadBps: number;
  /** Imbalance within the headline band (headlineBand, as the page panel reads it); null when the book covers no band. */
  imbalance: number | null;
  imbalanceBps: number | null;
  nearestBidWall: Wall | null;
  nearestAskWall: Wall | null;
  persistentZones: number;
}

export interface MarketSummary {
  symbol: string;
  time: number;
  close: number;
  regime: RegimePoint | null;
  /** Where the last close sits against the session's value area. */
  valueArea: 'above' | 'inside' | 'below' | 'unknown';
  vwap: number;
  poc: number;
  liquidity: LiquiditySummary | null;
  /** One line for the page panel. */
  text: string;
}

export interface SummaryInput {
  symbol: string;
  candles: readonly Candle[] | CandleColumns;
  /** analyzeBook() of the latest snapshot, if any. */
  book?: BookLiquidity | null;
  /** Zones from updateZones(), if tracked. */
  zones?: readonly LiquidityZone[];
  settings?: MarketSettings | MarketSettingsInput;
  intervalMs?: number;
}

function summarizeLiquidity(book: BookLiquidity, zones: readonly LiquidityZone[] | undefined): LiquiditySummary {
  const band = headlineBand(book.bands);
  const nearest = (side: 'bid' | 'ask') => book.walls.find((w) => w.side === side) ?? null;
  return {
    spreadBps: book.spreadBps,
    imbalance: band?.imbalance ?? null,
    imbalanceBps: band?.bps ?? null,
    nearestBidWall: nearest('bid'),
    nearestAskWall: nearest('ask'),
    persistentZones: zones ? zones.filter((z) => z.persistent).length : 0,
  };
}

/** Compact regime + liquidity summary of one symbol (what the page panel shows). */
export function summarizeMarket(input: SummaryInput): MarketSummary {
  const a = analyzeCandles(input.candles, {
    ...(input.settings !== undefined ? { settings: input.settings } : {}),
    ...(input.intervalMs !== undefined ? { intervalMs: input.intervalMs } : {}),
  });
  const n = a.length;
  const src = input.candles;
  const close = n === 0 ? NaN : isColumns(src) ? src.close[n - 1]! : src[n - 1]!.close;
  const session = a.sessions[a.sessions.length - 1];
  const sp = session?.profile;
  const valueArea =
    !sp || !Number.isFinite(sp.vah) || !Number.isFinite(close) ? 'unknown' : close > sp.vah ? 'above' : close < sp.val ? 'below' : 'inside';
  const summary: MarketSummary = {
    symbol: input.symbol,
    time: n > 0 ? a.time[n - 1]! : NaN,
    close,
    regime: a.latest,
    valueArea,
    vwap: n > 0 ? a.vwap.vwap[n - 1]! : NaN,
    poc: sp?.poc ?? NaN,
    liquidity: input.book ? summarizeLiquidity(input.book, input.zones) : null,
    text: '',
  };
  summary.text = formatMarketSummary(summary);
  return summary;
}

const num = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : '?');

/** "BTCUSDT: strong up (ADX 31) · vol high (p88) · MR 42% · above VA · book +0.18 @50bps · ask wall 64210 (12bps)" */
export function formatMarketSummary(s: MarketSummary): string {
  const parts: string[] = [];
  const r = s.regime;
  if (!r || r.trend === 'unknown') parts.push('trend n/a');
  else parts.push(`${r.trend.replace('_', ' ')} (ADX ${Math.round(r.adx)})`);
  if (r && r.volatility !== 'unknown') parts.push(`vol ${r.volatility} (p${Math.round(r.hvPercentile)})`);
  if (r && Number.isFinite(r.meanReversion)) parts.push(`MR ${Math.round(r.meanReversion * 100)}%`);
  if (s.valueArea !== 'unknown') parts.push(s.valueArea === 'inside' ? 'inside VA' : `${s.valueArea} VA`);
  const l = s.liquidity;
  if (l) {
    if (l.imbalance !== null) parts.push(`book ${l.imbalance >= 0 ? '+' : ''}${l.imbalance.toFixed(2)} @${l.imbalanceBps}bps`);
    const walls = [l.nearestBidWall, l.nearestAskWall].filter((w): w is Wall => w !== null).sort((a, b) => a.distanceBps - b.distanceBps);
    const w = walls[0];
    if (w) parts.push(`${w.side} wall ${num(w.price)} (${Math.round(w.distanceBps)}bps)`);
    if (l.persistentZones > 0) parts.push(`${l.persistentZones} zone${l.persistentZones === 1 ? '' : 's'}`);
  }
  return `${s.symbol}: ${parts.join(' · ')}`;
}
