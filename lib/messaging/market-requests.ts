/**
 * Requests of the options page's Market view (extension pages only, never content scripts): candles and order-book
 * snapshots read through the venue's adapter of a connected account. The background only fetches and returns; the
 * analysis (lib/market) runs in the options page. Failures a trader can act on (no account for that venue, a symbol
 * the venue does not list, the venue failing) come back as data in the result, each with a sentence to show.
 */
import * as z from 'zod/mini';
import { VenueSchema } from './protocol';
import { defineRequest } from './requests';

export const MARKET_INTERVALS = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;
export const MarketIntervalSchema = z.enum(MARKET_INTERVALS);
export type MarketInterval = z.infer<typeof MarketIntervalSchema>;

/** Binance USD-M symbols (BTCUSDT); Hyperliquid coins (BTC, kPEPE, or xyz:NAME on a builder-deployed dex). */
export const SYMBOL_PATTERN = { binance: /^[A-Z0-9]{2,30}$/, hyperliquid: /^(?:[a-z0-9]{1,12}:)?[A-Za-z0-9]{1,20}$/ } as const;
const symbolCheck = z.refine<{ venue: 'binance' | 'hyperliquid'; symbol: string }>((d) => SYMBOL_PATTERN[d.venue].test(d.symbol), {
  message: 'not a symbol of this venue: Binance lists symbols like BTCUSDT, Hyperliquid coins like BTC or xyz:NAME',
  path: ['symbol'],
});

const symbol = z.string().check(z.minLength(1), z.maxLength(40));
/** accountKey (venue:accountId); default: the venue's first account. */
const account = z.optional(z.string().check(z.minLength(3), z.maxLength(120)));

export const MarketCandlesRequestSchema = z
  .strictObject({
    venue: VenueSchema,
    symbol,
    interval: z._default(MarketIntervalSchema, '1h'),
    limit: z._default(z.int().check(z.minimum(1), z.maximum(1500)), 500),
    /** Open time of the first candle, epoch ms; default: the latest `limit` candles. */
    since: z.optional(z.int().check(z.nonnegative())),
    account,
  })
  .check(symbolCheck);
export type MarketCandlesRequest = z.input<typeof MarketCandlesRequestSchema>;

export const MarketBookRequestSchema = z
  .strictObject({
    venue: VenueSchema,
    symbol,
    /** Levels per side asked for (Binance rounds up to 5, 10, 20, 50, 100, 500 or 1000; Hyperliquid sends at most 20). */
    depth: z._default(z.int().check(z.minimum(1), z.maximum(1000)), 500),
    account,
  })
  .check(symbolCheck);
export type MarketBookRequest = z.input<typeof MarketBookRequestSchema>;

export const MarketTradesRequestSchema = z
  .strictObject({
    venue: VenueSchema,
    symbol,
    /** The window [start, end), epoch ms: the chart's closed candles. */
    start: z.int().check(z.nonnegative()),
    end: z.int().check(z.nonnegative()),
    /** Caps on the read (Binance: 10 calls of weight 20, 10,000 trades). */
    maxTrades: z._default(z.int().check(z.minimum(1), z.maximum(10_000)), 10_000),
    maxCalls: z._default(z.int().check(z.minimum(1), z.maximum(10)), 10),
    account,
  })
  .check(symbolCheck, z.refine((d) => d.end > d.start, { message: 'end must be after start', path: ['end'] }));
export type MarketTradesRequest = z.input<typeof MarketTradesRequestSchema>;

// zod 4 numbers are finite: NaN and Infinity fail.
const positive = z.number().check(z.positive());
const size = z.number().check(z.nonnegative());
export const CandleWireSchema = z.strictObject({
  time: z.int().check(z.nonnegative()),
  open: positive,
  high: positive,
  low: positive,
  close: positive,
  volume: size,
});
/** [price, size]. */
const LevelSchema = z.tuple([positive, size]);
export const BookWireSchema = z.strictObject({
  symbol: z.string().check(z.minLength(1)),
  time: z.int().check(z.nonnegative()),
  bids: z.array(LevelSchema),
  asks: z.array(LevelSchema),
});

export const TradeWireSchema = z.strictObject({ time: z.int().check(z.nonnegative()), price: positive, size: z.number().check(z.positive()), side: z.enum(['buy', 'sell']) });

export const MarketFailureReasonSchema = z.enum(['no_account', 'unknown_symbol', 'venue_error']);
export type MarketFailureReason = z.infer<typeof MarketFailureReasonSchema>;
const failure = z.strictObject({ ok: z.literal(false), reason: MarketFailureReasonSchema, message: z.string() });
export type MarketFailure = z.infer<typeof failure>;
/** Which account answered (views say so: "via Main (binance:main)"). */
const source = { venue: VenueSchema, symbol: z.string(), account: z.string(), accountLabel: z.string() };

export const MarketCandlesResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), ...source, interval: MarketIntervalSchema, candles: z.array(CandleWireSchema) }),
  failure,
]);
export type MarketCandlesResult = z.infer<typeof MarketCandlesResultSchema>;
export const MarketBookResultSchema = z.discriminatedUnion('ok', [z.strictObject({ ok: z.literal(true), ...source, book: BookWireSchema }), failure]);
export type MarketBookResult = z.infer<typeof MarketBookResultSchema>;

/** available false: the venue has no trade history (the view keeps the candle profile and says why). */
export const MarketTradesResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    ...source,
    available: z.boolean(),
    note: z.optional(z.string()),
    trades: z.array(TradeWireSchema),
    from: z.int(),
    to: z.int(),
    complete: z.boolean(),
  }),
  failure,
]);
export type MarketTradesResult = z.infer<typeof MarketTradesResultSchema>;

export const marketCandles = defineRequest({
  name: 'market.candles',
  from: ['extension'],
  data: MarketCandlesRequestSchema,
  result: MarketCandlesResultSchema,
});
export const marketBook = defineRequest({
  name: 'market.book',
  from: ['extension'],
  data: MarketBookRequestSchema,
  result: MarketBookResultSchema,
});

export const marketTrades = defineRequest({
  name: 'market.trades',
  from: ['extension'],
  data: MarketTradesRequestSchema,
  result: MarketTradesResultSchema,
});

export const MARKET_REQUESTS = [marketCandles, marketBook, marketTrades] as const;

/** What the background's handlers receive (defaults applied). */
export type MarketCandlesData = z.output<typeof MarketCandlesRequestSchema>;
export type MarketBookData = z.output<typeof MarketBookRequestSchema>;
export type MarketTradesData = z.output<typeof MarketTradesRequestSchema>;
