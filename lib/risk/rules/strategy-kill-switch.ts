/**
 * Strategy kill switch: a drawdown from the strategy's high-water mark. The strategy's PnL is the table's totalPnl
 * (realized, net of fees) plus the unrealized PnL of its open positions on every account, minus the baseline of the
 * last manual reset; its peak is the highest that PnL has been since the strategy was created or last reset (at least
 * 0, the starting point; kept in state.strategyPeaks). A drawdown (peak - PnL) at or beyond maxDrawdownUsd halts the
 * strategy and closes its positions until someone resets it. A strategy the table marks killed stays halted.
 */
import type { Finding } from '../types';
import { reaches } from '../compare';
import type { PortfolioContext } from '../context';
import { ALERT, finding, type PortfolioRule } from './rule';

export interface StrategyStanding {
  /** Realized + unrealized - the reset baseline. */
  pnl: number;
  /** The high-water mark of pnl, this evaluation included (never below 0). */
  peak: number;
  /** peak - pnl. */
  drawdown: number;
}

const standingsMemo = new WeakMap<PortfolioContext, Map<string, StrategyStanding>>();

/**
 * Every strategy's PnL, peak and drawdown: the table's rows first (table order), then strategies seen only in open
 * positions. Memoised per context (the rule and the engine's next state read the same).
 */
export function strategyStandings(ctx: PortfolioContext): Map<string, StrategyStanding> {
  const hit = standingsMemo.get(ctx);
  if (hit) return hit;
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
  const out = new Map<string, StrategyStanding>();
  const add = (id: string) => {
    if (out.has(id)) return;
    const st = ctx.strategy(id);
    const pnl = st.totalPnl + (slot.has(id) ? unrealized[slot.get(id)!]! : 0) - (ctx.state.strategyBaselines[id] ?? 0);
    const peak = Math.max(0, ctx.state.strategyPeaks?.[id] ?? 0, pnl);
    out.set(id, { pnl, peak, drawdown: peak - pnl });
  };
  for (const row of ctx.strategies) add(row.strategyId);
  for (const id of slot.keys()) add(id);
  standingsMemo.set(ctx, out);
  return out;
}

export const strategyKillSwitch: PortfolioRule = {
  id: 'strategy-kill-switch',
  level: 'portfolio',
  evaluate(ctx, s) {
    const out: Finding[] = [];
    for (const [id, { pnl, peak, drawdown }] of strategyStandings(ctx)) {
      const st = ctx.strategy(id);
      const scope = { kind: 'strategy', strategyId: id } as const;
      if (st.killed) {
        out.push(finding('strategy-kill-switch', scope, 'critical', { code: 'strategy_killed', strategyId: id }, { kind: 'halt', until: 'manual', flatten: true }, null));
        continue;
      }
      const max = st.maxDrawdownUsd;
      const used = (drawdown / max) * 100;
      if (!reaches(used, s.tiers.warnAtPct)) continue;
      const hit = reaches(used, 100);
      out.push(
        finding(
          'strategy-kill-switch',
          scope,
          hit ? 'emergency' : 'warning',
          { code: 'strategy_kill_switch', strategyId: id, pnl, maxDrawdownUsd: max, peak },
          hit ? { kind: 'halt', until: 'manual', flatten: true } : ALERT,
          { value: drawdown, limit: max, usedPct: used },
          hit,
        ),
      );
    }
    return out;
  },
};
