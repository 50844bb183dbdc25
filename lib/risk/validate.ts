/**
 * Pre-trade validation: validate(intent, snapshot, state, settings, now) -> allow | warn | block, the typed reasons,
 * and the largest size and leverage that would pass. Exits and cancels always pass: only an order that opens or adds
 * is checked. Runs on every order-form change, so it allocates little and parses nothing (settings come pre-parsed).
 */
import type { InstrumentRules, OrderIntent, Strategy } from '../domain/types';
import type { AccountView } from './context';
import { exceeds, reaches } from './compare';
import { accountKey, strategyKey, symbolKey } from './keys';
import { maxQtyForAbsAfter, orderEffect } from './orders';
import { streakLeverageCap } from './rules/consecutive-losses';
import { DAY_MS, HOUR_MS } from './rules/overtrading';
import { riskLevelFor } from './score';
import type { RiskSettings } from './settings';
import { groupNotional, roundDownToStep } from './sizing';
import type { RiskState, ScopeState } from './state';
import type { GateScope, LeverageCapSource, RiskReason } from './types';

export interface RecentOrder {
  symbol: string;
  side: OrderIntent['side'];
  /** Base-asset size. */
  size: number;
  time: number;
}

export interface PreTradeSnapshot {
  view: AccountView;
  /** Mark price of the intent's symbol; null when none has arrived. */
  markPrice: number | null;
  instrument: InstrumentRules | null;
  /** ATR % of the symbol, null when unknown. */
  atrPct: number | null;
  /** The strategy's row in the table; null: settings.strategyDefaults. */
  strategy: Strategy | null;
  /** Orders this account sent recently (at least the last 24 hours), any order. */
  recentOrders: readonly RecentOrder[];
}

export type Decision = 'allow' | 'warn' | 'block';

export interface ValidationReason {
  level: 'block' | 'warn';
  reason: RiskReason;
}

export interface ValidationResult {
  decision: Decision;
  reasons: ValidationReason[];
  increasesRisk: boolean;
  /** What would pass instead: the largest size (base and quote) at the largest leverage allowed. */
  allowed: { maxSize: number; maxNotional: number; maxLeverage: number; leverageCapSource: LeverageCapSource };
}

/** The leverage cap in force and which rule sets it (the lowest wins). */
export function leverageCap(
  riskScore: number,
  losingStreak: number,
  atrPct: number | null,
  instrument: InstrumentRules | null,
  s: RiskSettings,
): { cap: number; source: LeverageCapSource } {
  const l = s.leverage;
  const mode =
    l.mode !== 'auto'
      ? l.mode
      : reaches(riskScore, s.account.riskScore.emergencyAt)
        ? 'emergency'
        : reaches(riskScore, s.account.riskScore.warningAt)
          ? 'conservative'
          : 'normal';
  let cap = l[mode];
  let source: LeverageCapSource = 'mode';
  const consider = (v: number | null, src: LeverageCapSource) => {
    if (v !== null && v < cap) (cap = v), (source = src);
  };
  consider(atrPct !== null && atrPct >= l.highVolatility.atrPct ? l.highVolatility.maxLeverage : null, 'volatility');
  consider(streakLeverageCap(losingStreak, s), 'losing_streak');
  consider(l.riskLevels[riskLevelFor(riskScore)].maxLeverage, 'risk_level');
  consider(instrument?.maxLeverage ?? null, 'instrument');
  return { cap, source };
}

/** The intent's base-asset quantity at a price (quote-sized intents are converted). */
export const intentQty = (intent: OrderIntent, price: number) => (intent.sizeUnit === 'base' ? intent.size : intent.size / price);

