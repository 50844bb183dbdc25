/**
 * Inputs to an evaluation and the per-account context the rules read. Everything a rule needs is computed here once
 * (metrics, trades, the effective strategy table), so rules stay small pure functions.
 */
import type { AccountSnapshot, Fill, OpenOrder, Position, Strategy } from '../domain/types';
import { accountKey, baseAsset } from './keys';
import { periodBounds, type PeriodBounds } from './periods';
import { riskScore, type RiskScoreInputs } from './score';
import type { RiskSettings } from './settings';
import { cashFlowSince, flowAdjustedBase, type RecordedCashFlow, type RiskState, type SymbolTrails, type Trail } from './state';
import { ownTrail } from './trails';
import type { LossBasis, LossPeriod } from './types';

/** One account as the adapters last saw it. */
export interface AccountView {
  account: AccountSnapshot;
  positions: Position[];
  openOrders: OpenOrder[];
  /** When data for this account last arrived (epoch ms); defaults to account.time. */
  receivedAt?: number;
  /** The last feed or API error, while the feed is failing. */
  feedError?: string | null;
}

export interface PeriodStartValue {
  equity: number;
  walletBalance: number;
  /** When it was recorded: a value from before the current period's start is treated as missing. */
  at: number;
}

export interface EvaluationHistory {
  /** Recent fills of every account (at least the current trading day), in any order. */
  fills: Fill[];
  /**
   * The portfolio manager's strategy table; strategies not listed take settings.strategyDefaults. Like the fills, a
   * new array when it changes, never mutated once passed (the engine memoises its lookup by the array's identity).
   */
  strategies: Strategy[];
  /** Per account key (venue:accountId), the equity and balance at each period's start. */
  periodStarts: Record<string, Partial<Record<LossPeriod, PeriodStartValue>>>;
  /** ATR as % of price per symbol (see sizing.atrPercent); missing symbols count as calm. */
  atrPct: Record<string, number>;
}

export const emptyHistory = (): EvaluationHistory => ({ fills: [], strategies: [], periodStarts: {}, atrPct: {} });

export interface EffectiveStrategy {
  strategyId: string;
  /** The one symbol it may trade; null: any. */
  symbol: string | null;
  enabled: boolean;
  riskPerTradePct: number;
  stopLossUsd: number;
  maxDrawdownUsd: number;
  killed: boolean;
  totalPnl: number;
}

export function effectiveStrategy(id: string, table: ReadonlyMap<string, Strategy>, settings: RiskSettings): EffectiveStrategy {
  const row = table.get(id);
  if (row) return row;
  const d = settings.strategyDefaults;
  return { strategyId: id, symbol: null, enabled: d.enabled, riskPerTradePct: d.riskPerTradePct, stopLossUsd: d.stopLossUsd, maxDrawdownUsd: d.maxDrawdownUsd, killed: false, totalPnl: 0 };
}

/** A closing order (a fill of it closed part of a position: see tradesFromFills): its fills' realized PnL net of fees. */
export interface ClosedTrade {
  orderId: string;
  symbol: string;
  time: number;
  pnl: number;
  notional: number;
}
/** An opening order (no fill of it closed anything). */
export interface OpenedTrade {
  orderId: string;
  symbol: string;
  time: number;
  notional: number;
}

export interface PeriodLoss {
  period: LossPeriod;
  basis: LossBasis;
  /** The value at the period start; null: none for the current period. */
  startValue: number | null;
  /** Deposits (+) and withdrawals (-) recorded since the period's start value was taken. */
  netFlows: number;
  /** The start value carried across those flows (flowAdjustedBase): what lossPct is measured against. */
  base: number | null;
  current: number;
  /** Loss as % of the start value (negative: a gain); null when unmeasurable. */
  lossPct: number | null;
}

export interface AccountMetrics {
  grossNotional: number;
  /** Gross notional as % of equity; null when equity <= 0. */
  exposurePct: number | null;
  peakEquity: number;
  drawdownPct: number;
  losses: Record<LossPeriod, PeriodLoss>;
  losingStreak: number;
  scoreInputs: RiskScoreInputs;
  riskScore: number;
}

