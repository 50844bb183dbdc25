/**
 * Hyperliquid's order number rules, as pure functions (the venue rejects anything else):
 * - size: at most szDecimals decimals;
 * - perp price: at most 5 significant figures and at most (6 - szDecimals) decimals; integers are always valid.
 * Strings carry no trailing zeros: the signature is over the action as sent, and "1800.0" vs "1800" hash differently.
 */

export const MAX_PERP_DECIMALS = 6;
export const MAX_SIG_FIGS = 5;

/** Trims trailing zeros (and a trailing dot) from a fixed-point string. */
export function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

function roundTo(v: number, decimals: number, mode: 'up' | 'down' | 'nearest'): string {
  const f = 10 ** decimals;
  // The epsilon absorbs binary noise (0.29 * 100 = 28.999999999999996, a few ulps) and nothing more: relative,
  // so a real value just below a step (999999.9999999) is never pushed across it.
  const scaled = v * f;
  const eps = Math.abs(scaled) * 1e-15 + 1e-12;
  const n = mode === 'up' ? Math.ceil(scaled - eps) : mode === 'down' ? Math.floor(scaled + eps) : Math.round(scaled);
  return trimZeros((n / f).toFixed(decimals));
}

/** Decimals a price may carry: 5 significant figures, capped by 6 - szDecimals. */
export function priceDecimals(px: number, szDecimals: number): number {
  const intDigits = px >= 1 ? Math.floor(Math.log10(px)) + 1 : 0;
  const sigDecimals = px >= 1 ? Math.max(0, MAX_SIG_FIGS - intDigits) : MAX_SIG_FIGS - Math.floor(Math.log10(px)) - 1;
  return Math.max(0, Math.min(MAX_PERP_DECIMALS - szDecimals, sigDecimals));
}

/** A valid perp price string, rounded in the given direction (up for a sell's floor, down for a buy's cap). */
export function formatPrice(px: number, szDecimals: number, mode: 'up' | 'down' | 'nearest' = 'nearest'): string {
  if (!Number.isFinite(px) || px <= 0) throw new RangeError(`price must be a positive number, got ${px}`);
  if (px >= 10 ** MAX_SIG_FIGS) return roundTo(px, 0, mode);
  const decimals = priceDecimals(px, szDecimals);
  const out = roundTo(px, decimals, mode);
  if (Number(out) > 0) return out;
  // Below the smallest tick: rounding up (or to nearest) gives the smallest tick; there is no valid price below.
  if (mode === 'down') throw new RangeError(`price ${px} is below the smallest tick for szDecimals ${szDecimals}`);
  return trimZeros((10 ** -decimals).toFixed(decimals));
}

/** Size rounded down to szDecimals ("0" when below one step). */
export function formatSize(sz: number, szDecimals: number): string {
  if (!Number.isFinite(sz) || sz < 0) throw new RangeError(`size must be a non-negative number, got ${sz}`);
  return roundTo(sz, szDecimals, 'down');
}

/** Whether a price string obeys the tick rules (the simulator's check, and a guard before signing). */
export function isValidPrice(p: string, szDecimals: number): boolean {
  if (!/^\d+(\.\d+)?$/.test(p)) return false;
  const [int = '', frac = ''] = p.split('.');
  if (frac.length > MAX_PERP_DECIMALS - szDecimals) return false;
  if (frac === '' || /^0*$/.test(frac)) return true; // integers are always valid
  const digits = (int.replace(/^0+/, '') + frac).replace(/^0+/, '');
  return digits.replace(/0+$/, '').length <= MAX_SIG_FIGS || digits.length <= MAX_SIG_FIGS;
}

export function isValidSize(s: string, szDecimals: number): boolean {
  if (!/^\d+(\.\d+)?$/.test(s)) return false;
  const frac = s.split('.')[1] ?? '';
  return frac.replace(/0+$/, '').length <= szDecimals;
}
