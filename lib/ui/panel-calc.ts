/**
 * The panel's position-size calculator: risk in $ and a stop give a size. Prefilled from the order form as the page
 * adapter reads it; it shows numbers only and never fills the form. Pure.
 */
import { parseDecimal } from '../pages/dom';
import type { Venue } from '../pages/match';
import { floorToStep, positionSize, type SizeReason } from '../pages/size-calculator';
import type { OrderReading } from '../pages/types';
import type { GuardAccount } from '../messaging/risk-view';
import { DASH, leverage as leverageText, money, percent } from './risk-format';

/** The risk suggested when the form gives none: 1% of equity, the usual per-trade budget (within RiskCap). */
export const DEFAULT_RISK_SHARE = 0.01;

/** What the guard lets one trade lose at its stop: the lower of its two limits, and which one that is. */
export interface RiskCap {
  usd: number;
  /** "the strategy's stop loss per trade ($5.00)". */
  text: string;
}

/**
 * The guard's loss-at-the-stop budget from its envelope (lib/pages/guard-verdict: the stop loss per trade of the
 * strategy it checks orders against, and sizing.maxLossAtStopPct of equity). null while the guard has no envelope.
 */
export function riskCap(e: Pick<GuardAccount, 'stopLossUsd' | 'maxLossAtStopPct' | 'equity'> | null): RiskCap | null {
  if (!e) return null;
  const share = e.equity > 0 ? (e.equity * e.maxLossAtStopPct) / 100 : 0;
  return e.stopLossUsd <= share
    ? { usd: e.stopLossUsd, text: `the strategy's stop loss per trade (${money(e.stopLossUsd)})` }
    : { usd: share, text: `${percent(e.maxLossAtStopPct)} of equity per trade at the stop (${money(share)})` };
}

/** Cents, rounded down: a suggestion at the cap never lands a hair above it. */
const floorCents = (v: number) => Math.floor(v * 100 + 1e-9) / 100;
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
 * trigger of a stop order) and the leverage; the risk is DEFAULT_RISK_SHARE of equity in whole dollars, at most the
 * guard's cap.
 */
export function prefill(
  r: Pick<OrderReading, 'price' | 'stopLoss' | 'stopPrice' | 'leverage' | 'side' | 'type'>,
  equity: number | null,
  mark: number | null = null,
  cap: RiskCap | null = null,
): CalcPrefill {
  const entry = r.price ?? mark;
  // A stop-market order's trigger is its entry, not a stop loss: only a stop loss counts as the stop.
  const stop = r.stopLoss;
  const share = equity !== null && equity > 0 ? Math.floor(equity * DEFAULT_RISK_SHARE) : null;
  const risk = share !== null && cap !== null && cap.usd < share ? floorCents(cap.usd) : share;
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

/**
 * The size that loses `risk` $ between entry and stop, with its notional, margin at `lev` and loss at the stop. A risk
 * above the guard's cap is sized at the cap, and the note says which limit that is: the guard would block more.
 */
export function calculate(input: CalcInput, lev: number | null, base: string, side: OrderReading['side'] = null, cap: RiskCap | null = null): CalcResult {
  const texts = [input.risk, input.entry, input.stop];
  if (texts.some((t) => t.trim() === '')) return empty('Enter a risk, an entry and a stop.');
  const [asked, entry, stop] = texts.map(parseDecimal);
  if (asked == null || entry == null || stop == null) return empty(NUMBERS_ONLY);
  const capped = cap !== null && asked > cap.usd;
  const risk = capped ? cap.usd : asked;
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
  const limited = capped ? `Sized for ${money(risk)}, not ${money(asked)}: the guard allows ${cap.text}.` : null;
  return {
    ok: true,
    size: `${size}${base ? ` ${base}` : ''}`,
    notional: money(notional),
    margin: lev !== null && lev > 0 ? `${money(notional / lev)} at ${leverageText(lev)}` : null,
    loss: `${money(size * distance)} (${percent((distance / entry) * 100)} move)`,
    direction: r.direction,
    note: limited && against ? `${limited} ${against}` : (limited ?? against),
  };
}
