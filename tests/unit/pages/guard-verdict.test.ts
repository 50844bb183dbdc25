import { describe, expect, it } from 'vitest';
import type { Strategy } from '@/lib/domain/types';
import type { AccountRisk, RiskView } from '@/lib/messaging/risk-view';
import { emptyRiskView } from '@/lib/messaging/risk-view';
import { guardReadiness, guardVerdict, MONITOR_NOTE, type GuardVerdict } from '@/lib/pages/guard-verdict';
import type { OrderReading } from '@/lib/pages/types';
import type { AccountView } from '@/lib/risk/context';
import { buildEnvelope } from '@/lib/risk/envelope';
import type { RiskSettings, RiskSettingsInput } from '@/lib/risk/settings';
import { closedBreaker, type Hold, type ScopeState } from '@/lib/risk/state';
import { account, MIN, NOW, position, settings } from '../risk/fixtures';

type Mode = AccountRisk['mode'];

function accountRisk(over: Partial<AccountRisk> = {}): AccountRisk {
  return {
    key: 'binance:main',
    venue: 'binance',
    accountId: 'main',
    label: 'Main',
    mode: 'guard',
    canTrade: true,
    status: 'live',
    statusText: null,
    equity: 10_000,
    walletBalance: 10_000,
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
    receivedAt: NOW,
    ...over,
  };
}

interface Setup {
  mode?: Mode;
  view?: Partial<AccountView> | null;
  scopes?: Record<string, ScopeState>;
  strategies?: Strategy[];
  settings?: RiskSettingsInput;
  marks?: Record<string, number>;
  status?: AccountRisk['status'];
}

/** The risk picture the background pushes, for one Binance account `binance:main` (view null: no data yet). */
function risk(s: Setup = {}): RiskView {
  const mode = s.mode ?? 'guard';
  const st: RiskSettings = settings(s.settings ?? {});
  const view: AccountView = { account: account(), positions: [], openOrders: [], receivedAt: NOW - 1000, feedError: null, ...s.view };
  const ga = buildEnvelope({
    key: 'binance:main',
    mode,
    view,
    summary: { at: NOW, riskScore: 0, losingStreak: 0, lastLoss: null },
    scopes: s.scopes ?? {},
    settings: st,
    strategies: s.strategies ?? [],
    marks: s.marks ?? { BTCUSDT: 100 },
    recentOrders: [],
    strategyId: 'manual',
  });
  return {
    ...emptyRiskView(),
    accounts: [accountRisk({ mode, status: s.status ?? 'live', statusText: s.status && s.status !== 'live' ? 'waiting for the first snapshot' : null })],
    // Through JSON, as the background pushes it.
    guard: JSON.parse(JSON.stringify({ settings: st.guard, accounts: s.view === null ? [] : [ga] })) as RiskView['guard'],
  };
}

/** A limit buy of 0.5 BTCUSDT at 100 with a stop at 99 and 10x: passes every default limit. */
function reading(over: Partial<OrderReading> = {}): OrderReading {
  return {
    venue: 'binance',
    symbol: 'BTCUSDT',
    side: 'buy',
    positionMode: 'one-way',
    positionSide: null,
    type: 'limit',
    price: 100,
    stopPrice: null,
    size: 0.5,
    sizeUnit: 'base',
    sizeAsset: 'BTC',
    leverage: 10,
    marginMode: 'cross',
    reduceOnly: false,
    takeProfit: null,
    stopLoss: 99,
    missing: [],
    ...over,
  };
}

const verdict = (r: Partial<OrderReading>, s: Setup = {}, now = NOW) => guardVerdict({ venue: 'binance', reading: reading(r), risk: risk(s), now });
const texts = (v: GuardVerdict) => v.reasons.map((r) => `${r.level}|${r.category}|${r.text}${r.detail ? ` / ${r.detail}` : ''}`);

const hold = (over: Partial<Hold>): Hold => ({
  id: 'manual',
  rule: 'manual',
  level: 'HALTED',
  release: NOW + 30 * MIN,
  reason: { code: 'manual_halt', kind: 'break', until: NOW + 30 * MIN },
  since: NOW - MIN,
  ...over,
});
const accountScope = (holds: Hold[], breaker = closedBreaker(NOW - MIN)): Record<string, ScopeState> => ({
  'binance:main': {
    scope: { kind: 'account', venue: 'binance', accountId: 'main' },
    trading: breaker.state === 'OPEN' ? 'HALTED' : holds.some((h) => h.level === 'HALTED') ? 'HALTED' : holds.length ? 'REDUCING' : 'ACTIVE',
    since: NOW - MIN,
    holds,
    breaker,
  },
});

