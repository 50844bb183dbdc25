/** Builders for risk tests: sensible defaults, override what the test is about. */
import type { AccountSnapshot, Fill, InstrumentRules, OpenOrder, OrderIntent, Position, Strategy } from '../../../lib/domain/types';
import { buildAccountContext, emptyHistory, effectiveStrategy, type AccountContext, type AccountView, type EvaluationHistory, type PortfolioContext } from '../../../lib/risk/context';
import { DEFAULT_RISK_SETTINGS, parseRiskSettings, type RiskSettings, type RiskSettingsInput } from '../../../lib/risk/settings';
import { initialRiskState, type RiskState } from '../../../lib/risk/state';
import type { PreTradeSnapshot } from '../../../lib/risk/validate';

/** 2026-03-10 12:00 UTC (a Tuesday). */
export const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
export const MIN = 60_000;

export const settings = (over: RiskSettingsInput = {}): RiskSettings => (Object.keys(over).length ? parseRiskSettings(over) : DEFAULT_RISK_SETTINGS);

export function account(over: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    venue: 'binance',
    accountId: 'main',
    equity: 10_000,
    walletBalance: 10_000,
    availableBalance: 9_000,
    marginUsed: 1_000,
    unrealizedPnl: 0,
    time: NOW,
    ...over,
  };
}

/** A position; size is signed from side unless given. Notional and PnL follow from entry/mark unless given. */
export function position(over: Partial<Position> & { symbol?: string } = {}): Position {
  const side = over.side ?? 'long';
  const entry = over.entryPrice ?? 100;
  const mark = over.markPrice === undefined ? entry : over.markPrice;
  const size = over.size ?? (side === 'long' ? 1 : -1);
  const px = mark ?? entry;
  const lev = over.leverage ?? 10;
  return {
    venue: 'binance',
    accountId: 'main',
    symbol: 'BTCUSDT',
    side,
    size,
    hedged: false,
    entryPrice: entry,
    markPrice: mark,
    leverage: lev,
    marginMode: 'cross',
    liquidationPrice: null,
    unrealizedPnl: (px - entry) * size,
    notional: Math.abs(size) * px,
    marginUsed: (Math.abs(size) * px) / lev,
    openedAt: NOW - 10 * MIN,
    strategyId: 'manual',
    updatedAt: NOW,
    ...over,
  };
}

let fillSeq = 0;
export function fill(over: Partial<Fill> = {}): Fill {
  fillSeq++;
  return {
    venue: 'binance',
    accountId: 'main',
    tradeId: `t${fillSeq}`,
    symbol: 'BTCUSDT',
    side: 'sell',
    price: 100,
    size: 1,
    fee: 0,
    feeAsset: 'USDT',
    realizedPnl: 0,
    time: NOW - MIN,
    orderId: `o${fillSeq}`,
    clientOrderId: null,
    strategyId: 'manual',
    ...over,
  };
}

export function openOrder(over: Partial<OpenOrder> = {}): OpenOrder {
  return {
    venue: 'binance',
    accountId: 'main',
    orderId: 'oo1',
    clientOrderId: null,
    symbol: 'BTCUSDT',
    side: 'buy',
    type: 'limit',
    price: 90,
    stopPrice: null,
    size: 1,
    filled: 0,
    reduceOnly: false,
    positionSide: null,
    time: NOW - MIN,
    strategyId: 'manual',
    ...over,
  };
}

export function strategy(over: Partial<Strategy> = {}): Strategy {
  return {
    source: 'manual',
    strategyId: 'manual',
    symbol: null,
    enabled: true,
    riskPerTradePct: 1,
    stopLossUsd: 5,
    maxDrawdownUsd: 50,
    killed: false,
    totalPnl: 0,
    score: 50,
    ...over,
  };
}

export function intent(over: Partial<OrderIntent> = {}): OrderIntent {
  return {
    venue: 'binance',
    accountId: 'main',
    symbol: 'BTCUSDT',
    side: 'buy',
    type: 'limit',
    size: 0.5,
    sizeUnit: 'base',
    price: 100,
    stopPrice: null,
    leverage: 10,
    reduceOnly: false,
    positionSide: null,
    strategyId: 'manual',
    stopLoss: 99,
    ...over,
  };
}

export function instrument(over: Partial<InstrumentRules> = {}): InstrumentRules {
  return { venue: 'binance', symbol: 'BTCUSDT', lotStep: 0.001, tickSize: 0.1, minNotional: 5, maxLeverage: 125, ...over };
}

export function view(over: Partial<AccountView> = {}): AccountView {
  return { account: account(), positions: [], openOrders: [], ...over };
}

export function history(over: Partial<EvaluationHistory> = {}): EvaluationHistory {
  return { ...emptyHistory(), ...over };
}

/** Period start values recorded at the starts of NOW's periods (UTC): Tue 10 March, Mon 9 March, 1 March. */
export function starts(equity: number, walletBalance = equity) {
  return {
    daily: { equity, walletBalance, at: Date.UTC(2026, 2, 10) },
    weekly: { equity, walletBalance, at: Date.UTC(2026, 2, 9) },
    monthly: { equity, walletBalance, at: Date.UTC(2026, 2, 1) },
  };
}

/** A rule context for one account, as the engine builds it. */
export function ctx(
  v: AccountView = view(),
  opts: { history?: EvaluationHistory; state?: RiskState; settings?: RiskSettings; now?: number } = {},
): AccountContext {
  const h = opts.history ?? history();
  const s = opts.settings ?? DEFAULT_RISK_SETTINGS;
  const table = new Map(h.strategies.map((r) => [r.strategyId, r]));
  const fills = h.fills.filter((f) => f.venue === v.account.venue && f.accountId === v.account.accountId);
  return buildAccountContext(v, fills, h, (id) => effectiveStrategy(id, table, s), opts.state ?? initialRiskState(), s, opts.now ?? NOW);
}

export function snapshot(over: Partial<PreTradeSnapshot> = {}): PreTradeSnapshot {
  return { view: view(), markPrice: 100, instrument: instrument(), atrPct: null, strategy: null, recentOrders: [], ...over };
}

/** The portfolio context over several accounts, as the engine builds it. */
export function portfolio(
  views: AccountView[],
  opts: { history?: EvaluationHistory; state?: RiskState; settings?: RiskSettings; now?: number } = {},
): PortfolioContext {
  const h = opts.history ?? history();
  const s = opts.settings ?? DEFAULT_RISK_SETTINGS;
  const table = new Map(h.strategies.map((r) => [r.strategyId, r]));
  return {
    now: opts.now ?? NOW,
    accounts: views.map((v) => ctx(v, opts)),
    strategies: h.strategies,
    strategy: (id) => effectiveStrategy(id, table, s),
    state: opts.state ?? initialRiskState(),
  };
}
