/**
 * The strategy table's Enabled and Symbol columns, outside the pre-trade check:
 * - A disabled strategy is stopped like a killed one, minus the flatten: its scope is HALTED while it stays disabled
 *   (its risk-increasing orders are cancelled in enforce mode; the pages block its new ones), and its open positions are
 *   kept: closing them is the trader's call (Flatten, or closing them by hand).
 * - A strategy limited to one symbol: a risk-increasing order of it on another symbol is cancelled (enforce mode), and
 *   a position it holds on another symbol is reported (warning), not closed.
 * A killed strategy is the kill switch's (strategy-kill-switch.ts): not reported twice.
 */
import { isProtectiveOrder } from '../orders';
import type { Finding } from '../types';
import { ALERT, finding, positionScope, type PortfolioRule } from './rule';

export const strategyLimits: PortfolioRule = {
  id: 'strategy-limits',
  level: 'portfolio',
  evaluate(ctx) {
    const out: Finding[] = [];
    // The table's rows, then strategies seen only in positions or orders (they take the defaults).
    const ids: string[] = [];
    const seen = new Set<string>();
    const note = (id: string) => {
      if (!seen.has(id)) seen.add(id), ids.push(id);
    };
    for (const row of ctx.strategies) note(row.strategyId);
    for (const a of ctx.accounts) {
      for (const p of a.positions) note(p.strategyId);
      for (const o of a.view.openOrders) note(o.strategyId);
    }
    for (const id of ids) {
      const st = ctx.strategy(id);
      if (st.killed || st.enabled) continue;
      out.push(finding('strategy-limits', { kind: 'strategy', strategyId: id }, 'warning', { code: 'strategy_disabled', strategyId: id }, { kind: 'halt', until: 'condition', flatten: false }, null));
    }
    for (const a of ctx.accounts) {
      for (const p of a.positions) {
        const only = ctx.strategy(p.strategyId).symbol ?? null;
        if (only === null || only === p.symbol) continue;
        out.push(finding('strategy-limits', positionScope(p), 'warning', { code: 'strategy_symbol', strategyId: p.strategyId, symbol: p.symbol, allowed: only }, ALERT, null));
      }
      let said: Set<string> | null = null;
      for (const o of a.view.openOrders) {
        const only = ctx.strategy(o.strategyId).symbol ?? null;
        if (only === null || only === o.symbol || isProtectiveOrder(o)) continue;
        // One finding per strategy and symbol; the engine cancels each such order that can add risk.
        const k = `${o.strategyId}|${o.symbol}`;
        if ((said ??= new Set()).has(k)) continue;
        said.add(k);
        out.push(
          finding(
            'strategy-limits',
            { kind: 'symbol', venue: o.venue, accountId: o.accountId, symbol: o.symbol },
            'warning',
            { code: 'strategy_symbol', strategyId: o.strategyId, symbol: o.symbol, allowed: only },
            { kind: 'cancel_orders' },
            null,
          ),
        );
      }
    }
    return out;
  },
};
