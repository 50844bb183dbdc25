import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_SETTINGS, RiskSettingsSchema } from '../../../lib/risk/settings';
import { loosens, SETTING_FIELDS, SETTING_GROUPS } from '../../../lib/risk/settings-fields';
import { SETTING_HELP } from '../../../lib/risk/settings-help';

function leaves(v: unknown, p = ''): string[] {
  if (v && typeof v === 'object' && !Array.isArray(v)) return Object.entries(v).flatMap(([k, x]) => leaves(x, p ? `${p}.${k}` : k));
  return [p];
}

describe('settings fields', () => {
  it('describe every setting of the schema, and nothing else', () => {
    expect(Object.keys(SETTING_FIELDS).sort()).toEqual(leaves(DEFAULT_RISK_SETTINGS).sort());
  });

  it('have a help text each, kept apart from the labels (the background bundles the labels only)', () => {
    expect(Object.keys(SETTING_HELP).sort()).toEqual(Object.keys(SETTING_FIELDS).sort());
    for (const [path, text] of Object.entries(SETTING_HELP)) expect(text.length, path).toBeGreaterThan(5);
  });

  it('put every setting in a group', () => {
    for (const path of Object.keys(SETTING_FIELDS)) expect(SETTING_GROUPS.some((g) => path.startsWith(`${g.prefix}.`)), path).toBe(true);
  });

  it('the options of every choice are exactly what the schema accepts', () => {
    const at = (path: string, v: unknown) => {
      const keys = path.split('.');
      const root: Record<string, unknown> = {};
      let o = root;
      keys.slice(0, -1).forEach((k) => (o = (o[k] = {}) as Record<string, unknown>));
      o[keys.at(-1)!] = v;
      return root;
    };
    const choices = Object.entries(SETTING_FIELDS).filter(([, m]) => m.options);
    expect(choices.map(([p]) => p).sort()).toEqual([
      'account.lossBasis',
      ...['coolingOff', 'killedStrategy', 'leverageCap', 'other', 'sizeCap', 'staleData', 'tradingState'].map((c) => `guard.policy.${c}`),
      'leverage.mode',
      'position.timeInTradeAction',
      'position.trailing.mode',
    ]);
    for (const [path, meta] of choices) {
      for (const o of meta.options!) expect(RiskSettingsSchema.safeParse(at(path, o)).success, `${path}=${o}`).toBe(true);
      expect(RiskSettingsSchema.safeParse(at(path, 'not-an-option')).success).toBe(false);
      // The default is one of the options offered.
      expect(meta.options).toContain(path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], DEFAULT_RISK_SETTINGS));
    }
  });

  it('nullable fields are exactly those whose schema accepts null', () => {
    const nullable = Object.entries(SETTING_FIELDS).filter(([, m]) => m.nullable).map(([p]) => p);
    expect(nullable.sort()).toEqual(['account.correlationAutoAbove', 'position.maxTimeInTradeMin', 'position.stopLossUsd']);
    for (const p of nullable) {
      const [group, key] = p.split('.') as [string, string];
      expect(RiskSettingsSchema.safeParse({ [group]: { [key]: null } }).success, p).toBe(true);
    }
    expect(RiskSettingsSchema.safeParse({ position: { maxDrawdownPct: null } }).success).toBe(false);
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

describe('docs/settings.md', () => {
  it('is up to date with the schema and the field descriptions (npx tsx scripts/write-settings-doc.ts)', async () => {
    const { readFileSync } = await import('node:fs');
    const { renderSettingsDoc } = await import('../../../lib/risk/settings-doc');
    expect(readFileSync(new URL('../../../docs/settings.md', import.meta.url), 'utf8')).toBe(renderSettingsDoc());
  });
});
