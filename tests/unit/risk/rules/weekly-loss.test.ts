import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { weeklyLoss } from '../../../../lib/risk/rules/weekly-loss';
import { account, ctx, history, settings, starts, view } from '../fixtures';

const run = (equity: number, start: number | null) =>
  weeklyLoss.evaluate(
    ctx(view({ account: account({ equity }) }), { history: history({ periodStarts: start === null ? {} : { 'binance:main': starts(start) } }) }),
    settings(),
  );

describe('weekly-loss', () => {
  it('is silent under 80% of the 4% limit', () => {
    expect(run(9_700, 10_000)).toEqual([]);
  });
  it('warns from 3.2% and halts until the week ends (Monday 00:00 UTC) from 4%', () => {
    expect(run(9_650, 10_000)[0]).toMatchObject({ severity: 'warning' });
    const [e] = run(9_590, 10_000);
    expect(e).toMatchObject({ severity: 'emergency', action: { kind: 'halt', until: Date.UTC(2026, 2, 16), flatten: true } });
    expect(formatReason(e!.reason)).toBe('Weekly loss 4.1% of the equity at the period start ($10,000.00), limit 4%.');
  });
  it('says so without a start value', () => {
    expect(formatReason(run(9_000, null)[0]!.reason)).toBe('No weekly start value recorded, so the weekly loss cannot be measured.');
  });
});
