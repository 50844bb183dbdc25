/** The risk loop with in-memory adapters: modes, retries, partial fills, halts, restarts, kill switches, staleness. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import type { Background } from '@/lib/background/service';
import type { Candle } from '@/lib/domain/market';
import type { CashFlow, OpenOrder } from '@/lib/domain/types';
import { InvalidOrderError, RateLimitError } from '@/lib/exchanges/errors';
import type { AdapterConfig } from '@/lib/exchanges/types';
import { request } from '@/lib/messaging/client';
import { accountSetDeadManSwitch } from '@/lib/messaging/account-requests';
import { orderCheck, riskBreak, riskFlatten } from '@/lib/messaging/risk-requests';
import { strategyResetKill } from '@/lib/messaging/strategy-requests';
import type { AccountRow, EnforcementMode } from '@/lib/store/db';
import { RingfenceDb } from '@/lib/store/db';
import { FakeAdapter } from '../helpers/fake-adapter';
import { extensionSender, fakeRuntime, memorySession, testBackground } from '../helpers/fake-runtime';
import { auditRows } from '../helpers/audit-rows';
import { accountRow } from '../helpers/account-row';

const T0 = Date.UTC(2026, 10, 20, 12);
const ADDR = '0x' + 'ab'.repeat(20);

function row(mode: EnforcementMode, over: Partial<AccountRow> = {}): AccountRow {
  return accountRow({ accountId: ADDR, hasSecret: false, mode, createdAt: T0 - 1000, ...over });
}

async function setup(mode: EnforcementMode, opts: { equity?: number; db?: RingfenceDb; clock?: { t: number } } = {}) {
  const db = opts.db ?? new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
  const clock = opts.clock ?? { t: T0 };
  // What the venue reports at connect, and its cash-flow history; a test may change them before a restart.
  // positions: what a new adapter finds open at connect (a restart while the venue still holds them).
  const venue: { equity: number; cashFlows: CashFlow[]; cashFlowFault: Error | number | null; positions: { symbol: string; side: 'long' | 'short'; size: number }[] } = {
    equity: opts.equity ?? 10_000,
    cashFlows: [],
    cashFlowFault: null,
    positions: [],
  };
  const adapters: FakeAdapter[] = [];
  const notes: string[] = [];
  const badges: string[] = [];
  const logs: string[] = [];
  if (!(await db.accounts.get(row(mode).id))) await db.accounts.put(row(mode));
  const make = () =>
    testBackground({
      db,
      session: memorySession(),
      now: () => clock.t,
      supervise: true,
      makeAdapter: (config: AdapterConfig) => {
        const a = new FakeAdapter(config, { equity: venue.equity });
        a.cashFlowHistory = venue.cashFlows;
        a.cashFlowFault = venue.cashFlowFault;
        a.positions = venue.positions.map((p) => a.position(p.symbol, p.side, p.size, 60_000, 60_500));
        adapters.push(a);
        return a;
      },
      notify: (n) => notes.push(`${n.severity}: ${n.title}`),
      setBadge: (b) => badges.push(b.text),
      log: (line) => logs.push(line),
    }).bg;
  let bg: Background = make();
  const ui = fakeRuntime(() => bg, extensionSender('popup.html'));
  await bg.started;
  await vi.waitFor(() => expect(adapters.at(-1)?.connected).toBe(true));
  // The market watch's first pass is over before a test gives the adapter candles: it reads them when the test says.
  await bg.marketStarted;
  await bg.market.refresh();
  const adapter = () => adapters.at(-1)!;
  const settled = () => bg.supervisor.settled();
  const kinds = async () => (await auditRows(db)).map((e) => e.kind);
  const messages = async (kind: string) => (await auditRows(db)).filter((e) => e.kind === kind).map((e) => e.message);
  return {
    db,
    clock,
    venue,
    ui,
    adapters,
    adapter,
    notes,
    badges,
    logs,
    settled,
    kinds,
    messages,
    get bg() {
      return bg;
    },
    async restart() {
      await bg.supervisor.stop();
      bg = make();
      await bg.started;
      await vi.waitFor(() => expect(adapters.at(-1)?.connected).toBe(true));
      return bg;
    },
    /** The worker dies mid-flight: its loop ends where it is (a send in flight is never answered); a new one starts. */
    async crash() {
      const dead = bg;
      void dead.supervisor.stop();
      bg = make();
      await bg.started;
      await vi.waitFor(() => expect(adapters.at(-1)?.connected).toBe(true));
      return dead;
    },
  };
}

/** A sell of 0.01 BTC by hand (strategy manual) with this realised PnL and a $1 fee. */
const manualFill = (id: string, pnl: number, time: number) => ({
  venue: 'hyperliquid' as const,
  accountId: ADDR,
  tradeId: id,
  symbol: 'BTC',
  side: 'sell' as const,
  price: 60_000,
  size: 0.01,
  fee: 1,
  feeAsset: 'USDC',
  realizedPnl: pnl,
  time,
  orderId: `o-${id}`,
  clientOrderId: null,
  strategyId: 'manual',
});

/** A 10x long of 0.08 BTC from 60,000; `mark` moves it. */
async function openLong(s: Awaited<ReturnType<typeof setup>>, mark: number) {
  const a = s.adapter();
  a.positions = [a.position('BTC', 'long', 0.08, 60_000, mark)];
  a.push(s.clock.t);
  await s.settled();
}

