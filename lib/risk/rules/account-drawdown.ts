/** Account drawdown from peak equity (the peak the engine tracks, or the baseline a manual reset set). */
import { reaches } from '../compare';
import { ALERT, accountScope, finding, type AccountRule } from './rule';

export const accountDrawdown: AccountRule = {
  id: 'account-drawdown',
  level: 'account',
  evaluate(ctx, s) {
    const { warningPct, emergencyPct } = s.account.peakDrawdown;
    const { drawdownPct: dd, peakEquity } = ctx.metrics;
    if (!reaches(dd, warningPct)) return [];
    const emergency = reaches(dd, emergencyPct);
    return [
      finding(
        'account-drawdown',
        accountScope(ctx),
        emergency ? 'emergency' : 'warning',
        { code: 'account_drawdown', drawdownPct: dd, limitPct: emergencyPct, peakEquity, equity: ctx.account.equity },
        // The account kill switch: it stays halted until someone resets it.
        emergency ? { kind: 'halt', until: 'manual', flatten: s.account.flattenOnEmergency } : ALERT,
        { value: dd, limit: emergencyPct, usedPct: (dd / emergencyPct) * 100 },
        emergency,
      ),
    ];
  },
};
