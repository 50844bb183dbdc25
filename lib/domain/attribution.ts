/**
 * Strategy attribution: which strategy a fill, order or position belongs to. Rules are tried in order; the first that
 * matches wins; nothing matching means 'manual'. A rule matches on a client order id prefix (Binance
 * newClientOrderId, Hyperliquid cloid), a symbol, or both (both must then match).
 */
import { z } from 'zod';
import { MANUAL_STRATEGY } from './types';

export const AttributionRuleSchema = z
  .object({
    strategyId: z.string().trim().min(1, 'strategyId must not be empty').max(64),
    /** Case-sensitive prefix of the client order id; null: any. */
    clientOrderIdPrefix: z.string().min(1).max(36).nullable().default(null),
    /** Exact symbol (BTCUSDT, BTC, dex:NAME); null: any. */
    symbol: z.string().min(1).max(40).nullable().default(null),
  })
  .strict()
  .refine((r) => r.clientOrderIdPrefix !== null || r.symbol !== null, {
    message: 'A rule needs a client order id prefix, a symbol, or both (otherwise it would catch every trade).',
  });
export type AttributionRule = z.infer<typeof AttributionRuleSchema>;

export const AttributionRulesSchema = z.array(AttributionRuleSchema).max(500);

export function attributeStrategy(
  rules: readonly AttributionRule[],
  clientOrderId: string | null,
  symbol: string,
): string {
  for (const r of rules) {
    if (r.symbol !== null && r.symbol !== symbol) continue;
    if (r.clientOrderIdPrefix !== null && !(clientOrderId ?? '').startsWith(r.clientOrderIdPrefix)) continue;
    return r.strategyId;
  }
  return MANUAL_STRATEGY;
}
