/**
 * Hyperliquid raw JSON -> the domain model. Pure functions: every payload is zod-validated first (neither
 * @nktkas/hyperliquid nor the venue guarantees a shape), numbers are parsed once here, and the output is checked
 * against the domain schemas. Anything malformed throws BadPayloadError; the adapter counts it and keeps its last
 * good state.
 *
 * Numbers are the venue's own (positionValue, unrealizedPnl, marginUsed, leverage, liquidationPx, accountValue):
 * they are copied, never recomputed, so Ringfence shows what Hyperliquid shows.
 */
import { z } from 'zod';
import type { Candle, OrderBook } from '../../domain/market';
import { CandleSchema, OrderBookSchema } from '../../domain/market';
import {
  AccountSnapshotSchema,
  CashFlowSchema,
  FillSchema,
  MANUAL_STRATEGY,
  MarkPriceSchema,
  OpenOrderSchema,
  PositionSchema,
  type AccountSnapshot,
  type CashFlow,
  type Fill,
  type MarkPrice,
  type OpenOrder,
  type OrderType,
  type Position,
} from '../../domain/types';
import { BadPayloadError } from '../errors';
import type { OrderStatus } from '../types';

// ---------------------------------------------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------------------------------------------

/** Hyperliquid sends decimals as strings ("26951.0", "-0.00785"). */
const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string')
  .transform(Number)
  .refine(Number.isFinite, 'decimal out of range');
const time = z.number().int().nonnegative();
const sideCode = z.enum(['B', 'A']);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x address');

export interface NormalizeContext {
  accountId: string;
  /** Used when the payload carries no time of its own (older payloads, allMids, ...). */
  now: number;
  /** Attribution: client order id (cloid) and symbol -> strategy id. Default: always 'manual'. */
  strategyOf?: (clientOrderId: string | null, symbol: string) => string;
}

const strategy = (ctx: NormalizeContext, cloid: string | null, symbol: string) =>
  ctx.strategyOf?.(cloid, symbol) ?? MANUAL_STRATEGY;

function issuesOf(error: z.ZodError): string[] {
  return error.issues.slice(0, 20).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

/** Validates `raw` against `schema`, or throws BadPayloadError naming the payload and the first issues. */
export function validate<T extends z.ZodType>(what: string, schema: T, raw: unknown): z.output<T> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issues = issuesOf(r.error);
  throw new BadPayloadError(`hyperliquid ${what}: malformed payload (${issues[0] ?? 'invalid'})`, {
    venue: 'hyperliquid',
    issues,
  });
}

/** Guards our own output: a venue value that breaks a domain invariant (entry price 0, ...) is a bad payload too. */
function domain<T extends z.ZodType>(what: string, schema: T, value: unknown): z.output<T> {
  return validate(what, schema, value);
}

/** Builder-deployed (HIP-3) dex coins are `dex:NAME`; the main dex has no prefix. */
export function splitCoin(symbol: string): { dex: string; coin: string } {
  const i = symbol.indexOf(':');
  return i < 0 ? { dex: '', coin: symbol } : { dex: symbol.slice(0, i), coin: symbol };
}

/** Spot pairs appear as `@107` or `PURR/USDC`; Ringfence watches perpetuals only. */
export const isSpotCoin = (coin: string) => coin.startsWith('@') || coin.includes('/');

// ---------------------------------------------------------------------------------------------------------------
// clearinghouseState (POST /info {type:'clearinghouseState', user, dex?}; websocket channel clearinghouseState)
// ---------------------------------------------------------------------------------------------------------------

/*
 * Real sample (trimmed, 2023; newer payloads add maxLeverage, cumFunding, crossMaintenanceMarginUsed and time):
 * {"assetPositions":[{"position":{"coin":"BTC","entryPx":"26951.0","leverage":{"type":"cross","value":20},
 *   "liquidationPx":"173198.69592357","marginUsed":"10.582271","maxTradeSzs":["0.76534","0.74964"],
 *   "positionValue":"211.64542","returnOnEquity":"-0.00756643","szi":"-0.00785","unrealizedPnl":"-0.08007"},
 *   "type":"oneWay"}],
 *  "crossMarginSummary":{"accountValue":"1182.312496","totalMarginUsed":"171.740766","totalNtlPos":"3434.815334",
 *   "totalRawUsd":"86.549602"},"marginSummary":{...same shape...},"withdrawable":"1010.57173"}
 */
const MarginSummarySchema = z.object({
  accountValue: decimal,
  totalNtlPos: decimal,
  totalRawUsd: decimal,
  totalMarginUsed: decimal,
});

const LeverageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('cross'), value: z.number().positive() }),
  /** rawUsd may be negative: for a long it is the margin minus the borrowed notional. */
  z.object({ type: z.literal('isolated'), value: z.number().positive(), rawUsd: decimal }),
]);

const AssetPositionSchema = z.object({
  type: z.string(),
  position: z.object({
    coin: z.string().min(1),
    szi: decimal,
    leverage: LeverageSchema,
    entryPx: decimal.nullable(),
    positionValue: decimal,
    unrealizedPnl: decimal,
    returnOnEquity: decimal,
    liquidationPx: decimal.nullable(),
    marginUsed: decimal,
    maxLeverage: z.number().positive().optional(),
  }),
});

