/**
 * Benchmark harness. Every bench/*.bench.ts default-exports a Benchmark; `npm run bench [-- <prefix>]` runs those with
 * a figure whose name starts with the prefix (or every figure of bench/<prefix>.bench.ts) and prints one JSON object per line:
 * {"name": "...", "value": <number>, "unit": "...", "n": <samples>}.
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  n: number;
}

export interface Benchmark {
  /** The figure names this benchmark prints, so a prefix can skip it without running it. */
  figures: string[];
  /** `wanted` (optional) tells which figures were asked for, so a benchmark can skip work none of them needs. */
  run(wanted?: (name: string) => boolean): Promise<Figure[]>;
}

export const defineBenchmark = (b: Benchmark): Benchmark => b;

/** Nearest-rank percentile of samples (p in 0..100). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Times `fn` `n` times after `warmup` untimed runs; returns milliseconds per run. */
export async function sample(fn: () => unknown, n: number, warmup = Math.min(50, n)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

export const round = (v: number, digits = 3) => Number(v.toFixed(digits));
