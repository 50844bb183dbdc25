/** Market watch: the panel's book figures are those of the band they name, read from enough of the venue's book. */
import { describe, expect, it } from 'vitest';
import type { Candle, OrderBook } from '../../../lib/domain/market';
import type { Venue } from '../../../lib/domain/types';
import type { ExchangeAdapter } from '../../../lib/exchanges/types';
import { createMarketWatch } from '../../../lib/background/market-watch';
import { analyzeBook } from '../../../lib/market/liquidity';

const NOW = Date.UTC(2026, 0, 1) + 40 * 86_400_000 + 30 * 60_000;

/** A BTC-like futures book: one level a tick; asks weigh 3 from 10 bps out, a 200-lot ask wall 30 bps out. */
function fullBook(tick: number): OrderBook {
  const mid = 65_000;
  const bids: [number, number][] = [];
  const asks: [number, number][] = [];
  for (let i = 0; i < 5000; i++) {
    const bp = Number((mid - tick / 2 - i * tick).toFixed(2));
    const ap = Number((mid + tick / 2 + i * tick).toFixed(2));
    bids.push([bp, 1]);
    const d = ((ap - mid) / mid) * 1e4;
    asks.push([ap, Math.abs(d - 30) < (tick / mid) * 1e4 / 2 ? 200 : d > 10 ? 3 : 1]);
  }
  return { symbol: 'BTCUSDT', time: NOW, bids, asks };
}

function watch(book: () => OrderBook, venue: Venue = 'binance') {
  const asked: number[] = [];
  const adapter = {
    venue,
    fetchCandles: async (): Promise<Candle[]> => [],
    // As the Binance adapter does: the venue's book cut to `depth` levels a side.
    async fetchOrderBook(_symbol: string, depth = 20): Promise<OrderBook> {
      asked.push(depth);
      const b = book();
      return { ...b, bids: b.bids.slice(0, depth), asks: b.asks.slice(0, depth) };
    },
  } as unknown as ExchangeAdapter;
  const w = createMarketWatch({ now: () => NOW, adapterFor: () => adapter, targets: () => [{ venue, symbol: 'BTCUSDT', book: true }], changed: () => {}, log: () => {} });
  return { w, asked };
}

describe('market watch: the book line', () => {
  it('asks for 1,000 levels and reads the widest band they cover, naming it (0.1 tick: 15 bps, so ±10)', async () => {
    const { w, asked } = watch(() => fullBook(0.1));
    await w.refresh();
    expect(asked).toEqual([1000]);
    const v = w.view()[0]!;
    const truth = analyzeBook(fullBook(0.1))!.bands.find((b) => b.bps === 10)!;
    expect(v.book).toMatchObject({ bandBps: 10, wall: null });
    expect(v.book!.bidNotional).toBeCloseTo(truth.bidNotional, 6);
    expect(v.book!.askNotional).toBeCloseTo(truth.askNotional, 6);
    expect(v.book!.imbalance).toBeCloseTo(truth.imbalance, 12);
    expect(v.line).toBe(`book ${Math.round(((truth.imbalance + 1) / 2) * 100)}% bid ±10bps`);
  });

  it('with a coarser tick the same 1,000 levels reach 77 bps: the ±50 band, its imbalance and the wall 30 bps out', async () => {
    const { w } = watch(() => fullBook(0.5));
    await w.refresh();
    const v = w.view()[0]!;
    const truth = analyzeBook(fullBook(0.5))!.bands.find((b) => b.bps === 50)!;
    expect(truth.imbalance).toBeLessThan(-0.4);
    expect(v.book!.bandBps).toBe(50);
    expect(v.book!.imbalance).toBeCloseTo(truth.imbalance, 12);
    expect(v.book!.wall).toMatchObject({ side: 'ask', price: 65_194.75 });
    expect(v.line).toBe(`book ${Math.round(((1 - truth.imbalance) / 2) * 100)}% ask ±50bps · ask wall 65,195`);
  });

  it('on Hyperliquid, the aggregated levels after the first 20 count in the band but are not walls', async () => {
    const hl = (): OrderBook => {
      const bids: [number, number][] = Array.from({ length: 20 }, (_, i) => [64_999 - i, 2]);
      const asks: [number, number][] = Array.from({ length: 20 }, (_, i) => [65_001 + i, 2]);
      for (let k = 0; k < 15; k++) {
        bids.push([64_950 - 100 * k, 150]);
        asks.push([65_050 + 100 * k, 100]);
      }
      return { symbol: 'BTC', time: NOW, bids, asks };
    };
    const { w } = watch(hl, 'hyperliquid');
    await w.refresh();
    const v = w.view()[0]!;
    expect(v.book).toMatchObject({ bandBps: 50, wall: null });
    expect(v.line).toMatch(/^book \d+% bid ±50bps$/);
  });
});

