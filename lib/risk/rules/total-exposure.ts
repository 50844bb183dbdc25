/**
 * Total exposure: gross notional of every position (a hedged long and short both count) as % of equity. Warning from
 * the warning %; above the limit (as the pre-trade check blocks: exactly at it is allowed) the account goes
 * reduce-only until it is back at or under it.
 */
import { exceeds, reaches } from '../compare';
import { ALERT, accountScope, finding, type AccountRule } from './rule';

export const totalExposure: AccountRule = {
  id: 'total-exposure',
  level: 'account',
  evaluate(ctx, s) {
    const { warningPct, limitPct } = s.account.exposure;
    const { exposurePct, grossNotional } = ctx.metrics;
    if (exposurePct === null) {
      if (grossNotional === 0) return [];
      return [
        finding('total-exposure', accountScope(ctx), 'critical', { code: 'equity_not_positive', equity: ctx.account.equity, check: 'total-exposure' }, { kind: 'reduce_only' }, null),
      ];
    }
    if (!reaches(exposurePct, warningPct)) return [];
    const over = exceeds(exposurePct, limitPct);
    return [
      finding(
        'total-exposure',
        accountScope(ctx),
        over ? 'critical' : 'warning',
        { code: 'total_exposure', exposurePct, limitPct },
        over ? { kind: 'reduce_only' } : ALERT,
        { value: exposurePct, limit: limitPct, usedPct: (exposurePct / limitPct) * 100 },
      ),
    ];
  },
};
