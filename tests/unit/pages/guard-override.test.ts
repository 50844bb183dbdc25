import { describe, expect, it } from 'vitest';
import {
  armPass,
  BLOCK_CATEGORIES,
  DEFAULT_GUARD_SETTINGS,
  overrideStatus,
  PASS_MS,
  passCovers,
  policyFor,
  takePass,
  type OverrideState,
} from '@/lib/pages/guard-override';
import { DEFAULT_RISK_SETTINGS, parseRiskSettings, RiskSettingsSchema } from '@/lib/risk/settings';

const T0 = 1_000_000;

describe('override policy settings', () => {
  it('the content scripts’ defaults are the schema’s, and every category has a policy', () => {
    expect(DEFAULT_GUARD_SETTINGS).toEqual(DEFAULT_RISK_SETTINGS.guard);
    expect(Object.keys(DEFAULT_RISK_SETTINGS.guard.policy).sort()).toEqual([...BLOCK_CATEGORIES].sort());
    expect(DEFAULT_RISK_SETTINGS.guard).toEqual({
      policy: { tradingState: 'never', killedStrategy: 'never', coolingOff: 'never', leverageCap: 'typed', sizeCap: 'typed', staleData: 'countdown', other: 'typed' },
      countdownSec: 10,
      phrase: 'OVERRIDE',
    });
  });

  it('refuses what the dialog could not honour', () => {
    expect(RiskSettingsSchema.safeParse({ guard: { policy: { sizeCap: 'sometimes' } } }).success).toBe(false);
    expect(RiskSettingsSchema.safeParse({ guard: { countdownSec: 0 } }).success).toBe(false);
    expect(RiskSettingsSchema.safeParse({ guard: { phrase: '   ' } }).success).toBe(false);
    expect(RiskSettingsSchema.safeParse({ guard: { extra: 1 } }).success).toBe(false);
    expect(parseRiskSettings({ guard: { phrase: ' I ACCEPT ' } }).guard.phrase).toBe('I ACCEPT');
  });

  it('picks the strictest policy among the block categories: never > typed > countdown', () => {
    const g = DEFAULT_GUARD_SETTINGS;
    expect(policyFor(['staleData'], g)).toBe('countdown');
    expect(policyFor(['staleData', 'leverageCap'], g)).toBe('typed');
    expect(policyFor(['sizeCap', 'tradingState', 'staleData'], g)).toBe('never');
    expect(policyFor([], g)).toBe('typed'); // a block without a category: "other"
    expect(policyFor(['leverageCap'], { ...g, policy: { ...g.policy, leverageCap: 'countdown' } })).toBe('countdown');
  });
});

describe('overrideStatus: the dialog as a state machine', () => {
  const block = (over: Partial<OverrideState>): OverrideState => ({ decision: 'block', policy: 'never', openedAt: T0, countdownSec: 10, phrase: 'OVERRIDE', typed: '', ...over });

  it('warn: "Place anyway" at once', () => {
    expect(overrideStatus(block({ decision: 'warn', policy: null }), T0)).toEqual({ offered: true, enabled: true, secondsLeft: null, phrase: null });
  });

  it('never: no override at all, whatever the time or the text', () => {
    expect(overrideStatus(block({ typed: 'OVERRIDE' }), T0 + 60_000)).toEqual({ offered: false, enabled: false, secondsLeft: null, phrase: null });
  });

  it('countdown: disabled with the seconds left, enabled once they have run', () => {
    const s = block({ policy: 'countdown' });
    expect(overrideStatus(s, T0)).toMatchObject({ offered: true, enabled: false, secondsLeft: 10 });
    expect(overrideStatus(s, T0 + 1)).toMatchObject({ enabled: false, secondsLeft: 10 });
    expect(overrideStatus(s, T0 + 9_001)).toMatchObject({ enabled: false, secondsLeft: 1 });
    expect(overrideStatus(s, T0 + 10_000)).toMatchObject({ enabled: true, secondsLeft: 0 });
    expect(overrideStatus(s, T0 + 99_000)).toMatchObject({ enabled: true, secondsLeft: 0 });
  });

  it('typed: enabled only when the phrase matches exactly (case-sensitive, outer spaces ignored)', () => {
    const s = block({ policy: 'typed' });
    expect(overrideStatus(s, T0)).toEqual({ offered: true, enabled: false, secondsLeft: null, phrase: 'OVERRIDE' });
    expect(overrideStatus({ ...s, typed: 'override' }, T0).enabled).toBe(false);
    expect(overrideStatus({ ...s, typed: 'OVERRID' }, T0).enabled).toBe(false);
    expect(overrideStatus({ ...s, typed: ' OVERRIDE ' }, T0).enabled).toBe(true);
  });
});

describe('one-shot pass', () => {
  const button = { isConnected: true };
  const other = { isConnected: true };
  const click = (over: Partial<{ button: { isConnected: boolean }; label: string; key: string }> = {}) => ({ button, label: 'Buy/Long', key: 'k1', ...over });

  it('lets exactly the next click on the same button, for the same order, through', () => {
    const pass = armPass(button, 'Buy/Long', 'k1', T0);
    expect(pass.expiresAt).toBe(T0 + PASS_MS);
    expect(PASS_MS).toBe(10_000);
    const first = takePass(pass, click(), T0 + 1_000);
    expect(first).toEqual({ allow: true, next: null });
    expect(takePass(first.next, click(), T0 + 1_001)).toEqual({ allow: false, next: null });
  });

  it('expires after PASS_MS', () => {
    const pass = armPass(button, 'Buy/Long', 'k1', T0);
    expect(takePass(pass, click(), T0 + PASS_MS - 1).allow).toBe(true);
    expect(takePass(pass, click(), T0 + PASS_MS)).toEqual({ allow: false, next: null });
  });

  it('a click on another button leaves the pass; a changed order on the same button voids it', () => {
    const pass = armPass(button, 'Buy/Long', 'k1', T0);
    expect(takePass(pass, click({ button: other, label: 'Sell/Short' }), T0 + 1)).toEqual({ allow: false, next: pass });
    expect(takePass(pass, click({ key: 'k2' }), T0 + 1)).toEqual({ allow: false, next: null });
  });

  it('a re-rendered button (the old one gone from the page) with the same label still counts', () => {
    const gone = { isConnected: false };
    const pass = armPass(gone, 'Buy/Long', 'k1', T0);
    expect(takePass(pass, click({ button: other }), T0 + 1).allow).toBe(true);
    expect(takePass(pass, click({ button: other, label: 'Sell/Short' }), T0 + 1).allow).toBe(false);
    // While the old button is still on the page, another button never takes its pass.
    expect(takePass(armPass(button, 'Buy/Long', 'k1', T0), click({ button: other }), T0 + 1).allow).toBe(false);
  });

  it('Enter checks the pass without taking it (the click it leads to takes it)', () => {
    const pass = armPass(button, 'Buy/Long', 'k1', T0);
    expect(passCovers(pass, click(), T0 + 1)).toBe(true);
    expect(passCovers(pass, click({ key: 'k2' }), T0 + 1)).toBe(false);
    expect(passCovers(null, click(), T0 + 1)).toBe(false);
    expect(takePass(pass, click(), T0 + 2).allow).toBe(true);
  });
});
