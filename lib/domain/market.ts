/** Market data shared by the exchange adapters (which produce it) and lib/market (which analyses it). */
import { z } from 'zod';

export const CandleSchema = z
  .object({
    /** Open time, epoch ms. */
    time: z.number().int().nonnegative(),
    open: z.number().finite().positive(),
    high: z.number().finite().positive(),
    low: z.number().finite().positive(),
    close: z.number().finite().positive(),
    /** Base-asset volume. */
    volume: z.number().finite().nonnegative(),
  })
  .strict();
export type Candle = z.infer<typeof CandleSchema>;

export const TradeSchema = z
  .object({
    time: z.number().int().nonnegative(),
    price: z.number().finite().positive(),
    size: z.number().finite().positive(),
    /** The aggressor's side. */
    side: z.enum(['buy', 'sell']),
  })
  .strict();
export type Trade = z.infer<typeof TradeSchema>;

const level = z.tuple([z.number().finite().positive(), z.number().finite().nonnegative()]);
export const OrderBookSchema = z
  .object({
    symbol: z.string().min(1),
    time: z.number().int().nonnegative(),
    /** [price, size], best first (bids descending, asks ascending). */
    bids: z.array(level),
    asks: z.array(level),
  })
  .strict();
export type OrderBook = z.infer<typeof OrderBookSchema>;

export const CandleIntervalSchema = z.enum(['1m', '5m', '15m', '1h', '4h', '1d']);
export type CandleInterval = z.infer<typeof CandleIntervalSchema>;

/** Length of each candle interval, ms. */
export const INTERVAL_MS: Readonly<Record<CandleInterval, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};
