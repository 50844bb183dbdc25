/**
 * The live risk picture every view shows (popup, options overview, in-page panel), pushed whole with the view state.
 * Numbers only, already measured by the background: views never recompute risk. zod/mini for the extension's pages;
 * the content scripts check pushes structurally instead (lib/pages/view-check.ts, kept in step by its test).
 */
import * as z from 'zod/mini';

const num = z.number();
const maybe = z.nullable(z.number());

export const TradingStateSchema = z.enum(['ACTIVE', 'REDUCING', 'HALTED']);
export type TradingStateView = z.infer<typeof TradingStateSchema>;
export const EnforcementModeSchema = z.enum(['monitor', 'guard', 'enforce']);
export const FeedStatusSchema = z.enum(['connecting', 'live', 'stale', 'reconnecting', 'locked', 'error', 'stopped']);
export type FeedStatus = z.infer<typeof FeedStatusSchema>;

export const PositionViewSchema = z.strictObject({
  symbol: z.string(),
  side: z.enum(['long', 'short']),
  /** Signed base size (short < 0). */
  size: num,
  entryPrice: num,
  markPrice: maybe,
  unrealizedPnl: num,
  leverage: num,
  liquidationPrice: maybe,
  /** The nearest protective stop order on this position, and how far the mark is from it (% of mark). */
  stopPrice: maybe,
  stopDistancePct: maybe,
  liqDistancePct: maybe,
  strategyId: z.string(),
});
export type PositionView = z.infer<typeof PositionViewSchema>;

export const AccountRiskSchema = z.strictObject({
  key: z.string(),
  venue: z.enum(['binance', 'hyperliquid']),
  accountId: z.string(),
  label: z.string(),
  mode: EnforcementModeSchema,
  /** A key that can trade is configured (enforce possible). */
  canTrade: z.boolean(),
  status: FeedStatusSchema,
  /** What is wrong with the feed, in words (null when live). */
  statusText: z.nullable(z.string()),
  equity: maybe,
  walletBalance: maybe,
  /**
   * Today as the daily-loss rule measures it, on its basis: the value now minus at the day's start (net of deposits
   * and withdrawals), and the loss as % of the start. null when the rule cannot measure it either.
   */
  dayPnl: maybe,
  dayLossPct: maybe,
  /** What the day is measured on (settings account.lossBasis). Absent in older pushes: equity. */
  lossBasis: z.optional(z.enum(['equity', 'balance', 'balance_minus_equity'])),
  dailyWarnPct: num,
  dailyLimitPct: num,
  drawdownPct: maybe,
  /** The rules' warning levels (account.peakDrawdown.warningPct, account.exposure.warningPct). Absent in older pushes. */
  drawdownWarnPct: z.optional(num),
  drawdownLimitPct: num,
  exposurePct: maybe,
  exposureWarnPct: z.optional(num),
  exposureLimitPct: num,
  riskScore: maybe,
  trading: TradingStateSchema,
  /** Why trading is not ACTIVE, in words. */
  tradingReason: z.nullable(z.string()),
  breaker: z.enum(['CLOSED', 'OPEN', 'HALF_OPEN']),
  /**
   * When trading is back to normal, if known: the end of the breaks, cooling-offs and open breaker in force. null when
   * something lasts until a manual reset or while its condition does.
   */
  coolingUntil: maybe,
  /** A hold lasts until someone resets trading (kill switch, flatten): no time ends it. Absent in older pushes. */
  needsReset: z.optional(z.boolean()),
  positions: z.array(PositionViewSchema),
  /** Symbols of this account whose own trading state is not ACTIVE (a symbol halted after a breach on it). */
  symbols: z.optional(
    z.array(z.strictObject({ symbol: z.string(), trading: TradingStateSchema, reason: z.nullable(z.string()), until: maybe })),
  ),
  openOrders: z.int(),
  receivedAt: maybe,
});
export type AccountRisk = z.infer<typeof AccountRiskSchema>;

export const FindingViewSchema = z.strictObject({
  severity: z.enum(['notice', 'warning', 'critical', 'emergency']),
  rule: z.string(),
  text: z.string(),
  account: z.nullable(z.string()),
  symbol: z.nullable(z.string()),
});
export type FindingView = z.infer<typeof FindingViewSchema>;

export const StrategyRiskSchema = z.strictObject({
  strategyId: z.string(),
  trading: TradingStateSchema,
  killed: z.boolean(),
  reason: z.nullable(z.string()),
});

export const BadgeViewSchema = z.strictObject({
  text: z.enum(['', 'OK', 'WARN', 'HALT', 'KILL', 'STALE']),
  color: z.string(),
  title: z.string(),
});

