/**
 * Correlation matrix of returns across symbols, for the risk engine's correlated-exposure cap. Pearson correlation of
 * one-bar log returns ln(C_t / C_{t-interval}), aligned on candle open time. A return exists only where both candles
 * of the bar exist, so a missing candle removes that return instead of stretching one over two bars; each pair uses
 * the times where both symbols have a return (pairwise-complete). A pair with fewer than minOverlap common returns,
 * or with a constant series on either side, gets 0 (and counts says how many returns it had); the diagonal is 1.
 */
import type { Candle } from '../domain/market';
import { asColumns, inferIntervalMs, type CandleColumns } from './columns';
import { type MarketSettings, type MarketSettingsInput, resolveSettings } from './settings';

export interface CorrelationOptions {
  /** Candle interval; inferred (smallest step between candles) when left out. */
  intervalMs?: number;
  settings?: MarketSettings | MarketSettingsInput;
}

export interface CorrelationMatrix {
  symbols: string[];
  /** matrix[i][j]: correlation of symbols[i] and symbols[j], -1..1. */
  matrix: number[][];
  /** counts[i][j]: common returns the pair was computed on (diagonal: the symbol's own returns). */
  counts: number[][];
  intervalMs: number;
}

export function correlationMatrix(
  series: Readonly<Record<string, readonly Candle[] | CandleColumns>>,
  opts: CorrelationOptions = {},
): CorrelationMatrix {
  const minOverlap = resolveSettings(opts.settings).correlation.minOverlap;
  const symbols = Object.keys(series).sort();
  const cols = symbols.map((s) => asColumns(series[s]!));
  let intervalMs = opts.intervalMs ?? 0;
  if (!(intervalMs > 0)) {
    intervalMs = Infinity;
    for (const c of cols) {
      const d = inferIntervalMs(c.time);
      if (d > 0 && d < intervalMs) intervalMs = d;
    }
    if (!Number.isFinite(intervalMs)) intervalMs = 0;
  }

  // Per symbol: return at each bar-close time (keyed by the later candle's open time).
  const returns = cols.map((c) => {
    const close = new Map<number, number>();
    for (let i = 0; i < c.length; i++) close.set(c.time[i]!, c.close[i]!);
    const r = new Map<number, number>();
    if (intervalMs > 0)
      for (const [t, px] of close) {
        const prev = close.get(t - intervalMs);
        if (prev !== undefined && prev > 0 && px > 0) r.set(t, Math.log(px / prev));
      }
    return r;
  });
  const timeline = [...new Set(returns.flatMap((r) => [...r.keys()]))].sort((a, b) => a - b);
  const grid = returns.map((r) => Float64Array.from(timeline, (t) => r.get(t) ?? NaN));

  const n = symbols.length;
  const matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const a = grid[i]!;
    let own = 0;
    for (let t = 0; t < a.length; t++) if (!Number.isNaN(a[t]!)) own++;
    matrix[i]![i] = 1;
    counts[i]![i] = own;
    for (let j = i + 1; j < n; j++) {
      const b = grid[j]!;
      // Two passes (means, then deviations): stable for returns of any scale.
      let m = 0;
      let ma = 0;
      let mb = 0;
      for (let t = 0; t < a.length; t++) {
        const x = a[t]!;
        const y = b[t]!;
        if (Number.isNaN(x) || Number.isNaN(y)) continue;
        m++;
        ma += x;
        mb += y;
      }
      counts[i]![j] = counts[j]![i] = m;
      if (m < minOverlap || m < 2) continue;
      ma /= m;
      mb /= m;
      let sab = 0;
      let saa = 0;
      let sbb = 0;
      for (let t = 0; t < a.length; t++) {
        const x = a[t]!;
        const y = b[t]!;
        if (Number.isNaN(x) || Number.isNaN(y)) continue;
        const dx = x - ma;
        const dy = y - mb;
        sab += dx * dy;
        saa += dx * dx;
        sbb += dy * dy;
      }
      if (!(saa > 0) || !(sbb > 0)) continue;
      const r = sab / Math.sqrt(saa * sbb);
      matrix[i]![j] = matrix[j]![i] = Math.max(-1, Math.min(1, r));
    }
  }
  return { symbols, matrix, counts, intervalMs };
}

/** Correlation of two symbols from a matrix (0 when either is missing). */
export function correlationOf(m: CorrelationMatrix, a: string, b: string): number {
  const i = m.symbols.indexOf(a);
  const j = m.symbols.indexOf(b);
  return i < 0 || j < 0 ? 0 : m.matrix[i]![j]!;
}
