import { describe, expect, it } from 'vitest';
import { exceeds, reaches } from '../../../lib/risk/compare';

describe('limit comparisons', () => {
  it('count a value computed a hair under its limit as at it', () => {
    const daily = ((1_068.5 - 1_047.13) / 1_068.5) * 100;
    expect(daily).toBeLessThan(2); // 1.9999999999999896
    expect(reaches(daily, 2)).toBe(true);
    expect(exceeds(daily, 2)).toBe(false);
    const drawdown = ((1_000.4 - 850.34) / 1_000.4) * 100;
    expect(reaches(drawdown, 15)).toBe(true);
  });

  it('keep a cent of equity apart: a cent short of the limit has not reached it, a cent over exceeds it', () => {
    // On a $1,000,000 account 2 % is $20,000: $19,999.99 lost is under, $20,000.01 is over.
    expect(reaches((19_999.99 / 1_000_000) * 100, 2)).toBe(false);
    expect(exceeds((20_000.01 / 1_000_000) * 100, 2)).toBe(true);
    expect(exceeds(50, 50)).toBe(false);
    expect(reaches(50, 50)).toBe(true);
  });

  it('never pass on NaN, and leave an infinite limit unreachable', () => {
    expect(reaches(Number.NaN, 2)).toBe(false);
    expect(exceeds(Number.NaN, 2)).toBe(false);
    expect(reaches(1e300, Infinity)).toBe(false);
    expect(reaches(Infinity, 100)).toBe(true);
  });
});
