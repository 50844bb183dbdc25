import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { accountDrawdown } from '../../../../lib/risk/rules/account-drawdown';
import { initialRiskState } from '../../../../lib/risk/state';
import { account, ctx, position, settings, view } from '../fixtures';

const withPeak = (peak: number) => {
  const st = initialRiskState();
  st.peaks['binance:main'] = peak;
  return st;
};
const run = (equity: number, peak?: number, s = settings()) =>
  accountDrawdown.evaluate(ctx(view({ account: account({ equity }) }), { state: peak === undefined ? initialRiskState() : withPeak(peak), settings: s }), s);

describe('account-drawdown', () => {
  it('is silent without a drawdown (flat account, first evaluation, new high)', () => {
    expect(run(10_000)).toEqual([]);
    expect(run(13_000, 12_000)).toEqual([]);
  });

  it('warns from 10% below the peak', () => {
    const [f] = run(10_500, 12_000);
    expect(f).toMatchObject({ severity: 'warning', action: { kind: 'alert' }, value: 12.5, limit: 15, breach: false });
    expect(formatReason(f!.reason)).toBe('Equity $10,500.00 is 12.5% below its peak $12,000.00, limit 15%.');
  });

  it('halts until a manual reset and flattens at 15%', () => {
    const [f] = run(10_000, 12_000);
    expect(f).toMatchObject({ severity: 'emergency', action: { kind: 'halt', until: 'manual', flatten: true }, breach: true });
    expect(formatReason(f!.reason)).toBe('Equity $10,000.00 is 16.67% below its peak $12,000.00, limit 15%.');
    const keep = settings({ account: { flattenOnEmergency: false } });
    expect(run(10_000, 12_000, keep)[0]!.action).toEqual({ kind: 'halt', until: 'manual', flatten: false });
  });

  it('halts at exactly 15%, though the division lands a hair under it', () => {
    // 1,000.40 -> 850.34: exactly 15 % below the peak (computed as 14.99999...).
    const [f] = run(850.34, 1_000.4);
    expect(f).toMatchObject({ severity: 'emergency', action: { kind: 'halt', until: 'manual', flatten: true }, breach: true });
    expect(formatReason(f!.reason)).toBe('Equity $850.34 is 15% below its peak $1,000.40, limit 15%.');
  });

  it('counts zero equity as a 100% drawdown, with or without positions', () => {
    const [f] = run(0, 1_000);
    expect(f).toMatchObject({ severity: 'emergency', value: 100 });
    const c = ctx(view({ account: account({ equity: 0 }), positions: [position({ side: 'short', size: -1 })] }), { state: withPeak(1_000) });
    expect(accountDrawdown.evaluate(c, settings())[0]!.value).toBe(100);
  });
});
