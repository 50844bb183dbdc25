/**
 * market.candles / market.book / market.trades: the request schemas, the sender check, and the background's thin handler with a fake
 * adapter (which account answers, what each failure says).
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import type { Candle, OrderBook } from '@/lib/domain/market';
import { InvalidOrderError, NetworkError, RateLimitError } from '@/lib/exchanges/errors';
import type { AdapterConfig, ExchangeAdapter } from '@/lib/exchanges/types';
import { request } from '@/lib/messaging/client';
import {
  marketBook,
  marketCandles,
  marketTrades,
  MarketTradesRequestSchema,
  MarketBookRequestSchema,
  MarketCandlesRequestSchema,
  MarketCandlesResultSchema,
} from '@/lib/messaging/market-requests';
import { describeIssues } from '@/lib/messaging/protocol';
import { RingfenceDb, type AccountRow } from '@/lib/store/db';
import { marketHandlers } from '@/lib/background/market-handlers';
import { contentSender, extensionSender, fakeRuntime, testBackground } from '../helpers/fake-runtime';
import { accountRow, HL_ADDR } from '../helpers/account-row';

const candle = (time: number, close: number): Candle => ({ time, open: close, high: close + 1, low: close - 1, close, volume: 10 });

/**
 * A test adapter with only what the market handler uses (the account id and the two market reads): answers from
 * `candles` / `book`, or throws `fail`. Everything else of the interface is absent on purpose.
 */
interface MarketAdapter extends ExchangeAdapter {
  calls: unknown[][];
  candles: Candle[];
  book: OrderBook;
  fail: Error | null;
  connects: number;
}
function marketAdapter(config: AdapterConfig): MarketAdapter {
  const a = {
    venue: config.credentials.venue,
    accountId: config.accountId,
    calls: [] as unknown[][],
    candles: [candle(0, 100), candle(3_600_000, 101)],
    book: { symbol: 'BTCUSDT', time: 5, bids: [[99, 1]], asks: [[101, 2]] } as OrderBook,
    fail: null as Error | null,
    connects: 0,
    async connect() {
      a.connects += 1;
    },
    async disconnect() {},
    async fetchCandles(symbol: string, interval: string, since?: number, limit?: number) {
      a.calls.push(['candles', symbol, interval, since, limit]);
      if (a.fail) throw a.fail;
      return a.candles;
    },
    async fetchOrderBook(symbol: string, depth?: number) {
      a.calls.push(['book', symbol, depth]);
      if (a.fail) throw a.fail;
      return a.book;
    },
  };
  return a as unknown as MarketAdapter;
}

const row = (over: Partial<AccountRow> & Pick<AccountRow, 'venue' | 'accountId'>): AccountRow =>
  accountRow({ label: over.accountId, restUrl: 'http://127.0.0.1:7070/x', wsUrl: 'ws://127.0.0.1:7070/x/ws', mode: 'monitor', ...over });

async function setup(rows: AccountRow[] = []) {
  const db = new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
  for (const r of rows) await db.accounts.put(r);
  const made: { config: AdapterConfig; adapter: MarketAdapter }[] = [];
  const { bg } = testBackground({
    db,
    makeAdapter: (config) => {
      const adapter = marketAdapter(config);
      made.push({ config, adapter });
      return adapter;
    },
  });
  await bg.ready;
  const { runtime } = fakeRuntime(() => bg, extensionSender('options.html'));
  return { db, runtime, made, bg };
}

