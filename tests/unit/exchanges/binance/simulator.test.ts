/**
 * The simulator's Binance module and core, over the wire: authentication as Binance does it, the -4120 rule, request
 * weight, Binance's liquidation formula, faults, replay and the control API's validation.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { SimControl, SimControlError } from '../../../simulator/control-client';
import { createSimulator, type Simulator } from '../../../simulator/server';
import { PriceEngine, generatedPath, loadCandlePath } from '../../../simulator/price-engine';
import { DEFAULT_CANDLES } from '../../../simulator/core';

let sim: Simulator;
let c: SimControl;
const KEY = 'unit-key-aaaaaaaa';
const SECRET = 'unit-secret-bbbbbbbb';

beforeAll(async () => {
  sim = await createSimulator({ port: 0, prices: { source: 'manual', tickMs: 100 } });
  c = new SimControl(sim.url);
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  await c.reset();
  await c.venue('binance', 'createAccount', { apiKey: KEY, apiSecret: SECRET });
});

function signed(query: Record<string, string>, opts: { secret?: string; timestamp?: number; key?: string | null } = {}) {
  const qs = new URLSearchParams({ ...query, timestamp: String(opts.timestamp ?? Date.now()), recvWindow: '5000' }).toString();
  const sig = createHmac('sha256', opts.secret ?? SECRET).update(qs).digest('hex');
  const headers: Record<string, string> = opts.key === null ? {} : { 'X-MBX-APIKEY': opts.key ?? KEY };
  return { qs: `${qs}&signature=${sig}`, headers };
}

async function call(method: string, path: string, query: Record<string, string> = {}, opts: Parameters<typeof signed>[1] & { body?: boolean } = {}) {
  const { qs, headers } = signed(query, opts);
  const url = `${sim.url}/binance${path}${opts.body ? '' : `?${qs}`}`;
  const res = await fetch(url, {
    method,
    headers: opts.body ? { ...headers, 'content-type': 'application/x-www-form-urlencoded' } : headers,
    body: opts.body ? qs : undefined,
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> & unknown[] };
}

describe('simulator binance: authentication as Binance does it', () => {
  it('accepts a properly signed request, in the query or in the form body', async () => {
    expect((await call('GET', '/fapi/v3/account')).status).toBe(200);
    const r = await call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' }, { body: true });
    expect(r.status).toBe(200);
    // newOrderRespType ACK (the default) answers at acceptance; RESULT answers with the fill.
    expect(r.json).toMatchObject({ status: 'NEW', type: 'MARKET', side: 'BUY', executedQty: '0.000' });
    const res = await call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', newOrderRespType: 'RESULT' }, { body: true });
    expect(res.json).toMatchObject({ status: 'FILLED', executedQty: '0.010' });
  });

  it('rejects a bad signature (-1022), a missing key (-2014), an unknown key (-2015)', async () => {
    expect(await call('GET', '/fapi/v3/account', {}, { secret: 'not-the-secret' })).toMatchObject({ status: 400, json: { code: -1022 } });
    expect(await call('GET', '/fapi/v3/account', {}, { key: null })).toMatchObject({ status: 401, json: { code: -2014 } });
    expect(await call('GET', '/fapi/v3/account', {}, { key: 'someone-else-key' })).toMatchObject({ status: 401, json: { code: -2015 } });
  });

  it('rejects a timestamp outside recvWindow (-1021), and honours clock skew', async () => {
    expect(await call('GET', '/fapi/v3/account', {}, { timestamp: Date.now() - 60_000 })).toMatchObject({ status: 400, json: { code: -1021 } });
    await c.faults({ clockSkewMs: 30_000 });
    expect(await call('GET', '/fapi/v3/account')).toMatchObject({ status: 400, json: { code: -1021 } });
    expect((await call('GET', '/fapi/v3/account', {}, { timestamp: Date.now() + 30_000 })).status).toBe(200);
  });

  it('a read-only key reads but cannot trade (-2015)', async () => {
    await c.venue('binance', 'setMode', { apiKey: KEY, canTrade: false });
    expect((await call('GET', '/fapi/v3/positionRisk')).status).toBe(200);
    expect(await call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' })).toMatchObject({ status: 401, json: { code: -2015 } });
  });
});

describe('simulator binance: venue rules', () => {
  it('rejects STOP / TAKE_PROFIT on /fapi/v1/order with -4120 and takes them on /fapi/v1/algoOrder', async () => {
    for (const type of ['STOP_MARKET', 'TAKE_PROFIT_MARKET', 'STOP', 'TRAILING_STOP_MARKET']) {
      expect(await call('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'SELL', type, quantity: '0.01', stopPrice: '50000' })).toMatchObject({ json: { code: -4120 } });
    }
    await c.venue('binance', 'setPosition', { apiKey: KEY, symbol: 'BTCUSDT', amount: 0.01, entryPrice: 60000 });
    const ok = await call('POST', '/fapi/v1/algoOrder', { algoType: 'CONDITIONAL', symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', quantity: '0.010', triggerPrice: '50000', reduceOnly: 'true' });
    expect(ok).toMatchObject({ status: 200, json: { algoStatus: 'NEW', orderType: 'STOP_MARKET' } });
  });

  it('reduce-only against no position is -2022; a quantity off the lot step is -1111', async () => {
    expect(await call('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.010', reduceOnly: 'true' })).toMatchObject({ json: { code: -2022 } });
    expect(await call('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.0105' })).toMatchObject({ json: { code: -1111 } });
  });

  it('counts request weight as Binance does (openOrders without a symbol costs 40)', async () => {
    await c.resetWeight();
    await call('GET', '/fapi/v1/openOrders');
    await call('GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' });
    await call('GET', '/fapi/v3/account');
    expect((await c.weight('binance')).total).toBe(46);
  });

  it('computes PnL, margin and the liquidation price with Binance`s formulas', async () => {
    await c.venue('binance', 'setPosition', { apiKey: KEY, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000, leverage: 20 });
    const [p] = (await call('GET', '/fapi/v3/positionRisk')).json as unknown as Record<string, string>[];
    // uPnL = 0.5 x (60000 - 59000); IM = 30000 / 20; MM = 30000 x 0.4%;
    // LP = (WB + cum - Q x EP) / (Q x MMR - Q) = (10000 - 29500) / (0.002 - 0.5).
    expect(p).toMatchObject({ unRealizedProfit: '500.00000000', notional: '30000.00000000', initialMargin: '1500.00000000', maintMargin: '120.00000000', liquidationPrice: '39156.6' });
    await c.venue('binance', 'setPosition', { apiKey: KEY, symbol: 'BTCUSDT', amount: 0.01, entryPrice: 59000 });
    const [small] = (await call('GET', '/fapi/v3/positionRisk')).json as unknown as Record<string, string>[];
    // A long covered many times over by the wallet has no liquidation price.
    expect(small!.liquidationPrice).toBe('0');
  });

  it('fills a market order at the mark plus the configured slippage', async () => {
    await c.venue('binance', 'setSlippage', { apiKey: KEY, bps: 10 });
    const r = await call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '1.000' });
    expect(r.status).toBe(200);
    const trades = (await call('GET', '/fapi/v1/userTrades', { symbol: 'ETHUSDT' })).json as unknown as Record<string, string>[];
    expect(trades[0]).toMatchObject({ price: '3003.0', qty: '1.000', commission: '1.50150000' });
  });

  it('userTrades: at most 7 days from startTime to endTime, the last 7 days by default, fromId without times', async () => {
    const DAY = 86_400_000;
    const t0 = Date.now() - 10 * DAY;
    await c.venue('binance', 'trade', { apiKey: KEY, symbol: 'ETHUSDT', side: 'BUY', quantity: 0.01, time: t0, count: 3, everyMs: 1000 });
    await c.venue('binance', 'trade', { apiKey: KEY, symbol: 'ETHUSDT', side: 'SELL', quantity: 0.01 });
    const get = async (q: Record<string, string>) => {
      const r = await call('GET', '/fapi/v1/userTrades', { symbol: 'ETHUSDT', ...q });
      return { status: r.status, json: r.json as unknown as { id: number; time: number; side: string; code?: number; msg?: string }[] & { code?: number; msg?: string } };
    };
    // Neither time: the last 7 days only.
    expect((await get({})).json.map((t) => t.side)).toEqual(['SELL']);
    // startTime alone: the 7 days from it.
    const from = await get({ startTime: String(t0) });
    expect(from.json.map((t) => t.time)).toEqual([t0, t0 + 1000, t0 + 2000]);
    expect((await get({ startTime: String(t0 + 1), endTime: String(t0 + 1000) })).json.map((t) => t.time)).toEqual([t0 + 1000]);
    expect((await get({ startTime: String(t0), limit: '2' })).json).toHaveLength(2);
    // fromId reads on by id, with no time limit.
    expect((await get({ fromId: String(from.json[1]!.id) })).json.map((t) => t.side)).toEqual(['BUY', 'BUY', 'SELL']);
    const tooLong = await get({ startTime: String(t0), endTime: String(t0 + 7 * DAY) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json).toMatchObject({ code: -1127, msg: 'More than 168 hours between startTime and endTime.' });
    const both = await get({ startTime: String(t0), fromId: '1' });
    expect(both.json).toMatchObject({ code: -1128 });
  });

  it('setFillCap: MARKET and IOC orders fill at most maxQty and the rest expires; a FOK above it expires unfilled', async () => {
    await c.venue('binance', 'setFillCap', { apiKey: KEY, maxQty: 0.4 });
    const m = await call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '1.000', newOrderRespType: 'RESULT' }, { body: true });
    expect(m.json).toMatchObject({ status: 'EXPIRED', origQty: '1.000', executedQty: '0.400' });
    const ioc = await call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'IOC', price: '2900', quantity: '0.300', reduceOnly: 'true', newOrderRespType: 'RESULT' }, { body: true });
    // Within the cap: filled whole.
    expect(ioc.json).toMatchObject({ status: 'FILLED', executedQty: '0.300' });
    const fok = await call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'FOK', price: '3100', quantity: '0.500', newOrderRespType: 'RESULT' }, { body: true });
    expect(fok.json).toMatchObject({ status: 'EXPIRED', executedQty: '0.000' });
    const acct = await c.venue<{ positionRisk: { symbol: string; positionAmt: string }[]; trades: unknown[] }>('binance', 'account', { apiKey: KEY });
    expect(acct.positionRisk.find((p) => p.symbol === 'ETHUSDT')?.positionAmt).toBe('0.100');
    expect(acct.trades).toHaveLength(2);
    // null lifts the cap.
    await c.venue('binance', 'setFillCap', { apiKey: KEY, maxQty: null });
    const all = await call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '1.000', newOrderRespType: 'RESULT' }, { body: true });
    expect(all.json).toMatchObject({ status: 'FILLED', executedQty: '1.000' });
  });

  it('pushes mark prices on <symbol>@markPrice@1s after SUBSCRIBE', async () => {
    const ws = new WebSocket(`${sim.wsUrl}/binance/market/ws`);
    await new Promise((r) => ws.once('open', r));
    const got = new Promise<Record<string, unknown>>((resolve) =>
      ws.on('message', (d) => {
        const m = JSON.parse(String(d)) as Record<string, unknown>;
        if (m.e === 'markPriceUpdate') resolve(m);
      }),
    );
    ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['ethusdt@markPrice@1s'], id: 1 }));
    await c.setPrice('binance', 'ETHUSDT', 3210.5);
    expect(await got).toMatchObject({ s: 'ETHUSDT', p: '3210.50' });
    ws.close();
  });
});

describe('simulator binance: transfer (deposits and withdrawals)', () => {
  /** A user-data socket for KEY, collecting its pushes. */
  async function userStream() {
    const lk = (await fetch(`${sim.url}/binance/fapi/v1/listenKey`, { method: 'POST', headers: { 'X-MBX-APIKEY': KEY } }).then((r) => r.json())) as { listenKey: string };
    const ws = new WebSocket(`${sim.wsUrl}/binance/private/ws?listenKey=${lk.listenKey}`);
    const got: Record<string, unknown>[] = [];
    ws.on('message', (d) => got.push(JSON.parse(String(d)) as Record<string, unknown>));
    await new Promise((r) => ws.once('open', r));
    const next = async (n: number) => {
      for (let i = 0; i < 100 && got.length < n; i++) await new Promise((r) => setTimeout(r, 10));
      return got.slice();
    };
    return { ws, got, next };
  }
  const wallet = async () => (await call('GET', '/fapi/v3/account')).json.totalWalletBalance;

  it('a withdrawal and a deposit move the wallet and push ACCOUNT_UPDATE WITHDRAW / DEPOSIT with bc', async () => {
    const u = await userStream();
    expect(await c.binanceTransfer(KEY, -400)).toEqual({ asset: 'USDT', walletBalance: 9600, time: expect.any(Number) });
    expect(await wallet()).toBe('9600.00000000');
    const [w] = await u.next(1);
    expect(w).toMatchObject({ e: 'ACCOUNT_UPDATE', a: { m: 'WITHDRAW', B: [{ a: 'USDT', wb: '9600.00000000', cw: '9600.00000000', bc: '-400.00000000' }], P: [] } });
    await c.binanceTransfer(KEY, 250.5);
    expect(await wallet()).toBe('9850.50000000');
    const [, d] = await u.next(2);
    expect(d).toMatchObject({ a: { m: 'DEPOSIT', B: [{ a: 'USDT', wb: '9850.50000000', bc: '250.50000000' }], P: [] } });
    // Another asset.
    expect(await c.binanceTransfer(KEY, 100, 'USDC')).toEqual({ asset: 'USDC', walletBalance: 100, time: expect.any(Number) });
    const [, , usdc] = await u.next(3);
    expect(usdc).toMatchObject({ a: { m: 'DEPOSIT', B: [{ a: 'USDC', wb: '100.00000000', bc: '100.00000000' }] } });
    u.ws.close();
  });

  it('refuses a withdrawal above what is free to withdraw (margin in use counts), a zero amount, and pushes nothing', async () => {
    // 0.5 BTC at 60000, 20x: 1500 of initial margin; 10000 + 500 uPnL - 1500 free, at most the 10000 wallet.
    await c.venue('binance', 'setPosition', { apiKey: KEY, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 59000, leverage: 20 });
    const u = await userStream();
    const e = await c.binanceTransfer(KEY, -9500).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SimControlError);
    expect((e as SimControlError).status).toBe(400);
    expect((e as Error).message).toMatch(/insufficient balance: withdrawal of 9500 USDT exceeds the 9000 available/);
    await expect(c.binanceTransfer(KEY, 0)).rejects.toThrow(/amount/);
    await expect(c.binanceTransfer(KEY, -1, 'USDC')).rejects.toThrow(/insufficient balance/);
    expect(await wallet()).toBe('10000.00000000');
    await new Promise((r) => setTimeout(r, 50));
    expect(u.got).toEqual([]);
    // What is free can go.
    await c.binanceTransfer(KEY, -9000);
    expect(await wallet()).toBe('1000.00000000');
    u.ws.close();
  });

  it('a trade`s ACCOUNT_UPDATE carries bc 0, as Binance sends', async () => {
    const u = await userStream();
    await c.venue('binance', 'trade', { apiKey: KEY, symbol: 'ETHUSDT', side: 'BUY', quantity: 0.01 });
    const all = await u.next(3);
    const acct = all.find((m) => m.e === 'ACCOUNT_UPDATE') as { a: { m: string; B: { bc: string }[] } } | undefined;
    expect(acct?.a.m).toBe('ORDER');
    expect(acct?.a.B[0]?.bc).toBe('0.00000000');
    u.ws.close();
  });
});

