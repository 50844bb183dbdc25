/**
 * Binance USD-M futures raw JSON -> the domain model. Pure functions: every payload is zod-validated first (neither
 * ccxt's implicit API nor the venue guarantees a shape), decimal strings are parsed once here, and the result is
 * checked against the domain schemas. Anything malformed throws BadPayloadError; the adapter counts it and keeps its
 * last good state.
 *
 * Numbers are Binance's own: unRealizedProfit, notional, initialMargin, liquidationPrice, totalMarginBalance are copied,
 * not recomputed. Between REST snapshots the pushes carry no unrealized PnL or margin, so ./state.ts derives them from
 * the mark with Binance's formulas (positionAmt x (mark - entry), |notional| / leverage).
 */
import { z } from 'zod';
import { CandleSchema, OrderBookSchema, TradeSchema, type Candle, type OrderBook, type Trade } from '../../domain/market';
import {
  AccountSnapshotSchema,
  CashFlowSchema,
  FillSchema,
  InstrumentRulesSchema,
  MANUAL_STRATEGY,
  MarkPriceSchema,
  OpenOrderSchema,
  PositionSchema,
  type AccountSnapshot,
  type CashFlow,
  type Fill,
  type InstrumentRules,
  type MarginMode,
  type MarkPrice,
  type OpenOrder,
  type OrderType,
  type Position,
  type PositionSide,
} from '../../domain/types';
import { BadPayloadError } from '../errors';
import type { OrderStatus } from '../types';

// ---------- primitives ----------

/** Binance sends decimals as strings ("50000.0", "-0.00325000", "1E-8"). */
const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?(E-?\d+)?$/i, 'expected a decimal string')
  .transform(Number)
  .refine(Number.isFinite, 'decimal out of range');
/** Some fields are numbers in one endpoint and strings in another (leverage, notionalCap). */
const numeric = z.union([z.number().finite(), decimal]);
const time = z.number().int().nonnegative();
const id = z.union([z.number().int(), z.string().min(1)]).transform(String);
const side = z.enum(['BUY', 'SELL']);
const positionSideRaw = z.enum(['BOTH', 'LONG', 'SHORT']);

export interface NormalizeContext {
  accountId: string;
  /** Used when a payload has no time of its own (updateTime 0). */
  now: number;
  /** Attribution: client order id and symbol -> strategy id. Default: always 'manual'. */
  strategyOf?: (clientOrderId: string | null, symbol: string) => string;
}

const strategy = (ctx: NormalizeContext, cid: string | null, symbol: string) => ctx.strategyOf?.(cid, symbol) ?? MANUAL_STRATEGY;

function issuesOf(error: z.ZodError): string[] {
  return error.issues.slice(0, 20).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

/** Validates `raw` against `schema`, or throws BadPayloadError naming the payload and the first issues. */
export function validate<T extends z.ZodType>(what: string, schema: T, raw: unknown): z.output<T> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issues = issuesOf(r.error);
    throw new BadPayloadError(`binance ${what}: malformed payload (${issues.slice(0, 3).join('; ')})`, { venue: 'binance', issues });
  }
  return r.data;
}

/** The domain schemas guard the output too: a venue value the model cannot hold is a bad payload, not a crash. */
function domain<T extends z.ZodType>(what: string, schema: T, value: unknown): z.output<T> {
  return validate(`${what} (domain)`, schema, value);
}

const positive = (v: number) => (v > 0 ? v : null);
const sideOf = (ps: 'BOTH' | 'LONG' | 'SHORT', amt: number): PositionSide => (ps === 'LONG' ? 'long' : ps === 'SHORT' ? 'short' : amt >= 0 ? 'long' : 'short');
const posSide = (ps: 'BOTH' | 'LONG' | 'SHORT'): PositionSide | null => (ps === 'LONG' ? 'long' : ps === 'SHORT' ? 'short' : null);

// ---------- account ----------

/** GET /fapi/v3/account and /fapi/v2/account: the totals (USD-valued across assets in multi-assets mode). */
export const AccountSchema = z.looseObject({
  totalInitialMargin: decimal,
  totalMaintMargin: decimal,
  totalWalletBalance: decimal,
  totalUnrealizedProfit: decimal,
  totalMarginBalance: decimal,
  totalCrossWalletBalance: decimal,
  totalCrossUnPnl: decimal,
  totalOpenOrderInitialMargin: decimal.optional(),
  totalPositionInitialMargin: decimal.optional(),
  availableBalance: decimal,
  multiAssetsMargin: z.boolean().optional(),
  updateTime: time.optional(),
  assets: z.array(z.looseObject({ asset: z.string().min(1), walletBalance: decimal, updateTime: time.optional() })),
  positions: z.array(z.looseObject({ symbol: z.string().min(1), positionAmt: decimal, positionSide: positionSideRaw.optional() })),
});
export type RawAccount = z.output<typeof AccountSchema>;

export interface NormalizedAccount {
  account: AccountSnapshot;
  /** Per-asset wallet balances (ACCOUNT_UPDATE pushes update these). */
  wallets: Record<string, number>;
  crossWalletBalance: number;
  openOrderInitialMargin: number;
  multiAssetsMargin: boolean | null;
}

