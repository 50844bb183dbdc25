import { expect } from 'vitest';

/**
 * Asserts two input-aligned series agree: NaN (warm-up) at the same indices, values within `rel` relative error
 * (absolute below 1). Returns how many finite values were compared, so a caller can insist the check was not vacuous.
 */
export function expectSeriesClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-9, label = 'series'): number {
  expect(actual.length, `${label} length`).toBe(expected.length);
  let compared = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      expect(a, `${label}[${i}] should be warm-up NaN`).toBeNaN();
      continue;
    }
    const tol = rel * Math.max(1, Math.abs(e));
    if (!(Math.abs(a - e) <= tol)) expect.fail(`${label}[${i}]: ${a} vs ${e} (tolerance ${tol})`);
    compared++;
  }
  return compared;
}
