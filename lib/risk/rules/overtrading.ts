/**
 * Overtrading: orders that filled (opening or closing) in the last rolling hour and the last rolling 24 hours (rolling,
 * so the pre-trade check can count the same way without a calendar). Over the hourly cap: a cooling-off; over the
 * daily cap: halted while the 24-hour count stays above it.
 */
import type { Finding } from '../types';
import { accountScope, finding, type AccountRule } from './rule';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export const overtrading: AccountRule = {
  id: 'overtrading',
  level: 'account',
  evaluate(ctx, s) {
    let hour = 0;
    let day = 0;
    for (const list of [ctx.closedTrades, ctx.openedTrades])
      for (const t of list) {
        const age = ctx.now - t.time;
        if (age < 0 || age >= DAY_MS) continue;
        day++;
        if (age < HOUR_MS) hour++;
      }
    const { maxTradesPerHour: perHour, maxTradesPerDay: perDay } = s.behaviour;
    const out: Finding[] = [];
    if (day > perDay)
      out.push(
        finding('overtrading', accountScope(ctx), 'critical', { code: 'overtrading', window: 'day', trades: day, limit: perDay }, { kind: 'halt', until: 'condition', flatten: false }, {
          value: day,
          limit: perDay,
          usedPct: (day / perDay) * 100,
        }),
      );
    else if (hour > perHour)
      out.push(
        finding('overtrading', accountScope(ctx), 'warning', { code: 'overtrading', window: 'hour', trades: hour, limit: perHour }, { kind: 'cooling_off', minutes: s.behaviour.coolingOffMin }, {
          value: hour,
          limit: perHour,
          usedPct: (hour / perHour) * 100,
        }),
      );
    return out;
  },
};
