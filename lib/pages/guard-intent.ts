/**
 * The order guard's first step: the order form as read at click time (OrderReading) -> the domain's OrderIntent that
 * lib/risk validate() checks. Pure; the content script reads the form with adapter.readOrder and passes it here.
 */
import type { OrderIntent } from '../domain/types';
import type { OrderReading } from './types';

/** Orders placed by hand on the exchange page belong to the manual strategy. */
export const GUARD_STRATEGY = 'manual';

/** The fields without which there is no order to check. */
export type IntentGap = 'symbol' | 'side' | 'size';

export type IntentResult = { ok: true; intent: OrderIntent } | { ok: false; missing: IntentGap[] };

/**
 * Builds the intent. The size counts in the unit the toggle shows (a USDT/USDC size is 'quote': validate() values it
 * at the order's price); an unread unit counts as coins. An unread order type is a limit when the form shows a
 * price, else a market order. In hedge mode the position side comes from the button (Open Long, Close Short, ...),
 * and a close is reduce-only (readOrder sets that); in one-way mode there is no position side.
 */
export function intentFromReading(r: OrderReading, accountId: string | null): IntentResult {
  const missing: IntentGap[] = [];
  if (!r.symbol) missing.push('symbol');
  if (!r.side) missing.push('side');
  if (r.size === null || !(r.size > 0)) missing.push('size');
  if (!r.symbol || !r.side || r.size === null || missing.length) return { ok: false, missing };
  return {
    ok: true,
    intent: {
      venue: r.venue,
      accountId,
      symbol: r.symbol,
      side: r.side,
      type: r.type ?? (r.price !== null ? 'limit' : 'market'),
      size: r.size,
      sizeUnit: r.sizeUnit ?? 'base',
      price: r.price,
      stopPrice: r.stopPrice,
      leverage: r.leverage,
      reduceOnly: r.reduceOnly,
      positionSide: r.positionMode === 'hedge' ? r.positionSide : null,
      strategyId: GUARD_STRATEGY,
      stopLoss: r.stopLoss,
    },
  };
}

/** Whether an intent can only shrink a position whatever the account holds: reduce-only, or a hedge-mode close. */
export function isExitOnly(i: OrderIntent): boolean {
  if (i.reduceOnly) return true;
  if (i.positionSide === null) return false;
  return (i.side === 'sell') === (i.positionSide === 'long');
}

/**
 * Identifies an order as the form showed it, for the one-shot pass: an override is for that order, and a pass does
 * not carry over to a changed size, price, leverage, side or symbol.
 */
export function intentKey(i: OrderIntent): string {
  return [i.venue, i.symbol, i.side, i.type, i.size, i.sizeUnit, i.price, i.stopPrice, i.leverage, i.reduceOnly, i.positionSide, i.stopLoss ?? null].join('|');
}

// Button labels that name the side themselves (Buy/Long, Open Short, 平多); Hyperliquid's is just "Place Order".
const SIDE_LABEL = /buy|sell|long|short|买|卖|多|空/i;

/** What to call the order's side: the button's label when it names the side, else Buy / Sell. */
export const orderWord = (label: string, side: OrderIntent['side']): string => (SIDE_LABEL.test(label) ? label : side === 'buy' ? 'Buy' : 'Sell');

/** "Buy/Long 0.01 BTC on BTCUSDT, limit 97000, 20x": how the dialog names the order. */
export function describeIntent(i: OrderIntent, label: string, sizeAsset: string | null): string {
  const asset = sizeAsset ?? (i.sizeUnit === 'quote' ? 'USD' : null);
  const size = `${fmt(i.size)}${asset ? ` ${asset}` : ''}`;
  const on = i.symbol !== asset ? ` on ${i.symbol}` : '';
  const kind = i.type.replace(/_/g, ' ');
  const at = i.price !== null ? ` ${fmt(i.price)}` : i.stopPrice !== null ? ` trigger ${fmt(i.stopPrice)}` : '';
  const lev = i.leverage !== null ? `, ${fmt(i.leverage)}x` : '';
  const ro = i.reduceOnly ? ', reduce-only' : '';
  return `${orderWord(label, i.side)} ${size}${on}, ${kind}${at}${lev}${ro}`;
}

const fmt = (v: number) => String(Number(v.toPrecision(8)));
