/**
 * The Market view's data: candles and books asked of the background (market.candles / market.book), analysed here in
 * the options page with lib/market (the service worker only fetches). Holds the latest results as signals; a newer
 * load makes the answers of an older one void, so a slow reply never paints over the symbol now chosen.
 */
import { signal } from '@preact/signals';
import { INTERVAL_MS, type Candle, type CandleInterval } from '../domain/market';
import { analyzeCandles, type CandleAnalysis } from '../market/analysis';
import { correlationMatrix, type CorrelationMatrix } from '../market/correlation';
import { analyzeBook, FINE_LEVELS, headlineBand, initialZoneState, updateZones, type BookLiquidity, type ZoneTrackerState } from '../market/liquidity';
import { multiTimeframeRegime, type MultiTimeframeRegime } from '../market/regime';
import { closedCandles } from '../market/summary';
import { DEFAULT_MARKET_SETTINGS, type MarketSettings } from '../market/settings';
import { request, type RuntimeLike } from '../messaging/client';
import { marketBook, marketCandles, marketTrades, type MarketFailureReason, type MarketInterval } from '../messaging/market-requests';
import type { Result } from '../messaging/protocol';
import { depthCurves, priceDecimals, sessionVwapNote, type DepthPt, type Venue } from './market-view';

export const DEFAULT_INTERVAL: MarketInterval = '1h';
export const DEFAULT_LIMIT = 500;
/**
 * Book levels asked for per side: enough for the ±100 bps band where the venue has them (Binance's largest read,
 * weight 20; Hyperliquid's adapter adds aggregated reads of weight 2 to its 20 levels).
 */
export const BOOK_DEPTH = 1000;
/** How often the book is read again while the view is open: 120 Binance weight a minute, 5% of its budget. */
export const BOOK_REFRESH_MS = 10_000;
/** Book reads whose lean the imbalance chart keeps: an hour at BOOK_REFRESH_MS. */
export const IMBALANCE_HISTORY = 360;

/** One book read's lean in its headline band (liquidity.headlineBand): (bids - asks) / (bids + asks). */
export interface ImbalancePoint {
  /** The read's venue time. */
  time: number;
  bps: number;
  imbalance: number;
}

export interface MarketQuery {
  venue: Venue;
  symbol: string;
  interval: MarketInterval;
}

export interface MarketError {
  reason: MarketFailureReason | 'request';
  message: string;
}

export interface ChartModel {
  query: MarketQuery;
  account: string;
  accountLabel: string;
  /** Closed candles: what the analysis, the regime timeline and the correlations read. */
  candles: Candle[];
  /** The venue's candle still forming at load time, drawn marked as such and never analysed. */
  forming: Candle | null;
  analysis: CandleAnalysis;
  /** Set when session VWAP means nothing at this interval (sessionVwapNote): the view shows this instead. */
  vwapNote: string | null;
  decimals: number;
  loadedAt: number;
}

export interface BookModel {
  symbol: string;
  liquidity: BookLiquidity;
  depth: { bids: DepthPt[]; asks: DepthPt[] };
  /** Widest band: how far the depth curves reach. */
  rangeBps: number;
  zones: ZoneTrackerState;
  snapshots: number;
  time: number;
  /** The reads of this symbol since the view opened it, oldest first, at most IMBALANCE_HISTORY; a read that covers no band has none. */
  imbalance: ImbalancePoint[];
}

export interface CorrelationModel {
  matrix: CorrelationMatrix;
  /** Symbols left out, with why. */
  skipped: { symbol: string; message: string }[];
}

/** Where the volume profile shown comes from, in words for the view ("Profile from 8,412 trades"). */
export interface ProfileSource {
  source: 'candles' | 'trades';
  text: string;
  trades: number;
  complete: boolean;
  /** The window the trades were asked for (the shown closed candles'), when they were. */
  window?: { start: number; end: number };
}

/** "2 h 10 min", "3 d 4 h", "45 min": how much of the window the trades cover. */
export function spanText(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60_000));
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}

export function tradesProfileText(n: number, complete: boolean, from: number, to: number): string {
  const count = `${n.toLocaleString('en-US')} trade${n === 1 ? '' : 's'}`;
  return complete ? `Profile from ${count}` : `Profile from ${count} over the last ${spanText(to - from)} of the window (the read stops at 10 calls, 10,000 trades)`;
}

type Answer<T> = { ok: true; value: T } | { ok: false; error: MarketError };

/** A request's outcome as one shape: the background's own failures (as data) and protocol errors alike. */
function answer<T extends { ok: boolean }, V>(r: Result<T>, pick: (d: Extract<T, { ok: true }>) => V): Answer<V> {
  if (!r.ok) {
    const issues = r.error.issues?.length ? ` ${r.error.issues.join('; ')}` : '';
    return { ok: false, error: { reason: 'request', message: `${r.error.message}${issues}` } };
  }
  const d = r.data as T & { reason?: MarketFailureReason; message?: string };
  if (!d.ok) return { ok: false, error: { reason: d.reason!, message: d.message! } };
  return { ok: true, value: pick(d as Extract<T, { ok: true }>) };
}

