/**
 * The Binance adapter against the simulator (started in-process on a random port): snapshot, pushes, actions, every
 * error class, reconnects and backoff. Waits are generous; nothing asserts on timing.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BinanceAdapter, type BinanceAdapterOptions } from '../../lib/exchanges/binance/adapter';
import {
  AuthenticationError,
  BadPayloadError,
  ClockSkewError,
  ExchangeUnavailableError,
  InsufficientMarginError,
  InvalidOrderError,
  NetworkError,
  PermissionError,
  RateLimitError,
  type ExchangeError,
} from '../../lib/exchanges/errors';
import type { AdapterEvent } from '../../lib/exchanges/types';
import { SimControl } from '../simulator/control-client';
import { createSimulator, type Simulator } from '../simulator/server';

// Generous limits: a connect does six REST calls and opens a websocket; nothing here asserts on speed.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let sim: Simulator;
let c: SimControl;
const adapters: BinanceAdapter[] = [];
let keySeq = 0;

beforeAll(async () => {
  sim = await createSimulator({ port: 0, prices: { source: 'manual', tickMs: 200 } });
  c = new SimControl(sim.url);
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  await c.reset();
});
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.disconnect()));
});

interface AccountOpts {
  balances?: Record<string, number>;
  dualSidePosition?: boolean;
  multiAssetsMargin?: boolean;
  canTrade?: boolean;
  slippageBps?: number;
}

async function account(opts: AccountOpts = {}) {
  keySeq += 1;
  const apiKey = `test-key-${keySeq}-xxxxxxxx`;
  const apiSecret = `test-secret-${keySeq}-yyyyyyyy`;
  await c.venue('binance', 'createAccount', { apiKey, apiSecret, ...opts });
  return { apiKey, apiSecret };
}

const FAST: BinanceAdapterOptions = { rateLimitMs: 1, backoff: { initialMs: 50, maxMs: 400 }, refreshDebounceMs: 20 };

function adapter(keys: { apiKey: string; apiSecret: string }, options: BinanceAdapterOptions = {}, restUrl = `${sim.url}/binance`) {
  const a = new BinanceAdapter(
    {
      accountId: `acc-${keys.apiKey}`,
      endpoints: { network: 'custom', restUrl, wsUrl: `${sim.wsUrl}/binance/ws` },
      credentials: { venue: 'binance', ...keys },
    },
    { ...FAST, ...options },
  );
  adapters.push(a);
  return a;
}

/** Collects events; `next` resolves with the first (later) event that passes the predicate. */
function recorder(a: BinanceAdapter) {
  const events: AdapterEvent[] = [];
  const waiters: { pred: (e: AdapterEvent) => boolean; resolve: (e: AdapterEvent) => void }[] = [];
  a.subscribe((e) => {
    events.push(e);
    for (const w of [...waiters]) {
      if (w.pred(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  });
  return {
    events,
    next<T extends AdapterEvent['type']>(type: T, pred: (e: Extract<AdapterEvent, { type: T }>) => boolean = () => true, timeoutMs = 8000) {
      const p = new Promise<Extract<AdapterEvent, { type: T }>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type} event within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          pred: (e) => e.type === type && pred(e as Extract<AdapterEvent, { type: T }>),
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e as Extract<AdapterEvent, { type: T }>);
          },
        });
      });
      // Awaited by the test; a test that fails first must not leave an unhandled rejection behind.
      p.catch(() => undefined);
      return p;
    },
  };
}

async function rejection(p: Promise<unknown>): Promise<ExchangeError> {
  try {
    await p;
  } catch (e) {
    return e as ExchangeError;
  }
  throw new Error('expected a rejection');
}

const positionRisk = async (apiKey: string) =>
  (await c.venue<{ positionRisk: Record<string, string>[]; account: Record<string, string> }>('binance', 'account', { apiKey }));

describe('binance adapter: snapshot', () => {
  it('returns account, positions and open orders with the numbers Binance reports', async () => {
    const k = await account();
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000, leverage: 10 });
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'ETHUSDT', amount: -2, entryPrice: 3100, marginType: 'ISOLATED', leverage: 5 });
    await c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'SOLUSDT', side: 'BUY', type: 'LIMIT', price: 100, quantity: 1 });
    const a = adapter(k);
    await a.connect();
    const snap = await a.snapshot();
    const venue = await positionRisk(k.apiKey);
    expect(snap.account.equity).toBeCloseTo(Number(venue.account.totalMarginBalance), 6);
    expect(snap.account.walletBalance).toBeCloseTo(Number(venue.account.totalWalletBalance), 6);
    expect(snap.account.availableBalance).toBeCloseTo(Number(venue.account.availableBalance), 6);
    const btc = snap.positions.find((p) => p.symbol === 'BTCUSDT')!;
    const eth = snap.positions.find((p) => p.symbol === 'ETHUSDT')!;
    const vBtc = venue.positionRisk.find((p) => p.symbol === 'BTCUSDT')!;
    expect(btc).toMatchObject({ side: 'long', size: 0.5, leverage: 10, marginMode: 'cross', markPrice: 60000, unrealizedPnl: 500, notional: 30000 });
    expect(btc.liquidationPrice).toBe(Number(vBtc.liquidationPrice));
    expect(eth).toMatchObject({ side: 'short', size: -2, leverage: 5, marginMode: 'isolated', unrealizedPnl: 200 });
    expect(snap.openOrders).toHaveLength(1);
    expect(snap.openOrders[0]).toMatchObject({ symbol: 'SOLUSDT', side: 'buy', type: 'limit', price: 100, size: 1 });
  });

  it('hedge mode: a long and a short on one symbol', async () => {
    const k = await account({ dualSidePosition: true });
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', positionSide: 'LONG', amount: 1, entryPrice: 59000 });
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', positionSide: 'SHORT', amount: -0.4, entryPrice: 61000 });
    const a = adapter(k);
    await a.connect();
    const { positions } = await a.snapshot();
    expect(positions.map((p) => [p.side, p.size, p.hedged, p.unrealizedPnl]).sort()).toEqual([
      ['long', 1, true, 1000],
      ['short', -0.4, true, 400],
    ]);
  });

  it('multi-assets mode: equity is the USD-valued total, not a sum of per-asset balances', async () => {
    const k = await account({ multiAssetsMargin: true, balances: { USDT: 1000, BTC: 0.1 } });
    const a = adapter(k);
    await a.connect();
    const { account: acc } = await a.snapshot();
    // 1000 USDT + 0.1 BTC at the 60,000 mark.
    expect(acc.walletBalance).toBeCloseTo(7000, 6);
    expect(acc.equity).toBeCloseTo(7000, 6);
  });
});

