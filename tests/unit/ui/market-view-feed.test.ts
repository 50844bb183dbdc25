/**
 * The Market view's feed: requests through a real background (fake adapters), the analysis in the page, the book
 * refreshed on a timer with zones building up across snapshots, the error paths, and stale answers dropped.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { INTERVAL_MS, type Candle, type CandleInterval, type OrderBook } from '@/lib/domain/market';
import type { AdapterConfig, ExchangeAdapter } from '@/lib/exchanges/types';
import type { RuntimeLike } from '@/lib/messaging/client';
import { RingfenceDb, type AccountRow } from '@/lib/store/db';
import { createMarketFeed, IMBALANCE_HISTORY } from '@/lib/ui/market-feed';
import { headlineBand } from '@/lib/market/liquidity';
import { extensionSender, fakeRuntime, testBackground } from '../helpers/fake-runtime';
import { accountRow } from '../helpers/account-row';

const END = Date.UTC(2026, 10, 20);

/** A wave around `base` with volume, one candle per interval up to END. */
function wave(base: number, interval: CandleInterval, n: number, phase: number): Candle[] {
  const step = INTERVAL_MS[interval];
  return Array.from({ length: n }, (_, i) => {
    const t = END - (n - i) * step;
    const close = base * (1 + 0.02 * Math.sin(i / 9 + phase));
    const open = base * (1 + 0.02 * Math.sin((i - 1) / 9 + phase));
    return { time: t, open, high: Math.max(open, close) * 1.001, low: Math.min(open, close) * 0.999, close, volume: 100 + (i % 7) };
  });
}

/** Every market read the fake adapters answered, in order. */
let log: string[] = [];
/** A test adapter with only what the market handler uses: the account id and the two market reads. */
function marketAdapter(config: AdapterConfig): ExchangeAdapter {
  let bookTime = 0;
  const fetchCandles = async (symbol: string, interval: CandleInterval, _since?: number, limit = 500) => {
    log.push(`candles ${symbol} ${interval} ${limit}`);
    return wave(symbol.startsWith('ETH') ? 3400 : 97_000, interval, limit, symbol.startsWith('ETH') ? 1 : 0);
  };
  const fetchOrderBook = async (symbol: string, depth?: number): Promise<OrderBook> => {
    log.push(`book ${symbol} ${depth}`);
    const time = bookTime;
    bookTime += 15_000;
    // Mid 100; a 60-lot bid at 99.7 (30 bps out) stands far above the 1-lot levels: a wall and a zone.
    const bids: [number, number][] = Array.from({ length: 40 }, (_, i) => [Number((99.99 - i * 0.01).toFixed(2)), i === 29 ? 60 : 1]);
    const asks: [number, number][] = Array.from({ length: 40 }, (_, i) => [Number((100.01 + i * 0.01).toFixed(2)), 1]);
    return { symbol, time, bids, asks };
  };
  return { venue: config.credentials.venue, accountId: config.accountId, fetchCandles, fetchOrderBook, disconnect: async () => {} } as unknown as ExchangeAdapter;
}

const binanceRow: AccountRow = accountRow({ venue: 'binance', mode: 'monitor' });

async function setup() {
  log = [];
  const db = new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
  await db.accounts.put(binanceRow);
  const { bg } = testBackground({ db, makeAdapter: marketAdapter });
  await bg.ready;
  const { runtime } = fakeRuntime(() => bg, extensionSender('options.html'));
  const timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
  const feed = createMarketFeed(runtime, {
    // A minute past the last close: the venue's clock may lag ours, so the last candle counts as closed only then.
    now: () => END + 60_000,
    setTimer: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (id) => void ((id as { cleared: boolean }).cleared = true),
  });
  return { feed, timers };
}

