/**
 * The simulator's Hyperliquid venue on the wire, without the adapter: signature checks as the venue does them,
 * nonces, info weights, the websocket protocol, and the clearinghouse arithmetic.
 */
import { signL1Action } from '@nktkas/hyperliquid/signing';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimControl, SimControlError } from '../simulator/control-client';
import { createSimulator, type Simulator } from '../simulator/server';

let sim: Simulator;
beforeAll(async () => {
  sim = await createSimulator({ port: 0, prices: { source: 'manual', tickMs: 60_000 } });
  sim.ctx.prices.setPrice('hyperliquid', 'ETH', 3_000);
  sim.ctx.prices.setPrice('hyperliquid', 'BTC', 60_000);
});
afterAll(async () => {
  await sim.close();
});

const hl = () => sim.venues.hyperliquid;
const post = async (path: '/info' | '/exchange', body: unknown) => {
  const res = await fetch(`${sim.url}/hyperliquid${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // plain-text answer (422, 400): keep the text
  }
  return { status: res.status, body: json };
};

async function newAccount(balance = 50_000) {
  const userKey = generatePrivateKey();
  const agentKey = generatePrivateKey();
  const user = privateKeyToAccount(userKey).address.toLowerCase();
  const agent = privateKeyToAccount(agentKey);
  await hl().control('createAccount', { address: user, agents: [agent.address], balance });
  return { user, userWallet: privateKeyToAccount(userKey), agent };
}

async function signed(wallet: ReturnType<typeof privateKeyToAccount>, action: Record<string, unknown>, nonce = Date.now(), sentAction = action) {
  const signature = await signL1Action({ wallet, action, nonce });
  return { action: sentAction, nonce, signature };
}

const limit = (p: string, s: string, b = true, tif = 'Gtc') => ({ type: 'order', orders: [{ a: 1, b, p, s, r: false, t: { limit: { tif } } }], grouping: 'na' });

describe('hyperliquid simulator: signed L1 actions', () => {
  it('accepts the agent and the account itself; refuses any other signer as the venue does', async () => {
    const { userWallet, agent } = await newAccount();
    const byAgent = await post('/exchange', await signed(agent, limit('2000', '0.1')));
    expect(byAgent.body).toMatchObject({ status: 'ok', response: { type: 'order', data: { statuses: [{ resting: {} }] } } });
    const byUser = await post('/exchange', await signed(userWallet, limit('2001', '0.1')));
    expect(byUser.body).toMatchObject({ status: 'ok' });
    const stranger = privateKeyToAccount(generatePrivateKey());
    const r = await post('/exchange', await signed(stranger, limit('2000', '0.1')));
    expect(r.body).toEqual({ status: 'err', response: `User or API Wallet ${stranger.address.toLowerCase()} does not exist.` });
  });

  it('hashes the action as received: a trailing zero signed but not sent breaks the signature', async () => {
    const { agent } = await newAccount();
    // Signed over "2000.0", sent as "2000": the recovered signer is some other address.
    const r = await post('/exchange', await signed(agent, limit('2000.0', '0.1'), Date.now(), limit('2000', '0.1')));
    expect(r.body).toMatchObject({ status: 'err' });
    expect(String((r.body as { response: string }).response)).toMatch(/^User or API Wallet 0x[0-9a-f]{40} does not exist\.$/);
    expect(String((r.body as { response: string }).response)).not.toContain(agent.address.toLowerCase());
  });

  it('refuses a reused nonce and a nonce far from the venue clock', async () => {
    const { agent } = await newAccount();
    const nonce = Date.now();
    expect((await post('/exchange', await signed(agent, limit('2000', '0.1'), nonce))).body).toMatchObject({ status: 'ok' });
    expect((await post('/exchange', await signed(agent, limit('2001', '0.1'), nonce))).body).toEqual({ status: 'err', response: 'Invalid nonce: duplicate nonce' });
    const old = await post('/exchange', await signed(agent, limit('2000', '0.1'), Date.now() - 3 * 86_400_000));
    expect((old.body as { response: string }).response).toMatch(/^Invalid nonce/);
  });

  it('checks tick size, size decimals, reduce-only and margin per order', async () => {
    const { agent } = await newAccount(100);
    const statuses = async (action: Record<string, unknown>) =>
      ((await post('/exchange', await signed(agent, action))).body as { response: { data: { statuses: unknown[] } } }).response.data.statuses;
    expect(await statuses(limit('2000.123', '0.1'))).toEqual([{ error: 'Price must be divisible by tick size. asset=1' }]);
    expect(await statuses(limit('2000', '0.00001'))).toEqual([{ error: 'Order has invalid size. asset=1' }]);
    expect(await statuses({ type: 'order', orders: [{ a: 1, b: false, p: '2900', s: '0.1', r: true, t: { limit: { tif: 'Ioc' } } }], grouping: 'na' })).toEqual([
      { error: 'Reduce only order would increase position. asset=1' },
    ]);
    expect(await statuses(limit('3100', '1', true, 'Ioc'))).toEqual([{ error: 'Insufficient margin to place order. asset=1' }]);
    expect(await statuses(limit('2000', '0.001'))).toEqual([{ error: 'Order must have minimum value of $10. asset=1' }]);
    expect(await statuses(limit('2000', '0.1', true, 'Ioc'))).toEqual([{ error: 'Order could not immediately match against any resting orders. asset=1' }]);
  });

  it('rejects a body it cannot deserialize with 422', async () => {
    expect(await post('/exchange', { action: { type: 'order' }, nonce: 1 })).toEqual({ status: 422, body: 'Failed to deserialize the JSON body into the target type' });
    expect((await post('/info', { type: 'nope' })).status).toBe(422);
  });
});

describe('hyperliquid simulator: clearinghouse arithmetic', () => {
  it('a taker fill: fee charged apart from closedPnl, dir strings, mark +/- slippage', async () => {
    const { user, agent } = await newAccount(10_000);
    await hl().control('configure', { slippageBps: 10, takerFeeBps: 5 });
    try {
      const buy = await post('/exchange', await signed(agent, limit('3100', '1', true, 'Ioc')));
      expect(buy.body).toMatchObject({ response: { data: { statuses: [{ filled: { totalSz: '1', avgPx: '3003' } }] } } });
      const sell = await post('/exchange', await signed(agent, limit('2900', '1.5', false, 'Ioc')));
      expect(sell.body).toMatchObject({ response: { data: { statuses: [{ filled: { totalSz: '1.5', avgPx: '2997' } }] } } });
      const fills = (await post('/info', { type: 'userFills', user })).body as { dir: string; closedPnl: string; fee: string; startPosition: string }[];
      // Newest first, as the venue answers.
      expect(fills.map((f) => [f.dir, f.startPosition])).toEqual([
        ['Long > Short', '1'],
        ['Open Long', '0'],
      ]);
      // Closing 1 of the long at 2997 after buying at 3003: -6, before the fee (1.5 x 2997 x 0.0005).
      expect(Number(fills[0]!.closedPnl)).toBeCloseTo(-6, 6);
      expect(Number(fills[0]!.fee)).toBeCloseTo(1.5 * 2997 * 0.0005, 6);
      const state = (await post('/info', { type: 'clearinghouseState', user })).body as { marginSummary: { accountValue: string }; assetPositions: { position: { szi: string; entryPx: string } }[] };
      expect(state.assetPositions[0]!.position).toMatchObject({ szi: '-0.5', entryPx: '2997' });
      // Equity = 10,000 - 6 realized - both fees + the open short's uPnL at 3000 (-0.5 x 3).
      const fees = 3003 * 0.0005 + 1.5 * 2997 * 0.0005;
      expect(Number(state.marginSummary.accountValue)).toBeCloseTo(10_000 - 6 - fees - 1.5, 5);
    } finally {
      await hl().control('configure', { slippageBps: 5, takerFeeBps: 4.5 });
    }
  });

  it('cross liquidation price: where the account value meets maintenance margin', async () => {
    const { user } = await newAccount(1_000);
    await hl().control('setPositions', { address: user, positions: [{ coin: 'BTC', szi: 0.1, entryPx: 60_000, leverage: 20 }] });
    const state = (await post('/info', { type: 'clearinghouseState', user })).body as {
      withdrawable: string;
      crossMarginSummary: { accountValue: string; totalMarginUsed: string };
      assetPositions: { position: { liquidationPx: string; marginUsed: string; returnOnEquity: string } }[];
    };
    const p = state.assetPositions[0]!.position;
    // 1,000 + 0.1 x (P - 60,000) = 0.1 x P / (2 x 40)  =>  P = 5,000 / (0.1 x (1 - 1/80)).
    expect(Number(p.liquidationPx)).toBeCloseTo(5_000 / (0.1 * (1 - 1 / 80)), 3);
    expect(Number(p.marginUsed)).toBe(300);
    expect(Number(state.withdrawable)).toBe(700);
    expect(Number(p.returnOnEquity)).toBe(0);
  });

  it('isolated: closing half releases half the position equity to cross, closedPnl realized', async () => {
    const { user } = await newAccount(5_000);
    await hl().control('configure', { takerFeeBps: 0 });
    try {
      await hl().control('setPositions', { address: user, positions: [{ coin: 'ETH', szi: 2, entryPx: 2_500, leverage: 5, isolated: true }] });
      type State = { marginSummary: { accountValue: string }; crossMarginSummary: { accountValue: string }; assetPositions: { position: { szi: string; marginUsed: string; leverage: { rawUsd: string } } }[] };
      const before = (await post('/info', { type: 'clearinghouseState', user })).body as State;
      // Mark 3,000: isolated equity = margin 1,000 + uPnL 1,000; rawUsd = 1,000 - 2 x 2,500 (negative for a long).
      expect(before.assetPositions[0]!.position).toMatchObject({ marginUsed: '2000', leverage: { rawUsd: '-4000' } });
      expect(before.marginSummary.accountValue).toBe('6000');
      expect(before.crossMarginSummary.accountValue).toBe('4000');
      const fill = (await hl().control('trade', { address: user, coin: 'ETH', side: 'sell', size: 1, price: 3_000 })) as { closedPnl: string; dir: string };
      expect(fill).toMatchObject({ closedPnl: '500', dir: 'Close Long' });
      const after = (await post('/info', { type: 'clearinghouseState', user })).body as State;
      expect(after.assetPositions[0]!.position).toMatchObject({ szi: '1', marginUsed: '1000', leverage: { rawUsd: '-2000' } });
      expect(after.marginSummary.accountValue).toBe('6000');
      expect(after.crossMarginSummary.accountValue).toBe('5000');
    } finally {
      await hl().control('configure', { takerFeeBps: 4.5 });
    }
  });

  it('counts info weight as the venue does (2 for light requests, 20 for most)', async () => {
    const { user } = await newAccount();
    const before = sim.ctx.weight('hyperliquid').total;
    await post('/info', { type: 'clearinghouseState', user });
    await post('/info', { type: 'allMids' });
    await post('/info', { type: 'meta' });
    await post('/info', { type: 'frontendOpenOrders', user });
    expect(sim.ctx.weight('hyperliquid').total - before).toBe(2 + 2 + 20 + 20);
  });
});

describe('hyperliquid simulator: websocket', () => {
  it('subscribe echoes the subscription and pushes a snapshot; ping, bad subscription, unsubscribe', async () => {
    const { user } = await newAccount(1_234);
    const ws = new WebSocket(`${sim.wsUrl}/hyperliquid/ws`);
    const frames: { channel: string; data: unknown }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as { channel: string; data: unknown }));
    await new Promise((r) => ws.once('open', r));
    const until = async (pred: () => boolean) => {
      for (let i = 0; i < 400 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(pred()).toBe(true);
    };
    try {
      const sub = { type: 'clearinghouseState', user, dex: '' };
      ws.send(JSON.stringify({ method: 'subscribe', subscription: sub }));
      await until(() => frames.some((f) => f.channel === 'clearinghouseState'));
      expect(frames[0]).toEqual({ channel: 'subscriptionResponse', data: { method: 'subscribe', subscription: sub } });
      expect(frames[1]).toMatchObject({ channel: 'clearinghouseState', data: { dex: '', user, clearinghouseState: { marginSummary: { accountValue: '1234' } } } });
      ws.send(JSON.stringify({ method: 'ping' }));
      await until(() => frames.some((f) => f.channel === 'pong'));
      ws.send(JSON.stringify({ method: 'subscribe', subscription: { type: 'nope' } }));
      await until(() => frames.some((f) => f.channel === 'error'));
      ws.send(JSON.stringify({ method: 'unsubscribe', subscription: sub }));
      await until(() => frames.filter((f) => f.channel === 'subscriptionResponse').length === 2);
      expect(await hl().control('subscriptions', {})).toEqual([[]]);
    } finally {
      ws.terminate();
    }
  });

  it('control API refuses bad input with a specific message', async () => {
    await expect(hl().control('createAccount', { address: '0x12' })).rejects.toThrow(/hyperliquid createAccount: address/);
    await expect(hl().control('setPositions', { address: '0x' + '1'.repeat(40), positions: [] })).rejects.toThrow(/no account/);
    await expect(hl().control('bogus', {})).rejects.toThrow(/unknown hyperliquid control action: bogus/);
  });
});

describe('hyperliquid simulator: cash flows (ledger control)', () => {
  it('moves the perp balance, records the entry, answers userNonFundingLedgerUpdates and pushes both channels in the asked order', async () => {
    const { user } = await newAccount(10_000);
    const c = new SimControl(sim.url);
    const ws = new WebSocket(`${sim.wsUrl}/hyperliquid/ws`);
    const frames: { channel: string; data: Record<string, unknown> }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as { channel: string; data: Record<string, unknown> }));
    await new Promise((r) => ws.once('open', r));
    const until = async (pred: () => boolean) => {
      for (let i = 0; i < 400 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(pred()).toBe(true);
    };
    const channels = () => frames.filter((f) => f.channel !== 'subscriptionResponse').map((f) => f.channel);
    const value = (f: { data: Record<string, unknown> }) => (f.data.clearinghouseState as { marginSummary: { accountValue: string } }).marginSummary.accountValue;
    const tick = () => new Promise((r) => setTimeout(r, 5)); // distinct entry times for the window checks
    try {
      ws.send(JSON.stringify({ method: 'subscribe', subscription: { type: 'userNonFundingLedgerUpdates', user } }));
      ws.send(JSON.stringify({ method: 'subscribe', subscription: { type: 'clearinghouseState', user } }));
      await until(() => channels().length === 2);
      expect(frames.find((f) => f.channel === 'userNonFundingLedgerUpdates')!.data).toEqual({ user, nonFundingLedgerUpdates: [], isSnapshot: true });
      frames.length = 0;

      // Withdrawal (default order: ledger push, then the state): the balance drops by usdc + fee.
      const w = await c.hlLedger({ address: user, usdc: -400, fee: 1 });
      expect(w).toMatchObject({ delta: { type: 'withdraw', usdc: '400', fee: '1' }, balanceChange: -401 });
      expect(w.hash).toMatch(/^0x[0-9a-f]{64}$/);
      await until(() => channels().length === 2);
      expect(channels()).toEqual(['userNonFundingLedgerUpdates', 'clearinghouseState']);
      expect(frames[0]!.data).toEqual({ user, nonFundingLedgerUpdates: [{ time: w.time, hash: w.hash, delta: w.delta }] });
      expect(value(frames[1]!)).toBe('9599');
      frames.length = 0;
      await tick();

      // stateFirst: the new state comes before the ledger entry that explains it.
      const d = await c.hlLedger({ address: user, usdc: 250, stateFirst: true, gapMs: 50 });
      expect(d.delta).toEqual({ type: 'deposit', usdc: '250' });
      await until(() => channels().length === 2);
      expect(channels()).toEqual(['clearinghouseState', 'userNonFundingLedgerUpdates']);
      expect(value(frames[0]!)).toBe('9849');
      frames.length = 0;
      await tick();

      // pushLedger false: only the state is pushed; the entry is in the info answer. `user` works for `address`.
      const t = await c.venue<{ time: number; delta: Record<string, unknown> }>('hyperliquid', 'ledger', { user, usdc: -100, type: 'internalTransfer', fee: 1, pushLedger: false });
      expect(t.delta).toMatchObject({ type: 'internalTransfer', usdc: '100', user, fee: '1' });
      await until(() => channels().length === 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(channels()).toEqual(['clearinghouseState']);
      expect(value(frames[0]!)).toBe('9748');

      const all = await post('/info', { type: 'userNonFundingLedgerUpdates', user });
      expect(all.status).toBe(200);
      expect((all.body as { delta: { type: string } }[]).map((e) => e.delta.type)).toEqual(['withdraw', 'deposit', 'internalTransfer']);
      const since = await post('/info', { type: 'userNonFundingLedgerUpdates', user, startTime: d.time });
      expect((since.body as { hash: string }[]).map((e) => e.hash)).toEqual([d.hash, (all.body as { hash: string }[])[2]!.hash]);
      const window = await post('/info', { type: 'userNonFundingLedgerUpdates', user, startTime: 0, endTime: d.time });
      expect((window.body as { hash: string }[]).map((e) => e.hash)).toEqual([w.hash, d.hash]);
      const other = await post('/info', { type: 'userNonFundingLedgerUpdates', user: '0x' + '2'.repeat(40), startTime: 0 });
      expect(other.body).toEqual([]);
    } finally {
      ws.terminate();
    }
  });

  it('refuses a zero amount, a wrong-signed type and an unknown account', async () => {
    const { user } = await newAccount(1_000);
    const c = new SimControl(sim.url);
    await expect(c.hlLedger({ address: user, usdc: 0 })).rejects.toThrow(/usdc is never 0/);
    await expect(c.hlLedger({ address: user, usdc: -5, type: 'deposit' })).rejects.toThrow(/deposit needs usdc > 0/);
    await expect(c.hlLedger({ address: '0x' + '3'.repeat(40), usdc: 5 })).rejects.toBeInstanceOf(SimControlError);
  });
});