describe('market request schemas', () => {
  it('fills the defaults: 1h, 500 candles, 500 book levels', () => {
    expect(z.parse(MarketCandlesRequestSchema, { venue: 'binance', symbol: 'BTCUSDT' })).toEqual({ venue: 'binance', symbol: 'BTCUSDT', interval: '1h', limit: 500 });
    expect(z.parse(MarketBookRequestSchema, { venue: 'hyperliquid', symbol: 'xyz:XYZ100' })).toEqual({ venue: 'hyperliquid', symbol: 'xyz:XYZ100', depth: 500 });
  });

  it('refuses a symbol the venue cannot have, bad limits, intervals and unknown fields, naming the field', () => {
    const issues = (schema: typeof MarketCandlesRequestSchema | typeof MarketBookRequestSchema, d: unknown) => {
      const r = z.safeParse(schema, d);
      return r.success ? [] : describeIssues(r.error);
    };
    const venueMsg = 'symbol: not a symbol of this venue: Binance lists symbols like BTCUSDT, Hyperliquid coins like BTC or xyz:NAME';
    expect(issues(MarketCandlesRequestSchema, { venue: 'binance', symbol: 'btcusdt' })).toEqual([venueMsg]);
    expect(issues(MarketCandlesRequestSchema, { venue: 'binance', symbol: 'BTC/USDT' })).toEqual([venueMsg]);
    expect(issues(MarketCandlesRequestSchema, { venue: 'hyperliquid', symbol: 'BTC-PERP' })).toEqual([venueMsg]);
    expect(issues(MarketCandlesRequestSchema, { venue: 'hyperliquid', symbol: 'kPEPE' })).toEqual([]);
    expect(issues(MarketCandlesRequestSchema, { venue: 'binance', symbol: 'BTCUSDT', limit: 0 })).toEqual(['limit: Too small: expected number to be >=1']);
    expect(issues(MarketCandlesRequestSchema, { venue: 'binance', symbol: 'BTCUSDT', limit: 1501 })).toEqual(['limit: Too big: expected number to be <=1500']);
    expect(issues(MarketCandlesRequestSchema, { venue: 'binance', symbol: 'BTCUSDT', interval: '2h' })).toEqual([
      'interval: Invalid option: expected one of "1m"|"5m"|"15m"|"1h"|"4h"|"1d"',
    ]);
    expect(issues(MarketCandlesRequestSchema, { venue: 'binance', symbol: 'BTCUSDT', extra: 1 })).toEqual(['(root): Unrecognized key: "extra"']);
    expect(issues(MarketBookRequestSchema, { venue: 'okx', symbol: 'BTC' })).toEqual(['venue: Invalid option: expected one of "binance"|"hyperliquid"']);
  });

  it('parses answers: candles or a failure with its reason; anything else is refused', () => {
    const ok = { ok: true, venue: 'binance', symbol: 'BTCUSDT', account: 'binance:main', accountLabel: 'Main', interval: '1h', candles: [candle(0, 100)] };
    expect(z.safeParse(MarketCandlesResultSchema, ok).success).toBe(true);
    expect(z.safeParse(MarketCandlesResultSchema, { ok: false, reason: 'unknown_symbol', message: 'x' }).success).toBe(true);
    expect(z.safeParse(MarketCandlesResultSchema, { ...ok, candles: [{ ...candle(0, 100), close: -1 }] }).success).toBe(false);
    expect(z.safeParse(MarketCandlesResultSchema, { ...ok, candles: [{ ...candle(0, 100), volume: Number.NaN }] }).success).toBe(false);
    expect(z.safeParse(MarketCandlesResultSchema, { ok: false, reason: 'other', message: 'x' }).success).toBe(false);
  });
});