describe('risk loop: enforcement modes', () => {
  it('enforce: a breach closes the position once, recorded with its outcome', async () => {
    const s = await setup('enforce', { equity: 20_000 });
    await openLong(s, 60_000);
    expect(s.adapter().closes).toEqual([]);
    s.clock.t += 1000;
    await openLong(s, 55_200); // -8% at 10x: 80% of margin, past the full-close tier
    await vi.waitFor(() => expect(s.adapter().positions).toEqual([]));
    await s.settled();
    expect(s.adapter().closes).toHaveLength(1);
    expect(s.adapter().closes[0]).toMatchObject({ symbol: 'BTC', side: 'long', fraction: 1, maxSlippagePct: 2 });
    expect(s.adapter().closes[0]!.clientOrderId).toMatch(/^rf-[0-9a-f]{16}-1$/);
    expect(await s.messages('action.close')).toEqual([
      'Main: closing all of BTC long (0.08). BTC long: down 80% of margin (8% price move at 10x), limit 50%.',
    ]);
    expect(await s.messages('action.done')).toEqual(['Main: BTC long closed (0.08 filled).']);
    // The symbol's own state shows on the account (the account itself may still be ACTIVE).
    expect(s.bg.viewState().risk.accounts[0]?.symbols).toEqual([
      // The breach opened the symbol's breaker: halted for the 30-minute cooling-off from the breach (T0 + 1 s).
      { symbol: 'BTC', trading: 'HALTED', reason: 'BTC long: down 80% of margin (8% price move at 10x), limit 50%.', until: T0 + 1000 + 30 * 60_000 },
    ]);
    // The loss also fired the strategy's kill switch (KILL on the badge); once that is reset, the halted symbol still shows.
    expect(s.bg.viewState().risk.badge.text).toBe('KILL');
    expect((await request(s.ui.runtime, strategyResetKill, { strategyId: 'manual' })).ok).toBe(true);
    await s.settled();
    expect(s.bg.viewState().risk.badge).toMatchObject({ text: 'WARN', title: 'Ringfence: BTC halted' });
    // Evaluating again with nothing new asks for nothing.
    s.clock.t += 1000;
    s.adapter().push(s.clock.t);
    await s.settled();
    expect(s.adapter().closes).toHaveLength(1);
    await s.bg.supervisor.stop();
  });

  it('guard and monitor: the close is recorded as not sent, and nothing reaches the venue', async () => {
    for (const mode of ['guard', 'monitor'] as const) {
      const s = await setup(mode, { equity: 20_000 });
      await openLong(s, 55_200);
      await s.settled();
      expect(s.adapter().closes).toEqual([]);
      const skipped = await s.messages('action.skipped');
      expect(skipped[0]).toBe(
        `Main: would close BTC long, but the account is in ${mode} mode (only enforce mode acts through the API). BTC long: down 80% of margin (8% price move at 10x), limit 50%.`,
      );
      await s.bg.supervisor.stop();
    }
  });

  it('a per-strategy override wins over the account mode', async () => {
    const s = await setup('enforce', { equity: 20_000 });
    await s.db.settings.put({ key: 'strategy-modes', value: { manual: 'monitor' }, updatedAt: T0 });
    await s.bg.supervisor.reload();
    await openLong(s, 55_200);
    await s.settled();
    expect(s.adapter().closes).toEqual([]);
    expect(await s.kinds()).toContain('action.skipped');
    await s.bg.supervisor.stop();
  });
});

describe('risk loop: retries', () => {
  it('a partly filled close is sent again, under a new id, until flat', async () => {
    const s = await setup('enforce', { equity: 20_000 });
    await openLong(s, 60_000);
    s.adapter().fillCap = 0.03;
    await openLong(s, 55_200);
    await vi.waitFor(() => expect(s.adapter().positions).toEqual([]), { timeout: 5000 });
    await s.settled();
    const closes = s.adapter().closes;
    expect(closes.map((c) => c.sizeBefore.toFixed(2))).toEqual(['0.08', '0.05', '0.02']);
    expect(new Set(closes.map((c) => c.clientOrderId)).size).toBe(3);
    expect(await s.messages('action.partial')).toHaveLength(2);
    expect(await s.messages('action.done')).toEqual(['Main: BTC long closed (0.08 filled).']);
    await s.bg.supervisor.stop();
  });

  it('429s are retried with backoff until the venue accepts', async () => {
    const s = await setup('enforce', { equity: 20_000 });
    await openLong(s, 60_000);
    s.adapter().failNext = 2;
    await openLong(s, 55_200);
    await vi.waitFor(() => expect(s.adapter().positions).toEqual([]), { timeout: 5000 });
    await s.settled();
    expect(await s.messages('action.retry')).toEqual(['Main: closing BTC long failed (fake: 429); retrying with backoff.']);
    expect(await s.kinds()).not.toContain('action.failed');
    await s.bg.supervisor.stop();
  });
});

describe('risk loop: user actions and halts', () => {
  it('take a break halts every account; in enforce mode a position opened elsewhere is closed, the old one kept', async () => {
    const s = await setup('enforce', { equity: 50_000 });
    await openLong(s, 60_500);
    const res = await request(s.ui.runtime, riskBreak, { minutes: 30 });
    expect(res).toEqual({ ok: true, data: { until: s.clock.t + 30 * 60_000 } });
    await s.settled();
    const view = s.bg.viewState().risk;
    expect(view.accounts[0]).toMatchObject({ trading: 'HALTED', coolingUntil: s.clock.t + 30 * 60_000, tradingReason: `Taking a break: nothing opens until 2026-11-20 12:30 UTC.` });
    expect(s.badges.at(-1)).toBe('HALT');
    // A position opened from the phone while halted.
    const a = s.adapter();
    s.clock.t += 1000;
    a.positions = [...a.positions, a.position('ETH', 'short', 1, 3000, 3000, 5)];
    a.push(s.clock.t);
    await vi.waitFor(() => expect(a.positions.map((p) => p.symbol)).toEqual(['BTC']));
    await s.settled();
    expect(a.closes.map((c) => [c.symbol, c.fraction])).toEqual([['ETH', 1]]);
    // An order check while halted is blocked.
    const check = await request(s.ui.runtime, orderCheck, {
      intent: { venue: 'hyperliquid', accountId: null, symbol: 'BTC', side: 'buy', type: 'market', size: 0.01, sizeUnit: 'base', price: null, stopPrice: null, leverage: 5, reduceOnly: false, positionSide: null, strategyId: 'manual' },
    });
    expect(check.ok && check.data.decision).toBe('block');
    expect(check.ok && check.data.reasons[0]?.text).toBe(`Account ${ADDR} (hyperliquid) is halted: only exits and cancels pass.`);
    await s.bg.supervisor.stop();
  });

  it('flatten everything needs the confirmation, closes every position and halts until reset', async () => {
    const s = await setup('monitor', { equity: 50_000 });
    await openLong(s, 60_500);
    const refused = await request(s.ui.runtime, riskFlatten, { confirm: 'yes' as 'FLATTEN' });
    expect(refused.ok).toBe(false);
    expect(s.adapter().closes).toEqual([]);
    const res = await request(s.ui.runtime, riskFlatten, { confirm: 'FLATTEN' });
    expect(res).toEqual({ ok: true, data: { positions: 1, skipped: [] } });
    await vi.waitFor(() => expect(s.adapter().positions).toEqual([]));
    await s.settled();
    expect(s.bg.viewState().risk.accounts[0]?.trading).toBe('HALTED');
    expect(await s.messages('user.flatten')).toEqual(['Flatten everything: closing 1 position and cancelling every order; trading halted until reset.']);
    expect(s.adapter().cancels).toEqual([{}]);
    await s.bg.supervisor.stop();
  });

  it('monitor mode turns an order block into a warning', async () => {
    const s = await setup('monitor', { equity: 50_000 });
    await openLong(s, 60_500);
    await request(s.ui.runtime, riskBreak, { minutes: 10 });
    const check = await request(s.ui.runtime, orderCheck, {
      intent: { venue: 'hyperliquid', accountId: null, symbol: 'BTC', side: 'buy', type: 'market', size: 0.01, sizeUnit: 'base', price: null, stopPrice: null, leverage: 5, reduceOnly: false, positionSide: null, strategyId: 'manual' },
    });
    expect(check.ok && check.data).toMatchObject({ decision: 'warn', mode: 'monitor', note: 'Monitor mode: Ringfence warns but does not block.' });
    await s.bg.supervisor.stop();
  });
});

