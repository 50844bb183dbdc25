/** How an order changes a position: does it add risk, and what is the position after it. */
import type { OpenOrder, OrderIntent, OrderSide, Position, PositionSide } from '../domain/types';
import { exceeds } from './compare';

/**
 * An open order that can only reduce by itself: reduce-only (a Binance close-position stop is normalized as
 * reduce-only), or in hedge mode a sell on the long side / a buy on the short side (Binance rejects the reduce-only flag
 * in hedge mode, so closing orders there do not carry it). One-way orders without the flag: see oneWayExits.
 */
export function isProtectiveOrder(o: Pick<OpenOrder, 'side' | 'reduceOnly' | 'positionSide'>): boolean {
  if (o.reduceOnly) return true;
  if (o.positionSide === null) return false;
  return (o.side === 'sell') === (o.positionSide === 'long');
}

const isStop = (o: OpenOrder) => o.type === 'stop_market' || o.type === 'stop_limit';
const remaining = (o: OpenOrder) => Math.max(0, o.size - o.filled);

/** Stop-losses first, then the largest left to fill, then the oldest, then by id (deterministic). */
function exitPriority(a: OpenOrder, b: OpenOrder): number {
  const stop = Number(isStop(b)) - Number(isStop(a));
  if (stop !== 0) return stop;
  return remaining(b) - remaining(a) || a.time - b.time || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);
}

/**
 * One-way mode orders placed without the reduce-only flag (Binance's order form leaves it off by default) that can
 * still only reduce: on the opposite side of the symbol's net position and, taken together, no larger than it. An
 * order alone no larger than the position only reduces it (as orderEffect says); several such orders together could
 * fill one after the other and open the other way, so they are kept while their running total (what is left to fill
 * of each) stays within the position: stop-losses first, then the largest, then the oldest. An order that does not
 * fit is not kept; a smaller one after it still may be. Reduce-only orders do not count against the position (the
 * venue never lets them open).
 */
export function oneWayExits(orders: readonly OpenOrder[], positions: readonly Position[]): Set<OpenOrder> {
  const kept = new Set<OpenOrder>();
  let bySymbol: Map<string, OpenOrder[]> | null = null;
  for (const o of orders) {
    if (o.reduceOnly || o.positionSide !== null) continue;
    bySymbol ??= new Map();
    const list = bySymbol.get(o.symbol);
    if (list) list.push(o);
    else bySymbol.set(o.symbol, [o]);
  }
  if (!bySymbol) return kept;
  for (const [symbol, list] of bySymbol) {
    let net = 0;
    for (const p of positions) if (p.symbol === symbol) net += p.size;
    if (net === 0) continue;
    const closing: OrderSide = net > 0 ? 'sell' : 'buy';
    const exits = list.filter((o) => o.side === closing).sort(exitPriority);
    let used = 0;
    for (const o of exits) {
      const total = used + remaining(o);
      if (exceeds(total, Math.abs(net))) continue;
      used = total;
      kept.add(o);
    }
  }
  return kept;
}

/**
 * Every open order that protects a position: the protective ones (isProtectiveOrder) and the one-way exits placed
 * without the flag (oneWayExits). What a halt keeps, a flatten keeps until its closes are done, and the view shows as
 * a position's stop. (The engine tests the two parts separately, the cheap one first, on its per-tick path.)
 */
export function protectiveOrders(orders: readonly OpenOrder[], positions: readonly Position[]): Set<OpenOrder> {
  const kept = oneWayExits(orders, positions);
  for (const o of orders) if (isProtectiveOrder(o)) kept.add(o);
  return kept;
}

export interface OrderEffect {
  /** True when any part of the order opens or adds. */
  increases: boolean;
  /** Signed base size of the affected leg before and after (one-way: the net position; hedge: the chosen side). */
  before: number;
  after: number;
  /** The venue's notional of the affected leg(s) before the order. */
  legNotional: number;
  /** Leverage and mark of the affected leg, when there is one. */
  legLeverage: number | null;
  legMark: number | null;
  /** +1 for a buy, -1 for a sell. */
  direction: 1 | -1;
  /** Hedge leg or net position moving away from zero in the order's direction (false for a flip). */
  sameDirection: boolean;
}

const dir = (side: OrderSide): 1 | -1 => (side === 'buy' ? 1 : -1);

/** The effect of buying/selling qty (base units) on the symbol's positions. */
export function orderEffect(
  intent: Pick<OrderIntent, 'symbol' | 'side' | 'reduceOnly' | 'positionSide'>,
  qty: number,
  positions: readonly Position[],
): OrderEffect {
  const d = dir(intent.side);
  let before = 0;
  let legNotional = 0;
  let legLeverage: number | null = null;
  let legMark: number | null = null;
  const hedgeSide: PositionSide | null = intent.positionSide;
  for (const p of positions) {
    if (p.symbol !== intent.symbol || p.size === 0) continue;
    if (hedgeSide !== null && p.side !== hedgeSide) continue;
    before += p.size;
    legNotional += p.notional;
    legLeverage = p.leverage;
    legMark = p.markPrice;
  }
  if (hedgeSide !== null) {
    // Hedge mode: a buy opens the long side and closes the short side; a sell the reverse.
    const opens = (hedgeSide === 'long') === (d === 1);
    const after = opens ? before + d * qty : d === 1 ? Math.min(0, before + qty) : Math.max(0, before - qty);
    return { increases: opens && !intent.reduceOnly, before, after, legNotional, legLeverage, legMark, direction: d, sameDirection: true };
  }
  if (intent.reduceOnly) {
    // The venue never lets a reduce-only order add or flip: it shrinks the position toward zero or does nothing.
    const rest = Math.max(0, Math.abs(before) - qty);
    const after = before * d < 0 ? (rest === 0 ? 0 : Math.sign(before) * rest) : before;
    return { increases: false, before, after, legNotional, legLeverage, legMark, direction: d, sameDirection: before * d >= 0 };
  }
  const after = before + d * qty;
  const increases = Math.abs(after) > Math.abs(before) || after * before < 0;
  return { increases, before, after, legNotional, legLeverage, legMark, direction: d, sameDirection: before * d >= 0 };
}

/**
 * The largest order qty that keeps |position after| <= maxAbsAfter: in the same direction it is the room left;
 * against the position it is the position itself plus the room on the other side.
 */
export function maxQtyForAbsAfter(e: OrderEffect, maxAbsAfter: number): number {
  const room = Math.max(0, maxAbsAfter);
  return e.sameDirection ? Math.max(0, room - Math.abs(e.before)) : Math.abs(e.before) + room;
}
