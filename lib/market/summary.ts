/**
 * The compact market picture the background keeps per watched symbol: the regime of the last closed candle (fed
 * candle by candle through RegimeStream), ATR as % of price from daily candles (the risk engine's volatility input),
 * and the order book's imbalance near the mid with its nearest wall. Plus the one line the page panel shows.
 * Pure: candles and books come in, time comes in; nothing is fetched here.
 */
import type { Candle, CandleInterval, OrderBook } from '../domain/market';
import { mergeGroups } from '../domain/groups';
import { INTERVAL_MS } from '../domain/market';
import { correlationMatrix } from './correlation';
import { analyzeBook, headlineBand, HEADLINE_BAND_BPS, type AnalyzeBookOptions } from './liquidity';
import { RegimeStream, type TrendRegime, type VolatilityRegime } from './regime';
import { type MarketSettings, type MarketSettingsInput, resolveSettings } from './settings';
import { AtrStream } from './streaming';

export interface RegimeSummary {
  interval: CandleInterval;
  /** Open time of the last closed candle the regime was computed on. */
  time: number;
  trend: TrendRegime;
  volatility: VolatilityRegime;
  adx: number | null;
  hvPercentile: number | null;
  /** 0..1; 0.5 is a random walk. */
  meanReversion: number | null;
}

export interface BookSummary {
  time: number;
  spreadBps: number;
  /** The depth band the imbalance is read in (basis points either side of the mid). */
  bandBps: number;
  /** (bid - ask) / (bid + ask) notional within the band, -1..1. */
  imbalance: number;
  bidNotional: number;
  askNotional: number;
  /** The wall nearest to the mid, if any. */
  wall: { side: 'bid' | 'ask'; price: number; distanceBps: number; multiple: number } | null;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** How long past its close the venue's last candle is still taken as forming: the venue's clock may run behind ours. */
export const CLOSE_GRACE_MS = 60_000;

/**
 * Only candles that have closed by `now` (a venue's last candle is usually still forming). `now` is the local clock,
 * which may run ahead of the venue's: the last candle returned counts as closed only once its close is
 * CLOSE_GRACE_MS past (a later candle returned proves an earlier one closed on the venue).
 */
export function closedCandles(candles: readonly Candle[], interval: CandleInterval, now: number): Candle[] {
  const step = INTERVAL_MS[interval];
  const n = candles.length;
  return candles.filter((c, i) => c.time + step + (i === n - 1 ? CLOSE_GRACE_MS : 0) <= now);
}

/**
 * Incremental regime of one symbol and timeframe: feed closed candles in time order (repeats and older candles are
 * skipped, so an overlapping fetch is harmless); `summary()` is the regime at the last candle fed.
 */
export class RegimeTracker {
  private readonly stream: RegimeStream;
  private last = -Infinity;
  fed = 0;

  constructor(
    readonly interval: CandleInterval,
    settings?: MarketSettings | MarketSettingsInput,
  ) {
    this.stream = new RegimeStream(resolveSettings(settings), INTERVAL_MS[interval]);
  }

  /** Open time of the last candle fed (-Infinity before the first). */
  get lastTime(): number {
    return this.last;
  }

  feed(closed: readonly Candle[]): number {
    let n = 0;
    for (const c of closed) {
      if (c.time <= this.last) continue;
      this.stream.update(c.time, c.high, c.low, c.close);
      this.last = c.time;
      this.fed++;
      n++;
    }
    return n;
  }

  summary(): RegimeSummary | null {
    if (this.fed === 0) return null;
    const p = this.stream.point();
    return {
      interval: this.interval,
      time: p.time,
      trend: p.trend,
      volatility: p.volatility,
      adx: finite(p.adx),
      hvPercentile: finite(p.hvPercentile),
      meanReversion: finite(p.meanReversion),
    };
  }
}

/** Incremental ATR as % of the last close (Wilder's ATR, as technicalindicators and the risk engine's sizing use). */
export class AtrPctTracker {
  private readonly atr: AtrStream;
  private last = -Infinity;
  private close = NaN;

  constructor(period = 14) {
    this.atr = new AtrStream(period);
  }

  get lastTime(): number {
    return this.last;
  }

  feed(closed: readonly Candle[]): void {
    for (const c of closed) {
      if (c.time <= this.last) continue;
      this.atr.update(c.high, c.low, c.close);
      this.close = c.close;
      this.last = c.time;
    }
  }

