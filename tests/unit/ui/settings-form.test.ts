import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_SETTINGS, parseRiskSettings } from '@/lib/risk/settings';
import { fromForm, issuesByField, toForm } from '@/lib/ui/settings-form';

describe('settings form', () => {
  it('round-trips every setting through the form unchanged', () => {
    const form = toForm(DEFAULT_RISK_SETTINGS);
    expect(form['behaviour.consecutiveLosses.schedule']).toBe('3:10, 5:5, 7:2');
    expect(form['position.stopLossUsd']).toBe('');
    expect(form['account.flattenOnEmergency']).toBe(true);
    const { value, errors } = fromForm(form, DEFAULT_RISK_SETTINGS);
    expect(errors).toEqual({});
    expect(parseRiskSettings(value)).toEqual(DEFAULT_RISK_SETTINGS);
  });

  it('reads the list notations, dot decimals and empty no-limit fields', () => {
    const form = {
      ...toForm(DEFAULT_RISK_SETTINGS),
      'account.correlationGroups': 'BTC ETH | SOL, AVAX',
      'behaviour.consecutiveLosses.schedule': '4:8, 6:3',
      'account.dailyLoss.warningPct': '0.75',
      'position.maxTimeInTradeMin': '',
      'rules.disabled': ['overtrading'],
    };
    const { value, errors } = fromForm(form, DEFAULT_RISK_SETTINGS);
    expect(errors).toEqual({});
    const s = parseRiskSettings(value);
    expect(s.account.correlationGroups).toEqual([
      ['BTC', 'ETH'],
      ['SOL', 'AVAX'],
    ]);
    expect(s.behaviour.consecutiveLosses.schedule).toEqual([
      { losses: 4, maxLeverage: 8 },
      { losses: 6, maxLeverage: 3 },
    ]);
    expect(s.account.dailyLoss.warningPct).toBe(0.75);
    expect(s.position.maxTimeInTradeMin).toBeNull();
    expect(s.rules.disabled).toEqual(['overtrading']);
  });

  it('reads a comma as a thousands separator and refuses one that could be a decimal mark', () => {
    const form = { ...toForm(DEFAULT_RISK_SETTINGS), 'account.minBalanceUsd': '1,000', 'sizing.balanceReferenceUsd': '12,500.5', 'position.stopLossUsd': '1,5' };
    const { value, errors } = fromForm(form, DEFAULT_RISK_SETTINGS);
    expect(errors).toEqual({ 'position.stopLossUsd': '"1,5" is ambiguous: a comma only separates thousands (10,000); write decimals with a dot (1.5).' });
    const v = value as { account: { minBalanceUsd: number }; sizing: { balanceReferenceUsd: number } };
    expect([v.account.minBalanceUsd, v.sizing.balanceReferenceUsd]).toEqual([1000, 12500.5]);
  });

  it('names the fields it cannot read', () => {
    const { errors } = fromForm(
      { ...toForm(DEFAULT_RISK_SETTINGS), 'leverage.normal': 'twenty', 'account.minBalanceUsd': '', 'account.correlationGroups': 'BTC', 'behaviour.consecutiveLosses.schedule': '3-10' },
      DEFAULT_RISK_SETTINGS,
    );
    expect(errors).toEqual({
      'leverage.normal': 'Enter a number.',
      'account.minBalanceUsd': 'Enter a number.',
      'account.correlationGroups': 'Each group needs at least two assets, e.g. BTC ETH | SOL AVAX.',
      'behaviour.consecutiveLosses.schedule': 'Write losses:max leverage steps, e.g. 3:10, 5:5, 7:2.',
    });
  });

  it('maps background issues onto their fields', () => {
    expect(
      issuesByField([
        'account.dailyLoss.warningPct: must be below account.dailyLoss.emergencyPct (3 >= 2)',
        'behaviour.consecutiveLosses.schedule.1.losses: must be above the step before it (3 <= 5)',
        'Unrecognized key: "surprise"',
      ]),
    ).toEqual({
      'account.dailyLoss.warningPct': 'must be below account.dailyLoss.emergencyPct (3 >= 2)',
      'behaviour.consecutiveLosses.schedule': '1.losses: must be above the step before it (3 <= 5)',
      '': 'Unrecognized key: "surprise"',
    });
  });
});
