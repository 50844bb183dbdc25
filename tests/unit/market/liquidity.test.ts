import { describe, expect, it } from 'vitest';
import type { OrderBook } from '../../../lib/domain/market';
import { analyzeBook, FINE_LEVELS, headlineBand, initialZoneState, updateZones, type ZoneTrackerState } from '../../../lib/market/liquidity';
import { bookSummary } from '../../../lib/market/summary';
import { L2_LEVELS } from '../../../lib/exchanges/hyperliquid/normalize';

const settings = { liquidity: { bucketBps: 10 } };
/** Mid 100, a 20-lot bid wall at 99.6 (40 bps), a 50-lot ask far outside the 100 bps range. */
function book(time = 0, wallPrice: number | null = 99.6, symbol = 'BTCUSDT'): OrderBook {
  const bids: [number, number][] = [
    [99.95, 1],
    [99.85, 1],
    [99.78, 2],
    [99.3, 1],
  ];
  if (wallPrice !== null) bids.splice(3, 0, [wallPrice, 20]);
  return {
    symbol,
    time,
    bids,
    asks: [
      [100.05, 1],
      [100.15, 1],
      [100.32, 1],
      [100.62, 1],
      [101.5, 50],
    ],
  };
}

describe('analyzeBook', () => {
  it('mid, spread, depth and imbalance per band', () => {
    const l = analyzeBook(book(), settings)!;
    expect(l.mid).toBeCloseTo(100, 12);
    expect(l.spreadBps).toBeCloseTo(10, 9);
    expect(l.bands.map((b) => b.bps)).toEqual([10, 25, 50, 100]);
    expect(l.bands.map((b) => b.bidSize)).toEqual([1, 4, 24, 25]);
    expect(l.bands.map((b) => b.askSize)).toEqual([1, 2, 3, 4]);
    expect(l.bands[0]!.bidNotional).toBeCloseTo(99.95, 9);
    expect(l.bands[0]!.imbalance).toBeCloseTo((99.95 - 100.05) / 200, 12);
    const b50 = l.bands[2]!;
    expect(b50.imbalance).toBeCloseTo((b50.bidNotional - b50.askNotional) / (b50.bidNotional + b50.askNotional), 12);
    expect(b50.imbalance).toBeGreaterThan(0.7);
  });

  it('a wall is a level far above the median level in range; a big level out of range is not', () => {
    const l = analyzeBook(book(), settings)!;
    expect(l.walls).toHaveLength(1);
    expect(l.walls[0]).toMatchObject({ side: 'bid', price: 99.6, size: 20, multiple: 20 });
    expect(l.walls[0]!.distanceBps).toBeCloseTo(40, 6);
    expect(analyzeBook(book(0, null), settings)!.walls).toEqual([]);
    expect(analyzeBook(book(), { liquidity: { wallMultiple: 25 } })!.walls).toEqual([]);
  });

  it('significant levels are buckets far above the median bucket', () => {
    const l = analyzeBook(book(), settings)!;
    expect(l.levels).toHaveLength(1);
    expect(l.levels[0]).toMatchObject({ side: 'bid', price: 99.6, size: 20, low: 99.6, high: 99.6 });
    // Two levels in one 10 bps bucket add up.
    const b = book();
    b.bids.push([99.59, 30]);
    const merged = analyzeBook(b, settings)!.levels.find((x) => x.side === 'bid')!;
    expect(merged.size).toBe(50);
    expect(merged.price).toBeCloseTo((99.6 * 20 + 99.59 * 30) / 50, 12);
    expect([merged.low, merged.high]).toEqual([99.59, 99.6]);
  });

  it('empty side gives null; zero-size levels are ignored', () => {
    expect(analyzeBook({ symbol: 'X', time: 0, bids: [], asks: [[1, 1]] })).toBeNull();
    expect(analyzeBook({ symbol: 'X', time: 0, bids: [[1, 0]], asks: [[2, 1]] })).toBeNull();
    const l = analyzeBook({ symbol: 'X', time: 0, bids: [[99, 0], [98, 1]], asks: [[102, 1]] })!;
    expect(l.bestBid).toBe(98);
    expect(l.mid).toBe(100);
  });
});