describe('simulator core: faults, replay, control', () => {
  it('answers injected 429s with Retry-After and the venue`s body, then recovers', async () => {
    await c.faults({ http: [{ status: 429, count: 1, pathPrefix: '/binance/fapi/v1/time', retryAfterSec: 7 }] });
    const res = await fetch(`${sim.url}/binance/fapi/v1/time`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toMatchObject({ code: -1003 });
    expect((await fetch(`${sim.url}/binance/fapi/v1/time`)).status).toBe(200);
  });

  it('serves replayed payloads verbatim', async () => {
    const body = '{"serverTime": 1234, "recorded": true}';
    await c.replay([{ venue: 'binance', method: 'GET', path: '/fapi/v1/time', body, times: 1 }]);
    expect(await (await fetch(`${sim.url}/binance/fapi/v1/time`)).text()).toBe(body);
    expect(await (await fetch(`${sim.url}/binance/fapi/v1/time`)).text()).not.toBe(body);
  });

  it('malformed REST bodies keep their status and a consistent length', async () => {
    await c.faults({ malformed: 1, malformedScope: 'rest' });
    const res = await fetch(`${sim.url}/binance/fapi/v1/time`);
    expect(res.status).toBe(200);
    expect(() => JSON.parse('{"malformed": tru')).toThrow();
    expect(await res.text()).toBe('{"malformed": tru');
  });

  it('rejects bad control bodies with a specific message', async () => {
    const e = await c.faults({ delayMs: -5 } as never).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SimControlError);
    expect((e as SimControlError).status).toBe(400);
    expect((e as Error).message).toContain('delayMs');
    await expect(c.venue('binance', 'setPosition', { apiKey: KEY, symbol: 'NOPEUSDT', amount: 1, entryPrice: 1 })).rejects.toThrow(/unknown symbol NOPEUSDT/);
    await expect(c.venue('binance', 'explode')).rejects.toThrow(/unknown binance control action/);
  });

  it('drops every websocket on request', async () => {
    const ws = new WebSocket(`${sim.wsUrl}/binance/ws`);
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise((r) => ws.once('close', r));
    expect((await c.drop('binance')).dropped).toBe(1);
    await closed;
  });
});

