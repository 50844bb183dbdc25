/**
 * Strategy kill switch: cumulative PnL (the table's totalPnl, taken as realized, plus the unrealized PnL of the
 * strategy's open positions on every account, minus the baseline of the last manual reset) at or below
 * -maxDrawdownUsd halts the strategy and closes its positions until someone resets it. A strategy the table marks
 * killed stays halted.
 */
import type { Finding } from '../types';
import { reaches } from '../compare';
import { ALERT, finding, type PortfolioRule } from './rule';

export const strategyKillSwitch: PortfolioRule = {
  id: 'strategy-kill-switch',
  level: 'portfolio',
  evaluate(ctx, s) {
    // Unrealized PnL per strategy, first-seen order: slots into an array of plain numbers (a Map of numbers would
    // box a fresh number on every position). Summed in position order, so the totals are the same.
    const slot = new Map<string, number>();
    const unrealized: number[] = [];
    for (const a of ctx.accounts)
      for (const p of a.positions) {
        const k = slot.get(p.strategyId);
        if (k === undefined) {
          slot.set(p.strategyId, unrealized.length);
          unrealized.push(0 + p.unrealizedPnl);
        } else unrealized[k] = unrealized[k]! + p.unrealizedPnl;
      }
    const ids: string[] = [];
    const seen = new Set<string>();
    for (const row of ctx.strategies) if (!seen.has(row.strategyId)) seen.add(row.strategyId), ids.push(row.strategyId);
    for (const id of slot.keys()) if (!seen.has(id)) seen.add(id), ids.push(id);

    const out: Finding[] = [];
    for (const id of ids) {
      const st = ctx.strategy(id);
      const scope = { kind: 'strategy', strategyId: id } as const;
      if (st.killed) {
        out.push(finding('strategy-kill-switch', scope, 'critical', { code: 'strategy_killed', strategyId: id }, { kind: 'halt', until: 'manual', flatten: true }, null));
        continue;
      }
      const pnl = st.totalPnl + (slot.has(id) ? unrealized[slot.get(id)!]! : 0) - (ctx.state.strategyBaselines[id] ?? 0);
      const max = st.maxDrawdownUsd;
      const used = (-pnl / max) * 100;
      if (!reaches(used, s.tiers.warnAtPct)) continue;
      const hit = reaches(used, 100);
      out.push(
        finding(
          'strategy-kill-switch',
          scope,
          hit ? 'emergency' : 'warning',
          { code: 'strategy_kill_switch', strategyId: id, pnl, maxDrawdownUsd: max },
          hit ? { kind: 'halt', until: 'manual', flatten: true } : ALERT,
          { value: -pnl, limit: max, usedPct: used },
          hit,
        ),
      );
    }
    return out;
  },
};
