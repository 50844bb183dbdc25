/**
 * The order guard's envelope: what a page needs to decide on an order synchronously at click time, precomputed by the
 * background per account from the same inputs lib/risk validate() takes, minus the order itself. Everything that does
 * not depend on the order is worked out here (trading states and breakers with their reasons already formatted, the
 * strategy's kill and enable flags, the minimum balance, the leverage cap and its source (per symbol too, where the
 * symbol's ATR % or the venue's maximum lowers it), the symbols' lot steps and minimum order values, the per-trade
 * margin base, the correlation groups' notionals); the page (lib/pages/guard-verdict.ts) adds the order: a few comparisons and
 * template fills, with the same arithmetic in the same order as validate(), so its verdict, reasons' texts and
 * what-would-pass numbers are validate()'s exactly (tests/unit/pages/guard-envelope.test.ts checks that on random
 * orders and states). Pure.
 */
import type { InstrumentRules, Strategy } from '../domain/types';
import type { AccountView } from './context';
import { formatReason, num } from './format';
import { accountKey, baseAsset, strategyKey, symbolKey } from './keys';
import { riskLevelFor } from './score';
import type { RiskSettings } from './settings';
import type { AccountSummary, ScopeState } from './state';
import type { LeverageCapSource, RiskReason, RuleId } from './types';
import { leverageCap, type RecentOrder } from './validate';

/** The kinds of block, each with its own override policy (lib/pages/guard-override BLOCK_CATEGORIES; a test keeps them equal). */
export type GateCategory = 'tradingState' | 'killedStrategy' | 'coolingOff' | 'leverageCap' | 'sizeCap' | 'staleData' | 'other';

/** One reason that applies to every order that adds risk, whatever its size (a trading state, a killed strategy...). */
export interface EnvelopeGate {
  level: 'block' | 'warn';
  code: string;
  category: GateCategory;
  rule: RuleId | null;
  text: string;
  /** Why a scope is halted or reducing: the hold's own reason. */
  detail: string | null;
  /** A block no smaller size would pass (nothing passes: the what-would-pass size is 0). */
  hard: boolean;
  /** Probation (a half-open breaker): the share of the normal size allowed. */
  probe: number | null;
}

/** A position as the order's effect needs it (open positions only, in the account's order). */
export interface EnvelopePosition {
  symbol: string;
  side: 'long' | 'short';
  size: number;
  notional: number;
  leverage: number;
  markPrice: number | null;
}

/** The leverage cap in force, its source, and the text after "Leverage Nx" when an order is above it. */
export interface EnvelopeCap {
  cap: number;
  capSource: LeverageCapSource;
  capTail: string;
  /** "The order does not show its leverage; checked at 20x.". */
  leverageUnknownText: string;
}

export interface GuardEnvelope extends EnvelopeCap {
  key: string;
  venue: 'binance' | 'hyperliquid';
  accountId: string;
  mode: 'monitor' | 'guard' | 'enforce';
  /** When the account's data last arrived; null: none yet (orders that add risk are blocked). */
  receivedAt: number | null;
  feedError: string | null;
  staleAfterSec: number;
  equity: number;
  /** Gates in validate()'s order: the account's scope; the symbol's scope (by symbol); the strategy's scope, the strategy row and the balance. */
  pre: EnvelopeGate[];
  symbols: Record<string, EnvelopeGate[]>;
  post: EnvelopeGate[];
  /** The cap fields above per symbol where the symbol's own cap differs (its ATR %, the venue's maximum leverage). */
  caps: Record<string, EnvelopeCap>;
  /** Per symbol whose trading rules are known: the lot step (what would pass is rounded down to it) and the minimum order value. */
  lots: Record<string, { lotStep: number; minNotional: number }>;
  /** equity x min(strategy risk per trade %, risk level base size %): the per-trade margin cap before probation and /100. */
  capBase: number;
  stopLossUsd: number;
  /** The strategy's Symbol column: an order on another symbol is blocked (validate's strategy_symbol); null: any symbol. */
  strategySymbol: { strategyId: string; symbol: string } | null;
  maxLossAtStopPct: number;
  exposureLimitPct: number;
  exposureWarningPct: number;
  symbolLimitPct: number;
  /** Open positions (size != 0), their gross notional, and the sentence when one more would be above the count limit. */
  positions: EnvelopePosition[];
  gross: number;
  positionCountText: string | null;
  /** Correlation groups (settings order, base assets upper-cased) and the notional of each base asset in none, from the open positions. */
  groups: { name: string; assets: string[]; notional: number }[];
  assets: Record<string, number>;
  marks: Record<string, number>;
  recentOrders: RecentOrder[];
  duplicateWindowSec: number;
  maxOrdersPerMinute: number;
  maxTradesPerHour: number;
  maxTradesPerDay: number;
  lastLoss: { time: number; notional: number } | null;
  revengeWindowMin: number;
  revengeSizeMultiple: number;
  /** "Equity is $0.00: nothing can be sized against it." when equity is not positive; null otherwise. */
  equityText: string | null;
}

