/**
 * Consecutive losing trades (closing orders with negative PnL net of fees, newest backward) -> a leverage cap from
 * behaviour.consecutiveLosses.schedule. The pre-trade check enforces the cap; this rule makes it visible.
 */
import type { RiskSettings } from '../settings';
import { ALERT, accountScope, finding, type AccountRule } from './rule';

/** The leverage cap for a losing streak, or null below the threshold. */
export function streakLeverageCap(streak: number, s: RiskSettings): number | null {
  if (streak < s.behaviour.consecutiveLosses.threshold) return null;
  let cap: number | null = null;
  for (const step of s.behaviour.consecutiveLosses.schedule) if (streak >= step.losses) cap = step.maxLeverage;
  return cap;
}

export const consecutiveLosses: AccountRule = {
  id: 'consecutive-losses',
  level: 'account',
  evaluate(ctx, s) {
    const n = ctx.metrics.losingStreak;
    const cap = streakLeverageCap(n, s);
    if (cap === null) return [];
    const threshold = s.behaviour.consecutiveLosses.threshold;
    return [
      finding('consecutive-losses', accountScope(ctx), 'warning', { code: 'consecutive_losses', losses: n, leverageCap: cap }, ALERT, {
        value: n,
        limit: threshold,
        usedPct: (n / threshold) * 100,
      }),
    ];
  },
};
