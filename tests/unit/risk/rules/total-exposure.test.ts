import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { totalExposure } from '../../../../lib/risk/rules/total-exposure';
import { account, ctx, position, settings, view } from '../fixtures';

const run = (positions: ReturnType<typeof position>[], equity = 10_000) =>
  totalExposure.evaluate(ctx(view({ account: account({ equity }), positions })), settings());

describe('total-exposure', () => {
  it('is silent on a flat account (even at zero equity) and under 30%', () => {
    expect(run([])).toEqual([]);
    expect(run([], 0)).toEqual([]);
    expect(run([position({ notional: 2_000 })])).toEqual([]);
  });

  it('warns from 30% and goes reduce-only from 50%', () => {
    const [w] = run([position({ notional: 3_500 })]);
    expect(w).toMatchObject({ severity: 'warning', action: { kind: 'alert' }, value: 35, usedPct: 70 });
    expect(formatReason(w!.reason)).toBe('Total exposure is 35% of equity, limit 50%.');
    const [c] = run([position({ notional: 4_000 }), position({ symbol: 'ETHUSDT', side: 'short', size: -1, notional: 2_000, marginMode: 'isolated' })]);
    expect(c).toMatchObject({ severity: 'critical', action: { kind: 'reduce_only' } });
    expect(formatReason(c!.reason)).toBe('Total exposure is 60% of equity, limit 50%.');
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