export interface AccountContext {
  now: number;
  key: string;
  view: AccountView;
  account: AccountSnapshot;
  /** Positions with a non-zero size. */
  positions: Position[];
  /** Per position (same index): the trail the state holds for it, if it belongs to this position (trails.ts). */
  trails: readonly (Trail | undefined)[];
  /** Per position (same index): the symbol's ATR % from the history, NaN when it has none. */
  atrAt: readonly number[];
  /** Newest last. */
  closedTrades: ClosedTrade[];
  openedTrades: OpenedTrade[];
  periods: PeriodBounds;
  atrPct: Record<string, number>;
  strategy(id: string): EffectiveStrategy;
  metrics: AccountMetrics;
  /** The state before this evaluation (read only). */
  state: RiskState;
}

/** Every account at once, for rules that span accounts (strategies). */
export interface PortfolioContext {
  now: number;
  accounts: AccountContext[];
  strategies: Strategy[];
  strategy(id: string): EffectiveStrategy;
  state: RiskState;
}

/*
 * Fills change only when a fill arrives, while evaluate() runs on every price update: the fill-derived data is
 * memoised by the identity of the fills array. Callers hand in a new array when the fills change and never mutate
 * one they passed (the background builds a fresh history array on each new fill).
 */
const byAccountMemo = new WeakMap<readonly Fill[], Map<string, Fill[]>>();
const tradesMemo = new WeakMap<readonly Fill[], { closed: ClosedTrade[]; opened: OpenedTrade[] }>();

/** Groups fills by account key (memoised per fills array). */
export function fillsByAccount(fills: readonly Fill[]): Map<string, Fill[]> {
  const hit = byAccountMemo.get(fills);
  if (hit) return hit;
  const out = new Map<string, Fill[]>();
  byAccountMemo.set(fills, out);
  for (const f of fills) {
    const k = accountKey(f.venue, f.accountId);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(f);
  }
  return out;
}

/**
 * Orders reconstructed from fills, oldest first (memoised per fills array; the result is read-only). An order is
 * closing when a fill of it realized PnL or the venue marks it closing (Fill.closing): a close at exactly the entry
 * price realizes 0 and is still a close (a loss of its fees), not an opening order.
 */
export function tradesFromFills(fills: readonly Fill[]): { closed: ClosedTrade[]; opened: OpenedTrade[] } {
  const hit = tradesMemo.get(fills);
  if (hit) return hit;
  const byOrder = new Map<string, { symbol: string; time: number; pnl: number; notional: number; closing: boolean }>();
  for (const f of fills) {
    const o = byOrder.get(f.orderId);
    const closing = f.realizedPnl !== 0 || f.closing === true;
    if (!o) byOrder.set(f.orderId, { symbol: f.symbol, time: f.time, pnl: f.realizedPnl - f.fee, notional: f.price * f.size, closing });
    else {
      o.time = Math.max(o.time, f.time);
      o.pnl += f.realizedPnl - f.fee;
      o.notional += f.price * f.size;
      o.closing ||= closing;
    }
  }
  const closed: ClosedTrade[] = [];
  const opened: OpenedTrade[] = [];
  for (const [orderId, o] of byOrder) {
    if (o.closing) closed.push({ orderId, symbol: o.symbol, time: o.time, pnl: o.pnl, notional: o.notional });
    else opened.push({ orderId, symbol: o.symbol, time: o.time, notional: o.notional });
  }
  const byTime = (a: { time: number; orderId: string }, b: { time: number; orderId: string }) =>
    a.time - b.time || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);
  closed.sort(byTime);
  opened.sort(byTime);
  const result = { closed, opened };
  tradesMemo.set(fills, result);
  return result;
}

export function losingStreak(closed: readonly ClosedTrade[]): number {
  let n = 0;
  for (let i = closed.length - 1; i >= 0 && closed[i]!.pnl < 0; i--) n++;
  return n;
}

/** A period's loss as the loss rules measure it; the views show the same figure (supervisor/risk-view.ts). */
export function periodLoss(
  period: LossPeriod,
  start: PeriodStartValue | undefined,
  periodStart: number,
  account: AccountSnapshot,
  basis: LossBasis,
  flows: readonly RecordedCashFlow[] | undefined,
): PeriodLoss {
  const current = basis === 'balance' ? account.walletBalance : account.equity;
  if (!start || start.at < periodStart) return { period, basis, startValue: null, netFlows: 0, base: null, current, lossPct: null };
  // Money moved in or out since the start is not a gain or a loss: the base is carried across it.
  const startValue = basis === 'equity' ? start.equity : start.walletBalance;
  const netFlows = cashFlowSince(flows, start.at);
  const base = flowAdjustedBase(startValue, flows, start.at, basis);
  const pct = ((base - current) / base) * 100;
  const lossPct = base > 0 && Number.isFinite(pct) ? pct : null;
  return { period, basis, startValue, netFlows, base, current, lossPct };
}

