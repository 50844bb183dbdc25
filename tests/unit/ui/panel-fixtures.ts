/** Risk-view shapes for the panel tests. */
import type { AccountRisk, PositionView, RiskView } from '@/lib/messaging/risk-view';
import type { ViewState } from '@/lib/messaging/protocol';

export const pos = (patch: Partial<PositionView> = {}): PositionView => ({
  symbol: 'BTCUSDT',
  side: 'long',
  size: 0.08,
  entryPrice: 60_000,
  markPrice: 61_000,
  unrealizedPnl: 80,
  leverage: 10,
  liquidationPrice: 54_900,
  stopPrice: 59_000,
  stopDistancePct: 3.28,
  liqDistancePct: 10,
  strategyId: 'manual',
  ...patch,
});

export const account = (patch: Partial<AccountRisk> = {}): AccountRisk => ({
  key: 'binance:desk',
  venue: 'binance',
  accountId: 'desk',
  label: 'Desk',
  mode: 'guard',
  canTrade: true,
  status: 'live',
  statusText: null,
  equity: 10_080,
  walletBalance: 10_000,
  dayPnl: 80,
  dayLossPct: -0.8,
  dailyWarnPct: 1.5,
  dailyLimitPct: 2,
  drawdownPct: 0.5,
  drawdownLimitPct: 15,
  exposurePct: 48.41,
  exposureLimitPct: 50,
  riskScore: 34,
  trading: 'ACTIVE',
  tradingReason: null,
  breaker: 'CLOSED',
  coolingUntil: null,
  positions: [pos()],
  openOrders: 1,
  receivedAt: 1_700_000_000_000,
  ...patch,
});

export const risk = (patch: Partial<RiskView> = {}): RiskView => ({
  evaluatedAt: 1_700_000_000_000,
  trading: 'ACTIVE',
  badge: { text: 'OK', color: '#0ecb81', title: 'Ringfence: all clear' },
  accounts: [account()],
  findings: [],
  strategies: [],
  guard: null,
  ...patch,
});

export const viewState = (r: RiskView = risk(), rev = 1): ViewState => ({
  rev,
  workerStartedAt: 1,
  pages: [],
  tables: { strategies: 0, accounts: 0, settings: 0 },
  audit: { count: 1, recent: [{ id: 1, ts: 1_700_000_000_000, kind: 'worker.started', severity: 'info', message: 'Ringfence started.' }] },
  risk: r,
});
