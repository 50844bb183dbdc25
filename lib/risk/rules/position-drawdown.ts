/** Position drawdown, leverage-adjusted: adverse price move % x leverage, the share of the position's margin lost. */
import { adverseMovePct, finding, markMissing, positionScope, tier, type AccountRule } from './rule';
import type { Finding } from '../types';

export const positionDrawdown: AccountRule = {
  id: 'position-drawdown',
  level: 'account',
  evaluate(ctx, s) {
    const out: Finding[] = [];
    const limit = s.position.maxDrawdownPct;
    for (const p of ctx.positions) {
      if (p.markPrice === null) {
        out.push(markMissing('position-drawdown', p));
        continue;
      }
      const move = adverseMovePct(p, p.markPrice);
      const dd = Math.max(0, move) * p.leverage;
      const used = (dd / limit) * 100;
      const t = tier(used, s);
      if (!t) continue;
      out.push(
        finding(
          'position-drawdown',
          positionScope(p),
          t.severity,
          { code: 'position_drawdown', symbol: p.symbol, side: p.side, drawdownPct: dd, limitPct: limit, priceMovePct: move, leverage: p.leverage },
          t.action,
          { value: dd, limit, usedPct: used },
          t.severity !== 'warning',
        ),
      );
    }
    return out;
  },
};
