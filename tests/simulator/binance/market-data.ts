/** Candles and order books around the current mark: deterministic, so tests can assert on them. */
import { BinanceReject } from './engine';
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

/** GET /fapi/v1/klines: the last candle closes at the current mark; earlier ones follow a fixed wave. */
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
  const rows: (string | number)[][] = [];
  const seed = [...symbol].reduce((a, c) => a + c.charCodeAt(0), 0);
  const price = (t: number) => mark * (1 + 0.01 * Math.sin((t / step + seed) / 7) - 0.01 * Math.sin((lastOpen / step + seed) / 7));
  for (let t = firstOpen; t <= lastOpen && rows.length < limit; t += step) {
    const open = price(t - step);
    const close = t === lastOpen ? mark : price(t);
    const high = Math.max(open, close) * 1.001;
    const low = Math.min(open, close) * 0.999;
    const vol = 100 + ((t / step + seed) % 50);
    const pp = info.pricePrecision;
    rows.push([t, fmt(open, pp), fmt(high, pp), fmt(low, pp), fmt(close, pp), fmt(vol, 3), t + step - 1, fmt(vol * close, 4), 100, fmt(vol / 2, 3), fmt((vol / 2) * close, 4), '0']);
  }
  return rows;
}

const DEPTH_LIMITS = [5, 10, 20, 50, 100, 500, 1000];

export function depth(info: SymbolInfo, mark: number, limit: number, now: number) {
  if (!DEPTH_LIMITS.includes(limit)) throw new BinanceReject(-1100, "Illegal characters found in parameter 'limit'; legal range is '5, 10, 20, 50, 100, 500, 1000'.");
  const n = Math.min(limit, 100);
  const tick = info.tickSize;
  const bids: [string, string][] = [];
  const asks: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    const size = fmt(info.stepSize * (10 + ((i * 7) % 13)) * 10, info.quantityPrecision);
    bids.push([fmt(mark - tick * (i + 1), info.pricePrecision), size]);
    asks.push([fmt(mark + tick * (i + 1), info.pricePrecision), size]);
  }
  return { lastUpdateId: now, E: now, T: now, bids, asks };
}
