/** The shape of a rule and the small builders every rule shares. */
import type { Position } from '../../domain/types';
import { reaches } from '../compare';
import type { AccountContext, PortfolioContext } from '../context';
import type { RiskSettings } from '../settings';
import type { AccountScope, Finding, PositionScope, RequestedAction, RiskReason, RiskSeverity, RuleId } from '../types';

/** Runs once per account. */
export interface AccountRule {
  id: RuleId;
  level: 'account';
  /**
   * 'after-transitions': runs after the engine has applied this evaluation's transitions, reading the updated scopes
   * (so a breaker opened now is reported now, not one evaluation later). Such a rule may only ask for alerts.
   */
  stage?: 'after-transitions';
  evaluate(ctx: AccountContext, settings: RiskSettings): Finding[];
}
/** Runs once per evaluation, over every account (for rules that span accounts). */
export interface PortfolioRule {
  id: RuleId;
  level: 'portfolio';
  evaluate(ctx: PortfolioContext, settings: RiskSettings): Finding[];
}
export type Rule = AccountRule | PortfolioRule;

export const positionScope = (p: Position): PositionScope => ({
  kind: 'position',
  venue: p.venue,
  accountId: p.accountId,
  symbol: p.symbol,
  side: p.side,
});
export const accountScope = (ctx: AccountContext): AccountScope => ({
  kind: 'account',
  venue: ctx.account.venue,
  accountId: ctx.account.accountId,
});

/** usedPct is capped so findings stay finite (JSON has no Infinity). */
const MAX_USED = 10_000;
const round = (v: number) => Math.round(v * 1e6) / 1e6;

export function finding(
  rule: RuleId,
  scope: Finding['scope'],
  severity: RiskSeverity,
  reason: RiskReason,
  action: RequestedAction,
  numbers: { value: number; limit: number; usedPct: number } | null,
  breach = false,
): Finding {
  return {
    rule,
    scope,
    severity,
    reason,
    value: numbers && Number.isFinite(numbers.value) ? round(numbers.value) : null,
    limit: numbers ? numbers.limit : null,
    usedPct: numbers && !Number.isNaN(numbers.usedPct) ? round(Math.min(MAX_USED, numbers.usedPct)) : null,
    action,
    breach,
  };
}

export const ALERT: RequestedAction = { kind: 'alert' };

/** "Say so, never guess": a position check that needs the mark price reports that it has none. */
export function markMissing(rule: RuleId, p: Position): Finding {
  return finding(rule, positionScope(p), 'warning', { code: 'mark_price_missing', check: rule, symbol: p.symbol, side: p.side }, ALERT, null);
}

/**
 * Tiered response for position limits, by % of the limit used: alert from tiers.warnAtPct, partial close from
 * tiers.partialCloseAtPct, full close from tiers.fullCloseAtPct.
 */
export function tier(used: number, s: RiskSettings): { severity: RiskSeverity; action: RequestedAction } | null {
  const t = s.tiers;
  if (reaches(used, t.fullCloseAtPct)) return { severity: 'emergency', action: { kind: 'close_position' } };
  if (reaches(used, t.partialCloseAtPct)) return { severity: 'critical', action: { kind: 'partial_close', pct: t.partialClosePct } };
  if (reaches(used, t.warnAtPct)) return { severity: 'warning', action: ALERT };
  return null;
}

/** Adverse price move in % of entry (positive = losing), by side. */
export function adverseMovePct(p: Position, mark: number): number {
  return p.side === 'long' ? ((p.entryPrice - mark) / p.entryPrice) * 100 : ((mark - p.entryPrice) / p.entryPrice) * 100;
}