export function normalizeAccount(raw: unknown, ctx: NormalizeContext): NormalizedAccount {
  const a = validate('account', AccountSchema, raw);
  const times = a.assets.map((x) => x.updateTime ?? 0);
  const t = Math.max(a.updateTime ?? 0, ...times);
  const account = domain('account', AccountSnapshotSchema, {
    venue: 'binance',
    accountId: ctx.accountId,
    // marginBalance = walletBalance + unrealizedProfit, as Binance reports it.
    equity: a.totalMarginBalance,
    walletBalance: a.totalWalletBalance,
    availableBalance: a.availableBalance,
    marginUsed: Math.max(0, a.totalInitialMargin),
    unrealizedPnl: a.totalUnrealizedProfit,
    time: t > 0 ? t : ctx.now,
  });
  return {
    account,
    wallets: Object.fromEntries(a.assets.map((x) => [x.asset, x.walletBalance])),
    crossWalletBalance: a.totalCrossWalletBalance,
    openOrderInitialMargin: a.totalOpenOrderInitialMargin ?? 0,
    multiAssetsMargin: a.multiAssetsMargin ?? null,
  };
}

/** GET /fapi/v2/balance (and v3): per-asset rows. */
export const BalanceSchema = z.array(
  z.looseObject({ asset: z.string().min(1), balance: decimal, crossWalletBalance: decimal, crossUnPnl: decimal, availableBalance: decimal, updateTime: time }),
);
export interface AssetBalance {
  asset: string;
  walletBalance: number;
  crossWalletBalance: number;
  crossUnPnl: number;
  availableBalance: number;
  time: number;
}
export function normalizeBalances(raw: unknown): AssetBalance[] {
  return validate('balance', BalanceSchema, raw).map((b) => ({
    asset: b.asset,
    walletBalance: b.balance,
    crossWalletBalance: b.crossWalletBalance,
    crossUnPnl: b.crossUnPnl,
    availableBalance: b.availableBalance,
    time: b.updateTime,
  }));
}

// ---------- symbol config and positions ----------

/** GET /fapi/v1/symbolConfig: leverage and margin type (v3 positionRisk has neither). */
export const SymbolConfigSchema = z.array(
  z.looseObject({ symbol: z.string().min(1), marginType: z.enum(['CROSSED', 'ISOLATED']), leverage: numeric.pipe(z.number().positive()) }),
);
export interface SymbolSetting {
  leverage: number;
  marginMode: MarginMode;
}
export function normalizeSymbolConfig(raw: unknown): Map<string, SymbolSetting> {
  const rows = validate('symbolConfig', SymbolConfigSchema, raw);
  return new Map(rows.map((r) => [r.symbol, { leverage: r.leverage, marginMode: r.marginType === 'ISOLATED' ? 'isolated' : 'cross' }]));
}

/** GET /fapi/v3/positionRisk (and the older v2, which also carries leverage and marginType). */
export const PositionRiskSchema = z.array(
  z.looseObject({
    symbol: z.string().min(1),
    positionSide: positionSideRaw,
    positionAmt: decimal,
    entryPrice: decimal,
    markPrice: decimal,
    unRealizedProfit: decimal,
    liquidationPrice: decimal,
    notional: decimal,
    isolatedMargin: decimal,
    isolatedWallet: decimal.optional(),
    initialMargin: decimal.optional(),
    leverage: numeric.optional(),
    marginType: z.enum(['cross', 'isolated']).optional(),
    updateTime: time,
  }),
);

export interface PositionContext extends NormalizeContext {
  /** From /fapi/v1/symbolConfig; needed for v3 payloads, which carry no leverage or margin type. */
  settings?: Map<string, SymbolSetting>;
}

/** Open positions only (positionAmt 0 rows are dropped), with Binance's own numbers. */
export function normalizePositionRisk(raw: unknown, ctx: PositionContext): Position[] {
  const rows = validate('positionRisk', PositionRiskSchema, raw);
  const out: Position[] = [];
  for (const r of rows) {
    if (r.positionAmt === 0) continue;
    const setting = ctx.settings?.get(r.symbol);
    const absNotional = Math.abs(r.notional);
    // Leverage: v2 carries it, v3 needs symbolConfig; failing both, Binance's initialMargin = |notional| / leverage.
    const leverage = r.leverage ?? setting?.leverage ?? (r.initialMargin && r.initialMargin > 0 ? absNotional / r.initialMargin : undefined);
    if (leverage === undefined) {
      throw new BadPayloadError(`binance positionRisk: no leverage for ${r.symbol} (v3 payload without symbolConfig)`, {
        venue: 'binance',
        issues: [`${r.symbol}: leverage unknown`],
      });
    }
    const marginMode: MarginMode = r.marginType ?? setting?.marginMode ?? (r.isolatedMargin > 0 || (r.isolatedWallet ?? 0) > 0 ? 'isolated' : 'cross');
    out.push(
      domain('position', PositionSchema, {
        venue: 'binance',
        accountId: ctx.accountId,
        symbol: r.symbol,
        side: sideOf(r.positionSide, r.positionAmt),
        size: r.positionAmt,
        hedged: r.positionSide !== 'BOTH',
        entryPrice: r.entryPrice,
        markPrice: positive(r.markPrice),
        leverage,
        marginMode,
        // "0" means no liquidation price (for example a long fully covered by the wallet).
        liquidationPrice: positive(r.liquidationPrice),
        unrealizedPnl: r.unRealizedProfit,
        notional: absNotional,
        marginUsed: r.initialMargin ?? absNotional / leverage,
        openedAt: null,
        // A position carries no client order id: this is the symbol rules' strategy, a placeholder the background replaces
        // with the strategy whose fills built the position (lib/domain/attribution.ts positionOwner).
        strategyId: strategy(ctx, null, r.symbol),
        updatedAt: r.updateTime > 0 ? r.updateTime : ctx.now,
      }),
    );
  }
  return out;
}

