import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RISK_SCORE_WEIGHTS, riskLevelFor, riskScore, type RiskScoreInputs } from '../../../lib/risk/score';

const zero: RiskScoreInputs = { drawdownUse: 0, dailyLossUse: 0, exposureUse: 0, leverageUse: 0, concentration: 0, volatilityUse: 0 };
const keys = Object.keys(zero) as (keyof RiskScoreInputs)[];
const input = fc.record(Object.fromEntries(keys.map((k) => [k, fc.double({ min: -1, max: 3, noNaN: true })])) as Record<keyof RiskScoreInputs, fc.Arbitrary<number>>);

describe('risk score', () => {
  it('follows the documented weights: 0 when calm, 100 when every input is used up', () => {
    expect(riskScore(zero)).toBe(0);
    expect(riskScore({ drawdownUse: 1, dailyLossUse: 1, exposureUse: 1, leverageUse: 1, concentration: 1, volatilityUse: 1 })).toBe(100);
    expect(riskScore({ ...zero, drawdownUse: 0.5 })).toBe(12.5);
    expect(riskScore({ ...zero, exposureUse: 2 })).toBe(20); // clamped at 1
    expect(Object.values(RISK_SCORE_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('stays within 0..100 and never falls when any input rises (property)', () => {
    fc.assert(
      fc.property(input, fc.constantFrom(...keys), fc.double({ min: 0, max: 2, noNaN: true }), (i, key, bump) => {
        const base = riskScore(i);
        const more = riskScore({ ...i, [key]: i[key] + bump });
        expect(base).toBeGreaterThanOrEqual(0);
        expect(base).toBeLessThanOrEqual(100);
        expect(more).toBeGreaterThanOrEqual(base);
      }),
    );
  }, 30_000);

  it('maps scores to risk levels in bands of 20', () => {
    expect([0, 19.9, 20, 45, 60, 79.9, 80, 100].map(riskLevelFor)).toEqual(['MINIMAL', 'MINIMAL', 'LOW', 'MEDIUM', 'HIGH', 'HIGH', 'CRITICAL', 'CRITICAL']);
  });
});
