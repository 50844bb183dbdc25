/** "Test connection" against the local simulator, with the real adapters (the extension's code path, in Node). */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { accountAdd, accountTest, vaultCreate } from '@/lib/messaging/account-requests';
import { request } from '@/lib/messaging/client';
import { createAdapter } from '@/lib/exchanges/factory';
import { SimControl } from '../simulator/control-client';
import { createSimulator, type Simulator } from '../simulator/server';
import { extensionSender, fakeRuntime, testBackground } from '../unit/helpers/fake-runtime';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 });

// Node 20 has no global WebSocket; the extension's service worker does (the Hyperliquid library looks it up).
const g = globalThis as { WebSocket?: unknown };
if (typeof g.WebSocket === 'undefined') g.WebSocket = NodeWebSocket;

let sim: Simulator;
let c: SimControl;
beforeAll(async () => {
  sim = await createSimulator({ port: 0, prices: { source: 'manual', tickMs: 200 } });
  c = new SimControl(sim.url);
});
afterAll(() => sim.close());
beforeEach(() => c.reset());

const API_KEY = 'simKey0000000000000000000000000001';
const API_SECRET = 'simSecret000000000000000000000000001';
const ADDRESS = '0x' + '34'.repeat(20);

async function setup() {
  const { bg } = testBackground({ makeAdapter: createAdapter, now: Date.now });
  const { runtime } = fakeRuntime(() => bg, extensionSender('options.html'));
  return { bg, runtime };
}
const custom = (venue: 'binance' | 'hyperliquid', restUrl = `${sim.url}/${venue}`) => ({
  network: 'custom' as const,
  restUrl,
  wsUrl: `${sim.wsUrl}/${venue}/ws`,
});
async function testOf(runtime: Awaited<ReturnType<typeof setup>>['runtime'], id: string) {
  const r = await request(runtime, accountTest, { id });
  if (!r.ok) throw new Error(r.error.message);
  return r.data;
}

describe('test connection', () => {
  it('Binance: connected, with the account as the simulator holds it', async () => {
    await c.venue('binance', 'createAccount', { apiKey: API_KEY, apiSecret: API_SECRET });
    await c.venue('binance', 'setPosition', { apiKey: API_KEY, symbol: 'BTCUSDT', amount: 0.1, entryPrice: 60000, leverage: 10 });
    const { runtime } = await setup();
    await request(runtime, vaultCreate, { passphrase: 'a long enough passphrase' });
    await request(runtime, accountAdd, { venue: 'binance', label: 'Sim', apiKey: API_KEY, apiSecret: API_SECRET, ...custom('binance') });
    const r = await testOf(runtime, 'binance:sim');
    expect(r.ok).toBe(true);
    expect(r.message).toMatch(/^Connected to Binance: equity \$[\d,]+\.\d\d, 1 open position, 0 open orders\.$/);
  });

  it('Binance: an unknown key, a wrong secret and an unreachable endpoint say what to fix; a skewed clock is compensated', async () => {
    await c.venue('binance', 'createAccount', { apiKey: API_KEY, apiSecret: API_SECRET });
    const { runtime } = await setup();
    await request(runtime, vaultCreate, { passphrase: 'a long enough passphrase' });
    const add = (label: string, apiKey: string, apiSecret: string, restUrl?: string) =>
      request(runtime, accountAdd, { venue: 'binance', label, apiKey, apiSecret, ...custom('binance', restUrl) });
    await add('Unknown', 'simKeyUnknown00000000000000000000', API_SECRET);
    await add('Wrong secret', API_KEY, 'simSecretWrong00000000000000000000');
    await add('Skewed', API_KEY, API_SECRET);
    await add('Nowhere', API_KEY, API_SECRET, 'http://127.0.0.1:9/binance');

    expect((await testOf(runtime, 'binance:unknown')).message).toMatch(
      /^Binance refused this key: it is wrong, not allowed from this IP address, or lacks the permission for this call \(.*\)\. Check the key, its IP allow-list and its permissions\.$/,
    );
    expect((await testOf(runtime, 'binance:wrong-secret')).message).toMatch(/^Binance rejected the signature: the API secret does not belong to this API key/);
    // The adapter measures the venue's clock offset, so a skewed local clock still connects.
    await c.faults({ clockSkewMs: 60_000 });
    expect(await testOf(runtime, 'binance:skewed')).toMatchObject({ ok: true });
    await c.clearFaults();
    const nowhere = await testOf(runtime, 'binance:nowhere');
    expect(nowhere.ok).toBe(false);
    expect(nowhere.message).toMatch(/^Binance could not be reached at http:\/\/127\.0\.0\.1:9\/binance \(/);
    for (const id of ['binance:unknown', 'binance:wrong-secret', 'binance:nowhere']) expect((await testOf(runtime, id)).message).not.toContain(API_SECRET);
  });

  it('Binance with a locked vault asks for the passphrase first', async () => {
    const { runtime, bg } = await setup();
    await request(runtime, vaultCreate, { passphrase: 'a long enough passphrase' });
    await request(runtime, accountAdd, { venue: 'binance', label: 'Sim', apiKey: API_KEY, apiSecret: API_SECRET, ...custom('binance') });
    await bg.vault.lock();
    expect(await testOf(runtime, 'binance:sim')).toEqual({
      ok: false,
      message: 'Unlock the key vault first: Binance reads need the API secret to sign.',
      latencyMs: 0,
    });
  });

  it('Hyperliquid: read-only from the address alone', async () => {
    await c.venue('hyperliquid', 'createAccount', { address: ADDRESS, balance: 5000 });
    const { runtime } = await setup();
    await request(runtime, accountAdd, { venue: 'hyperliquid', label: 'HL', address: ADDRESS, ...custom('hyperliquid') });
    const r = await testOf(runtime, `hyperliquid:${ADDRESS}`);
    expect(r).toMatchObject({ ok: true });
    expect(r.message).toBe('Connected to Hyperliquid: equity $5,000.00, 0 open positions, 0 open orders. Read-only: add a key to let Ringfence act.');
  });
});
