/** Candles and order books around the current mark: deterministic, so tests can assert on them. */
import { BinanceReject } from './engine';
import { levelFactor, syntheticCandles } from '../market-series';
import { fmt, type SymbolInfo } from './market';

const INTERVAL_MS: Record<string, number> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};

/** GET /fapi/v1/klines: the shared synthetic series (tests/simulator/market-series.ts), ending at the current mark. */
export function klines(symbol: string, info: SymbolInfo, mark: number, p: URLSearchParams, now: number) {
  const interval = p.get('interval') ?? '';
  const step = INTERVAL_MS[interval];
  if (!step) throw new BinanceReject(-1120, 'Invalid interval.');
  const limit = Math.min(1500, Math.max(1, Number(p.get('limit') ?? '500') || 500));
  const end = Number(p.get('endTime') ?? now);
  const start = p.get('startTime') !== null ? Number(p.get('startTime')) : null;
  const lastOpen = Math.floor(Math.min(end, now) / step) * step;
  let firstOpen = start !== null ? Math.ceil(start / step) * step : lastOpen - (limit - 1) * step;
  firstOpen = Math.max(firstOpen, lastOpen - 1499 * step);
  const pp = info.pricePrecision;
  return syntheticCandles(symbol, step, firstOpen, lastOpen, mark, limit).map((k) => [
    k.t,
    fmt(k.o, pp),
    fmt(k.h, pp),
    fmt(k.l, pp),
    fmt(k.c, pp),
    fmt(k.v, 3),
    k.t + step - 1,
    fmt(k.v * k.c, 4),
    20 + Math.round(k.v),
    fmt(k.v / 2, 3),
    fmt((k.v / 2) * k.c, 4),
    '0',
  ]);
}

const DEPTH_LIMITS = [5, 10, 20, 50, 100, 500, 1000];

export function depth(symbol: string, info: SymbolInfo, mark: number, limit: number, now: number) {
  if (!DEPTH_LIMITS.includes(limit)) throw new BinanceReject(-1100, "Illegal characters found in parameter 'limit'; legal range is '5, 10, 20, 50, 100, 500, 1000'.");
  const tick = info.tickSize;
  const bids: [string, string][] = [];
  const asks: [string, string][] = [];
  // As many levels as asked for (the venue sends `limit` levels a side when its book holds them).
  for (let i = 0; i < limit; i++) {
    const size = (side: 'bid' | 'ask') => fmt(info.stepSize * (10 + ((i * 7) % 13)) * 10 * levelFactor(symbol, side, i), info.quantityPrecision);
    if (mark - tick * (i + 1) > 0) bids.push([fmt(mark - tick * (i + 1), info.pricePrecision), size('bid')]);
    asks.push([fmt(mark + tick * (i + 1), info.pricePrecision), size('ask')]);
  }
  return { lastUpdateId: now, E: now, T: now, bids, asks };
}

/**
 * The tape behind GET /fapi/v1/aggTrades: one aggregate trade every TAPE_MS, its id the slot number (time / TAPE_MS),
 * priced along the 1h synthetic candle it falls in (open, then the low and high in the order the candle's direction
 * gives, then the close) and sized so each candle's trades add up to about its volume. Deterministic for a given mark.
 */
export const TAPE_MS = 300_000;
const TAPE_CANDLE_MS = 3_600_000;
const PER_CANDLE = TAPE_CANDLE_MS / TAPE_MS;

function tapeTrade(symbol: string, info: SymbolInfo, mark: number, now: number, id: number) {
  const t = id * TAPE_MS;
  const open = Math.floor(t / TAPE_CANDLE_MS) * TAPE_CANDLE_MS;
  const k = syntheticCandles(symbol, TAPE_CANDLE_MS, open, Math.floor(now / TAPE_CANDLE_MS) * TAPE_CANDLE_MS, mark, 1)[0]!;
  const path = k.c >= k.o ? [k.o, k.l, k.h, k.c] : [k.o, k.h, k.l, k.c];
  const at = (j: number) => {
    const f = (j / (PER_CANDLE - 1)) * 3;
    const s = Math.min(2, Math.floor(f));
    return path[s]! + (path[s + 1]! - path[s]!) * (f - s);
  };
  const j = (t - open) / TAPE_MS;
  const price = at(j);
  const prev = j > 0 ? at(j - 1) : price;
  const size = Math.max(info.stepSize, (k.v / PER_CANDLE) * (0.5 + ((id * 2_654_435_761) % 1000) / 1000));
  // Tick rule: a print above the previous one was bought by the aggressor (m = buyer is maker = false).
  return { a: id, p: fmt(price, info.pricePrecision), q: fmt(size, info.quantityPrecision), f: id * 3, l: id * 3 + 2, T: t, m: price < prev };
}

/** GET /fapi/v1/aggTrades (symbol, fromId, startTime, endTime, limit <= 1000), ascending ids as Binance sends them. */
export function aggTrades(symbol: string, info: SymbolInfo, mark: number, p: URLSearchParams, now: number) {
  const limit = Number(p.get('limit') ?? '500');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new BinanceReject(-1130, "Data sent for parameter 'limit' is not valid.");
  const num = (name: string) => (p.get(name) !== null ? Number(p.get(name)) : null);
  const fromId = num('fromId');
  const startTime = num('startTime');
  const endTime = num('endTime');
  if (fromId !== null && (startTime !== null || endTime !== null)) throw new BinanceReject(-1128, 'Combination of optional parameters invalid.');
  if (startTime !== null && endTime !== null && (endTime < startTime || endTime - startTime > 3_600_000)) {
    throw new BinanceReject(-1127, 'More than 1 hours between startTime and endTime.');
  }
  for (const v of [fromId, startTime, endTime]) if (v !== null && !(Number.isInteger(v) && v >= 0)) throw new BinanceReject(-1100, 'Illegal characters found in a parameter.');
  const lastId = Math.floor(now / TAPE_MS);
  let first: number;
  let last: number;
  if (fromId !== null) [first, last] = [fromId, Math.min(lastId, fromId + limit - 1)];
  else if (startTime !== null) {
    first = Math.ceil(startTime / TAPE_MS);
    last = Math.min(lastId, first + limit - 1, endTime !== null ? Math.floor(endTime / TAPE_MS) : Infinity);
  } else {
    // Only endTime (the simulator's reading: the latest trades up to it) or nothing: the latest `limit`.
    last = Math.min(lastId, endTime !== null ? Math.floor(endTime / TAPE_MS) : lastId);
    first = Math.max(0, last - limit + 1);
  }
  const out = [];
  for (let id = first; id <= last; id++) out.push(tapeTrade(symbol, info, mark, now, id));
  return out;
}
