/**
 * Cooling-off after a breach: reports each of the account's scopes (the account and its symbols) whose circuit
 * breaker is OPEN. The engine opens the breaker on a breach and the gate keeps the scope halted until it elapses.
 */
import type { Finding } from '../types';
import { ALERT, finding, type AccountRule } from './rule';

export const coolingOff: AccountRule = {
  id: 'cooling-off',
  level: 'account',
  stage: 'after-transitions',
  evaluate(ctx) {
    const out: Finding[] = [];
    const prefix = `${ctx.key}:`;
    const scopes = ctx.state.scopes;
    // for-in rather than Object.entries: the same keys in the same order, without a pair array per scope.
    for (const key in scopes) {
      if (key !== ctx.key && !key.startsWith(prefix)) continue;
      const sc = scopes[key]!;
      const b = sc.breaker;
      if (b.state !== 'OPEN' || b.until === null || b.until <= ctx.now) continue;
      const left = (b.until - ctx.now) / 60_000;
      out.push(finding('cooling-off', sc.scope, 'notice', { code: 'cooling_off', until: b.until, minutesLeft: left }, ALERT, null));
    }
    return out;
  },
};
