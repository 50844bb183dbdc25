/**
 * The Hyperliquid adapter against the local simulator (in process, random port): snapshot, pushes, actions,
 * error mapping, reconnect and backoff. Waits are generous and event-driven; nothing asserts a duration.
 */
import * as ex from '@nktkas/hyperliquid/api/exchange';
import { HttpTransport } from '@nktkas/hyperliquid';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { WebSocket as NodeWebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Position } from '../../lib/domain/types';
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
} from '../../lib/exchanges/errors';
import { HyperliquidAdapter, type HyperliquidAdapterOptions } from '../../lib/exchanges/hyperliquid/adapter';
import type { AdapterEvent } from '../../lib/exchanges/types';
import { createSimulator, type Simulator } from '../simulator/server';
import { describeFixtures, readFixtureJson } from './fixtures';

// Node 20 has no global WebSocket; the extension's service worker does. The library looks it up at connect time.
const g = globalThis as { WebSocket?: unknown };
if (typeof g.WebSocket === 'undefined') g.WebSocket = NodeWebSocket;

let sim: Simulator;
const adapters: HyperliquidAdapter[] = [];

beforeAll(async () => {
  sim = await createSimulator({ port: 0, prices: { source: 'manual', tickMs: 250 } });
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  for (const a of adapters.splice(0)) await a.disconnect();
  sim.ctx.clearFaults();
});

const hl = () => sim.venues.hyperliquid;
const setPrice = (symbol: string, price: number) => sim.ctx.prices.setPrice('hyperliquid', symbol, price);

interface Keys {
  user: string;
  agentKey: `0x${string}`;
  agent: string;
}
function newKeys(): Keys {
  const userKey = generatePrivateKey();
  const agentKey = generatePrivateKey();
  return { user: privateKeyToAccount(userKey).address, agentKey, agent: privateKeyToAccount(agentKey).address };
}

function makeAdapter(k: Keys, opts: { readOnly?: boolean; agentKey?: `0x${string}` } & HyperliquidAdapterOptions = {}): HyperliquidAdapter {
  const { readOnly, agentKey, ...options } = opts;
  const a = new HyperliquidAdapter(
    {
      accountId: 'hl-test',
      endpoints: { network: 'custom', restUrl: `${sim.url}/hyperliquid`, wsUrl: `${sim.wsUrl}/hyperliquid/ws` },
      credentials: { venue: 'hyperliquid', address: k.user, ...(readOnly ? {} : { agentKey: agentKey ?? k.agentKey }) },
    },
    { backoffBaseMs: 20, backoffMaxMs: 200, maxRetries: 2, reconnectDelay: () => 50, ...options },
  );
  adapters.push(a);
  return a;
}

