/**
 * The risk state: plain JSON data that the background persists (IndexedDB) and restores exactly.
 * Trading state per scope (account, symbol, strategy) is derived from its holds and its circuit breaker:
 * HALTED if any HALTED hold or an OPEN breaker, else REDUCING if any REDUCING hold, else ACTIVE.
 */
import type { RiskSettings } from './settings';
import { scopeName } from './format';
import type { BreakerState, GateScope, LossBasis, RiskReason, RuleId, TradingState } from './types';
import { scopeKey } from './keys';

export interface Hold {
  /** Identifies the hold within its scope: the rule id, or `${rule}#cool` for a cooling-off it asked for. */
  id: string;
  /** The rule that asked for it, or 'manual'. */
  rule: RuleId | 'manual';
  level: Exclude<TradingState, 'ACTIVE'>;
  /** 'condition': while the rule keeps finding it; 'manual': until a manual reset; a number: until that instant. */
  release: 'condition' | 'manual' | number;
  reason: RiskReason;
  since: number;
}

export interface Breaker {
  state: BreakerState;
  since: number;
  /** OPEN: the end of the cooling-off period. */
  until: number | null;
  lastBreachAt: number | null;
  reason: RiskReason | null;
}

export interface ScopeState {
  scope: GateScope;
  trading: TradingState;
  since: number;
  holds: Hold[];
  breaker: Breaker;
}

/**
 * The best price a position has reached, for the trailing stop, and when it was first seen; with the entry price and
 * |size| it had when last seen, which tell whether the position now is still that one (trails.ts ownTrail).
 */
export interface Trail {
  best: number;
  firstSeen: number;
  /** Absent in trails stored before they were tied to their position. */
  entry?: number;
  size?: number;
}

export interface SymbolTrails {
  long?: Trail;
  short?: Trail;
}

/** An action the engine asked for, so the same one is not asked for again while it is pending. */
export interface Issued {
  /** The account key it belongs to; null for strategy-wide entries. */
  account: string | null;
  at: number;
  /** |position size| when a close was asked for: a change means it executed. */
  size: number | null;
  done: boolean;
}

/** What the last evaluation learned about an account, for the pre-trade check. */
export interface AccountSummary {
  at: number;
  riskScore: number;
  losingStreak: number;
  /** Largest notional a recent losing trade had, and when it closed (revenge-trade check). */
  lastLoss: { time: number; symbol: string; notional: number } | null;
}

/**
 * A deposit, withdrawal or transfer as the state keeps it: limits are measured net of it. `time` is the venue's; `at`
 * is when it counts from, compared with the period start values' times: when it was recorded, for a flow reported as it
 * happened, or its venue time, for one read from the venue's history after a gap (see recordCashFlow).
 */
export interface RecordedCashFlow {
  id: string;
  amount: number;
  asset: string;
  kind: string;
  time: number;
  at: number;
  /**
   * The account's values just before the flow, when known (a flow reported as it happened; not one read from the
   * history after a gap). With them the flow rescales the bases instead of shifting them (see flowAdjustedBase).
   */
  before?: FlowBefore;
}

/** Equity and wallet balance of an account right before a cash flow. */
export interface FlowBefore {
  equity: number;
  walletBalance: number;
}

/** Flows are kept this long: longer than the longest loss period (a month). */
export const CASH_FLOW_RETAIN_MS = 40 * 86_400_000;
/** And at most this many per account (newest kept), so the state stays small. */
export const CASH_FLOW_MAX = 500;

export interface RiskState {
  version: 1;
  scopes: Record<string, ScopeState>;
  /** Peak equity per account key. */
  peaks: Record<string, number>;
  /** Per account key, per symbol, per side (hedge mode holds both). */
  trails: Record<string, Record<string, SymbolTrails>>;
  /** Keyed `${tag}|${scope key}|${detail}`. */
  issued: Record<string, Issued>;
  accounts: Record<string, AccountSummary>;
  /** Strategy kill switches re-armed by a manual reset measure PnL from this baseline. */
  strategyBaselines: Record<string, number>;
  /**
   * Per strategy: the high-water mark of its PnL (realized + unrealized - baseline) since it was created or last reset,
   * never below 0: the kill switch measures its drawdown from here. Absent in states written before it was kept.
   */
  strategyPeaks?: Record<string, number>;
  /** Per account key, oldest first: the cash flows of the last CASH_FLOW_RETAIN_MS. */
  cashFlows: Record<string, RecordedCashFlow[]>;
}

