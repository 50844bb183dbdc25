import { describe, expect, it } from 'vitest';
import { deriveTrading, describeEvent, initialRiskState, manualReset, tradingStateOf, type Hold, type RiskState } from '../../../lib/risk/state';
import { NOW, settings } from './fixtures';

const S = settings();
const hold = (level: Hold['level'], release: Hold['release'] = 'condition'): Hold => ({ id: 'x', rule: 'total-exposure', level, release, reason: { code: 'no_stop_loss' }, since: NOW });
const closed = { state: 'CLOSED' as const, since: NOW, until: null, lastBreachAt: null, reason: null };

describe('trading state', () => {
  it('is the most restrictive of the holds and the breaker', () => {
    expect(deriveTrading([], closed)).toBe('ACTIVE');
    expect(deriveTrading([hold('REDUCING')], closed)).toBe('REDUCING');
    expect(deriveTrading([hold('REDUCING'), hold('HALTED')], closed)).toBe('HALTED');
    expect(deriveTrading([hold('REDUCING')], { ...closed, state: 'OPEN', until: NOW + 1 })).toBe('HALTED');
    expect(deriveTrading([], { ...closed, state: 'HALF_OPEN' })).toBe('ACTIVE');
  });

  it('is ACTIVE for a scope the state does not hold', () => {
    expect(tradingStateOf(initialRiskState(), { kind: 'strategy', strategyId: 'grid' })).toBe('ACTIVE');
  });
});

describe('manual reset', () => {
  const killed = (): RiskState => {
    const st = initialRiskState();
    st.scopes['strategy:grid'] = {
      scope: { kind: 'strategy', strategyId: 'grid' },
      trading: 'HALTED',
      since: NOW,
      holds: [{ ...hold('HALTED', 'manual'), id: 'strategy-kill-switch', rule: 'strategy-kill-switch' }],
      breaker: { ...closed, state: 'OPEN', until: NOW + 1_800_000 },
    };
    st.issued['close|binance:main:BTCUSDT:long|'] = { account: 'binance:main', at: NOW, size: 1, done: false };
    st.issued['alert|strategy:grid|strategy-kill-switch:emergency'] = { account: null, at: NOW, size: null, done: false };
    st.issued['alert|strategy:grid2|strategy-kill-switch:warning'] = { account: null, at: NOW, size: null, done: false };
    return st;
  };

  it('clears the holds and the breaker, sets the baseline and records who did it', () => {
    const before = killed();
    const { nextState, event } = manualReset(before, { scope: { kind: 'strategy', strategyId: 'grid' }, actor: 'pm', note: 'new parameters', baseline: -55 }, S, NOW + 1);
    expect(nextState.scopes['strategy:grid']).toBeUndefined();
    expect(nextState.strategyBaselines).toEqual({ grid: -55 });
    expect(Object.keys(nextState.issued)).toEqual(['close|binance:main:BTCUSDT:long|', 'alert|strategy:grid2|strategy-kill-switch:warning']);
    expect(event).toMatchObject({ kind: 'manual_reset', at: NOW + 1, actor: 'pm', note: 'new parameters', breakerWas: 'OPEN', settings: S });
    expect(describeEvent(event)).toBe('Strategy grid: reset by pm (new parameters).');
    // The input state is not touched.
    expect(before).toEqual(killed());
  });

  it('resets an account and forgets its pending requests, including its symbols', () => {
    const { nextState, event } = manualReset(killed(), { scope: { kind: 'account', venue: 'binance', accountId: 'main' }, actor: 'me', note: '', baseline: 9_000 }, S, NOW);
    expect(nextState.peaks).toEqual({ 'binance:main': 9_000 });
    expect(Object.keys(nextState.issued)).not.toContain('close|binance:main:BTCUSDT:long|');
    expect(event).toMatchObject({ cleared: [], breakerWas: 'CLOSED' });
    expect(describeEvent(event)).toBe('Account main (binance): reset by me.');
  });

  it('round-trips through JSON exactly', () => {
    const st = killed();
    expect(JSON.parse(JSON.stringify(st))).toEqual(st);
  });
});