const NO_STARTS: Partial<Record<LossPeriod, PeriodStartValue>> = Object.freeze({});

/*
 * The period losses read only the account snapshot, its period start values and the period bounds, which change far
 * less often than prices (a new snapshot object per account update, bounds once a day): memoised by their identity.
 */
const lossesMemo = new WeakMap<
  AccountSnapshot,
  {
    daily?: PeriodStartValue;
    weekly?: PeriodStartValue;
    monthly?: PeriodStartValue;
    periods: PeriodBounds;
    basis: LossBasis;
    flows: readonly RecordedCashFlow[] | undefined;
    losses: Record<LossPeriod, PeriodLoss>;
  }
>();

function periodLosses(
  account: AccountSnapshot,
  starts: Partial<Record<LossPeriod, PeriodStartValue>>,
  periods: PeriodBounds,
  basis: LossBasis,
  flows: readonly RecordedCashFlow[] | undefined,
): Record<LossPeriod, PeriodLoss> {
  const hit = lossesMemo.get(account);
  const { daily, weekly, monthly } = starts;
  if (hit && hit.daily === daily && hit.weekly === weekly && hit.monthly === monthly && hit.periods === periods && hit.basis === basis && hit.flows === flows)
    return hit.losses;
  const losses = {
    daily: periodLoss('daily', daily, periods.daily.start, account, basis, flows),
    weekly: periodLoss('weekly', weekly, periods.weekly.start, account, basis, flows),
    monthly: periodLoss('monthly', monthly, periods.monthly.start, account, basis, flows),
  };
  lossesMemo.set(account, { daily, weekly, monthly, periods, basis, flows, losses });
  return losses;
}

/** True when every element is a position with a non-zero size (no holes, nothing that filter would drop or trip on). */
function noneFlat(list: readonly Position[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const p = list[i];
    if (p === undefined || p.size === 0) return false;
  }
  return true;
}

/*
 * Scratch for the concentration sums in buildAccountContext, which runs for every account on every evaluation.
 * Each symbol maps (memoised) to a small integer id of its base asset; a per-call stamp marks the ids seen in this
 * call, so the arrays need no clearing. Single-threaded and not re-entrant, so one set of arrays is enough.
 */
const symbolSlot = new Map<string, number>();
const assetSlotOf = new Map<string, number>();
let assetSum = new Float64Array(64);
let assetStamp = new Float64Array(64);
let assetOrder = new Int32Array(64);
let assetStampNow = 0;

function nextAssetStamp(): number {
  // Bounded like baseAsset's memo; only reset between calls, so ids stay consistent within one.
  if (symbolSlot.size > 4096) {
    symbolSlot.clear();
    assetSlotOf.clear();
  }
  return ++assetStampNow;
}

function assetSlot(symbol: string): number {
  let id = symbolSlot.get(symbol);
  if (id !== undefined) return id;
  const a = baseAsset(symbol);
  id = assetSlotOf.get(a);
  if (id === undefined) {
    id = assetSlotOf.size;
    assetSlotOf.set(a, id);
    if (id >= assetSum.length) {
      const cap = assetSum.length * 2;
      const sum = new Float64Array(cap);
      sum.set(assetSum);
      assetSum = sum;
      const st = new Float64Array(cap);
      st.set(assetStamp);
      assetStamp = st;
      const ord = new Int32Array(cap);
      ord.set(assetOrder);
      assetOrder = ord;
    }
  }
  symbolSlot.set(symbol, id);
  return id;
}

