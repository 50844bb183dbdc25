/** Shared by the daily, weekly and monthly loss rules (each its own file): loss from the period's start value. */
import type { AccountContext } from '../context';
import type { RiskSettings } from '../settings';
import type { Finding, LossPeriod, RuleId } from '../types';
import { reaches } from '../compare';
import { ALERT, accountScope, finding } from './rule';

export function periodLossFindings(
  rule: RuleId,
  ctx: AccountContext,
  s: RiskSettings,
  period: LossPeriod,
  warningPct: number,
  limitPct: number,
): Finding[] {
  const l = ctx.metrics.losses[period];
  const scope = accountScope(ctx);
  if (l.startValue === null || l.base === null) return [finding(rule, scope, 'notice', { code: 'period_start_missing', period }, ALERT, null)];
  if (l.lossPct === null)
    return [finding(rule, scope, 'warning', { code: 'equity_not_positive', equity: l.base, check: rule }, ALERT, null)];
  const loss = l.lossPct;
  if (!reaches(loss, warningPct)) return [];
  const hit = reaches(loss, limitPct);
  return [
    finding(
      rule,
      scope,
      hit ? 'emergency' : 'warning',
      { code: 'period_loss', period, lossPct: loss, limitPct, basis: l.basis, startValue: l.startValue, ...(l.netFlows !== 0 ? { netFlows: l.netFlows } : {}) },
      // Halted until the period ends: the next period starts with a clean slate.
      hit ? { kind: 'halt', until: ctx.periods[period].end, flatten: s.account.flattenOnEmergency } : ALERT,
      { value: loss, limit: limitPct, usedPct: (loss / limitPct) * 100 },
      hit,
    ),
  ];
}