describe('binance adapter: pushes', () => {
  it('a mark move is visible in the next positions and account events', async () => {
    const k = await account();
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000 });
    const a = adapter(k);
    const rec = recorder(a);
    await a.connect();
    await a.watchMarks(['BTCUSDT']);
    await rec.next('mark', (e) => e.mark.symbol === 'BTCUSDT');
    const pos = rec.next('positions', (e) => e.positions[0]?.markPrice === 62000);
    const acc = rec.next('account', (e) => e.account.unrealizedPnl > 1400);
    await c.setPrice('binance', 'BTCUSDT', 62000);
    expect((await pos).positions[0]).toMatchObject({ unrealizedPnl: 1500, notional: 31000 });
    expect((await acc).account.equity).toBeCloseTo(11500, 6);
  });

  it('a fill made elsewhere arrives as fill, order and positions events in one push', async () => {
    const k = await account();
    const a = adapter(k);
    const rec = recorder(a);
    await a.connect();
    const fill = rec.next('fill');
    const pos = rec.next('positions', (e) => e.positions.length === 1);
    const order = rec.next('order', (e) => e.status === 'filled');
    await c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'ETHUSDT', side: 'SELL', quantity: 1, clientOrderId: 'web-1' });
    expect((await fill).fill).toMatchObject({ symbol: 'ETHUSDT', side: 'sell', price: 3000, size: 1, fee: 1.5, clientOrderId: 'web-1' });
    expect((await pos).positions[0]).toMatchObject({ symbol: 'ETHUSDT', side: 'short', size: -1, entryPrice: 3000 });
    expect((await order).order.clientOrderId).toBe('web-1');
    // Binance's own liquidation price follows through one positionRisk refresh.
    const liq = await rec.next('positions', (e) => e.positions[0]?.liquidationPrice !== null);
    const venue = await positionRisk(k.apiKey);
    expect(liq.positions[0]!.liquidationPrice).toBe(Number(venue.positionRisk[0]!.liquidationPrice));
  });

  it('a malformed frame is counted as a BadPayloadError; the stream and the last good state go on', async () => {
    const k = await account();
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000 });
    const a = adapter(k);
    const rec = recorder(a);
    await a.connect();
    await a.watchMarks(['BTCUSDT']);
    await rec.next('mark');
    const err = rec.next('error');
    await c.faults({ malformed: 1, malformedScope: 'ws' });
    expect((await err).error).toBeInstanceOf(BadPayloadError);
    await c.setPrice('binance', 'BTCUSDT', 61000);
    const pos = await rec.next('positions', (e) => e.positions[0]?.markPrice === 61000);
    expect(pos.positions[0]!.size).toBe(0.5);
    expect(a.stats().badPayloads).toBe(1);
  });
});