describe('guardVerdict: passive', () => {
  it('before the first push, and without an account of the venue, nothing is checked', () => {
    expect(guardVerdict({ venue: 'binance', reading: reading(), risk: null, now: NOW })).toMatchObject({
      decision: 'allow',
      passive: 'Ringfence has no risk state from its background yet: this order is not checked.',
    });
    expect(guardVerdict({ venue: 'hyperliquid', reading: { ...reading(), venue: 'hyperliquid', symbol: 'BTC' }, risk: risk(), now: NOW })).toMatchObject({
      decision: 'allow',
      passive: 'No Hyperliquid account is set up in Ringfence: this order is not checked.',
      reasons: [],
    });
    expect(guardReadiness(null, 'binance')).toBe('waiting');
    expect(guardReadiness(risk(), 'hyperliquid')).toBe('no-account');
    expect(guardReadiness(risk({ view: null }), 'binance')).toBe('no-data');
    expect(guardReadiness(risk(), 'binance')).toBe('ready');
  });
});

describe('guardVerdict: allow and warn', () => {
  it('allows an order inside every limit: nothing to show', () => {
    const v = verdict({});
    expect(v).toMatchObject({ decision: 'allow', passive: null, account: 'binance:main', accountLabel: 'Main', mode: 'guard', reasons: [], policy: null, allowed: null });
  });

  it('warns about a missing stop loss (a plain confirmation, no policy)', () => {
    const v = verdict({ stopLoss: null });
    expect(v.decision).toBe('warn');
    expect(texts(v)).toEqual(['warn|other|No stop loss on this order, so its risk cannot be measured.']);
    expect(v.policy).toBeNull();
  });

  it('warns when the form cannot be read, naming what is missing', () => {
    const v = verdict({ size: null, side: null });
    expect(texts(v)).toEqual(["warn|other|Ringfence could not read the order's side (buy or sell) and size from the page, so it cannot check this order."]);
    expect(v.decision).toBe('warn');
  });
});

