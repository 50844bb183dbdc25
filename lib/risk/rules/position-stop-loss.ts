/**
 * Stop loss in $ per position: the venue's unrealized loss against the strategy's stopLossUsd (and the account-wide
 * position.stopLossUsd when set; the smaller wins). Uses the venue's PnL, so it runs without a mark price.
 */
import { reaches } from '../compare';
import { ALERT, finding, positionScope, type AccountRule } from './rule';
import type { Finding } from '../types';

export const positionStopLoss: AccountRule = {
  id: 'position-stop-loss',
  level: 'account',
  evaluate(ctx, s) {
    const out: Finding[] = [];
    for (const p of ctx.positions) {
      const limit = Math.min(ctx.strategy(p.strategyId).stopLossUsd, s.position.stopLossUsd ?? Infinity);
      const loss = -p.unrealizedPnl;
      const used = (loss / limit) * 100;
      if (!reaches(used, s.tiers.warnAtPct)) continue;
      const hit = reaches(used, 100);
      out.push(
        finding(
          'position-stop-loss',
          positionScope(p),
          hit ? 'critical' : 'warning',
          { code: 'position_stop_loss', symbol: p.symbol, side: p.side, lossUsd: loss, limitUsd: limit },
          hit ? { kind: 'close_position' } : ALERT,
          { value: loss, limit, usedPct: used },
          hit,
        ),
      );
    }
    return out;
  },
};
