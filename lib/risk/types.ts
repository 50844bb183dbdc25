/**
 * The risk engine's vocabulary: rule ids, scopes, typed reasons, findings and the actions they ask for.
 * Everything here is plain data (no classes, no functions) so it serialises as JSON unchanged.
 */
import type { PositionSide, Venue } from '../domain/types';

export const SEVERITIES = ['notice', 'warning', 'critical', 'emergency'] as const;
export type RiskSeverity = (typeof SEVERITIES)[number];
export const severityRank = (s: RiskSeverity): number => SEVERITIES.indexOf(s);

/** Every rule the engine runs; the registry (rules/index.ts) must list each exactly once. */
export const RULE_IDS = [
  'position-drawdown',
  'position-stop-loss',
  'trailing-stop',
  'time-in-trade',
  'liquidation-distance',
  'account-drawdown',
  'daily-loss',
  'weekly-loss',
  'monthly-loss',
  'total-exposure',
  'position-count',
  'minimum-balance',
  'strategy-kill-switch',
  'strategy-limits',
  'consecutive-losses',
  'cooling-off',
  'revenge-trading',
  'overtrading',
  'stale-data',
  'risk-score',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export type PositionScope = { kind: 'position'; venue: Venue; accountId: string; symbol: string; side: PositionSide };
export type SymbolScope = { kind: 'symbol'; venue: Venue; accountId: string; symbol: string };
export type AccountScope = { kind: 'account'; venue: Venue; accountId: string };
export type StrategyScope = { kind: 'strategy'; strategyId: string };
export type RiskScope = PositionScope | SymbolScope | AccountScope | StrategyScope;
/** Scopes that carry a trading state and a circuit breaker (positions are gated through their symbol). */
export type GateScope = SymbolScope | AccountScope | StrategyScope;

export type LossPeriod = 'daily' | 'weekly' | 'monthly';
export type LossBasis = 'equity' | 'balance' | 'balance_minus_equity';
export type LeverageCapSource = 'mode' | 'volatility' | 'losing_streak' | 'risk_level' | 'instrument';
export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';
export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

interface PosRef {
  symbol: string;
  side: PositionSide;
}

/**
 * Why a finding fired or an order was refused. One variant per cause; the numbers the text needs travel with it.
 * format.ts turns each into one plain-English sentence.
 */
export type RiskReason =
  // Positions
  | ({ code: 'position_drawdown'; drawdownPct: number; limitPct: number; priceMovePct: number; leverage: number } & PosRef)
  | ({ code: 'position_stop_loss'; lossUsd: number; limitUsd: number } & PosRef)
  | ({ code: 'trailing_stop'; retracePct: number; limitPct: number; bestPrice: number; markPrice: number } & PosRef)
  | ({ code: 'time_in_trade'; minutes: number; limitMinutes: number } & PosRef)
  | ({ code: 'liquidation_distance'; distancePct: number; minPct: number } & PosRef)
  | ({ code: 'mark_price_missing'; check: RuleId } & PosRef)
  // Account
  | { code: 'account_drawdown'; drawdownPct: number; limitPct: number; peakEquity: number; equity: number }
  | { code: 'period_loss'; period: LossPeriod; lossPct: number; limitPct: number; basis: LossBasis; startValue: number; netFlows?: number }
  | { code: 'period_start_missing'; period: LossPeriod }
  | { code: 'total_exposure'; exposurePct: number; limitPct: number }
  | { code: 'equity_not_positive'; equity: number; check: RuleId }
  | { code: 'position_count'; count: number; limit: number }
  | { code: 'minimum_balance'; balance: number; minimum: number }
  /** pnl: realized + unrealized since the last reset; peak: its high-water mark (absent in records made before it was kept: 0). */
  | { code: 'strategy_kill_switch'; strategyId: string; pnl: number; maxDrawdownUsd: number; peak?: number }
  | { code: 'strategy_killed'; strategyId: string }
  /** A strategy limited to `allowed` (the table's Symbol column) trades or holds `symbol`. */
  | { code: 'strategy_symbol'; strategyId: string; symbol: string; allowed: string }
  | { code: 'consecutive_losses'; losses: number; leverageCap: number }
  | { code: 'cooling_off'; until: number; minutesLeft: number }
  | { code: 'revenge_trade'; symbol: string; sizeRatio: number; minutesAfterLoss: number }
  | { code: 'overtrading'; window: 'hour' | 'day'; trades: number; limit: number }
  | { code: 'stale_data'; seconds: number; limitSeconds: number; error: string | null }
  | { code: 'risk_score'; score: number; threshold: number }
  /** A hold the user asked for: a break until an instant, or "flatten everything" until a reset (until null). */
  | { code: 'manual_halt'; kind: 'break' | 'flatten'; until: number | null }
  // Pre-trade only
  | { code: 'trading_state'; scope: GateScope; state: Exclude<TradingState, 'ACTIVE'> }
  | { code: 'strategy_disabled'; strategyId: string }
  | { code: 'breaker_open'; scope: GateScope; until: number | null }
  | { code: 'probe_size'; scope: GateScope; probePct: number }
  | { code: 'leverage_cap'; leverage: number; cap: number; source: LeverageCapSource }
  | { code: 'leverage_unknown'; assumed: number }
  | { code: 'position_size_cap'; marginUsd: number; capUsd: number }
  | { code: 'projected_exposure'; exposurePct: number; limitPct: number; warning: boolean }
  | { code: 'symbol_exposure'; group: string; exposurePct: number; limitPct: number }
  | { code: 'risk_per_trade'; riskUsd: number; limitUsd: number }
  | { code: 'no_stop_loss' }
  | { code: 'stop_loss_per_trade'; lossUsd: number; limitUsd: number }
  | { code: 'below_minimum_balance'; balance: number; minimum: number }
  | { code: 'duplicate_order'; seconds: number; windowSeconds: number }
  | { code: 'revenge_entry'; symbol: string; sizeRatio: number; minutesAfterLoss: number }
  | { code: 'order_rate'; window: 'minute' | 'hour' | 'day'; orders: number; limit: number }
  | { code: 'price_unknown'; symbol: string }
  | { code: 'below_min_notional'; notional: number; minNotional: number }
  | { code: 'equity_unusable'; equity: number }
  // Sizing
  | { code: 'stop_equals_entry'; price: number }
  | { code: 'stop_wrong_side'; side: PositionSide; entry: number; stop: number }
  | { code: 'invalid_sizing_input'; field: string }
  | { code: 'below_lot_step'; size: number; lotStep: number }
  | { code: 'kelly_sample_too_small'; samples: number; minSamples: number }
  | { code: 'kelly_no_edge'; kelly: number }
  | { code: 'exposure_room_exhausted'; group: string | null };

export type ReasonCode = RiskReason['code'];

/** What a finding asks the executor to do. */
export type RequestedAction =
  | { kind: 'alert' }
  | { kind: 'partial_close'; pct: number }
  | { kind: 'close_position' }
  | { kind: 'cancel_orders' }
  /** Only reduce-only orders pass on the scope, while the condition lasts. */
  | { kind: 'reduce_only' }
  /** Nothing opens on the scope. until: an instant, 'condition' (while the finding lasts) or 'manual' (needs a reset). */
  | { kind: 'halt'; until: number | 'condition' | 'manual'; flatten: boolean }
  /** Nothing opens on the scope for this many minutes. */
  | { kind: 'cooling_off'; minutes: number };

export interface Finding {
  rule: RuleId;
  scope: RiskScope;
  severity: RiskSeverity;
  reason: RiskReason;
  /** The measured value, the limit it is compared with, and value as % of the limit (null when not numeric). */
  value: number | null;
  limit: number | null;
  usedPct: number | null;
  action: RequestedAction;
  /** A breach opens the scope's circuit breaker (a loss limit crossed, not a mere warning or a planned exit). */
  breach: boolean;
}

/** A concrete command for the executor (the background), derived from findings by the engine. */
export type EngineAction =
  | { kind: 'alert'; id: string; finding: Finding }
  | {
      kind: 'partial_close' | 'close_position';
      id: string;
      venue: Venue;
      accountId: string;
      symbol: string;
      side: PositionSide;
      /** Base-asset size to close, always positive. */
      size: number;
      pct: number;
      reason: RiskReason;
    }
  | { kind: 'cancel_orders'; id: string; venue: Venue; accountId: string; orderIds: string[]; reason: RiskReason }
  | { kind: 'set_trading_state'; id: string; scope: GateScope; state: TradingState; reason: RiskReason | null };

/** value as % of limit; a non-positive limit counts as fully used once value is positive (keeps JSON finite). */
export const usedPct = (value: number, limit: number): number => (limit > 0 ? (value / limit) * 100 : value > 0 ? 100 : 0);
