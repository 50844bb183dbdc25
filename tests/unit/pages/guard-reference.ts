/**
 * The reference verdict for the envelope tests: the order guard's verdict as the page computed it before the envelope
 * (lib/risk validate() and the formatter on the account's full view, scopes, settings and strategy table), kept
 * verbatim but for its imports and the input shape below, and for the guard's own rules added since, worked out here
 * from validate() on the full state: an unreadable order that is not reduce-only meets validate()'s order-independent
 * gates; with stale data an order that only shrinks a position as last known, but is not reduce-only or a hedge-mode
 * close, is checked as opening a new position on top of everything the account last held.
 * tests/unit/pages/guard-envelope.test.ts checks that the page's verdict from the envelope equals this one.
 */
import type { InstrumentRules, OrderIntent, Strategy } from '@/lib/domain/types';
import type { AccountRisk } from '@/lib/messaging/risk-view';
import type { AccountView } from '@/lib/risk/context';
import { formatReason } from '@/lib/risk/format';
import type { GuardSettings, RiskSettings } from '@/lib/risk/settings';
import type { AccountSummary, RiskState, ScopeState } from '@/lib/risk/state';
import type { RiskReason, RuleId } from '@/lib/risk/types';
import { validate, type Decision } from '@/lib/risk/validate';
import { intentFromReading, isExitOnly, type IntentGap } from '@/lib/pages/guard-intent';
import { DEFAULT_GUARD_SETTINGS, policyFor, type BlockCategory } from '@/lib/pages/guard-override';
import type { OrderReading, Venue } from '@/lib/pages/types';

import { STALE_EXIT, type GuardReason, type GuardVerdict } from '@/lib/pages/guard-verdict';

/** The guard's inputs as the background pushed them before the envelope. */
export interface GuardAccount {
  key: string;
  venue: 'binance' | 'hyperliquid';
  accountId: string;
  mode: AccountRisk['mode'];
  view: Record<string, unknown>;
  summary: Record<string, unknown> | null;
  marks: Record<string, number>;
  recentOrders: { symbol: string; side: 'buy' | 'sell'; size: number; time: number }[];
  /** The background's per-symbol inputs to validate(): ATR % (the market watch) and the venue's trading rules. */
  atrPct?: Record<string, number>;
  instruments?: Record<string, InstrumentRules>;
}
export interface RiskView {
  accounts: AccountRisk[];
  guard: { settings: Record<string, unknown>; scopes: Record<string, Record<string, unknown>>; accounts: GuardAccount[]; strategies: Record<string, unknown>[] } | null;
}



export interface GuardInput {
  venue: Venue;
  reading: OrderReading;
  risk: RiskView | null;
  now: number;
}

export const VENUE_NAME: Record<Venue, string> = { binance: 'Binance', hyperliquid: 'Hyperliquid' };
export const MONITOR_NOTE = 'Monitor mode: Ringfence warns but does not block.';

const CATEGORY: Partial<Record<RiskReason['code'] | string, BlockCategory>> = {
  strategy_killed: 'killedStrategy',
  strategy_disabled: 'killedStrategy',
  strategy_symbol: 'killedStrategy',
  breaker_open: 'coolingOff',
  cooling_off: 'coolingOff',
  leverage_cap: 'leverageCap',
  leverage_unknown: 'leverageCap',
  position_size_cap: 'sizeCap',
  projected_exposure: 'sizeCap',
  symbol_exposure: 'sizeCap',
  risk_per_trade: 'sizeCap',
  stop_loss_per_trade: 'sizeCap',
  probe_size: 'sizeCap',
  stale_data: 'staleData',
  no_account_data: 'staleData',
};

const RULE: Partial<Record<string, RuleId>> = {
  strategy_killed: 'strategy-kill-switch',
  strategy_symbol: 'strategy-limits',
  breaker_open: 'cooling-off',
  position_count: 'position-count',
  below_minimum_balance: 'minimum-balance',
  order_rate: 'overtrading',
  projected_exposure: 'total-exposure',
  symbol_exposure: 'total-exposure',
  revenge_entry: 'revenge-trading',
  stale_data: 'stale-data',
  no_account_data: 'stale-data',
};

const isCooling = (h: ScopeState['holds'][number]) => h.id.endsWith('#cool') || h.reason.code === 'cooling_off';

function reasonOf(level: 'block' | 'warn', r: RiskReason, scopes: Record<string, ScopeState | undefined>, scopeKeyOf: (r: RiskReason) => string | null): GuardReason {
  let category: BlockCategory = CATEGORY[r.code] ?? 'other';
  let rule = RULE[r.code] ?? null;
  let detail: string | null = null;
  if (r.code === 'trading_state') {
    // A halt is a cooling-off when every hold at that level is one; the hold's own reason says why.
    const key = scopeKeyOf(r);
    const sc = key ? scopes[key] : undefined;
    const holds = sc ? sc.holds.filter((h) => h.level === r.state) : [];
    category = holds.length > 0 && holds.every(isCooling) ? 'coolingOff' : 'tradingState';
    const first = holds[0];
    if (first) {
      detail = formatReason(first.reason);
      if (first.rule !== 'manual') rule = first.rule;
    }
  }
  return { level, code: r.code, category, rule, text: formatReason(r), detail };
}

