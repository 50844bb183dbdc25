/**
 * The Hyperliquid adapter's close of a given size (what an earlier answer left to close), against the simulator:
 * that much, never widened to the whole position; nothing when it is below one lot or the venue's $10 minimum.
 */
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { WebSocket as NodeWebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
