/**
 * Distance from the mark to the liquidation price, % of mark. The limit is a minimum, so the share used is
 * minimum / distance: alert at 1.25x the minimum (with default tiers), partial close at the minimum, full close at 2/3 of it.
 * Skipped when the venue reports no liquidation price (none in reach).
 */
import { finding, markMissing, positionScope, tier, type AccountRule } from './rule';
import type { Finding } from '../types';

export const liquidationDistance: AccountRule = {
  id: 'liquidation-distance',
  level: 'account',
  evaluate(ctx, s) {
    const out: Finding[] = [];
    const min = s.position.minLiquidationDistancePct;
    for (const p of ctx.positions) {
      if (p.liquidationPrice === null) continue;
      const mark = p.markPrice;
      if (mark === null) {
        out.push(markMissing('liquidation-distance', p));
        continue;
      }
      const raw = p.side === 'long' ? ((mark - p.liquidationPrice) / mark) * 100 : ((p.liquidationPrice - mark) / mark) * 100;
      const distance = Math.max(0, raw);
      // 1 / 0 rather than the global Infinity: merging with that constant boxed `used` on every position.
      const used = distance > 0 ? (min / distance) * 100 : 1 / 0;
      const t = tier(used, s);
      if (!t) continue;
      out.push(
        finding(
          'liquidation-distance',
          positionScope(p),
          t.severity,
          { code: 'liquidation_distance', symbol: p.symbol, side: p.side, distancePct: distance, minPct: min },
          t.action,
          { value: distance, limit: min, usedPct: used },
          t.severity !== 'warning',
        ),
      );
    }
    return out;
  },
};