export interface MarketFeedOptions {
  settings?: MarketSettings;
  now?: () => number;
  /** Timers for the book refresh (tests pass fakes). */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (id: unknown) => void;
}

export function createMarketFeed(runtime: RuntimeLike, opts: MarketFeedOptions = {}) {
  let settings = opts.settings ?? DEFAULT_MARKET_SETTINGS;
  let correlateWithLast: readonly string[] = [];
  const now = opts.now ?? Date.now;
  const query = signal<MarketQuery | null>(null);
  const loading = signal(false);
  const error = signal<MarketError | null>(null);
  const chart = signal<ChartModel | null>(null);
  const mtf = signal<{ regime: MultiTimeframeRegime; errors: string[] } | null>(null);
  const book = signal<BookModel | null>(null);
  const bookError = signal<MarketError | null>(null);
  const correlation = signal<CorrelationModel | null>(null);
  const profileSource = signal<ProfileSource | null>(null);
  let generation = 0;

  const candles = async (venue: Venue, symbol: string, interval: MarketInterval, limit = DEFAULT_LIMIT) =>
    answer(await request(runtime, marketCandles, { venue, symbol, interval, limit }), (d) => ({ candles: d.candles, account: d.account, accountLabel: d.accountLabel }));

  const readBook = async (q: MarketQuery, gen: number) => {
    const r = answer(await request(runtime, marketBook, { venue: q.venue, symbol: q.symbol, depth: BOOK_DEPTH }), (d) => d.book);
    if (gen !== generation) return;
    if (!r.ok) {
      bookError.value = r.error;
      return;
    }
    const liquidity = analyzeBook(r.value, settings, { fineLevels: FINE_LEVELS[q.venue] });
    if (!liquidity) {
      bookError.value = { reason: 'unknown_symbol', message: `The ${q.symbol} order book has an empty side: no mid price.` };
      return;
    }
    const prev = book.value?.symbol === q.symbol ? book.value : null;
    const rangeBps = settings.liquidity.bandsBps[settings.liquidity.bandsBps.length - 1] ?? 100;
    const head = headlineBand(liquidity.bands);
    const history = prev?.imbalance ?? [];
    // A read as old as one kept (an unchanged book, or answers out of order) replaces it: the chart's times must rise.
    const kept = history.filter((p) => p.time < r.value.time);
    const imbalance = head ? [...kept, { time: r.value.time, bps: head.bps, imbalance: head.imbalance }].slice(-IMBALANCE_HISTORY) : history;
    book.value = {
      symbol: q.symbol,
      liquidity,
      depth: depthCurves(r.value, liquidity.mid, rangeBps),
      rangeBps,
      zones: updateZones(prev?.zones ?? initialZoneState(), liquidity, settings),
      snapshots: (prev?.snapshots ?? 0) + 1,
      time: r.value.time,
      imbalance,
    };
    bookError.value = null;
  };

  const loadTimeframes = async (q: MarketQuery, main: Candle[], gen: number) => {
    const errors: string[] = [];
    const source: Partial<Record<CandleInterval, Candle[]>> = { [q.interval]: main };
    await Promise.all(
      settings.timeframes
        .filter((tf) => tf !== q.interval)
        .map(async (tf) => {
          const r = await candles(q.venue, q.symbol, tf);
          if (r.ok) source[tf] = closedCandles(r.value.candles, tf, now());
          else errors.push(`${tf}: ${r.error.message}`);
        }),
    );
    if (gen !== generation) return;
    mtf.value = { regime: multiTimeframeRegime(source, settings), errors };
  };

  const loadCorrelation = async (q: MarketQuery, main: Candle[], symbols: readonly string[], gen: number) => {
    const series: Record<string, Candle[]> = { [q.symbol]: main };
    const skipped: CorrelationModel['skipped'] = [];
    await Promise.all(
      symbols
        .filter((s) => s !== q.symbol)
        .map(async (s) => {
          const r = await candles(q.venue, s, q.interval);
          if (r.ok) series[s] = closedCandles(r.value.candles, q.interval, now());
          else skipped.push({ symbol: s, message: r.error.message });
        }),
    );
    if (gen !== generation) return;
    correlation.value = { matrix: correlationMatrix(series, { intervalMs: INTERVAL_MS[q.interval], settings }), skipped };
  };

  /**
   * The profile from the window's trades where the venue has them: the chart's analysis is redone with them (the
   * candle profile stays, and says why, when the venue has no trade history, the read fails or finds none).
   */
  const loadTrades = async (q: MarketQuery, main: Candle[], gen: number) => {
    const intervalMs = INTERVAL_MS[q.interval];
    const start = main[0]!.time;
    const end = main[main.length - 1]!.time + intervalMs;
    const candlesOnly = (why: string) => ({ source: 'candles' as const, text: `Profile from candles (${why})`, trades: 0, complete: false });
    profileSource.value = { ...candlesOnly('reading trades'), text: 'Profile from candles while the trades load' };
    const r = answer(await request(runtime, marketTrades, { venue: q.venue, symbol: q.symbol, start, end }), (d) => d);
    if (gen !== generation) return;
    if (!r.ok) return void (profileSource.value = candlesOnly(`trades could not be read: ${r.error.message}`));
    if (!r.value.available) return void (profileSource.value = candlesOnly(r.value.note ?? 'no trade history'));
    const trades = r.value.trades;
    if (trades.length === 0) return void (profileSource.value = candlesOnly('no trades in the window'));
    const c = chart.value;
    if (c && c.query === q) chart.value = { ...c, analysis: analyzeCandles(main, { settings, intervalMs, trades }) };
    profileSource.value = { source: 'trades', text: tradesProfileText(trades.length, r.value.complete, r.value.from, r.value.to), trades: trades.length, complete: r.value.complete, window: { start, end } };
  };

  /** Loads everything for a symbol: candles and their analysis, the timeframes, the book and the correlations. */
  const load = async (q: MarketQuery, correlateWith: readonly string[] = []) => {
    const gen = ++generation;
    correlateWithLast = correlateWith;
    const changed = !query.value || query.value.venue !== q.venue || query.value.symbol !== q.symbol;
    query.value = q;
    loading.value = true;
    if (changed) {
      book.value = null;
      bookError.value = null;
    }
    try {
      if (!q.symbol) {
        error.value = { reason: 'request', message: 'Enter a symbol.' };
        chart.value = null;
        return;
      }
      const r = await candles(q.venue, q.symbol, q.interval);
      if (gen !== generation) return;
      if (!r.ok) {
        error.value = r.error;
        chart.value = null;
        mtf.value = null;
        correlation.value = null;
        book.value = null;
        return;
      }
      // Analysis on closed candles only, as the page panel reads them: the venue's last candle is usually forming.
      const all = r.value.candles;
      const main = closedCandles(all, q.interval, now());
      if (main.length === 0) {
        error.value = { reason: 'unknown_symbol', message: `${q.symbol} has no closed ${q.interval} candle yet.` };
        chart.value = null;
        mtf.value = null;
        correlation.value = null;
        return;
      }
      error.value = null;
      chart.value = {
        query: q,
        account: r.value.account,
        accountLabel: r.value.accountLabel,
        candles: main,
        forming: all.length > main.length ? all[all.length - 1]! : null,
        analysis: analyzeCandles(main, { settings, intervalMs: INTERVAL_MS[q.interval] }),
        vwapNote: sessionVwapNote(q.interval, INTERVAL_MS[q.interval], settings.profile.sessionMs),
        decimals: priceDecimals(all),
        loadedAt: now(),
      };
      await Promise.all([loadTimeframes(q, main, gen), readBook(q, gen), loadCorrelation(q, main, correlateWith, gen), loadTrades(q, main, gen)]);
    } finally {
      if (gen === generation) loading.value = false;
    }
  };

  /** Recomputes the correlation table for other symbols (the candles shown stay). */
  const correlate = async (symbols: readonly string[]) => {
    const c = chart.value;
    if (!c) return;
    correlateWithLast = symbols;
    await loadCorrelation(c.query, c.candles, symbols, generation);
  };

  /** Reads the book again (the periodic refresh): zones build up across these snapshots. */
  const refreshBook = async () => {
    const q = query.value;
    if (!q || !chart.value) return;
    await readBook(q, generation);
  };

  let timer: unknown = null;
  const setTimer = opts.setTimer ?? ((fn, ms) => setInterval(fn, ms));
  const clearTimer = opts.clearTimer ?? ((id) => clearInterval(id as ReturnType<typeof setInterval>));
  /** Refreshes the book every `ms` until the returned function is called (the view closing). */
  const watchBook = (ms = BOOK_REFRESH_MS, visible: () => boolean = () => true) => {
    if (timer !== null) clearTimer(timer);
    const id = setTimer(() => {
      if (visible()) void refreshBook();
    }, ms);
    timer = id;
    return () => {
      clearTimer(id);
      if (timer === id) timer = null;
    };
  };

  /** New analysis settings: the zones start again (they were matched under the old bands) and the view reloads. */
  const setSettings = async (next: MarketSettings) => {
    settings = next;
    book.value = null;
    const q = query.value;
    if (q) await load(q, correlateWithLast);
  };

  return {
    get settings() {
      return settings;
    },
    setSettings,
    query,
    loading,
    error,
    chart,
    mtf,
    book,
    bookError,
    correlation,
    profileSource,
    load,
    correlate,
    refreshBook,
    watchBook,
  };
}
export type MarketFeed = ReturnType<typeof createMarketFeed>;