describe('binance adapter: cash flows', () => {
  type CashflowEvent = Extract<AdapterEvent, { type: 'cashflow' }>;
  const isFlow = (e: AdapterEvent): e is CashflowEvent => e.type === 'cashflow';
  const near = (v: number, to: number) => Math.abs(v - to) < 1e-6;
  const settle = () => new Promise((r) => setTimeout(r, 300));

  /** Transfers, waits for the account event showing `walletAfter`, and returns the events of that transfer. */
  /** walletAfter: the USD wallet total the transfer leaves (null: any account event, for a change the total does not show). */
  async function transfer(rec: ReturnType<typeof recorder>, apiKey: string, amount: number, walletAfter: number | null, asset?: string) {
    const from = rec.events.length;
    const shows = (w: number) => walletAfter === null || near(w, walletAfter);
    const shown = rec.next('account', (e) => shows(e.account.walletBalance));
    await c.binanceTransfer(apiKey, amount, asset);
    await shown;
    await settle();
    const seen = rec.events.slice(from);
    const flows = seen.filter(isFlow);
    const firstShowing = seen.findIndex((e) => e.type === 'account' && shows(e.account.walletBalance));
    return { seen, flows, firstShowing };
  }

  it('a withdrawal is one cashflow event of -400, before the account event showing the lower balance; a deposit likewise', async () => {
    const k = await account();
    const a = adapter(k);
    const rec = recorder(a);
    await a.connect();
    expect((await a.snapshot()).account.walletBalance).toBe(10000);

    const out = await transfer(rec, k.apiKey, -400, 9600);
    expect(out.flows).toHaveLength(1);
    expect(out.flows[0]!.flow).toMatchObject({ venue: 'binance', accountId: `acc-${k.apiKey}`, amount: -400, asset: 'USDT', kind: 'WITHDRAW' });
    // The values before it come with it, from the push's own balance: what the account held before the transfer.
    expect(out.flows[0]!.before).toEqual({ equity: 10000, walletBalance: 10000 });
    expect(out.seen.indexOf(out.flows[0]!)).toBeLessThan(out.firstShowing);

    const back = await transfer(rec, k.apiKey, 250, 9850);
    expect(back.flows).toHaveLength(1);
    expect(back.flows[0]!.flow).toMatchObject({ amount: 250, asset: 'USDT', kind: 'DEPOSIT' });
    expect(back.flows[0]!.before).toEqual({ equity: 9600, walletBalance: 9600 });
    expect(back.seen.indexOf(back.flows[0]!)).toBeLessThan(back.firstShowing);
    expect(back.flows[0]!.flow.id).not.toBe(out.flows[0]!.flow.id);
  });

  it('a trade is not a cash flow', async () => {
    const k = await account();
    const a = adapter(k);
    const rec = recorder(a);
    await a.connect();
    const pos = rec.next('positions', (e) => e.positions.length === 1);
    await c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'ETHUSDT', side: 'BUY', quantity: 1 });
    await pos;
    await settle();
    expect(rec.events.filter(isFlow)).toEqual([]);
  });

  it('multi-assets mode: a BTC withdrawal is valued at the BTCUSDT mark, a BTC deposit gives no flow, nor an asset with no known mark', async () => {
    const k = await account({ multiAssetsMargin: true, balances: { USDT: 1000, BTC: 0.1, ETH: 1 } });
    const a = adapter(k);
    const rec = recorder(a);
    await a.connect();
    await a.watchMarks(['BTCUSDT']);
    await rec.next('mark', (e) => e.mark.symbol === 'BTCUSDT');
    const start = (await a.snapshot()).account.walletBalance;
    // 0.01 BTC out at 60,000; the lower USD total shows after the adapter's REST refresh.
    const out = await transfer(rec, k.apiKey, -0.01, start - 600, 'BTC');
    expect(out.flows.map((f) => [f.flow.asset, f.flow.kind])).toEqual([['BTC', 'WITHDRAW']]);
    expect(out.flows[0]!.flow.amount).toBeCloseTo(-600, 6);
    expect(out.flows[0]!.before).toBeUndefined();
    expect(out.seen.indexOf(out.flows[0]!)).toBeLessThan(out.firstShowing);
    // A deposit would be known before its balance (a loss in between): left out, it reads as a gain.
    const dep = await transfer(rec, k.apiKey, 0.01, start, 'BTC');
    expect(dep.flows).toEqual([]);
    // No ETHUSDT mark known to the adapter: left out rather than guessed.
    const eth = await transfer(rec, k.apiKey, -0.5, null, 'ETH');
    expect(eth.flows).toEqual([]);
  });
});

describe('binance adapter: fetchCashFlows (GET /fapi/v1/income)', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const incomeCalls = async () =>
    (await c.venue<{ requests: { path: string; params: string }[] }>('binance', 'requests')).requests.filter((r) => r.path === '/fapi/v1/income');

  it('returns the transfers made before the adapter existed, from `since` on, oldest first, with their amounts; not one made before', async () => {
    const k = await account({ balances: { USDT: 10_000, USDC: 1_000 } });
    const before = await c.binanceTransfer(k.apiKey, -400);
    await sleep(5);
    const since = before.time + 1;
    const dep = await c.binanceTransfer(k.apiKey, 250);
    await sleep(5);
    const internal = await c.binanceTransfer(k.apiKey, -100, 'USDC', { incomeType: 'INTERNAL_TRANSFER' });
    // Not connected: a fresh adapter, as on a cold start before connect.
    const a = adapter(k);
    const flows = await a.fetchCashFlows(since);
    expect(flows).toEqual([
      { venue: 'binance', accountId: `acc-${k.apiKey}`, id: `${dep.time}:USDT:250`, time: dep.time, amount: 250, asset: 'USDT', kind: 'TRANSFER' },
      { venue: 'binance', accountId: `acc-${k.apiKey}`, id: `${internal.time}:USDC:-100`, time: internal.time, amount: -100, asset: 'USDC', kind: 'INTERNAL_TRANSFER' },
    ]);
    // One call per income type, each signed and asking from `since`.
    const calls = await incomeCalls();
    expect(calls.map((r) => new URLSearchParams(r.params).get('incomeType')).sort()).toEqual(['INTERNAL_TRANSFER', 'TRANSFER']);
    for (const r of calls) expect(new URLSearchParams(r.params).get('startTime')).toBe(String(since));
    expect(a.stats().restWeightUsed).toBe(60);
  });

  it('gives a transfer the id the stream gave it, and leaves trades (REALIZED_PNL, COMMISSION rows) out', async () => {
    const k = await account();
    const a = adapter(k);
    const rec = recorder(a);
    await a.connect();
    const t0 = (await a.snapshot()).time;
    const streamed = rec.next('cashflow');
    await c.binanceTransfer(k.apiKey, -400);
    const flow = (await streamed).flow;
    const pos = rec.next('positions', (e) => e.positions.length === 1);
    await c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'ETHUSDT', side: 'BUY', quantity: 1 });
    await pos;
    const listed = await a.fetchCashFlows(t0 - 60_000);
    expect(listed).toEqual([{ ...flow, kind: 'TRANSFER' }]);
    expect(listed[0]!.id).toBe(flow.id);
    expect(flow.kind).toBe('WITHDRAW');
    // Emits nothing.
    const n = rec.events.length;
    await a.fetchCashFlows(0);
    expect(rec.events.slice(n).filter((e) => e.type === 'cashflow')).toEqual([]);
  });

  it('reads on past a full page of 1,000 rows, from the last row time, without doubles', async () => {
    const k = await account();
    const base = Date.now() - 3_600_000;
    // 2,500 deposits of 1 USDT, one per ms, and 3 internal transfers.
    await c.binanceTransfer(k.apiKey, 1, 'USDT', { time: base, count: 2_500, everyMs: 1 });
    await c.binanceTransfer(k.apiKey, -2, 'USDT', { time: base + 5_000, count: 3, everyMs: 10, incomeType: 'INTERNAL_TRANSFER' });
    const a = adapter(k);
    const since = base + 100;
    const flows = await a.fetchCashFlows(since);
    const transfers = flows.filter((f) => f.kind === 'TRANSFER');
    expect(transfers).toHaveLength(2_400);
    expect(transfers[0]!.time).toBe(since);
    expect(transfers[transfers.length - 1]!.time).toBe(base + 2_499);
    expect(new Set(flows.map((f) => f.id)).size).toBe(flows.length);
    expect(flows.filter((f) => f.kind === 'INTERNAL_TRANSFER').map((f) => f.amount)).toEqual([-2, -2, -2]);
    expect(flows.map((f) => f.time)).toEqual([...flows.map((f) => f.time)].sort((x, y) => x - y));
    const transferCalls = (await incomeCalls()).filter((r) => new URLSearchParams(r.params).get('incomeType') === 'TRANSFER');
    expect(transferCalls.length).toBe(3);
    expect(transferCalls.map((r) => new URLSearchParams(r.params).get('limit'))).toEqual(['1000', '1000', '1000']);
  });
});

