/**
 * Hyperliquid cash flows end to end against the simulator: a deposit or withdrawal comes out of the adapter as one
 * 'cashflow' event, before the 'account' event that shows the new balance, whichever channel the venue pushes first
 * and when only the REST ledger read can see it. Waits are event-driven; nothing asserts a duration.
 */
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { WebSocket as NodeWebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HyperliquidAdapter, type HyperliquidAdapterOptions } from '../../lib/exchanges/hyperliquid/adapter';
import type { AdapterEvent } from '../../lib/exchanges/types';
import { SimControl, type HlLedgerInput } from '../simulator/control-client';
import { createSimulator, type Simulator } from '../simulator/server';

const g = globalThis as { WebSocket?: unknown };
if (typeof g.WebSocket === 'undefined') g.WebSocket = NodeWebSocket;

let sim: Simulator;
let control: SimControl;
const adapters: HyperliquidAdapter[] = [];

beforeAll(async () => {
  sim = await createSimulator({ port: 0, prices: { source: 'manual', tickMs: 250 } });
  control = new SimControl(sim.url);
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  for (const a of adapters.splice(0)) await a.disconnect();
  sim.ctx.clearFaults();
});

const hl = () => sim.venues.hyperliquid;

async function waitFor(cond: () => boolean, timeoutMs = 8_000): Promise<void> {
  for (let waited = 0; !cond(); waited += 20) {
    if (waited > timeoutMs) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 20));
  }
}
/** How many userNonFundingLedgerUpdates info requests the simulator has answered. */
const reads = async () => ((await hl().control('calls', {})) as Record<string, number>).userNonFundingLedgerUpdates ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fresh account with 100,000 USDC, an adapter on it recording every event, connected, its first account seen. */
async function connected(options: HyperliquidAdapterOptions = {}, before?: (user: string) => Promise<unknown>) {
  const user = privateKeyToAccount(generatePrivateKey()).address;
  await hl().control('createAccount', { address: user, balance: 100_000 });
  await before?.(user);
  const a = new HyperliquidAdapter(
    {
      accountId: 'hl-cash',
      endpoints: { network: 'custom', restUrl: `${sim.url}/hyperliquid`, wsUrl: `${sim.wsUrl}/hyperliquid/ws` },
      credentials: { venue: 'hyperliquid', address: user },
    },
    { dexes: [], backoffBaseMs: 20, backoffMaxMs: 100, maxRetries: 1, reconnectDelay: () => 50, ...options },
  );
  adapters.push(a);
  const events: AdapterEvent[] = [];
  a.subscribe((e) => events.push(e));
  await a.connect();
  await waitFor(() => events.some((e) => e.type === 'account'));
  return { a, user, events };
}

const flows = (events: AdapterEvent[]) => events.flatMap((e) => (e.type === 'cashflow' ? [e.flow] : []));
const accountIndex = (events: AdapterEvent[], equity: number) => events.findIndex((e) => e.type === 'account' && e.account.equity === equity);

/** Scripts the movement, waits for the account event showing `equity`, then a little more for a duplicate. */
async function move(events: AdapterEvent[], input: HlLedgerInput, equity: number) {
  const from = events.length;
  await control.hlLedger(input);
  await waitFor(() => accountIndex(events, equity) >= 0);
  await sleep(300);
  return events.slice(from);
}

/** Exactly one flow of `amount`, and it comes before the first account event showing `equity`. */
function expectFlowFirst(events: AdapterEvent[], amount: number, equity: number, kind: string) {
  expect(flows(events)).toHaveLength(1);
  expect(flows(events)[0]).toMatchObject({ venue: 'hyperliquid', accountId: 'hl-cash', amount, asset: 'USDC', kind });
  const flowAt = events.findIndex((e) => e.type === 'cashflow');
  const accountAt = accountIndex(events, equity);
  expect(accountAt).toBeGreaterThan(flowAt);
  // The new balance never shows before the flow.
  expect(events.slice(0, flowAt).some((e) => e.type === 'account' && e.account.equity === equity)).toBe(false);
}

