/**
 * The live risk picture every view shows (popup, options overview, in-page panel), pushed whole with the view state.
 * Numbers only, already measured by the background: views never recompute risk. zod/mini, so the content scripts
 * can parse it cheaply.
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
  /** Equity now minus at the trading day's start; its loss as % of the start against the daily limits. */
  dayPnl: maybe,
  dayLossPct: maybe,
  dailyWarnPct: num,
  dailyLimitPct: num,
  drawdownPct: maybe,
  drawdownLimitPct: num,
  exposurePct: maybe,
  exposureLimitPct: num,
  riskScore: maybe,
  trading: TradingStateSchema,
  /** Why trading is not ACTIVE, in words. */
  tradingReason: z.nullable(z.string()),
  breaker: z.enum(['CLOSED', 'OPEN', 'HALF_OPEN']),
  /** The end of a cooling-off or break in force (the latest timed hold), if any. */
  coolingUntil: maybe,
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
 * What a page needs to decide on an order synchronously, at click time (lib/risk validate() runs in the content
 * script on it): per account the engine's view, the pre-trade summary and the recent orders; the trading states in
 * force; the settings and the strategy table. The engine's own records are checked for shape here and trusted inside:
 * they come from this extension's background, which built them with the engine's types.
 */
const record = z.record(z.string(), z.unknown());
export const GuardAccountSchema = z.strictObject({
  key: z.string(),
  venue: z.enum(['binance', 'hyperliquid']),
  accountId: z.string(),
  mode: EnforcementModeSchema,
  /** lib/risk AccountView: account snapshot, positions, open orders, receivedAt, feedError. */
  view: record,
  /** lib/risk AccountSummary (risk score, losing streak, last loss), null before the first evaluation. */
  summary: z.nullable(record),
  marks: z.record(z.string(), z.number()),
  recentOrders: z.array(z.strictObject({ symbol: z.string(), side: z.enum(['buy', 'sell']), size: z.number(), time: z.number() })),
});
export type GuardAccount = z.infer<typeof GuardAccountSchema>;
export const GuardViewSchema = z.strictObject({
  /** lib/risk RiskSettings in force. */
  settings: record,
  /** lib/risk ScopeState by scope key: only scopes that are not plainly ACTIVE. */
  scopes: z.record(z.string(), record),
  accounts: z.array(GuardAccountSchema),
  /** The strategy table rows (lib/domain Strategy). */
  strategies: z.array(record),
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
