/**
 * The one formatter: every RiskReason as one plain-English sentence. Tests assert the exact texts, so a change
 * here is a visible change to what traders read.
 */
import type { GateScope, LossBasis, RiskReason, RuleId } from './types';

/** Up to 2 decimals, trailing zeros dropped: 12.5, 3, 0.33. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const r = Math.round(v * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
}
export const pct = (v: number) => `${num(v)}%`;
/** Prices and sizes: 8 significant digits, so 0.00012345 and 97312.5 both read right. */
export const qty = (v: number) => String(Number(v.toPrecision(8)));
export function usd(v: number): string {
  const r = Math.round(v * 100) / 100;
  const sign = r < 0 ? '-' : ''; // a loss that rounds to $0.00 reads as $0.00, not -$0.00
  return `${sign}$${Math.abs(r).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}
/** An instant as "2026-11-21 16:30 UTC" (minute precision, always UTC so texts are deterministic). */
export function when(t: number): string {
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;

const CHECKS: Record<RuleId, string> = {
  'position-drawdown': 'position drawdown',
  'position-stop-loss': 'stop loss',
  'trailing-stop': 'trailing stop',
  'time-in-trade': 'time in trade',
  'liquidation-distance': 'distance to liquidation',
  'account-drawdown': 'account drawdown',
  'daily-loss': 'daily loss',
  'weekly-loss': 'weekly loss',
  'monthly-loss': 'monthly loss',
  'total-exposure': 'total exposure',
  'position-count': 'position count',
  'minimum-balance': 'minimum balance',
  'strategy-kill-switch': 'strategy kill switch',
  'strategy-limits': 'strategy enabled and symbol',
  'consecutive-losses': 'losing streak',
  'cooling-off': 'cooling-off',
  'revenge-trading': 'revenge trading',
  'overtrading': 'overtrading',
  'stale-data': 'data freshness',
  'risk-score': 'risk score',
};
export const checkName = (rule: RuleId) => CHECKS[rule];

const BASIS: Record<LossBasis, string> = {
  equity: 'equity',
  balance: 'wallet balance',
  balance_minus_equity: 'starting balance against current equity',
};

export function scopeName(scope: GateScope): string {
  switch (scope.kind) {
    case 'account':
      return `Account ${scope.accountId} (${scope.venue})`;
    case 'symbol':
      return `${scope.symbol} on account ${scope.accountId}`;
    case 'strategy':
      return `Strategy ${scope.strategyId}`;
  }
}

export function formatReason(r: RiskReason): string {
  switch (r.code) {
    case 'position_drawdown':
      return `${r.symbol} ${r.side}: down ${pct(r.drawdownPct)} of margin (${pct(r.priceMovePct)} price move at ${num(r.leverage)}x), limit ${pct(r.limitPct)}.`;
    case 'position_stop_loss':
      return `${r.symbol} ${r.side}: losing ${usd(r.lossUsd)}, stop loss is ${usd(r.limitUsd)}.`;
    case 'trailing_stop':
      return `${r.symbol} ${r.side}: price ${qty(r.markPrice)} is ${pct(r.retracePct)} off its best ${qty(r.bestPrice)}, trailing stop is ${pct(r.limitPct)}.`;
    case 'time_in_trade':
      return `${r.symbol} ${r.side}: open for ${plural(Math.floor(r.minutes), 'minute')}, limit ${plural(r.limitMinutes, 'minute')}.`;
    case 'liquidation_distance':
      return `${r.symbol} ${r.side}: liquidation is ${pct(r.distancePct)} away, minimum ${pct(r.minPct)}.`;
    case 'mark_price_missing':
      return `${r.symbol} ${r.side}: no mark price yet, so the ${checkName(r.check)} check cannot run.`;
    case 'account_drawdown':
      return `Equity ${usd(r.equity)} is ${pct(r.drawdownPct)} below its peak ${usd(r.peakEquity)}, limit ${pct(r.limitPct)}.`;
    case 'period_loss':
      return `${cap(r.period)} loss ${pct(r.lossPct)} of the ${BASIS[r.basis]} at the period start (${usd(r.startValue)})${r.netFlows ? `, net of ${usd(r.netFlows)} of deposits and withdrawals since` : ''}, limit ${pct(r.limitPct)}.`;
    case 'period_start_missing':
      return `No ${r.period} start value recorded, so the ${r.period} loss cannot be measured.`;
    case 'total_exposure':
      return `Total exposure is ${pct(r.exposurePct)} of equity, limit ${pct(r.limitPct)}.`;
    case 'equity_not_positive':
      return `Equity is ${usd(r.equity)}, so the ${checkName(r.check)} cannot be measured as a share of it.`;
    case 'position_count':
      return `${plural(r.count, 'position')} open, limit ${num(r.limit)}.`;
    case 'minimum_balance':
      return `Balance ${usd(r.balance)} is below the minimum ${usd(r.minimum)}.`;
    case 'strategy_kill_switch':
      return (r.peak ?? 0) > 0
        ? `Strategy ${r.strategyId} is at ${usd(r.pnl)}, ${usd((r.peak ?? 0) - r.pnl)} below its peak of ${usd(r.peak ?? 0)}; kill switch at a drawdown of ${usd(r.maxDrawdownUsd)}.`
        : `Strategy ${r.strategyId} is at ${usd(r.pnl)}, kill switch at ${usd(-r.maxDrawdownUsd)}.`;
    case 'strategy_symbol':
      return `Strategy ${r.strategyId} trades only ${r.allowed}, not ${r.symbol}.`;
    case 'strategy_killed':
      return `Strategy ${r.strategyId} is killed until someone resets it.`;
    case 'consecutive_losses':
      return `${num(r.losses)} losing trades in a row: leverage capped at ${num(r.leverageCap)}x.`;
    case 'cooling_off':
      return `Cooling off after a breach until ${when(r.until)} (${plural(Math.ceil(r.minutesLeft), 'minute')} left).`;
    case 'revenge_trade':
      return `${r.symbol}: re-entered ${plural(Math.floor(r.minutesAfterLoss), 'minute')} after a loss with ${num(r.sizeRatio)}x the size.`;
    case 'overtrading':
      return `${plural(r.trades, 'trade')} in the ${WINDOW[r.window]}, limit ${num(r.limit)}.`;
    case 'stale_data':
      return `No fresh data for ${plural(Math.floor(r.seconds), 'second')} (limit ${num(r.limitSeconds)})${r.error ? `: ${r.error}` : ''}.`;
    case 'risk_score':
      return `Risk score ${num(r.score)} is at or above ${num(r.threshold)}.`;
    case 'manual_halt':
      return r.kind === 'break'
        ? `Taking a break: nothing opens until ${when(r.until ?? 0)}.`
        : `Everything was flattened by hand: nothing opens until someone resets trading.`;
    case 'trading_state':
      return r.state === 'HALTED'
        ? `${scopeName(r.scope)} is halted: only exits and cancels pass.`
        : `${scopeName(r.scope)} is reducing: only reduce-only orders pass.`;
    case 'strategy_disabled':
      return `Strategy ${r.strategyId} is disabled.`;
    case 'breaker_open':
      return r.until === null
        ? `${scopeName(r.scope)} has an open circuit breaker.`
        : `${scopeName(r.scope)} is cooling off until ${when(r.until)}.`;
    case 'probe_size':
      return `${scopeName(r.scope)} is on probation: new orders are limited to ${pct(r.probePct)} of the normal size.`;
    case 'leverage_cap':
      return `Leverage ${num(r.leverage)}x is above the ${CAP_SOURCE[r.source]} cap of ${num(r.cap)}x.`;
    case 'leverage_unknown':
      return `The order does not show its leverage; checked at ${num(r.assumed)}x.`;
    case 'position_size_cap':
      return `Margin ${usd(r.marginUsd)} is above the per-trade cap of ${usd(r.capUsd)}.`;
    case 'projected_exposure':
      return `After this order total exposure would be ${pct(r.exposurePct)} of equity, ${r.warning ? 'warning at' : 'limit'} ${pct(r.limitPct)}.`;
    case 'symbol_exposure':
      return `After this order ${r.group} exposure would be ${pct(r.exposurePct)} of equity, limit ${pct(r.limitPct)}.`;
    case 'risk_per_trade':
      return `Loss at the stop would be ${usd(r.riskUsd)}, risk per trade allows ${usd(r.limitUsd)}.`;
    case 'no_stop_loss':
      return 'No stop loss on this order, so its risk cannot be measured.';
    case 'stop_loss_per_trade':
      return `Loss at the stop would be ${usd(r.lossUsd)}, the strategy's stop loss is ${usd(r.limitUsd)}.`;
    case 'below_minimum_balance':
      return `Balance ${usd(r.balance)} is below the minimum ${usd(r.minimum)} needed to open.`;
    case 'duplicate_order':
      return `The same order was sent ${plural(Math.floor(r.seconds), 'second')} ago (window ${plural(r.windowSeconds, 'second')}).`;
    case 'revenge_entry':
      return `${r.symbol}: this order comes ${plural(Math.floor(r.minutesAfterLoss), 'minute')} after a loss, at ${num(r.sizeRatio)}x its size.`;
    case 'order_rate':
      return `${plural(r.orders, 'order')} in the ${WINDOW[r.window]}, limit ${num(r.limit)}.`;
    case 'price_unknown':
      return `${r.symbol}: no price to value this order, so it cannot be checked.`;
    case 'below_min_notional':
      return `Order value ${usd(r.notional)} is below the exchange minimum ${usd(r.minNotional)}.`;
    case 'equity_unusable':
      return `Equity is ${usd(r.equity)}: nothing can be sized against it.`;
    case 'stop_equals_entry':
      return `The stop equals the entry (${qty(r.price)}), so the risk per unit is zero and no size can be computed.`;
    case 'stop_wrong_side':
      return `A ${r.side} entered at ${qty(r.entry)} needs its stop ${r.side === 'long' ? 'below' : 'above'} it, not at ${qty(r.stop)}.`;
    case 'invalid_sizing_input':
      return `Cannot size: ${r.field} is missing or not a positive number.`;
    case 'below_lot_step':
      return `Size ${qty(r.size)} is below the lot step ${qty(r.lotStep)}.`;
    case 'kelly_sample_too_small':
      return `Only ${plural(r.samples, 'trade')} on record; Kelly sizing needs ${num(r.minSamples)}, so it is not used.`;
    case 'kelly_no_edge':
      return `The trade record shows no edge (Kelly ${num(r.kelly)}): size 0.`;
    case 'exposure_room_exhausted':
      return r.group === null ? 'No exposure room left under the total exposure limit.' : `No exposure room left for ${r.group} under the symbol exposure limit.`;
  }
}

const CAP_SOURCE = {
  mode: 'leverage mode',
  volatility: 'high-volatility',
  losing_streak: 'losing-streak',
  risk_level: 'risk-level',
  instrument: "exchange's",
} as const;

const WINDOW = { minute: 'last minute', hour: 'last hour', day: 'last 24 hours' } as const;

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
