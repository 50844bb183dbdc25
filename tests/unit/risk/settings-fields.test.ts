import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_SETTINGS } from '../../../lib/risk/settings';
import { loosens, SETTING_FIELDS, SETTING_GROUPS } from '../../../lib/risk/settings-fields';

function leaves(v: unknown, p = ''): string[] {
  if (v && typeof v === 'object' && !Array.isArray(v)) return Object.entries(v).flatMap(([k, x]) => leaves(x, p ? `${p}.${k}` : k));
  return [p];
}

describe('settings fields', () => {
  it('describe every setting of the schema, and nothing else', () => {
    expect(Object.keys(SETTING_FIELDS).sort()).toEqual(leaves(DEFAULT_RISK_SETTINGS).sort());
  });

  it('put every setting in a group', () => {
    for (const path of Object.keys(SETTING_FIELDS)) expect(SETTING_GROUPS.some((g) => path.startsWith(`${g.prefix}.`)), path).toBe(true);
  });

  it('units follow the field names', () => {
    for (const [path, meta] of Object.entries(SETTING_FIELDS)) {
      if (/Pct$/.test(path)) expect(meta.unit, path).toBe('%');
      if (/Usd$/.test(path)) expect(meta.unit, path).toBe('$');
      if (/Min$/.test(path)) expect(meta.unit, path).toBe('min');
      if (/Sec$/.test(path)) expect(meta.unit, path).toBe('s');
    }
  });

  it.each([
    ['account.dailyLoss.emergencyPct', 2, 3, true],
    ['account.dailyLoss.emergencyPct', 2, 1.5, false],
    ['account.minBalanceUsd', 10, 5, true],
    ['account.minBalanceUsd', 10, 50, false],
    ['leverage.normal', 20, 25, true],
    ['position.stopLossUsd', 100, null, true], // null is no limit
    ['position.stopLossUsd', null, 100, false],
    ['account.flattenOnEmergency', true, false, true],
    ['account.flattenOnEmergency', false, true, false],
    ['leverage.mode', 'auto', 'normal', true],
    ['rules.disabled', [], ['overtrading'], true],
    ['rules.disabled', ['overtrading'], [], false],
    ['account.dailyLoss.emergencyPct', 2, 2, false],
  ] as const)('%s %j -> %j loosens: %s', (path, from, to, expected) => {
    expect(loosens(path, from, to)).toBe(expected);
  });
});