  /** null until the period has filled, or with a non-positive close. */
  value(): number | null {
    const v = (this.atr.value / this.close) * 100;
    return Number.isFinite(v) && this.close > 0 ? v : null;
  }
}

/**
 * Imbalance within the headline band (headlineBand: the widest band the book covers on both sides, at or inside
 * bandBps) and the wall nearest to the mid; null when the book reaches no band (its figures would be a few ticks'
 * worth labelled as a band).
 */
export function bookSummary(
  book: OrderBook,
  settings?: MarketSettings | MarketSettingsInput,
  bandBps = HEADLINE_BAND_BPS,
  opts?: AnalyzeBookOptions,
): BookSummary | null {
  const liq = analyzeBook(book, settings, opts);
  const band = liq && headlineBand(liq.bands, bandBps);
  if (!liq || !band) return null;
  let wall: BookSummary['wall'] = null;
  for (const w of liq.walls)
    if (!wall || w.distanceBps < wall.distanceBps) wall = { side: w.side, price: w.price, distanceBps: w.distanceBps, multiple: w.multiple };
  return {
    time: liq.time,
    spreadBps: liq.spreadBps,
    bandBps: band.bps,
    imbalance: band.imbalance,
    bidNotional: band.bidNotional,
    askNotional: band.askNotional,
    wall,
  };
}

const TREND_TEXT: Record<TrendRegime, string> = {
  unknown: 'trend n/a',
  strong_down: 'strong down',
  weak_down: 'weak down',
  ranging: 'ranging',
  weak_up: 'weak up',
  strong_up: 'strong up',
};

const price = (v: number) => (v >= 1000 ? v.toLocaleString('en-US', { maximumFractionDigits: 0 }) : String(Number(v.toPrecision(5))));

/**
 * One short line for the page panel, e.g. "1h weak up · high vol · ATR 3.2% · book 64% bid ±50bps · ask wall 68,200"
 * (the book share is within ±bandBps of the mid, named because a thin book may cover only a narrower band). Parts
 * without data are left out; with nothing at all it says so.
 */
export function summaryLine(s: { regime: RegimeSummary | null; atrPct: number | null; book: BookSummary | null }): string {
  const parts: string[] = [];
  if (s.regime) {
    const vol = s.regime.volatility === 'unknown' ? '' : ` · ${s.regime.volatility} vol`;
    parts.push(`${s.regime.interval} ${TREND_TEXT[s.regime.trend]}${vol}`);
  }
  if (s.atrPct !== null) parts.push(`ATR ${s.atrPct.toFixed(1)}%`);
  if (s.book) {
    const bidShare = Math.round(((s.book.imbalance + 1) / 2) * 100);
    const side = bidShare >= 50 ? `${bidShare}% bid` : `${100 - bidShare}% ask`;
    parts.push(`book ${side} ±${s.book.bandBps}bps`);
    if (s.book.wall) parts.push(`${s.book.wall.side} wall ${price(s.book.wall.price)}`);
  }
  return parts.length > 0 ? parts.join(' · ') : 'No market data yet';
}

/**
 * Groups of assets whose returns move together: the correlation matrix of the series (see correlation.ts), an edge
 * between two assets when their correlation is at least `threshold` (pairs with too little overlap count as 0), and
 * each connected component of two or more assets is a group. Series of the same asset (BTCUSDT on one venue, BTC on
 * another) are one asset already; `assetOf` names it. Sorted, so the same market gives the same groups.
 */
export function correlatedGroups(
  series: Readonly<Record<string, readonly Candle[]>>,
  threshold: number,
  assetOf: (symbol: string) => string,
  settings?: MarketSettings | MarketSettingsInput,
): string[][] {
  const m = correlationMatrix(series, settings ? { settings } : {});
  // Every asset, then an edge per pair at or above the threshold; connected components are the groups.
  const edges: string[][] = m.symbols.map((x) => [assetOf(x)]);
  for (let i = 0; i < m.symbols.length; i++)
    for (let j = i + 1; j < m.symbols.length; j++) if (m.matrix[i]![j]! >= threshold) edges.push([assetOf(m.symbols[i]!), assetOf(m.symbols[j]!)]);
  return mergeGroups(edges)
    .map((g) => g.sort())
    .sort((x, y) => (x[0]! < y[0]! ? -1 : 1));
}
