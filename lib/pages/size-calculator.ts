/**
 * Position size from a risk budget: how much to buy or sell so that a move from entry to stop loses `riskUsd`.
 * Pure, with a guard clause per degenerate input; the panel shows the numbers, it never fills the form.
 * Fees and slippage are not included: the result is the most the stop distance allows, rounded down.
 */

export interface SizeInput {
  /** Money lost if the stop is hit, in the quote currency. */
  riskUsd: number;
  entry: number;
  stop: number;
  /** Size increment in coins (Binance stepSize, Hyperliquid 10^-szDecimals); 0 = no rounding. */
  lotStep: number;
  /** Smallest accepted order notional in the quote currency; 0 = none. */
  minNotional: number;
}

export type SizeReason =
  | 'invalid-input' // NaN, infinite or negative numbers, or a non-positive entry / stop
  | 'zero-risk'
  | 'entry-equals-stop'
  | 'below-lot-step' // the budget buys less than one lot
  | 'below-min-notional'; // rounding up to the venue minimum would risk more than the budget

export interface SizeResult {
  /** Coins, a multiple of lotStep; 0 when reason is set. */
  size: number;
  /** size * entry. */
  notional: number;
  /** What the rounded size loses at the stop (<= riskUsd). */
  riskAtStop: number;
  /** long when the stop is below the entry, short when above; null when there is no direction. */
  direction: 'long' | 'short' | null;
  reason: SizeReason | null;
}

function decimals(step: number): number {
  const s = String(step);
  const e = /e-(\d+)$/.exec(s);
  if (e?.[1]) return Number(e[1]) + (s.split('e')[0]?.split('.')[1]?.length ?? 0);
  return s.split('.')[1]?.length ?? 0;
}

/** Rounds down to a multiple of step without binary-float leftovers (0.1 + 0.2 style). */
export function floorToStep(value: number, step: number): number {
  if (!(step > 0)) return value;
  const d = decimals(step);
  // The epsilon keeps 0.3 / 0.1 = 2.9999999999999996 from losing a whole lot.
  const lots = Math.floor(value / step + 1e-9);
  return Number((lots * step).toFixed(Math.min(d, 20)));
}

const none = (reason: SizeReason, direction: SizeResult['direction'] = null): SizeResult => ({
  size: 0,
  notional: 0,
  riskAtStop: 0,
  direction,
  reason,
});

export function positionSize(input: SizeInput): SizeResult {
  const { riskUsd, entry, stop, lotStep, minNotional } = input;
  const finite = [riskUsd, entry, stop, lotStep, minNotional].every(Number.isFinite);
  if (!finite || riskUsd < 0 || entry <= 0 || stop <= 0 || lotStep < 0 || minNotional < 0) return none('invalid-input');
  if (riskUsd === 0) return none('zero-risk');
  const distance = Math.abs(entry - stop);
  if (distance === 0) return none('entry-equals-stop');
  const direction = stop < entry ? 'long' : 'short';
  const size = floorToStep(riskUsd / distance, lotStep);
  if (size <= 0) return none('below-lot-step', direction);
  const notional = size * entry;
  if (notional < minNotional) return none('below-min-notional', direction);
  return { size, notional, riskAtStop: size * distance, direction, reason: null };
}

/**
 * The size of a read order in coins, for the guard's size cap: a USDT/USDC size is divided by the order's limit
 * price, or by `refPrice` (the mark) for a market order. Null when the reading or the price is missing.
 */
export function sizeInCoins(
  reading: { size: number | null; sizeUnit: 'base' | 'quote' | null; price: number | null },
  refPrice: number | null,
): number | null {
  const { size, sizeUnit } = reading;
  if (size === null || !(size >= 0)) return null;
  if (sizeUnit === 'base') return size;
  if (sizeUnit !== 'quote') return null;
  const px = reading.price ?? refPrice;
  return px !== null && px > 0 && Number.isFinite(px) ? size / px : null;
}