// ---------- orders ----------

const ORDER_TYPES: Record<string, OrderType> = {
  MARKET: 'market',
  LIMIT: 'limit',
  STOP_MARKET: 'stop_market',
  STOP: 'stop_limit',
  TAKE_PROFIT_MARKET: 'take_profit_market',
  TAKE_PROFIT: 'take_profit_limit',
  // The domain has no trailing type; it behaves as a stop-market once armed.
  TRAILING_STOP_MARKET: 'stop_market',
  LIQUIDATION: 'market',
};
const orderType = z.string().transform((t, c) => {
  const m = ORDER_TYPES[t];
  if (!m) {
    c.addIssue({ code: 'custom', message: `unknown order type ${t}` });
    return z.NEVER;
  }
  return m;
});

const ORDER_STATUS: Record<string, OrderStatus> = {
  NEW: 'new',
  PARTIALLY_FILLED: 'partially_filled',
  FILLED: 'filled',
  CANCELED: 'canceled',
  EXPIRED: 'expired',
  EXPIRED_IN_MATCH: 'expired',
  REJECTED: 'rejected',
  // Algo order statuses.
  TRIGGERING: 'new',
  TRIGGERED: 'filled',
  FINISHED: 'filled',
};
const orderStatus = z.string().transform((s, c) => {
  const m = ORDER_STATUS[s];
  if (!m) {
    c.addIssue({ code: 'custom', message: `unknown order status ${s}` });
    return z.NEVER;
  }
  return m;
});

/** Algo (conditional) order ids live in their own space: prefixed so they never collide with order ids. */
export const algoOrderId = (algoId: string | number) => `algo:${algoId}`;

/** GET /fapi/v1/openOrders rows and POST /fapi/v1/order answers. */
export const OrderSchema = z.looseObject({
  orderId: id,
  symbol: z.string().min(1),
  status: orderStatus,
  clientOrderId: z.string(),
  price: decimal,
  origQty: decimal,
  executedQty: decimal,
  avgPrice: decimal.optional(),
  type: orderType,
  reduceOnly: z.boolean(),
  closePosition: z.boolean().optional(),
  side,
  positionSide: positionSideRaw,
  stopPrice: decimal.optional(),
  time: time.optional(),
  updateTime: time,
});

export interface OrderContext extends NormalizeContext {
  /** Size of a position, for closePosition orders that carry no quantity. */
  positionSize?: (symbol: string, side: PositionSide | null) => number | undefined;
}

export interface NormalizedOrder {
  order: OpenOrder;
  status: OrderStatus;
  avgPrice: number | null;
}

function closeAllSize(ctx: OrderContext, symbol: string, side: 'BUY' | 'SELL', ps: 'BOTH' | 'LONG' | 'SHORT'): number | undefined {
  const target: PositionSide | null = ps === 'BOTH' ? (side === 'SELL' ? 'long' : 'short') : posSide(ps);
  const size = ctx.positionSize?.(symbol, target);
  return size !== undefined && size !== 0 ? Math.abs(size) : undefined;
}

/** Returns null for a close-all order whose size cannot be known (no position): it has nothing to close. */
export function normalizeOrder(raw: unknown, ctx: OrderContext): NormalizedOrder | null {
  const o = validate('order', OrderSchema, raw);
  const size = o.origQty > 0 ? o.origQty : o.closePosition ? closeAllSize(ctx, o.symbol, o.side, o.positionSide) : undefined;
  if (size === undefined) {
    if (o.closePosition) return null;
    throw new BadPayloadError(`binance order ${o.orderId}: origQty must be > 0`, { venue: 'binance', issues: ['origQty: must be > 0'] });
  }
  const order = domain('order', OpenOrderSchema, {
    venue: 'binance',
    accountId: ctx.accountId,
    orderId: o.orderId,
    clientOrderId: o.clientOrderId || null,
    symbol: o.symbol,
    side: o.side === 'BUY' ? 'buy' : 'sell',
    type: o.type,
    price: positive(o.price),
    stopPrice: positive(o.stopPrice ?? 0),
    size,
    filled: o.executedQty,
    reduceOnly: o.reduceOnly || o.closePosition === true,
    positionSide: posSide(o.positionSide),
    time: o.time ?? o.updateTime,
    strategyId: strategy(ctx, o.clientOrderId || null, o.symbol),
  });
  return { order, status: o.status, avgPrice: positive(o.avgPrice ?? 0) };
}

