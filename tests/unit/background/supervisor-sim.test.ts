/**
 * The risk loop end to end in Node: the background service with real adapters against the local simulator, on an
 * in-memory IndexedDB. A price path crosses a limit and the close order reaches the simulator; while halted, a
 * position enlarged from elsewhere is closed back, every time.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAdapter } from '@/lib/exchanges/factory';
import { request } from '@/lib/messaging/client';
import { accountAdd, vaultCreate } from '@/lib/messaging/account-requests';
import { stateGet } from '@/lib/messaging/requests';
import { riskBreak } from '@/lib/messaging/risk-requests';
import { RingfenceDb } from '@/lib/store/db';
import { SimControl } from '../../simulator/control-client';
import { createSimulator, type Simulator } from '../../simulator/server';
import { extensionSender, fakeRuntime, memorySession, testBackground } from '../helpers/fake-runtime';
import { auditRows } from '../helpers/audit-rows';

let sim: Simulator;
let c: SimControl;
beforeAll(async () => {
  sim = await createSimulator({ port: 0, prices: { source: 'manual', tickMs: 100 } });
  c = new SimControl(sim.url);
});
afterAll(() => sim.close());

const PASS = 'correct horse battery staple';
let n = 0;

async function setup(mode: 'monitor' | 'guard' | 'enforce') {
  n += 1;
  const apiKey = `supKey${String(n).padStart(30, '0')}`;
  const apiSecret = `supSecret${String(n).padStart(27, '0')}`;
  await c.venue('binance', 'createAccount', { apiKey, apiSecret, balances: { USDT: 10_000 } });
  await c.setPrice('binance', 'BTCUSDT', 60_000);
  await c.venue('binance', 'setPosition', { apiKey, symbol: 'BTCUSDT', amount: 0.08, entryPrice: 60_000, leverage: 10 });
  const db = new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
  const session = memorySession();
  const make = () => testBackground({ db, session, makeAdapter: createAdapter, supervise: true }).bg;
  let bg = make();
  const ui = fakeRuntime(() => bg, extensionSender('options.html'));
  expect((await request(ui.runtime, vaultCreate, { passphrase: PASS })).ok).toBe(true);
  const added = await request(ui.runtime, accountAdd, {
    venue: 'binance',
    label: `Sim ${n}`,
    apiKey,
    apiSecret,
    network: 'custom',
    restUrl: `${sim.url}/binance`,
    wsUrl: `${sim.wsUrl}/binance/ws`,
    mode,
  });
  expect(added.ok).toBe(true);
  const id = added.ok ? added.data.id : '';
  const state = async () => {
    const r = await request(ui.runtime, stateGet, {});
    if (!r.ok) throw new Error(r.error.message);
    return r.data;
  };
  const venue = () => c.venue<{ positionRisk: { symbol: string; positionAmt: string }[] }>('binance', 'account', { apiKey });
  return {
    db,
    id,
    apiKey,
    state,
    venue,
    get bg() {
      return bg;
    },
    async restart() {
      await bg.supervisor.stop();
      bg = make();
      await bg.started;
      return bg;
    },
    stop: () => bg.supervisor.stop(),
  };
}

const auditKinds = async (db: RingfenceDb) => (await auditRows(db)).map((a) => a.kind);

describe('risk loop against the simulator', () => {
  it('connects, shows the account, and closes a position past its drawdown limit in enforce mode', async () => {
    const s = await setup('enforce');
    await vi.waitFor(async () => expect((await s.state()).risk.accounts[0]).toMatchObject({ status: 'live', positions: [{ symbol: 'BTCUSDT' }] }), { timeout: 15_000 });
    const acct = (await s.state()).risk.accounts[0]!;
    expect(acct).toMatchObject({ key: s.id, status: 'live', mode: 'enforce', trading: 'ACTIVE', canTrade: true });
    expect(acct.equity).toBeCloseTo(10_000, 0);
    // 10x long: an 8% drop is 80% of margin, past the full-close tier (150% of the 50% limit).
    await c.setPrice('binance', 'BTCUSDT', 55_200);
    await vi.waitFor(async () => expect((await s.venue()).positionRisk.filter((p) => Number(p.positionAmt) !== 0)).toEqual([]), { timeout: 15_000 });
    await vi.waitFor(async () => expect(await auditKinds(s.db)).toContain('action.done'));
    const kinds = await auditKinds(s.db);
    expect(kinds).toContain('action.close');
    expect(kinds).toContain('risk.finding');
    await s.stop();
  }, 60_000);

  it('while halted, a position enlarged twice by the same amount from elsewhere is closed back both times, each as a new order', async () => {
    const s = await setup('enforce');
    await vi.waitFor(async () => expect((await s.state()).risk.accounts[0]).toMatchObject({ status: 'live', positions: [{ symbol: 'BTCUSDT' }] }), { timeout: 15_000 });
    const ui = fakeRuntime(() => s.bg, extensionSender('popup.html'));
    expect((await request(ui.runtime, riskBreak, { minutes: 30 })).ok).toBe(true);
    await vi.waitFor(async () => expect((await s.state()).risk.accounts[0]?.trading).toBe('HALTED'));
    const amount = async () => Number((await s.venue()).positionRisk[0]?.positionAmt ?? 0);
    const orders = async () => (await c.requests('binance')).filter((r) => r.method === 'POST' && r.path.split('?')[0] === '/fapi/v1/order' && r.status === 200);
    await c.clearRequests();
    for (const round of [1, 2]) {
      // A bot adds 0.02 (the simulator's own trade, not through Ringfence); Ringfence closes it back to 0.08.
      await c.venue('binance', 'trade', { apiKey: s.apiKey, symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: 0.02 });
      await vi.waitFor(async () => expect(await amount()).toBeCloseTo(0.08, 9), { timeout: 10_000 });
      await vi.waitFor(async () => expect(await orders()).toHaveLength(round), { timeout: 10_000 });
    }
    await vi.waitFor(async () =>
      expect((await auditRows(s.db)).filter((e) => e.kind === 'action.done').map((e) => e.message)).toEqual([
        `Sim ${n}: BTCUSDT long reduced (0.02 filled).`,
        `Sim ${n}: BTCUSDT long reduced (0.02 filled).`,
      ]),
    );
    await s.stop();
  }, 60_000);
});