describe('hyperliquid adapter: cash flows before the balance', () => {
  it('a withdrawal of 400 (ledger pushed first): one cashflow of -400, then the account at 99,600', async () => {
    const { user, events } = await connected();
    const after = await move(events, { address: user, usdc: -400 }, 99_600);
    expectFlowFirst(after, -400, 99_600, 'withdraw');
  });

  it('a withdrawal of 400 when the venue pushes the new balance 300 ms before the ledger entry', async () => {
    const { user, events } = await connected();
    const before = await reads();
    const after = await move(events, { address: user, usdc: -400, stateFirst: true, gapMs: 300 }, 99_600);
    expectFlowFirst(after, -400, 99_600, 'withdraw');
    // The REST read found it; the push that came later was recognised and not emitted again.
    expect(await reads()).toBe(before + 1);
  });

  it('both pushes at once, the balance first: still one flow, before the balance', async () => {
    const { user, events } = await connected();
    const after = await move(events, { address: user, usdc: -400, stateFirst: true }, 99_600);
    expectFlowFirst(after, -400, 99_600, 'withdraw');
  });

  it('a withdrawal only the REST ledger read can see (never pushed): still before the balance', async () => {
    const { user, events } = await connected();
    const before = await reads();
    const after = await move(events, { address: user, usdc: -400, stateFirst: true, pushLedger: false }, 99_600);
    expectFlowFirst(after, -400, 99_600, 'withdraw');
    expect(await reads()).toBe(before + 1);
  });

  it('a deposit of 400, either order: one cashflow of +400 before the account at 100,400', async () => {
    const { user, events } = await connected();
    expectFlowFirst(await move(events, { address: user, usdc: 400, stateFirst: true, gapMs: 300 }, 100_400), 400, 100_400, 'deposit');
    expectFlowFirst(await move(events, { address: user, usdc: 400 }, 100_800), 400, 100_800, 'deposit');
  });

  it('a withdrawal fee is part of the flow; a transfer out to spot is a flow too', async () => {
    const { user, events } = await connected();
    expectFlowFirst(await move(events, { address: user, usdc: -400, fee: 1, stateFirst: true, gapMs: 100 }, 99_599), -401, 99_599, 'withdraw');
    expectFlowFirst(await move(events, { address: user, usdc: -99, type: 'accountClassTransfer' }, 99_500), -99, 99_500, 'accountClassTransfer');
  });

  it('a flow already in the balance at connect is history: not emitted', async () => {
    const { user, events } = await connected({}, (u) => control.hlLedger({ address: u, usdc: -400 }));
    expect(events.find((e) => e.type === 'account')).toMatchObject({ account: { equity: 99_600 } });
    const after = await move(events, { address: user, usdc: 50 }, 99_650);
    expect(flows(events).map((f) => f.amount)).toEqual([50]);
    expectFlowFirst(after, 50, 99_650, 'deposit');
  });

  it('a withdrawal made while the socket was down comes out after the reconnect, before the lower balance', async () => {
    const { a, user, events } = await connected();
    const reopened = events.length;
    hl().dropConnections();
    await control.hlLedger({ address: user, usdc: -400 });
    const from = events.length;
    await waitFor(() => events.slice(reopened).some((e) => e.type === 'connection' && e.state === 'open'));
    await waitFor(() => accountIndex(events, 99_600) >= 0);
    await sleep(300);
    expectFlowFirst(events.slice(from), -400, 99_600, 'withdraw');
    expect(a.stats().reconnects).toBeGreaterThanOrEqual(1);
  });

  it('when the ledger read fails, the account event still goes out (with an error), and nothing is invented', async () => {
    const { user, events } = await connected({ ledgerWaitMs: 500 });
    await control.faults({ http: [{ status: 500, count: 10, pathPrefix: '/hyperliquid/info' }] });
    const after = await move(events, { address: user, usdc: -400, stateFirst: true, pushLedger: false }, 99_600);
    expect(flows(after)).toEqual([]);
    expect(after.some((e) => e.type === 'error')).toBe(true);
  });

  it('a fill moves cash without a ledger read', async () => {
    const { user, events } = await connected();
    sim.ctx.prices.setPrice('hyperliquid', 'ETH', 3_000);
    const before = await reads();
    await hl().control('trade', { address: user, coin: 'ETH', side: 'buy', size: 1, price: 3_000 });
    await waitFor(() => events.some((e) => e.type === 'fill'));
    await waitFor(() => events.some((e) => e.type === 'positions' && e.positions.length === 1));
    await sleep(200);
    expect(await reads()).toBe(before);
    expect(flows(events)).toEqual([]);
  });
});