/** Resolves with the first event that matches, or fails after a generous timeout. */
function nextEvent<T extends AdapterEvent>(a: HyperliquidAdapter, match: (e: AdapterEvent) => e is T, timeoutMs = 8_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('timed out waiting for an adapter event'));
    }, timeoutMs);
    const off = a.subscribe((e) => {
      if (match(e)) {
        clearTimeout(timer);
        off();
        resolve(e);
      }
    });
  });
}
/** Polls a condition every 20 ms; fails after a generous timeout. */
async function waitFor(cond: () => boolean, timeoutMs = 8_000): Promise<void> {
  for (let waited = 0; !cond(); waited += 20) {
    if (waited > timeoutMs) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const isPositions = (pred: (p: Position[]) => boolean) => (e: AdapterEvent): e is Extract<AdapterEvent, { type: 'positions' }> => e.type === 'positions' && pred(e.positions);

async function account(balance = 100_000): Promise<Keys> {
  const k = newKeys();
  await hl().control('createAccount', { address: k.user, agents: [k.agent], balance });
  return k;
}

beforeEach(() => {
  setPrice('BTC', 60_000);
  setPrice('ETH', 3_000);
});

describe('hyperliquid adapter: snapshot', () => {
  it('reads cross, isolated and HIP-3 dex positions with the numbers the venue computes', async () => {
    const dex = `d${Math.floor(Math.random() * 1e6)}`.slice(0, 8);
    await hl().control('addDex', { name: dex, collateral: 'USDE' });
    await hl().control('addAsset', { dex, name: 'TSLA', szDecimals: 2, maxLeverage: 10 });
    sim.ctx.prices.addSymbol({ venue: 'hyperliquid', symbol: `${dex}:TSLA`, price: 250 });
    const k = newKeys();
    await hl().control('createAccount', { address: k.user, agents: [k.agent], balance: 10_000, dexBalances: { [dex]: 1_000 } });
    await hl().control('setPositions', {
      address: k.user,
      positions: [
        { coin: 'BTC', szi: 0.1, entryPx: 58_000, leverage: 10 },
        { coin: 'ETH', szi: -2, entryPx: 3_100, leverage: 5, isolated: true, margin: 1_240 },
      ],
    });
    await hl().control('setPositions', { address: k.user, dex, positions: [{ coin: `${dex}:TSLA`, szi: 4, entryPx: 200, leverage: 4 }] });

    const snap = await makeAdapter(k, { readOnly: true }).snapshot();
    const bySym = Object.fromEntries(snap.positions.map((p) => [p.symbol, p]));
    // BTC cross long: uPnL = 0.1 x (60000 - 58000) = 200; notional 6000; margin used 6000 / 10.
    expect(bySym.BTC).toMatchObject({ side: 'long', size: 0.1, entryPrice: 58_000, markPrice: 60_000, unrealizedPnl: 200, notional: 6_000, marginUsed: 600, leverage: 10, marginMode: 'cross' });
    // ETH isolated short with 1,240 margin: uPnL = -2 x (3000 - 3100) = 200; marginUsed = margin + uPnL.
    expect(bySym.ETH).toMatchObject({ side: 'short', size: -2, unrealizedPnl: 200, notional: 6_000, marginUsed: 1_440, marginMode: 'isolated' });
    // Isolated short liquidation: rawUsd / (|szi| x (1 + 1/(2 x 25))) with rawUsd = 1240 + 2 x 3100.
    expect(bySym.ETH!.liquidationPrice).toBeCloseTo(7_440 / (2 * 1.02), 4);
    expect(bySym[`${dex}:TSLA`]).toMatchObject({ size: 4, unrealizedPnl: 200, notional: 1_000, marginUsed: 250 });
    // Equity: main 10,000 + 200 + 200, dex 1,000 + 200; the cross long far from liquidation has none.
    expect(snap.account.equity).toBeCloseTo(11_600, 6);
    expect(snap.account.unrealizedPnl).toBeCloseTo(600, 6);
    expect(bySym.BTC!.liquidationPrice).toBeNull();
    expect(snap.openOrders).toEqual([]);
  });

  it('monitors read-only from the address alone: no trading capability, actions refused', async () => {
    const k = await account();
    const a = makeAdapter(k, { readOnly: true, dexes: [] });
    expect(a.capabilities.trading).toBe(false);
    expect((await a.snapshot()).account.equity).toBe(100_000);
    await expect(a.closePosition({ symbol: 'BTC', side: 'long', fraction: 1, maxSlippagePct: 1, clientOrderId: 'x' })).rejects.toBeInstanceOf(PermissionError);
    await expect(a.setDeadManSwitch({ timeoutMs: 10_000 })).rejects.toBeInstanceOf(PermissionError);
  });
});

describe('hyperliquid adapter: history and market data', () => {
  it('order book, candles and fills since a time', async () => {
    const k = await account();
    const a = makeAdapter(k, { readOnly: true, dexes: [] });
    const book = await a.fetchOrderBook('BTC', 5);
    expect(book.bids).toHaveLength(5);
    expect(book.asks).toHaveLength(5);
    expect(book.bids[0]![0]).toBeLessThan(60_000);
    expect(book.asks[0]![0]).toBeGreaterThan(60_000);
    await expect(a.fetchOrderBook('NOPE')).rejects.toBeInstanceOf(InvalidOrderError);
    // szDecimals 5: 0.00001 lots, prices to 1 decimal (6 - 5), $10 minimum, the meta's 40x.
    expect(await a.instrument('BTC')).toEqual({ venue: 'hyperliquid', symbol: 'BTC', lotStep: 1e-5, tickSize: 0.1, minNotional: 10, maxLeverage: 40 });
    expect(await a.instrument('NOPE')).toBeNull();
    const candles = await a.fetchCandles('ETH', '1m', Date.now() - 10 * 60_000, 10);
    expect(candles.length).toBeGreaterThanOrEqual(9);
    // The simulator's series ends at the mark; every candle is whole (low <= open, close <= high).
    expect(candles.at(-1)!.close).toBe(3_000);
    expect(candles.every((c) => c.low <= Math.min(c.open, c.close) && c.high >= Math.max(c.open, c.close) && c.volume > 0)).toBe(true);
    expect(new Set(candles.map((c) => c.close)).size).toBeGreaterThan(1);
    const t0 = Date.now();
    await hl().control('trade', { address: k.user, coin: 'BTC', side: 'buy', size: 0.01, price: 60_000 });
    await hl().control('trade', { address: k.user, coin: 'ETH', side: 'buy', size: 0.5, price: 3_000 });
    expect((await a.fetchFills(t0)).map((f) => f.symbol)).toEqual(['BTC', 'ETH']);
    expect((await a.fetchFills(t0, 'ETH')).map((f) => f.size)).toEqual([0.5]);
    expect(await a.fetchFills(Date.now() + 60_000)).toEqual([]);
    expect(a.stats().restWeightUsed).toBeGreaterThan(0);
  });
});

describe('hyperliquid adapter: streams', () => {
  it('a mark move is visible in the next positions push; a fill arrives as a fill event', async () => {
    const k = await account();
    await hl().control('setPositions', { address: k.user, positions: [{ coin: 'BTC', szi: 0.5, entryPx: 60_000, leverage: 10 }] });
    const a = makeAdapter(k, { dexes: [] });
    const first = nextEvent(a, isPositions((ps) => ps.some((p) => p.symbol === 'BTC')));
    await a.connect();
    expect((await first).positions[0]!.unrealizedPnl).toBe(0);

    const moved = nextEvent(a, isPositions((ps) => ps[0]?.markPrice === 61_000));
    setPrice('BTC', 61_000);
    expect((await moved).positions[0]!.unrealizedPnl).toBe(500);

    const fill = nextEvent(a, (e): e is Extract<AdapterEvent, { type: 'fill' }> => e.type === 'fill');
    await hl().control('trade', { address: k.user, coin: 'ETH', side: 'buy', size: 1, price: 3_000 });
    expect((await fill).fill).toMatchObject({ symbol: 'ETH', side: 'buy', size: 1, price: 3_000, feeAsset: 'USDC' });
  });

  it('streams each HIP-3 dex clearinghouse and merges it into one account', async () => {
    const dex = `s${Math.floor(Math.random() * 1e6)}`.slice(0, 8);
    await hl().control('addDex', { name: dex });
    await hl().control('addAsset', { dex, name: 'OIL', szDecimals: 1, maxLeverage: 10 });
    sim.ctx.prices.addSymbol({ venue: 'hyperliquid', symbol: `${dex}:OIL`, price: 70 });
    const k = newKeys();
    await hl().control('createAccount', { address: k.user, agents: [k.agent], balance: 1_000, dexBalances: { [dex]: 500 } });
    await hl().control('setPositions', { address: k.user, dex, positions: [{ coin: `${dex}:OIL`, szi: 10, entryPx: 70, leverage: 5 }] });
    const a = makeAdapter(k);
    const accounts: number[] = [];
    a.subscribe((e) => {
      if (e.type === 'account') accounts.push(e.account.equity);
    });
    await a.connect();
    const moved = nextEvent(a, isPositions((ps) => ps.some((p) => p.symbol === `${dex}:OIL` && p.markPrice === 72)));
    sim.ctx.prices.setPrice('hyperliquid', `${dex}:OIL`, 72);
    expect((await moved).positions.find((p) => p.symbol === `${dex}:OIL`)!.unrealizedPnl).toBe(20);
    await waitFor(() => accounts.includes(1_520));
  });

  it('watchMarks emits marks for the watched symbols only', async () => {
    const k = await account();
    const a = makeAdapter(k, { dexes: [] });
    await a.connect();
    const marks: string[] = [];
    a.subscribe((e) => {
      if (e.type === 'mark') marks.push(e.mark.symbol);
    });
    const eth = nextEvent(a, (e): e is Extract<AdapterEvent, { type: 'mark' }> => e.type === 'mark' && e.mark.price === 3_210);
    await a.watchMarks(['ETH']);
    setPrice('ETH', 3_210);
    expect((await eth).mark.symbol).toBe('ETH');
    expect(new Set(marks)).toEqual(new Set(['ETH']));
  });

  it('reconnects after a drop, resubscribes, and delivers the fills made while it was down', async () => {
    const k = await account();
    await hl().control('setPositions', { address: k.user, positions: [{ coin: 'BTC', szi: 0.2, entryPx: 60_000, leverage: 10 }] });
    const a = makeAdapter(k, { dexes: [] });
    await a.connect();
    const states: string[] = [];
    a.subscribe((e) => {
      if (e.type === 'connection') states.push(e.state);
    });
    const reopened = nextEvent(a, (e): e is Extract<AdapterEvent, { type: 'connection' }> => e.type === 'connection' && e.state === 'open');
    hl().dropConnections();
    // A fill while the socket is down: it must arrive after the reconnect (from the resubscription snapshot).
    await hl().control('trade', { address: k.user, coin: 'BTC', side: 'sell', size: 0.05, price: 60_000 });
    const missed = nextEvent(a, (e): e is Extract<AdapterEvent, { type: 'fill' }> => e.type === 'fill' && e.fill.size === 0.05);
    await reopened;
    expect((await missed).fill.side).toBe('sell');
    expect(states).toContain('reconnecting');
    expect(a.stats().reconnects).toBeGreaterThanOrEqual(1);
    const after = nextEvent(a, isPositions((ps) => ps[0]?.markPrice === 59_000));
    setPrice('BTC', 59_000);
    expect((await after).positions[0]!.size).toBeCloseTo(0.15, 10);
  });

  it('a malformed frame and a schema-breaking push are counted; the last good state stays', async () => {
    const k = await account();
    await hl().control('setPositions', { address: k.user, positions: [{ coin: 'ETH', szi: 1, entryPx: 3_000, leverage: 5 }] });
    const a = makeAdapter(k, { dexes: [] });
    const first = nextEvent(a, isPositions((ps) => ps.length === 1));
    await a.connect();
    await first;
    const errors: AdapterEvent[] = [];
    a.subscribe((e) => {
      if (e.type === 'error') errors.push(e);
    });
    const res = await fetch(`${sim.url}/control/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        venue: 'hyperliquid',
        frames: ['{"channel": "clearinghouseState", "data": {', JSON.stringify({ channel: 'clearinghouseState', data: { dex: '', user: k.user.toLowerCase(), clearinghouseState: { withdrawable: 5 } } })],
      }),
    });
    expect(res.ok).toBe(true);
    await waitFor(() => errors.length >= 2);
    expect(errors.map((e) => e.type === 'error' && e.error instanceof BadPayloadError)).toEqual([true, true]);
    expect(a.stats().badPayloads).toBe(2);
    expect(a.lastState()!.positions.map((p) => p.symbol)).toEqual(['ETH']);
  });
});

describe('hyperliquid adapter: actions', () => {
  it('closes all, closes part, and never closes twice for one client order id', async () => {
    const k = await account();
    await hl().control('setPositions', { address: k.user, positions: [{ coin: 'ETH', szi: 2, entryPx: 3_000, leverage: 5 }, { coin: 'BTC', szi: -0.3, entryPx: 60_000, leverage: 10 }] });
    const a = makeAdapter(k, { dexes: [] });

    const half = await a.closePosition({ symbol: 'ETH', side: 'long', fraction: 0.5, maxSlippagePct: 1, clientOrderId: 'c1' });
    expect(half).toMatchObject({ status: 'filled', filledSize: 1, remainingSize: 0 });
    expect(await a.closePosition({ symbol: 'ETH', side: 'long', fraction: 0.5, maxSlippagePct: 1, clientOrderId: 'c1' })).toEqual(half);
    let snap = await a.snapshot();
    expect(snap.positions.find((p) => p.symbol === 'ETH')!.size).toBe(1);

    const all = await a.closePosition({ symbol: 'BTC', side: 'short', fraction: 1, maxSlippagePct: 0.5, clientOrderId: 'c2' });
    expect(all).toMatchObject({ status: 'filled', filledSize: 0.3, remainingSize: 0 });
    snap = await a.snapshot();
    expect(snap.positions.map((p) => p.symbol)).toEqual(['ETH']);
    const fills = await a.fetchFills(0);
    expect(fills.map((f) => [f.symbol, f.side, f.size])).toEqual([
      ['ETH', 'sell', 1],
      ['BTC', 'buy', 0.3],
    ]);
    expect(await a.closePosition({ symbol: 'BTC', side: 'short', fraction: 1, maxSlippagePct: 0.5, clientOrderId: 'c3' })).toMatchObject({ status: 'noop' });
  });

  it('reports a partial fill with what remains to do', async () => {
    const k = await account();
    await hl().control('setPositions', { address: k.user, positions: [{ coin: 'ETH', szi: 3, entryPx: 3_000, leverage: 5 }] });
    await hl().control('configure', { maxFillSize: { ETH: 1 } });
    try {
      const a = makeAdapter(k, { dexes: [] });
      expect(await a.closePosition({ symbol: 'ETH', side: 'long', fraction: 1, maxSlippagePct: 1, clientOrderId: 'p1' })).toMatchObject({ status: 'partial', filledSize: 1, remainingSize: 2 });
    } finally {
      await hl().control('configure', { maxFillSize: {} });
    }
  });

  it('places a protective stop that fires on the mark, and cancels by symbol or all', async () => {
    const k = await account();
    await hl().control('setPositions', { address: k.user, positions: [{ coin: 'ETH', szi: 1, entryPx: 3_000, leverage: 5 }, { coin: 'BTC', szi: 0.1, entryPx: 60_000, leverage: 10 }] });
    const a = makeAdapter(k, { dexes: [] });
    const stop = await a.placeProtectiveStop({ symbol: 'ETH', side: 'long', stopPrice: 2_800.0, clientOrderId: 's1' });
    expect(stop.status).toBe('accepted');
    const btcStop = await a.placeProtectiveStop({ symbol: 'BTC', side: 'long', stopPrice: 55_000, clientOrderId: 's2' });
    let orders = (await a.snapshot()).openOrders;
    expect(orders.map((o) => [o.symbol, o.type, o.stopPrice, o.reduceOnly, o.size]).sort()).toEqual([
      ['BTC', 'stop_market', 55_000, true, 0.1],
      ['ETH', 'stop_market', 2_800, true, 1],
    ]);

    expect(await a.cancelOrders({ symbol: 'BTC' })).toMatchObject({ status: 'accepted', orderIds: btcStop.orderIds });
    orders = (await a.snapshot()).openOrders;
    expect(orders.map((o) => o.symbol)).toEqual(['ETH']);

    await a.connect();
    const closed = nextEvent(a, isPositions((ps) => !ps.some((p) => p.symbol === 'ETH')));
    setPrice('ETH', 2_790);
    await closed;
    expect(await a.cancelOrders({})).toMatchObject({ status: 'noop' });
  });

  it('cancels only the listed orders', async () => {
    const k = await account();
    const wallet = privateKeyToAccount(k.agentKey);
    const transport = new HttpTransport({ apiUrl: `${sim.url}/hyperliquid` });
    await ex.order({ transport, wallet }, { orders: [{ a: 1, b: true, p: '2000', s: '0.5', r: false, t: { limit: { tif: 'Gtc' } } }, { a: 0, b: false, p: '70000', s: '0.01', r: false, t: { limit: { tif: 'Gtc' } } }], grouping: 'na' });
    const a = makeAdapter(k, { dexes: [] });
    const open = (await a.snapshot()).openOrders;
    const eth = open.find((o) => o.symbol === 'ETH')!;
    expect(await a.cancelOrders({ orderIds: [eth.orderId] })).toMatchObject({ status: 'accepted', orderIds: [eth.orderId] });
    expect((await a.snapshot()).openOrders.map((o) => o.symbol)).toEqual(['BTC']);
    expect(await a.cancelOrders({ orderIds: [eth.orderId] })).toMatchObject({ status: 'noop' });
  });

  it('cancels resting orders placed by another client, every dex, one call', async () => {
    const k = await account();
    const wallet = privateKeyToAccount(k.agentKey);
    const transport = new HttpTransport({ apiUrl: `${sim.url}/hyperliquid` });
    await ex.order({ transport, wallet }, { orders: [{ a: 1, b: true, p: '2000', s: '0.5', r: false, t: { limit: { tif: 'Gtc' } } }, { a: 0, b: false, p: '70000', s: '0.01', r: false, t: { limit: { tif: 'Gtc' } } }], grouping: 'na' });
    const a = makeAdapter(k, { dexes: [] });
    expect((await a.snapshot()).openOrders).toHaveLength(2);
    const r = await a.cancelOrders({});
    expect(r.status).toBe('accepted');
    expect(r.orderIds).toHaveLength(2);
    expect((await a.snapshot()).openOrders).toEqual([]);
  });

  it('closes a HIP-3 dex position (asset id 100000 + dex index x 10000 + index)', async () => {
    const dex = `c${Math.floor(Math.random() * 1e6)}`.slice(0, 8);
    await hl().control('addDex', { name: dex });
    await hl().control('addAsset', { dex, name: 'GOLD', szDecimals: 3, maxLeverage: 20 });
    await hl().control('addAsset', { dex, name: 'NVDA', szDecimals: 2, maxLeverage: 10 });
    sim.ctx.prices.addSymbol({ venue: 'hyperliquid', symbol: `${dex}:NVDA`, price: 180 });
    const k = newKeys();
    await hl().control('createAccount', { address: k.user, agents: [k.agent], dexBalances: { [dex]: 5_000 } });
    await hl().control('setPositions', { address: k.user, dex, positions: [{ coin: `${dex}:NVDA`, szi: -10, entryPx: 190, leverage: 5 }] });
    const a = makeAdapter(k);
    expect(await a.closePosition({ symbol: `${dex}:NVDA`, side: 'short', fraction: 0.5, maxSlippagePct: 1, clientOrderId: 'h1' })).toMatchObject({ status: 'filled', filledSize: 5 });
    const snap = await a.snapshot();
    expect(snap.positions.find((p) => p.symbol === `${dex}:NVDA`)!.size).toBe(-5);
  });

  it('arms and clears the dead-man switch; refuses less than 5 s ahead', async () => {
    const k = await account();
    const a = makeAdapter(k, { dexes: [] });
    await a.setDeadManSwitch({ timeoutMs: 60_000 });
    expect(((await hl().control('account', { address: k.user })) as { scheduledCancel: number | null }).scheduledCancel).toBeGreaterThan(Date.now());
    await a.setDeadManSwitch({ timeoutMs: null });
    expect(((await hl().control('account', { address: k.user })) as { scheduledCancel: number | null }).scheduledCancel).toBeNull();
    await expect(a.setDeadManSwitch({ timeoutMs: 4_000 })).rejects.toBeInstanceOf(InvalidOrderError);
  });
});

describe('hyperliquid adapter: dead-man switch firing', () => {
  it('scheduleCancel cancels every open order, protective stops included, when not refreshed', async () => {
    const k = await account();
    await hl().control('setPositions', { address: k.user, positions: [{ coin: 'ETH', szi: 1, entryPx: 3_000, leverage: 5 }] });
    const a = makeAdapter(k, { dexes: [] });
    await a.connect();
    await a.placeProtectiveStop({ symbol: 'ETH', side: 'long', stopPrice: 2_500, clientOrderId: 'd1' });
    const canceled = nextEvent(a, (e): e is Extract<AdapterEvent, { type: 'order' }> => e.type === 'order' && e.status === 'canceled', 15_000);
    await a.setDeadManSwitch({ timeoutMs: 5_000 });
    expect((await canceled).order).toMatchObject({ symbol: 'ETH', type: 'stop_market' });
    expect((await a.snapshot()).openOrders).toEqual([]);
  }, 20_000);
});

describe('hyperliquid adapter: errors', () => {
  const close = (a: HyperliquidAdapter, id: string) => a.closePosition({ symbol: 'ETH', side: 'long', fraction: 1, maxSlippagePct: 1, clientOrderId: id });
  async function withEth(): Promise<Keys> {
    const k = await account();
    await hl().control('setPositions', { address: k.user, positions: [{ coin: 'ETH', szi: 1, entryPx: 3_000, leverage: 5 }] });
    return k;
  }

  it('authentication: a key that is no agent of the account', async () => {
    const k = await withEth();
    const a = makeAdapter(k, { dexes: [], agentKey: generatePrivateKey() });
    await expect(close(a, 'e1')).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('invalid order and insufficient margin: the venue texts', async () => {
    const k = await withEth();
    const a = makeAdapter(k, { dexes: [] });
    sim.ctx.faults.rejectOrders = { code: 'tick', message: 'Price must be divisible by tick size. asset=1', count: 1 };
    await expect(close(a, 'e2')).rejects.toBeInstanceOf(InvalidOrderError);
    sim.ctx.faults.rejectOrders = { code: 'margin', message: 'Insufficient margin to place order. asset=1', count: 1 };
    await expect(close(a, 'e3')).rejects.toBeInstanceOf(InsufficientMarginError);
    // A failed attempt is not remembered: the same id may be tried again, and now it closes.
    expect(await close(a, 'e3')).toMatchObject({ status: 'filled' });
  });

  it('clock skew: a nonce outside the venue window', async () => {
    const k = await withEth();
    const a = makeAdapter(k, { dexes: [] });
    sim.ctx.skewMs = 3 * 86_400_000;
    await expect(close(a, 'e4')).rejects.toBeInstanceOf(ClockSkewError);
  });

  it('rate limit: gives up after the retries with Retry-After; unavailable: 5xx', async () => {
    const k = await account();
    const a = makeAdapter(k, { dexes: [], maxRetries: 1 });
    sim.ctx.faults.http.push({ status: 429, count: 10, pathPrefix: '/hyperliquid/info', retryAfterSec: 0 });
    const e = await a.snapshot().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimitError);
    expect((e as RateLimitError).retryAfterMs).toBe(0);
    sim.ctx.clearFaults();
    sim.ctx.faults.http.push({ status: 502, count: 10, pathPrefix: '/hyperliquid/info' });
    await expect(a.snapshot()).rejects.toBeInstanceOf(ExchangeUnavailableError);
  });

  it('backs off on 429 and then succeeds', async () => {
    const k = await account();
    const a = makeAdapter(k, { dexes: [], maxRetries: 4 });
    sim.ctx.faults.http.push({ status: 429, count: 2, pathPrefix: '/hyperliquid/info', retryAfterSec: 1 });
    const snap = await a.snapshot();
    expect(snap.account.equity).toBe(100_000);
    expect(sim.ctx.faults.http).toEqual([]);
  });

  it('after a 429 the waiting reads do not all go at once: one goes first, the rest follow its answer', async () => {
    const k = await account();
    const a = makeAdapter(k, { dexes: [], maxRetries: 6 });
    sim.ctx.requests.length = 0;
    sim.ctx.faults.http.push({ status: 429, count: 4, pathPrefix: '/hyperliquid/info', retryAfterSec: 1 });
    const infos = () => sim.ctx.requests.filter((r) => r.venue === 'hyperliquid' && r.path.startsWith('/info'));
    // One read meets the first refusal; five more arrive during the wait.
    const first = a.fetchOrderBook('BTC');
    await waitFor(() => infos().some((r) => r.status === 429));
    const more = ['ETH', 'BTC', 'ETH', 'BTC', 'ETH'].map((coin) => a.fetchOrderBook(coin));
    const books = await Promise.all([first, ...more]);
    expect(books.map((b) => b.symbol)).toEqual(['BTC', 'ETH', 'BTC', 'ETH', 'BTC', 'ETH']);
    const refused = infos().filter((r) => r.status === 429);
    expect(refused).toHaveLength(4);
    // One probe per Retry-After: each refusal stands alone, a second or so after the one before.
    const gaps = refused.slice(1).map((r, i) => r.time - refused[i]!.time);
    expect(gaps.every((g) => g >= 900)).toBe(true);
    expect(infos().filter((r) => r.status === 200)).toHaveLength(6);
  });

  it('a long ban (418 with Retry-After) is not retried, and later calls wait it out without asking the venue', async () => {
    const k = await account();
    const a = makeAdapter(k, { dexes: [], maxRetries: 4, maxWaitMs: 5_000 });
    sim.ctx.faults.http.push({ status: 418, count: 5, pathPrefix: '/hyperliquid/info', retryAfterSec: 120 });
    const e = await a.snapshot().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimitError);
    expect((e as RateLimitError).retryAfterMs).toBe(120_000);
    expect(sim.ctx.faults.http[0]!.count).toBe(4);
    await expect(a.fetchOrderBook('BTC')).rejects.toBeInstanceOf(RateLimitError);
    expect(sim.ctx.faults.http[0]!.count).toBe(4);
  });

  it('network: nothing listening', async () => {
    const a = new HyperliquidAdapter(
      {
        accountId: 'x',
        endpoints: { network: 'custom', restUrl: 'http://127.0.0.1:9/hyperliquid', wsUrl: 'ws://127.0.0.1:9/hyperliquid/ws' },
        credentials: { venue: 'hyperliquid', address: newKeys().user },
      },
      { maxRetries: 0, dexes: [] },
    );
    await expect(a.snapshot()).rejects.toBeInstanceOf(NetworkError);
  });

  it('bad payload: a malformed REST body is counted', async () => {
    const k = await account();
    const a = makeAdapter(k, { dexes: [] });
    sim.ctx.faults.malformed = 1;
    sim.ctx.malformedScope = 'rest';
    await expect(a.snapshot()).rejects.toBeInstanceOf(BadPayloadError);
    expect(a.stats().badPayloads).toBe(1);
    expect((await a.snapshot()).account.equity).toBe(100_000);
  });

  it('rejects malformed credentials and endpoints up front', () => {
    const cfg = (address: string, agentKey?: string) => ({
      accountId: 'x',
      endpoints: { network: 'custom' as const, restUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' },
      credentials: { venue: 'hyperliquid' as const, address, ...(agentKey ? { agentKey } : {}) },
    });
    expect(() => new HyperliquidAdapter(cfg('0x123'))).toThrow(AuthenticationError);
    expect(() => new HyperliquidAdapter(cfg(newKeys().user, '0xabc'))).toThrow(AuthenticationError);
    expect(() => new HyperliquidAdapter({ ...cfg(newKeys().user), endpoints: { network: 'custom' } })).toThrow(/restUrl and wsUrl/);
    expect(() => new HyperliquidAdapter(cfg(newKeys().user), { maxRetries: -1 })).toThrow(/options: maxRetries/);
    expect(() => new HyperliquidAdapter(cfg(newKeys().user), { dexes: ['Bad Dex'] })).toThrow(/options: dexes\.0/);
    expect(new HyperliquidAdapter(cfg(newKeys().user), { reconnectDelay: () => 10, dexes: ['xyz'] }).capabilities.builderDexes).toBe(true);
  });
});

describeFixtures('hyperliquid adapter: real payloads replayed verbatim by the simulator', () => {
  it('snapshot of the recorded account: 12 positions, the recorded equity, the recorded open orders', async () => {
    const rec = (file: string) => readFixtureJson<{ response: unknown }>('real', 'hyperliquid', file).response;
    const entry = (type: string, body: unknown) => ({
      venue: 'hyperliquid' as const,
      method: 'POST',
      path: '/info',
      bodyMatch: { type },
      status: 200,
      body: JSON.stringify(body),
      remaining: 1,
    });
    sim.ctx.replay.push(entry('clearinghouseState', rec('pysdk_get_user_state.json')), entry('frontendOpenOrders', rec('pysdk_get_frontend_open_orders.json')));
    try {
      const snap = await makeAdapter(newKeys(), { readOnly: true, dexes: [] }).snapshot();
      expect(snap.positions).toHaveLength(12);
      expect(snap.account).toMatchObject({ equity: 1182.312496, availableBalance: 1010.57173, marginUsed: 171.740766 });
      expect(snap.openOrders.map((o) => o.type).sort()).toEqual(['limit', 'stop_market', 'take_profit_market']);
    } finally {
      sim.ctx.replay = [];
    }
  });
});
