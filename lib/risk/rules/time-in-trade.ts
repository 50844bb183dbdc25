/**
 * Maximum time in trade, from the venue's openedAt (or, when the venue gives none, when the engine first saw the
 * position). Notice from tiers.warnAtPct of the limit; at the limit an alert or a close (position.timeInTradeAction).
 */
import { reaches } from '../compare';
import { ALERT, finding, positionScope, type AccountRule } from './rule';
import type { Finding } from '../types';

export const timeInTrade: AccountRule = {
  id: 'time-in-trade',
  level: 'account',
  evaluate(ctx, s) {
    const limit = s.position.maxTimeInTradeMin;
    if (limit === null) return [];
    const out: Finding[] = [];
    const positions = ctx.positions;
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      const opened = p.openedAt ?? ctx.trails[i]?.firstSeen ?? ctx.now;
      const minutes = Math.max(0, (ctx.now - opened) / 60_000);
      const used = (minutes / limit) * 100;
      if (!reaches(used, s.tiers.warnAtPct)) continue;
      const over = reaches(used, 100);
      const close = over && s.position.timeInTradeAction === 'close';
      out.push(
        finding(
          'time-in-trade',
          positionScope(p),
          over ? (close ? 'critical' : 'warning') : 'notice',
          { code: 'time_in_trade', symbol: p.symbol, side: p.side, minutes, limitMinutes: limit },
          close ? { kind: 'close_position' } : ALERT,
          { value: minutes, limit, usedPct: used },
        ),
      );
    }
    return out;
  },
};
