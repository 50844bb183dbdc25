/**
 * The page's verdict from the background's envelope equals validate() + the formatter on the full state (the verdict
 * the page computed before the envelope, tests/unit/pages/guard-reference.ts): for random orders and states, the
 * decision, every reason (level, code, category, rule, text, detail), what would pass, the policy and the note.
 * Both sides get their input through JSON, as the background pushes it. Both get the same per-symbol ATR % (some above
 * the high-volatility level, some missing) and trading rules (lot steps, minimum order values, venue maximum leverage).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InstrumentRules, Position, Strategy } from '@/lib/domain/types';
import type { AccountRisk, RiskView } from '@/lib/messaging/risk-view';
import { emptyRiskView } from '@/lib/messaging/risk-view';
import { BLOCK_CATEGORIES } from '@/lib/pages/guard-override';
import { guardVerdict, STALE_EXIT } from '@/lib/pages/guard-verdict';
import type { OrderReading } from '@/lib/pages/types';
import type { AccountView } from '@/lib/risk/context';
import { buildEnvelope, type GateCategory } from '@/lib/risk/envelope';
import { parseRiskSettings, type RiskSettings, type RiskSettingsInput } from '@/lib/risk/settings';
import type { AccountSummary, Hold, ScopeState } from '@/lib/risk/state';
import type { BreakerState, GateScope, RiskReason, TradingState } from '@/lib/risk/types';
import { account, MIN, NOW, position } from '../risk/fixtures';
import { referenceVerdict, type RiskView as ReferenceRiskView } from './guard-reference';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'ETHBTC', 'DOGEUSDC', 'xyz:ETH'];
const KEY = 'binance:main';

const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const money = fc.oneof(fc.constantFrom(0, 1, 10, 100, 1000, 10_000), fc.double({ min: 0.01, max: 200_000, noNaN: true }));
const price = fc.oneof(fc.constantFrom(100, 99, 101, 97_000), fc.double({ min: 0.001, max: 120_000, noNaN: true }));
const size = fc.oneof(fc.constantFrom(0.5, 1, 2, 0.001, 15_000), fc.double({ min: 0.0001, max: 20_000, noNaN: true }));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });

const settingsArb: fc.Arbitrary<RiskSettings> = fc
  .record(
    {
      mode: fc.constantFrom('auto', 'normal', 'conservative', 'emergency'),
      limitPct: fc.constantFrom(20, 50, 150, 400),
      warnShare: fc.constantFrom(0.5, 0.8, 0.9),
      symShare: fc.constantFrom(0.25, 0.5, 1),
      groups: fc.constantFrom([], [['BTC', 'ETH']], [['eth', 'sol', 'doge']]),
      posLimit: fc.integer({ min: 2, max: 4 }),
      minBalance: fc.constantFrom(0, 10, 5000),
      probe: fc.constantFrom(25, 50, 100),
      windowMin: fc.constantFrom(5, 15, 120),
      sizeMultiple: fc.constantFrom(1, 1.5, 3),
      perHour: fc.integer({ min: 1, max: 12 }),
      perDay: fc.integer({ min: 1, max: 40 }),
      perMinute: fc.integer({ min: 1, max: 6 }),
      dupSec: fc.constantFrom(0, 5, 60),
      maxLoss: fc.constantFrom(0.5, 1, 3),
      riskPerTrade: fc.constantFrom(0.5, 1, 5),
      stopLoss: fc.constantFrom(5, 50, 500),
      enabled: fc.boolean(),
      stale: fc.constantFrom(10, 30, 120),
      countdown: fc.constantFrom(3, 10),
      policy: fc.constantFrom('never', 'countdown', 'typed'),
      hvAtr: fc.constantFrom(2, 4, 6),
      hvLev: fc.constantFrom(2, 3, 8),
    },
    { requiredKeys: [] },
  )
  .map((r) => {
    const limitPct = r.limitPct ?? 50;
    const input: RiskSettingsInput = {
      account: {
        exposure: { limitPct, warningPct: Math.min(100, limitPct * (r.warnShare ?? 0.8)), symbolLimitPct: limitPct * (r.symShare ?? 0.5) },
        correlationGroups: r.groups ?? [],
        positionCount: { warning: 1, limit: r.posLimit ?? 10 },
        minBalanceUsd: r.minBalance ?? 10,
      },
      leverage: { mode: r.mode ?? 'auto', highVolatility: { atrPct: r.hvAtr ?? 4, maxLeverage: r.hvLev ?? 3 } },
      behaviour: {
        probeSizePct: r.probe ?? 50,
        revenge: { windowMin: r.windowMin ?? 15, sizeMultiple: r.sizeMultiple ?? 1 },
        maxTradesPerHour: r.perHour ?? 10,
        maxTradesPerDay: Math.max(r.perDay ?? 40, r.perHour ?? 10),
        maxOrdersPerMinute: r.perMinute ?? 6,
        duplicateWindowSec: r.dupSec ?? 5,
      },
      strategyDefaults: { riskPerTradePct: r.riskPerTrade ?? 1, stopLossUsd: r.stopLoss ?? 5, enabled: r.enabled ?? true },
      sizing: { maxLossAtStopPct: r.maxLoss ?? 1 },
      data: { staleAfterSec: r.stale ?? 30 },
      guard: { countdownSec: r.countdown ?? 10, policy: { leverageCap: r.policy ?? 'typed' } },
    } as RiskSettingsInput;
    return parseRiskSettings(input);
  });

const positionArb: fc.Arbitrary<Position> = fc
  .record({
    symbol: fc.constantFrom(...SYMBOLS),
    side: fc.constantFrom('long' as const, 'short' as const),
    qty: fc.oneof(fc.constant(0), size),
    entry: price,
    mark: maybe(price),
    leverage: fc.constantFrom(1, 5, 10, 20, 50),
  })
  .map((p) => position({ symbol: p.symbol, side: p.side, size: p.side === 'long' ? p.qty : -p.qty, entryPrice: p.entry, markPrice: p.mark, leverage: p.leverage }));

const atrArb = fc.dictionary(fc.constantFrom(...SYMBOLS), fc.oneof(fc.constantFrom(0.5, 2, 4, 6, 12), fc.double({ min: 0.01, max: 20, noNaN: true })), { maxKeys: 6 });
const instrumentsArb: fc.Arbitrary<Record<string, InstrumentRules>> = fc
  .dictionary(
    fc.constantFrom(...SYMBOLS),
    fc.record({
      lotStep: fc.constantFrom(0.001, 0.1, 1, 1e-5),
      minNotional: fc.constantFrom(5, 10, 100),
      maxLeverage: fc.constantFrom(null, 2, 4, 10, 15, 50, 125),
    }),
    { maxKeys: 6 },
  )
  .map((d) => Object.fromEntries(Object.entries(d).map(([symbol, r]) => [symbol, { venue: 'binance' as const, symbol, tickSize: 0.01, ...r }])));

const holdReason: fc.Arbitrary<RiskReason> = fc.oneof(
  fc.constant<RiskReason>({ code: 'manual_halt', kind: 'break', until: NOW + 30 * MIN }),
  fc.constant<RiskReason>({ code: 'manual_halt', kind: 'flatten', until: null }),
  fc.constant<RiskReason>({ code: 'period_loss', period: 'daily', lossPct: 2.5, limitPct: 2, basis: 'equity', startValue: 10_000 }),
  fc.constant<RiskReason>({ code: 'cooling_off', until: NOW + 20 * MIN, minutesLeft: 19.5 }),
);
const holdArb: fc.Arbitrary<Hold> = fc
  .record({
    id: fc.constantFrom('manual', 'daily-loss', 'daily-loss#cool', 'cooling-off'),
    level: fc.constantFrom('HALTED' as const, 'REDUCING' as const),
    reason: holdReason,
  })
  .map((h) => ({ id: h.id, rule: h.id === 'manual' ? 'manual' : h.id === 'cooling-off' ? 'cooling-off' : 'daily-loss', level: h.level, release: NOW + 30 * MIN, reason: h.reason, since: NOW - MIN }));

const scopeArb = (scope: GateScope): fc.Arbitrary<ScopeState> =>
  fc
    .record({
      holds: fc.array(holdArb, { maxLength: 2 }),
      breaker: fc.constantFrom<BreakerState>('CLOSED', 'OPEN', 'HALF_OPEN'),
      until: maybe(fc.constantFrom(NOW + 10 * MIN, NOW - MIN)),
    })
    .map(({ holds, breaker, until }) => {
      const trading: TradingState = breaker === 'OPEN' || holds.some((h) => h.level === 'HALTED') ? 'HALTED' : holds.length ? 'REDUCING' : 'ACTIVE';
      return { scope, trading, since: NOW - MIN, holds, breaker: { state: breaker, since: NOW - MIN, until: breaker === 'OPEN' ? until : null, lastBreachAt: null, reason: null } };
    });

const scopesArb: fc.Arbitrary<Record<string, ScopeState>> = fc
  .record(
    {
      account: scopeArb({ kind: 'account', venue: 'binance', accountId: 'main' }),
      btc: scopeArb({ kind: 'symbol', venue: 'binance', accountId: 'main', symbol: 'BTCUSDT' }),
      eth: scopeArb({ kind: 'symbol', venue: 'binance', accountId: 'main', symbol: 'ETHUSDT' }),
      other: scopeArb({ kind: 'symbol', venue: 'binance', accountId: 'other', symbol: 'BTCUSDT' }),
      manual: scopeArb({ kind: 'strategy', strategyId: 'manual' }),
      bot: scopeArb({ kind: 'strategy', strategyId: 'bot' }),
    },
    { requiredKeys: [] },
  )
  .map((r) => {
    const out: Record<string, ScopeState> = {};
    if (r.account) out['binance:main'] = r.account;
    if (r.btc) out['binance:main:BTCUSDT'] = r.btc;
    if (r.eth) out['binance:main:ETHUSDT'] = r.eth;
    if (r.other) out['binance:other:BTCUSDT'] = r.other;
    if (r.manual) out['strategy:manual'] = r.manual;
    if (r.bot) out['strategy:bot'] = r.bot;
    return out;
  });

const strategyArb: fc.Arbitrary<Strategy[]> = fc.option(
  fc.record({ enabled: fc.boolean(), killed: fc.boolean(), riskPerTradePct: fc.constantFrom(0.5, 1, 10), stopLossUsd: fc.constantFrom(5, 100, 10_000) }).map((r) => [
    { source: 'manual', strategyId: 'manual', symbol: null, maxDrawdownUsd: 50, totalPnl: 0, score: 50, ...r },
  ]),
  { nil: [] },
);

const readingArb = (sizes: fc.Arbitrary<number>): fc.Arbitrary<OrderReading> =>
  fc
    .record({
      symbol: fc.option(fc.constantFrom(...SYMBOLS), { nil: null, freq: 12 }),
      side: fc.option(fc.constantFrom('buy' as const, 'sell' as const), { nil: null, freq: 12 }),
      hedge: fc.boolean(),
      positionSide: fc.constantFrom('long' as const, 'short' as const),
      type: maybe(fc.constantFrom('limit' as const, 'market' as const, 'stop_market' as const)),
      price: maybe(price),
      stopPrice: maybe(price),
      size: fc.option(fc.oneof(fc.constant(0), sizes), { nil: null, freq: 12 }),
      sizeUnit: maybe(fc.constantFrom('base' as const, 'quote' as const)),
      leverage: maybe(fc.constantFrom(1, 5, 10, 20, 25, 50, 125)),
      reduceOnly: fc.boolean(),
      stopLoss: maybe(price),
    })
    .map((r) => ({
      venue: 'binance',
      symbol: r.symbol,
      side: r.side,
      positionMode: r.hedge ? 'hedge' : 'one-way',
      positionSide: r.hedge ? r.positionSide : null,
      type: r.type,
      price: r.price,
      stopPrice: r.stopPrice,
      size: r.size,
      sizeUnit: r.sizeUnit,
      sizeAsset: null,
      leverage: r.leverage,
      marginMode: 'cross',
      reduceOnly: r.reduceOnly,
      takeProfit: null,
      stopLoss: r.stopLoss,
      missing: [],
    }));

interface World {
  settings: RiskSettings;
  mode: AccountRisk['mode'];
  equity: number;
  wallet: number;
  positions: Position[];
  scopes: Record<string, ScopeState>;
  strategies: Strategy[];
  summary: AccountSummary | null;
  marks: Record<string, number>;
  atrPct: Record<string, number>;
  instruments: Record<string, InstrumentRules>;
  recent: { symbol: string; side: 'buy' | 'sell'; size: number; time: number }[];
  receivedAt: number | undefined;
  feedError: string | null;
  reading: OrderReading;
  now: number;
}

/** Random worlds; calm ones (see below) with the given share in 0..1. */
const worldsArb = (calmShare: number): fc.Arbitrary<World> =>
  fc
  .record({
    settings: settingsArb,
    mode: fc.constantFrom('monitor' as const, 'guard' as const, 'enforce' as const),
    equity: fc.oneof(money, fc.constantFrom(0, -50)),
    wallet: money,
    positions: fc.array(positionArb, { maxLength: 4 }),
    scopes: scopesArb,
    strategies: strategyArb,
    summary: maybe(
      fc.record({
        riskScore: fc.integer({ min: 0, max: 100 }),
        losingStreak: fc.integer({ min: 0, max: 8 }),
        lastLoss: maybe(fc.record({ ago: fc.integer({ min: 0, max: 200 }), symbol: fc.constantFrom(...SYMBOLS), notional: fc.oneof(fc.constant(0), money) })),
      }),
    ),
    marks: fc.dictionary(fc.constantFrom(...SYMBOLS), price, { maxKeys: 5 }),
    atrPct: atrArb,
    instruments: instrumentsArb,
    shared: size,
    recent: fc.array(
      fc.record({ symbol: fc.constantFrom(...SYMBOLS), side: fc.constantFrom('buy' as const, 'sell' as const), same: fc.boolean(), size, ago: fc.oneof(fc.integer({ min: -5_000, max: 70_000 }), fc.integer({ min: 0, max: 2 * 86_400_000 })) }),
      { maxLength: 14 },
    ),
    received: fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: undefined, freq: 8 }),
    feedError: maybe(fc.constantFrom('connection lost', 'HTTP 503')),
    clock: fc.integer({ min: 0, max: 1000 }),
    // A calm world (no holds, an enabled strategy, a funded account, no recent orders, at most one position, a readable
    // order that opens or adds): blocks with a what-would-pass size above 0 (rounded to the lot step) come up often.
    calm: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }).map((x) => x < calmShare),
    calmStrategy: fc.record({ riskPerTradePct: fc.constantFrom(1, 10, 50), stopLossUsd: fc.constantFrom(100, 10_000, 1e6) }),
  })
  .map((w) =>
    w.calm
      ? {
          ...w,
          equity: Math.abs(w.equity) + 1000,
          wallet: Math.max(w.wallet, 10_000),
          positions: w.positions.slice(0, 1),
          scopes: {},
          strategies: [{ source: 'manual', strategyId: 'manual', symbol: null, maxDrawdownUsd: 50, totalPnl: 0, score: 50, enabled: true, killed: false, ...w.calmStrategy }],
          recent: [],
          received: 0,
        }
      : w,
  )
  .chain((w) =>
    readingArb(fc.oneof(size, fc.constant(w.shared))).map((read) => {
      const now = NOW + w.clock;
      // A calm world's order is readable and opens or adds.
      const reading: OrderReading = w.calm ? { ...read, symbol: read.symbol ?? 'BTCUSDT', side: read.side ?? 'buy', size: read.size || w.shared, reduceOnly: false } : read;
      return {
        settings: w.settings,
        mode: w.mode,
        equity: w.equity,
        wallet: w.wallet,
        positions: w.positions,
        scopes: w.scopes,
        strategies: w.strategies,
        summary: w.summary
          ? { at: NOW, riskScore: w.summary.riskScore, losingStreak: w.summary.losingStreak, lastLoss: w.summary.lastLoss ? { time: now - w.summary.lastLoss.ago * MIN, symbol: w.summary.lastLoss.symbol, notional: w.summary.lastLoss.notional } : null }
          : null,
        marks: w.marks,
        atrPct: w.atrPct,
        instruments: w.instruments,
        recent: w.recent.map((o) => ({ symbol: o.symbol, side: o.side, size: o.same ? w.shared : o.size, time: now - o.ago })),
        receivedAt: w.received === undefined ? undefined : now - w.received,
        feedError: w.feedError,
        reading,
        now,
      };
    }),
  );
