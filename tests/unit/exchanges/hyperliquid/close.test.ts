/**
 * The Hyperliquid adapter's close against the simulator: a close of a given size (what an earlier answer left to
 * close) closes that much, never the whole position, and nothing below one lot or the venue's $10 minimum; a close
 * whose answer was lost is looked up by its cloid before it is sent again.
 */
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { WebSocket as NodeWebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NetworkError } from '@/lib/exchanges/errors';
import { HyperliquidAdapter } from '@/lib/exchanges/hyperliquid/adapter';
import { createSimulator, type Simulator } from '../../../simulator/server';

// Node has no global WebSocket before 22; the extension's service worker does.
const g = globalThis as { WebSocket?: unknown };
if (typeof g.WebSocket === 'undefined') g.WebSocket = NodeWebSocket;

let sim: Simulator;
const adapters: HyperliquidAdapter[] = [];
beforeAll(async () => {
  sim = await createSimulator({ port: 0, prices: { source: 'manual', tickMs: 250 } });
  sim.ctx.prices.setPrice('hyperliquid', 'ETH', 3_000);
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  for (const a of adapters.splice(0)) await a.disconnect();
});

async function adapterWithLong(szi: number) {
  const userKey = generatePrivateKey();
  const agentKey = generatePrivateKey();
  const user = privateKeyToAccount(userKey).address;
  await sim.venues.hyperliquid.control('createAccount', { address: user, agents: [privateKeyToAccount(agentKey).address], balance: 100_000 });
  await sim.venues.hyperliquid.control('setPositions', { address: user, positions: [{ coin: 'ETH', szi, entryPx: 3_000, leverage: 5 }] });
  const a = new HyperliquidAdapter(
    { accountId: 'hl-close', endpoints: { network: 'custom', restUrl: `${sim.url}/hyperliquid`, wsUrl: `${sim.wsUrl}/hyperliquid/ws` }, credentials: { venue: 'hyperliquid', address: user, agentKey } },
    { backoffBaseMs: 20, backoffMaxMs: 200, maxRetries: 2, reconnectDelay: () => 50, dexes: [] },
  );
  adapters.push(a);
  return a;
}
const ethSize = async (a: HyperliquidAdapter) => (await a.snapshot()).positions.find((p) => p.symbol === 'ETH')?.size ?? 0;

describe('hyperliquid adapter: a close of a given size', () => {
  it('closes that much, never all; below the $10 minimum or one lot it sends nothing', async () => {
    const a = await adapterWithLong(2);
    // 0.004 ETH is $12: a share that small (0.2 %) would have closed all.
    expect(await a.closePosition({ symbol: 'ETH', side: 'long', fraction: 0.002, size: 0.004, maxSlippagePct: 1, clientOrderId: 's1' })).toMatchObject({ status: 'filled', filledSize: 0.004, remainingSize: 0 });
    expect(await ethSize(a)).toBeCloseTo(1.996, 9);
    expect(await a.closePosition({ symbol: 'ETH', side: 'long', fraction: 0.001, size: 0.002, maxSlippagePct: 1, clientOrderId: 's2' })).toMatchObject({ status: 'noop', filledSize: 0 });
    expect(await ethSize(a)).toBeCloseTo(1.996, 9);
    expect(await a.closePosition({ symbol: 'ETH', side: 'long', fraction: 1, size: 9, maxSlippagePct: 1, clientOrderId: 's3' })).toMatchObject({ status: 'filled', filledSize: 1.996 });
    expect(await ethSize(a)).toBe(0);
  });
});

type Request = (endpoint: 'info' | 'exchange' | 'explorer', payload: unknown, signal?: AbortSignal) => Promise<unknown>;
/** The adapter's HTTP transport, to lose an answer (or a request) as a dropped connection does. */
function transport(a: HyperliquidAdapter) {
  return (a as unknown as { http: { request: Request } }).http;
}
const dropped = () => new TypeError('fetch failed');
const close = (a: HyperliquidAdapter, fraction: number) => a.closePosition({ symbol: 'ETH', side: 'long', fraction, maxSlippagePct: 1, clientOrderId: 'lost-1' });

describe('hyperliquid adapter: a close whose answer was lost', () => {
  it('not placed (the venue has no order under its cloid): sent again under the same id, placed once', async () => {
    const a = await adapterWithLong(2);
    const http = transport(a);
    const real = http.request.bind(http);
    let lost = 1;
    const asked: string[] = [];
    http.request = async (endpoint, payload, signal) => {
      const type = (payload as { type?: string; action?: { type?: string } }).type ?? (payload as { action?: { type?: string } }).action?.type ?? '';
      asked.push(`${endpoint} ${type}`);
      if (endpoint === 'exchange' && lost-- > 0) throw dropped();
      return real(endpoint, payload, signal);
    };
    expect(await close(a, 0.5).catch((e: unknown) => e)).toBeInstanceOf(NetworkError);
    expect(await ethSize(a)).toBe(2);
    expect(await close(a, 0.5)).toMatchObject({ status: 'filled', filledSize: 1, remainingSize: 0 });
    expect(await ethSize(a)).toBe(1);
    expect(asked.filter((x) => x.startsWith('exchange') || x.includes('orderStatus'))).toEqual(['exchange order', 'info orderStatus', 'exchange order']);
  });

  it('placed, its answer lost: sent again, the order found by its cloid is the answer and nothing is placed twice', async () => {
    const a = await adapterWithLong(2);
    const http = transport(a);
    const real = http.request.bind(http);
    let answer: { oid: number; totalSz: string } | null = null;
    http.request = async (endpoint, payload, signal) => {
      const p = payload as { type?: string; oid?: unknown };
      if (endpoint === 'exchange' && answer === null) {
        const r = (await real(endpoint, payload, signal)) as { response: { data: { statuses: { filled: { oid: number; totalSz: string } }[] } } };
        answer = r.response.data.statuses[0]!.filled;
        throw dropped();
      }
      // The simulator answers orderStatus by oid only; the venue also by cloid, with the order done.
      if (endpoint === 'info' && p.type === 'orderStatus' && typeof p.oid === 'string' && answer) {
        const { oid, totalSz } = answer;
        return { status: 'order', order: { order: { coin: 'ETH', side: 'A', limitPx: '2970', sz: '0.0', oid, timestamp: 0, origSz: totalSz, cloid: p.oid }, status: 'filled', statusTimestamp: 0 } };
      }
      return real(endpoint, payload, signal);
    };
    expect(await close(a, 0.5).catch((e: unknown) => e)).toBeInstanceOf(NetworkError);
    expect(await ethSize(a)).toBe(1);
    expect(await close(a, 0.5)).toMatchObject({ status: 'filled', filledSize: 1, remainingSize: 0 });
    expect(await ethSize(a)).toBe(1);
  });
});