export function buildAccountContext(
  view: AccountView,
  fills: readonly Fill[],
  history: EvaluationHistory,
  strategy: (id: string) => EffectiveStrategy,
  state: RiskState,
  settings: RiskSettings,
  now: number,
): AccountContext {
  const account = view.account;
  const key = accountKey(account.venue, account.accountId);
  // The view's own array when no position is flat (the usual case): rules only read it, so no copy per evaluation.
  const positions = noneFlat(view.positions) ? view.positions : view.positions.filter((p) => p.size !== 0);
  const { closed, opened } = tradesFromFills(fills);
  const periods = periodBounds(now, settings.account.dayStart);
  const losses = periodLosses(account, history.periodStarts[key] ?? NO_STARTS, periods, settings.account.lossBasis, state.cashFlows[key]);

  let gross = 0;
  let levWeighted = 0;
  let atrWeighted = 0;
  // Notional per base asset, summed in position order and read in first-seen order (as a Map would), in scratch
  // arrays indexed by asset id: no Map, boxed numbers or iterator results per call (see assetSlot).
  const stamp = nextAssetStamp();
  let nAssets = 0;
  // The per-symbol lookups every position rule would repeat (trail, ATR, asset) are made once here, and once per
  // symbol: hedge legs of one symbol sit next to each other, so the previous position's answers usually serve.
  const trailRec = state.trails[key];
  // When the account's trails were last written (each evaluation writes them), and the gap allowed between two.
  const lastSeen = state.accounts[key]?.at;
  const gapMs = settings.data.staleAfterSec * 1000;
  // Filled by push: packed arrays (a typed array would be a malloc'ed buffer per account per evaluation).
  const trails: (Trail | undefined)[] = [];
  const atrAt: number[] = [];
  const atrTable = history.atrPct;
  let lastSymbol: string | null = null;
  let symTrails: SymbolTrails | undefined;
  let symAtr = NaN;
  let symAtrRaw: number | undefined;
  let symSlot = 0;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    const n = p.notional;
    if (p.symbol !== lastSymbol) {
      lastSymbol = p.symbol;
      symTrails = trailRec?.[p.symbol];
      symAtrRaw = atrTable[p.symbol];
      symAtr = symAtrRaw === undefined ? NaN : symAtrRaw;
      symSlot = assetSlot(p.symbol);
    }
    trails.push(ownTrail(symTrails?.[p.side], p, lastSeen, now, gapMs));
    atrAt.push(symAtr);
    gross += n;
    levWeighted += n * p.leverage;
    atrWeighted += n * (symAtrRaw ?? 0);
    const id = symSlot;
    if (assetStamp[id] !== stamp) {
      assetStamp[id] = stamp;
      assetSum[id] = 0 + n;
      assetOrder[nAssets++] = id;
    } else assetSum[id] = assetSum[id]! + n;
  }
  let hhi = 0;
  if (gross > 0) for (let k = 0; k < nAssets; k++) hhi += (assetSum[assetOrder[k]!]! / gross) ** 2;

  const equity = account.equity;
  // A denormal equity makes the ratio overflow: unmeasurable, like zero equity (the state must stay finite JSON).
  const ratio = (gross / equity) * 100;
  const exposurePct = equity > 0 && Number.isFinite(ratio) ? ratio : null;
  const prevPeak = state.peaks[key];
  const peakEquity = Math.max(prevPeak ?? equity, equity);
  const drawdownPct = peakEquity > 0 ? Math.max(0, ((peakEquity - equity) / peakEquity) * 100) : 0;
  const a = settings.account;
  const scoreInputs: RiskScoreInputs = {
    drawdownUse: drawdownPct / a.peakDrawdown.emergencyPct,
    dailyLossUse: (losses.daily.lossPct ?? 0) / a.dailyLoss.emergencyPct,
    // No equity behind open positions is as exposed as it gets.
    exposureUse: exposurePct === null ? (gross > 0 ? 1 : 0) : exposurePct / a.exposure.limitPct,
    leverageUse: gross > 0 ? levWeighted / gross / settings.leverage.normal : 0,
    concentration: hhi,
    volatilityUse: gross > 0 ? atrWeighted / gross / settings.leverage.highVolatility.atrPct : 0,
  };
  return {
    now,
    key,
    view,
    account,
    positions,
    trails,
    atrAt,
    closedTrades: closed,
    openedTrades: opened,
    periods,
    atrPct: history.atrPct,
    strategy,
    metrics: {
      grossNotional: gross,
      exposurePct,
      peakEquity,
      drawdownPct,
      losses,
      losingStreak: losingStreak(closed),
      scoreInputs,
      riskScore: riskScore(scoreInputs),
    },
    state,
  };
}

/** The trail of one of the context's positions (best price, first seen), if it has one; rules looping by index read ctx.trails[i]. */
export function trailOf(ctx: AccountContext, p: Position): Trail | undefined {
  const i = ctx.positions.indexOf(p);
  return i < 0 ? undefined : ctx.trails[i];
}