describe('binance adapter: history', () => {
  /** An adapter whose strategy rules put client ids starting grid7- on strategy grid7. */
  const gridAdapter = (k: { apiKey: string; apiSecret: string }) => {
    const a = new BinanceAdapter(
      {
        accountId: `acc-${k.apiKey}`,
        endpoints: { network: 'custom', restUrl: `${sim.url}/binance`, wsUrl: `${sim.wsUrl}/binance/ws` },
        credentials: { venue: 'binance', ...k },
        strategyOf: (cid) => (cid?.startsWith('grid7-') ? 'grid7' : 'manual'),
      },
      FAST,
    );
    adapters.push(a);
    return a;
  };

  it("attributes fills fetched after a gap by their orders' client ids (allOrders), and keeps them if that read fails", async () => {
    const k = await account();
    await c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'ETHUSDT', side: 'BUY', quantity: 1, clientOrderId: 'grid7-0001' });
    await c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'ETHUSDT', side: 'SELL', quantity: 0.5 });
    await c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'ETHUSDT', side: 'SELL', quantity: 0.25, clientOrderId: 'grid7-0002' });
    const a = gridAdapter(k);
    const rec = recorder(a);
    await a.connect();
    const fills = await a.fetchFills(0, 'ETHUSDT');
    expect(fills.map((f) => [f.size, f.clientOrderId, f.strategyId])).toEqual([
      [1, 'grid7-0001', 'grid7'],
      [0.5, expect.not.stringMatching(/^grid7-/), 'manual'],
      [0.25, 'grid7-0002', 'grid7'],
    ]);

    await c.faults({ http: [{ status: 400, count: 5, pathPrefix: '/binance/fapi/v1/allOrders', body: '{"code":-1000,"msg":"An unknown error occurred."}' }] });
    const err = rec.next('error');
    const again = await a.fetchFills(0, 'ETHUSDT');
    expect(again.map((f) => [f.size, f.clientOrderId, f.strategyId])).toEqual([
      [1, null, 'manual'],
      [0.5, null, 'manual'],
      [0.25, null, 'manual'],
    ]);
    expect((await err).error.message).toContain('An unknown error occurred');
  });

  it('fills after a long gap: 7-day windows, pages of 1,000 continued by time, and by id within one millisecond', async () => {
    const k = await account();
    const DAY = 86_400_000;
    const t0 = Date.now() - 20 * DAY;
    const trade = (time: number, count: number, everyMs: number, clientOrderId?: string) =>
      c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'ETHUSDT', side: 'BUY', quantity: 0.002, time, count, everyMs, ...(clientOrderId ? { clientOrderId } : {}) });
    await trade(t0, 1_001, 0); // more than a page in one millisecond
    await trade(t0 + 3 * DAY, 5_200, 60_000, 'grid7-a'); // 3.6 days of a busy bot: over 5 pages of orders
    await trade(t0 + 12 * DAY, 3, 1); // past a 7-day window from either cluster
    await trade(Date.now(), 1, 0);
    const a = gridAdapter(k);
    await a.connect();

    const all = await a.fetchFills(0, 'ETHUSDT');
    expect(all).toHaveLength(6_205);
    expect(new Set(all.map((f) => f.tradeId)).size).toBe(6_205);
    expect(all.every((f, i) => i === 0 || f.time >= all[i - 1]!.time)).toBe(true);
    // Attributed after the paging: allOrders, read on until every order is found, names each bot order.
    const bot = all.filter((f) => f.strategyId === 'grid7');
    expect(bot).toHaveLength(5_200);
    expect(bot[5_199]!.clientOrderId).toBe('grid7-a-5199');

    const calls = (await c.venue<{ requests: { path: string; params: string }[] }>('binance', 'requests')).requests.filter((r) => r.path === '/fapi/v1/userTrades');
    const spans = calls.map((r) => new URLSearchParams(r.params)).filter((p) => p.has('startTime'));
    expect(spans.every((p) => Number(p.get('endTime')) - Number(p.get('startTime')) < 7 * DAY)).toBe(true);
    expect(calls.some((r) => new URLSearchParams(r.params).has('fromId'))).toBe(true);

    // From just after the crowded millisecond: time pages only.
    const later = await a.fetchFills(t0 + 1, 'ETHUSDT');
    expect(later).toHaveLength(5_204);
    expect(later[0]!.time).toBe(t0 + 3 * DAY);
  });

  it('fills since a time, candles and the order book', async () => {
    const k = await account();
    await c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'ETHUSDT', side: 'BUY', quantity: 1 });
    await c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'ETHUSDT', side: 'SELL', quantity: 0.5 });
    const a = adapter(k);
    await a.connect();
    const fills = await a.fetchFills(0, 'ETHUSDT');
    expect(fills.map((f) => [f.side, f.size])).toEqual([
      ['buy', 1],
      ['sell', 0.5],
    ]);
    expect(await a.fetchFills(Date.now() + 60_000, 'ETHUSDT')).toEqual([]);
    const candles = await a.fetchCandles('BTCUSDT', '1h', undefined, 24);
    expect(candles).toHaveLength(24);
    expect(candles[23]!.close).toBe(60000);
    expect(candles[1]!.time - candles[0]!.time).toBe(3_600_000);
    const book = await a.fetchOrderBook('BTCUSDT', 7);
    expect(book.bids).toHaveLength(7);
    expect(book.bids[0]![0]).toBeLessThan(book.asks[0]![0]);
    // Trading rules from exchangeInfo, for the pre-trade check's sizes.
    expect(await a.instrument('BTCUSDT')).toEqual({ venue: 'binance', symbol: 'BTCUSDT', lotStep: 0.001, tickSize: 0.1, minNotional: 5, maxLeverage: null });
    expect(await a.instrument('NOPEUSDT')).toBeNull();
  });
});