export type RiskEvent =
  | {
      kind: 'trading_state';
      at: number;
      scope: GateScope;
      from: TradingState;
      to: TradingState;
      cause: 'hold_added' | 'hold_released' | 'breaker';
      reason: RiskReason | null;
      settings: RiskSettings;
    }
  | {
      kind: 'breaker';
      at: number;
      scope: GateScope;
      from: BreakerState;
      to: BreakerState;
      cause: 'breach' | 'cooling_elapsed' | 'clean_interval';
      reason: RiskReason | null;
      settings: RiskSettings;
    }
  | {
      kind: 'manual_reset';
      at: number;
      scope: GateScope;
      actor: string;
      note: string;
      /** The holds it cleared and the breaker state it left. */
      cleared: Hold[];
      breakerWas: BreakerState;
      settings: RiskSettings;
    };

export const initialRiskState = (): RiskState => ({
  version: 1,
  scopes: {},
  peaks: {},
  trails: {},
  issued: {},
  accounts: {},
  strategyBaselines: {},
  strategyPeaks: {},
  cashFlows: {},
});

export const closedBreaker = (now: number): Breaker => ({ state: 'CLOSED', since: now, until: null, lastBreachAt: null, reason: null });

const RANK: Record<TradingState, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };
export const tradingRank = (t: TradingState) => RANK[t];

export function deriveTrading(holds: readonly Hold[], breaker: Breaker): TradingState {
  let t: TradingState = breaker.state === 'OPEN' ? 'HALTED' : 'ACTIVE';
  for (const h of holds) if (RANK[h.level] > RANK[t]) t = h.level;
  return t;
}

/** The trading state in force for a scope (ACTIVE when the state holds nothing for it). */
export function tradingStateOf(state: RiskState, scope: GateScope): TradingState {
  return state.scopes[scopeKey(scope)]?.trading ?? 'ACTIVE';
}

export interface ManualReset {
  scope: GateScope;
  /** Who reset it (user name, or 'options page'): recorded in the event. */
  actor: string;
  note: string;
  /**
   * Account scope: the equity to measure drawdown from from now on (the new peak).
   * Strategy scope: the cumulative PnL the kill switch measures from from now on.
   */
  baseline?: number;
}

/**
 * Manual reset of a scope's breaker and kill switches: clears every hold (manual ones included), closes the breaker,
 * and returns the event recording who did it. Conditions that still hold will be found again on the next evaluation.
 */
export function manualReset(
  state: RiskState,
  reset: ManualReset,
  settings: RiskSettings,
  now: number,
): { nextState: RiskState; event: RiskEvent } {
  const key = scopeKey(reset.scope);
  const prev = state.scopes[key];
  const scopes = { ...state.scopes };
  delete scopes[key];
  const next: RiskState = { ...state, scopes };
  if (reset.baseline !== undefined && Number.isFinite(reset.baseline)) {
    if (reset.scope.kind === 'account') next.peaks = { ...state.peaks, [key]: reset.baseline };
    if (reset.scope.kind === 'strategy') next.strategyBaselines = { ...state.strategyBaselines, [reset.scope.strategyId]: reset.baseline };
  }
  // A strategy's high-water mark starts again from its (new) baseline.
  if (reset.scope.kind === 'strategy' && state.strategyPeaks?.[reset.scope.strategyId] !== undefined) {
    const { [reset.scope.strategyId]: _old, ...peaks } = state.strategyPeaks;
    next.strategyPeaks = peaks;
  }
  // Pending requests for the scope (and, for an account, its symbols) are forgotten, so a fresh breach asks again.
  const issued: Record<string, Issued> = {};
  for (const [k, v] of Object.entries(state.issued)) {
    const sk = k.split('|')[1] ?? '';
    const inScope = sk === key || (reset.scope.kind === 'account' && sk.startsWith(`${key}:`));
    if (!inScope) issued[k] = v;
  }
  next.issued = issued;
  return {
    nextState: next,
    event: {
      kind: 'manual_reset',
      at: now,
      scope: reset.scope,
      actor: reset.actor,
      note: reset.note,
      cleared: prev?.holds ?? [],
      breakerWas: prev?.breaker.state ?? 'CLOSED',
      settings,
    },
  };
}

/** A flow of the same asset and amount this close in venue time to a recorded one is that one, under another id. */
export const CASH_FLOW_SAME_MS = 5_000;