describe('risk loop: halts and flattens', () => {
  const order = (a: FakeAdapter, id: string, reduceOnly: boolean): OpenOrder => ({
    venue: 'hyperliquid',
    accountId: ADDR,
    orderId: id,
    clientOrderId: null,
    symbol: 'BTC',
    side: reduceOnly ? 'sell' : 'buy',
    type: reduceOnly ? 'stop_market' : 'limit',
    price: reduceOnly ? null : 55_000,
    stopPrice: reduceOnly ? 54_000 : null,
    size: 0.08,
    filled: 0,
    reduceOnly,
    positionSide: null,
    time: a.account.time,
    strategyId: 'manual',
  });
  /** Someone else (a bot, the phone) changes the position: the venue pushes the new size. */
  async function elsewhere(s: Awaited<ReturnType<typeof setup>>, size: number) {
    const a = s.adapter();
    s.clock.t += 1000;
    a.positions = size === 0 ? [] : [a.position('BTC', 'long', size, 60_000, 60_500)];
    a.push(s.clock.t);
    await s.settled();
  }
  const btc = (a: FakeAdapter) => a.positions.map((p) => Math.abs(p.size));

  it('a break taken while an account is still connecting keeps the positions it had: the baseline waits for them', async () => {
    const db = new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
    await db.accounts.put(row('enforce'));
    const clock = { t: T0 };
    let connect!: () => void;
    const slow = new Promise<void>((r) => (connect = r));
    const adapters: FakeAdapter[] = [];
    const { bg } = testBackground({
      db,
      session: memorySession(),
      now: () => clock.t,
      supervise: true,
      makeAdapter: (config: AdapterConfig) => {
        const a = new FakeAdapter(config, { equity: 50_000 });
        a.positions = [a.position('BTC', 'long', 0.08, 60_000, 60_000)];
        const open = a.connect.bind(a);
        a.connect = async () => {
          await slow;
          await open();
        };
        adapters.push(a);
        return a;
      },
    });
    await bg.started;
    const ui = fakeRuntime(() => bg, extensionSender('popup.html'));
    await vi.waitFor(() => expect(adapters).toHaveLength(1));
    expect((await request(ui.runtime, riskBreak, { minutes: 30 })).ok).toBe(true);
    connect();
    const a = adapters[0]!;
    await vi.waitFor(() => expect(a.connected).toBe(true));
    clock.t += 1000;
    await bg.supervisor.heartbeat();
    await bg.supervisor.settled();
    expect(a.closes).toEqual([]);
    // The baseline is the position as it arrived: a bot adding to it is closed back to it.
    clock.t += 1000;
    a.positions = [a.position('BTC', 'long', 0.1, 60_000, 60_000)];
    a.push(clock.t);
    await bg.supervisor.settled();
    expect(btc(a)[0]).toBeCloseTo(0.08, 9);
    expect(a.closes.map((c) => c.fraction)).toEqual([expect.closeTo(0.2, 9)]);
    await bg.supervisor.stop();
  });

  it('while halted, a position enlarged again after it was closed back is closed back again, each time as a new order', async () => {
    const s = await setup('enforce', { equity: 50_000 });
    await openLong(s, 60_500);
    await request(s.ui.runtime, riskBreak, { minutes: 30 });
    await s.settled();
    const a = s.adapter();
    await elsewhere(s, 0.1);
    expect(btc(a)[0]).toBeCloseTo(0.08, 9);
    await elsewhere(s, 0.1);
    expect(btc(a)[0]).toBeCloseTo(0.08, 9);
    expect(a.closes).toHaveLength(2);
    expect(new Set(a.closes.map((c) => c.clientOrderId)).size).toBe(2);
    expect(await s.messages('action.done')).toEqual(['Main: BTC long reduced (0.02 filled).', 'Main: BTC long reduced (0.02 filled).']);
    await s.bg.supervisor.stop();
  });

  it('a halt close is not sent again while the pushes have not caught up with its fill', async () => {
    const s = await setup('enforce', { equity: 50_000 });
    await openLong(s, 60_500);
    await request(s.ui.runtime, riskBreak, { minutes: 30 });
    await s.settled();
    const a = s.adapter();
    const push = a.push.bind(a);
    // The venue's pushes lag: after the fill they still show 0.1 for a while.
    const stale = [a.position('BTC', 'long', 0.1, 60_000, 60_500)];
    a.push = (t) => a.emit({ type: 'positions', positions: stale, time: t });
    a.positions = [...stale];
    a.push(s.clock.t);
    await s.settled();
    expect(a.closes).toHaveLength(1);
    for (let i = 0; i < 4; i++) {
      s.clock.t += 1000;
      await s.bg.supervisor.heartbeat();
      await s.settled();
    }
    expect(a.closes).toHaveLength(1);
    a.push = push;
    a.push(s.clock.t);
    await s.settled();
    expect(a.closes).toHaveLength(1);
    expect(btc(a)[0]).toBeCloseTo(0.08, 9);
    await s.bg.supervisor.stop();
  });

  it('a position reduced by hand while halted may not grow back: the baseline only ever shrinks', async () => {
    const s = await setup('enforce', { equity: 50_000 });
    await openLong(s, 60_500);
    await request(s.ui.runtime, riskBreak, { minutes: 30 });
    await s.settled();
    const a = s.adapter();
    await elsewhere(s, 0.05);
    await elsewhere(s, 0.08);
    expect(btc(a)[0]).toBeCloseTo(0.05, 9);
    await elsewhere(s, 0);
    await elsewhere(s, 0.03);
    expect(a.positions).toEqual([]);
    expect(a.closes.map((c) => c.fraction)).toEqual([expect.closeTo(0.375, 9), 1]);
    await s.bg.supervisor.stop();
  });

  it('after a flatten a position opened again while halted is closed (enforce mode): nothing is to stay open', async () => {
    const s = await setup('enforce', { equity: 50_000 });
    await openLong(s, 60_500);
    await request(s.ui.runtime, riskFlatten, { confirm: 'FLATTEN' });
    await vi.waitFor(() => expect(s.adapter().positions).toEqual([]));
    await s.settled();
    await elsewhere(s, 0.08);
    expect(s.adapter().positions).toEqual([]);
    expect(s.adapter().closes.map((c) => c.fraction)).toEqual([1, 1]);
    expect(s.bg.viewState().risk.accounts[0]?.trading).toBe('HALTED');
    await s.bg.supervisor.stop();
  });

  it('a flatten asked while a close back of the same position waits out a rate limit takes over at once', async () => {
    const s = await setup('enforce', { equity: 50_000 });
    await openLong(s, 60_500);
    await request(s.ui.runtime, riskBreak, { minutes: 30 });
    await s.settled();
    const a = s.adapter();
    const close = a.closePosition.bind(a);
    let refused = false;
    a.closePosition = async (req) => {
      if (!refused) {
        refused = true;
        throw new RateLimitError('fake: 429', { venue: 'hyperliquid', retryAfterMs: 60_000 });
      }
      return close(req);
    };
    s.clock.t += 1000;
    a.positions = [a.position('BTC', 'long', 0.1, 60_000, 60_500)];
    a.push(s.clock.t);
    await vi.waitFor(async () => expect(await s.kinds()).toContain('action.retry'));
    await request(s.ui.runtime, riskFlatten, { confirm: 'FLATTEN' });
    await vi.waitFor(() => expect(a.positions).toEqual([]));
    expect(a.closes.map((c) => c.fraction)).toEqual([1]);
    await vi.waitFor(async () => expect(await s.messages('action.superseded')).toEqual(['Main: BTC long: a larger close takes over (0 filled so far).']));
    await s.bg.supervisor.stop();
  });

  it('a one-way stop placed without the reduce-only flag protects the position: shown as its stop, kept by a flatten until the close', async () => {
    const s = await setup('enforce', { equity: 50_000 });
    await openLong(s, 60_500);
    const a = s.adapter();
    const stop = { ...order(a, 'plain-stop', true), reduceOnly: false };
    for (const o of [order(a, 'entry', false), stop]) {
      a.orders.push(o);
      a.emit({ type: 'order', order: o, status: 'new' });
    }
    await s.settled();
    expect(s.bg.viewState().risk.accounts[0]?.positions[0]?.stopPrice).toBe(54_000);
    const close = a.closePosition.bind(a);
    const cancelsAtClose: (string | undefined)[][] = [];
    a.closePosition = async (req) => {
      cancelsAtClose.push(a.cancels.flatMap((c) => c.orderIds));
      return close(req);
    };
    await request(s.ui.runtime, riskFlatten, { confirm: 'FLATTEN' });
    await vi.waitFor(() => expect(a.positions).toEqual([]));
    await s.settled();
    // While the close was sent only the entry order was gone; the stop went after the position was closed.
    expect(cancelsAtClose[0]).toEqual(['entry']);
    await vi.waitFor(() => expect(a.cancels.flatMap((c) => c.orderIds)).toContain('plain-stop'));
    await s.bg.supervisor.stop();
  });

  it('a flatten cancels entry orders at once, keeps the stops until the positions are closed, and retries a close that failed, with backoff', async () => {
    const s = await setup('monitor', { equity: 50_000 });
    await openLong(s, 60_500);
    const a = s.adapter();
    for (const o of [order(a, 'entry', false), order(a, 'stop', true)]) {
      a.orders.push(o);
      a.emit({ type: 'order', order: o, status: 'new' });
    }
    await s.settled();
    const close = a.closePosition.bind(a);
    let refusals = 2;
    a.closePosition = async (req) => {
      if (refusals-- > 0) throw new InvalidOrderError('fake: refused', { venue: 'hyperliquid' });
      return close(req);
    };
    await request(s.ui.runtime, riskFlatten, { confirm: 'FLATTEN' });
    await s.settled();
    expect(a.cancels).toEqual([{ orderIds: ['entry'] }]);
    expect(await s.messages('action.failed')).toEqual(['Main: could not close BTC long: fake: refused']);
    // Sent again 5 s after the failure, then 10 s after the second one; not on every evaluation in between.
    const times: number[] = [];
    for (let i = 0; i < 16 && a.positions.length > 0; i++) {
      s.clock.t += 1000;
      const before = refusals;
      await s.bg.supervisor.heartbeat();
      await s.settled();
      if (refusals !== before) times.push(i + 1);
    }
    expect(times).toEqual([5, 15]);
    expect(a.positions).toEqual([]);
    expect(a.cancels).toEqual([{ orderIds: ['entry'] }, {}]);
    expect(await s.messages('action.done')).toEqual(['Main: BTC long closed (0.08 filled).']);
    await s.bg.supervisor.stop();
  });

  it('a flatten cut short by the worker dying is resumed after the restart', async () => {
    const s = await setup('monitor', { equity: 50_000 });
    await openLong(s, 60_500);
    // The close never gets an answer: the worker dies with it in flight.
    s.adapter().closePosition = () => new Promise(() => {});
    await request(s.ui.runtime, riskFlatten, { confirm: 'FLATTEN' });
    await vi.waitFor(() => expect(s.kinds()).resolves.toContain('action.close'));
    s.venue.positions = [{ symbol: 'BTC', side: 'long', size: 0.08 }];
    await s.crash();
    const a = s.adapter();
    await vi.waitFor(() => expect(a.positions).toEqual([]));
    await s.settled();
    expect(s.bg.viewState().risk.accounts[0]?.trading).toBe('HALTED');
    expect(a.closes.map((c) => [c.symbol, c.fraction])).toEqual([['BTC', 1]]);
    expect(a.cancels).toEqual([{}]);
    expect(await s.messages('action.done')).toEqual(['Main: BTC long closed (0.08 filled).']);
    await s.bg.supervisor.stop();
  });
});