const worldArb = worldsArb(0);
const calmArb = worldsArb(1);

function accountRisk(w: World): AccountRisk {
  return {
    key: KEY,
    venue: 'binance',
    accountId: 'main',
    label: 'Main',
    mode: w.mode,
    canTrade: true,
    status: 'live',
    statusText: null,
    equity: w.equity,
    walletBalance: w.wallet,
    dayPnl: 0,
    dayLossPct: 0,
    dailyWarnPct: 1,
    dailyLimitPct: 2,
    drawdownPct: 0,
    drawdownLimitPct: 15,
    exposurePct: 0,
    exposureLimitPct: 50,
    riskScore: 0,
    trading: 'ACTIVE',
    tradingReason: null,
    breaker: 'CLOSED',
    coolingUntil: null,
    positions: [],
    openOrders: 0,
    receivedAt: null,
  };
}

const viewOf = (w: World): AccountView => ({
  account: account({ equity: w.equity, walletBalance: w.wallet }),
  positions: w.positions,
  openOrders: [],
  ...(w.receivedAt !== undefined ? { receivedAt: w.receivedAt } : {}),
  feedError: w.feedError,
});

/** The state as the background pushed it before the envelope. */
function referenceRisk(w: World): ReferenceRiskView {
  return json({
    accounts: [accountRisk(w)],
    guard: {
      settings: w.settings as unknown as Record<string, unknown>,
      scopes: w.scopes as unknown as Record<string, Record<string, unknown>>,
      accounts: [
        {
          key: KEY,
          venue: 'binance' as const,
          accountId: 'main',
          mode: w.mode,
          view: viewOf(w) as unknown as Record<string, unknown>,
          summary: w.summary as unknown as Record<string, unknown> | null,
          marks: w.marks,
          recentOrders: w.recent,
          atrPct: w.atrPct,
          instruments: w.instruments,
        },
      ],
      strategies: w.strategies as unknown as Record<string, unknown>[],
    },
  });
}