export interface EnvelopeInput {
  /** The account's key (`venue:accountId`) and mode. */
  key: string;
  mode: GuardEnvelope['mode'];
  view: AccountView;
  /** The pre-trade summary recorded under `key` (risk score, losing streak, last loss). */
  summary: AccountSummary | null;
  scopes: Record<string, ScopeState | undefined>;
  settings: RiskSettings;
  strategies: readonly Strategy[];
  marks: Record<string, number>;
  recentOrders: readonly RecentOrder[];
  /** The strategy orders placed on the page belong to. */
  strategyId: string;
  /** Per symbol the background knows: the ATR % (the market watch) and the venue's trading rules; a symbol missing: null. */
  atrPct?: Record<string, number>;
  instruments?: Record<string, InstrumentRules>;
}

// The guard's kind of block and audit rule per reason code (lib/pages/guard-verdict.ts uses the same for the
// reasons it adds itself).
const CATEGORY: Partial<Record<string, GateCategory>> = {
  strategy_killed: 'killedStrategy',
  strategy_disabled: 'killedStrategy',
  strategy_symbol: 'killedStrategy',
  breaker_open: 'coolingOff',
  probe_size: 'sizeCap',
};
const RULE: Partial<Record<string, RuleId>> = {
  strategy_killed: 'strategy-kill-switch',
  breaker_open: 'cooling-off',
  below_minimum_balance: 'minimum-balance',
};
const CAP_SOURCE: Record<LeverageCapSource, string> = {
  mode: 'leverage mode',
  volatility: 'high-volatility',
  losing_streak: 'losing-streak',
  risk_level: 'risk-level',
  instrument: "exchange's",
};

const isCooling = (h: ScopeState['holds'][number]) => h.id.endsWith('#cool') || h.reason.code === 'cooling_off';

/** A gate reason as the guard shows it: its category, its rule and, for a trading state, the hold behind it. */
function gate(level: 'block' | 'warn', r: RiskReason, sc: ScopeState | undefined, hard: boolean, probe: number | null = null): EnvelopeGate {
  let category: GateCategory = CATEGORY[r.code] ?? 'other';
  let rule = RULE[r.code] ?? null;
  let detail: string | null = null;
  if (r.code === 'trading_state') {
    // A halt is a cooling-off when every hold at that level is one; the hold's own reason says why.
    const holds = sc ? sc.holds.filter((h) => h.level === r.state) : [];
    category = holds.length > 0 && holds.every(isCooling) ? 'coolingOff' : 'tradingState';
    const first = holds[0];
    if (first) {
      detail = formatReason(first.reason);
      if (first.rule !== 'manual') rule = first.rule;
    }
  }
  return { level, code: r.code, category, rule, text: formatReason(r), detail, hard, probe };
}

/** A scope's gate, as validate() checks it: an open breaker, else a trading state, else probation. */
function scopeGate(sc: ScopeState | undefined, s: RiskSettings): EnvelopeGate | null {
  if (!sc) return null;
  if (sc.breaker.state === 'OPEN') return gate('block', { code: 'breaker_open', scope: sc.scope, until: sc.breaker.until }, sc, true);
  if (sc.trading !== 'ACTIVE') return gate('block', { code: 'trading_state', scope: sc.scope, state: sc.trading }, sc, true);
  if (sc.breaker.state === 'HALF_OPEN') return gate('warn', { code: 'probe_size', scope: sc.scope, probePct: s.behaviour.probeSizePct }, sc, false, s.behaviour.probeSizePct / 100);
  return null;
}

const own = <T>(r: Record<string, T | undefined>, k: string): T | undefined => (Object.prototype.hasOwnProperty.call(r, k) ? r[k] : undefined);

const capOf = ({ cap, source }: { cap: number; source: LeverageCapSource }): EnvelopeCap => ({
  cap,
  capSource: source,
  capTail: `x is above the ${CAP_SOURCE[source]} cap of ${num(cap)}x.`,
  leverageUnknownText: formatReason({ code: 'leverage_unknown', assumed: cap }),
});