describe('risk loop: restarts', () => {
  it('after a restart the state, the cooling-off end and the actions taken are exactly as before: nothing is repeated', async () => {
    const clock = { t: T0 };
    // $384 lost on $15,000 is 2.6%: the daily loss emergency halts the account and opens its breaker (cooling-off).
    const s = await setup('enforce', { equity: 15_000, clock });
    await openLong(s, 60_000);
    s.clock.t += 1000;
    await openLong(s, 55_200);
    await vi.waitFor(() => expect(s.adapter().positions).toEqual([]));
    await s.settled();
    const before = s.bg.supervisor.state();
    const coolingBefore = s.bg.viewState().risk.accounts[0]?.coolingUntil;
    expect(coolingBefore).toBeGreaterThan(s.clock.t);
    const closesBefore = s.adapter().closes.length;
    const first = s.adapter();

    await s.restart();
    const second = s.adapter();
    expect(second).not.toBe(first);
    // The venue still reports what it reported: flat, same equity.
    second.account = { ...first.account };
    second.positions = [];
    second.push(s.clock.t);
    await s.settled();
    expect(s.bg.supervisor.state().scopes).toEqual(before.scopes);
    expect(s.bg.viewState().risk.accounts[0]?.coolingUntil).toBe(coolingBefore);
    expect(second.closes).toEqual([]);
    expect(first.closes).toHaveLength(closesBefore);
    expect((await s.messages('action.close')).length).toBe(1);
    await s.bg.supervisor.stop();
  });
});

