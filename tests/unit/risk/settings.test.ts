import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_SETTINGS as D, RiskSettingsError, parseRiskSettings } from '../../../lib/risk/settings';

const problems = (input: unknown): string[] => {
  try {
    parseRiskSettings(input);
  } catch (e) {
    if (e instanceof RiskSettingsError) return e.problems;
    throw e;
  }
  throw new Error('expected the settings to be rejected');
};

describe('risk settings', () => {
  it('defaults every field to the values in the issue', () => {
    expect(D.account.peakDrawdown).toEqual({ warningPct: 10, emergencyPct: 15 });
    expect(D.account.dailyLoss).toEqual({ warningPct: 1, emergencyPct: 2 });
    expect([D.account.weeklyLossPct, D.account.monthlyLossPct]).toEqual([4, 8]);
    expect(D.account.exposure).toMatchObject({ warningPct: 30, limitPct: 50 });
    expect(D.account.minBalanceUsd).toBe(10);
    expect(D.account.riskScore).toEqual({ noticeAt: 60, warningAt: 80, emergencyAt: 95 });
    expect([D.leverage.normal, D.leverage.conservative, D.leverage.emergency]).toEqual([20, 10, 5]);
    expect(D.leverage.riskLevels).toEqual({
      MINIMAL: { baseSizePct: 2, maxLeverage: 20 },
      LOW: { baseSizePct: 1, maxLeverage: 15 },
      MEDIUM: { baseSizePct: 0.5, maxLeverage: 10 },
      HIGH: { baseSizePct: 0.25, maxLeverage: 5 },
      CRITICAL: { baseSizePct: 0.25, maxLeverage: 5 },
    });
    expect(D.strategyDefaults).toEqual({ riskPerTradePct: 1, stopLossUsd: 5, maxDrawdownUsd: 50, enabled: true });
    expect(D.account.dayStart).toEqual({ timeZone: 'UTC', hour: 0, weekStartsOn: 1 });
  });

  it('fills a partial section from its defaults and keeps what was given', () => {
    const s = parseRiskSettings({ account: { dailyLoss: { warningPct: 0.5 } } });
    expect(s.account.dailyLoss).toEqual({ warningPct: 0.5, emergencyPct: 2 });
    expect(s.account.peakDrawdown.emergencyPct).toBe(15);
  });

  it('rejects a warning at or above its emergency, naming the field', () => {
    expect(problems({ account: { dailyLoss: { warningPct: 3 } } })).toEqual([
      'account.dailyLoss.warningPct: must be below account.dailyLoss.emergencyPct (3 >= 2)',
    ]);
    expect(problems({ account: { peakDrawdown: { warningPct: 15 } } })).toEqual([
      'account.peakDrawdown.warningPct: must be below account.peakDrawdown.emergencyPct (15 >= 15)',
    ]);
    expect(problems({ account: { riskScore: { warningAt: 96 } } })).toEqual([
      'account.riskScore.warningAt: must be below account.riskScore.emergencyAt (96 >= 95)',
    ]);
  });

  it('rejects negative limits, unknown keys and unknown time zones, naming the field', () => {
    expect(problems({ account: { minBalanceUsd: -1 } })).toEqual(['account.minBalanceUsd: Too small: expected number to be >=0']);
    expect(problems({ leverage: { normal: -5 } })[0]).toMatch(/^leverage\.normal: /);
    expect(problems({ account: { dailyLos: {} } })).toEqual(['account: Unrecognized key: "dailyLos"']);
    expect(problems({ account: { dayStart: { timeZone: 'Mars/Olympus' } } })).toEqual(['account.dayStart.timeZone: is not a known IANA time zone']);
  });

  it('rejects leverage tiers out of order', () => {
    expect(problems({ leverage: { conservative: 25 } })).toEqual(['leverage.conservative: must not exceed leverage.normal (25 > 20)']);
    expect(problems({ leverage: { riskLevels: { HIGH: { maxLeverage: 12 } } } })).toEqual([
      'leverage.riskLevels.HIGH.maxLeverage: must not exceed the level below it (12 > 10)',
    ]);
  });

  it('rejects a period limit below a shorter one and a losing-streak schedule out of order', () => {
    expect(problems({ account: { weeklyLossPct: 10 } })).toEqual(['account.weeklyLossPct: must not exceed account.monthlyLossPct (10 > 8)']);
    expect(problems({ behaviour: { consecutiveLosses: { schedule: [{ losses: 3, maxLeverage: 5 }, { losses: 4, maxLeverage: 8 }] } } })).toEqual([
      'behaviour.consecutiveLosses.schedule.1.maxLeverage: must not exceed the step before it (8 > 5)',
    ]);
    expect(problems({ behaviour: { consecutiveLosses: { threshold: 4 } } })).toEqual([
      'behaviour.consecutiveLosses.schedule.0.losses: must not be below behaviour.consecutiveLosses.threshold (3 < 4)',
    ]);
  });

  it('rejects a rule id it does not know', () => {
    expect(problems({ rules: { disabled: ['no-such-rule'] } })[0]).toMatch(/^rules\.disabled\.0: /);
  });
});