export function buildEnvelope(inp: EnvelopeInput): GuardEnvelope {
  const { view, settings: s, scopes } = inp;
  const { account } = view;
  const aKey = accountKey(account.venue, account.accountId);
  // validate() reads the summary under the view's own account key.
  const summary = inp.key === aKey ? inp.summary : null;
  const score = summary?.riskScore ?? 0;
  const streak = summary?.losingStreak ?? 0;
  const base = capOf(leverageCap(score, streak, null, null, s));
  // Per symbol, validate()'s leverageCap with the symbol's ATR % and trading rules; kept only where it differs.
  const atr = inp.atrPct ?? {};
  const instruments = inp.instruments ?? {};
  const caps: Record<string, EnvelopeCap> = {};
  const lots: Record<string, { lotStep: number; minNotional: number }> = {};
  for (const sym of new Set([...Object.keys(atr), ...Object.keys(instruments)])) {
    const ins = own(instruments, sym) ?? null;
    const c = leverageCap(score, streak, own(atr, sym) ?? null, ins, s);
    if (c.cap !== base.cap || c.source !== base.capSource) caps[sym] = capOf(c);
    if (ins) lots[sym] = { lotStep: ins.lotStep, minNotional: ins.minNotional };
  }

  const pre: EnvelopeGate[] = [];
  const a = scopeGate(own(scopes, aKey), s);
  if (a) pre.push(a);
  // The symbol scopes of this account that gate orders, by symbol (validate() looks up symbolKey(venue, account, symbol)).
  const prefix = symbolKey(account.venue, account.accountId, '');
  const syms: [string, EnvelopeGate[]][] = [];
  for (const k of Object.keys(scopes)) {
    if (!k.startsWith(prefix)) continue;
    const g = scopeGate(scopes[k], s);
    if (g) syms.push([k.slice(prefix.length), [g]]);
  }
  const symbols: Record<string, EnvelopeGate[]> = Object.fromEntries(syms);

  const post: EnvelopeGate[] = [];
  const st = scopeGate(own(scopes, strategyKey(inp.strategyId)), s);
  if (st) post.push(st);
  const row = inp.strategies.find((x) => x.strategyId === inp.strategyId) ?? null;
  const d = s.strategyDefaults;
  const riskPerTradePct = row?.riskPerTradePct ?? d.riskPerTradePct;
  const stopLossUsd = row?.stopLossUsd ?? d.stopLossUsd;
  if (row?.killed) post.push(gate('block', { code: 'strategy_killed', strategyId: inp.strategyId }, undefined, true));
  if (!(row?.enabled ?? d.enabled)) post.push(gate('block', { code: 'strategy_disabled', strategyId: inp.strategyId }, undefined, true));
  if (account.walletBalance < s.account.minBalanceUsd) {
    post.push(gate('block', { code: 'below_minimum_balance', balance: account.walletBalance, minimum: s.account.minBalanceUsd }, undefined, true));
  }

  // Open positions, in the account's order (validate() sums them in that order: the same sums to the last bit).
  const positions: EnvelopePosition[] = [];
  let gross = 0;
  for (const p of view.positions) {
    if (p.size === 0) continue;
    positions.push({ symbol: p.symbol, side: p.side, size: p.size, notional: p.notional, leverage: p.leverage, markPrice: p.markPrice });
    gross += p.notional;
  }
  const groups = s.account.correlationGroups.map((g) => {
    const set = new Set(g.map((x) => x.toUpperCase()));
    let n = 0;
    for (const p of positions) if (set.has(baseAsset(p.symbol))) n += p.notional;
    return { name: g.join('+'), assets: [...set], notional: n };
  });
  const assets = new Map<string, number>();
  for (const p of positions) {
    const b = baseAsset(p.symbol);
    assets.set(b, (assets.get(b) ?? 0) + p.notional);
  }
  const count = positions.length;
  const limit = s.account.positionCount.limit;
  const equity = account.equity;
  const ex = s.account.exposure;
  const b = s.behaviour;
  const loss = summary?.lastLoss ?? null;

  return {
    key: inp.key,
    venue: account.venue,
    accountId: account.accountId,
    mode: inp.mode,
    receivedAt: view.receivedAt ?? null,
    feedError: view.feedError ?? null,
    staleAfterSec: s.data.staleAfterSec,
    equity,
    pre,
    symbols,
    post,
    ...base,
    caps,
    lots,
    capBase: equity * Math.min(riskPerTradePct, s.leverage.riskLevels[riskLevelFor(score)].baseSizePct),
    stopLossUsd,
    strategySymbol: row?.symbol != null ? { strategyId: inp.strategyId, symbol: row.symbol } : null,
    maxLossAtStopPct: s.sizing.maxLossAtStopPct,
    exposureLimitPct: ex.limitPct,
    exposureWarningPct: ex.warningPct,
    symbolLimitPct: ex.symbolLimitPct,
    positions,
    gross,
    positionCountText: count >= limit ? formatReason({ code: 'position_count', count, limit }) : null,
    groups,
    assets: Object.fromEntries(assets),
    marks: { ...inp.marks },
    recentOrders: inp.recentOrders.map((o) => ({ symbol: o.symbol, side: o.side, size: o.size, time: o.time })),
    duplicateWindowSec: b.duplicateWindowSec,
    maxOrdersPerMinute: b.maxOrdersPerMinute,
    maxTradesPerHour: b.maxTradesPerHour,
    maxTradesPerDay: b.maxTradesPerDay,
    lastLoss: loss ? { time: loss.time, notional: loss.notional } : null,
    revengeWindowMin: b.revenge.windowMin,
    revengeSizeMultiple: b.revenge.sizeMultiple,
    equityText: equity > 0 ? null : formatReason({ code: 'equity_unusable', equity }),
  };
}
