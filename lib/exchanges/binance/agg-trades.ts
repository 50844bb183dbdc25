/**
 * Reading a window's trades from GET /fapi/v1/aggTrades (weight 20, at most 1000 rows a call). Binance pages by
 * aggregate-trade id (fromId gives ids >= fromId, ascending); a startTime alone gives the first trades from then on. So:
 * one call finds the first id at or after the window's end, then pages back 1000 ids at a time until the window's
 * start is passed or a cap is hit. Newest first, because a capped read should show the most recent part of the window.
 */
import type { TradesRequest, TradeWindow } from '../types';
import type { AggTrade } from './normalize';

export const AGG_TRADES_LIMIT = 1000;
/** Default caps: 10 pages (10,000 trades, 200 weight, 1/12 of a minute's budget) plus the call that finds the end. */
export const TRADE_PAGES_DEFAULT = 10;
export const TRADES_DEFAULT = 10_000;

export type AggTradesRead = (params: { fromId?: number; startTime?: number; limit: number }) => Promise<AggTrade[]>;

export async function readTradeWindow(read: AggTradesRead, req: TradesRequest): Promise<TradeWindow> {
  const { start, end } = req;
  const maxTrades = Math.max(1, req.maxTrades ?? TRADES_DEFAULT);
  const maxPages = Math.max(1, req.maxCalls ?? TRADE_PAGES_DEFAULT);
  const kept: AggTrade[] = [];
  let calls = 0;
  let pages = 0;
  let complete = false;
  const take = (rows: readonly AggTrade[], below: number) => {
    for (const r of rows) if (r.id < below && r.time < end && r.time >= start) kept.push(r);
    if (rows.some((r) => r.id < below && r.time < start)) complete = true;
  };

  // The first trade at or after the end bounds the ids; none means the window reaches the latest trade.
  calls++;
  const after = await read({ startTime: end, limit: 1 });
  let below: number;
  if (after.length > 0) below = after[0]!.id;
  else {
    calls++;
    pages++;
    const latest = await read({ limit: AGG_TRADES_LIMIT });
    if (latest.length === 0) return { trades: [], from: start, to: end, complete: true, calls };
    below = Math.max(...latest.map((r) => r.id)) + 1;
    take(latest, below);
    below = Math.min(...latest.map((r) => r.id));
  }
  while (!complete && below > 0 && pages < maxPages && kept.length < maxTrades) {
    const fromId = Math.max(0, below - AGG_TRADES_LIMIT);
    calls++;
    pages++;
    const rows = await read({ fromId, limit: below - fromId });
    if (rows.length === 0) break;
    take(rows, below);
    below = Math.min(...rows.map((r) => r.id));
  }
  // Id 0 is the symbol's first trade: nothing older exists.
  if (below <= 0) complete = true;
  kept.sort((a, b) => a.id - b.id);
  const trades = kept.slice(Math.max(0, kept.length - maxTrades)).map(({ time, price, size, side }) => ({ time, price, size, side }));
  if (kept.length > maxTrades) complete = false;
  return { trades, from: complete ? start : (trades[0]?.time ?? end), to: end, complete, calls };
}
