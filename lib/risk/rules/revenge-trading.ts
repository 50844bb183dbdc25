/**
 * Revenge trading: an opening order within behaviour.revenge.windowMin after a losing trade, larger than the losing
 * trade by more than behaviour.revenge.sizeMultiple. Reported while the re-entry is within the window; asks for a
 * cooling-off of the account.
 */
import { accountScope, finding, type AccountRule } from './rule';

export const revengeTrading: AccountRule = {
  id: 'revenge-trading',
  level: 'account',
  evaluate(ctx, s) {
    const { windowMin, sizeMultiple } = s.behaviour.revenge;
    const window = windowMin * 60_000;
    const closed = ctx.closedTrades;
    // Newest re-entry first: one finding per account is enough to cool it off.
    for (let i = ctx.openedTrades.length - 1; i >= 0; i--) {
      const o = ctx.openedTrades[i]!;
      if (ctx.now - o.time > window) break;
      let loss = null;
      for (let j = closed.length - 1; j >= 0; j--) {
        const c = closed[j]!;
        if (c.time > o.time) continue;
        if (o.time - c.time > window) break;
        if (c.pnl < 0) {
          loss = c;
          break;
        }
      }
      if (!loss || loss.notional <= 0) continue;
      const ratio = o.notional / loss.notional;
      if (ratio <= sizeMultiple) continue;
      return [
        finding(
          'revenge-trading',
          accountScope(ctx),
          'warning',
          { code: 'revenge_trade', symbol: o.symbol, sizeRatio: ratio, minutesAfterLoss: (o.time - loss.time) / 60_000 },
          { kind: 'cooling_off', minutes: s.behaviour.coolingOffMin },
          { value: ratio, limit: sizeMultiple, usedPct: (ratio / sizeMultiple) * 100 },
        ),
      ];
    }
    return [];
  },
};