export function normalizeOpenOrders(raw: unknown, ctx: OrderContext): OpenOrder[] {
  const rows = validate('openOrders', z.array(z.unknown()), raw);
  return rows.map((r) => normalizeOrder(r, ctx)).flatMap((n) => (n ? [n.order] : []));
}

/** GET /fapi/v1/openAlgoOrders rows and POST /fapi/v1/algoOrder answers. */
export const AlgoOrderSchema = z.looseObject({
  algoId: id,
  clientAlgoId: z.string(),
  orderType: orderType,
  symbol: z.string().min(1),
  side,
  positionSide: positionSideRaw,
  quantity: decimal,
  algoStatus: orderStatus,
  triggerPrice: decimal,
  price: decimal.nullable().optional(),
  closePosition: z.boolean().optional(),
  reduceOnly: z.boolean().optional(),
  createTime: time,
  updateTime: time.optional(),
});

export function normalizeAlgoOrder(raw: unknown, ctx: OrderContext): NormalizedOrder | null {
  const a = validate('algoOrder', AlgoOrderSchema, raw);
  const size = a.quantity > 0 ? a.quantity : a.closePosition ? closeAllSize(ctx, a.symbol, a.side, a.positionSide) : undefined;
  if (size === undefined) {
    if (a.closePosition) return null;
    throw new BadPayloadError(`binance algo order ${a.algoId}: quantity must be > 0`, { venue: 'binance', issues: ['quantity: must be > 0'] });
  }
  const order = domain('algoOrder', OpenOrderSchema, {
    venue: 'binance',
    accountId: ctx.accountId,
    orderId: algoOrderId(a.algoId),
    clientOrderId: a.clientAlgoId || null,
    symbol: a.symbol,
    side: a.side === 'BUY' ? 'buy' : 'sell',
    type: a.orderType,
    price: positive(a.price ?? 0),
    stopPrice: positive(a.triggerPrice),
    size,
    filled: 0,
    reduceOnly: a.reduceOnly === true || a.closePosition === true,
    positionSide: posSide(a.positionSide),
    time: a.createTime,
    strategyId: strategy(ctx, a.clientAlgoId || null, a.symbol),
  });
  return { order, status: a.algoStatus, avgPrice: null };
}

export function normalizeOpenAlgoOrders(raw: unknown, ctx: OrderContext): OpenOrder[] {
  const rows = validate('openAlgoOrders', z.array(z.unknown()), raw);
  return rows.map((r) => normalizeAlgoOrder(r, ctx)).flatMap((n) => (n ? [n.order] : []));
}

// ---------- fills ----------

/** GET /fapi/v1/userTrades. */
export const UserTradesSchema = z.array(
  z.looseObject({
    symbol: z.string().min(1),
    id: id,
    orderId: id,
    side,
    price: decimal,
    qty: decimal,
    realizedPnl: decimal,
    commission: decimal,
    commissionAsset: z.string().min(1),
    time,
    positionSide: positionSideRaw.optional(),
  }),
);

/**
 * Whether a fill closed (part of) a position, when Binance says: a reduce-only or close-position order, or in hedge
 * mode the side it trades against (a sell of the LONG side closes). One-way mode (BOTH) without the flag does not say;
 * the engine then goes by the realized PnL.
 */
function closingOf(side: 'BUY' | 'SELL', ps: 'BOTH' | 'LONG' | 'SHORT' | undefined, reduceOnly: boolean): { closing?: boolean } {
  if (reduceOnly) return { closing: true };
  if (ps === 'LONG' || ps === 'SHORT') return { closing: (ps === 'LONG') === (side === 'SELL') };
  return {};
}

/** GET /fapi/v1/allOrders rows (the same order object as GET /fapi/v1/order): only what attributes a trade. */
export const AllOrdersSchema = z.array(z.looseObject({ orderId: id, clientOrderId: z.string() }));

export function normalizeAllOrders(raw: unknown): { orderId: string; clientOrderId: string | null }[] {
  return validate('allOrders', AllOrdersSchema, raw).map((o) => ({ orderId: o.orderId, clientOrderId: o.clientOrderId || null }));
}

/** userTrades rows as fills. The rows carry no client order id: attributeFills adds them where they are known. */
export function normalizeUserTrades(raw: unknown, ctx: NormalizeContext): Fill[] {
  return validate('userTrades', UserTradesSchema, raw).map((t) =>
    domain('fill', FillSchema, {
      venue: 'binance',
      accountId: ctx.accountId,
      tradeId: t.id,
      symbol: t.symbol,
      side: t.side === 'BUY' ? 'buy' : 'sell',
      price: t.price,
      size: t.qty,
      fee: t.commission,
      feeAsset: t.commissionAsset,
      realizedPnl: t.realizedPnl,
      time: t.time,
      orderId: t.orderId,
      clientOrderId: null,
      strategyId: strategy(ctx, null, t.symbol),
      ...closingOf(t.side, t.positionSide, false),
    }),
  );
}

