/**
 * Candles and book walls both simulated venues serve: deterministic (the same request gives the same answer), anchored
 * so the last candle closes at the current mark, and shaped like a market rather than a test pattern: overlapping
 * waves of several lengths give trends, ranges and reversals; volume grows with the size of the move; a few book levels
 * hold several times the usual size (walls). Each candle moves well under 1% (daily ATR stays below the risk engine's
 * lowAtrPct of 1%), so volatility-based caps and sizing act as they would on a calm market.
 */

export interface SimCandle {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

export const symbolSeed = (symbol: string) => [...symbol].reduce((a, ch) => (a * 31 + ch.charCodeAt(0)) % 100_003, 7);

/** A fixed pseudo-random number in [0, 1) for an integer key (a hash, so any candle can be computed on its own). */
function unit(key: number): number {
  let x = Math.imul(key ^ 0x9e3779b9, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  x ^= x >>> 16;
  return (x >>> 0) / 4_294_967_296;
}

// Wave lengths in candles and their weights: short swings inside longer trends.
const WAVES: readonly [number, number][] = [
  [9, 0.35],
  [29, 0.6],
  [83, 1],
  [239, 0.8],
];
const SCALE = 0.008;

/** ln(price / mark) at candle index k (k = open time / interval), before anchoring. */
function logLevel(k: number, seed: number): number {
  let x = 0;
  for (let w = 0; w < WAVES.length; w++) {
    const [len, weight] = WAVES[w]!;
    x += weight * Math.sin(k / len + seed * (w + 1));
  }
  return SCALE * x + 0.001 * (unit(k * 7 + seed) - 0.5);
}

/** Candles with open times firstOpen..lastOpen (multiples of stepMs); the last one closes at `mark`. */
export function syntheticCandles(symbol: string, stepMs: number, firstOpen: number, lastOpen: number, mark: number, max: number): SimCandle[] {
  const seed = symbolSeed(symbol);
  const anchor = logLevel(lastOpen / stepMs, seed);
  const price = (k: number) => mark * Math.exp(logLevel(k, seed) - anchor);
  const out: SimCandle[] = [];
  for (let t = firstOpen; t <= lastOpen && out.length < max; t += stepMs) {
    const k = t / stepMs;
    const o = price(k - 1);
    const c = t === lastOpen ? mark : price(k);
    const move = Math.abs(c / o - 1);
    const h = Math.max(o, c) * (1 + 0.0008 * unit(k * 13 + seed));
    const l = Math.min(o, c) * (1 - 0.0008 * unit(k * 17 + seed));
    // More is traded on the bigger moves, with a candle-to-candle spread.
    const v = (40 + 25_000 * move) * (0.5 + unit(k * 19 + seed));
    out.push({ t, o, h, l, c, v });
  }
  return out;
}

/** Size multiplier of the book level `i` steps from the mark: a wall (8x) on a few levels per side. */
export function levelFactor(symbol: string, side: 'bid' | 'ask', i: number): number {
  const seed = symbolSeed(symbol) + (side === 'bid' ? 0 : 101);
  return i >= 4 && unit(i * 23 + seed) > 0.96 ? 8 : 1;
}