function scopeKey(r: RiskReason): string | null {
  if (r.code !== 'trading_state' && r.code !== 'breaker_open' && r.code !== 'probe_size') return null;
  const s = r.scope;
  return s.kind === 'account' ? `${s.venue}:${s.accountId}` : s.kind === 'symbol' ? `${s.venue}:${s.accountId}:${s.symbol}` : `strategy:${s.strategyId}`;
}

const passive = (text: string, guard: GuardSettings): GuardVerdict => ({
  decision: 'allow',
  passive: text,
  reasons: [],
  account: null,
  accountLabel: null,
  mode: null,
  note: null,
  intent: null,
  increasesRisk: false,
  allowed: null,
  policy: null,
  guard,
});

/** The account a page's orders are checked against: the first of the venue by key (as the background's order.check picks). */
export function guardAccount(risk: RiskView, venue: Venue): AccountRisk | null {
  let best: AccountRisk | null = null;
  for (const a of risk.accounts) if (a.venue === venue && (best === null || a.key < best.key)) best = a;
  return best;
}

/**
 * Whether the guard can check this venue's orders now: waiting (no state pushed yet: passive), no-account (none of
 * the venue: passive), no-data (an account without data yet: risk-increasing orders block) or ready.
 */
export function guardReadiness(risk: RiskView | null, venue: Venue): 'waiting' | 'no-account' | 'no-data' | 'ready' {
  if (!risk) return 'waiting';
  const acct = guardAccount(risk, venue);
  if (!acct) return 'no-account';
  return risk.guard?.accounts.some((a) => a.key === acct.key) ? 'ready' : 'no-data';
}

export function referenceVerdict({ venue, reading, risk, now }: GuardInput): GuardVerdict {
  const settings = (risk?.guard?.settings ?? null) as RiskSettings | null;
  const g: GuardSettings = settings?.guard ?? DEFAULT_GUARD_SETTINGS;
  if (!risk) return passive('Ringfence has no risk state from its background yet: this order is not checked.', g);
  const acct = guardAccount(risk, venue);
  if (!acct) return passive(`No ${VENUE_NAME[venue]} account is set up in Ringfence: this order is not checked.`, g);
  const ga: GuardAccount | undefined = risk.guard?.accounts.find((a) => a.key === acct.key);
  const mode = ga?.mode ?? acct.mode;

  const built = intentFromReading(reading, acct.accountId);
  const reasons: GuardReason[] = [];
  let intent: OrderIntent | null = null;
  let increasesRisk = true;
  let allowed: GuardVerdict['allowed'] = null;

  if (!built.ok) {
    const unread: GuardReason = { level: 'warn', code: 'order_unreadable', category: 'other', rule: null, text: unreadableText(built.missing), detail: null };
    if (reading.reduceOnly) increasesRisk = false;
    else if (!ga || !settings || (ga.view as { receivedAt?: number }).receivedAt === undefined) reasons.push(noDataReason(acct, venue));
    else {
      // validate()'s reasons that hold for any order that adds risk: a 1-unit market buy on the symbol (or on one no
      // scope names) from flat.
      const view = { ...(ga.view as unknown as AccountView), positions: [] };
      const scopes = risk.guard!.scopes as unknown as Record<string, ScopeState>;
      const probe: OrderIntent = { ...PROBE, venue, accountId: acct.accountId, symbol: reading.symbol ?? 'UNREAD-SYMBOL' };
      const strategies = risk.guard!.strategies as unknown as Strategy[];
      const strategy = strategies.find((x) => x.strategyId === probe.strategyId) ?? null;
      const state = stateOf(scopes, null, acct.key);
      const result = validate(probe, { view, markPrice: null, instrument: null, atrPct: null, strategy, recentOrders: [] }, state, settings, now);
      for (const r of result.reasons) if (GATES.has(r.reason.code)) reasons.push(reasonOf(r.level, r.reason, scopes, scopeKey));
      const received = view.receivedAt!;
      const limit = settings.data.staleAfterSec;
      if (now - received > limit * 1000) reasons.unshift(staleOf(view, now, limit, false));
    }
    reasons.push(unread);
  } else if (!ga || !settings || (ga.view as { receivedAt?: number }).receivedAt === undefined) {
    // Nothing to check against: only an order that can only shrink a position passes.
    intent = built.intent;
    increasesRisk = !isExitOnly(intent);
    if (increasesRisk) reasons.push(noDataReason(acct, venue));
  } else {
    const it = built.intent;
    intent = it;
    const view = ga.view as unknown as AccountView;
    const scopes = risk.guard!.scopes as unknown as Record<string, ScopeState>;
    const summary = ga.summary as unknown as AccountSummary | null;
    const state: RiskState = {
      version: 1,
      scopes,
      peaks: {},
      trails: {},
      issued: {},
      accounts: summary ? { [acct.key]: summary } : {},
      strategyBaselines: {},
      cashFlows: {},
    };
    const strategies = risk.guard!.strategies as unknown as Strategy[];
    const strategy = strategies.find((s) => s.strategyId === it.strategyId) ?? null;
    const received = view.receivedAt!;
    const limit = settings.data.staleAfterSec;
    const stale = now - received > limit * 1000;
    const run = (v: AccountView) =>
      validate(
        it,
        {
          view: v,
          markPrice: ga.marks[it.symbol] ?? null,
          // As the supervisor's check() passes them: the symbol's trading rules and ATR %, null when unknown.
          instrument: ga.instruments?.[it.symbol] ?? null,
          atrPct: ga.atrPct?.[it.symbol] ?? null,
          strategy,
          recentOrders: ga.recentOrders,
        },
        state,
        settings,
        now,
      );
    let result = run(view);
    // Stale data and an exit of the positions as last known that the exchange would not keep from opening: checked
    // as a new position, the symbol's positions kept (same order, same base asset) under another symbol.
    const assumedOpen = stale && !result.increasesRisk && !isExitOnly(it);
    if (assumedOpen) result = run({ ...view, positions: view.positions.map((p) => (p.symbol === it.symbol ? { ...p, symbol: `${p.symbol}-GONE` } : p)) });
    increasesRisk = result.increasesRisk;
    for (const r of result.reasons) reasons.push(reasonOf(r.level, r.reason, scopes, scopeKey));
    // Stale data: the order cannot be checked against what the account holds now.
    if (increasesRisk && stale) reasons.unshift(staleOf(view, now, limit, assumedOpen));
    if (increasesRisk) {
      const a = result.allowed;
      allowed = { maxSize: a.maxSize, maxNotional: a.maxNotional, maxLeverage: a.maxLeverage, capSource: a.leverageCapSource };
    }
  }

  let note: string | null = null;
  if (mode === 'monitor' && reasons.some((r) => r.level === 'block')) {
    for (const r of reasons) r.level = 'warn';
    note = MONITOR_NOTE;
  }
  let decision: Decision = 'allow';
  for (const r of reasons) {
    if (r.level === 'block') {
      decision = 'block';
      break;
    }
    decision = 'warn';
  }
  const blockCats = reasons.filter((r) => r.level === 'block').map((r) => r.category);
  return {
    decision,
    passive: null,
    reasons,
    account: acct.key,
    accountLabel: acct.label,
    mode,
    note,
    intent,
    increasesRisk,
    allowed: decision === 'block' ? allowed : null,
    policy: decision === 'block' ? policyFor(blockCats, g) : null,
    guard: g,
  };
}