/**
 * Backfilled fills with the client order ids of their orders (from allOrders or orders seen live) and the strategy
 * those imply, so a bot's trades fetched after a gap are attributed by its client-id prefix as they are live. A fill
 * whose order is not in `clientIds` keeps the symbol rules' strategy.
 */
export function attributeFills(fills: readonly Fill[], ctx: NormalizeContext, clientIds: ReadonlyMap<string, string>): Fill[] {
  return fills.map((f) => {
    const cid = clientIds.get(f.orderId);
    return cid === undefined ? f : domain('fill', FillSchema, { ...f, clientOrderId: cid, strategyId: strategy(ctx, cid, f.symbol) });
  });
}

// ---------- user data stream ----------

/** ORDER_TRADE_UPDATE. */
export const OrderTradeUpdateSchema = z.looseObject({
  e: z.literal('ORDER_TRADE_UPDATE'),
  E: time,
  T: time,
  o: z.looseObject({
    s: z.string().min(1),
    c: z.string(),
    S: side,
    o: orderType,
    q: decimal,
    p: decimal,
    ap: decimal,
    sp: decimal,
    x: z.string().min(1),
    X: orderStatus,
    i: id,
    l: decimal,
    z: decimal,
    L: decimal,
    N: z.string().nullable().optional(),
    n: decimal.optional(),
    T: time,
    t: z.union([z.number().int(), z.string()]),
    R: z.boolean(),
    ps: positionSideRaw,
    cp: z.boolean().optional(),
    rp: decimal,
  }),
});

export interface OrderUpdate {
  order: OpenOrder | null;
  status: OrderStatus;
  /** Present when this update is an execution (x = TRADE, or CALCULATED for a liquidation). */
  fill: Fill | null;
  time: number;
}

export function normalizeOrderTradeUpdate(raw: unknown, ctx: OrderContext): OrderUpdate {
  const m = validate('ORDER_TRADE_UPDATE', OrderTradeUpdateSchema, raw);
  const o = m.o;
  const cid = o.c || null;
  const size = o.q > 0 ? o.q : o.cp ? closeAllSize(ctx, o.s, o.S, o.ps) : undefined;
  const order =
    size === undefined
      ? null
      : domain('order', OpenOrderSchema, {
          venue: 'binance',
          accountId: ctx.accountId,
          orderId: o.i,
          clientOrderId: cid,
          symbol: o.s,
          side: o.S === 'BUY' ? 'buy' : 'sell',
          type: o.o,
          price: positive(o.p),
          stopPrice: positive(o.sp),
          size,
          filled: o.z,
          reduceOnly: o.R || o.cp === true,
          positionSide: posSide(o.ps),
          time: o.T,
          strategyId: strategy(ctx, cid, o.s),
        });
  const isExecution = (o.x === 'TRADE' || o.x === 'CALCULATED') && o.l > 0;
  const fill = isExecution
    ? domain('fill', FillSchema, {
        venue: 'binance',
        accountId: ctx.accountId,
        tradeId: String(o.t),
        symbol: o.s,
        side: o.S === 'BUY' ? 'buy' : 'sell',
        price: o.L,
        size: o.l,
        fee: o.n ?? 0,
        feeAsset: o.N || 'USDT',
        realizedPnl: o.rp,
        time: o.T,
        orderId: o.i,
        clientOrderId: cid,
        strategyId: strategy(ctx, cid, o.s),
        ...closingOf(o.S, o.ps, o.R || o.cp === true),
      })
    : null;
  return { order, status: o.X, fill, time: m.E };
}

/** ALGO_UPDATE: a conditional order's life (NEW, CANCELED, TRIGGERING, TRIGGERED, FINISHED, REJECTED, EXPIRED). */
export const AlgoUpdateSchema = z.looseObject({
  e: z.literal('ALGO_UPDATE'),
  E: time,
  T: time,
  o: z.looseObject({
    caid: z.string(),
    aid: id,
    o: orderType,
    s: z.string().min(1),
    S: side,
    ps: positionSideRaw,
    q: decimal,
    X: orderStatus,
    tp: decimal,
    p: decimal,
    cp: z.boolean().optional(),
    R: z.boolean().optional(),
  }),
});

export function normalizeAlgoUpdate(raw: unknown, ctx: OrderContext): OrderUpdate {
  const m = validate('ALGO_UPDATE', AlgoUpdateSchema, raw);
  const o = m.o;
  const cid = o.caid || null;
  const size = o.q > 0 ? o.q : o.cp ? closeAllSize(ctx, o.s, o.S, o.ps) : undefined;
  const order =
    size === undefined
      ? null
      : domain('algoOrder', OpenOrderSchema, {
          venue: 'binance',
          accountId: ctx.accountId,
          orderId: algoOrderId(o.aid),
          clientOrderId: cid,
          symbol: o.s,
          side: o.S === 'BUY' ? 'buy' : 'sell',
          type: o.o,
          price: positive(o.p),
          stopPrice: positive(o.tp),
          size,
          filled: 0,
          reduceOnly: o.R === true || o.cp === true,
          positionSide: posSide(o.ps),
          time: m.T,
          strategyId: strategy(ctx, cid, o.s),
        });
  return { order, status: o.X, fill: null, time: m.E };
}

