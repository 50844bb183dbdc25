import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { coolingOff } from '../../../../lib/risk/rules/cooling-off';
import { initialRiskState, type ScopeState } from '../../../../lib/risk/state';
import type { GateScope } from '../../../../lib/risk/types';
import { MIN, NOW, ctx, settings, view } from '../fixtures';

const open = (scope: GateScope, until: number): ScopeState => ({
  scope,
  trading: 'HALTED',
  since: NOW - MIN,
  holds: [],
  breaker: { state: 'OPEN', since: NOW - MIN, until, lastBreachAt: NOW - MIN, reason: null },
});

describe('cooling-off', () => {
  it('is silent with no open breaker', () => {
    expect(coolingOff.evaluate(ctx(view()), settings())).toEqual([]);
  });

  it("reports the account's and its symbols' open breakers, not other accounts'", () => {
    const st = initialRiskState();
    st.scopes['binance:main'] = open({ kind: 'account', venue: 'binance', accountId: 'main' }, NOW + 10 * MIN);
    st.scopes['binance:main:ETHUSDT'] = open({ kind: 'symbol', venue: 'binance', accountId: 'main', symbol: 'ETHUSDT' }, NOW + 90_000);
    st.scopes['binance:other'] = open({ kind: 'account', venue: 'binance', accountId: 'other' }, NOW + 10 * MIN);
    const out = coolingOff.evaluate(ctx(view(), { state: st }), settings());
    expect(out.map((f) => formatReason(f.reason))).toEqual([
      'Cooling off after a breach until 2026-03-10 12:10 UTC (10 minutes left).',
      'Cooling off after a breach until 2026-03-10 12:01 UTC (2 minutes left).',
    ]);
    expect(out[0]).toMatchObject({ severity: 'notice', action: { kind: 'alert' } });
  });

  it('is silent once the cooling-off has elapsed', () => {
    const st = initialRiskState();
    st.scopes['binance:main'] = open({ kind: 'account', venue: 'binance', accountId: 'main' }, NOW);
    expect(coolingOff.evaluate(ctx(view(), { state: st }), settings())).toEqual([]);
  });
});