describe('binance adapter: actions', () => {
  it('closes a position reduce-only, once per client order id', async () => {
    const k = await account();
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000 });
    const a = adapter(k);
    await a.connect();
    const req = { symbol: 'BTCUSDT', side: 'long' as const, fraction: 1, maxSlippagePct: 1, clientOrderId: 'rf-close-1' };
    const [r1, r2] = await Promise.all([a.closePosition(req), a.closePosition(req)]);
    expect(r1).toEqual(r2);
    expect(r1).toMatchObject({ status: 'filled', filledSize: 0.5, remainingSize: 0 });
    expect((await a.closePosition(req)).orderIds).toEqual(r1.orderIds);
    expect((await positionRisk(k.apiKey)).positionRisk).toEqual([]);
    const orders = (await c.venue<{ requests: { method: string; path: string; params: string }[] }>('binance', 'requests')).requests.filter(
      (r) => r.method === 'POST' && r.path === '/fapi/v1/order',
    );
    expect(orders).toHaveLength(1);
    expect(orders[0]!.params).toContain('reduceOnly=true');
    expect(orders[0]!.params).toContain('timeInForce=IOC');
  });

  it('partial close rounds to the lot step; a remainder below one lot closes all', async () => {
    const k = await account();
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', amount: 0.005, entryPrice: 59000 });
    const a = adapter(k);
    await a.connect();
    const half = await a.closePosition({ symbol: 'BTCUSDT', side: 'long', fraction: 0.5, maxSlippagePct: 1, clientOrderId: 'p-1' });
    // 0.0025 rounds down to 0.002.
    expect(half).toMatchObject({ status: 'filled', filledSize: 0.002, remainingSize: 0 });
    expect(Number((await positionRisk(k.apiKey)).positionRisk[0]!.positionAmt)).toBeCloseTo(0.003, 9);
    const tiny = await a.closePosition({ symbol: 'BTCUSDT', side: 'long', fraction: 0.1, maxSlippagePct: 1, clientOrderId: 'p-2' });
    expect(tiny.filledSize).toBeCloseTo(0.003, 9);
    expect(await a.closePosition({ symbol: 'BTCUSDT', side: 'long', fraction: 1, maxSlippagePct: 1, clientOrderId: 'p-3' })).toMatchObject({ status: 'noop' });
  });

  it('never fills beyond the slippage cap', async () => {
    const k = await account({ slippageBps: 200 });
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000 });
    const a = adapter(k);
    await a.connect();
    const r = await a.closePosition({ symbol: 'BTCUSDT', side: 'long', fraction: 1, maxSlippagePct: 1, clientOrderId: 'cap-1' });
    expect(r).toMatchObject({ filledSize: 0, remainingSize: 0.5 });
    expect(r.status).not.toBe('filled');
    expect(Number((await positionRisk(k.apiKey)).positionRisk[0]!.positionAmt)).toBe(0.5);
    const wide = await a.closePosition({ symbol: 'BTCUSDT', side: 'long', fraction: 1, maxSlippagePct: 3, clientOrderId: 'cap-2' });
    expect(wide).toMatchObject({ status: 'filled', filledSize: 0.5 });
  });

  it('hedge mode: closes only the named leg, with positionSide and no reduceOnly', async () => {
    const k = await account({ dualSidePosition: true });
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', positionSide: 'LONG', amount: 1, entryPrice: 59000 });
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', positionSide: 'SHORT', amount: -0.4, entryPrice: 61000 });
    const a = adapter(k);
    await a.connect();
    expect(await a.closePosition({ symbol: 'BTCUSDT', side: 'short', fraction: 1, maxSlippagePct: 1, clientOrderId: 'h-1' })).toMatchObject({ status: 'filled', filledSize: 0.4 });
    const left = (await positionRisk(k.apiKey)).positionRisk;
    expect(left.map((p) => [p.positionSide, Number(p.positionAmt)])).toEqual([['LONG', 1]]);
  });

  it('cancels by symbol or all, regular and algo orders alike', async () => {
    const k = await account();
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000 });
    await c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', price: 2500, quantity: 1 });
    await c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'SOLUSDT', side: 'BUY', type: 'LIMIT', price: 100, quantity: 1 });
    const a = adapter(k);
    await a.connect();
    await a.placeProtectiveStop({ symbol: 'BTCUSDT', side: 'long', stopPrice: 50000, clientOrderId: 'stop-c' });
    const one = await a.cancelOrders({ symbol: 'ETHUSDT' });
    expect(one.orderIds).toHaveLength(1);
    let venue = await c.venue<{ openOrders: { symbol: string }[]; openAlgoOrders: unknown[] }>('binance', 'account', { apiKey: k.apiKey });
    expect(venue.openOrders.map((o) => o.symbol)).toEqual(['SOLUSDT']);
    expect(venue.openAlgoOrders).toHaveLength(1);
    const all = await a.cancelOrders({});
    expect(all.orderIds.sort()).toHaveLength(2);
    venue = await c.venue('binance', 'account', { apiKey: k.apiKey });
    expect(venue.openOrders).toEqual([]);
    expect(venue.openAlgoOrders).toEqual([]);
    expect((await a.cancelOrders({})).status).toBe('noop');
  });

  it('cancels only the listed orders and leaves the protective stop on the same symbol', async () => {
    const k = await account();
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000 });
    await c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: 50000, quantity: 0.1 });
    await c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: 49000, quantity: 0.1 });
    const a = adapter(k);
    await a.connect();
    await a.placeProtectiveStop({ symbol: 'BTCUSDT', side: 'long', stopPrice: 45000, clientOrderId: 'stop-keep' });
    const open = (await a.snapshot()).openOrders;
    const adds = open.filter((o) => !o.reduceOnly && o.type === 'limit');
    expect(adds).toHaveLength(2);
    const r = await a.cancelOrders({ orderIds: [adds[0]!.orderId, 'no-such-order'] });
    expect(r).toMatchObject({ status: 'accepted', orderIds: [adds[0]!.orderId] });
    const left = (await a.snapshot()).openOrders.map((o) => o.orderId).sort();
    expect(left).toEqual(open.filter((o) => o.orderId !== adds[0]!.orderId).map((o) => o.orderId).sort());
    // Already gone: nothing to do, no error.
    expect(await a.cancelOrders({ orderIds: [adds[0]!.orderId] })).toMatchObject({ status: 'noop', orderIds: [] });
  });

  it('places the protective stop through /fapi/v1/algoOrder, and it closes the position when hit', async () => {
    const k = await account();
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000 });
    const a = adapter(k);
    const rec = recorder(a);
    await a.connect();
    const r = await a.placeProtectiveStop({ symbol: 'BTCUSDT', side: 'long', stopPrice: 58000, clientOrderId: 'stop-1' });
    expect(r.status).toBe('accepted');
    expect(r.orderIds[0]).toMatch(/^algo:/);
    const reqs = (await c.venue<{ requests: { method: string; path: string; params: string }[] }>('binance', 'requests')).requests;
    const algo = reqs.find((x) => x.path === '/fapi/v1/algoOrder')!;
    expect(algo.params).toContain('type=STOP_MARKET');
    expect(algo.params).toContain('algoType=CONDITIONAL');
    expect(reqs.some((x) => x.method === 'POST' && x.path === '/fapi/v1/order')).toBe(false);
    const done = rec.next('order', (e) => e.order.orderId === r.orderIds[0] && e.status === 'filled');
    const flat = rec.next('positions', (e) => e.positions.length === 0);
    await c.setPrice('binance', 'BTCUSDT', 57000);
    await done;
    await flat;
  });

  it('the dead-man`s switch cancels open orders when not refreshed', async () => {
    const k = await account();
    await c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', price: 2500, quantity: 1 });
    const a = adapter(k);
    const rec = recorder(a);
    await a.connect();
    const canceled = rec.next('order', (e) => e.status === 'canceled');
    await a.setDeadManSwitch({ timeoutMs: 1000, symbol: 'ETHUSDT' });
    expect((await canceled).order.symbol).toBe('ETHUSDT');
    await a.setDeadManSwitch({ timeoutMs: null, symbol: 'ETHUSDT' });
  });

  it('keeps the listenKey alive with PUT', async () => {
    const k = await account();
    const a = adapter(k, { listenKeyKeepAliveMs: 100 });
    await a.connect();
    await expect.poll(async () => (await c.requests('binance')).filter((r) => r.method === 'PUT' && r.path === '/fapi/v1/listenKey').length, { timeout: 5000 }).toBeGreaterThan(0);
  });
});