/** ACCOUNT_UPDATE: wallet balances (wb, without unrealized PnL) and the positions that changed. */
export const AccountUpdateSchema = z.looseObject({
  e: z.literal('ACCOUNT_UPDATE'),
  E: time,
  T: time,
  a: z.looseObject({
    m: z.string(),
    // bc: "balance change except PnL and commission" (a deposit, withdrawal or transfer); older payloads lack it.
    B: z.array(z.looseObject({ a: z.string().min(1), wb: decimal, cw: decimal, bc: decimal.optional().default(0) })),
    P: z.array(
      z.looseObject({
        s: z.string().min(1),
        pa: decimal,
        ep: decimal,
        up: decimal,
        mt: z.enum(['cross', 'isolated']),
        iw: decimal,
        ps: positionSideRaw,
      }),
    ),
  }),
});

export interface PositionDelta {
  symbol: string;
  positionSide: 'BOTH' | 'LONG' | 'SHORT';
  amount: number;
  entryPrice: number;
  /** Unrealized PnL at the event (the pusher's mark). */
  unrealizedPnl: number;
  marginMode: MarginMode;
  isolatedWallet: number;
}

export interface AccountUpdate {
  reason: string;
  time: number;
  /** balanceChange: bc, the part of the wallet change that is neither PnL nor commission (0 when absent). */
  wallets: { asset: string; walletBalance: number; crossWalletBalance: number; balanceChange: number }[];
  positions: PositionDelta[];
}

export function normalizeAccountUpdate(raw: unknown): AccountUpdate {
  const m = validate('ACCOUNT_UPDATE', AccountUpdateSchema, raw);
  return {
    reason: m.a.m,
    time: m.T,
    wallets: m.a.B.map((b) => ({ asset: b.a, walletBalance: b.wb, crossWalletBalance: b.cw, balanceChange: b.bc })),
    positions: m.a.P.map((p) => ({
      symbol: p.s,
      positionSide: p.ps,
      amount: p.pa,
      entryPrice: p.ep,
      unrealizedPnl: p.up,
      marginMode: p.mt,
      isolatedWallet: p.iw,
    })),
  };
}

/**
 * ACCOUNT_UPDATE reasons (a.m) that move money into or out of the futures account. The others are PnL (ORDER,
 * FUNDING_FEE, ADJUSTMENT, INSURANCE_CLEAR, OPTIONS_*) or moves inside the futures wallet (MARGIN_TRANSFER,
 * MARGIN_TYPE_CHANGE, ASSET_TRANSFER, AUTO_EXCHANGE): counting those as cash flows would hide real losses.
 */
export const CASH_FLOW_REASONS: ReadonlySet<string> = new Set([
  'DEPOSIT',
  'WITHDRAW',
  'WITHDRAW_REJECT',
  'ADMIN_DEPOSIT',
  'ADMIN_WITHDRAW',
  'COIN_SWAP_DEPOSIT',
  'COIN_SWAP_WITHDRAW',
]);

/**
 * USD stablecoins valued 1:1. ./state.ts moves the account's USD totals by these same assets one for one, so a flow in
 * one of them and the balance the next 'account' event shows agree to the cent. Anything else is valued at a price.
 */
export const USD_STABLES: ReadonlySet<string> = new Set(['USDT', 'USDC', 'FDUSD', 'BUSD']);

/**
 * The cash flows (deposits, withdrawals, transfers) in an ACCOUNT_UPDATE, so loss limits are measured net of them: a
 * withdrawal lowers the wallet balance and must not read as a loss. One flow per balance entry with a non-zero bc,
 * only for CASH_FLOW_REASONS.
 *
 * amount is bc in USD: 1:1 for USD_STABLES, else bc x priceOf(asset) (the adapter passes the mark of `${asset}USDT`).
 * An asset with no known price gives no flow: a guessed value would be a wrong flow, and leaving it out only means the
 * engine sees that change as it did before (as PnL) until the asset can be valued.
 * A deposit of another asset gives no flow either: the account's USD total shows it only after the REST refresh the
 * push triggers, and a flow recorded before its balance would read as a loss of its value in between (a false halt).
 * Left out, it reads as a gain: a loss limit is then measured with some slack, never tripped by the deposit. A
 * withdrawal of it is reported: the limits know of it before the lower total arrives, as for a stablecoin.
 *
 * Binance sends no transaction id on the stream, so the id is built from the payload: cashFlowId(T, asset, bc), the
 * same one GET /fapi/v1/income's row for that transfer gets (normalizeIncome) when the venue stamps both with the same
 * time. The same push seen twice (a reconnect replay) gives the same id; two equal transfers of one asset in the same
 * millisecond would collapse into one, which Binance's own timestamps make very unlikely.
 */
export function cashFlowsOf(upd: AccountUpdate, accountId: string, priceOf: (asset: string) => number | undefined = () => undefined): CashFlow[] {
  if (!CASH_FLOW_REASONS.has(upd.reason)) return [];
  const out: CashFlow[] = [];
  for (const w of upd.wallets) {
    const flow = binanceFlow(accountId, upd.time, w.asset, w.balanceChange, upd.reason, priceOf);
    if (flow) out.push(flow);
  }
  return out;
}

