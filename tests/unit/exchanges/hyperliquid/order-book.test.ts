/**
 * The Hyperliquid adapter's order book against the simulator's l2Book: 20 full-precision levels whatever is asked;
 * asked for more, extended by aggregated reads (nSigFigs) until it reaches ±1% of the mid, so the depth bands hold
 * the book's own figures instead of 3 bps of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderBook } from '@/lib/domain/market';
import { HyperliquidAdapter } from '@/lib/exchanges/hyperliquid/adapter';
import { bookReachBps, extendBook, L2_LEVELS } from '@/lib/exchanges/hyperliquid/normalize';
import { analyzeBook, FINE_LEVELS } from '@/lib/market/liquidity';
import { levelFactor } from '../../../simulator/market-series';
import { createSimulator, type Simulator } from '../../../simulator/server';

let sim: Simulator;
beforeAll(async () => {
  sim = await createSimulator({ port: 0, prices: { source: 'manual', tickMs: 250 } });
  sim.ctx.prices.setPrice('hyperliquid', 'BTC', 65_000);
});
afterAll(async () => {
  await sim.close();
});

const adapter = () =>
  new HyperliquidAdapter(
    { accountId: 'hl-book', endpoints: { network: 'custom', restUrl: `${sim.url}/hyperliquid`, wsUrl: `${sim.wsUrl}/hyperliquid/ws` }, credentials: { venue: 'hyperliquid', address: `0x${'c'.repeat(40)}` } },
    { backoffBaseMs: 20, backoffMaxMs: 200, maxRetries: 1, dexes: [] },
  );

/** The simulator's resting BTC book (one level a bp of the mark, 500 a side), written out independently. */
function resting(): OrderBook {
  const side = (dir: 1 | -1) =>
    Array.from({ length: 500 }, (_, i): [number, number] => [Number((65_000 + dir * 6.5 * (i + 1)).toFixed(1)), Number(((1 + i) * levelFactor('BTC', dir === -1 ? 'bid' : 'ask', i)).toFixed(5))]);
  return { symbol: 'BTC', time: 0, bids: side(-1), asks: side(1) };
}

describe('hyperliquid adapter: order book', () => {
  it('sends 20 levels at full precision; asked for more, adds aggregated reads until ±100 bps are covered', async () => {
    const a = adapter();
    const fine = await a.fetchOrderBook('BTC', 20);
    expect([fine.bids.length, fine.asks.length]).toEqual([20, 20]);
    expect(bookReachBps(fine)).toBeCloseTo(20, 6);
    const before = a.stats().restWeightUsed;
    const wide = await a.fetchOrderBook('BTC', 1000);
    // The full-precision read, then nSigFigs 4 ($10 buckets) and 3 ($100): weight 2 each.
    expect(a.stats().restWeightUsed - before).toBe(6);
    expect(wide.bids.slice(0, L2_LEVELS)).toEqual(fine.bids);
    expect(bookReachBps(wide)).toBeGreaterThanOrEqual(100);
    const l = analyzeBook(wide, undefined, { fineLevels: FINE_LEVELS.hyperliquid! })!;
    const truth = analyzeBook(resting())!;
    expect(l.bands.every((b) => b.covered)).toBe(true);
    // Within the full-precision levels (20 bps) a band is exact; beyond them its edge is known to one bucket:
    // $10 (1.5 bps) out to the nSigFigs 4 read's reach, $100 (15.4 bps) past it.
    const between = (bps: number, bucket: number) => {
      const w = (bucket / 65_000) * 1e4;
      const [lo, hi] = analyzeBook(resting(), { liquidity: { bandsBps: [bps - w, bps + w], rangeBps: 200 } })!.bands;
      return [lo!, hi!] as const;
    };
    expect(l.bands[0]!.bidNotional).toBeCloseTo(truth.bands[0]!.bidNotional, 6);
    expect(l.bands[0]!.askNotional).toBeCloseTo(truth.bands[0]!.askNotional, 6);
    for (const [k, bucket] of [[1, 10], [2, 100], [3, 100]] as const) {
      const [lo, hi] = between(l.bands[k]!.bps, bucket);
      expect(l.bands[k]!.bidNotional).toBeGreaterThanOrEqual(lo.bidNotional * (1 - 1e-9));
      expect(l.bands[k]!.bidNotional).toBeLessThanOrEqual(hi.bidNotional * (1 + 1e-9));
      expect(l.bands[k]!.askNotional).toBeGreaterThanOrEqual(lo.askNotional * (1 - 1e-9));
      expect(l.bands[k]!.askNotional).toBeLessThanOrEqual(hi.askNotional * (1 + 1e-9));
    }
    // Walls are looked for in the full-precision levels only: no $100 bucket is taken for one.
    expect(l.wallsWithinBps).toBeCloseTo(20, 6);
    expect(l.walls.every((w) => w.distanceBps <= 20 + 1e-9)).toBe(true);
    await a.disconnect();
  });
});

describe('extendBook', () => {
  it('adds coarse buckets beyond the known levels at their middle, and only the unknown part of the one that straddles', () => {
    // nSigFigs 3 around 65,000: $100 buckets; bids rounded down ([P, P + 100)), asks up ((P - 100, P]).
    const known: OrderBook = { symbol: 'BTC', time: 1, bids: [[64_990, 1], [64_950, 2]], asks: [[65_010, 1], [65_050, 2]] };
    const coarse: OrderBook = {
      symbol: 'BTC',
      time: 2,
      // [64,900, 65,000) holds the known 3 and 4 more below 64,950; [64,800, 64,900) holds 10.
      bids: [[64_900, 7], [64_800, 10]],
      // (65,000, 65,100] holds the known 3 and nothing more (a moment later it may even hold less); (65,100, 65,200] 6.
      asks: [[65_100, 2], [65_200, 6]],
    };
    const out = extendBook(known, coarse, 3);
    expect(out.bids).toEqual([[64_990, 1], [64_950, 2], [64_925, 4], [64_850, 10]]);
    expect(out.asks).toEqual([[65_010, 1], [65_050, 2], [65_150, 6]]);
    expect(bookReachBps(out)).toBeCloseTo((150 / 65_000) * 1e4, 9);
  });
});
