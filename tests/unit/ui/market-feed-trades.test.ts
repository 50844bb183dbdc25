/**
 * The Market view's profile source: from the window's trades where the venue has them (all of the window or its latest
 * part, said so), from candles otherwise, with the reason in the label.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { INTERVAL_MS, type Candle, type Trade } from '@/lib/domain/market';
import type { AdapterConfig, ExchangeAdapter, TradesRequest } from '@/lib/exchanges/types';
import { RingfenceDb } from '@/lib/store/db';
import { createMarketFeed, spanText, tradesProfileText } from '@/lib/ui/market-feed';
import { extensionSender, fakeRuntime, testBackground } from '../helpers/fake-runtime';
import { accountRow } from '../helpers/account-row';

const H = INTERVAL_MS['1h'];
const END = Date.UTC(2026, 10, 20);

/** 100 closed 1h candles drifting 100 -> 110 (the candle POC lands high), and trades piled at 101.5. */
function adapter(config: AdapterConfig, opts: { trades: boolean; complete?: boolean; requests: TradesRequest[] }): ExchangeAdapter {
  const candles: Candle[] = Array.from({ length: 100 }, (_, i) => {
    const o = 100 + i / 10;
    return { time: END - (100 - i) * H, open: o, high: o + 0.2, low: o - 0.05, close: o + 0.1, volume: 10 + i };
  });
  const trades: Trade[] = Array.from({ length: 300 }, (_, i) => ({ time: END - 50 * H + i * 1000, price: i % 3 ? 101.5 : 108, size: 1, side: i % 2 ? 'buy' : 'sell' }));
  return {
    venue: config.credentials.venue,
    accountId: config.accountId,
    capabilities: { trades: opts.trades },
    fetchCandles: async () => candles,
    fetchOrderBook: async (symbol: string) => ({ symbol, time: 0, bids: [[99, 1]], asks: [[101, 1]] }),
    async fetchTrades(req: TradesRequest) {
      opts.requests.push(req);
      const complete = opts.complete ?? true;
      return { trades, from: complete ? req.start : trades[0]!.time, to: req.end, complete, calls: 2 };
    },
    disconnect: async () => {},
  } as unknown as ExchangeAdapter;
}

async function feedFor(venue: 'binance' | 'hyperliquid', opts: { trades: boolean; complete?: boolean }) {
  const requests: TradesRequest[] = [];
  const db = new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
  await db.accounts.put(accountRow({ venue, mode: 'monitor', ...(venue === 'hyperliquid' ? { accountId: '0x' + '1'.repeat(40) } : {}) }));
  const { bg } = testBackground({ db, makeAdapter: (c) => adapter(c, { ...opts, requests }) });
  await bg.ready;
  const { runtime } = fakeRuntime(() => bg, extensionSender('options.html'));
  return { feed: createMarketFeed(runtime, { now: () => END + 60_000, setTimer: () => 0, clearTimer: () => {} }), requests };
}

describe('market feed: volume profile source', () => {
  it("Binance: asks for the closed candles' window and builds the profile from its trades", async () => {
    const { feed, requests } = await feedFor('binance', { trades: true });
    await feed.load({ venue: 'binance', symbol: 'ETHUSDT', interval: '1h' });
    expect(requests).toEqual([{ symbol: 'ETHUSDT', start: END - 100 * H, end: END, maxTrades: 10_000, maxCalls: 10 }]);
    const a = feed.chart.value!.analysis;
    expect(a.profileSource).toBe('trades');
    expect(a.profile.poc).toBeCloseTo(101.5, 0);
    expect(a.profile.total).toBe(300);
    expect(feed.profileSource.value).toEqual({ source: 'trades', text: 'Profile from 300 trades', trades: 300, complete: true, window: { start: END - 100 * H, end: END } });
  });

  it('says when the trades cover only the latest part of the window', async () => {
    const { feed } = await feedFor('binance', { trades: true, complete: false });
    await feed.load({ venue: 'binance', symbol: 'ETHUSDT', interval: '1h' });
    expect(feed.profileSource.value?.text).toBe('Profile from 300 trades over the last 2 d 2 h of the window (the read stops at 10 calls, 10,000 trades)');
  });

  it('Hyperliquid: the profile stays on candles and the label says why', async () => {
    const { feed, requests } = await feedFor('hyperliquid', { trades: false });
    await feed.load({ venue: 'hyperliquid', symbol: 'ETH', interval: '1h' });
    expect(requests).toEqual([]);
    expect(feed.chart.value!.analysis.profileSource).toBe('candles');
    expect(feed.profileSource.value).toMatchObject({ source: 'candles', text: 'Profile from candles (Hyperliquid gives no trade history)' });
  });

  it('formats spans and counts', () => {
    expect([spanText(45 * 60_000), spanText(130 * 60_000), spanText(2 * H), spanText(26 * H), spanText(72 * H), spanText(1)]).toEqual(['45 min', '2 h 10 min', '2 h', '1 d 2 h', '3 d', '1 min']);
    expect(tradesProfileText(8412, true, 0, 1)).toBe('Profile from 8,412 trades');
    expect(tradesProfileText(1, false, 0, 130 * 60_000)).toBe('Profile from 1 trade over the last 2 h 10 min of the window (the read stops at 10 calls, 10,000 trades)');
  });
});
