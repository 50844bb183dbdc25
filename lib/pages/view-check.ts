/**
 * A structural check of the state the background pushes to a trading page, instead of parsing it with the protocol's
 * zod schemas (which the content scripts would have to bundle): every field the panel and the guard read is checked
 * for its type, so a push of the wrong shape (a newer or broken background) is ignored whole and never reaches the
 * page's code. Extra fields are allowed. Pure; tests/unit/pages/view-check.test.ts keeps it in step with the schema.
 */
import type { ViewState } from '../messaging/protocol';

type Check = (v: unknown) => boolean;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str: Check = (v) => typeof v === 'string';
const num: Check = (v) => Number.isFinite(v);
const int: Check = (v) => Number.isInteger(v) && (v as number) >= 0;
const bool: Check = (v) => typeof v === 'boolean';
const maybe = (c: Check): Check => (v) => v === null || c(v);
const optional = (c: Check): Check => (v) => v === undefined || c(v);
const oneOf = (...values: string[]): Check => (v) => values.includes(v as string);
const arr = (c: Check): Check => (v) => Array.isArray(v) && v.every(c);
const rec = (c: Check): Check => (v) => isObj(v) && Object.values(v).every(c);
const obj = (shape: Record<string, Check>): Check => (v) => isObj(v) && Object.keys(shape).every((k) => shape[k]!(v[k]));

const mnum = maybe(num);
const mstr = maybe(str);
const venue = oneOf('binance', 'hyperliquid');
const trading = oneOf('ACTIVE', 'REDUCING', 'HALTED');
const mode = oneOf('monitor', 'guard', 'enforce');

const position = obj({
  symbol: str,
  side: oneOf('long', 'short'),
  size: num,
  entryPrice: num,
  markPrice: mnum,
  unrealizedPnl: num,
  leverage: num,
  liquidationPrice: mnum,
  stopPrice: mnum,
  stopDistancePct: mnum,
  liqDistancePct: mnum,
  strategyId: str,
});

const account = obj({
  key: str,
  venue,
  accountId: str,
  label: str,
  mode,
  canTrade: bool,
  status: oneOf('connecting', 'live', 'stale', 'reconnecting', 'locked', 'error', 'stopped'),
  statusText: mstr,
  equity: mnum,
  walletBalance: mnum,
  dayPnl: mnum,
  dayLossPct: mnum,
  lossBasis: optional(oneOf('equity', 'balance', 'balance_minus_equity')),
  dailyWarnPct: num,
  dailyLimitPct: num,
  drawdownPct: mnum,
  drawdownWarnPct: optional(num),
  drawdownLimitPct: num,
  exposurePct: mnum,
  exposureWarnPct: optional(num),
  exposureLimitPct: num,
  riskScore: mnum,
  trading,
  tradingReason: mstr,
  breaker: oneOf('CLOSED', 'OPEN', 'HALF_OPEN'),
  coolingUntil: mnum,
  needsReset: optional(bool),
  positions: arr(position),
  symbols: optional(arr(obj({ symbol: str, trading, reason: mstr, until: mnum }))),
  openOrders: int,
  receivedAt: mnum,
});

const category = oneOf('tradingState', 'killedStrategy', 'coolingOff', 'leverageCap', 'sizeCap', 'staleData', 'other');
const gates = arr(obj({ level: oneOf('block', 'warn'), code: str, category, rule: mstr, text: str, detail: mstr, hard: bool, probe: mnum }));
const policy = oneOf('never', 'countdown', 'typed');
const capSource = oneOf('mode', 'volatility', 'losing_streak', 'risk_level', 'instrument');

const envelope = obj({
  key: str,
  venue,
  accountId: str,
  mode,
  receivedAt: mnum,
  feedError: mstr,
  staleAfterSec: num,
  equity: num,
  pre: gates,
  symbols: rec(gates),
  post: gates,
  cap: num,
  capSource,
  capTail: str,
  leverageUnknownText: str,
  caps: rec(obj({ cap: num, capSource, capTail: str, leverageUnknownText: str })),
  lots: rec(obj({ lotStep: num, minNotional: num })),
  capBase: num,
  stopLossUsd: num,
  strategySymbol: maybe(obj({ strategyId: str, symbol: str })),
  maxLossAtStopPct: num,
  exposureLimitPct: num,
  exposureWarningPct: num,
  symbolLimitPct: num,
  positions: arr(obj({ symbol: str, side: oneOf('long', 'short'), size: num, notional: num, leverage: num, markPrice: mnum })),
  gross: num,
  positionCountText: mstr,
  groups: arr(obj({ name: str, assets: arr(str), notional: num })),
  assets: rec(num),
  marks: rec(num),
  recentOrders: arr(obj({ symbol: str, side: oneOf('buy', 'sell'), size: num, time: num })),
  duplicateWindowSec: num,
  maxOrdersPerMinute: num,
  maxTradesPerHour: num,
  maxTradesPerDay: num,
  lastLoss: maybe(obj({ time: num, notional: num })),
  revengeWindowMin: num,
  revengeSizeMultiple: num,
  equityText: mstr,
});

// evaluatedAt, trading and badge are not read on the page.
const risk = obj({
  accounts: arr(account),
  findings: arr(obj({ severity: oneOf('notice', 'warning', 'critical', 'emergency'), rule: str, text: str, account: mstr, symbol: mstr })),
  strategies: arr(obj({ strategyId: str, trading, killed: bool, reason: mstr })),
  guard: maybe(
    obj({
      settings: obj({
        policy: obj({ tradingState: policy, killedStrategy: policy, coolingOff: policy, leverageCap: policy, sizeCap: policy, staleData: policy, other: policy }),
        countdownSec: num,
        phrase: str,
      }),
      accounts: arr(envelope),
    }),
  ),
});

const viewState = obj({
  rev: int,
  workerStartedAt: num,
  pages: arr(obj({ key: str, venue, symbol: mstr, url: str })),
  audit: obj({ count: int, recent: arr(obj({ message: str })) }),
  risk,
  market: optional(arr(obj({ venue, symbol: str, line: str, error: mstr }))),
});

/** Whether a push is a state the page can use as it is. */
export const isViewState = (v: unknown): v is ViewState => viewState(v);
