/**
 * Order-book liquidity: depth and bid/ask imbalance within bands around the mid, walls (single levels far above the
 * typical size), significant levels (price buckets far above the typical bucket), and liquidity zones that persist
 * across snapshots (a tracker whose state is plain JSON data: pass the previous state in, get the next one out).
 */
import type { OrderBook } from '../domain/market';
import type { Venue } from '../domain/types';
import { type MarketSettings, type MarketSettingsInput, resolveSettings } from './settings';

export type BookSide = 'bid' | 'ask';

export interface DepthBand {
  bps: number;
  /** Base size and quote notional within the band. */
  bidSize: number;
  askSize: number;
  bidNotional: number;
  askNotional: number;
  /** (bid - ask) / (bid + ask) notional, -1..1; 0 when the band is empty. */
  imbalance: number;
  /**
   * Both sides' levels reach this far from the mid. False: the book given stops short of the band on a side (a venue
   * sends a fixed number of levels), so its figures hold only part of the band and must not be shown as the band's.
   */
  covered: boolean;
}

export interface Wall {
  side: BookSide;
  price: number;
  size: number;
  notional: number;
  distanceBps: number;
  /** Size / median level size in range. */
  multiple: number;
}

export interface SignificantLevel {
  side: BookSide;
  /** Size-weighted mean price of the bucket's levels. */
  price: number;
  low: number;
  high: number;
  size: number;
  notional: number;
  distanceBps: number;
  /** Size / median bucket size in range. */
  multiple: number;
}

export interface BookLiquidity {
  symbol: string;
  time: number;
  bestBid: number;
  bestAsk: number;
  mid: number;
  spread: number;
  spreadBps: number;
  bands: DepthBand[];
  /** How far from the mid (bps) the farthest level given reaches on each side. */
  reachBps: { bid: number; ask: number };
  /** How far walls and significant levels were looked for: rangeBps, or less where the full-precision levels stop. */
  wallsWithinBps: number;
  walls: Wall[];
  levels: SignificantLevel[];
}

/** The band the one-figure imbalance is read in, in the page panel's line and the Market view's headline alike. */
export const HEADLINE_BAND_BPS = 50;

/**
 * The headline band: the widest covered band at or inside `target` bps (else the narrowest covered band); null when
 * the book reaches no band on both sides.
 */
