/**
 * Comparing a measured value with its limit. Percentages computed from money in floating point land a hair off the
 * exact value (a loss of 21.37 on 1,068.50 is exactly 2 %, but computes as 1.9999999999999896), so "at the limit"
 * would fail about half the time. Every limit check goes through these two, with a tolerance of LIMIT_TOLERANCE of
 * the limit: far above floating-point rounding (about 1e-15 relative) and far below a cent of any account's equity.
 */

/** Relative to the limit. */
export const LIMIT_TOLERANCE = 1e-9;

const slack = (limit: number) => (Number.isFinite(limit) ? Math.abs(limit) * LIMIT_TOLERANCE : 0);

/** value >= limit, within the tolerance: the value has reached the limit. */
export function reaches(value: number, limit: number): boolean {
  return value >= limit - slack(limit);
}

/** value > limit beyond the tolerance: the value is over the limit. */
export function exceeds(value: number, limit: number): boolean {
  return value > limit + slack(limit);
}
