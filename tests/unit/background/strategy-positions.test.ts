/**
 * The risk loop's strategy bookkeeping with in-memory adapters: positions belong to the strategy whose fills built
 * them (and keep it across a restart), closes book to the position's strategy, fees in another asset, the kill
 * switch's write, and page orders judged as the strategy their symbol rule gives.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import type { Background } from '@/lib/background/service';
import { ATTRIBUTION_KEY } from '@/lib/background/strategies';
import type { AttributionRule } from '@/lib/domain/attribution';
import type { Fill, Strategy } from '@/lib/domain/types';
import type { AdapterConfig } from '@/lib/exchanges/types';
import { request } from '@/lib/messaging/client';
import { orderCheck } from '@/lib/messaging/risk-requests';
import type { AccountRow, EnforcementMode } from '@/lib/store/db';
import { RingfenceDb } from '@/lib/store/db';
import { accountRow as storedAccount } from '../helpers/account-row';
import { auditRows } from '../helpers/audit-rows';
import { FakeAdapter } from '../helpers/fake-adapter';
import { extensionSender, fakeRuntime, memorySession, testBackground } from '../helpers/fake-runtime';
import { strategy } from '../risk/fixtures';

const T0 = Date.UTC(2026, 10, 20, 12);
const ADDR = '0x' + 'ab'.repeat(20);
const CLOID = '0xcc' + '0'.repeat(30);

const accountRow = (mode: EnforcementMode): AccountRow => storedAccount({ accountId: ADDR, hasSecret: false, mode, createdAt: T0 - 1000 });

const strategyRow = (over: Partial<Strategy> & { strategyId: string }): Strategy => strategy({ source: 'Main', ...over });

let seq = 0;
/** A fill as the adapter reports it: strategyId is what the attribution rules gave its client order id. */
const fill = (over: Partial<Fill> & Pick<Fill, 'symbol' | 'side' | 'size' | 'strategyId'>): Fill => ({
  venue: 'hyperliquid',
  accountId: ADDR,
  tradeId: `t${++seq}`,
  price: 2000,
  fee: 0,
  feeAsset: 'USDC',
  realizedPnl: 0,
  time: T0,
  orderId: `o${seq}`,
  clientOrderId: over.strategyId === 'gridA' ? CLOID : null,
  ...over,
});

async function setup(mode: EnforcementMode, opts: { rules?: AttributionRule[]; strategies?: Strategy[]; db?: RingfenceDb } = {}) {
  const db = opts.db ?? new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
  if (!opts.db) {
    await db.accounts.put(accountRow(mode));
    await db.settings.put({ key: ATTRIBUTION_KEY, value: opts.rules ?? [{ strategyId: 'gridA', clientOrderIdPrefix: '0xcc', symbol: null }], updatedAt: T0 });
    for (const s of opts.strategies ?? []) await db.strategies.put(s);
  }
  const clock = { t: T0 };
  const adapters: FakeAdapter[] = [];
  const make = () =>
    testBackground({
      db,
      session: memorySession(),
      now: () => clock.t,
      supervise: true,
      makeAdapter: (config: AdapterConfig) => {
        const a = new FakeAdapter(config, { equity: 50_000 });
        // A restart finds what the venue still holds.
        const prev = adapters.at(-1);
        if (prev) a.positions = prev.positions;
        adapters.push(a);
        return a;
      },
    }).bg;
  let bg: Background = make();
  await bg.started;
  await vi.waitFor(() => expect(adapters.at(-1)?.connected).toBe(true));
  const a = () => adapters.at(-1)!;
  const settled = () => bg.supervisor.settled();
  const total = async (id: string) => (await db.strategies.get(id))?.totalPnl;
  const emit = async (...fs: Fill[]) => {
    for (const f of fs) a().emit({ type: 'fill', fill: f });
    await vi.waitFor(async () => expect(await db.fills.count()).toBeGreaterThanOrEqual(seq > 0 ? 1 : 0));
    await settled();
  };
  const viewPositions = () => bg.viewState().risk.accounts[0]?.positions ?? [];
  return {
    db,
    clock,
    a,
    settled,
    total,
    emit,
    viewPositions,
    get bg() {
      return bg;
    },
    async restart() {
      await bg.supervisor.stop();
      bg = make();
      await bg.started;
      await vi.waitFor(() => expect(adapters.at(-1)?.connected).toBe(true));
      await settled();
    },
  };
}

/** Waits until every emitted fill is recorded (they go through one queue). */
async function recorded(s: Awaited<ReturnType<typeof setup>>, n: number) {
  await vi.waitFor(async () => expect(await s.db.fills.count()).toBe(n));
  await s.settled();
}

