/**
 * The Binance adapter's close against the simulator: an order whose answer was lost is looked up by its client order
 * id before it is sent again (found: its outcome; not there, -2013: sent); a close of a given size closes that much.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BinanceAdapter } from '@/lib/exchanges/binance/adapter';
import type { InstrumentRules } from '@/lib/domain/types';
import { NetworkError } from '@/lib/exchanges/errors';
import { SimControl } from '../../../simulator/control-client';
import { createSimulator, type Simulator } from '../../../simulator/server';

let sim: Simulator;
let c: SimControl;
const adapters: BinanceAdapter[] = [];
const KEY = 'close-key-aaaaaaaa';
const SECRET = 'close-secret-bbbbbbbb';

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
  await c.setPrice('binance', 'BTCUSDT', 60_000);
  await c.venue('binance', 'setPosition', { apiKey: KEY, symbol: 'BTCUSDT', amount: 0.5, entryPrice: 60_000 });
});
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.disconnect()));
});

async function connected() {
  const a = new BinanceAdapter(
    { accountId: 'acc', endpoints: { network: 'custom', restUrl: `${sim.url}/binance`, wsUrl: `${sim.wsUrl}/binance/ws` }, credentials: { venue: 'binance', apiKey: KEY, apiSecret: SECRET } },
    { rateLimitMs: 1, backoff: { initialMs: 50, maxMs: 400 }, refreshDebounceMs: 20 },
  );
  adapters.push(a);
  await a.connect();
  return a;
}

type Call = (params: Record<string, unknown>) => Promise<unknown>;
/** The adapter's REST client, to make a call fail as a dropped connection does (ccxt's NetworkError). */
function client(a: BinanceAdapter) {
  return (a as unknown as { ex: Record<'fapiPrivatePostOrder' | 'fapiPrivateGetOrder', Call> }).ex;
}
const dropped = () => Object.assign(new Error('binance POST https://fapi.binance.com/fapi/v1/order socket hang up'), { name: 'NetworkError' });

const amount = async () => Number((await c.venue<{ positionRisk: { positionAmt: string }[] }>('binance', 'account', { apiKey: KEY })).positionRisk[0]?.positionAmt ?? 0);
const req = (clientOrderId: string, fraction = 1) => ({ symbol: 'BTCUSDT', side: 'long' as const, fraction, maxSlippagePct: 1, clientOrderId });

describe('binance adapter: a close whose answer was lost', () => {
  it('not placed (the lookup answers -2013): a retryable error, and the same id sent again is placed once', async () => {
    const a = await connected();
    const ex = client(a);
    const post = ex.fapiPrivatePostOrder.bind(ex);
    // The connection drops before the order reaches Binance.
    ex.fapiPrivatePostOrder = async () => {
      ex.fapiPrivatePostOrder = post;
      throw dropped();
    };
    await c.clearRequests();
    const lost = await a.closePosition(req('rf-lost-1')).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(NetworkError);
    expect(await amount()).toBeCloseTo(0.5, 9);
    // Sent again under the same id (what the executor does): looked up first, not there, sent.
    expect(await a.closePosition(req('rf-lost-1'))).toMatchObject({ status: 'filled', filledSize: 0.5, remainingSize: 0 });
    expect(await amount()).toBe(0);
    expect((await c.requests('binance')).map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`).filter((r) => r.includes('/fapi/v1/order'))).toEqual([
      'GET /fapi/v1/order 400',
      'GET /fapi/v1/order 400',
      'POST /fapi/v1/order 200',
    ]);
  });

  it('placed, with the answer and the first lookup lost: sent again, it is found by its id and not placed twice', async () => {
    const a = await connected();
    const ex = client(a);
    const post = ex.fapiPrivatePostOrder.bind(ex);
    const get = ex.fapiPrivateGetOrder.bind(ex);
    // A partial close: a second order would close more than asked.
    ex.fapiPrivatePostOrder = async (params) => {
      ex.fapiPrivatePostOrder = post;
      await post(params);
      throw dropped();
    };
    ex.fapiPrivateGetOrder = async () => {
      ex.fapiPrivateGetOrder = get;
      throw dropped();
    };
    expect(await a.closePosition(req('rf-lost-2', 0.5)).catch((e: unknown) => e)).toBeInstanceOf(NetworkError);
    expect(await amount()).toBeCloseTo(0.25, 9);
    expect(await a.closePosition(req('rf-lost-2', 0.5))).toMatchObject({ status: 'filled', filledSize: 0.25, remainingSize: 0 });
    expect(await amount()).toBeCloseTo(0.25, 9);
  });
});

describe('binance adapter: a small share of a one-way position', () => {
  it('closes that share though it is below the minimum notional (reduce-only is exempt), not the whole position', async () => {
    const a = await connected();
    await a.instrument('BTCUSDT');
    // Binance's own BTCUSDT minimum is $100 (the simulator's is $5).
    const rules = (a as unknown as { rules: Map<string, InstrumentRules> }).rules;
    rules.set('BTCUSDT', { ...rules.get('BTCUSDT')!, minNotional: 100 });
    // 0.5 BTC; 0.2% of it is one lot, $60: a halt closing back what a bot added, or a small tier.
    expect(await a.closePosition(req('rf-share-1', 0.002))).toMatchObject({ status: 'filled', filledSize: 0.001, remainingSize: 0 });
    expect(await amount()).toBeCloseTo(0.499, 9);
  });
});

describe('binance adapter: a close of a given size', () => {
  it('closes that much, never widened to the whole position; below one lot it sends nothing', async () => {
    const a = await connected();
    // 0.003 BTC is $180 at most: above the minimum, but a share that small would have closed all.
    expect(await a.closePosition({ ...req('rf-size-1', 0.006), size: 0.003 })).toMatchObject({ status: 'filled', filledSize: 0.003, remainingSize: 0 });
    expect(await amount()).toBeCloseTo(0.497, 9);
    // One lot, $60: below the $100 minimum notional, which a reduce-only order need not meet.
    expect(await a.closePosition({ ...req('rf-size-2', 0.002), size: 0.001 })).toMatchObject({ status: 'filled', filledSize: 0.001 });
    expect(await a.closePosition({ ...req('rf-size-3', 0.001), size: 0.0009 })).toMatchObject({ status: 'noop', filledSize: 0 });
    expect(await amount()).toBeCloseTo(0.496, 9);
    expect(await a.closePosition({ ...req('rf-size-4', 1), size: 5 })).toMatchObject({ status: 'filled', filledSize: 0.496 });
    expect(await amount()).toBe(0);
  });
});