describe('analyzeBook: how far the book reaches', () => {
  /** BTC on Hyperliquid: $1 tick, the 20 levels l2Book sends, mid 65,000: they reach 3 bps. */
  const hl20 = (): OrderBook => ({
    symbol: 'BTC',
    time: 0,
    bids: Array.from({ length: 20 }, (_, i): [number, number] => [64_999 - i, 2]),
    asks: Array.from({ length: 20 }, (_, i): [number, number] => [65_001 + i, 2]),
  });

  it('bands wider than the levels given are not covered, and no headline band is made of them', () => {
    const l = analyzeBook(hl20())!;
    expect(l.reachBps.bid).toBeCloseTo((20 / 65_000) * 1e4, 9);
    expect(l.reachBps.ask).toBeCloseTo((20 / 65_000) * 1e4, 9);
    expect(l.bands.map((b) => [b.bps, b.covered])).toEqual([
      [10, false],
      [25, false],
      [50, false],
      [100, false],
    ]);
    expect(headlineBand(l.bands)).toBeNull();
    // The panel's summary says nothing of a band it cannot see.
    expect(bookSummary(hl20())).toBeNull();
  });

  it('the headline band is the widest covered band at or inside 50 bps, else the narrowest covered one', () => {
    // One level a bps: bids reach 120 bps, asks 30.
    const ladder = (n: number, dir: 1 | -1) => Array.from({ length: n }, (_, i): [number, number] => [100 + dir * 0.01 * (i + 1), 1]);
    const l = analyzeBook({ symbol: 'X', time: 0, bids: ladder(120, -1), asks: ladder(30, 1) })!;
    expect(l.bands.map((b) => b.covered)).toEqual([true, true, false, false]);
    expect(headlineBand(l.bands)?.bps).toBe(25);
    expect(bookSummary({ symbol: 'X', time: 0, bids: ladder(120, -1), asks: ladder(30, 1) })!.bandBps).toBe(25);
    const deep = analyzeBook({ symbol: 'X', time: 0, bids: ladder(120, -1), asks: ladder(120, 1) })!;
    expect(deep.bands.every((b) => b.covered)).toBe(true);
    expect(headlineBand(deep.bands)?.bps).toBe(50);
    // A band exactly at the farthest level is covered.
    expect(analyzeBook({ symbol: 'X', time: 0, bids: ladder(10, -1), asks: ladder(10, 1) })!.bands[0]!.covered).toBe(true);
    // Custom bands all wider than 50 bps: the narrowest covered.
    expect(headlineBand(analyzeBook({ symbol: 'X', time: 0, bids: ladder(120, -1), asks: ladder(120, 1) }, { liquidity: { bandsBps: [60, 110], rangeBps: 110 } })!.bands)?.bps).toBe(60);
  });

  it('aggregated levels after the full-precision ones count in the bands but are never walls', () => {
    // 20 fine $1 levels, then $100 buckets of 150 each out to 150 bps (Hyperliquid's extended book).
    const b = hl20();
    for (let k = 0; k < 15; k++) {
      b.bids.push([64_900 - 100 * k, 150]);
      b.asks.push([65_100 + 100 * k, 150]);
    }
    const all = analyzeBook(b)!;
    expect(all.walls.length).toBeGreaterThan(0); // read as single levels, every bucket looks like a wall
    const l = analyzeBook(b, undefined, { fineLevels: FINE_LEVELS.hyperliquid! })!;
    expect(l.walls).toEqual([]);
    expect(l.wallsWithinBps).toBeCloseTo((20 / 65_000) * 1e4, 9);
    expect(l.bands.every((x) => x.covered)).toBe(true);
    // ±50 bps = ±325: 20 fine levels + buckets at 64,900, 64,800, 64,700 per side.
    expect(l.bands[2]!.bidSize).toBe(40 + 3 * 150);
    expect(FINE_LEVELS.hyperliquid).toBe(L2_LEVELS);
  });
});