/** The state as the background pushes it now: the envelope. */
function envelopeRisk(w: World): RiskView {
  const envelope = buildEnvelope({
    key: KEY,
    mode: w.mode,
    view: viewOf(w),
    summary: w.summary,
    scopes: w.scopes,
    settings: w.settings,
    strategies: w.strategies,
    marks: w.marks,
    recentOrders: w.recent,
    strategyId: 'manual',
    atrPct: w.atrPct,
    instruments: w.instruments,
  });
  return json({ ...emptyRiskView(), accounts: [accountRisk(w)], guard: { settings: w.settings.guard, accounts: [envelope] } });
}

describe('the page verdict from the envelope equals validate() + the formatter', () => {
  it('for random orders and states', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const want = referenceVerdict({ venue: 'binance', reading: w.reading, risk: referenceRisk(w), now: w.now });
        const got = guardVerdict({ venue: 'binance', reading: w.reading, risk: envelopeRisk(w), now: w.now });
        expect(got).toEqual(want);
      }),
      { numRuns: 2000 },
    );
  }, 60_000);

  it('on calm accounts, where what would pass is rounded to the lot step and held to the minimum order value', () => {
    const capSources = new Set<string>();
    // Blocks whose what-would-pass size the lot step rounded down (to a whole number of lots above 0), and ones the lot
    // step or the minimum order value took to 0 (against the same envelope without the symbols' trading rules).
    let rounded = 0;
    let zeroed = 0;
    fc.assert(
      fc.property(calmArb, (w) => {
        const want = referenceVerdict({ venue: 'binance', reading: w.reading, risk: referenceRisk(w), now: w.now });
        const got = guardVerdict({ venue: 'binance', reading: w.reading, risk: envelopeRisk(w), now: w.now });
        expect(got).toEqual(want);
        if (!got.allowed || !got.intent) return;
        capSources.add(got.allowed.capSource);
        const ins = w.instruments[got.intent.symbol];
        if (!ins) return;
        const bare = envelopeRisk(w);
        bare.guard!.accounts[0]!.lots = {};
        const raw = guardVerdict({ venue: 'binance', reading: w.reading, risk: bare, now: w.now }).allowed;
        if (!raw || raw.maxSize === got.allowed.maxSize) return;
        const lots = got.allowed.maxSize / ins.lotStep;
        if (got.allowed.maxSize > 0 && Math.abs(lots - Math.round(lots)) < 1e-6) rounded++;
        if (got.allowed.maxSize === 0) zeroed++;
      }),
      { numRuns: 1000 },
    );
    for (const c of ['mode', 'volatility', 'risk_level', 'instrument']) expect(capSources, c).toContain(c);
    expect(rounded).toBeGreaterThan(10);
    expect(zeroed).toBeGreaterThan(40);
  }, 60_000);

  it('an order landing exactly on the exposure warning level warns, as validate() does (a case the runs above found)', () => {
    // Replays fast-check's shrunk counterexample: total exposure after the order is 10% of equity, warning at 10%.
    // The page compared with '>' while validate() uses reaches(): the page left the warning out.
    fc.assert(
      fc.property(calmArb, (w) => {
        const want = referenceVerdict({ venue: 'binance', reading: w.reading, risk: referenceRisk(w), now: w.now });
        expect(want.reasons.some((r) => r.code === 'projected_exposure' && r.level === 'warn')).toBe(true);
        expect(guardVerdict({ venue: 'binance', reading: w.reading, risk: envelopeRisk(w), now: w.now })).toEqual(want);
      }),
      { seed: 1705784333, path: '550:1077:0:0:1:1:1:1:1:1', endOnFailure: true },
    );
  });

  it('covers allow, warn and block, and most reason codes, in the runs above', () => {
    const decisions = new Set<string>();
    const codes = new Set<string>();
    // The guard's own paths: an unreadable order blocked by a gate, and a stale exit checked as opening.
    let unreadBlocked = 0;
    let staleExit = 0;
    fc.assert(
      fc.property(worldArb, (w) => {
        const v = guardVerdict({ venue: 'binance', reading: w.reading, risk: envelopeRisk(w), now: w.now });
        decisions.add(v.decision);
        for (const r of v.reasons) codes.add(r.code);
        if (v.intent === null && v.decision === 'block') unreadBlocked++;
        if (v.reasons.some((r) => r.text.endsWith(STALE_EXIT))) staleExit++;
      }),
      // duplicate_order is rare (a few in 2000 worlds), and with a fresh seed each run a rare code was still missed
      // now and then (a unit run this session): a fixed seed makes this coverage check the same on every run.
      { numRuns: 4000, seed: 20_261_122 },
    );
    expect([...decisions].sort()).toEqual(['allow', 'block', 'warn']);
    for (const c of [
      'trading_state',
      'breaker_open',
      'probe_size',
      'strategy_killed',
      'strategy_disabled',
      'below_minimum_balance',
      'duplicate_order',
      'order_rate',
      'position_count',
      'leverage_cap',
      'leverage_unknown',
      'price_unknown',
      'equity_unusable',
      'position_size_cap',
      'projected_exposure',
      'symbol_exposure',
      'risk_per_trade',
      'stop_loss_per_trade',
      'no_stop_loss',
      'revenge_entry',
      'stale_data',
      'no_account_data',
      'order_unreadable',
      'below_min_notional',
    ])
      expect(codes, c).toContain(c);
    expect(unreadBlocked).toBeGreaterThan(0);
    expect(staleExit).toBeGreaterThan(0);
  }, 60_000);

  it('the envelope categories are the guard override categories', () => {
    const cats: GateCategory[] = ['tradingState', 'killedStrategy', 'coolingOff', 'leverageCap', 'sizeCap', 'staleData', 'other'];
    expect([...cats].sort()).toEqual([...BLOCK_CATEGORIES].sort());
  });
});