const PROBE: OrderIntent = { venue: 'binance', accountId: null, symbol: '', side: 'buy', type: 'market', size: 1, sizeUnit: 'base', price: null, stopPrice: null, leverage: null, reduceOnly: false, positionSide: null, strategyId: 'manual', stopLoss: null };
/** validate()'s reasons that do not depend on the order. */
const GATES = new Set(['trading_state', 'breaker_open', 'probe_size', 'strategy_killed', 'strategy_disabled', 'below_minimum_balance']);

function stateOf(scopes: Record<string, ScopeState>, summary: AccountSummary | null, key: string): RiskState {
  return { version: 1, scopes, peaks: {}, trails: {}, issued: {}, accounts: summary ? { [key]: summary } : {}, strategyBaselines: {}, cashFlows: {} };
}

function staleOf(view: AccountView, now: number, limit: number, assumedOpen: boolean): GuardReason {
  const reason: RiskReason = { code: 'stale_data', seconds: (now - view.receivedAt!) / 1000, limitSeconds: limit, error: view.feedError ?? null };
  const text = formatReason(reason);
  return { level: 'block', code: 'stale_data', category: 'staleData', rule: 'stale-data', text: assumedOpen ? `${text} ${STALE_EXIT}` : text, detail: null };
}

function noDataReason(acct: AccountRisk, venue: Venue): GuardReason {
  const status = acct.statusText ?? acct.status;
  return {
    level: 'block',
    code: 'no_account_data',
    category: 'staleData',
    rule: 'stale-data',
    text: `${acct.label}: no account data from ${VENUE_NAME[venue]} yet (${status}), so orders that add risk are blocked until it arrives.`,
    detail: null,
  };
}

const GAP: Record<IntentGap, string> = { symbol: 'symbol', side: 'side (buy or sell)', size: 'size' };

function unreadableText(missing: IntentGap[]): string {
  const what = missing.map((m) => GAP[m]);
  const list = what.length > 1 ? `${what.slice(0, -1).join(', ')} and ${what.at(-1)}` : what[0]!;
  return `Ringfence could not read the order's ${list} from the page, so it cannot check this order.`;
}
