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