describe('risk loop: strategies and staleness', () => {
  it('fills add to the strategy total once each; the kill switch marks the row killed; the reset re-arms it', async () => {
    const s = await setup('guard', { equity: 50_000 });
    await openLong(s, 60_000);
    const fill = (id: string, pnl: number) => manualFill(id, pnl, s.clock.t);
    s.adapter().emit({ type: 'fill', fill: fill('t1', -20) });
    s.adapter().emit({ type: 'fill', fill: fill('t1', -20) }); // the same trade again: counted once
    await vi.waitFor(async () => expect((await s.db.strategies.get('manual'))?.totalPnl).toBe(-21));
    s.adapter().emit({ type: 'fill', fill: fill('t2', -40) });
    await vi.waitFor(async () => expect((await s.db.strategies.get('manual'))?.killed).toBe(true));
    await s.settled();
    expect((await s.db.strategies.get('manual'))?.totalPnl).toBe(-62);
    expect(await s.messages('strategy.killed')).toEqual(['Kill switch: strategy manual stopped. Strategy manual is at -$62.00, kill switch at -$50.00.']);
    expect(s.bg.viewState().risk.strategies).toEqual([{ strategyId: 'manual', trading: 'HALTED', killed: true, reason: expect.stringContaining('Strategy manual') }]);
    expect(s.badges.at(-1)).toBe('KILL');

    const reset = await request(s.ui.runtime, strategyResetKill, { strategyId: 'manual' });
    expect(reset.ok).toBe(true);
    await s.settled();
    expect(s.bg.supervisor.state().scopes['strategy:manual']).toBeUndefined();
    expect(s.bg.viewState().risk.strategies).toEqual([]);
    expect(await s.kinds()).toContain('risk.manual_reset');
    await s.bg.supervisor.stop();
  });

  it('silence past the stale limit goes reduce-only with a STALE badge; data flowing again recovers', async () => {
    const s = await setup('guard', { equity: 50_000 });
    await openLong(s, 60_000);
    expect(s.badges.at(-1)).toBe('OK');
    s.clock.t += 31_000;
    await s.bg.supervisor.heartbeat();
    await s.settled();
    expect(s.bg.viewState().risk.accounts[0]).toMatchObject({ status: 'stale', trading: 'REDUCING' });
    expect(s.badges.at(-1)).toBe('STALE');
    s.adapter().push(s.clock.t);
    await s.settled();
    expect(s.bg.viewState().risk.accounts[0]).toMatchObject({ status: 'live', trading: 'ACTIVE' });
    const states = await s.messages('risk.trading_state');
    expect(states.slice(-2)).toEqual([
      expect.stringMatching(/REDUCING/),
      expect.stringMatching(/REDUCING -> ACTIVE/),
    ]);
    await s.bg.supervisor.stop();
  });
});

describe("risk loop: dead-man's switch", () => {
  it('arms on connect, refreshes at a third of its timeout, and turns off when switched off', async () => {
    const db = new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
    await db.accounts.put(row('enforce', { deadManSwitchSec: 60, hasSecret: true }));
    const s = await setup('enforce', { db });
    await vi.waitFor(() => expect(s.adapter().deadMan).toEqual([60_000]));
    s.clock.t += 19_000;
    await s.bg.supervisor.heartbeat();
    expect(s.adapter().deadMan).toEqual([60_000]);
    s.clock.t += 2_000;
    await s.bg.supervisor.heartbeat();
    expect(s.adapter().deadMan).toEqual([60_000, 60_000]);
    const off = await request(s.ui.runtime, accountSetDeadManSwitch, { id: row('enforce').id, seconds: null });
    expect(off.ok && off.data.deadManSwitchSec).toBe(null);
    await vi.waitFor(() => expect(s.adapter().deadMan).toEqual([60_000, 60_000, null]));
    expect(await s.messages('account.deadman')).toEqual(["Hyperliquid account Main: dead-man's switch off."]);
    const tooShort = await request(s.ui.runtime, accountSetDeadManSwitch, { id: row('enforce').id, seconds: 10 });
    expect(tooShort.ok).toBe(false);
    await s.bg.supervisor.stop();
  });
});

describe('risk loop: market data', () => {
  it('ATR % from the market watch reaches the engine: in high volatility a 5x order is over the 3x cap', async () => {
    const s = await setup('guard', { equity: 500_000 });
    // Daily candles swinging 10% of price: ATR far above the 4% high-volatility level.
    const day = 86_400_000;
    const today = Math.floor(s.clock.t / day) * day;
    (s.adapter() as unknown as { fetchCandles: (symbol: string, interval: string) => Promise<Candle[]> }).fetchCandles = async (_symbol, interval) =>
      interval === '1d'
        ? Array.from({ length: 30 }, (_, i) => ({ time: today - (30 - i) * day, open: 60_000, high: 63_000, low: 57_000, close: 60_000, volume: 1 }))
        : [];
    await openLong(s, 60_000);
    const check = () =>
      request(s.ui.runtime, orderCheck, {
        intent: { venue: 'hyperliquid', accountId: null, symbol: 'BTC', side: 'buy', type: 'market', size: 0.01, sizeUnit: 'base', price: null, stopPrice: null, leverage: 5, reduceOnly: false, positionSide: null, strategyId: 'manual' },
      });
    const before = await check();
    expect(before.ok && before.data).toMatchObject({ decision: 'warn', allowed: { maxLeverage: 20 } });
    await s.bg.market.refresh();
    expect(s.bg.market.atrPct().BTC).toBeCloseTo(10, 6);
    const after = await check();
    expect(after.ok && after.data.decision).toBe('block');
    // What would pass: 3x, and a size on the venue's 0.001 lot step (0.17, not 0.16999999999999998).
    expect(after.ok && after.data).toMatchObject({ decision: 'block', allowed: { maxLeverage: 3, maxSize: 0.17 } });
    expect(after.ok && after.data.reasons[0]).toEqual({ level: 'block', code: 'leverage_cap', text: 'Leverage 5x is above the high-volatility cap of 3x.' });
    await s.bg.supervisor.stop();
  });
});

describe('risk loop: measured correlation', () => {
  it('assets the market watch measures as correlated count as one group against the symbol cap: an ETH order within it alone is over it with BTC', async () => {
    const s = await setup('guard', { equity: 100_000 });
    // Hourly closes of BTC and ETH that move together (the same returns): correlation 1, above the 0.8 default.
    const hour = 3_600_000;
    const now = Math.floor(s.clock.t / hour) * hour;
    const walk = Array.from({ length: 200 }, (_, i) => 1 + 0.01 * Math.sin(i * 1.7) + 0.004 * Math.cos(i * 0.31));
    const hourly = (base: number): Candle[] =>
      walk.map((f, i) => ({ time: now - (201 - i) * hour, open: base * f, high: base * f * 1.001, low: base * f * 0.999, close: base * f, volume: 1 }));
    (s.adapter() as unknown as { fetchCandles: (symbol: string, interval: string) => Promise<Candle[]> }).fetchCandles = async (symbol, interval) =>
      interval === '1h' ? hourly(symbol === 'BTC' ? 60_000 : 3_000) : [];
    const a = s.adapter();
    // 12% of equity in BTC, 9% in ETH: each under the 25% symbol cap, 21% together.
    a.positions = [a.position('BTC', 'long', 0.2, 60_000, 60_000), a.position('ETH', 'long', 3, 3_000, 3_000)];
    a.push(s.clock.t);
    await s.settled();
    const check = () =>
      request(s.ui.runtime, orderCheck, {
        intent: { venue: 'hyperliquid', accountId: null, symbol: 'ETH', side: 'buy', type: 'limit', size: 1.5, sizeUnit: 'base', price: 3_000, stopPrice: 2_990, leverage: 5, reduceOnly: false, positionSide: null, strategyId: 'manual' },
      });
    // 4,500 more ETH: 13.5% alone.
    const before = await check();
    expect(before.ok && before.data.reasons.map((r) => r.code)).not.toContain('symbol_exposure');
    await s.bg.market.refresh();
    expect(s.bg.market.correlated(0.8, (x) => x)).toEqual([['BTC', 'ETH']]);
    // With BTC in its group: 25.5% of equity, over the 25% cap.
    const after = await check();
    expect(after.ok && after.data.reasons.find((r) => r.code === 'symbol_exposure')).toEqual({
      level: 'block',
      code: 'symbol_exposure',
      text: 'After this order BTC+ETH exposure would be 25.5% of equity, limit 25%.',
    });
    await s.bg.supervisor.stop();
  });
});