/**
 * What a page needs to decide on an order synchronously, at click time: per account of the venue, the envelope the
 * background precomputed from the engine's state (lib/risk/envelope.ts: gates with their reasons already formatted,
 * the leverage cap, the margin base, the open positions, marks and recent orders), and the guard's override settings.
 * The page adds the order to it (lib/pages/guard-verdict.ts) and gets validate()'s verdict without running it.
 */
const GateSchema = z.strictObject({
  level: z.enum(['block', 'warn']),
  code: z.string(),
  category: z.enum(['tradingState', 'killedStrategy', 'coolingOff', 'leverageCap', 'sizeCap', 'staleData', 'other']),
  rule: z.nullable(z.string()),
  text: z.string(),
  detail: z.nullable(z.string()),
  hard: z.boolean(),
  probe: maybe,
});
const gates = z.array(GateSchema);
const policy = z.enum(['never', 'countdown', 'typed']);
const capSource = z.enum(['mode', 'volatility', 'losing_streak', 'risk_level', 'instrument']);
export const GuardEnvelopeSchema = z.strictObject({
  key: z.string(),
  venue: z.enum(['binance', 'hyperliquid']),
  accountId: z.string(),
  mode: EnforcementModeSchema,
  receivedAt: maybe,
  feedError: z.nullable(z.string()),
  staleAfterSec: num,
  equity: num,
  pre: gates,
  symbols: z.record(z.string(), gates),
  post: gates,
  cap: num,
  capSource,
  capTail: z.string(),
  leverageUnknownText: z.string(),
  /** Per symbol: its own leverage cap where it differs (ATR %, the venue's maximum), and its lot step and minimum order value. */
  caps: z.record(z.string(), z.strictObject({ cap: num, capSource, capTail: z.string(), leverageUnknownText: z.string() })),
  lots: z.record(z.string(), z.strictObject({ lotStep: num, minNotional: num })),
  capBase: num,
  stopLossUsd: num,
  strategySymbol: z.nullable(z.strictObject({ strategyId: z.string(), symbol: z.string() })),
  maxLossAtStopPct: num,
  exposureLimitPct: num,
  exposureWarningPct: num,
  symbolLimitPct: num,
  positions: z.array(
    z.strictObject({ symbol: z.string(), side: z.enum(['long', 'short']), size: num, notional: num, leverage: num, markPrice: maybe }),
  ),
  gross: num,
  positionCountText: z.nullable(z.string()),
  groups: z.array(z.strictObject({ name: z.string(), assets: z.array(z.string()), notional: num })),
  assets: z.record(z.string(), num),
  marks: z.record(z.string(), num),
  recentOrders: z.array(z.strictObject({ symbol: z.string(), side: z.enum(['buy', 'sell']), size: num, time: num })),
  duplicateWindowSec: num,
  maxOrdersPerMinute: num,
  maxTradesPerHour: num,
  maxTradesPerDay: num,
  lastLoss: z.nullable(z.strictObject({ time: num, notional: num })),
  revengeWindowMin: num,
  revengeSizeMultiple: num,
  equityText: z.nullable(z.string()),
});
export type GuardAccount = z.infer<typeof GuardEnvelopeSchema>;
export const GuardViewSchema = z.strictObject({
  /** lib/risk settings.guard in force: the override policy per kind of block, the countdown and the phrase. */
  settings: z.strictObject({
    policy: z.strictObject({
      tradingState: policy,
      killedStrategy: policy,
      coolingOff: policy,
      leverageCap: policy,
      sizeCap: policy,
      staleData: policy,
      other: policy,
    }),
    countdownSec: num,
    phrase: z.string(),
  }),
  accounts: z.array(GuardEnvelopeSchema),
});
export type GuardView = z.infer<typeof GuardViewSchema>;

export const RiskViewSchema = z.strictObject({
  /** When the engine last ran (null: not yet, e.g. no account). */
  evaluatedAt: maybe,
  /** The worst trading state across accounts. */
  trading: TradingStateSchema,
  badge: BadgeViewSchema,
  accounts: z.array(AccountRiskSchema),
  /** Open findings, worst first (at most 20). */
  findings: z.array(FindingViewSchema),
  /** Strategies that are not trading normally. */
  strategies: z.array(StrategyRiskSchema),
  /** The pre-trade check's inputs, for the pages' synchronous verdict. */
  guard: z.nullable(GuardViewSchema),
});
export type RiskView = z.infer<typeof RiskViewSchema>;

export const emptyRiskView = (): RiskView => ({
  evaluatedAt: null,
  trading: 'ACTIVE',
  badge: { text: '', color: '#848e9c', title: 'Ringfence: no account connected' },
  accounts: [],
  findings: [],
  strategies: [],
  guard: null,
});
