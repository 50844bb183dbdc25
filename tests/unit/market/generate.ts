/** Deterministic generated market data for the market-analysis tests (fixed seeds: every run sees the same series). */
import type { Candle, Trade } from '../../../lib/domain/market';
import { seededRandom as rng } from '../../support/seeded-random';

export { rng };


export const MINUTE = 60_000;
/** 2026-01-01T00:00Z: a session boundary. */
export const T0 = Date.UTC(2026, 0, 1);

/** Random walk with drift (relative, per bar) and volatility (relative). */
export function randomWalk(n: number, seed = 1, opts: { start?: number; drift?: number; vol?: number; intervalMs?: number } = {}): Candle[] {
  const r = rng(seed);
  const { start = 100, drift = 0, vol = 0.01, intervalMs = MINUTE } = opts;
  const out: Candle[] = [];
  let close = start;
  for (let i = 0; i < n; i++) {
    const open = close;
    close = open * Math.exp(drift + vol * (r() - 0.5) * 2);
    const high = Math.max(open, close) * (1 + vol * r() * 0.5);
    const low = Math.min(open, close) * (1 - vol * r() * 0.5);
    out.push({ time: T0 + i * intervalMs, open, high, low, close, volume: 1 + r() * 100 });
  }
  return out;
}

/** A clean uptrend (or downtrend with step < 0): every bar moves `step` with a small range around it. */
export function trend(n: number, step: number, start = 100): Candle[] {
  const out: Candle[] = [];
  for (let i = 0; i < n; i++) {
    const open = start + i * step;
    const close = open + step;
    out.push({
      time: T0 + i * MINUTE,
      open,
      high: Math.max(open, close) + Math.abs(step) * 0.1,
      low: Math.min(open, close) - Math.abs(step) * 0.1,
      close,
      volume: 10,
    });
  }
  return out;
}

/** A range: a triangle wave between mid - amp and mid + amp with a period of `cycle` bars. */
export function range(n: number, cycle = 8, mid = 100, amp = 1): Candle[] {
  const out: Candle[] = [];
  const at = (i: number) => mid + amp * (1 - 4 * Math.abs(((i / cycle) % 1) - 0.5));
  for (let i = 0; i < n; i++) {
    const open = at(i);
    const close = at(i + 1);
    out.push({ time: T0 + i * MINUTE, open, high: Math.max(open, close) + 0.05, low: Math.min(open, close) - 0.05, close, volume: 10 });
  }
  return out;
}

export function flat(n: number, price = 100, volume = 5): Candle[] {
  return Array.from({ length: n }, (_, i) => ({ time: T0 + i * MINUTE, open: price, high: price, low: price, close: price, volume }));
}

export function randomTrades(n: number, seed = 7, start = 1000): Trade[] {
  const r = rng(seed);
  const out: Trade[] = [];
  let p = start;
  for (let i = 0; i < n; i++) {
    p = Math.max(1, p + (r() - 0.5) * 0.5);
    out.push({ time: T0 + i * 10, price: Math.round(p * 100) / 100, size: 0.001 + r() * 2, side: r() < 0.5 ? 'buy' : 'sell' });
  }
  return out;
}
