import { describe, expect, it } from 'vitest';
import type { Strategy } from '@/lib/domain/types';
import type { AccountRisk, RiskView } from '@/lib/messaging/risk-view';
import { emptyRiskView } from '@/lib/messaging/risk-view';
import { guardAccount, guardReadiness, guardVerdict, MONITOR_NOTE, STALE_EXIT, type GuardVerdict } from '@/lib/pages/guard-verdict';
import type { OrderReading } from '@/lib/pages/types';
import type { AccountView } from '@/lib/risk/context';
import { formatReason } from '@/lib/risk/format';
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

  it("a strategy limited to another symbol: never, with the formatter's text; its own symbol passes", () => {
    const manual: Strategy = { source: 'manual', strategyId: 'manual', symbol: 'ETHUSDT', enabled: true, riskPerTradePct: 1, stopLossUsd: 5, maxDrawdownUsd: 50, killed: false, totalPnl: 0, score: 50 };
    const v = verdict({}, { strategies: [manual] });
    const text = formatReason({ code: 'strategy_symbol', strategyId: 'manual', symbol: 'BTCUSDT', allowed: 'ETHUSDT' });
    expect(texts(v)).toEqual([`block|killedStrategy|${text}`]);
    expect(text).toBe('Strategy manual trades only ETHUSDT, not BTCUSDT.');
    expect(v.policy).toBe('never');
    expect(texts(verdict({}, { strategies: [{ ...manual, symbol: 'BTCUSDT' }] }))).toEqual([]);
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

const HALT = 'block|tradingState|Account main (binance) is halted: only exits and cancels pass. / Taking a break: nothing opens until 2026-03-10 12:30 UTC.';
const unreadText = (what: string) => `warn|other|Ringfence could not read the order's ${what} from the page, so it cannot check this order.`;

describe('guardVerdict: an order it cannot read', () => {
  const halted = { scopes: accountScope([hold({})]) };

  it('on a halted account gets the halt, with no override, and names what it could not read', () => {
    const v = verdict({ size: null }, halted);
    expect(v.decision).toBe('block');
    expect(texts(v)).toEqual([HALT, unreadText('size')]);
    expect(v.policy).toBe('never');
    expect(v).toMatchObject({ intent: null, allowed: null, increasesRisk: true });
    // Symbol unknown as well: the account's halt still applies.
    expect(texts(verdict({ symbol: null, size: null }, halted))).toEqual([HALT, unreadText('symbol and size')]);
  });

  it('passes as an exit (a plain confirmation) when reduce-only is ticked or it is a hedge-mode close', () => {
    for (const r of [{ size: null, reduceOnly: true }, { side: null, positionMode: 'hedge' as const, positionSide: 'long' as const, reduceOnly: true }]) {
      const v = verdict(r, halted);
      expect(v.decision).toBe('warn');
      expect(v.policy).toBeNull();
      expect(v.increasesRisk).toBe(false);
      expect(v.reasons.map((x) => x.code)).toEqual(['order_unreadable']);
    }
  });

  it("meets the symbol's own state when the symbol was read, and only then", () => {
    const sym: Record<string, ScopeState> = {
      'binance:main:BTCUSDT': { scope: { kind: 'symbol', venue: 'binance', accountId: 'main', symbol: 'BTCUSDT' }, trading: 'HALTED', since: NOW - MIN, holds: [hold({})], breaker: closedBreaker(NOW - MIN) },
    };
    const v = verdict({ size: null }, { scopes: sym });
    expect(texts(v)).toEqual([
      'block|tradingState|BTCUSDT on account main is halted: only exits and cancels pass. / Taking a break: nothing opens until 2026-03-10 12:30 UTC.',
      unreadText('size'),
    ]);
    expect(v.policy).toBe('never');
    expect(verdict({ symbol: 'ETHUSDT', size: null }, { scopes: sym }).decision).toBe('warn');
    expect(verdict({ symbol: null }, { scopes: sym }).decision).toBe('warn');
  });

  it('meets a killed strategy, stale data and missing data as any order that adds risk does', () => {
    const manual: Strategy = { source: 'manual', strategyId: 'manual', symbol: null, enabled: true, riskPerTradePct: 1, stopLossUsd: 5, maxDrawdownUsd: 50, killed: true, totalPnl: -60, score: 10 };
    expect(texts(verdict({ side: null }, { strategies: [manual] }))).toEqual([
      'block|killedStrategy|Strategy manual is killed until someone resets it.',
      unreadText('side (buy or sell)'),
    ]);
    const stale = verdict({ size: null }, { view: { receivedAt: NOW - 45_000, feedError: 'connection lost' } });
    expect(texts(stale)).toEqual(['block|staleData|No fresh data for 45 seconds (limit 30): connection lost.', unreadText('size')]);
    expect(stale.policy).toBe('countdown');
    const none = verdict({ size: null }, { view: null, status: 'connecting' });
    expect(texts(none)).toEqual([
      'block|staleData|Main: no account data from Binance yet (waiting for the first snapshot), so orders that add risk are blocked until it arrives.',
      unreadText('size'),
    ]);
  });

  it('in monitor mode warns with the note', () => {
    const v = verdict({ size: null }, { ...halted, mode: 'monitor' });
    expect(v).toMatchObject({ decision: 'warn', note: MONITOR_NOTE, policy: null });
    expect(texts(v)).toEqual([HALT.replace(/^block/, 'warn'), unreadText('size')]);
  });
});

describe('guardVerdict: exits on stale data', () => {
  const long1 = [position({ symbol: 'BTCUSDT', side: 'long', size: 1 })];
  const stale = (over: Partial<AccountView> = {}): Setup['view'] => ({ positions: long1, receivedAt: NOW - 10 * MIN, feedError: 'connection lost', ...over });
  const sell1 = { side: 'sell' as const, type: 'market' as const, price: null, size: 1, leverage: 20, stopLoss: null };

  it('a one-way sell that closes the last known long, not reduce-only, is checked as opening: halted -> blocked, no override', () => {
    const v = verdict(sell1, { view: stale(), scopes: accountScope([hold({})]) });
    expect(v.decision).toBe('block');
    expect(texts(v)).toEqual([
      `block|staleData|No fresh data for 600 seconds (limit 30): connection lost. ${STALE_EXIT}`,
      HALT,
      'warn|other|No stop loss on this order, so its risk cannot be measured.',
    ]);
    expect(STALE_EXIT).toBe('The positions may have changed since, so only reduce-only orders and closes pass as exits.');
    expect(v.policy).toBe('never');
    expect(v.increasesRisk).toBe(true);
  });

  it('on an active account the stale block applies, and the sizing counts it as a new position on top of what the account held', () => {
    // Last known: long 30 BTC at $100. Sell 30 from flat: a 30 BTC short, margin $150 at 20x, above the $100 cap;
    // exposure $3,000 (the long as last known) + $3,000 = 60% of equity.
    const v = verdict({ ...sell1, size: 30 }, { view: stale({ positions: [position({ symbol: 'BTCUSDT', side: 'long', size: 30 })] }) });
    expect(texts(v)).toEqual([
      `block|staleData|No fresh data for 600 seconds (limit 30): connection lost. ${STALE_EXIT}`,
      'block|sizeCap|Margin $150.00 is above the per-trade cap of $100.00.',
      'block|sizeCap|After this order total exposure would be 60% of equity, limit 50%.',
      'block|sizeCap|After this order BTC exposure would be 60% of equity, limit 25%.',
      'warn|other|No stop loss on this order, so its risk cannot be measured.',
    ]);
  });

  it('reduce-only and hedge-mode closes still pass; fresh data judges the sell by the positions', () => {
    expect(verdict({ ...sell1, reduceOnly: true }, { view: stale(), scopes: accountScope([hold({})]) }).decision).toBe('allow');
    const hedge = { view: stale({ positions: [position({ symbol: 'BTCUSDT', side: 'long', size: 1 })] }), scopes: accountScope([hold({})]) };
    expect(verdict({ ...sell1, positionMode: 'hedge', positionSide: 'long', reduceOnly: true }, hedge).decision).toBe('allow');
    expect(verdict(sell1, { view: { positions: long1 }, scopes: accountScope([hold({})]) }).decision).toBe('allow');
  });
});

describe('guardVerdict: the account the page shows', () => {
  /** Two Binance accounts: a-main ACTIVE, b-sub HALTED. */
  function twoAccounts(): RiskView {
    const st = settings({});
    const env = (accountId: string, scopes: Record<string, ScopeState>) =>
      buildEnvelope({
        key: `binance:${accountId}`,
        mode: 'guard',
        view: { account: account({ accountId }), positions: [], openOrders: [], receivedAt: NOW - 1000, feedError: null },
        summary: { at: NOW, riskScore: 0, losingStreak: 0, lastLoss: null },
        scopes,
        settings: st,
        strategies: [],
        marks: { BTCUSDT: 100 },
        recentOrders: [],
        strategyId: 'manual',
      });
    const haltB: Record<string, ScopeState> = {
      'binance:b-sub': { scope: { kind: 'account', venue: 'binance', accountId: 'b-sub' }, trading: 'HALTED', since: NOW - MIN, holds: [hold({})], breaker: closedBreaker(NOW - MIN) },
    };
    return {
      ...emptyRiskView(),
      accounts: [
        accountRisk({ key: 'binance:a-main', accountId: 'a-main', label: 'A main' }),
        accountRisk({ key: 'binance:b-sub', accountId: 'b-sub', label: 'B sub', trading: 'HALTED' }),
      ],
      guard: JSON.parse(JSON.stringify({ settings: st.guard, accounts: [env('a-main', {}), env('b-sub', haltB)] })) as RiskView['guard'],
    };
  }

  it('checks against the chosen account, and names it; the first by key when none is chosen or it is gone', () => {
    const r = twoAccounts();
    const v = guardVerdict({ venue: 'binance', reading: reading(), risk: r, now: NOW, account: 'binance:b-sub' });
    expect(v).toMatchObject({ decision: 'block', policy: 'never', account: 'binance:b-sub', accountLabel: 'B sub' });
    expect(v.intent?.accountId).toBe('b-sub');
    expect(texts(v)[0]).toMatch(/^block\|tradingState\|Account b-sub \(binance\) is halted/);
    for (const chosen of [null, 'binance:gone', undefined]) {
      expect(guardVerdict({ venue: 'binance', reading: reading(), risk: r, now: NOW, account: chosen })).toMatchObject({ decision: 'allow', account: 'binance:a-main' });
    }
    expect(guardAccount(r, 'binance', 'binance:b-sub')?.label).toBe('B sub');
    expect(guardAccount(r, 'binance', 'hyperliquid:b-sub')?.label).toBe('A main');
    expect(guardReadiness(r, 'binance', 'binance:b-sub')).toBe('ready');
  });
});