export const ClearinghouseStateSchema = z.object({
  marginSummary: MarginSummarySchema,
  crossMarginSummary: MarginSummarySchema,
  crossMaintenanceMarginUsed: decimal.optional(),
  withdrawable: decimal,
  assetPositions: z.array(AssetPositionSchema),
  time: time.optional(),
});
export type RawClearinghouseState = z.output<typeof ClearinghouseStateSchema>;

/** One dex's clearinghouse, normalised. `dex` is '' for the main dex. */
export interface DexState {
  dex: string;
  account: AccountSnapshot;
  positions: Position[];
  /** The venue's raw per-position extras the domain model has no field for (kept for the docs and tests). */
  extras: Record<string, { returnOnEquity: number; isolatedRawUsd: number | null }>;
}

/**
 * Normalises one clearinghouse (main dex or one HIP-3 dex).
 * - equity = marginSummary.accountValue (includes isolated positions; crossMarginSummary does not).
 * - marginUsed = marginSummary.totalMarginUsed; availableBalance = withdrawable.
 * - unrealizedPnl = the sum of the positions' unrealizedPnl; walletBalance = equity - unrealizedPnl.
 * - markPrice = positionValue / |szi| (the venue computes positionValue = |szi| x mark).
 */
export function normalizeClearinghouseState(raw: unknown, ctx: NormalizeContext, dex = ''): DexState {
  const s = validate('clearinghouseState', ClearinghouseStateSchema, raw);
  const updatedAt = s.time ?? ctx.now;
  const positions: Position[] = [];
  const extras: DexState['extras'] = {};
  let upnl = 0;
  for (const { position: p } of s.assetPositions) {
    if (p.szi === 0) continue; // a closed position the venue still lists
    // The venue prefixes HIP-3 coins itself; add it when a dex payload comes without (older builds).
    const symbol = dex && !p.coin.includes(':') ? `${dex}:${p.coin}` : p.coin;
    const abs = Math.abs(p.szi);
    const liq = p.liquidationPx !== null && p.liquidationPx > 0 ? p.liquidationPx : null;
    upnl += p.unrealizedPnl;
    positions.push(
      domain('clearinghouseState position', PositionSchema, {
        venue: 'hyperliquid',
        accountId: ctx.accountId,
        symbol,
        side: p.szi > 0 ? 'long' : 'short',
        size: p.szi,
        hedged: false,
        entryPrice: p.entryPx,
        markPrice: p.positionValue > 0 ? p.positionValue / abs : null,
        leverage: p.leverage.value,
        marginMode: p.leverage.type,
        liquidationPrice: liq,
        unrealizedPnl: p.unrealizedPnl,
        notional: p.positionValue,
        // Isolated marginUsed is the position's own equity (margin + uPnL) and can dip below 0 just before
        // liquidation; the domain wants >= 0.
        marginUsed: Math.max(0, p.marginUsed),
        openedAt: null,
        // A position carries no client order id: this is the symbol rules' strategy, a placeholder the background replaces
        // with the strategy whose fills built the position (lib/domain/attribution.ts positionOwner).
        strategyId: strategy(ctx, null, symbol),
        updatedAt,
      }),
    );
    extras[symbol] = {
      returnOnEquity: p.returnOnEquity,
      isolatedRawUsd: p.leverage.type === 'isolated' ? p.leverage.rawUsd : null,
    };
  }
  const equity = s.marginSummary.accountValue;
  const account = domain('clearinghouseState account', AccountSnapshotSchema, {
    venue: 'hyperliquid',
    accountId: ctx.accountId,
    equity,
    walletBalance: round(equity - upnl),
    availableBalance: s.withdrawable,
    marginUsed: Math.max(0, s.marginSummary.totalMarginUsed),
    unrealizedPnl: round(upnl),
    time: updatedAt,
  });
  return { dex, account, positions, extras };
}

/** Rounds away float noise from sums of 6-decimal venue values. */
const round = (v: number) => Math.round(v * 1e8) / 1e8;

/**
 * The account across the main dex and the HIP-3 dexes: each dex is its own clearinghouse with its own collateral,
 * so equity, wallet balance, withdrawable, margin used and uPnL add up; positions are concatenated.
 */
export function mergeDexStates(states: DexState[], ctx: NormalizeContext): { account: AccountSnapshot; positions: Position[] } {
  if (states.length === 0) {
    throw new BadPayloadError('hyperliquid clearinghouseState: no dex state to merge', { venue: 'hyperliquid', issues: [] });
  }
  const sum = (f: (a: AccountSnapshot) => number) => round(states.reduce((acc, s) => acc + f(s.account), 0));
  const account: AccountSnapshot = {
    venue: 'hyperliquid',
    accountId: ctx.accountId,
    equity: sum((a) => a.equity),
    walletBalance: sum((a) => a.walletBalance),
    availableBalance: sum((a) => a.availableBalance),
    marginUsed: sum((a) => a.marginUsed),
    unrealizedPnl: sum((a) => a.unrealizedPnl),
    time: Math.max(...states.map((s) => s.account.time)),
  };
  return { account, positions: states.flatMap((s) => s.positions) };
}