describe('hyperliquid adapter: fetchCashFlows (the ledger from `since` on)', () => {
  /** A fresh account and an adapter that is not connected (a cold start, before connect). */
  async function idle() {
    const user = privateKeyToAccount(generatePrivateKey()).address;
    await hl().control('createAccount', { address: user, balance: 100_000 });
    const a = new HyperliquidAdapter(
      {
        accountId: 'hl-cash',
        endpoints: { network: 'custom', restUrl: `${sim.url}/hyperliquid`, wsUrl: `${sim.wsUrl}/hyperliquid/ws` },
        credentials: { venue: 'hyperliquid', address: user },
      },
      { dexes: [], backoffBaseMs: 20, backoffMaxMs: 100, maxRetries: 1 },
    );
    adapters.push(a);
    return { a, user };
  }

  it('returns the flows made before the adapter existed, from `since` on, oldest first, with their amounts; not one made before', async () => {
    const { a, user } = await idle();
    const before = await control.hlLedger({ address: user, usdc: -400 });
    await sleep(5);
    const dep = await control.hlLedger({ address: user, usdc: 250 });
    await sleep(5);
    const out = await control.hlLedger({ address: user, usdc: -100, type: 'internalTransfer', fee: 1 });
    const got = await a.fetchCashFlows(before.time + 1);
    expect(got.map((f) => [f.amount, f.kind, f.time])).toEqual([
      [250, 'deposit', dep.time],
      [-101, 'internalTransfer', out.time],
    ]);
    expect(got.every((f) => f.venue === 'hyperliquid' && f.accountId === 'hl-cash' && f.asset === 'USDC')).toBe(true);
    expect((await a.fetchCashFlows(0)).map((f) => f.amount)).toEqual([-400, 250, -101]);
  });

  it('gives a flow the id the stream gave it, and emits nothing', async () => {
    const { a, user, events } = await connected();
    await move(events, { address: user, usdc: -400 }, 99_600);
    const streamed = flows(events);
    expect(streamed).toHaveLength(1);
    const n = events.length;
    expect(await a.fetchCashFlows(0)).toEqual(streamed);
    await sleep(100);
    expect(events.slice(n).filter((e) => e.type === 'cashflow')).toEqual([]);
  });

  it('leaves the live dedupe alone: a flow it returned while the socket was down is still emitted after the reconnect', async () => {
    const { a, user, events } = await connected({ reconnectDelay: () => 600 });
    hl().dropConnections();
    const entry = await control.hlLedger({ address: user, usdc: -400 });
    const from = events.length;
    // Read while the socket is still down: the live path has not seen the entry yet.
    expect((await a.fetchCashFlows(entry.time)).map((f) => f.amount)).toEqual([-400]);
    await waitFor(() => accountIndex(events, 99_600) >= 0);
    await sleep(300);
    expectFlowFirst(events.slice(from), -400, 99_600, 'withdraw');
  });

  it('reads on past a full page of 500 entries, from the newest entry time, without doubles', async () => {
    const { a, user } = await idle();
    const base = Date.now() - 3_600_000;
    await control.hlLedger({ address: user, usdc: 1, time: base, count: 1_200, everyMs: 1, pushLedger: false });
    const calls = await reads();
    const got = await a.fetchCashFlows(base + 100);
    expect(got).toHaveLength(1_100);
    expect(new Set(got.map((f) => f.id)).size).toBe(1_100);
    expect(got[0]!.time).toBe(base + 100);
    expect(got[got.length - 1]!.time).toBe(base + 1_199);
    expect(got.map((f) => f.time)).toEqual([...got.map((f) => f.time)].sort((x, y) => x - y));
    // 500 (base+100..599), 500 (599..1098), 102 (1098..1199).
    expect((await reads()) - calls).toBe(3);
  });
});