export function validate(
  intent: OrderIntent,
  snap: PreTradeSnapshot,
  state: RiskState,
  s: RiskSettings,
  now: number,
): ValidationResult {
  const { account, positions } = snap.view;
  const aKey = accountKey(account.venue, account.accountId);
  const summary = state.accounts[aKey];
  const score = summary?.riskScore ?? 0;
  const { cap, source } = leverageCap(score, summary?.losingStreak ?? 0, snap.atrPct, snap.instrument, s);
  const reasons: ValidationReason[] = [];
  const block = (reason: RiskReason) => reasons.push({ level: 'block', reason });
  const warn = (reason: RiskReason) => reasons.push({ level: 'warn', reason });

  const price = intent.price ?? intent.stopPrice ?? snap.markPrice ?? null;
  // Without a price a quote-sized order's quantity is unknown: it is classified as if unbounded, so only a
  // reduce-only order or a hedge-mode close counts as an exit.
  const qty = price !== null ? intentQty(intent, price) : intent.sizeUnit === 'base' ? intent.size : Infinity;
  const effect = orderEffect(intent, qty, positions);
  if (!effect.increases) {
    // Exits and cancels always pass, whatever the state.
    const maxSize = Math.abs(effect.before);
    const maxNotional = price !== null ? maxSize * price : 0;
    return { decision: 'allow', reasons, increasesRisk: false, allowed: { maxSize, maxNotional, maxLeverage: cap, leverageCapSource: source } };
  }

  let maxQty = Infinity;
  let hardStop = false; // a block that no smaller size would pass

  // Trading states and breakers: account, symbol, strategy.
  let probe = 1;
  for (const k of [aKey, symbolKey(account.venue, account.accountId, intent.symbol), strategyKey(intent.strategyId)]) {
    const sc: ScopeState | undefined = state.scopes[k];
    if (!sc) continue;
    const scope: GateScope = sc.scope;
    if (sc.breaker.state === 'OPEN') {
      block({ code: 'breaker_open', scope, until: sc.breaker.until });
      hardStop = true;
    } else if (sc.trading !== 'ACTIVE') {
      block({ code: 'trading_state', scope, state: sc.trading });
      hardStop = true;
    } else if (sc.breaker.state === 'HALF_OPEN') {
      probe = Math.min(probe, s.behaviour.probeSizePct / 100);
      warn({ code: 'probe_size', scope, probePct: s.behaviour.probeSizePct });
    }
  }

  // Strategy: table row or defaults.
  const row = snap.strategy;
  const d = s.strategyDefaults;
  const riskPerTradePct = row?.riskPerTradePct ?? d.riskPerTradePct;
  const stopLossUsd = row?.stopLossUsd ?? d.stopLossUsd;
  if (row?.killed) (block({ code: 'strategy_killed', strategyId: intent.strategyId }), (hardStop = true));
  if (!(row?.enabled ?? d.enabled)) (block({ code: 'strategy_disabled', strategyId: intent.strategyId }), (hardStop = true));

  if (account.walletBalance < s.account.minBalanceUsd) {
    block({ code: 'below_minimum_balance', balance: account.walletBalance, minimum: s.account.minBalanceUsd });
    hardStop = true;
  }
  // The strategy's Symbol column: it trades that symbol only.
  if (row?.symbol != null && row.symbol !== intent.symbol) (block({ code: 'strategy_symbol', strategyId: intent.strategyId, symbol: intent.symbol, allowed: row.symbol }), (hardStop = true));

  // Duplicate and rate checks on the orders this account sent.
  const b = s.behaviour;
  let minute = 0;
  let hour = 0;
  let day = 0;
  let dupAge = -1;
  for (const o of snap.recentOrders) {
    const age = now - o.time;
    if (age < 0 || age >= DAY_MS) continue;
    day++;
    if (age < HOUR_MS) hour++;
    if (age < 60_000) minute++;
    if (age <= b.duplicateWindowSec * 1000 && o.symbol === intent.symbol && o.side === intent.side && Math.abs(o.size - qty) <= 1e-9 * Math.max(1, qty))
      dupAge = dupAge < 0 ? age : Math.min(dupAge, age);
  }
  if (dupAge >= 0) (block({ code: 'duplicate_order', seconds: dupAge / 1000, windowSeconds: b.duplicateWindowSec }), (hardStop = true));
  if (minute >= b.maxOrdersPerMinute) (block({ code: 'order_rate', window: 'minute', orders: minute, limit: b.maxOrdersPerMinute }), (hardStop = true));
  if (hour >= b.maxTradesPerHour) (block({ code: 'order_rate', window: 'hour', orders: hour, limit: b.maxTradesPerHour }), (hardStop = true));
  if (day >= b.maxTradesPerDay) (block({ code: 'order_rate', window: 'day', orders: day, limit: b.maxTradesPerDay }), (hardStop = true));

  // A new position beyond the count limit.
  if (effect.before === 0) {
    let count = 0;
    for (const p of positions) if (p.size !== 0) count++;
    if (count >= s.account.positionCount.limit) (block({ code: 'position_count', count, limit: s.account.positionCount.limit }), (hardStop = true));
  }

  // Leverage: the order's, else the position's, else checked at the cap (and said so).
  let leverage = intent.leverage ?? effect.legLeverage;
  if (leverage === null) {
    leverage = cap;
    warn({ code: 'leverage_unknown', assumed: cap });
  } else if (leverage > cap) block({ code: 'leverage_cap', leverage, cap, source });
  const sizingLeverage = Math.min(leverage, cap);

  const equity = account.equity;
  if (price === null) {
    block({ code: 'price_unknown', symbol: intent.symbol });
    hardStop = true;
  } else if (!(equity > 0)) {
    block({ code: 'equity_unusable', equity });
    hardStop = true;
  } else {
    const notional = qty * price;
    const absAfter = Math.abs(effect.after);

    // Position size cap: the position's margin after the order, at most min(strategy risk per trade, risk-level base
    // size) % of equity, scaled down on probation.
    const capUsd = (equity * Math.min(riskPerTradePct, s.leverage.riskLevels[riskLevelFor(score)].baseSizePct) * probe) / 100;
    const marginAfter = (absAfter * price) / sizingLeverage;
    if (exceeds(marginAfter, capUsd)) block({ code: 'position_size_cap', marginUsd: marginAfter, capUsd });
    maxQty = Math.min(maxQty, maxQtyForAbsAfter(effect, (capUsd * sizingLeverage) / price));

    // Projected exposure: the position after the order replaces the leg before it.
    let gross = 0;
    for (const p of positions) if (p.size !== 0) gross += p.notional;
    const others = gross - effect.legNotional;
    const exposureAfter = ((others + absAfter * price) / equity) * 100;
    const ex = s.account.exposure;
    if (exceeds(exposureAfter, ex.limitPct)) block({ code: 'projected_exposure', exposurePct: exposureAfter, limitPct: ex.limitPct, warning: false });
    else if (reaches(exposureAfter, ex.warningPct)) warn({ code: 'projected_exposure', exposurePct: exposureAfter, limitPct: ex.warningPct, warning: true });
    maxQty = Math.min(maxQty, maxQtyForAbsAfter(effect, ((equity * ex.limitPct) / 100 - others) / price));

    // Correlated positions count together against the symbol limit.
    const group = groupNotional(intent.symbol, positions, s);
    const groupOthers = group.notional - effect.legNotional;
    const groupAfter = ((groupOthers + absAfter * price) / equity) * 100;
    if (exceeds(groupAfter, ex.symbolLimitPct)) block({ code: 'symbol_exposure', group: group.name, exposurePct: groupAfter, limitPct: ex.symbolLimitPct });
    maxQty = Math.min(maxQty, maxQtyForAbsAfter(effect, ((equity * ex.symbolLimitPct) / 100 - groupOthers) / price));

    // Risk at the stop: the loss if the protective stop fills, against both budgets.
    const stop = intent.stopLoss ?? null;
    if (stop === null) warn({ code: 'no_stop_loss' });
    else {
      const perUnit = Math.abs(price - stop);
      const lossAtStop = qty * perUnit;
      const riskBudget = (equity * s.sizing.maxLossAtStopPct) / 100;
      if (exceeds(lossAtStop, riskBudget)) block({ code: 'risk_per_trade', riskUsd: lossAtStop, limitUsd: riskBudget });
      if (exceeds(lossAtStop, stopLossUsd)) block({ code: 'stop_loss_per_trade', lossUsd: lossAtStop, limitUsd: stopLossUsd });
      if (perUnit > 0) maxQty = Math.min(maxQty, Math.min(riskBudget, stopLossUsd) / perUnit);
    }

    // Re-entry soon after a loss with a larger size (the revenge-trading rule, before the fact): a warning.
    const loss = summary?.lastLoss;
    const rv = s.behaviour.revenge;
    if (loss && loss.notional > 0 && now - loss.time <= rv.windowMin * 60_000 && notional > loss.notional * rv.sizeMultiple)
      warn({ code: 'revenge_entry', symbol: intent.symbol, sizeRatio: notional / loss.notional, minutesAfterLoss: (now - loss.time) / 60_000 });

    const min = snap.instrument?.minNotional ?? 0;
    if (notional < min) block({ code: 'below_min_notional', notional, minNotional: min });
  }

  if (hardStop || price === null || !Number.isFinite(maxQty)) maxQty = 0;
  if (snap.instrument) maxQty = roundDownToStep(maxQty, snap.instrument.lotStep);
  if (price !== null && snap.instrument && maxQty * price < snap.instrument.minNotional) maxQty = 0;
  maxQty = Math.max(0, maxQty);

  let decision: Decision = 'allow';
  for (const r of reasons) {
    if (r.level === 'block') {
      decision = 'block';
      break;
    }
    decision = 'warn';
  }
  return {
    decision,
    reasons,
    increasesRisk: true,
    allowed: { maxSize: maxQty, maxNotional: price !== null ? maxQty * price : 0, maxLeverage: cap, leverageCapSource: source },
  };
}
