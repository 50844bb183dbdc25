/** Edits of the portfolio manager's strategy table, checked the same way wherever they come from. */
import { z } from 'zod';
import type { Strategy } from './types';

/** Above this a stop or kill switch is no limit at all (1e300 passed before): almost surely a typo. */
export const MAX_STRATEGY_USD = 10_000_000;
const usdLimit = () => z.number().finite().positive().max(MAX_STRATEGY_USD, 'must be at most $10,000,000');

export const StrategyPatchSchema = z
  .object({
    symbol: z.string().min(1).max(40).nullable().optional(),
    riskPerTradePct: z.number().finite().gt(0).max(100).optional(),
    stopLossUsd: usdLimit().optional(),
    maxDrawdownUsd: usdLimit().optional(),
  })
  .strict();
export type StrategyPatch = z.infer<typeof StrategyPatchSchema>;

export const NewStrategySchema = z
  .object({
    source: z.string().trim().min(1).max(64),
    strategyId: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9._:-]+$/, 'strategyId may use letters, digits and . _ : -'),
    symbol: z.string().min(1).max(40).nullable().default(null),
    enabled: z.boolean().default(true),
    riskPerTradePct: z.number().finite().gt(0).max(100).default(1),
    stopLossUsd: usdLimit().default(5),
    maxDrawdownUsd: usdLimit().default(50),
  })
  .strict();
export type NewStrategy = z.input<typeof NewStrategySchema>;

/** The one cross-field rule of a strategy row, shared by the table's inline check and the background. */
export function stopAboveDrawdown(stopLossUsd: number, maxDrawdownUsd: number): string | null {
  return stopLossUsd > maxDrawdownUsd
    ? `Stop loss $${stopLossUsd} per trade is above the max drawdown $${maxDrawdownUsd}: one stopped trade would kill the strategy.`
    : null;
}

/** Applies a validated patch; a contradiction is returned as a message and nothing changes. */
export function applyStrategyPatch(row: Strategy, patch: StrategyPatch): { ok: true; row: Strategy } | { ok: false; message: string } {
  const next: Strategy = { ...row };
  if (patch.symbol !== undefined) next.symbol = patch.symbol;
  if (patch.riskPerTradePct !== undefined) next.riskPerTradePct = patch.riskPerTradePct;
  if (patch.stopLossUsd !== undefined) next.stopLossUsd = patch.stopLossUsd;
  if (patch.maxDrawdownUsd !== undefined) next.maxDrawdownUsd = patch.maxDrawdownUsd;
  const contradiction = stopAboveDrawdown(next.stopLossUsd, next.maxDrawdownUsd);
  return contradiction ? { ok: false, message: `${row.strategyId}: ${contradiction}` } : { ok: true, row: next };
}
