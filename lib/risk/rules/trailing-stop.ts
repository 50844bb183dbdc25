/**
 * Trailing stop from the best price reached since the engine first saw the position. Arms once the best price is
 * trailing.activationPct beyond entry; fires when the mark retraces the trail distance (a %, or an ATR multiple as a %
 * of price; without ATR data for the symbol the % distance applies). A planned exit, so not a breach.
 */
import { reaches } from '../compare';
import { finding, markMissing, positionScope, type AccountRule } from './rule';
import type { Finding } from '../types';

export const trailingStop: AccountRule = {
  id: 'trailing-stop',
  level: 'account',
  evaluate(ctx, s) {
    const tr = s.position.trailing;
    if (tr.mode === 'off') return [];
    const out: Finding[] = [];
    const positions = ctx.positions;
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      const mark = p.markPrice;
      if (mark === null) {
        out.push(markMissing('trailing-stop', p));
        continue;
      }
      const long = p.side === 'long';
      // The best so far from the trail, else from entry; each branch computed whole, as merging the two start prices
      // first boxed a number on every position.
      const t = ctx.trails[i];
      const best =
        t != null && t.best != null ? (long ? Math.max(t.best, mark) : Math.min(t.best, mark)) : long ? Math.max(p.entryPrice, mark) : Math.min(p.entryPrice, mark);
      const armed = long ? best >= p.entryPrice * (1 + tr.activationPct / 100) : best <= p.entryPrice * (1 - tr.activationPct / 100);
      if (!armed) continue;
      const atr = ctx.atrAt[i]!; // NaN without ATR data
      const limit = tr.mode === 'atr' && atr > 0 ? atr * tr.atrMultiple : tr.percent;
      const retrace = long ? ((best - mark) / best) * 100 : ((mark - best) / best) * 100;
      if (!reaches(retrace, limit)) continue;
      out.push(
        finding(
          'trailing-stop',
          positionScope(p),
          'critical',
          { code: 'trailing_stop', symbol: p.symbol, side: p.side, retracePct: retrace, limitPct: limit, bestPrice: best, markPrice: mark },
          { kind: 'close_position' },
          { value: retrace, limit, usedPct: (retrace / limit) * 100 },
        ),
      );
    }
    return out;
  },
};