/**
 * A base value (a period start value, the peak) carried across one cash flow. Loss limits and drawdown are percentages
 * of the account's trading, so a flow must leave them where they were: with the account's value right before the flow
 * known, the base is scaled by (value + flow) / value, the time-weighted way (a withdrawal of 40% during a day 1.5%
 * down leaves the day 1.5% down; shifting the base by the amount would make it 2.5%). Without that value, or when it
 * is not positive or the flow takes more than it, the base moves by the amount (never below zero).
 */
export function carryBase(base: number, amount: number, valueBefore: number | undefined): number {
  if (valueBefore !== undefined && valueBefore > 0 && valueBefore + amount >= 0) return (base * (valueBefore + amount)) / valueBefore;
  return Math.max(0, base + amount);
}

/**
 * Records a deposit (+) or withdrawal (-) of an account, as of `at`: when it was reported as it happened, or its venue
 * time when read from the venue's history after a gap. `before`: the account's values right before the flow, when
 * known. The loss periods whose start value was taken before `at` measure from it carried across the flow
 * (flowAdjustedBase), and the peak equity is carried across it at once (carryBase), so a withdrawal is not a drawdown
 * and a deposit does not hide one. The adapters report a flow before the balance that shows it, so the peak has not
 * taken the new balance yet. The same flow twice changes nothing: the same id, or (a stream push and a history row
 * name one transfer differently) the same asset and amount within CASH_FLOW_SAME_MS of venue time.
 */
export function recordCashFlow(
  state: RiskState,
  key: string,
  flow: { id: string; amount: number; asset: string; kind: string; time: number },
  at: number,
  before: FlowBefore | null = null,
): { nextState: RiskState; recorded: boolean } {
  const prev = state.cashFlows[key] ?? [];
  const same = (f: RecordedCashFlow) =>
    f.id === flow.id || (f.asset === flow.asset && f.amount === flow.amount && Math.abs(f.time - flow.time) <= CASH_FLOW_SAME_MS);
  if (!Number.isFinite(flow.amount) || flow.amount === 0 || prev.some(same)) return { nextState: state, recorded: false };
  const cutoff = at - CASH_FLOW_RETAIN_MS;
  const kept = prev.filter((f) => f.at >= cutoff);
  const usable = before !== null && Number.isFinite(before.equity) && Number.isFinite(before.walletBalance);
  kept.push({ id: flow.id, amount: flow.amount, asset: flow.asset, kind: flow.kind, time: flow.time, at, ...(usable ? { before: { equity: before.equity, walletBalance: before.walletBalance } } : {}) });
  const next: RiskState = { ...state, cashFlows: { ...state.cashFlows, [key]: kept.slice(-CASH_FLOW_MAX) } };
  const peak = state.peaks[key];
  if (peak !== undefined) next.peaks = { ...state.peaks, [key]: carryBase(peak, flow.amount, usable ? before.equity : undefined) };
  return { nextState: next, recorded: true };
}

/** Sum of the account's flows recorded after `since` (a period start value's time). */
export function cashFlowSince(flows: readonly RecordedCashFlow[] | undefined, since: number): number {
  let sum = 0;
  if (flows) for (const f of flows) if (f.at > since) sum += f.amount;
  return sum;
}

/**
 * A period start value (equity or wallet balance, per `basis`) carried across the flows recorded after `since`, in
 * the order they were recorded (carryBase): what the period's loss % is measured against.
 */
export function flowAdjustedBase(
  start: number,
  flows: readonly RecordedCashFlow[] | undefined,
  since: number,
  basis: LossBasis,
): number {
  let base = start;
  // The start value is the equity on the equity basis, the wallet balance on the others (as in context.ts).
  if (flows) for (const f of flows) if (f.at > since) base = carryBase(base, f.amount, basis === 'equity' ? f.before?.equity : f.before?.walletBalance);
  return base;
}

/** One line for an event, for the audit log. */
export function describeEvent(e: RiskEvent): string {
  const who = scopeName(e.scope);
  switch (e.kind) {
    case 'trading_state':
      return `${who}: trading ${e.from} -> ${e.to}.`;
    case 'breaker':
      return `${who}: circuit breaker ${e.from} -> ${e.to}.`;
    case 'manual_reset':
      return `${who}: reset by ${e.actor}${e.note ? ` (${e.note})` : ''}.`;
  }
}
