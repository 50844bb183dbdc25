/**
 * The market picture pushed to every view (ViewState.market): per watched symbol, the regime, ATR % and the book near
 * the mid, plus the one line the page panel shows (formatted in the background, so the page ships no formatter).
 */
import * as z from 'zod/mini';

const TrendSchema = z.enum(['unknown', 'strong_down', 'weak_down', 'ranging', 'weak_up', 'strong_up']);
const VolatilitySchema = z.enum(['unknown', 'low', 'medium', 'high']);

export const MarketSummaryViewSchema = z.strictObject({
  venue: z.enum(['binance', 'hyperliquid']),
  symbol: z.string(),
  regime: z.nullable(
    z.strictObject({
      interval: z.enum(['1m', '5m', '15m', '1h', '4h', '1d']),
      time: z.number(),
      trend: TrendSchema,
      volatility: VolatilitySchema,
      adx: z.nullable(z.number()),
      hvPercentile: z.nullable(z.number()),
      meanReversion: z.nullable(z.number()),
    }),
  ),
  atrPct: z.nullable(z.number()),
  book: z.nullable(
    z.strictObject({
      time: z.number(),
      spreadBps: z.number(),
      bandBps: z.number(),
      imbalance: z.number(),
      bidNotional: z.number(),
      askNotional: z.number(),
      wall: z.nullable(z.strictObject({ side: z.enum(['bid', 'ask']), price: z.number(), distanceBps: z.number(), multiple: z.number() })),
    }),
  ),
  line: z.string(),
  /** The last fetch failure for this symbol, while it lasts. */
  error: z.nullable(z.string()),
});
export type MarketSummaryView = z.infer<typeof MarketSummaryViewSchema>;

export const MarketViewSchema = z.array(MarketSummaryViewSchema);