describe('risk loop: what a price tick writes', () => {
  it('mark-only changes rewrite the stored positions at most every 5 s; any other change at once', async () => {
    // Monitor mode: whatever a rule makes of the position, it stays open.
    const s = await setup('monitor', { equity: 20_000 });
    const stored = async () => (await s.db.positions.toArray()).map((p) => ({ size: p.size, markPrice: p.markPrice }));
    // The writes run beside the evaluation: a later read sees them once they are done.
    const writes = vi.spyOn(s.db.positions, 'bulkPut');
    await openLong(s, 60_000);
    await vi.waitFor(async () => expect(await stored()).toEqual([{ size: 0.08, markPrice: 60_000 }]));
    writes.mockClear();
    // Ticks 1 to 4 s later: the mark moved, nothing else. The row keeps the mark written before them.
    for (let i = 1; i <= 4; i++) {
      s.clock.t += 1000;
      await openLong(s, 60_000 - 100 * i);
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(writes).not.toHaveBeenCalled();
    expect(await stored()).toEqual([{ size: 0.08, markPrice: 60_000 }]);
    // 5 s after that write, a tick rewrites it.
    s.clock.t += 1000;
    await openLong(s, 59_500);
    await vi.waitFor(async () => expect(await stored()).toEqual([{ size: 0.08, markPrice: 59_500 }]));
    // A new size is written at once, whatever the time since the last write.
    s.clock.t += 100;
    const a = s.adapter();
    a.positions = [a.position('BTC', 'long', 0.05, 60_000, 59_500)];
    a.push(s.clock.t);
    await s.settled();
    await vi.waitFor(async () => expect(await stored()).toEqual([{ size: 0.05, markPrice: 59_500 }]));
    // And so is a flat account.
    s.clock.t += 100;
    a.positions = [];
    a.push(s.clock.t);
    await s.settled();
    await vi.waitFor(async () => expect(await stored()).toEqual([]));
    expect(writes).toHaveBeenCalledTimes(3);
    await s.bg.supervisor.stop();
  });

  it('a failed positions write does not undo the throttle of a newer write that succeeded', async () => {
    const s = await setup('monitor', { equity: 20_000 });
    const stored = async () => (await s.db.positions.toArray()).map((p) => ({ size: p.size, markPrice: p.markPrice }));
    await openLong(s, 60_000);
    await vi.waitFor(async () => expect(await stored()).toEqual([{ size: 0.08, markPrice: 60_000 }]));
    const writes = vi.spyOn(s.db.positions, 'bulkPut');
    writes.mockRejectedValueOnce(new Error('QuotaExceededError'));
    // Two changes in a row: the first write fails after the second has been started.
    s.clock.t += 100;
    const a = s.adapter();
    a.positions = [a.position('BTC', 'long', 0.05, 60_000, 60_000)];
    a.push(s.clock.t);
    a.positions = [a.position('BTC', 'long', 0.04, 60_000, 60_000)];
    a.push(s.clock.t);
    await s.settled();
    await vi.waitFor(async () => expect(await stored()).toEqual([{ size: 0.04, markPrice: 60_000 }]));
    expect(writes).toHaveBeenCalledTimes(2);
    expect(s.logs.some((l) => l.includes('positions') && l.includes('QuotaExceededError'))).toBe(true);
    // A mark-only tick a second later: the successful write's throttle still holds.
    s.clock.t += 1000;
    a.positions = [a.position('BTC', 'long', 0.04, 60_000, 59_900)];
    a.push(s.clock.t);
    await s.settled();
    await new Promise((r) => setTimeout(r, 50));
    expect(writes).toHaveBeenCalledTimes(2);
    await s.bg.supervisor.stop();
  });

  it('an account removed and added again (same id) starts afresh: its first snapshot and positions are written at once', async () => {
    const s = await setup('monitor', { equity: 20_000 });
    await openLong(s, 60_000);
    await vi.waitFor(async () => expect(await s.db.snapshots.count()).toBe(1));
    const r = (await s.db.accounts.get(row('monitor').id))!;
    await s.db.accounts.delete(r.id);
    await s.bg.supervisor.syncAccounts();
    await s.db.positions.clear();
    s.clock.t += 1000; // within both intervals (snapshots 10 s, mark-only position rows 5 s)
    await s.db.accounts.put(r);
    const before = s.adapters.length;
    await s.bg.supervisor.syncAccounts();
    await vi.waitFor(() => expect(s.adapters.length).toBe(before + 1));
    await vi.waitFor(() => expect(s.adapter().connected).toBe(true));
    await openLong(s, 60_000);
    await vi.waitFor(async () => expect(await s.db.snapshots.count()).toBe(2));
    await vi.waitFor(async () => expect(await s.db.positions.count()).toBe(1));
    await s.bg.supervisor.stop();
  });

  it('reads the stored period starts once per trading day, not on every account update', async () => {
    const s = await setup('monitor', { equity: 20_000 });
    await openLong(s, 60_000);
    const reads = vi.spyOn(s.db.periodStarts, 'bulkGet');
    for (let i = 0; i < 5; i++) {
      s.clock.t += 1000;
      await openLong(s, 60_000 - 10 * i);
    }
    expect(reads).toHaveBeenCalledTimes(0);
    // The next UTC day: the new day's start is read (and, missing, recorded at this update's equity).
    s.clock.t = Date.UTC(2026, 10, 21, 0, 0, 1);
    await openLong(s, 60_000);
    expect(reads).toHaveBeenCalledTimes(1);
    const daily = await s.db.periodStarts.where('account').equals(row('monitor').id).filter((r) => r.period === 'daily').toArray();
    expect(daily.map((r) => r.start).sort((x, y) => x - y)).toEqual([Date.UTC(2026, 10, 20), Date.UTC(2026, 10, 21)]);
    await s.bg.supervisor.stop();
  });
});

describe('risk loop: storage failures', () => {
  /** Every write fails from now on, as Chromium reports a full disk. */
  function refuseWrites(db: RingfenceDb) {
    const quota = () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    // Each table as the code reaches it (db.<name>), not db.tables (other instances).
    for (const { name } of db.tables) {
      const table = (db as unknown as Record<string, Record<'put' | 'add' | 'bulkPut' | 'bulkAdd', () => Promise<unknown>>>)[name]!;
      for (const m of ['put', 'add', 'bulkPut', 'bulkAdd'] as const) vi.spyOn(table, m).mockImplementation(quota);
    }
  }

  it('when the browser refuses every write, a breach still closes the position and the user is told at critical level', async () => {
    const s = await setup('enforce', { equity: 20_000 });
    await openLong(s, 60_000);
    refuseWrites(s.db);
    s.clock.t += 1000;
    await openLong(s, 55_200); // -8% at 10x: 80% of the margin, past the full-close tier (50%)
    await vi.waitFor(() => expect(s.adapter().positions).toEqual([]));
    await s.settled();
    expect(s.adapter().closes).toHaveLength(1);
    expect(s.notes).toContain('critical: Ringfence cannot save its state');
    // The breach itself is still notified, though its audit entry could not be written.
    expect(s.notes.some((n) => n.startsWith('emergency:') || n.startsWith('critical: Critical'))).toBe(true);
    expect(s.logs.some((l) => l.startsWith('[ringfence] storage write failed: The quota has been exceeded.'))).toBe(true);
    await s.bg.supervisor.stop();
  });

  it('fills that cannot be stored still count once each toward the strategy budget: the kill switch fires from memory', async () => {
    const s = await setup('guard', { equity: 50_000 });
    await openLong(s, 60_000);
    refuseWrites(s.db);
    const fill = (id: string, pnl: number) => manualFill(id, pnl, s.clock.t);
    s.adapter().emit({ type: 'fill', fill: fill('t1', -30) });
    s.adapter().emit({ type: 'fill', fill: fill('t1', -30) }); // the same trade again: counted once
    s.adapter().emit({ type: 'fill', fill: fill('t2', -40) });
    await vi.waitFor(() => expect(s.bg.viewState().risk.strategies).toEqual([expect.objectContaining({ strategyId: 'manual', killed: true })]));
    expect(s.notes).toContain('critical: Ringfence cannot save its state');
    await s.bg.supervisor.stop();
  });
});

describe('risk loop: notifications', () => {
  it('a burst of warnings: five show, the rest come out as one summary at the heartbeat once the minute has room', async () => {
    const s = await setup('monitor', { equity: 50_000 });
    const a = s.adapter();
    // Seven positions each $4.50 down: 90% of the $5 per-position stop, a warning each, and one for 7 of 10 positions
    // open: eight warnings in one evaluation.
    a.positions = Array.from({ length: 7 }, (_, i) => a.position(`C${i}`, 'long', 0.01, 60_000, 59_550, 1));
    a.push(s.clock.t);
    await s.settled();
    const warnings = () => s.notes.filter((n) => n.startsWith('warning:'));
    expect(warnings()).toHaveLength(5);
    await s.bg.supervisor.heartbeat();
    expect(warnings()).toHaveLength(5); // the minute is still full
    s.clock.t += 61_000;
    await s.bg.supervisor.heartbeat();
    expect(warnings()).toHaveLength(6);
    expect(warnings()[5]).toBe('warning: 3 more warnings not shown');
    expect(await s.messages('risk.finding')).toHaveLength(8); // every one is in the audit log
    s.clock.t += 61_000;
    await s.bg.supervisor.heartbeat();
    expect(warnings()).toHaveLength(6);
    await s.bg.supervisor.stop();
  });
});

describe('risk loop: cash flows', () => {
  const withdrawal = (t: number) => ({ venue: 'hyperliquid' as const, accountId: ADDR, id: 'w-1', time: t, amount: -4_000, asset: 'USDC', kind: 'withdraw' });
  /** The venue's report of a 4,000 withdrawal: the flow (unless left out), then the lower balance. */
  async function withdraw(s: Awaited<ReturnType<typeof setup>>, withFlow: boolean) {
    s.clock.t += 1000;
    const a = s.adapter();
    if (withFlow) a.emit({ type: 'cashflow', flow: withdrawal(s.clock.t) });
    a.account = { ...a.account, walletBalance: a.account.walletBalance - 4_000 };
    a.push(s.clock.t);
    await s.settled();
  }

  it('a withdrawal reported before its balance is no loss: nothing halts or closes, it is recorded once and kept across a restart', async () => {
    const s = await setup('enforce', { equity: 20_000 });
    await openLong(s, 60_000);
    await withdraw(s, true);
    expect(s.bg.viewState().risk.accounts[0]).toMatchObject({ trading: 'ACTIVE', equity: 16_000, dayPnl: 0, dayLossPct: 0 });
    expect(s.adapter().closes).toEqual([]);
    expect(s.bg.supervisor.state().peaks[`hyperliquid:${ADDR}`]).toBe(16_000);
    const line = 'Hyperliquid account Main: withdrawal of $4,000.00 (USDC, withdraw). Loss limits and drawdown count it as money moved, not as a gain or loss.';
    expect(await s.messages('account.cash_flow')).toEqual([line]);
    // The same flow again (a reconnect reads it once more) is not counted twice.
    s.adapter().emit({ type: 'cashflow', flow: withdrawal(s.clock.t) });
    s.adapter().push(s.clock.t);
    await s.settled();
    expect(s.bg.supervisor.state().cashFlows[`hyperliquid:${ADDR}`]).toHaveLength(1);
    expect(await s.messages('account.cash_flow')).toEqual([line]);

    const first = s.adapter();
    s.venue.equity = 16_000;
    await s.restart();
    const second = s.adapter();
    second.account = { ...first.account };
    second.positions = first.positions;
    second.push(s.clock.t);
    await s.settled();
    expect(s.bg.viewState().risk.accounts[0]?.trading).toBe('ACTIVE');
    expect(second.closes).toEqual([]);
    expect(s.bg.supervisor.state().cashFlows[`hyperliquid:${ADDR}`]?.map((f) => f.id)).toEqual(['w-1']);
    await s.bg.supervisor.stop();
  });

  it('a 40% withdrawal on a day 1.5% down keeps the day 1.5% down: the flow is taken at the balance before it', async () => {
    const s = await setup('enforce', { equity: 20_000 });
    await openLong(s, 60_000);
    const a = s.adapter();
    // 300 realised today: 1.5% of the 20,000 the day started with (a warning, the emergency is at 2%).
    s.clock.t += 1000;
    a.account = { ...a.account, walletBalance: a.account.walletBalance - 300 };
    a.push(s.clock.t);
    await s.settled();
    expect(s.bg.viewState().risk.accounts[0]).toMatchObject({ dayPnl: -300, dayLossPct: 1.5 });
    // Two transfers pushed before the balance that shows both: the second is taken at the balance after the first.
    s.clock.t += 1000;
    a.emit({ type: 'cashflow', flow: { ...withdrawal(s.clock.t), id: 'w-a', amount: -5_000 } });
    a.emit({ type: 'cashflow', flow: { ...withdrawal(s.clock.t), id: 'w-b', amount: -3_000 } });
    a.account = { ...a.account, walletBalance: a.account.walletBalance - 8_000 };
    a.push(s.clock.t);
    await s.settled();
    // Shifted by the 8,000, the start would read 12,000 and the 300 a 2.5% loss: halt and flatten.
    expect(s.bg.viewState().risk.accounts[0]).toMatchObject({ trading: 'ACTIVE', equity: 11_700, dayPnl: -300, dayLossPct: 1.5 });
    expect(a.closes).toEqual([]);
    expect(s.bg.supervisor.state().cashFlows[`hyperliquid:${ADDR}`]?.map((f) => f.before?.equity)).toEqual([19_700, 14_700]);
    await s.bg.supervisor.stop();
  });

  it('a flow arriving after a snapshot as new as itself (a refresh that already shows it) shifts the base instead of scaling it', async () => {
    const s = await setup('enforce', { equity: 20_000 });
    await openLong(s, 60_000);
    const a = s.adapter();
    s.clock.t += 1000;
    // A REST refresh lands between the transfer and its push: the lower balance first, then the flow, in one burst.
    a.account = { ...a.account, walletBalance: a.account.walletBalance - 4_000 };
    a.push(s.clock.t);
    a.emit({ type: 'cashflow', flow: { ...withdrawal(s.clock.t - 10), id: 'w-late' } });
    await s.settled();
    // Scaled by the balance that already showed it, the day would read 33% up; shifted, it is flat.
    expect(s.bg.viewState().risk.accounts[0]).toMatchObject({ trading: 'ACTIVE', equity: 16_000, dayPnl: 0, dayLossPct: 0 });
    expect(s.bg.supervisor.state().cashFlows[`hyperliquid:${ADDR}`]?.[0]?.before).toBeUndefined();
    expect(a.closes).toEqual([]);
    await s.bg.supervisor.stop();
  });

  it('a flow the venue reports with the values before it is taken at those, even after a snapshot that already shows it', async () => {
    const s = await setup('enforce', { equity: 20_000 });
    await openLong(s, 60_000);
    const a = s.adapter();
    s.clock.t += 1000;
    // A REST read lands between the transfer and its push, stamped older than the flow yet showing it (the venue's
    // update time lags): taken from that snapshot, the flow would scale the day's start to 15,000 and read +6.7%.
    a.account = { ...a.account, walletBalance: a.account.walletBalance - 4_000 };
    a.push(s.clock.t - 20);
    a.emit({ type: 'cashflow', flow: withdrawal(s.clock.t), before: { equity: 20_000, walletBalance: 20_000 } });
    a.push(s.clock.t);
    await s.settled();
    expect(s.bg.viewState().risk.accounts[0]).toMatchObject({ trading: 'ACTIVE', equity: 16_000, dayPnl: 0, dayLossPct: 0 });
    expect(s.bg.supervisor.state().cashFlows[`hyperliquid:${ADDR}`]?.[0]?.before).toEqual({ equity: 20_000, walletBalance: 20_000 });
    expect(a.closes).toEqual([]);
    await s.bg.supervisor.stop();
  });

  it('without the flow, the same drop is a 20% daily loss: halted and flattened (what the flow prevents)', async () => {
    const s = await setup('enforce', { equity: 20_000 });
    await openLong(s, 60_000);
    await withdraw(s, false);
    await vi.waitFor(() => expect(s.adapter().positions).toEqual([]));
    await s.settled();
    expect(s.bg.viewState().risk.accounts[0]?.trading).toBe('HALTED');
    await s.bg.supervisor.stop();
  });

  /** A measured account, then Ringfence stops; 4,000 leaves the account while it is not running. */
  async function withdrawWhileStopped(fault: Error | number | null) {
    const s = await setup('enforce', { equity: 20_000 });
    await openLong(s, 60_000);
    const key = `hyperliquid:${ADDR}`;
    const measuredAt = s.bg.supervisor.state().accounts[key]!.at;
    const first = s.adapter();
    s.clock.t += 3_600_000;
    s.venue.equity = 16_000;
    const made = s.clock.t - 60_000;
    s.venue.cashFlows = [{ ...withdrawal(made), id: 'w-down' }];
    s.venue.cashFlowFault = fault;
    await s.restart();
    const second = s.adapter();
    second.positions = first.positions;
    second.push(s.clock.t);
    await s.settled();
    return { s, second, measuredAt, made, key };
  }

  it('a withdrawal made while Ringfence was not running is read from the venue before the account is measured again', async () => {
    // The venue answers after 200 ms: the account's first balance arrives well before it, and waits.
    const { s, second, measuredAt, made, key } = await withdrawWhileStopped(200);
    expect(second.cashFlowReads).toEqual([measuredAt]);
    await vi.waitFor(() => expect(s.bg.supervisor.state().peaks[key]).toBe(16_000));
    await s.settled();
    expect(s.bg.viewState().risk.accounts[0]?.trading).toBe('ACTIVE');
    expect(second.closes).toEqual([]);
    expect(s.bg.supervisor.state().cashFlows[key]).toEqual([expect.objectContaining({ id: 'w-down', at: made })]);
    expect(await s.messages('account.cash_flow')).toEqual([
      `Hyperliquid account Main: withdrawal of $4,000.00 (USDC, withdraw) made ${new Date(made).toISOString().slice(0, 16).replace('T', ' ')} UTC, while Ringfence was not following the account. Loss limits and drawdown count it as money moved, not as a gain or loss.`,
    ]);
    await s.bg.supervisor.stop();
  });

  it('when the history cannot be read, the account is measured as it is and the log says why', async () => {
    const { s, second } = await withdrawWhileStopped(new Error('venue unavailable'));
    await vi.waitFor(() => expect(second.positions).toEqual([]));
    await s.settled();
    expect(s.bg.viewState().risk.accounts[0]?.trading).toBe('HALTED');
    expect(await s.messages('account.cash_flow_unknown')).toEqual([
      'Hyperliquid account Main: could not read the deposits and withdrawals made while Ringfence was not following the account (venue unavailable); limits measure from the balance as it is.',
    ]);
    expect(await s.messages('account.cash_flow')).toEqual([]);
    await s.bg.supervisor.stop();
  });

  it('an account never measured has no history to read', async () => {
    const s = await setup('enforce', { equity: 20_000 });
    expect(s.adapter().cashFlowReads).toEqual([]);
    await s.bg.supervisor.stop();
  });
});