describe('market watch: data that can no longer be read', () => {
  it('a failed book read drops the book from the line at once, and shows the error', async () => {
    let now = NOW;
    let fail = false;
    const adapter = {
      venue: 'binance',
      fetchCandles: async (): Promise<Candle[]> => [],
      async fetchOrderBook(): Promise<OrderBook> {
        if (fail) throw new Error('HTTP 503');
        return fullBook(0.5);
      },
    } as unknown as ExchangeAdapter;
    let changes = 0;
    const w = createMarketWatch({ now: () => now, adapterFor: () => adapter, targets: () => [{ venue: 'binance', symbol: 'BTCUSDT', book: true }], changed: () => changes++, log: () => {} });
    await w.refresh();
    expect(w.view()[0]!.line).toMatch(/^book \d+% ask ±50bps · ask wall 65,195$/);
    fail = true;
    now += 30_000;
    const before = changes;
    await w.refresh();
    expect(changes).toBe(before + 1); // pushed: the panel learns at once
    expect(w.view()[0]).toMatchObject({ book: null, line: 'No market data yet', error: 'order book: HTTP 503' });
    // Twenty minutes of failures later, still nothing shown as if it were the book now.
    for (let k = 0; k < 240; k++) {
      now += 5_000;
      await w.refresh();
    }
    expect(w.view()[0]).toMatchObject({ book: null, error: 'order book: HTTP 503' });
    fail = false;
    now += 15 * 60_000;
    await w.refresh();
    expect(w.view()[0]).toMatchObject({ error: null, line: expect.stringMatching(/^book \d+% ask ±50bps/) });
  });

  it('a venue whose adapter goes away shows an error and no book; its return clears it', async () => {
    let connected = true;
    const candles: Candle[] = Array.from({ length: 400 }, (_, i) => ({ time: NOW - (400 - i) * 3_600_000, open: 100, high: 101 + (i % 3), low: 99, close: 100 + (i % 5), volume: 1 }));
    const adapter = {
      venue: 'binance',
      fetchCandles: async () => candles,
      fetchOrderBook: async () => fullBook(0.5),
    } as unknown as ExchangeAdapter;
    let now = NOW;
    const w = createMarketWatch({ now: () => now, adapterFor: () => (connected ? adapter : null), targets: () => [{ venue: 'binance', symbol: 'BTCUSDT', book: true }], changed: () => {}, log: () => {} });
    await w.refresh();
    expect(w.view()[0]).toMatchObject({ error: null, book: { bandBps: 50 } });
    connected = false;
    now += 30_000;
    await w.refresh();
    const v = w.view()[0]!;
    expect(v.error).toBe('no connected binance account: market data is not updated');
    expect(v.book).toBeNull();
    expect(v.line).not.toMatch(/book/);
    connected = true;
    now += 5_000;
    await w.refresh();
    expect(w.view()[0]).toMatchObject({ error: null, book: { bandBps: 50 } });
  });
});