describe('simulator price engine', () => {
  it('walks real candles when the fixture exists, else a generated path', () => {
    const real = loadCandlePath(DEFAULT_CANDLES);
    const engine = new PriceEngine({ symbols: [{ venue: 'binance', symbol: 'XUSDT', price: 100 }], source: 'candles', candlesFile: DEFAULT_CANDLES, tickMs: 1000, speed: 300, seed: 1, maxTicks: 10, startTime: 0 });
    expect(engine.pathOrigin).toBe(real ? 'candles' : 'generated');
    engine.tick();
    engine.tick();
    expect(engine.mark('binance', 'XUSDT')).not.toBe(100);
    expect(engine.now()).toBe(600_000);
  });

  it('generated paths are deterministic per seed', () => {
    expect(generatedPath(7).points.slice(0, 5)).toEqual(generatedPath(7).points.slice(0, 5));
    expect(generatedPath(7).points[10]).not.toBe(generatedPath(8).points[10]);
  });

  it('scripted moves ramp over simulated time and hold', () => {
    const engine = new PriceEngine({ symbols: [{ venue: 'hyperliquid', symbol: 'BTC', price: 100 }], source: 'manual', tickMs: 1000, speed: 1, seed: 1, maxTicks: 10, startTime: 0 });
    engine.move({ venue: 'hyperliquid', symbol: 'BTC', to: 110, overMs: 4000 });
    engine.tick();
    expect(engine.mark('hyperliquid', 'BTC')).toBeCloseTo(102.5, 6);
    for (let i = 0; i < 5; i++) engine.tick();
    expect(engine.mark('hyperliquid', 'BTC')).toBe(110);
  });
});
