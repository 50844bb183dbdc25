/**
 * Market watch: keeps a compact market picture (lib/market/summary.ts) for every symbol someone is exposed to or
 * looking at, from the connected accounts' adapters.
 * - Regime: 1h candles, fetched once (300, enough for the volatility percentile) and then only the candles that
 *   closed since, fed incrementally.
 * - ATR %: daily candles the same way; it is the risk engine's volatility input (leverage cap, trailing stops, score).
 * - Book: depth near the mid every BOOK_EVERY_MS, only for symbols on an open trading page (the panel's summary line):
 *   1,000 levels on Binance (weight 20, so 40 a minute per symbol, under 2% of its budget), Hyperliquid's 20 levels
 *   extended by aggregated reads (weight 2 each) out to ±1% of the mid.
 * A failing fetch backs off (1 min doubling to 15 min) and never touches the other symbols; nothing here can block
 * the risk loop, which just reads the last values. A failed book read drops the book (the line leaves it out), and a
 * venue without a connected adapter shows as an error.
 * The regime and the book summary follow the stored market settings (setSettings rebuilds them); the ATR % and the
 * correlation groups feed risk limits, so they keep fixed parameters a setting outside the lock cannot move.
 */
import type { Venue } from '../domain/types';
import type { CandleInterval } from '../domain/market';
import { INTERVAL_MS } from '../domain/market';
import type { ExchangeAdapter } from '../exchanges/types';
import type { Candle } from '../domain/market';
import { AtrPctTracker, RegimeTracker, bookSummary, closedCandles, correlatedGroups, summaryLine, type BookSummary } from '../market/summary';
import type { MarketSummaryView } from '../messaging/market-view';
import { FINE_LEVELS } from '../market/liquidity';
import { DEFAULT_MARKET_SETTINGS, type MarketSettings } from '../market/settings';

export interface MarketTarget {
  venue: Venue;
  symbol: string;
  /** An open trading page shows it: the book is watched too. */
  book: boolean;
}

export interface MarketWatchDeps {
  now: () => number;
  /** A connected adapter of the venue (any account), or null. */
  adapterFor: (venue: Venue) => ExchangeAdapter | null;
  /** What to watch now: symbols with positions, and symbols of open trading pages. */
  targets: () => MarketTarget[];
  /** A summary changed (push the view, re-evaluate with the new ATR). */
  changed: () => void;
  log: (line: string) => void;
  /** The stored market settings at start (default: the defaults); later changes come through setSettings. */
  settings?: MarketSettings;
}

export const REGIME_INTERVAL: CandleInterval = '1h';
export const ATR_INTERVAL: CandleInterval = '1d';
const REGIME_CANDLES = 300;
/** Wilder's 14, as the risk engine's sizing expects: not the analysis settings' atrPeriod (see the header). */
const ATR_PERIOD = 14;
const ATR_CANDLES = 30;
export const BOOK_EVERY_MS = 30_000;
/** Levels per side: as many as the bands (out to ±100 bps) need; 100 levels of a 0.1 tick reach 1.5 bps of BTC. */
const BOOK_DEPTH = 1000;
const RETRY_MIN_MS = 60_000;
const RETRY_MAX_MS = 15 * 60_000;
/** A gap longer than this many candles is refetched whole rather than caught up. */
const CATCH_UP_MAX = 40;
/** Hourly candles kept per symbol for the correlation of returns (about 8 days). */
const CORRELATION_CANDLES = 200;
/** Symbols nobody watches any more are forgotten after this long. */
const FORGET_MS = 30 * 60_000;

interface Fetched {
  /** When the next fetch is due (epoch ms). */
  due: number;
  failures: number;
  /** The last failure, until a fetch succeeds. */
  error: string | null;
}

interface Series extends Fetched {
  tracker: RegimeTracker | AtrPctTracker;
}

interface Entry {
  venue: Venue;
  symbol: string;
  regime: Series & { tracker: RegimeTracker };
  atr: Series & { tracker: AtrPctTracker };
  book: BookSummary | null;
  bookFetch: Fetched;
  lastWanted: number;
  /** The last CORRELATION_CANDLES closed 1h candles, for the correlation groups. */
  hourly: Candle[];
}

