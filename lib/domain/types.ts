/**
 * The venue-neutral domain model: what the exchange adapters produce (lib/exchanges/<venue>/normalize.ts) and what
 * the risk engine, the store and the views consume. Money and sizes are numbers in the quote asset (USDT / USDC);
 * adapters parse the venues' decimal strings once, at the boundary. Times are epoch milliseconds.
 */
import { z } from 'zod';

export const VenueSchema = z.enum(['binance', 'hyperliquid']);
export type Venue = z.infer<typeof VenueSchema>;

/** `${venue}:${accountId}`: one account's identity across the store, the engine and the views. */
export const accountKey = (venue: Venue, accountId: string) => `${venue}:${accountId}`;

const money = z.number().finite();
const nonNeg = z.number().finite().nonnegative();
const price = z.number().finite().positive();
const time = z.number().int().nonnegative();

export const AccountSnapshotSchema = z
  .object({
    venue: VenueSchema,
    accountId: z.string().min(1),
    /** Wallet balance plus unrealized PnL (Binance marginBalance; Hyperliquid marginSummary.accountValue). */
    equity: money,
    walletBalance: money,
    /** What can open new positions (Binance availableBalance; Hyperliquid withdrawable). */
    availableBalance: money,
    marginUsed: nonNeg,
    unrealizedPnl: money,
    time,
  })
  .strict();
export type AccountSnapshot = z.infer<typeof AccountSnapshotSchema>;

export const PositionSideSchema = z.enum(['long', 'short']);
export type PositionSide = z.infer<typeof PositionSideSchema>;
export const MarginModeSchema = z.enum(['cross', 'isolated']);
export type MarginMode = z.infer<typeof MarginModeSchema>;

export const PositionSchema = z
  .object({
    venue: VenueSchema,
    accountId: z.string().min(1),
    /** Binance BTCUSDT; Hyperliquid BTC, or dex:NAME for a builder-deployed (HIP-3) dex. */
    symbol: z.string().min(1),
    side: PositionSideSchema,
    /** Signed base-asset size: short < 0. */
    size: z.number().finite(),
    /** Hedge mode holds a long and a short on one symbol; one-way mode holds at most one. */
    hedged: z.boolean(),
    entryPrice: price,
    /** Null when the venue sent none yet: rules that need it say so instead of guessing. */
    markPrice: price.nullable(),
    leverage: z.number().finite().positive(),
    marginMode: MarginModeSchema,
    /** Null when the venue reports none (Binance "0", Hyperliquid null). */
    liquidationPrice: price.nullable(),
    unrealizedPnl: money,
    /** |size| x mark, as the venue reports it. */
    notional: nonNeg,
    marginUsed: nonNeg,
    openedAt: time.nullable(),
    strategyId: z.string().min(1),
    updatedAt: time,
  })
  .strict();
export type Position = z.infer<typeof PositionSchema>;

export const OrderSideSchema = z.enum(['buy', 'sell']);
export type OrderSide = z.infer<typeof OrderSideSchema>;

export const FillSchema = z
  .object({
    venue: VenueSchema,
    accountId: z.string().min(1),
    /** The venue's trade id: fills are deduplicated on (venue, accountId, tradeId). */
    tradeId: z.string().min(1),
    symbol: z.string().min(1),
    side: OrderSideSchema,
    price,
    /** Base-asset size, always positive. */
    size: z.number().finite().positive(),
    /** Fee in the quote asset; negative for a rebate. */
    fee: money,
    feeAsset: z.string().min(1),
    /** Realized PnL before fees (Binance realizedPnl, Hyperliquid closedPnl). */
    realizedPnl: money,
    time,
    orderId: z.string().min(1),
    clientOrderId: z.string().nullable(),
    strategyId: z.string().min(1),
    /**
     * True when the venue says the fill closed (part of) a position, false when it says it opened or added; absent when
     * the venue does not say (Binance one-way mode without the reduce-only flag): then a fill that realized PnL closed.
     * A close at exactly the entry price realizes 0, so the PnL alone cannot tell it from an opening fill.
     */
    closing: z.boolean().optional(),
  })
  .strict();
export type Fill = z.infer<typeof FillSchema>;

/**
 * Money that moved into (+) or out of (-) a futures account without being trading PnL: a deposit, a withdrawal, a
 * transfer from or to the spot wallet or a sub-account. Loss limits and drawdown are measured net of these, so a
 * withdrawal is never read as a loss (and a deposit never hides one).
 */
