import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { minimumBalance } from '../../../../lib/risk/rules/minimum-balance';
import { account, ctx, settings, view } from '../fixtures';

describe('minimum-balance', () => {
  it('is silent at or above $10', () => {
    expect(minimumBalance.evaluate(ctx(view({ account: account({ walletBalance: 10 }) })), settings())).toEqual([]);
  });
  it('halts opening (not closing) below it, while the condition lasts', () => {
    const [f] = minimumBalance.evaluate(ctx(view({ account: account({ walletBalance: 5, equity: 5 }) })), settings());
    expect(f).toMatchObject({ severity: 'critical', action: { kind: 'halt', until: 'condition', flatten: false }, usedPct: 50 });
    expect(formatReason(f!.reason)).toBe('Balance $5.00 is below the minimum $10.00.');
  });
  it('halts a zero-equity, flat account', () => {
    const [f] = minimumBalance.evaluate(ctx(view({ account: account({ walletBalance: 0, equity: 0 }) })), settings());
    expect(formatReason(f!.reason)).toBe('Balance $0.00 is below the minimum $10.00.');
  });
});