describe('positions belong to the strategy whose fills built them', () => {
  it("a bot's position counts toward the bot: its kill switch fires (not manual's) and closes it; the close books to the bot", async () => {
    const s = await setup('enforce', { strategies: [strategyRow({ strategyId: 'gridA', stopLossUsd: 200, maxDrawdownUsd: 50 })] });
    // gridA realised -$40 earlier, then opened 0.5 ETH long (client order id 0xcc...).
    s.a().emit({ type: 'fill', fill: fill({ symbol: 'ETH', side: 'buy', size: 0.1, strategyId: 'gridA', closing: false }) });
    s.a().emit({ type: 'fill', fill: fill({ symbol: 'ETH', side: 'sell', size: 0.1, strategyId: 'gridA', closing: true, realizedPnl: -40 }) });
    s.a().emit({ type: 'fill', fill: fill({ symbol: 'ETH', side: 'buy', size: 0.5, strategyId: 'gridA', closing: false }) });
    await recorded(s, 3);
    expect(await s.total('gridA')).toBe(-40);
    // The venue reports the position at -$100 (1x: no other limit is near).
    s.a().positions = [s.a().position('ETH', 'long', 0.5, 2000, 1800, 1)];
    s.a().push(s.clock.t);
    await vi.waitFor(async () => expect((await s.db.strategies.get('gridA'))?.killed).toBe(true));
    await s.settled();
    expect((await s.db.strategies.get('manual'))?.killed ?? false).toBe(false);
    expect(s.bg.supervisor.state().scopes['strategy:manual']).toBeUndefined();
    // gridA's kill switch closed gridA's position.
    await vi.waitFor(() => expect(s.a().closes.map((c) => `${c.symbol} ${c.side} ${c.fraction}`)).toEqual(['ETH long 1']));
    // The close (Ringfence's order: no bot id, so attributed manual) books its realised loss to gridA.
    s.a().emit({ type: 'fill', fill: fill({ symbol: 'ETH', side: 'sell', size: 0.5, strategyId: 'manual', closing: true, realizedPnl: -100, fee: 0.5 }) });
    await recorded(s, 4);
    expect(await s.total('gridA')).toBe(-140.5);
    expect((await s.db.strategies.get('manual'))?.totalPnl ?? 0).toBe(0);
    await s.bg.supervisor.stop();
  });

  it("the bot's own stop loss applies to its position, not manual's $5; a per-strategy mode reaches it", async () => {
    const s = await setup('enforce', { strategies: [strategyRow({ strategyId: 'gridA', stopLossUsd: 200, maxDrawdownUsd: 500 })] });
    await s.emit(fill({ symbol: 'ETH', side: 'buy', size: 0.5, strategyId: 'gridA', closing: false }));
    await recorded(s, 1);
    s.a().positions = [s.a().position('ETH', 'long', 0.5, 2000, 1980, 1)];
    s.a().push(s.clock.t);
    await s.settled();
    expect(s.viewPositions().map((p) => [p.symbol, p.strategyId])).toEqual([['ETH', 'gridA']]);
    // -$10: far inside gridA's $200 stop (manual's $5 would close it).
    expect(s.a().closes).toEqual([]);
    expect((await s.db.positions.toArray()).map((p) => p.strategyId)).toEqual(['gridA']);
    await s.bg.supervisor.stop();
  });

  it('a manual close of a bot position books to the bot; a position the book does not know is manual; the owner survives a restart', async () => {
    const s = await setup('guard');
    await s.emit(fill({ symbol: 'ETH', side: 'buy', size: 0.5, strategyId: 'gridA', closing: false }));
    await recorded(s, 1);
    s.a().positions = [s.a().position('ETH', 'long', 0.5, 2000, 2000, 1), s.a().position('BTC', 'long', 0.01, 60_000, 60_000, 1)];
    s.a().push(s.clock.t);
    await s.settled();
    expect(s.viewPositions().map((p) => [p.symbol, p.strategyId])).toEqual([['ETH', 'gridA'], ['BTC', 'manual']]);

    s.clock.t += 60_000;
    await s.restart();
    expect(s.viewPositions().map((p) => [p.symbol, p.strategyId])).toEqual([['ETH', 'gridA'], ['BTC', 'manual']]);

    // Closed by hand: the realised PnL is gridA's.
    await s.emit(fill({ symbol: 'ETH', side: 'sell', size: 0.2, strategyId: 'manual', closing: true, realizedPnl: 12, fee: 1 }));
    await recorded(s, 2);
    expect(await s.total('gridA')).toBe(11);
    expect(await s.db.strategies.get('manual')).toBeUndefined();
    await s.bg.supervisor.stop();
  });

  it('two strategies in one one-way position: the larger share takes it, and the activity log says so once', async () => {
    const s = await setup('guard');
    s.a().emit({ type: 'fill', fill: fill({ symbol: 'ETH', side: 'buy', size: 0.1, strategyId: 'manual', closing: false }) });
    s.a().emit({ type: 'fill', fill: fill({ symbol: 'ETH', side: 'buy', size: 0.3, strategyId: 'gridA', closing: false }) });
    await recorded(s, 2);
    s.a().positions = [s.a().position('ETH', 'long', 0.4, 2000, 2000, 1)];
    s.a().push(s.clock.t);
    await s.settled();
    expect(s.viewPositions().map((p) => p.strategyId)).toEqual(['gridA']);
    const said = (await auditRows(s.db)).filter((r) => r.kind === 'strategy.position_shared').map((r) => r.message);
    expect(said).toEqual([expect.stringContaining('ETH long is held by more than one strategy (gridA 0.3, manual 0.1). It counts as gridA')]);
    // gridA closes its own share: what is left is manual's.
    await s.emit(fill({ symbol: 'ETH', side: 'sell', size: 0.3, strategyId: 'gridA', closing: true, realizedPnl: 3 }));
    await recorded(s, 3);
    s.a().positions = [s.a().position('ETH', 'long', 0.1, 2000, 2000, 1)];
    s.a().push(s.clock.t);
    await s.settled();
    expect(s.viewPositions().map((p) => p.strategyId)).toEqual(['manual']);
    expect(await s.total('gridA')).toBe(3);
    await s.bg.supervisor.stop();
  });
});