/**
 * One balance change as a cash flow, or null when it gives none (flowValue). The stream and the income history both
 * build their flows here, so a transfer seen on both gets the same id and the same value.
 */
function binanceFlow(
  accountId: string,
  time: number,
  asset: string,
  change: number,
  kind: string,
  priceOf: (asset: string) => number | undefined,
): CashFlow | null {
  const amount = flowValue(asset, change, priceOf);
  if (amount === null) return null;
  return domain('cashFlow', CashFlowSchema, { venue: 'binance', accountId, id: cashFlowId(time, asset, change), time, amount, asset, kind });
}

/**
 * A Binance cash flow's id: `${time}:${asset}:${change}`, the change as a JS number (so "-100.00000000" and "-100" give
 * the same id). The stream (ACCOUNT_UPDATE T and bc) and the income history (time and income) build it alike, so the
 * same transfer seen on both is recorded once.
 */
export const cashFlowId = (time: number, asset: string, change: number): string => `${time}:${asset}:${change}`;

/**
 * The USD value of a balance change in `asset`, or null when it gives no flow (see cashFlowsOf): 1:1 for USD_STABLES;
 * another asset only when it leaves the account and `priceOf` knows a positive price.
 */
function flowValue(asset: string, change: number, priceOf: (asset: string) => number | undefined): number | null {
  if (change === 0) return null;
  const stable = USD_STABLES.has(asset);
  if (!stable && change > 0) return null;
  const price = stable ? 1 : priceOf(asset);
  if (price === undefined || !Number.isFinite(price) || price <= 0) return null;
  const amount = change * price;
  return amount === 0 ? null : amount;
}

/**
 * GET /fapi/v1/income row: {symbol, incomeType, income (signed decimal), asset, info, time, tranId, tradeId}. Only the
 * fields read are required; symbol, info and tradeId are often "" and left alone.
 */
export const IncomeRowSchema = z.looseObject({
  incomeType: z.string().min(1),
  income: decimal,
  asset: z.string().min(1),
  time,
  tranId: id,
});
export type IncomeRow = z.output<typeof IncomeRowSchema>;

/** The income types that are cash flows (asked for one at a time by the adapter). */
export const CASH_FLOW_INCOME_TYPES = ['TRANSFER', 'INTERNAL_TRANSFER'] as const;

export function parseIncomeRows(raw: unknown): IncomeRow[] {
  return validate('income', z.array(IncomeRowSchema), raw);
}

/**
 * Income rows -> cash flows, as the stream values them (cashFlowsOf): USD stablecoins 1:1; another asset's outflow at
 * `priceOf(asset)` (the adapter passes the known mark of `${asset}USDT`); another asset's inflow, one with no known
 * price, and rows of 0 give none. So a transfer is a flow in the history exactly when it was one on the stream.
 * id = cashFlowId(time, asset, income), kind = incomeType. Rows of other income types (REALIZED_PNL, COMMISSION,
 * FUNDING_FEE...) are not cash flows and give none.
 */
export function normalizeIncome(raw: unknown, accountId: string, priceOf: (asset: string) => number | undefined = () => undefined): CashFlow[] {
  return incomeFlows(parseIncomeRows(raw), accountId, priceOf);
}

/** normalizeIncome on rows already validated (the adapter pages and deduplicates them first). */
export function incomeFlows(rows: readonly IncomeRow[], accountId: string, priceOf: (asset: string) => number | undefined = () => undefined): CashFlow[] {
  const out: CashFlow[] = [];
  for (const r of rows) {
    if (!(CASH_FLOW_INCOME_TYPES as readonly string[]).includes(r.incomeType)) continue;
    const flow = binanceFlow(accountId, r.time, r.asset, r.income, r.incomeType, priceOf);
    if (flow) out.push(flow);
  }
  return out.sort((a, b) => a.time - b.time);
}

// ---------- market data ----------

/** markPriceUpdate (the <symbol>@markPrice[@1s] stream; !markPrice@arr sends an array of them). */
export const MarkPriceUpdateSchema = z.looseObject({ e: z.literal('markPriceUpdate'), E: time, s: z.string().min(1), p: decimal });

export function normalizeMarkPriceUpdate(raw: unknown): MarkPrice {
  const m = validate('markPriceUpdate', MarkPriceUpdateSchema, raw);
  return domain('markPrice', MarkPriceSchema, { venue: 'binance', symbol: m.s, price: m.p, time: m.E });
}

/** GET /fapi/v1/premiumIndex (one symbol: an object; all: an array). */
export const PremiumIndexSchema = z.looseObject({ symbol: z.string().min(1), markPrice: decimal, time });
export function normalizePremiumIndex(raw: unknown): MarkPrice[] {
  const rows = validate('premiumIndex', z.union([PremiumIndexSchema, z.array(PremiumIndexSchema)]), raw);
  return (Array.isArray(rows) ? rows : [rows]).map((r) =>
    domain('markPrice', MarkPriceSchema, { venue: 'binance', symbol: r.symbol, price: r.markPrice, time: r.time }),
  );
}

