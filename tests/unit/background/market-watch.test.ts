/** Market watch: fetches once then only what closed, feeds the engine's ATR %, watches books for open pages only. */
import { describe, expect, it } from 'vitest';
import type { Candle, CandleInterval, OrderBook } from '../../../lib/domain/market';
import { INTERVAL_MS } from '../../../lib/domain/market';
import type { ExchangeAdapter } from '../../../lib/exchanges/types';
import { BOOK_EVERY_MS, createMarketWatch, type MarketTarget } from '../../../lib/background/market-watch';
import { MarketViewSchema } from '../../../lib/messaging/market-view';
import * as z from 'zod/mini';

const T0 = Date.UTC(2026, 0, 1);

/** A venue with a fixed price path: candle i of any interval closes at 100 + (i % 7). */
function venue() {
  const calls: string[] = [];
  let failCandles = 0;
  const candle = (interval: CandleInterval, i: number): Candle => {
    const step = INTERVAL_MS[interval];
    const c = 100 + (i % 7);
    return { time: T0 + i * step, open: c - 0.5, high: c + 1, low: c - 1, close: c, volume: 10 };
  };
  let now = T0;
  const adapter = {
    venue: 'binance',
    async fetchCandles(symbol: string, interval: CandleInterval, since?: number, limit = 500) {
      calls.push(`candles ${symbol} ${interval} ${since === undefined ? 'latest' : `since+${(since - T0) / INTERVAL_MS[interval]}`} ${limit}`);
      if (failCandles > 0) {
        failCandles -= 1;
        throw new Error('HTTP 503');
      }
      const step = INTERVAL_MS[interval];
      const forming = Math.floor((now - T0) / step); // index of the candle forming now
      const from = since === undefined ? Math.max(0, forming - limit + 1) : Math.ceil((since - T0) / step);
      const out: Candle[] = [];
      for (let i = from; i <= forming && out.length < limit; i++) out.push(candle(interval, i));
      return out;
    },
    async fetchOrderBook(symbol: string): Promise<OrderBook> {
      calls.push(`book ${symbol}`);
      return { symbol, time: now, bids: [[99.9, 1], [99.5, 30], [99, 1]], asks: [[100.1, 1], [100.4, 1], [100.6, 1]] };
    },
  } as unknown as ExchangeAdapter;
  return {
    adapter,
    calls,
    failNextCandles: (n: number) => (failCandles = n),
    at: (t: number) => (now = t),
    now: () => now,
  };
}

function setup(targets: MarketTarget[], v = venue()) {
  let changes = 0;
  const logs: string[] = [];
  const w = createMarketWatch({ now: v.now, adapterFor: (x) => (x === 'binance' ? v.adapter : null), targets: () => targets, changed: () => changes++, log: (l) => logs.push(l) });
  return { w, v, logs, changes: () => changes };
}