const keyOf = (venue: Venue, symbol: string) => `${venue}:${symbol}`;
const backoff = (failures: number) => Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.max(0, failures - 1));
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createMarketWatch(deps: MarketWatchDeps) {
  const entries = new Map<string, Entry>();
  let running: Promise<void> | null = null;
  let groupsMemo: { threshold: number; groups: string[][] } | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let settings = deps.settings ?? DEFAULT_MARKET_SETTINGS;
  const regimeTracker = () => new RegimeTracker(REGIME_INTERVAL, settings);

  const entryFor = (t: MarketTarget): Entry => {
    const k = keyOf(t.venue, t.symbol);
    let e = entries.get(k);
    if (!e) {
      e = {
        venue: t.venue,
        symbol: t.symbol,
        regime: { tracker: regimeTracker(), due: 0, failures: 0, error: null },
        atr: { tracker: new AtrPctTracker(ATR_PERIOD), due: 0, failures: 0, error: null },
        book: null,
        bookFetch: { due: 0, failures: 0, error: null },
        lastWanted: 0,
        hourly: [],
      };
      entries.set(k, e);
    }
    return e;
  };

  /** Fetches what closed since the last candle fed (or the whole window), feeds it; the next fetch after the next close. */
  async function candles(a: ExchangeAdapter, e: Entry, s: Series, interval: CandleInterval, window: number): Promise<boolean> {
    const now = deps.now();
    const step = INTERVAL_MS[interval];
    const last = s.tracker.lastTime;
    const whole = !Number.isFinite(last) || now - last > CATCH_UP_MAX * step;
    if (whole && Number.isFinite(last)) {
      // Too far behind to catch up candle by candle: start the tracker again on a fresh window.
      s.tracker = s.tracker instanceof RegimeTracker ? regimeTracker() : new AtrPctTracker(ATR_PERIOD);
    }
    const got = whole ? await a.fetchCandles(e.symbol, interval, undefined, window) : await a.fetchCandles(e.symbol, interval, last + step, CATCH_UP_MAX + 2);
    const before = s.tracker.lastTime;
    const closed = closedCandles(got, interval, now);
    if (s === e.regime) {
      const fresh = closed.filter((c) => c.time > before || whole);
      e.hourly = (whole ? fresh : [...e.hourly, ...fresh]).slice(-CORRELATION_CANDLES);
      groupsMemo = null;
    }
    s.tracker.feed(closed);
    // The candle forming now closes at the next boundary; ask shortly after it. A last candle held back as maybe
    // still forming on the venue (its clock behind ours) is asked for again soon.
    const held = got.length > closed.length && got[got.length - 1]!.time + step <= now;
    s.due = held ? now + 15_000 : Math.floor(now / step) * step + step + 5_000;
    return s.tracker.lastTime !== before;
  }

  async function refreshEntry(e: Entry, wantBook: boolean): Promise<boolean> {
    const a = deps.adapterFor(e.venue);
    if (!a) {
      // Nothing can be read: say so rather than show frozen figures as current; ask again as soon as one is back.
      const msg = `no connected ${e.venue} account: market data is not updated`;
      const changed = e.regime.error !== msg || e.book !== null;
      e.regime.error = msg;
      e.regime.due = 0;
      e.book = null;
      return changed;
    }
    const now = deps.now();
    let changed = false;
    const attempt = async (what: string, s: Fetched, f: () => Promise<boolean>) => {
      try {
        if (await f()) changed = true;
        if (s.error !== null) changed = true;
        s.error = null;
        s.failures = 0;
      } catch (err) {
        const msg = `${what}: ${errText(err)}`;
        if (s.error !== msg) changed = true;
        s.error = msg;
        deps.log(`[ringfence] market ${e.venue}:${e.symbol} ${msg}`);
        s.failures += 1;
        s.due = deps.now() + backoff(s.failures);
      }
    };
    if (now >= e.regime.due) await attempt('candles', e.regime, () => candles(a, e, e.regime, REGIME_INTERVAL, REGIME_CANDLES));
    if (now >= e.atr.due) await attempt('daily candles', e.atr, () => candles(a, e, e.atr, ATR_INTERVAL, ATR_CANDLES));
    if (wantBook && now >= e.bookFetch.due)
      await attempt('order book', e.bookFetch, async () => {
        // A failed read drops the book: the line must not keep showing one that can no longer be read.
        const book = await a.fetchOrderBook(e.symbol, BOOK_DEPTH).catch((err: unknown) => {
          e.book = null;
          throw err;
        });
        e.book = bookSummary(book, settings, undefined, { fineLevels: FINE_LEVELS[e.venue] });
        e.bookFetch.due = deps.now() + BOOK_EVERY_MS;
        return true;
      });
    if (!wantBook && (e.book || e.bookFetch.error)) {
      e.book = null;
      e.bookFetch = { due: 0, failures: 0, error: null };
      changed = true;
    }
    return changed;
  }

  /** One pass over the targets: whatever is due is fetched, one symbol at a time (light on the venues' limits). */
  async function refresh(): Promise<void> {
    const now = deps.now();
    const wanted = new Map<string, MarketTarget>();
    for (const t of deps.targets()) {
      const k = keyOf(t.venue, t.symbol);
      const prev = wanted.get(k);
      wanted.set(k, prev ? { ...t, book: prev.book || t.book } : t);
    }
    let changed = false;
    for (const t of wanted.values()) {
      const e = entryFor(t);
      e.lastWanted = now;
      if (await refreshEntry(e, t.book)) changed = true;
    }
    for (const [k, e] of entries)
      if (!wanted.has(k) && now - e.lastWanted > FORGET_MS) {
        entries.delete(k);
        groupsMemo = null;
        changed = true;
      }
    if (changed) deps.changed();
  }

  return {
    /** Runs a pass unless one is running (then waits for it). */
    refresh(): Promise<void> {
      running ??= refresh()
        .catch((e: unknown) => deps.log(`[ringfence] market watch: ${errText(e)}`))
        .finally(() => (running = null));
      return running;
    },
    start(everyMs = 5_000) {
      if (!timer) {
        timer = setInterval(() => void this.refresh(), everyMs);
        // In Node (the simulator benches, tests) this timer alone must not keep the process alive; browsers have no unref.
        (timer as { unref?: () => void }).unref?.();
      }
      void this.refresh();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    /**
     * New analysis settings: every regime starts again on a fresh window read under them (a stream cannot change
     * its periods midway) and the books are read again at the next pass. The ATR % is left as it is.
     */
    setSettings(next: MarketSettings) {
      if (JSON.stringify(next) === JSON.stringify(settings)) return;
      settings = next;
      for (const e of entries.values()) {
        e.regime = { tracker: regimeTracker(), due: 0, failures: 0, error: null };
        e.bookFetch.due = 0;
      }
      groupsMemo = null;
      if (entries.size > 0) {
        deps.changed();
        void this.refresh();
      }
    },
    /** ATR % per symbol for the risk engine (EvaluationHistory.atrPct). */
    atrPct(): Record<string, number> {
      const out: Record<string, number> = {};
      for (const e of entries.values()) {
        const v = e.atr.tracker.value();
        if (v !== null) out[e.symbol] = v;
      }
      return out;
    },
    /**
     * Assets whose hourly returns correlate at or above `threshold` (see correlatedGroups); recomputed only when new
     * candles arrive. The risk engine adds them to the configured correlation groups.
     */
    correlated(threshold: number, assetOf: (symbol: string) => string): string[][] {
      if (groupsMemo && groupsMemo.threshold === threshold) return groupsMemo.groups;
      const series: Record<string, Candle[]> = {};
      for (const e of entries.values()) if (e.hourly.length > 0) series[keyOf(e.venue, e.symbol)] = e.hourly;
      const groups = correlatedGroups(series, threshold, (k) => assetOf(k.slice(k.indexOf(':') + 1)));
      groupsMemo = { threshold, groups };
      return groups;
    },
    view(): MarketSummaryView[] {
      return [...entries.values()].map((e) => {
        const regime = e.regime.tracker.summary();
        const atrPct = e.atr.tracker.value();
        const error = e.regime.error ?? e.atr.error ?? e.bookFetch.error;
        return { venue: e.venue, symbol: e.symbol, regime, atrPct, book: e.book, line: summaryLine({ regime, atrPct, book: e.book }), error };
      });
    },
  };
}
export type MarketWatch = ReturnType<typeof createMarketWatch>;