describe('market requests in the background', () => {
  it('reads candles through the venue first account, with a placeholder secret for Binance and no agent key for Hyperliquid', async () => {
    const s = await setup([row({ venue: 'binance', accountId: 'b2' }), row({ venue: 'binance', accountId: 'a1', label: 'Main' }), row({ venue: 'hyperliquid', accountId: HL_ADDR })]);
    const res = await request(s.runtime, marketCandles, { venue: 'binance', symbol: 'ETHUSDT', interval: '15m', limit: 300 });
    expect(res).toEqual({
      ok: true,
      data: { ok: true, venue: 'binance', symbol: 'ETHUSDT', account: 'binance:a1', accountLabel: 'Main', interval: '15m', candles: [candle(0, 100), candle(3_600_000, 101)] },
    });
    expect(s.made).toHaveLength(1);
    expect(s.made[0]!.config.accountId).toBe('a1');
    expect(s.made[0]!.config.credentials).toEqual({ venue: 'binance', apiKey: 'key', apiSecret: 'unused' });
    expect(s.made[0]!.adapter.calls).toEqual([['candles', 'ETHUSDT', '15m', undefined, 300]]);
    // The adapter is kept for the next read, and never connected (no streams for a chart).
    await request(s.runtime, marketBook, { venue: 'binance', symbol: 'ETHUSDT', depth: 50 });
    expect(s.made).toHaveLength(1);
    expect(s.made[0]!.adapter.calls[1]).toEqual(['book', 'ETHUSDT', 50]);
    expect(s.made[0]!.adapter.connects).toBe(0);

    await request(s.runtime, marketCandles, { venue: 'hyperliquid', symbol: 'BTC', since: 1000 });
    expect(s.made[1]!.config.credentials).toEqual({ venue: 'hyperliquid', address: HL_ADDR });
    expect(s.made[1]!.adapter.calls).toEqual([['candles', 'BTC', '1h', 1000, 500]]);
  });

  it('reads through a named account, and a changed endpoint gets a new adapter', async () => {
    const s = await setup([row({ venue: 'binance', accountId: 'a1' }), row({ venue: 'binance', accountId: 'b2', label: 'Second' })]);
    const res = await request(s.runtime, marketBook, { venue: 'binance', symbol: 'BTCUSDT', account: 'binance:b2' });
    expect(res).toEqual({
      ok: true,
      data: { ok: true, venue: 'binance', symbol: 'BTCUSDT', account: 'binance:b2', accountLabel: 'Second', book: { symbol: 'BTCUSDT', time: 5, bids: [[99, 1]], asks: [[101, 2]] } },
    });
    await s.db.accounts.update('binance:b2', { restUrl: 'http://127.0.0.1:7071/x' });
    await request(s.runtime, marketBook, { venue: 'binance', symbol: 'BTCUSDT', account: 'binance:b2' });
    expect(s.made.map((m) => m.config.endpoints.restUrl)).toEqual(['http://127.0.0.1:7070/x', 'http://127.0.0.1:7071/x']);
  });

  it("uses the risk loop's connected adapter when the account is live, else its own", async () => {
    const rows = [row({ venue: 'binance', accountId: 'a1' }), row({ venue: 'binance', accountId: 'b2', label: 'Live one' })];
    const made: AdapterConfig[] = [];
    const liveAdapter = marketAdapter({ accountId: 'b2', endpoints: { network: 'mainnet' }, credentials: { venue: 'binance', apiKey: 'k', apiSecret: 's' } });
    let connected: MarketAdapter | null = liveAdapter;
    const h = marketHandlers({
      accounts: async () => rows,
      makeAdapter: (config) => (made.push(config), marketAdapter(config)),
      live: (venue) => (venue === 'binance' ? connected : null),
    });
    const d = { venue: 'binance' as const, symbol: 'BTCUSDT', interval: '1h' as const, limit: 500 };
    expect(await h['market.candles'](d)).toMatchObject({ ok: true, account: 'binance:b2', accountLabel: 'Live one' });
    expect(liveAdapter.calls).toEqual([['candles', 'BTCUSDT', '1h', undefined, 500]]);
    expect(made).toEqual([]);
    // Another account asked for by name, or the loop not connected: the account's own REST adapter.
    expect(await h['market.book']({ venue: 'binance', symbol: 'BTCUSDT', depth: 20, account: 'binance:a1' })).toMatchObject({ ok: true, account: 'binance:a1' });
    connected = null;
    expect(await h['market.candles'](d)).toMatchObject({ ok: true, account: 'binance:a1' });
    expect(made.map((c) => c.accountId)).toEqual(['a1']);
  });

  it('says when no account of the venue (or of that name) is connected', async () => {
    const s = await setup([row({ venue: 'binance', accountId: 'a1' })]);
    expect(await request(s.runtime, marketCandles, { venue: 'hyperliquid', symbol: 'BTC' })).toEqual({
      ok: true,
      data: { ok: false, reason: 'no_account', message: 'No Hyperliquid account is connected to Ringfence: add one under Accounts to see Hyperliquid market data.' },
    });
    expect(await request(s.runtime, marketBook, { venue: 'binance', symbol: 'BTCUSDT', account: 'binance:zz' })).toEqual({
      ok: true,
      data: { ok: false, reason: 'no_account', message: 'No Binance account "binance:zz" is connected to Ringfence: add one under Accounts to see Binance market data.' },
    });
    expect(s.made).toEqual([]);
  });

  it('turns venue failures into reasons and sentences: unknown symbol, no candles, empty book, venue errors', async () => {
    const s = await setup([row({ venue: 'binance', accountId: 'a1' }), row({ venue: 'hyperliquid', accountId: 'h1' })]);
    const candles = (venue: 'binance' | 'hyperliquid', symbol: string) => request(s.runtime, marketCandles, { venue, symbol });
    await candles('binance', 'BTCUSDT');
    await candles('hyperliquid', 'BTC');
    const [bn, hl] = [s.made[0]!.adapter, s.made[1]!.adapter];

    bn.fail = new InvalidOrderError('binance: Invalid symbol. (HTTP 400, code -1121)', { venue: 'binance', code: -1121 });
    expect(await candles('binance', 'NOPEUSDT')).toEqual({ ok: true, data: { ok: false, reason: 'unknown_symbol', message: 'Binance does not list NOPEUSDT: Invalid symbol. (HTTP 400, code -1121)' } });

    bn.fail = new RateLimitError('binance: too many requests', { venue: 'binance', retryAfterMs: 30_000 });
    expect(await candles('binance', 'BTCUSDT')).toEqual({
      ok: true,
      data: { ok: false, reason: 'venue_error', message: 'Binance is rate-limiting requests for 30 s (too many requests). Try again later.' },
    });
    bn.fail = new NetworkError('binance: fetch failed', { venue: 'binance' });
    expect(await request(s.runtime, marketBook, { venue: 'binance', symbol: 'BTCUSDT' })).toEqual({
      ok: true,
      data: { ok: false, reason: 'venue_error', message: 'Binance could not be reached at http://127.0.0.1:7070/x (fetch failed). Check the network, or the endpoint for a custom network.' },
    });
    bn.fail = new TypeError('boom');
    expect(await candles('binance', 'BTCUSDT')).toEqual({ ok: true, data: { ok: false, reason: 'venue_error', message: 'Binance could not answer (boom).' } });

    hl.candles = [];
    expect(await candles('hyperliquid', 'NOPE')).toEqual({
      ok: true,
      data: { ok: false, reason: 'unknown_symbol', message: 'Hyperliquid has no 1h candles for NOPE: it does not list it, or nothing traded.' },
    });
    hl.book = { symbol: 'NOPE', time: 1, bids: [], asks: [] };
    expect(await request(s.runtime, marketBook, { venue: 'hyperliquid', symbol: 'NOPE' })).toEqual({
      ok: true,
      data: { ok: false, reason: 'unknown_symbol', message: 'Hyperliquid has an empty order book for NOPE.' },
    });
    hl.fail = new InvalidOrderError('hyperliquid: no order book for NOPE', { venue: 'hyperliquid' });
    expect(await request(s.runtime, marketBook, { venue: 'hyperliquid', symbol: 'NOPE' })).toEqual({
      ok: true,
      data: { ok: false, reason: 'unknown_symbol', message: 'Hyperliquid does not list NOPE: no order book for NOPE' },
    });
  });

  it('answers extension pages only: a content script on a trading page is refused, and bad data never reaches an adapter', async () => {
    const s = await setup([row({ venue: 'binance', accountId: 'a1' })]);
    const panel = fakeRuntime(() => s.bg, contentSender('https://www.binance.com/en/futures/BTCUSDT')).runtime;
    expect(await request(panel, marketCandles, { venue: 'binance', symbol: 'BTCUSDT' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: '"market.candles" is not accepted from content.' },
    });
    expect(await request(panel, marketBook, { venue: 'binance', symbol: 'BTCUSDT' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await request(s.runtime, marketCandles, { venue: 'binance', symbol: 'btc usdt' })).toEqual({
      ok: false,
      error: {
        code: 'invalid_data',
        message: 'Invalid data for "market.candles".',
        issues: ['symbol: not a symbol of this venue: Binance lists symbols like BTCUSDT, Hyperliquid coins like BTC or xyz:NAME'],
      },
    });
    expect(s.made).toEqual([]);
  });
});

describe('market.trades', () => {
  const window = { trades: [{ time: 10, price: 100, size: 2, side: 'buy' as const }], from: 5, to: 20, complete: false, calls: 3 };
  const handlers = (venue: 'binance' | 'hyperliquid', fail: Error | null = null) => {
    const calls: unknown[] = [];
    const h = marketHandlers({
      accounts: async () => [row({ venue, accountId: 'a1', label: 'Main' })],
      makeAdapter: (config) =>
        ({
          venue,
          accountId: config.accountId,
          capabilities: { trades: venue === 'binance' },
          async fetchTrades(req: unknown) {
            calls.push(req);
            if (fail) throw fail;
            return window;
          },
        }) as unknown as ExchangeAdapter,
    });
    return { h, calls };
  };

  it('defaults the caps (10 calls, 10,000 trades) and refuses an empty window', () => {
    expect(z.parse(MarketTradesRequestSchema, { venue: 'binance', symbol: 'ETHUSDT', start: 0, end: 10 })).toEqual({ venue: 'binance', symbol: 'ETHUSDT', start: 0, end: 10, maxTrades: 10_000, maxCalls: 10 });
    const r = z.safeParse(MarketTradesRequestSchema, { venue: 'binance', symbol: 'ETHUSDT', start: 10, end: 10 });
    expect(r.success ? [] : describeIssues(r.error)).toEqual(['end: end must be after start']);
    expect(z.safeParse(MarketTradesRequestSchema, { venue: 'binance', symbol: 'ETHUSDT', start: 0, end: 10, maxCalls: 11 }).success).toBe(false);
  });

  it('reads the window through the adapter (Binance); Hyperliquid answers "not available" without a call', async () => {
    const b = handlers('binance');
    const d = { venue: 'binance' as const, symbol: 'ETHUSDT', start: 0, end: 20, maxTrades: 500, maxCalls: 2 };
    expect(await b.h['market.trades'](d)).toEqual({ ok: true, venue: 'binance', symbol: 'ETHUSDT', account: 'binance:a1', accountLabel: 'Main', available: true, trades: window.trades, from: 5, to: 20, complete: false });
    expect(b.calls).toEqual([{ symbol: 'ETHUSDT', start: 0, end: 20, maxTrades: 500, maxCalls: 2 }]);
    const hl = handlers('hyperliquid');
    expect(await hl.h['market.trades']({ ...d, venue: 'hyperliquid', symbol: 'ETH' })).toMatchObject({ ok: true, available: false, note: 'Hyperliquid gives no trade history', trades: [] });
    expect(hl.calls).toEqual([]);
  });

  it('answers failures with the same reasons as candles; content scripts are refused', async () => {
    const d = { venue: 'binance' as const, symbol: 'NOPEUSDT', start: 0, end: 20, maxTrades: 500, maxCalls: 2 };
    const bad = handlers('binance', new InvalidOrderError('binance: Invalid symbol. (HTTP 400, code -1121)', { venue: 'binance', code: -1121 }));
    expect(await bad.h['market.trades'](d)).toEqual({ ok: false, reason: 'unknown_symbol', message: 'Binance does not list NOPEUSDT: Invalid symbol. (HTTP 400, code -1121)' });
    const s = await setup([row({ venue: 'binance', accountId: 'a1' })]);
    const panel = fakeRuntime(() => s.bg, contentSender('https://www.binance.com/en/futures/BTCUSDT')).runtime;
    expect(await request(panel, marketTrades, { venue: 'binance', symbol: 'BTCUSDT', start: 0, end: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