describe('market watch', () => {
  it('fetches the full windows once, then only the candles that closed since; ATR % reaches the engine', async () => {
    const v = venue();
    v.at(T0 + 40 * 86_400_000 + 30 * 60_000); // day 40, half past midnight
    const { w } = setup([{ venue: 'binance', symbol: 'BTCUSDT', book: false }], v);
    await w.refresh();
    expect(v.calls).toEqual(['candles BTCUSDT 1h latest 300', 'candles BTCUSDT 1d latest 30']);
    expect(w.atrPct().BTCUSDT).toBeGreaterThan(0);
    // Nothing new has closed: no request.
    v.calls.length = 0;
    await w.refresh();
    expect(v.calls).toEqual([]);
    // An hour later (after the next close and the 5 s grace): only the 1h candles since the last one fed.
    v.at(v.now() + 60 * 60_000);
    await w.refresh();
    expect(v.calls).toEqual(['candles BTCUSDT 1h since+960 42']);
    const [view] = w.view();
    expect(view!.regime!.time).toBe(T0 + 960 * 3_600_000);
    expect(view!.book).toBeNull();
  });

  it('watches the book only for symbols on an open page, every 30 s, and its line reads the book', async () => {
    const v = venue();
    v.at(T0 + 40 * 86_400_000);
    const targets: MarketTarget[] = [
      { venue: 'binance', symbol: 'BTCUSDT', book: true },
      { venue: 'binance', symbol: 'ETHUSDT', book: false },
      { venue: 'hyperliquid', symbol: 'BTC', book: true }, // no adapter for that venue: skipped quietly
    ];
    const { w } = setup(targets, v);
    await w.refresh();
    expect(v.calls.filter((c) => c.startsWith('book'))).toEqual(['book BTCUSDT']);
    v.calls.length = 0;
    v.at(v.now() + BOOK_EVERY_MS - 1);
    await w.refresh();
    expect(v.calls).toEqual([]);
    v.at(v.now() + 1);
    await w.refresh();
    expect(v.calls).toEqual(['book BTCUSDT']);
    const btc = w.view().find((x) => x.symbol === 'BTCUSDT')!;
    expect(btc.book!.imbalance).toBeGreaterThan(0.5);
    // The asks reach 60 bps: the 50 bps band is covered, and the line names it.
    expect(btc.book!.bandBps).toBe(50);
    expect(btc.line).toMatch(/^1h [a-z ]+ · [a-z]+ vol · ATR \d+\.\d% · book \d+% bid ±50bps · bid wall 99\.5$/);
    // The pushed view passes its schema.
    expect(() => z.parse(MarketViewSchema, w.view())).not.toThrow();
  });

  it('a failing venue backs off for that symbol, shows the error, and recovers', async () => {
    const v = venue();
    v.at(T0 + 40 * 86_400_000);
    const { w, logs } = setup([{ venue: 'binance', symbol: 'BTCUSDT', book: false }], v);
    v.failNextCandles(1);
    await w.refresh();
    expect(w.view()[0]!.error).toBe('candles: HTTP 503');
    expect(logs[0]).toMatch(/market binance:BTCUSDT candles: HTTP 503/);
    v.calls.length = 0;
    v.at(v.now() + 59_000);
    await w.refresh();
    expect(v.calls).toEqual([]); // backing off for a minute
    v.at(v.now() + 1_000);
    await w.refresh();
    expect(v.calls).toEqual(['candles BTCUSDT 1h latest 300']);
    expect(w.view()[0]!.error).toBeNull();
    expect(w.view()[0]!.regime).not.toBeNull();
  });

  it('refetches the whole window after a long gap instead of catching up candle by candle', async () => {
    const v = venue();
    v.at(T0 + 40 * 86_400_000);
    const { w } = setup([{ venue: 'binance', symbol: 'BTCUSDT', book: false }], v);
    await w.refresh();
    v.calls.length = 0;
    v.at(v.now() + 3 * 86_400_000); // three days asleep: 72 hourly candles behind
    await w.refresh();
    expect(v.calls).toEqual(['candles BTCUSDT 1h latest 300', 'candles BTCUSDT 1d since+40 42']);
  });

  it('forgets symbols nobody has watched for 30 minutes', async () => {
    const v = venue();
    v.at(T0 + 40 * 86_400_000);
    const targets: MarketTarget[] = [{ venue: 'binance', symbol: 'BTCUSDT', book: false }];
    const { w, changes } = setup(targets, v);
    await w.refresh();
    targets.length = 0;
    v.at(v.now() + 30 * 60_000 + 1);
    const before = changes();
    await w.refresh();
    expect(w.view()).toEqual([]);
    expect(w.atrPct()).toEqual({});
    expect(changes()).toBe(before + 1);
  });

  it('finds the assets that move together from the hourly candles it keeps (the engine adds them to its groups)', async () => {
    const v = venue();
    v.at(T0 + 40 * 86_400_000);
    const { w } = setup(
      [
        { venue: 'binance', symbol: 'BTCUSDT', book: false },
        { venue: 'binance', symbol: 'ETHUSDT', book: false },
      ],
      v,
    );
    expect(w.correlated(0.8, (s) => s.replace(/USDT$/, ''))).toEqual([]); // nothing fetched yet
    await w.refresh();
    // The fake venue gives every symbol the same path: perfectly correlated.
    const groups = w.correlated(0.8, (s) => s.replace(/USDT$/, ''));
    expect(groups).toEqual([['BTC', 'ETH']]);
    expect(w.correlated(0.8, (s) => s.replace(/USDT$/, ''))).toBe(groups); // memoised until new candles
  });
});
