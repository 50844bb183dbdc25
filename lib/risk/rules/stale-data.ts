/**
 * Stale data / API failure: no fresh account data for data.staleAfterSec. Blind, the account goes reduce-only until
 * data flows again. A feed error while data is still fresh is only an alert.
 */
import { ALERT, accountScope, finding, type AccountRule } from './rule';

export const staleData: AccountRule = {
  id: 'stale-data',
  level: 'account',
  evaluate(ctx, s) {
    const limit = s.data.staleAfterSec;
    const seconds = Math.max(0, (ctx.now - (ctx.view.receivedAt ?? ctx.account.time)) / 1000);
    const error = ctx.view.feedError ?? null;
    const stale = seconds > limit;
    if (!stale && error === null) return [];
    return [
      finding(
        'stale-data',
        accountScope(ctx),
        stale ? 'critical' : 'warning',
        { code: 'stale_data', seconds, limitSeconds: limit, error },
        stale ? { kind: 'reduce_only' } : ALERT,
        { value: seconds, limit, usedPct: (seconds / limit) * 100 },
      ),
    ];
  },
};
