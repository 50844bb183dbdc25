/**
 * The panel's position-size calculator: risk in $ and a stop give a size. Prefilled from the order form as the page
 * adapter reads it; it shows numbers only and never fills the form. Pure.
 */
import { parseDecimal } from '../pages/dom';
import type { Venue } from '../pages/match';
import { floorToStep, positionSize, type SizeReason } from '../pages/size-calculator';
import type { OrderReading } from '../pages/types';
import { DASH, leverage as leverageText, money, percent } from './risk-format';

/** The risk suggested when the form gives none: 1% of equity, the usual per-trade budget. */
export const DEFAULT_RISK_SHARE = 0.01;
/** Significant digits a size is rounded down to when the venue's lot size is unknown. */
export const SIZE_DIGITS = 4;

export interface CalcInput {
  risk: string;
  entry: string;
  stop: string;
}

export interface CalcPrefill extends CalcInput {
  leverage: number | null;
  side: OrderReading['side'];
}

const plain = (v: number) => String(Number(v.toPrecision(10)));

/**
 * From the form: the limit price (a market order has none: `mark` stands in when known), the TP/SL stop loss (or the
 * trigger of a stop order) and the leverage; the risk is DEFAULT_RISK_SHARE of equity, in whole dollars.
 */
export function prefill(
  r: Pick<OrderReading, 'price' | 'stopLoss' | 'stopPrice' | 'leverage' | 'side' | 'type'>,
  equity: number | null,
  mark: number | null = null,
): CalcPrefill {
  const entry = r.price ?? mark;
  // A stop-market order's trigger is its entry, not a stop loss: only a stop loss counts as the stop.
  const stop = r.stopLoss;
  const risk = equity !== null && equity > 0 ? Math.floor(equity * DEFAULT_RISK_SHARE) : null;
  return {
    risk: risk !== null && risk > 0 ? String(risk) : '',
    entry: entry !== null ? plain(entry) : '',
    stop: stop !== null ? plain(stop) : '',
    leverage: r.leverage,
    side: r.side,
  };
}

/** The base asset a size is counted in: BTC for BTCUSDT or BTC, NAME for xyz:NAME. */
export function baseAsset(symbol: string | null, venue: Venue): string {
  if (!symbol) return '';
  if (venue === 'hyperliquid') return symbol.includes(':') ? symbol.slice(symbol.indexOf(':') + 1) : symbol;
  return symbol.replace(/_\d{6}$/, '').replace(/(USDT|USDC|BUSD|FDUSD)$/, '') || symbol;
}

/** Rounds a size down to SIZE_DIGITS significant digits (never up: the loss at the stop stays within the budget). */
export function roundSizeDown(size: number): number {
  if (!(size > 0) || !Number.isFinite(size)) return 0;
  // Number('1e-4'), not 10 ** -4 (0.00009999999999999999 in V8), so the step has the decimals it looks like.
  const step = Number(`1e${Math.floor(Math.log10(size)) - (SIZE_DIGITS - 1)}`);
  return floorToStep(size, step);
}

const NUMBERS_ONLY = 'Numbers only: risk, entry and stop must be positive.';
const REASON_TEXT: Partial<Record<SizeReason, string>> = {
  'zero-risk': 'Set a risk above $0.',
  'entry-equals-stop': 'Entry and stop are equal: there is no distance to size from.',
};

export interface CalcResult {
  ok: boolean;
  /** "0.05155 BTC". */
  size: string;
  /** "$4,999.35". */
  notional: string;
  /** "$249.97 at 20x" (null without a leverage). */
  margin: string | null;
  /** "$99.98 (1.03% move)": what the size loses at the stop. */
  loss: string;
  direction: 'long' | 'short' | null;
  /** Why there is no size, or a caution about the input. */
  note: string | null;
}

const empty = (note: string | null, direction: CalcResult['direction'] = null): CalcResult => ({
  ok: false,
  size: DASH,
  notional: DASH,
  margin: null,
  loss: DASH,
  direction,
  note,
});

/** The size that loses `risk` $ between entry and stop, with its notional, margin at `lev` and loss at the stop. */
export function calculate(input: CalcInput, lev: number | null, base: string, side: OrderReading['side'] = null): CalcResult {
  const texts = [input.risk, input.entry, input.stop];
  if (texts.some((t) => t.trim() === '')) return empty('Enter a risk, an entry and a stop.');
  const [risk, entry, stop] = texts.map(parseDecimal);
  if (risk == null || entry == null || stop == null) return empty(NUMBERS_ONLY);
  const r = positionSize({ riskUsd: risk, entry, stop, lotStep: 0, minNotional: 0 });
  // No lot step or minimum here (unknown to the page): the venue rounds the size it gets.
  if (r.reason) return empty(REASON_TEXT[r.reason] ?? NUMBERS_ONLY, r.direction);
  const size = roundSizeDown(r.size);
  const notional = size * entry;
  const distance = Math.abs(entry - stop);
  const against =
    (side === 'buy' && r.direction === 'short') || (side === 'sell' && r.direction === 'long')
      ? `The stop is ${r.direction === 'short' ? 'above' : 'below'} the entry: this sizes a ${r.direction}, the form is set to ${side}.`
      : null;
  return {
    ok: true,
    size: `${size}${base ? ` ${base}` : ''}`,
    notional: money(notional),
    margin: lev !== null && lev > 0 ? `${money(notional / lev)} at ${leverageText(lev)}` : null,
    loss: `${money(size * distance)} (${percent((distance / entry) * 100)} move)`,
    direction: r.direction,
    note: against,
  };
}