describe('liquidity zones', () => {
  const step = (s: ZoneTrackerState, time: number, wall: number | null = 99.6, symbol = 'BTCUSDT') =>
    updateZones(s, analyzeBook(book(time, wall, symbol), settings)!, settings);

  it('a level seen often enough for long enough becomes a persistent zone, and follows small moves', () => {
    let s = initialZoneState();
    s = step(s, 0);
    expect(s.zones).toHaveLength(1);
    expect(s.zones[0]).toMatchObject({ id: 'bid-1', side: 'bid', sightings: 1, persistent: false });
    s = step(s, 10_000, 99.62);
    s = step(s, 20_000, 99.61);
    // Three sightings, but only 20 s old (default minimum 30 s).
    expect(s.zones[0]).toMatchObject({ id: 'bid-1', sightings: 3, persistent: false, price: 99.61 });
    s = step(s, 30_000);
    expect(s.zones).toHaveLength(1);
    expect(s.zones[0]).toMatchObject({ id: 'bid-1', sightings: 4, persistent: true, firstSeen: 0, lastSeen: 30_000, peakSize: 20 });
  });

  it('a zone absent more than zoneMaxMissed snapshots is dropped; a far level opens a new zone', () => {
    let s = initialZoneState();
    s = step(s, 0);
    s = step(s, 1000, null);
    s = step(s, 2000, null);
    expect(s.zones[0]!.missed).toBe(2);
    s = step(s, 3000, null);
    expect(s.zones).toEqual([]);
    s = step(s, 4000, 99.4);
    expect(s.zones.map((z) => z.id)).toEqual(['bid-2']);
    // 99.4 -> 99.6 is 20 bps, beyond the 5 bps tolerance: a different zone.
    s = step(s, 5000, 99.6);
    expect(s.zones.map((z) => z.id).sort()).toEqual(['bid-2', 'bid-3']);
  });

  it('state is plain data: JSON round-trips, inputs are not mutated, old snapshots are ignored, a new symbol restarts', () => {
    const s1 = step(initialZoneState(), 1000);
    const frozen = JSON.stringify(s1);
    const s2 = step(JSON.parse(frozen) as ZoneTrackerState, 2000);
    expect(JSON.stringify(s1)).toBe(frozen);
    expect(s2.zones[0]!.sightings).toBe(2);
    expect(step(s2, 500)).toBe(s2);
    const other = step(s2, 3000, 99.6, 'ETHUSDT');
    expect(other.symbol).toBe('ETHUSDT');
    expect(other.zones[0]!.sightings).toBe(1);
  });

  it('caps the number of zones, keeping the largest', () => {
    const b: OrderBook = { symbol: 'X', time: 0, bids: [[99.99, 1]], asks: [[100.01, 1]] };
    for (let i = 1; i <= 9; i++) b.bids.push([100 - i * 0.1, i === 5 ? 100 : 40 + i]);
    for (let i = 1; i <= 30; i++) b.bids.push([99 - i * 0.02, 1]);
    const l = analyzeBook(b, { liquidity: { bucketBps: 1, rangeBps: 200, bandsBps: [10] } })!;
    expect(l.levels).toHaveLength(9);
    const s = updateZones(initialZoneState(), l, { liquidity: { bucketBps: 1, rangeBps: 200, bandsBps: [10], zoneMaxCount: 3 } });
    expect(s.zones).toHaveLength(3);
    expect(s.zones.map((z) => z.size).sort((x, y) => y - x)).toEqual([100, 49, 48]);
  });
});