describe('market feed', () => {
  it('loads candles, analyses them, and fills the timeframes, the book and the correlations', async () => {
    const { feed } = await setup();
    await feed.load({ venue: 'binance', symbol: 'ETHUSDT', interval: '1h' }, ['ETHUSDT', 'BTCUSDT']);
    expect(feed.error.value).toBeNull();
    expect(feed.loading.value).toBe(false);
    const chart = feed.chart.value!;
    expect(chart).toMatchObject({ account: 'binance:main', accountLabel: 'Main', loadedAt: END + 60_000, query: { venue: 'binance', symbol: 'ETHUSDT', interval: '1h' } });
    expect(chart.candles).toHaveLength(500);
    expect(chart.analysis.length).toBe(500);
    expect(chart.analysis.intervalMs).toBe(INTERVAL_MS['1h']);
    expect(chart.analysis.profile.val).toBeLessThan(chart.analysis.profile.poc);
    expect(chart.analysis.profile.poc).toBeLessThan(chart.analysis.profile.vah);
    expect(chart.decimals).toBeGreaterThan(0);

    // The 1h candles are reused for the 1h timeframe; 15m and 4h are asked for.
    expect(log.filter((l) => l.startsWith('candles')).sort()).toEqual([
      'candles BTCUSDT 1h 500',
      'candles ETHUSDT 15m 500',
      'candles ETHUSDT 1h 500',
      'candles ETHUSDT 4h 500',
    ]);
    const mtf = feed.mtf.value!;
    expect(mtf.errors).toEqual([]);
    expect(mtf.regime.timeframes.map((t) => [t.interval, t.candles, t.regime !== null])).toEqual([
      ['15m', 500, true],
      ['1h', 500, true],
      ['4h', 500, true],
    ]);

    const book = feed.book.value!;
    expect(log).toContain('book ETHUSDT 1000');
    expect(book.snapshots).toBe(1);
    expect(book.liquidity.mid).toBe(100);
    expect(book.liquidity.walls.map((w) => [w.side, w.price, w.size])).toEqual([['bid', 99.7, 60]]);
    expect(book.depth.bids.at(-1)).toEqual({ price: 99.99, cumulative: 1 });
    expect(book.depth.bids[0]).toEqual({ price: 99.6, cumulative: 99 });
    expect(book.zones.zones.map((z) => [z.side, z.persistent])).toEqual([['bid', false]]);

    const corr = feed.correlation.value!;
    expect(corr.matrix.symbols).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(corr.matrix.matrix[0]![0]).toBe(1);
    expect(corr.skipped).toEqual([]);
  });

  it('refreshes the book on a timer while visible; a zone seen long enough turns persistent; stopping clears the timer', async () => {
    const { feed, timers } = await setup();
    await feed.load({ venue: 'binance', symbol: 'ETHUSDT', interval: '1h' });
    let visible = true;
    const stop = feed.watchBook(5_000, () => visible);
    expect(timers).toHaveLength(1);
    expect(timers[0]!.ms).toBe(5_000);
    const tick = async () => {
      timers[0]!.fn();
      await new Promise((r) => setTimeout(r, 0));
      await new Promise((r) => setTimeout(r, 0));
    };
    await tick();
    expect(feed.book.value!.snapshots).toBe(2);
    visible = false;
    await tick();
    expect(feed.book.value!.snapshots).toBe(2);
    visible = true;
    await tick();
    // Three sightings over 30 s (book times 0, 15 s, 30 s): persistent.
    expect(feed.book.value!.snapshots).toBe(3);
    expect(feed.book.value!.zones.zones.map((z) => [z.side, z.sightings, z.persistent])).toEqual([['bid', 3, true]]);
    stop();
    expect(timers[0]!.cleared).toBe(true);
  });

  it('keeps each book read`s lean in its headline band for the imbalance chart, oldest first, at most an hour of reads', async () => {
    const { feed, timers } = await setup();
    await feed.load({ venue: 'binance', symbol: 'ETHUSDT', interval: '1h' });
    feed.watchBook(5_000, () => true);
    const tick = async () => {
      timers[0]!.fn();
      await new Promise((r) => setTimeout(r, 0));
      await new Promise((r) => setTimeout(r, 0));
    };
    await tick();
    await tick();
    const b = feed.book.value!;
    // The fake book reaches 40 bps: the headline is the widest covered band inside 50 bps, ±25.
    const head = headlineBand(b.liquidity.bands)!;
    expect(head.bps).toBe(25);
    expect(b.imbalance).toEqual([0, 15_000, 30_000].map((time) => ({ time, bps: 25, imbalance: head.imbalance })));
    for (let i = 0; i < IMBALANCE_HISTORY; i++) await tick();
    const pts = feed.book.value!.imbalance;
    expect(pts).toHaveLength(IMBALANCE_HISTORY);
    expect(pts[0]!.time).toBe(3 * 15_000);
    expect(pts.at(-1)!.time).toBe((IMBALANCE_HISTORY + 2) * 15_000);
    // A new symbol starts its own history.
    await feed.load({ venue: 'binance', symbol: 'BTCUSDT', interval: '1h' });
    expect(feed.book.value!.imbalance.map((p) => p.time)).toEqual([(IMBALANCE_HISTORY + 3) * 15_000]);
  });

  it('shows the failure and clears the charts: no account, a bad symbol refused by the schema, an empty symbol', async () => {
    const { feed } = await setup();
    await feed.load({ venue: 'binance', symbol: 'ETHUSDT', interval: '1h' });
    expect(feed.chart.value).not.toBeNull();
    await feed.load({ venue: 'hyperliquid', symbol: 'BTC', interval: '1h' });
    expect(feed.error.value).toEqual({
      reason: 'no_account',
      message: 'No Hyperliquid account is connected to Ringfence: add one under Accounts to see Hyperliquid market data.',
    });
    expect([feed.chart.value, feed.mtf.value, feed.book.value, feed.correlation.value]).toEqual([null, null, null, null]);
    await feed.load({ venue: 'binance', symbol: 'ETH/USDT', interval: '1h' });
    expect(feed.error.value).toEqual({
      reason: 'request',
      message: 'Invalid data for "market.candles". symbol: not a symbol of this venue: Binance lists symbols like BTCUSDT, Hyperliquid coins like BTC or xyz:NAME',
    });
    await feed.load({ venue: 'binance', symbol: '', interval: '1h' });
    expect(feed.error.value).toEqual({ reason: 'request', message: 'Enter a symbol.' });
    expect(feed.loading.value).toBe(false);
  });

  it('a timeframe or a correlated symbol that fails is named; the rest still shows', async () => {
    const { feed } = await setup();
    await feed.load({ venue: 'binance', symbol: 'ETHUSDT', interval: '1h' }, ['ETHUSDT', 'bad one']);
    expect(feed.correlation.value!.matrix.symbols).toEqual(['ETHUSDT']);
    expect(feed.correlation.value!.skipped.map((s) => s.symbol)).toEqual(['bad one']);
    expect(feed.correlation.value!.skipped[0]!.message).toMatch(/^Invalid data for "market.candles"\. symbol: not a symbol of this venue/);
  });

  it('an answer to an older load never paints over a newer one', async () => {
    const pending: { type: string; data: { symbol: string }; resolve: (v: unknown) => void }[] = [];
    const runtime: RuntimeLike = {
      sendMessage: (m) =>
        new Promise((resolve) => {
          const msg = m as { type: string; data: { symbol: string } };
          pending.push({ type: msg.type, data: msg.data, resolve });
        }),
      connect: () => {
        throw new Error('no ports here');
      },
    };
    const feed = createMarketFeed(runtime);
    const candlesOf = (symbol: string) => ({ ok: true, data: { ok: true, venue: 'binance', symbol, account: 'binance:main', accountLabel: 'Main', interval: '1h', candles: wave(100, '1h', 50, 0) } });
    const first = feed.load({ venue: 'binance', symbol: 'AAAUSDT', interval: '1h' });
    const second = feed.load({ venue: 'binance', symbol: 'BBBUSDT', interval: '1h' });
    const flush = () => new Promise((r) => setTimeout(r, 0));
    await flush();
    pending.find((p) => p.data.symbol === 'BBBUSDT')!.resolve(candlesOf('BBBUSDT'));
    await flush();
    pending.find((p) => p.data.symbol === 'AAAUSDT')!.resolve(candlesOf('AAAUSDT'));
    await flush();
    // Answer everything else (timeframes, books) with a failure so both loads finish.
    for (const p of pending.filter((x) => x.type !== 'market.candles' || x.data.symbol !== 'AAAUSDT')) p.resolve({ ok: true, data: { ok: false, reason: 'venue_error', message: 'later' } });
    await flush();
    for (const p of pending) p.resolve({ ok: true, data: { ok: false, reason: 'venue_error', message: 'later' } });
    await Promise.all([first, second]);
    expect(feed.chart.value?.query.symbol).toBe('BBBUSDT');
    expect(feed.query.value?.symbol).toBe('BBBUSDT');
  });
});