/** Websocket channel `clearinghouseState`: {dex, user, clearinghouseState}. */
export const ClearinghouseStateEventSchema = z.object({
  dex: z.string().optional(),
  user: address,
  clearinghouseState: z.unknown(),
});
export function normalizeClearinghouseStateEvent(raw: unknown, ctx: NormalizeContext): DexState & { user: string } {
  const e = validate('clearinghouseState event', ClearinghouseStateEventSchema, raw);
  const dex = e.dex ?? '';
  return { ...normalizeClearinghouseState(e.clearinghouseState, ctx, dex), user: e.user.toLowerCase() };
}

// ---------------------------------------------------------------------------------------------------------------
// userFills / userFillsByTime (and the websocket channel userFills)
// ---------------------------------------------------------------------------------------------------------------

/*
 * Real sample (2023; newer fills add tid, feeToken, builderFee, cloid, twapId, liquidation):
 * {"closedPnl":"-0.25686","coin":"SUI","crossed":true,"dir":"Close Long","fee":"0.0","hash":"0x3d47...087a",
 *  "oid":189324432,"px":"1.3189","side":"A","startPosition":"4623.5","sz":"142.7","time":1683245884863}
 */
export const UserFillSchema = z.object({
  coin: z.string().min(1),
  px: decimal,
  sz: decimal,
  side: sideCode,
  time,
  startPosition: decimal,
  /** Open Long, Close Short, Long > Short, Short > Long, Buy, Sell (spot), Liquidated ..., Auto-Deleveraging, ... */
  dir: z.string(),
  /** Realized PnL of the closed part, before fees. */
  closedPnl: decimal,
  hash: z.string(),
  oid: z.number().int().nonnegative(),
  crossed: z.boolean(),
  /** Excludes builderFee; negative for a maker rebate. */
  fee: decimal,
  builderFee: decimal.optional(),
  tid: z.number().int().nonnegative().optional(),
  /** USDC on the main dex; a HIP-3 dex's collateral token or a spot token otherwise. */
  feeToken: z.string().min(1).optional(),
  cloid: z.string().nullable().optional(),
  twapId: z.number().nullable().optional(),
  liquidation: z.object({ markPx: decimal, method: z.string() }).passthrough().optional(),
});
export const UserFillsSchema = z.array(UserFillSchema);
export type RawUserFill = z.output<typeof UserFillSchema>;

/** Old fills have no tid: several fills share one hash and oid, so the id also carries price, size and start. */
export const fillTradeId = (f: RawUserFill) =>
  f.tid !== undefined ? String(f.tid) : `${f.hash}:${f.oid}:${f.px}:${f.sz}:${f.startPosition}`;

/**
 * A fill in the domain model. fee = fee + builderFee (what the trade cost; the venue reports them apart),
 * in feeToken (feeAsset), which is not always USDC. realizedPnl = closedPnl (fees excluded, as the venue reports).
 * closing: the fill traded against the position it started from (startPosition, signed: a sell from a long, a buy
 * from a short), whatever dir says (Close Long, Long > Short, Liquidated..., Auto-Deleveraging).
 * Spot fills and zero-size fills return null (Ringfence watches perpetuals).
 */
export function normalizeFill(f: RawUserFill, ctx: NormalizeContext): Fill | null {
  if (isSpotCoin(f.coin) || f.sz <= 0) return null;
  const cloid = f.cloid ?? null;
  return domain('userFills fill', FillSchema, {
    venue: 'hyperliquid',
    accountId: ctx.accountId,
    tradeId: fillTradeId(f),
    symbol: f.coin,
    side: f.side === 'B' ? 'buy' : 'sell',
    price: f.px,
    size: f.sz,
    fee: round(f.fee + (f.builderFee ?? 0)),
    feeAsset: f.feeToken ?? 'USDC',
    realizedPnl: f.closedPnl,
    time: f.time,
    orderId: String(f.oid),
    clientOrderId: cloid,
    strategyId: strategy(ctx, cloid, f.coin),
    closing: f.side === 'B' ? f.startPosition < 0 : f.startPosition > 0,
  });
}

export function normalizeUserFills(raw: unknown, ctx: NormalizeContext): Fill[] {
  const fills = validate('userFills', UserFillsSchema, raw);
  const out: Fill[] = [];
  for (const f of fills) {
    const n = normalizeFill(f, ctx);
    if (n) out.push(n);
  }
  return out;
}

/** Websocket channel `userFills`: the first message after subscribing is a snapshot (isSnapshot: true). */
export const UserFillsEventSchema = z.object({
  user: address,
  fills: z.unknown(),
  isSnapshot: z.boolean().optional(),
});
export function normalizeUserFillsEvent(raw: unknown, ctx: NormalizeContext): { user: string; isSnapshot: boolean; fills: Fill[] } {
  const e = validate('userFills event', UserFillsEventSchema, raw);
  return { user: e.user.toLowerCase(), isSnapshot: e.isSnapshot === true, fills: normalizeUserFills(e.fills, ctx) };
}

