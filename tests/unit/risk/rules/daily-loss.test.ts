import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { dailyLoss } from '../../../../lib/risk/rules/daily-loss';
import type { RiskSettings } from '../../../../lib/risk/settings';
import { account, ctx, history, settings, starts, view } from '../fixtures';

const run = (acc: Parameters<typeof account>[0], startEquity: number | null, s: RiskSettings = settings(), startBalance?: number) =>
  dailyLoss.evaluate(
    ctx(view({ account: account(acc) }), {
      settings: s,
      history: history({ periodStarts: startEquity === null ? {} : { 'binance:main': starts(startEquity, startBalance ?? startEquity) } }),
    }),
    s,
  );

describe('daily-loss', () => {
  it('is silent under the warning (flat account, or in profit)', () => {
    expect(run({ equity: 9_950 }, 10_000)).toEqual([]);
    expect(run({ equity: 10_500 }, 10_000)).toEqual([]);
  });

  it('warns from 1% and halts until the next day start from 2%', () => {
    const [w] = run({ equity: 9_890 }, 10_000);
    expect(w).toMatchObject({ severity: 'warning', action: { kind: 'alert' }, breach: false });
    expect(formatReason(w!.reason)).toBe('Daily loss 1.1% of the equity at the period start ($10,000.00), limit 2%.');
    const [e] = run({ equity: 9_790 }, 10_000);
    // NOW is 2026-03-10 12:00 UTC; the day (UTC, hour 0) ends 2026-03-11 00:00 UTC.
    expect(e).toMatchObject({ severity: 'emergency', action: { kind: 'halt', until: Date.UTC(2026, 2, 11), flatten: true }, breach: true });
  });

  it('halts at exactly the emergency %, though the division lands a hair under it', () => {
    // 1,068.50 -> 1,047.13: a loss of 21.37, exactly 2 % (computed as 1.9999999999999896).
    const [e] = run({ equity: 1_047.13 }, 1_068.5);
    expect(e).toMatchObject({ severity: 'emergency', action: { kind: 'halt', until: Date.UTC(2026, 2, 11), flatten: true }, breach: true });
    expect(formatReason(e!.reason)).toBe('Daily loss 2% of the equity at the period start ($1,068.50), limit 2%.');
  });

  it('follows the configured day start', () => {
    const s = settings({ account: { dayStart: { timeZone: 'Asia/Tokyo', hour: 8 } } });
    // 12:00 UTC is 21:00 in Tokyo; the trading day ends at 08:00 Tokyo = 23:00 UTC.
    const [e] = run({ equity: 9_700 }, 10_000, s);
    expect(e!.action).toEqual({ kind: 'halt', until: Date.UTC(2026, 2, 10, 23), flatten: true });
  });

  it('measures on the wallet balance or on starting balance against equity when selected', () => {
    const bal = settings({ account: { lossBasis: 'balance' } });
    const [b] = run({ equity: 10_000, walletBalance: 9_700 }, 10_000, bal);
    expect(formatReason(b!.reason)).toBe('Daily loss 3% of the wallet balance at the period start ($10,000.00), limit 2%.');
    const bme = settings({ account: { lossBasis: 'balance_minus_equity' } });
    const [m] = run({ equity: 9_850, walletBalance: 10_000 }, 10_200, bme, 10_000);
    expect(formatReason(m!.reason)).toBe('Daily loss 1.5% of the starting balance against current equity at the period start ($10,000.00), limit 2%.');
  });

  it('says so when there is no start value for today, or it is from an earlier day', () => {
    const [f] = run({ equity: 5_000 }, null);
    expect(f).toMatchObject({ severity: 'notice', value: null });
    expect(formatReason(f!.reason)).toBe('No daily start value recorded, so the daily loss cannot be measured.');
    const stale = dailyLoss.evaluate(
      ctx(view(), { history: history({ periodStarts: { 'binance:main': { daily: { equity: 20_000, walletBalance: 20_000, at: Date.UTC(2026, 2, 9, 12) } } } }) }),
      settings(),
    );
    expect(stale[0]!.reason.code).toBe('period_start_missing');
  });

  it('cannot measure against a zero start value (zero equity) and says so', () => {
    const [f] = run({ equity: 0, walletBalance: 0 }, 0);
    expect(formatReason(f!.reason)).toBe('Equity is $0.00, so the daily loss cannot be measured as a share of it.');
  });
});