describe('guardVerdict: blocks, by category, with the policy per setting', () => {
  it('leverage above the cap: typed override, and what would pass', () => {
    const v = verdict({ leverage: 50 });
    expect(v.decision).toBe('block');
    expect(texts(v)).toEqual(['block|leverageCap|Leverage 50x is above the leverage mode cap of 20x.']);
    expect(v.policy).toBe('typed');
    // The margin cap (1% of $10,000 at 20x: 20 BTCUSDT) and the default $5 stop loss at a $1 stop distance (5): 5.
    expect(v.allowed).toEqual({ maxSize: 5, maxNotional: 500, maxLeverage: 20, capSource: 'mode' });
  });

  it('size above the cap: typed; quote-sized orders are valued at their price', () => {
    const v = verdict({ size: 15_000, sizeUnit: 'quote', sizeAsset: 'USDT', leverage: 10, stopLoss: null });
    expect(texts(v)).toEqual([
      'block|sizeCap|Margin $1,500.00 is above the per-trade cap of $100.00.',
      'block|sizeCap|After this order total exposure would be 150% of equity, limit 50%.',
      'block|sizeCap|After this order BTC exposure would be 150% of equity, limit 25%.',
      'warn|other|No stop loss on this order, so its risk cannot be measured.',
    ]);
    expect(v.policy).toBe('typed');
    expect(v.allowed).toMatchObject({ maxSize: 10, maxNotional: 1000 });
  });

  it('HALTED by a break: never, with the hold behind it; nothing would pass', () => {
    const v = verdict({}, { scopes: accountScope([hold({})]) });
    expect(texts(v)).toEqual([
      'block|tradingState|Account main (binance) is halted: only exits and cancels pass. / Taking a break: nothing opens until 2026-03-10 12:30 UTC.',
    ]);
    expect(v.policy).toBe('never');
    expect(v.allowed).toMatchObject({ maxSize: 0 });
  });

  it('REDUCING: blocks what is not reduce-only, allows what is', () => {
    const scopes = accountScope([hold({ id: 'daily-loss', rule: 'daily-loss', level: 'REDUCING', release: 'condition', reason: { code: 'period_loss', period: 'daily', lossPct: 1.5, limitPct: 1, basis: 'equity', startValue: 10_000 } })]);
    const v = verdict({}, { scopes });
    expect(texts(v)).toEqual([
      'block|tradingState|Account main (binance) is reducing: only reduce-only orders pass. / Daily loss 1.5% of the equity at the period start ($10,000.00), limit 1%.',
    ]);
    expect(v.reasons[0]!.rule).toBe('daily-loss');
    const pos = { positions: [position({ symbol: 'BTCUSDT', side: 'short', size: -1 })] };
    expect(verdict({ reduceOnly: true }, { scopes, view: pos }).decision).toBe('allow');
  });

  it('a cooling-off hold or an open breaker is its own category (never by default)', () => {
    const cool = hold({ id: 'daily-loss#cool', rule: 'daily-loss', reason: { code: 'period_loss', period: 'daily', lossPct: 2.5, limitPct: 2, basis: 'equity', startValue: 10_000 } });
    expect(texts(verdict({}, { scopes: accountScope([cool]) }))[0]).toMatch(/^block\|coolingOff\|Account main \(binance\) is halted/);
    const open = { ...closedBreaker(NOW - MIN), state: 'OPEN' as const, until: NOW + 20 * MIN };
    const v = verdict({}, { scopes: accountScope([], open) });
    expect(texts(v)).toEqual(['block|coolingOff|Account main (binance) is cooling off until 2026-03-10 12:20 UTC.']);
    expect(v.policy).toBe('never');
  });

  it('a killed strategy: never', () => {
    const manual: Strategy = { source: 'manual', strategyId: 'manual', symbol: null, enabled: true, riskPerTradePct: 1, stopLossUsd: 5, maxDrawdownUsd: 50, killed: true, totalPnl: -60, score: 10 };
    const v = verdict({}, { strategies: [manual] });
    expect(texts(v)).toEqual(['block|killedStrategy|Strategy manual is killed until someone resets it.']);
    expect(v.policy).toBe('never');
  });

  it('stale data blocks what adds risk (countdown), with the feed error; an exit still passes', () => {
    const stale = { view: { receivedAt: NOW - 45_000, feedError: 'connection lost' } };
    const v = verdict({}, stale);
    expect(texts(v)).toEqual(['block|staleData|No fresh data for 45 seconds (limit 30): connection lost.']);
    expect(v.policy).toBe('countdown');
    expect(verdict({ reduceOnly: true }, stale).decision).toBe('allow');
    // Within the limit: fresh.
    expect(verdict({}, { view: { receivedAt: NOW - 29_000 } }).decision).toBe('allow');
  });

  it('an account without data yet blocks what adds risk; a hedge-mode close passes', () => {
    const v = verdict({}, { view: null, status: 'connecting' });
    expect(texts(v)).toEqual(['block|staleData|Main: no account data from Binance yet (waiting for the first snapshot), so orders that add risk are blocked until it arrives.']);
    expect(v.policy).toBe('countdown');
    expect(verdict({ positionMode: 'hedge', positionSide: 'long', side: 'sell', reduceOnly: true }, { view: null }).decision).toBe('allow');
  });

  it('the strictest policy among the blocks applies, per the settings', () => {
    const stale = { receivedAt: NOW - 60_000 };
    expect(verdict({ leverage: 50 }, { view: stale }).policy).toBe('typed');
    expect(verdict({ leverage: 50 }, { view: stale, settings: { guard: { policy: { leverageCap: 'countdown' } } } }).policy).toBe('countdown');
    expect(verdict({ leverage: 50 }, { view: stale, settings: { guard: { policy: { staleData: 'never' } } } }).policy).toBe('never');
    expect(verdict({ leverage: 50 }, { scopes: accountScope([hold({})]), settings: { guard: { policy: { tradingState: 'typed' } } } }).policy).toBe('typed');
    expect(verdict({ leverage: 50 }, { settings: { guard: { countdownSec: 3, phrase: 'I ACCEPT' } } }).guard).toMatchObject({ countdownSec: 3, phrase: 'I ACCEPT' });
  });
});

describe('guardVerdict: modes', () => {
  it('monitor never blocks: every block becomes a warning, with the note', () => {
    const v = verdict({ leverage: 50 }, { mode: 'monitor', view: { receivedAt: NOW - 45_000 } });
    expect(v.decision).toBe('warn');
    expect(texts(v)).toEqual([
      'warn|staleData|No fresh data for 45 seconds (limit 30).',
      'warn|leverageCap|Leverage 50x is above the leverage mode cap of 20x.',
    ]);
    expect(v).toMatchObject({ note: MONITOR_NOTE, policy: null, allowed: null, mode: 'monitor' });
    expect(MONITOR_NOTE).toBe('Monitor mode: Ringfence warns but does not block.');
  });

  it('guard and enforce block alike', () => {
    expect(verdict({ leverage: 50 }, { mode: 'guard' }).decision).toBe('block');
    expect(verdict({ leverage: 50 }, { mode: 'enforce' }).decision).toBe('block');
    expect(verdict({}, { mode: 'monitor', view: null }).decision).toBe('warn');
  });
});