// ---------------------------------------------------------------------------------------------------------------
// Open orders: openOrders (basic) and frontendOpenOrders (with trigger fields)
// ---------------------------------------------------------------------------------------------------------------

/*
 * openOrders real sample: {"coin":"MATIC","limitPx":"1.0357","oid":62269971,"side":"B","sz":"208.7",
 *   "timestamp":1679940217356}  (newer: origSz, cloid, reduceOnly)
 */
export const OpenOrderRawSchema = z.object({
  coin: z.string().min(1),
  side: sideCode,
  limitPx: decimal,
  sz: decimal,
  oid: z.number().int().nonnegative(),
  timestamp: time,
  origSz: decimal.optional(),
  cloid: z.string().nullable().optional(),
  reduceOnly: z.boolean().optional(),
});
export const OpenOrdersSchema = z.array(OpenOrderRawSchema);

/*
 * frontendOpenOrders real sample: {"children":[],"coin":"INJ","isPositionTpsl":false,"isTrigger":true,
 *   "limitPx":"9.1954","oid":3184595906,"orderType":"Stop Market","origSz":"12.5","reduceOnly":true,"side":"A",
 *   "sz":"12.5","tif":null,"timestamp":1700126022555,"triggerCondition":"Price below 9.995","triggerPx":"9.995"}
 */
export const FrontendOpenOrderSchema = OpenOrderRawSchema.extend({
  origSz: decimal,
  triggerCondition: z.string(),
  isTrigger: z.boolean(),
  triggerPx: decimal,
  isPositionTpsl: z.boolean(),
  reduceOnly: z.boolean(),
  orderType: z.string(),
  tif: z.string().nullable(),
  children: z.array(z.unknown()).optional(),
});
export const FrontendOpenOrdersSchema = z.array(FrontendOpenOrderSchema);

const ORDER_TYPES: Record<string, OrderType> = {
  Limit: 'limit',
  Market: 'market',
  'Stop Market': 'stop_market',
  'Stop Limit': 'stop_limit',
  'Take Profit Market': 'take_profit_market',
  'Take Profit Limit': 'take_profit_limit',
};

export interface OrderContext extends NormalizeContext {
  /** |size| of the open positions by symbol: position TP/SL orders carry size 0 and follow the position. */
  positionSizes?: Record<string, number>;
}

type RawOpenOrder = z.output<typeof OpenOrderRawSchema> & Partial<z.output<typeof FrontendOpenOrderSchema>>;

function toOpenOrder(o: RawOpenOrder, ctx: OrderContext): OpenOrder | null {
  if (isSpotCoin(o.coin)) return null;
  const type: OrderType = o.orderType !== undefined ? (ORDER_TYPES[o.orderType] ?? 'limit') : 'limit';
  const orig = o.origSz ?? o.sz;
  // A position TP/SL has size 0: it closes whatever the position is when it triggers.
  const size = orig > 0 ? orig : (ctx.positionSizes?.[o.coin] ?? 0);
  if (size <= 0) return null;
  const market = type === 'market' || type === 'stop_market' || type === 'take_profit_market';
  const cloid = o.cloid ?? null;
  return domain('open order', OpenOrderSchema, {
    venue: 'hyperliquid',
    accountId: ctx.accountId,
    orderId: String(o.oid),
    clientOrderId: cloid,
    symbol: o.coin,
    side: o.side === 'B' ? 'buy' : 'sell',
    type,
    // A trigger-market order's limitPx is only its slippage bound, not a price the user chose.
    price: market || o.limitPx <= 0 ? null : o.limitPx,
    stopPrice: o.isTrigger && o.triggerPx !== undefined && o.triggerPx > 0 ? o.triggerPx : null,
    size,
    filled: orig > 0 ? Math.max(0, round(orig - o.sz)) : 0,
    reduceOnly: o.reduceOnly ?? false,
    positionSide: null,
    time: o.timestamp,
    strategyId: strategy(ctx, cloid, o.coin),
  });
}

export function normalizeOpenOrders(raw: unknown, ctx: OrderContext): OpenOrder[] {
  return validate('openOrders', OpenOrdersSchema, raw)
    .map((o) => toOpenOrder(o, ctx))
    .filter((o): o is OpenOrder => o !== null);
}

