import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { totalExposure } from '../../../../lib/risk/rules/total-exposure';
import { validate } from '../../../../lib/risk/validate';
import { initialRiskState } from '../../../../lib/risk/state';
import { NOW, account, ctx, intent, position, settings, snapshot, view } from '../fixtures';

const run = (positions: ReturnType<typeof position>[], equity = 10_000) =>
  totalExposure.evaluate(ctx(view({ account: account({ equity }), positions })), settings());

describe('total-exposure', () => {
  it('is silent on a flat account (even at zero equity) and under 30%', () => {
    expect(run([])).toEqual([]);
    expect(run([], 0)).toEqual([]);
    expect(run([position({ notional: 2_000 })])).toEqual([]);
  });

  it('warns from 30% and goes reduce-only above 50%', () => {
    const [w] = run([position({ notional: 3_500 })]);
    expect(w).toMatchObject({ severity: 'warning', action: { kind: 'alert' }, value: 35, usedPct: 70 });
    expect(formatReason(w!.reason)).toBe('Total exposure is 35% of equity, limit 50%.');
    const [c] = run([position({ notional: 4_000 }), position({ symbol: 'ETHUSDT', side: 'short', size: -1, notional: 2_000, marginMode: 'isolated' })]);
    expect(c).toMatchObject({ severity: 'critical', action: { kind: 'reduce_only' } });
    expect(formatReason(c!.reason)).toBe('Total exposure is 60% of equity, limit 50%.');
  });

  it('agrees with the pre-trade check: an order landing exactly at the limit passes and leaves the account active', () => {
    const sol = position({ symbol: 'SOLUSDT', size: 47, notional: 4_700 });
    // Buying 3 BTC at 100 takes gross notional to 5,000: exactly 50% of equity.
    const r = validate(intent({ size: 3, stopLoss: null }), snapshot({ view: view({ positions: [sol] }) }), initialRiskState(), settings(), NOW);
    expect(r.decision).toBe('warn');
    expect(r.reasons.map((x) => formatReason(x.reason))).toEqual([
      'After this order total exposure would be 50% of equity, warning at 30%.',
      'No stop loss on this order, so its risk cannot be measured.',
    ]);
    const [at] = run([sol, position({ size: 3, notional: 300 })]);
    expect(at).toMatchObject({ severity: 'warning', action: { kind: 'alert' }, value: 50, usedPct: 100 });
    // A cent over: reduce-only, as the pre-trade check would have blocked it.
    const [over] = run([sol, position({ size: 3, notional: 300.01 })]);
    expect(over).toMatchObject({ severity: 'critical', action: { kind: 'reduce_only' } });
  });

  it('counts both legs of a hedge (gross, not net)', () => {
    const legs = [position({ side: 'long', hedged: true, notional: 3_000 }), position({ side: 'short', size: -1, hedged: true, notional: 3_000 })];
    expect(run(legs)[0]!.value).toBe(60);
  });

  it('says so when equity is zero with positions open', () => {
    const [f] = run([position({ notional: 100 })], 0);
    expect(f).toMatchObject({ severity: 'critical', action: { kind: 'reduce_only' }, value: null });
    expect(formatReason(f!.reason)).toBe('Equity is $0.00, so the total exposure cannot be measured as a share of it.');
  });
});