/** GET /fapi/v1/klines: [openTime, open, high, low, close, volume, closeTime, ...]. */
export const KlinesSchema = z.array(z.tuple([time, decimal, decimal, decimal, decimal, decimal], z.unknown()));
export function normalizeKlines(raw: unknown): Candle[] {
  return validate('klines', KlinesSchema, raw).map((k) =>
    domain('candle', CandleSchema, { time: k[0], open: k[1], high: k[2], low: k[3], close: k[4], volume: k[5] }),
  );
}

/**
 * GET /fapi/v1/aggTrades: [{"a":26129,"p":"0.01633102","q":"4.70443515","f":27781,"l":27781,"T":1498793709153,"m":true}].
 * m: the buyer was the maker, so the aggressor sold.
 */
export const AggTradesSchema = z.array(z.looseObject({ a: z.number().int().nonnegative(), p: decimal, q: decimal, T: time, m: z.boolean() }));
export interface AggTrade extends Trade {
  id: number;
}
export function normalizeAggTrades(raw: unknown): AggTrade[] {
  return validate('aggTrades', AggTradesSchema, raw).map((r) => ({
    id: r.a,
    ...domain('trade', TradeSchema, { time: r.T, price: r.p, size: r.q, side: r.m ? 'sell' : 'buy' }),
  }));
}

const level = z.tuple([decimal, decimal]);
/** GET /fapi/v1/depth. */
export const DepthSchema = z.looseObject({ lastUpdateId: z.number().int(), E: time.optional(), T: time.optional(), bids: z.array(level), asks: z.array(level) });
export function normalizeDepth(raw: unknown, symbol: string, now: number): OrderBook {
  const d = validate('depth', DepthSchema, raw);
  return domain('orderBook', OrderBookSchema, { symbol, time: d.E ?? d.T ?? now, bids: d.bids, asks: d.asks });
}

/** GET /fapi/v1/exchangeInfo -> trading rules (lot step, tick size, min notional) per symbol. */
export const ExchangeInfoSchema = z.looseObject({
  symbols: z.array(
    z.looseObject({
      symbol: z.string().min(1),
      status: z.string(),
      filters: z.array(z.looseObject({ filterType: z.string() })),
    }),
  ),
});
const PriceFilter = z.looseObject({ filterType: z.literal('PRICE_FILTER'), tickSize: decimal });
const LotFilter = z.looseObject({ filterType: z.literal('MARKET_LOT_SIZE'), stepSize: decimal });
const LotFilterLimit = z.looseObject({ filterType: z.literal('LOT_SIZE'), stepSize: decimal });
const NotionalFilter = z.looseObject({ filterType: z.literal('MIN_NOTIONAL'), notional: decimal });

export function normalizeExchangeInfo(raw: unknown, maxLeverage?: Map<string, number>): InstrumentRules[] {
  const info = validate('exchangeInfo', ExchangeInfoSchema, raw);
  return info.symbols.map((s) => {
    const find = <T extends z.ZodType>(schema: T) => {
      for (const f of s.filters) {
        const r = schema.safeParse(f);
        if (r.success) return r.data as z.output<T>;
      }
      return undefined;
    };
    const tick = find(PriceFilter)?.tickSize;
    // Market orders follow MARKET_LOT_SIZE; LOT_SIZE is the fallback.
    const step = find(LotFilter)?.stepSize || find(LotFilterLimit)?.stepSize;
    if (!tick || !step) {
      throw new BadPayloadError(`binance exchangeInfo: ${s.symbol} has no PRICE_FILTER / LOT_SIZE`, { venue: 'binance', issues: [`${s.symbol}: filters`] });
    }
    return domain('instrumentRules', InstrumentRulesSchema, {
      venue: 'binance',
      symbol: s.symbol,
      lotStep: step,
      tickSize: tick,
      minNotional: find(NotionalFilter)?.notional ?? 0,
      maxLeverage: maxLeverage?.get(s.symbol) ?? null,
    });
  });
}

/** GET /fapi/v1/leverageBracket -> the highest initial leverage per symbol. */
export const LeverageBracketSchema = z.array(
  z.looseObject({ symbol: z.string().min(1), brackets: z.array(z.looseObject({ initialLeverage: z.number().positive(), maintMarginRatio: z.number().nonnegative() })).min(1) }),
);
export function normalizeLeverageBrackets(raw: unknown): Map<string, number> {
  const rows = validate('leverageBracket', LeverageBracketSchema, raw);
  return new Map(rows.map((r) => [r.symbol, Math.max(...r.brackets.map((b) => b.initialLeverage))]));
}

/** POST /fapi/v1/listenKey and PUT. */
export const ListenKeySchema = z.looseObject({ listenKey: z.string().min(1) });
export const listenKeyOf = (raw: unknown) => validate('listenKey', ListenKeySchema, raw).listenKey;

/** Which user-data event a push is, before it is validated in full. */
export const eventTypeOf = (raw: unknown): string | null =>
  typeof raw === 'object' && raw !== null && typeof (raw as { e?: unknown }).e === 'string' ? (raw as { e: string }).e : null;