describe('fees in another asset', () => {
  it('a BNB fee is valued at the BNBUSDT mark when one is watched, else left out and said so, never taken as dollars', async () => {
    const s = await setup('guard', { rules: [] });
    await s.emit(fill({ symbol: 'BTC', side: 'sell', size: 0.1, strategyId: 'manual', closing: true, realizedPnl: 5, fee: 0.01, feeAsset: 'BNB' }));
    await recorded(s, 1);
    expect(await s.total('manual')).toBe(5);
    const said = (await auditRows(s.db)).filter((r) => r.kind === 'strategy.fee_unconverted').map((r) => r.message);
    expect(said).toEqual(["Main: the fee of 0.01 BNB on BTC (trade t" + seq + ") is not in strategy manual's PnL: no BNB price is known to value it. Its realized PnL is."]);
    // A mark of the fee's coin (Hyperliquid: the coin itself) values the next one.
    s.a().emit({ type: 'mark', mark: { venue: 'hyperliquid', symbol: 'BNB', price: 600, time: T0 } });
    await s.emit(fill({ symbol: 'BTC', side: 'sell', size: 0.1, strategyId: 'manual', closing: true, realizedPnl: 5, fee: 0.01, feeAsset: 'BNB' }));
    await recorded(s, 2);
    expect(await s.total('manual')).toBeCloseTo(5 + 5 - 6, 9);
    await s.bg.supervisor.stop();
  });
});

describe('the kill switch write', () => {
  it('sets only the killed flag: a fill total committed at the same moment stays', async () => {
    const s = await setup('guard', { rules: [] });
    await s.emit(fill({ symbol: 'ETH', side: 'sell', size: 0.1, strategyId: 'manual', closing: true, realizedPnl: -45, fee: 1 }));
    await recorded(s, 1);
    const orig = s.db.strategies.toArray.bind(s.db.strategies);
    vi.spyOn(s.db.strategies, 'toArray').mockImplementation((async () => {
      await new Promise((r) => setTimeout(r, 300));
      return orig();
    }) as never);
    s.a().positions = [s.a().position('BTC', 'long', 0.01, 60_000, 59_000, 1)];
    s.a().push(s.clock.t);
    s.a().emit({ type: 'fill', fill: fill({ symbol: 'ETH', side: 'sell', size: 0.1, strategyId: 'manual', closing: true, realizedPnl: -20 }) });
    await new Promise((r) => setTimeout(r, 1000));
    await s.settled();
    const row = await s.db.strategies.get('manual');
    expect(row?.killed).toBe(true);
    expect(row?.totalPnl).toBe(-66);
    await s.bg.supervisor.stop();
  });
});

describe('page orders', () => {
  it('an order on a symbol a symbol rule gives to a bot is checked as that bot: killed or disabled blocks it', async () => {
    const s = await setup('guard', {
      rules: [{ strategyId: 'btc-bot', clientOrderIdPrefix: null, symbol: 'BTC' }],
      strategies: [strategyRow({ strategyId: 'btc-bot', killed: true, enabled: false })],
    });
    const ui = fakeRuntime(() => s.bg, extensionSender('options.html')).runtime;
    s.a().positions = [s.a().position('BTC', 'long', 0.01, 60_000, 60_000)];
    s.a().push(s.clock.t);
    await s.settled();
    const intent = { venue: 'hyperliquid' as const, accountId: null, symbol: 'BTC', side: 'buy' as const, type: 'market' as const, size: 0.01, sizeUnit: 'base' as const, price: null, stopPrice: null, leverage: 5, reduceOnly: false, positionSide: null, strategyId: 'manual' };
    const res = await request(ui, orderCheck, { intent });
    expect(res.ok && res.data.decision).toBe('block');
    expect(res.ok && res.data.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['strategy_killed', 'strategy_disabled']));
    // ETH has no rule: manual, enabled.
    const eth = await request(ui, orderCheck, { intent: { ...intent, symbol: 'ETH', size: 0.001 } });
    expect(eth.ok && eth.data.reasons.map((r) => r.code)).not.toContain('strategy_killed');
    await s.bg.supervisor.stop();
  });
});