/** Top-level orders only: `children` are TP/SL legs not placed until their parent fills (they repeat top-level oids). */
export function normalizeFrontendOpenOrders(raw: unknown, ctx: OrderContext): OpenOrder[] {
  const seen = new Set<number>();
  const out: OpenOrder[] = [];
  for (const o of validate('frontendOpenOrders', FrontendOpenOrdersSchema, raw)) {
    if (seen.has(o.oid)) continue;
    seen.add(o.oid);
    const n = toOpenOrder(o, ctx);
    if (n) out.push(n);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// orderUpdates (websocket)
// ---------------------------------------------------------------------------------------------------------------

export const OrderUpdatesSchema = z.array(
  z.object({ order: OpenOrderRawSchema, status: z.string(), statusTimestamp: time }),
);

/** The venue's order processing status -> ours. Every `...Canceled` and scheduledCancel is a cancel. */
export function orderStatusOf(status: string, order: { sz: number; origSz?: number | undefined }): OrderStatus {
  if (status === 'open' || status === 'triggered') {
    return order.origSz !== undefined && order.sz < order.origSz ? 'partially_filled' : 'new';
  }
  if (status === 'filled') return 'filled';
  if (status === 'canceled' || status === 'scheduledCancel' || status.endsWith('Canceled')) return 'canceled';
  if (status.endsWith('Rejected') || status === 'rejected') return 'rejected';
  return 'canceled';
}

export function normalizeOrderUpdates(raw: unknown, ctx: OrderContext): { order: OpenOrder; status: OrderStatus }[] {
  const out: { order: OpenOrder; status: OrderStatus }[] = [];
  for (const u of validate('orderUpdates', OrderUpdatesSchema, raw)) {
    // A filled or canceled order has sz 0 left; toOpenOrder reports origSz as its size.
    const order = toOpenOrder(u.order, ctx);
    if (order) out.push({ order, status: orderStatusOf(u.status, u.order) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// allMids (REST and websocket)
// ---------------------------------------------------------------------------------------------------------------

/* Real sample: {"APE":"1.96595","BTC":"30135.0","kPEPE":"0.001565", ...} */
export const AllMidsSchema = z.record(z.string(), decimal);

/**
 * Mid prices as mark events (allMids is the venue's one cheap all-coin price stream). Spot entries (`@107`) and
 * non-positive values are skipped.
 */
export function normalizeAllMids(raw: unknown, now: number, only?: ReadonlySet<string>): MarkPrice[] {
  const mids = validate('allMids', AllMidsSchema, raw);
  const out: MarkPrice[] = [];
  for (const [symbol, price] of Object.entries(mids)) {
    if (isSpotCoin(symbol) || price <= 0 || (only && !only.has(symbol))) continue;
    out.push(domain('allMids mark', MarkPriceSchema, { venue: 'hyperliquid', symbol, price, time: now }));
  }
  return out;
}

export const AllMidsEventSchema = z.object({ mids: z.unknown(), dex: z.string().optional() });
export function normalizeAllMidsEvent(raw: unknown, now: number, only?: ReadonlySet<string>): MarkPrice[] {
  return normalizeAllMids(validate('allMids event', AllMidsEventSchema, raw).mids, now, only);
}

// ---------------------------------------------------------------------------------------------------------------
// meta / metaAndAssetCtxs
// ---------------------------------------------------------------------------------------------------------------

/* Real sample: {"universe":[{"maxLeverage":50,"name":"BTC","szDecimals":5}, ...]} */
export const MetaSchema = z.object({
  universe: z.array(
    z.object({
      name: z.string().min(1),
      szDecimals: z.number().int().min(0).max(10),
      maxLeverage: z.number().positive(),
      onlyIsolated: z.boolean().optional(),
      isDelisted: z.boolean().optional(),
    }),
  ),
});

export const AssetCtxSchema = z.object({
  markPx: decimal,
  midPx: decimal.nullable().optional(),
  oraclePx: decimal,
  funding: decimal,
  openInterest: decimal,
  prevDayPx: decimal.optional(),
  dayNtlVlm: decimal.optional(),
});
export const MetaAndAssetCtxsSchema = z.tuple([MetaSchema, z.array(AssetCtxSchema)]);

/** What the adapter needs to place orders: the asset id `a`, size decimals and the context prices. */
export interface AssetInfo {
  /** Symbol as the positions name it (`BTC`, `flx:NAME`). */
  name: string;
  /** Index in this dex's meta.universe. */
  index: number;
  szDecimals: number;
  maxLeverage: number;
  isDelisted: boolean;
  markPx: number | null;
  midPx: number | null;
  oraclePx: number | null;
  funding: number | null;
}

export function normalizeMeta(raw: unknown): AssetInfo[] {
  return validate('meta', MetaSchema, raw).universe.map((u, index) => ({
    name: u.name,
    index,
    szDecimals: u.szDecimals,
    maxLeverage: u.maxLeverage,
    isDelisted: u.isDelisted === true,
    markPx: null,
    midPx: null,
    oraclePx: null,
    funding: null,
  }));
}

export function normalizeMetaAndAssetCtxs(raw: unknown): AssetInfo[] {
  const [meta, ctxs] = validate('metaAndAssetCtxs', MetaAndAssetCtxsSchema, raw);
  if (ctxs.length !== meta.universe.length) {
    throw new BadPayloadError('hyperliquid metaAndAssetCtxs: universe and asset contexts differ in length', {
      venue: 'hyperliquid',
      issues: [`universe ${meta.universe.length}, contexts ${ctxs.length}`],
    });
  }
  return meta.universe.map((u, index) => {
    const c = ctxs[index]!;
    return {
      name: u.name,
      index,
      szDecimals: u.szDecimals,
      maxLeverage: u.maxLeverage,
      isDelisted: u.isDelisted === true,
      markPx: c.markPx > 0 ? c.markPx : null,
      midPx: c.midPx != null && c.midPx > 0 ? c.midPx : null,
      oraclePx: c.oraclePx > 0 ? c.oraclePx : null,
      funding: c.funding,
    };
  });
}

/** perpDexs: [null, {name, ...}, ...]; index 0 is the main dex. */
export const PerpDexsSchema = z.array(z.object({ name: z.string().min(1) }).passthrough().nullable());
export function normalizePerpDexs(raw: unknown): string[] {
  return validate('perpDexs', PerpDexsSchema, raw).map((d) => d?.name ?? '');
}

// ---------------------------------------------------------------------------------------------------------------
// l2Book and candleSnapshot
// ---------------------------------------------------------------------------------------------------------------

/* Real sample: {"coin":"DYDX","levels":[[{"n":1,"px":"2.111","sz":"134.4"},...],[...asks...]],"time":...} */
const LevelSchema = z.object({ px: decimal, sz: decimal, n: z.number().int().nonnegative() });
export const L2BookSchema = z.object({
  coin: z.string().min(1),
  time: time.optional(),
  levels: z.tuple([z.array(LevelSchema), z.array(LevelSchema)]),
});

export function normalizeL2Book(raw: unknown, now: number, depth?: number): OrderBook {
  const b = validate('l2Book', L2BookSchema, raw);
  const n = depth ?? Number.POSITIVE_INFINITY;
  const side = (levels: z.output<typeof LevelSchema>[]) =>
    levels
      .filter((l) => l.px > 0)
      .slice(0, n)
      .map((l): [number, number] => [l.px, l.sz]);
  return domain('l2Book', OrderBookSchema, { symbol: b.coin, time: b.time ?? now, bids: side(b.levels[0]), asks: side(b.levels[1]) });
}

/** Full-precision levels l2Book sends per side, whatever is asked. */
export const L2_LEVELS = 20;
/** How far from the mid (bps) an extended book reaches at least: the widest default depth band. */
export const WIDE_BOOK_BPS = 100;

/** Price step of l2Book's buckets at nSigFigs significant figures around `price` (65,000 at 3: 100). */
export const bucketOf = (price: number, nSigFigs: number) => 10 ** (Math.floor(Math.log10(price)) + 1 - nSigFigs);

const midOf = (b: OrderBook) => (b.bids[0]![0] + b.asks[0]![0]) / 2;

/** How far both sides of a book (best first) reach from its mid, bps; 0 with an empty side. */
export function bookReachBps(b: OrderBook): number {
  if (!b.bids.length || !b.asks.length) return 0;
  const mid = midOf(b);
  return (Math.min(mid - b.bids[b.bids.length - 1]![0], b.asks[b.asks.length - 1]![0] - mid) / mid) * 1e4;
}

/** How far an l2Book read at nSigFigs would reach from the mid: its 20 buckets, the first one holding the best price. */
export const aggregatedReachBps = (b: OrderBook, nSigFigs: number) => ((L2_LEVELS - 1) * bucketOf(midOf(b), nSigFigs) * 1e4) / midOf(b);

/**
 * Extends a book (best first) with a coarser l2Book read of the same coin beyond its last level on each side. The
 * venue rounds bids down and asks up to the bucket, so a bid bucket P holds [P, P + step) and an ask bucket P holds
 * (P - step, P]. Buckets wholly beyond the known levels are added at their middle (where their orders sit is unknown:
 * the middle errs neither way across a band's edge); the bucket holding the last known level adds only what it holds
 * beyond it (its size less the known levels inside it; the two reads are a moment apart, so never below 0), at the
 * middle of that unknown part.
 */
export function extendBook(known: OrderBook, coarse: OrderBook, nSigFigs: number): OrderBook {
  // Prices as distance outward (bids negated): a bucket X then holds (X - step, X] on both sides.
  const side = (levels: [number, number][], wide: [number, number][], s: 1 | -1): [number, number][] => {
    const out = [...levels];
    const edge = s * (levels[levels.length - 1]?.[0] ?? NaN);
    for (const [p, sz] of wide) {
      const x = s * p;
      const step = bucketOf(p, nSigFigs);
      const e = step * 1e-9;
      if (x - step >= edge - e) out.push([s * (x - step / 2), sz]);
      else if (x >= edge - e) {
        let rest = sz;
        for (const [q, z] of levels) if (s * q > x - step + e && s * q <= x + e) rest -= z;
        if (rest > 0) out.push([(s * x + s * edge) / 2, rest]);
      }
    }
    return out;
  };
  return { ...known, bids: side(known.bids, coarse.bids, -1), asks: side(known.asks, coarse.asks, 1) };
}

/* Real sample: {"T":1684702799999,"c":"0.001604","h":"0.001616","i":"1h","l":"0.001601","n":709,"o":"0.001601",
 *   "s":"kPEPE","t":1684699200000,"v":"520665683.0"} */
export const CandleRawSchema = z.object({
  t: time,
  T: time,
  s: z.string(),
  i: z.string(),
  o: decimal,
  c: decimal,
  h: decimal,
  l: decimal,
  v: decimal,
  n: z.number().int().nonnegative(),
});
export const CandlesSchema = z.array(CandleRawSchema);

export function normalizeCandles(raw: unknown): Candle[] {
  return validate('candleSnapshot', CandlesSchema, raw).map((c) =>
    domain('candle', CandleSchema, { time: c.t, open: c.o, high: c.h, low: c.l, close: c.c, volume: c.v }),
  );
}


// ---------------------------------------------------------------------------------------------------------------
// userNonFundingLedgerUpdates (REST and websocket): deposits, withdrawals, transfers -> CashFlow
// ---------------------------------------------------------------------------------------------------------------

/*
 * Real sample (2024): {"time":1732834706761,"hash":"0x1ddf...29c9","delta":{"type":"accountClassTransfer",
 *   "usdc":"12.0","toPerp":false}}; {"delta":{"type":"spotTransfer","token":"USDC","amount":"10.5",
 *   "usdcValue":"10.5","user":"0x2ba5...","destination":"0xaaa0...","fee":"1.0","nativeTokenFee":"0.0",
 *   "nonce":null,"feeToken":""}}
 */
export const LedgerEntrySchema = z.object({
  time,
  hash: z.string().min(1),
  /** Only the type is read here: each known type is then parsed with its own schema, unknown ones passed over. */
  delta: z.object({ type: z.string().min(1) }).passthrough(),
});
export const LedgerUpdatesSchema = z.array(LedgerEntrySchema);

/** Amounts the venue writes unsigned; a negative one would flip a flow's sign, so it is a bad payload. */
const usd = decimal.refine((v) => v >= 0, 'expected a non-negative amount');

/**
 * The delta types that change the perp account's value, with the fields read (other fields are left alone: the
 * venue adds fields over time). Everything else (liquidation: trading loss; spotTransfer, spotGenesis,
 * cStakingTransfer, borrowLend, deployGasAuction, activateDexAbstraction: spot or staking balances; any type we do
 * not know) gives no flow.
 */
const LEDGER_DELTAS = {
  deposit: z.object({ usdc: usd }),
  withdraw: z.object({ usdc: usd, fee: usd }),
  accountClassTransfer: z.object({ usdc: usd, toPerp: z.boolean() }),
  internalTransfer: z.object({ usdc: usd, user: address, destination: address, fee: usd }),
  subAccountTransfer: z.object({ usdc: usd, user: address, destination: address }),
  send: z.object({
    user: address,
    destination: address,
    sourceDex: z.string(),
    destinationDex: z.string(),
    token: z.string().min(1),
    usdcValue: usd,
    fee: usd,
    feeToken: z.string(),
  }),
  vaultCreate: z.object({ usdc: usd, fee: usd }),
  vaultDeposit: z.object({ usdc: usd }),
  vaultWithdraw: z.object({ user: address, netWithdrawnUsd: usd }),
  vaultDistribution: z.object({ usdc: usd }),
  vaultLeaderCommission: z.object({ user: address, usdc: usd }),
  rewardsClaim: z.object({ amount: usd, token: z.string().min(1) }),
} as const;
type LedgerDeltaType = keyof typeof LEDGER_DELTAS;
const isLedgerDeltaType = (t: string): t is LedgerDeltaType => Object.hasOwn(LEDGER_DELTAS, t);

/** `spot` is the spot balance; '' is the main perp dex and any other name a HIP-3 perp dex (all part of the account). */
const isPerpDex = (dex: string) => dex !== 'spot';
const isUsdc = (token: string) => token === 'USDC' || token === '';

/** Signed change of the perp account's value (USD) and the asset that moved; 0 = no flow. */
function ledgerAmount(type: LedgerDeltaType, raw: unknown, user: string, where: string): { amount: number; asset: string } {
  const d = <K extends LedgerDeltaType>(k: K) => validate(`${where} ${k}`, LEDGER_DELTAS[k], raw) as z.output<(typeof LEDGER_DELTAS)[K]>;
  const me = (a: string) => a.toLowerCase() === user;
  const usdc = (amount: number) => ({ amount, asset: 'USDC' });
  switch (type) {
    case 'deposit':
      return usdc(d('deposit').usdc);
    case 'withdraw': {
      // The fee leaves the perp balance too: the account drops by usdc + fee.
      const w = d('withdraw');
      return usdc(-(w.usdc + w.fee));
    }
    case 'accountClassTransfer': {
      const t = d('accountClassTransfer');
      return usdc(t.toPerp ? t.usdc : -t.usdc);
    }
    case 'internalTransfer': {
      // The sender pays the fee. Sender and receiver may both be this user (no flow but the fee).
      const t = d('internalTransfer');
      return usdc((me(t.destination) ? t.usdc : 0) - (me(t.user) ? t.usdc + t.fee : 0));
    }
    case 'subAccountTransfer': {
      const t = d('subAccountTransfer');
      return usdc((me(t.destination) ? t.usdc : 0) - (me(t.user) ? t.usdc : 0));
    }
    case 'send': {
      // Counts only the legs on a perp dex; a send between this user's spot and perp is a flow, perp to perp is not.
      const t = d('send');
      const out = me(t.user) && isPerpDex(t.sourceDex) ? t.usdcValue + (isUsdc(t.feeToken) ? t.fee : 0) : 0;
      const into = me(t.destination) && isPerpDex(t.destinationDex) ? t.usdcValue : 0;
      return { amount: into - out, asset: t.token };
    }
    case 'vaultCreate': {
      const t = d('vaultCreate');
      return usdc(-(t.usdc + t.fee));
    }
    case 'vaultDeposit':
      return usdc(-d('vaultDeposit').usdc);
    case 'vaultWithdraw': {
      const t = d('vaultWithdraw');
      return usdc(me(t.user) ? t.netWithdrawnUsd : 0);
    }
    case 'vaultDistribution':
      return usdc(d('vaultDistribution').usdc);
    case 'vaultLeaderCommission': {
      const t = d('vaultLeaderCommission');
      return usdc(me(t.user) ? t.usdc : 0);
    }
    case 'rewardsClaim': {
      const t = d('rewardsClaim');
      return { amount: isUsdc(t.token) ? t.amount : 0, asset: t.token };
    }
  }
}

export interface LedgerContext {
  accountId: string;
  /** The account's address: transfers are signed by whether it sent or received. */
  user: string;
}

/**
 * Ledger entries -> the cash flows of the user's perp account, oldest first. Known delta types are parsed with their
 * schema (a malformed one throws BadPayloadError); unknown types and entries that do not change the perp value give
 * nothing. id = hash:time:type:amount (unique per account: one transaction hash carries one delta per user, and the
 * rest tells apart the system entries whose hash is all zeros).
 */
export function normalizeLedgerUpdates(raw: unknown, ctx: LedgerContext, what = 'userNonFundingLedgerUpdates'): CashFlow[] {
  const user = ctx.user.toLowerCase();
  const out: CashFlow[] = [];
  validate(what, LedgerUpdatesSchema, raw).forEach((e, i) => {
    const type = e.delta.type;
    if (!isLedgerDeltaType(type)) return;
    const { amount: a, asset } = ledgerAmount(type, e.delta, user, `${what}[${i}]`);
    const amount = round(a);
    if (amount === 0) return;
    out.push(
      domain(`${what} cash flow`, CashFlowSchema, {
        venue: 'hyperliquid',
        accountId: ctx.accountId,
        id: `${e.hash}:${e.time}:${type}:${amount}`,
        time: e.time,
        amount,
        asset,
        kind: type,
      }),
    );
  });
  return out.sort((a, b) => a.time - b.time);
}

/** Websocket channel `userNonFundingLedgerUpdates`: {user, nonFundingLedgerUpdates, isSnapshot?}. */
export const LedgerUpdatesEventSchema = z.object({
  user: address,
  nonFundingLedgerUpdates: z.unknown(),
  isSnapshot: z.boolean().optional(),
});
export function normalizeLedgerUpdatesEvent(raw: unknown, ctx: LedgerContext): { user: string; isSnapshot: boolean; flows: CashFlow[] } {
  const e = validate('userNonFundingLedgerUpdates event', LedgerUpdatesEventSchema, raw);
  const user = e.user.toLowerCase();
  // Another user's push is not parsed (its transfers would be signed from the wrong side).
  if (user !== ctx.user.toLowerCase()) return { user, isSnapshot: e.isSnapshot === true, flows: [] };
  return { user, isSnapshot: e.isSnapshot === true, flows: normalizeLedgerUpdates(e.nonFundingLedgerUpdates, ctx, 'userNonFundingLedgerUpdates event') };
}

// ---------------------------------------------------------------------------------------------------------------
// /exchange responses
// ---------------------------------------------------------------------------------------------------------------

/*
 * {"status":"ok","response":{"type":"order","data":{"statuses":[{"filled":{"totalSz":"0.02","avgPx":"1891.4",
 *   "oid":77738308}}]}}}  or  {"status":"err","response":"User or API Wallet 0x... does not exist."}
 */
export const OrderStatusEntrySchema = z.union([
  z.object({ resting: z.object({ oid: z.number().int().nonnegative(), cloid: z.string().optional() }) }),
  z.object({
    filled: z.object({ totalSz: decimal, avgPx: decimal, oid: z.number().int().nonnegative(), cloid: z.string().optional() }),
  }),
  z.object({ error: z.string() }),
  z.literal('waitingForFill'),
  z.literal('waitingForTrigger'),
  z.literal('success'),
]);
export const ExchangeOkSchema = z.object({
  status: z.literal('ok'),
  response: z.object({
    type: z.string(),
    data: z.object({ statuses: z.array(OrderStatusEntrySchema) }).optional(),
  }),
});
export type OrderStatusEntry = z.output<typeof OrderStatusEntrySchema>;
