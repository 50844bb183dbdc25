/** Open position count (a hedged long and short count as two): alert when elevated, reduce-only above the limit. */
import { ALERT, accountScope, finding, type AccountRule } from './rule';

export const positionCount: AccountRule = {
  id: 'position-count',
  level: 'account',
  evaluate(ctx, s) {
    const { warning, limit } = s.account.positionCount;
    const n = ctx.positions.length;
    if (n < warning) return [];
    const over = n > limit;
    return [
      finding(
        'position-count',
        accountScope(ctx),
        over ? 'critical' : 'warning',
        { code: 'position_count', count: n, limit },
        over ? { kind: 'reduce_only' } : ALERT,
        { value: n, limit, usedPct: (n / limit) * 100 },
      ),
    ];
  },
};