export const CashFlowSchema = z
  .object({
    venue: VenueSchema,
    accountId: z.string().min(1),
    /** Unique per account: the same flow seen twice is recorded once. */
    id: z.string().min(1),
    /** Venue time. */
    time,
    /** Value in the quote asset (USD), signed: + into the account, - out of it; never 0. */
    amount: money.refine((v) => v !== 0, 'a cash flow is never 0'),
    /** The asset that moved (USDT, USDC...). */
    asset: z.string().min(1),
    /** What the venue calls it (Binance ACCOUNT_UPDATE reason, Hyperliquid ledger delta type). */
    kind: z.string().min(1),
  })
  .strict();
export type CashFlow = z.infer<typeof CashFlowSchema>;

export const OrderTypeSchema = z.enum(['market', 'limit', 'stop_market', 'stop_limit', 'take_profit_market', 'take_profit_limit']);
export type OrderType = z.infer<typeof OrderTypeSchema>;

/** An order somebody wants to place: from the page's order form, or a close the engine asks for. */
export const OrderIntentSchema = z
  .object({
    venue: VenueSchema,
    accountId: z.string().min(1).nullable(),
    symbol: z.string().min(1),
    side: OrderSideSchema,
    type: OrderTypeSchema,
    size: z.number().finite().positive(),
    /** 'base' = coins (BTC), 'quote' = USDT/USDC notional. */
    sizeUnit: z.enum(['base', 'quote']),
    price: price.nullable(),
    stopPrice: price.nullable(),
    /** The leverage the order would trade at; null when the form does not show it. */
    leverage: z.number().finite().positive().nullable(),
    reduceOnly: z.boolean(),
    /** Hedge mode: which side this order opens or closes. */
    positionSide: PositionSideSchema.nullable(),
    strategyId: z.string().min(1),
    /**
     * Protective stop-loss price attached to the order (the form's TP/SL), when it has one. Distinct from stopPrice,
     * which is the trigger of a stop order. Optional so that intents built before this field existed stay valid.
     */
    stopLoss: price.nullable().optional(),
  })
  .strict();
export type OrderIntent = z.infer<typeof OrderIntentSchema>;

export const OpenOrderSchema = z
  .object({
    venue: VenueSchema,
    accountId: z.string().min(1),
    orderId: z.string().min(1),
    clientOrderId: z.string().nullable(),
    symbol: z.string().min(1),
    side: OrderSideSchema,
    type: OrderTypeSchema,
    price: price.nullable(),
    stopPrice: price.nullable(),
    size: z.number().finite().positive(),
    filled: nonNeg,
    reduceOnly: z.boolean(),
    positionSide: PositionSideSchema.nullable(),
    time,
    strategyId: z.string().min(1),
  })
  .strict();
export type OpenOrder = z.infer<typeof OpenOrderSchema>;

export const MarkPriceSchema = z.object({ venue: VenueSchema, symbol: z.string().min(1), price, time }).strict();
export type MarkPrice = z.infer<typeof MarkPriceSchema>;

/** A row of the portfolio manager's risk table. */
export const StrategySchema = z
  .object({
    /** Where its orders come from: 'manual', or the account / bot that runs it. */
    source: z.string().min(1),
    strategyId: z.string().min(1),
    /** Null: any symbol. */
    symbol: z.string().min(1).nullable(),
    enabled: z.boolean(),
    /** Margin put at risk per trade, % of equity. */
    riskPerTradePct: z.number().finite().positive().max(100),
    /** Loss per trade, in USD, at which its stop must sit. */
    stopLossUsd: z.number().finite().positive(),
    /** Cumulative PnL at or below -maxDrawdownUsd kills the strategy. */
    maxDrawdownUsd: z.number().finite().positive(),
    killed: z.boolean(),
    totalPnl: money,
    /** 0-100, higher is better. */
    score: z.number().finite().min(0).max(100),
  })
  .strict();
export type Strategy = z.infer<typeof StrategySchema>;

/** An exchange's trading rules for one symbol: what a size or a price must be rounded to. */
export const InstrumentRulesSchema = z
  .object({
    venue: VenueSchema,
    symbol: z.string().min(1),
    /** Base-asset size increment (Binance LOT_SIZE / MARKET_LOT_SIZE stepSize; Hyperliquid 10^-szDecimals). */
    lotStep: z.number().finite().positive(),
    /** Price increment (Binance PRICE_FILTER tickSize). */
    tickSize: z.number().finite().positive(),
    /** Smallest order notional in the quote asset (Binance MIN_NOTIONAL notional; Hyperliquid $10). */
    minNotional: nonNeg,
    /** The venue's maximum leverage for the symbol, when known. */
    maxLeverage: z.number().finite().positive().nullable(),
  })
  .strict();
export type InstrumentRules = z.infer<typeof InstrumentRulesSchema>;

/** Strategy id used when no attribution rule matches. */
export const MANUAL_STRATEGY = 'manual';
