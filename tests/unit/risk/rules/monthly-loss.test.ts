import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { monthlyLoss } from '../../../../lib/risk/rules/monthly-loss';
import { account, ctx, history, settings, starts, view } from '../fixtures';

const run = (equity: number, start: number | null) =>
  monthlyLoss.evaluate(
    ctx(view({ account: account({ equity }) }), { history: history({ periodStarts: start === null ? {} : { 'binance:main': starts(start) } }) }),
    settings(),
  );

describe('monthly-loss', () => {
  it('is silent under 80% of the 8% limit', () => {
    expect(run(9_400, 10_000)).toEqual([]);
  });
  it('warns from 6.4% and halts until the month ends from 8%', () => {
    expect(run(9_300, 10_000)[0]).toMatchObject({ severity: 'warning' });
    const [e] = run(9_150, 10_000);
    expect(e).toMatchObject({ severity: 'emergency', action: { kind: 'halt', until: Date.UTC(2026, 3, 1), flatten: true }, breach: true });
    expect(formatReason(e!.reason)).toBe('Monthly loss 8.5% of the equity at the period start ($10,000.00), limit 8%.');
  });
  it('says so without a start value', () => {
    expect(formatReason(run(9_000, null)[0]!.reason)).toBe('No monthly start value recorded, so the monthly loss cannot be measured.');
  });
});