describe('binance adapter: errors', () => {
  it('a wrong secret is an AuthenticationError (-1022); an unknown key too (-2015)', async () => {
    const k = await account();
    const bad = await rejection(adapter({ apiKey: k.apiKey, apiSecret: 'wrong-secret-zzzz' }).connect());
    expect(bad).toBeInstanceOf(AuthenticationError);
    expect(bad.code).toBe(-1022);
    const unknown = await rejection(adapter({ apiKey: 'nobody-key-xxxxxxx', apiSecret: 'whatever-yyyyyy' }).connect());
    expect(unknown).toBeInstanceOf(AuthenticationError);
    expect(unknown.code).toBe(-2015);
  });

  it('a key that reads but cannot trade gets a PermissionError on actions', async () => {
    const k = await account({ canTrade: false });
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000 });
    const a = adapter(k);
    await a.connect();
    const e = await rejection(a.closePosition({ symbol: 'BTCUSDT', side: 'long', fraction: 1, maxSlippagePct: 1, clientOrderId: 'perm-1' }));
    expect(e).toBeInstanceOf(PermissionError);
    expect(e.retryable).toBe(false);
  });

  it('venue order rejections map to InvalidOrderError and InsufficientMarginError', async () => {
    const k = await account();
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000 });
    const a = adapter(k);
    await a.connect();
    const close = (id: string) => a.closePosition({ symbol: 'BTCUSDT', side: 'long', fraction: 1, maxSlippagePct: 1, clientOrderId: id });
    // Twice: the close from the streamed size, then the one from the venue's own position (see the test below).
    await c.faults({ rejectOrders: { code: -2022, message: 'ReduceOnly Order is rejected.', count: 2 } });
    const invalid = await rejection(close('rej-1'));
    expect(invalid).toBeInstanceOf(InvalidOrderError);
    expect(invalid.code).toBe(-2022);
    await c.faults({ rejectOrders: { code: -2019, message: 'Margin is insufficient.', count: 1 } });
    expect(await rejection(close('rej-2'))).toBeInstanceOf(InsufficientMarginError);
    // The same id may be tried again after a rejection.
    expect((await close('rej-1')).status).toBe('filled');
  });

  it('a close goes out from the streamed position at once; a -2022 (stale size) asks the venue and closes what it reports', async () => {
    const k = await account();
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000 });
    const a = adapter(k);
    await a.connect();
    await c.clearRequests();
    expect(await a.closePosition({ symbol: 'BTCUSDT', side: 'long', fraction: 0.5, maxSlippagePct: 1, clientOrderId: 'fast-1' })).toMatchObject({ status: 'filled', filledSize: 0.25 });
    // No position read before the order: one round trip.
    expect((await c.requests('binance')).map((r) => `${r.method} ${r.path.split('?')[0]}`).filter((r) => !r.includes('listenKey'))[0]).toBe('POST /fapi/v1/order');
    await c.faults({ rejectOrders: { code: -2022, message: 'ReduceOnly Order is rejected.', count: 1 } });
    await c.clearRequests();
    expect(await a.closePosition({ symbol: 'BTCUSDT', side: 'long', fraction: 1, maxSlippagePct: 1, clientOrderId: 'fast-2' })).toMatchObject({ status: 'filled', remainingSize: 0 });
    const calls = (await c.requests('binance')).map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`);
    expect(calls).toEqual(expect.arrayContaining(['POST /fapi/v1/order 400', 'GET /fapi/v3/positionRisk 200', 'POST /fapi/v1/order 200']));
    expect(Number((await positionRisk(k.apiKey)).positionRisk[0]?.positionAmt ?? 0)).toBe(0);
  });

  it('clock skew: the adapter learns the server time and retries; a -1021 that persists is a ClockSkewError', async () => {
    const k = await account();
    const a = adapter(k);
    await a.connect();
    await c.faults({ clockSkewMs: 120_000 });
    await expect(a.snapshot()).resolves.toBeDefined();
    expect((await c.requests('binance')).some((r) => r.path === '/fapi/v1/time')).toBe(true);
    await c.faults({ clockSkewMs: 0 });
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000 });
    await c.faults({ rejectOrders: { code: -1021, message: 'Timestamp for this request is outside of the recvWindow.', count: 2 } });
    const e = await rejection(a.closePosition({ symbol: 'BTCUSDT', side: 'long', fraction: 1, maxSlippagePct: 1, clientOrderId: 'skew-1' }));
    expect(e).toBeInstanceOf(ClockSkewError);
  });

  it('429 and 418 are RateLimitErrors carrying Retry-After; trading is refused during the ban', async () => {
    const k = await account();
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000 });
    const a = adapter(k);
    await a.connect();
    await c.faults({ http: [{ status: 418, count: 1, pathPrefix: '/binance/fapi/v1/order', retryAfterSec: 2 }] });
    const ban = await rejection(a.closePosition({ symbol: 'BTCUSDT', side: 'long', fraction: 1, maxSlippagePct: 1, clientOrderId: 'rl-1' }));
    expect(ban).toBeInstanceOf(RateLimitError);
    expect(ban.retryAfterMs).toBe(2000);
    const before = (await c.requests('binance')).length;
    const during = await rejection(a.closePosition({ symbol: 'BTCUSDT', side: 'long', fraction: 1, maxSlippagePct: 1, clientOrderId: 'rl-2' }));
    expect(during).toBeInstanceOf(RateLimitError);
    expect((await c.requests('binance')).length).toBe(before);
  });

  it('5xx answers are ExchangeUnavailableError once the read retries are spent', async () => {
    const k = await account();
    const a = adapter(k, { readRetries: 1 });
    await a.connect();
    await c.faults({ http: [{ status: 503, count: 2, pathPrefix: '/binance/fapi/v3/account' }] });
    expect(await rejection(a.snapshot())).toBeInstanceOf(ExchangeUnavailableError);
  });

  it('an unreachable venue is a NetworkError', async () => {
    const k = await account();
    const a = adapter(k, { readRetries: 0 }, 'http://127.0.0.1:9/binance');
    expect(await rejection(a.connect())).toBeInstanceOf(NetworkError);
  });

  it('a malformed REST body is a BadPayloadError, counted, and the last good snapshot stays usable', async () => {
    const k = await account();
    const a = adapter(k, { readRetries: 0 });
    await a.connect();
    await c.faults({ malformed: 1, malformedScope: 'rest' });
    expect(await rejection(a.snapshot())).toBeInstanceOf(BadPayloadError);
    expect(a.stats().badPayloads).toBe(1);
    await expect(a.snapshot()).resolves.toMatchObject({ account: { walletBalance: 10000 } });
  });

  it('bad requests are refused before they reach the venue', async () => {
    const k = await account();
    const a = adapter(k);
    await a.connect();
    expect(await rejection(a.closePosition({ symbol: 'btc', side: 'long', fraction: 2, maxSlippagePct: 1, clientOrderId: 'x' }))).toBeInstanceOf(InvalidOrderError);
    expect(await rejection(a.setDeadManSwitch({ timeoutMs: 10 }))).toBeInstanceOf(InvalidOrderError);
  });
});

describe('binance adapter: resilience', () => {
  it('reconnects and resubscribes after the venue drops every websocket', async () => {
    const k = await account();
    await c.venue('binance', 'setPosition', { apiKey: k.apiKey, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000 });
    const a = adapter(k);
    const rec = recorder(a);
    await a.connect();
    await a.watchMarks(['BTCUSDT']);
    await rec.next('mark');
    const reconnecting = rec.next('connection', (e) => e.state === 'reconnecting');
    // Each stream reports its own return; pushes sent before the user stream is back are not this test's subject.
    const back = (name: string) => rec.next('connection', (e) => e.state === 'open' && e.reason === `${name} stream reconnected`, 15_000);
    const streamsBack = Promise.all([back('user'), back('market')]);
    await c.drop('binance');
    await reconnecting;
    await streamsBack;
    // Marks flow again (resubscribed) and so do user-data pushes (new listenKey socket).
    await c.setPrice('binance', 'BTCUSDT', 63000);
    await rec.next('mark', (e) => e.mark.price === 63000);
    const fill = rec.next('fill');
    await c.venue('binance', 'trade', { apiKey: k.apiKey, symbol: 'BTCUSDT', side: 'SELL', quantity: 0.1 });
    expect((await fill).fill.size).toBe(0.1);
    expect(a.stats().reconnects).toBeGreaterThan(0);
  });

  it('backs off on 429: waits for Retry-After, then succeeds without hammering', async () => {
    const k = await account();
    const a = adapter(k);
    await a.connect();
    await c.clearRequests();
    await c.faults({ http: [{ status: 429, count: 2, pathPrefix: '/binance/fapi/v3/account', retryAfterSec: 1 }] });
    await expect(a.snapshot()).resolves.toBeDefined();
    const calls = (await c.requests('binance')).filter((r) => r.path === '/fapi/v3/account');
    expect(calls.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('after a 429 the waiting reads do not all go at once: one goes first, the rest follow its answer', async () => {
    const k = await account();
    const a = adapter(k, { readRetries: 6 });
    await a.connect();
    await c.clearRequests();
    await c.faults({ http: [{ status: 429, count: 4, pathPrefix: '/binance/fapi/v1/klines', retryAfterSec: 1 }] });
    // One read meets the first refusal; five more arrive during the wait.
    const first = a.fetchCandles('BTCUSDT', '1h', undefined, 5);
    await vi.waitFor(async () => expect((await c.requests('binance')).some((r) => r.status === 429)).toBe(true));
    const more = ['ETHUSDT', 'BTCUSDT', 'ETHUSDT', 'BTCUSDT', 'ETHUSDT'].map((s) => a.fetchCandles(s, '1h', undefined, 5));
    const candles = await Promise.all([first, ...more]);
    expect(candles.map((cs) => cs.length)).toEqual([5, 5, 5, 5, 5, 5]);
    const calls = (await c.requests('binance')).filter((r) => r.path.startsWith('/fapi/v1/klines'));
    const refused = calls.filter((r) => r.status === 429);
    expect(refused).toHaveLength(4);
    // The first wave met the first refusal; after it, one probe per Retry-After: each refusal stands alone, a second
    // or so after the one before (not four callers refused together when the wait ended).
    const gaps = refused.slice(1).map((r, i) => r.time - refused[i]!.time);
    expect(gaps.every((g) => g >= 900)).toBe(true);
    expect(calls.filter((r) => r.status === 200)).toHaveLength(6);
  });
});