export function headlineBand(bands: readonly DepthBand[], target = HEADLINE_BAND_BPS): DepthBand | null {
  let pick: DepthBand | null = null;
  for (const b of bands) if (b.covered && (!pick || b.bps <= target)) pick = b;
  return pick;
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const imbalance = (b: number, a: number) => (b + a > 0 ? (b - a) / (b + a) : 0);

/**
 * Full-precision levels per side a venue's book read starts with, where more follow aggregated: Hyperliquid's l2Book
 * sends 20, and its adapter extends them with coarser reads (nSigFigs) so the bands are covered.
 */
export const FINE_LEVELS: Partial<Record<Venue, number>> = { hyperliquid: 20 };

export interface AnalyzeBookOptions {
  /**
   * Levels per side (best first, as given) at the venue's full precision; levels after them are aggregated buckets
   * (Hyperliquid's nSigFigs read), which count in the bands but would all look like walls. Default: all.
   */
  fineLevels?: number;
}

/** Liquidity of one snapshot; null when either side of the book is empty (no mid). */
export function analyzeBook(book: OrderBook, settings?: MarketSettings | MarketSettingsInput, opts: AnalyzeBookOptions = {}): BookLiquidity | null {
  const s = resolveSettings(settings).liquidity;
  // Best prices computed, not assumed from the ordering, so a mis-sorted snapshot still gives the right mid.
  let bestBid = -Infinity;
  for (const [p, q] of book.bids) if (q > 0 && p > bestBid) bestBid = p;
  let bestAsk = Infinity;
  for (const [p, q] of book.asks) if (q > 0 && p < bestAsk) bestAsk = p;
  if (!Number.isFinite(bestBid) || !Number.isFinite(bestAsk)) return null;
  const mid = (bestBid + bestAsk) / 2;
  const bands: DepthBand[] = s.bandsBps.map((bps) => ({ bps, bidSize: 0, askSize: 0, bidNotional: 0, askNotional: 0, imbalance: 0, covered: false }));
  const reachBps = { bid: 0, ask: 0 };
  const fineReach = { bid: 0, ask: 0 };
  const fine = opts.fineLevels ?? Infinity;

  interface Lvl {
    side: BookSide;
    price: number;
    size: number;
    dist: number;
  }
  const inRange: Lvl[] = [];
  const visit = (side: BookSide, levels: readonly (readonly [number, number])[]) => {
    for (let i = 0; i < levels.length; i++) {
      const [price, size] = levels[i]!;
      if (!(size > 0)) continue;
      const dist = ((side === 'bid' ? mid - price : price - mid) / mid) * 1e4;
      if (dist > reachBps[side]) reachBps[side] = dist;
      if (i < fine && dist > fineReach[side]) fineReach[side] = dist;
      for (const b of bands) {
        if (dist > b.bps) continue;
        if (side === 'bid') {
          b.bidSize += size;
          b.bidNotional += size * price;
        } else {
          b.askSize += size;
          b.askNotional += size * price;
        }
      }
      if (i < fine && dist <= s.rangeBps) inRange.push({ side, price, size, dist: Math.max(0, dist) });
    }
  };
  visit('bid', book.bids);
  visit('ask', book.asks);
  for (const b of bands) {
    b.imbalance = imbalance(b.bidNotional, b.askNotional);
    // The levels given are all there is up to each side's farthest one; past it the book is unknown.
    b.covered = Math.min(reachBps.bid, reachBps.ask) >= b.bps - 1e-9;
  }

  const typical = median(inRange.map((l) => l.size));
  const walls: Wall[] = [];
  if (typical > 0)
    for (const l of inRange)
      if (l.size >= s.wallMultiple * typical)
        walls.push({ side: l.side, price: l.price, size: l.size, notional: l.size * l.price, distanceBps: l.dist, multiple: l.size / typical });
  walls.sort((a, b) => a.distanceBps - b.distanceBps || b.size - a.size);

  // Buckets of bucketBps from the mid on each side.
  const buckets = new Map<string, { side: BookSide; size: number; pq: number; low: number; high: number }>();
  for (const l of inRange) {
    const key = `${l.side}:${Math.floor(l.dist / s.bucketBps)}`;
    const b = buckets.get(key);
    if (b) {
      b.size += l.size;
      b.pq += l.size * l.price;
      if (l.price < b.low) b.low = l.price;
      if (l.price > b.high) b.high = l.price;
    } else buckets.set(key, { side: l.side, size: l.size, pq: l.size * l.price, low: l.price, high: l.price });
  }
  const all = [...buckets.values()];
  const typicalBucket = median(all.map((b) => b.size));
  const levels: SignificantLevel[] = [];
  if (typicalBucket > 0)
    for (const b of all)
      if (b.size >= s.significantMultiple * typicalBucket) {
        const price = b.pq / b.size;
        levels.push({
          side: b.side,
          price,
          low: b.low,
          high: b.high,
          size: b.size,
          notional: b.pq,
          distanceBps: Math.max(0, ((b.side === 'bid' ? mid - price : price - mid) / mid) * 1e4),
          multiple: b.size / typicalBucket,
        });
      }
  levels.sort((a, b) => a.distanceBps - b.distanceBps || b.size - a.size);

  return {
    symbol: book.symbol,
    time: book.time,
    bestBid,
    bestAsk,
    mid,
    spread: bestAsk - bestBid,
    spreadBps: ((bestAsk - bestBid) / mid) * 1e4,
    bands,
    reachBps,
    wallsWithinBps: Math.min(s.rangeBps, fineReach.bid, fineReach.ask),
    walls,
    levels,
  };
}

export interface LiquidityZone {
  id: string;
  side: BookSide;
  /** Latest centre price. */
  price: number;
  /** Latest size, and the largest seen. */
  size: number;
  peakSize: number;
  firstSeen: number;
  lastSeen: number;
  /** Snapshots in which the zone was present. */
  sightings: number;
  /** Consecutive snapshots it has been absent (0 = present in the latest). */
  missed: number;
  /** Seen in at least zoneMinSnapshots snapshots over at least zoneMinDurationMs. */
  persistent: boolean;
}

/** Plain-data tracker state (safe to structured-clone or JSON-store between snapshots). */
export interface ZoneTrackerState {
  symbol: string | null;
  time: number;
  nextId: number;
  zones: LiquidityZone[];
}

export const initialZoneState = (): ZoneTrackerState => ({ symbol: null, time: -1, nextId: 1, zones: [] });

/**
 * Next tracker state after one snapshot's significant levels: each level joins the nearest zone of its side within
 * zoneToleranceBps (largest levels first, one level per zone), unmatched levels open zones, zones absent more than
 * zoneMaxMissed snapshots in a row are dropped. A new symbol restarts the tracker; an older snapshot is ignored.
 */
export function updateZones(
  state: ZoneTrackerState,
  liquidity: BookLiquidity,
  settings?: MarketSettings | MarketSettingsInput,
): ZoneTrackerState {
  const s = resolveSettings(settings).liquidity;
  const base = state.symbol === liquidity.symbol ? state : initialZoneState();
  if (liquidity.time < base.time) return state;
  const tol = (s.zoneToleranceBps / 1e4) * liquidity.mid;
  const zones = base.zones.map((z) => ({ ...z }));
  const matched = new Set<number>();
  let nextId = base.nextId;
  const fresh: LiquidityZone[] = [];
  const bySize = [...liquidity.levels].sort((a, b) => b.size - a.size || a.price - b.price);
  for (const l of bySize) {
    let best = -1;
    let bestDist = Infinity;
    for (let k = 0; k < zones.length; k++) {
      const z = zones[k]!;
      if (z.side !== l.side || matched.has(k)) continue;
      const d = Math.abs(z.price - l.price);
      if (d <= tol && d < bestDist) {
        best = k;
        bestDist = d;
      }
    }
    if (best >= 0) {
      matched.add(best);
      const z = zones[best]!;
      z.price = l.price;
      z.size = l.size;
      z.peakSize = Math.max(z.peakSize, l.size);
      z.lastSeen = liquidity.time;
      z.sightings += 1;
      z.missed = 0;
    } else {
      fresh.push({
        id: `${l.side}-${nextId++}`,
        side: l.side,
        price: l.price,
        size: l.size,
        peakSize: l.size,
        firstSeen: liquidity.time,
        lastSeen: liquidity.time,
        sightings: 1,
        missed: 0,
        persistent: false,
      });
    }
  }
  const kept: LiquidityZone[] = [];
  zones.forEach((z, k) => {
    if (!matched.has(k)) z.missed += 1;
    if (z.missed <= s.zoneMaxMissed) kept.push(z);
  });
  kept.push(...fresh);
  for (const z of kept) z.persistent = z.sightings >= s.zoneMinSnapshots && z.lastSeen - z.firstSeen >= s.zoneMinDurationMs;
  // Over the cap, keep persistent zones first, then the largest.
  kept.sort((a, b) => Number(b.persistent) - Number(a.persistent) || b.peakSize - a.peakSize || a.price - b.price);
  const capped = kept.slice(0, s.zoneMaxCount).sort((a, b) => a.price - b.price);
  return { symbol: liquidity.symbol, time: liquidity.time, nextId, zones: capped };
}
