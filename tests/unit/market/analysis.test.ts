import { describe, expect, it, vi } from 'vitest';
import { analyzeCandles, chartSeries, formatMarketSummary, linePoints, summarizeMarket } from '../../../lib/market/analysis';
import { toColumns } from '../../../lib/market/columns';
import { atr } from '../../../lib/market/indicators';
import { analyzeBook, initialZoneState, updateZones } from '../../../lib/market/liquidity';
import { regimeSeries } from '../../../lib/market/regime';
import { volumeProfileFromCandles } from '../../../lib/market/volume-profile';
import { sessionVwap } from '../../../lib/market/vwap';
import { expectSeriesClose } from './expect-series';
import { flat, MINUTE, randomTrades, randomWalk, trend } from './generate';

// Whole-series comparisons: generous time on a loaded CI machine (the speed targets live in bench/market.bench.ts).
vi.setConfig({ testTimeout: 60_000 });

const threeDays = randomWalk(3 * 1440, 31, { vol: 0.002 });

describe('analyzeCandles', () => {
  const a = analyzeCandles(threeDays);

  it('bundles the regime, ATR, VWAP, profile, sessions and naked POCs of the same candles', () => {
    expect(a.length).toBe(threeDays.length);
    expect(a.intervalMs).toBe(MINUTE);
    expect(a.regime).toEqual(regimeSeries(threeDays, undefined, MINUTE).series);
    expect(expectSeriesClose(a.regime.atr, atr(threeDays, 14), 1e-12, 'atr')).toBe(threeDays.length - 14);
    expect(a.vwap).toEqual(sessionVwap(threeDays));
    expect(a.profile).toEqual(volumeProfileFromCandles(threeDays));
    expect(a.profileSource).toBe('candles');
    expect(a.sessions).toHaveLength(3);
    expect(a.latest!.time).toBe(threeDays[threeDays.length - 1]!.time);
    for (const n of a.nakedPocs) expect(n.sessionStart).toBeLessThan(a.sessions[2]!.sessionStart);
  });

  it('takes the overall profile from trades when given', () => {
    const withTrades = analyzeCandles(threeDays, { trades: randomTrades(1000, 2), binSize: 0.5 });
    expect(withTrades.profileSource).toBe('trades');
    expect(withTrades.profile.buyVolume).not.toBeNull();
    expect(withTrades.profile.binSize).toBe(0.5);
  });

  it('chart series are plain arrays without warm-up points', () => {
    const c = chartSeries(a);
    expect(c.vwap).toHaveLength(threeDays.length);
    expect(c.atr).toHaveLength(threeDays.length - 14);
    expect(c.adx[0]!.time).toBe(threeDays[27]!.time);
    expect(c.vwapBands.map((b) => b.multiplier)).toEqual([1, 2, 3]);
    expect(c.profile.bins).toHaveLength(100);
    expect(c.profile.poc).toBe(a.profile.poc);
    expect(c.trendSpans[0]!.from).toBe(threeDays[0]!.time);
    expect([c.vwap, c.atr, c.adx, c.hvPercentile, c.meanReversion].every((s) => s.every((p) => Number.isFinite(p.value)))).toBe(true);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    expect(linePoints([1, 2, 3], [NaN, 5, Infinity])).toEqual([{ time: 2, value: 5 }]);
  });

  it('accepts columns as well as candle objects', () => {
    expect(analyzeCandles(toColumns(threeDays)).regime).toEqual(a.regime);
  });
});

describe('summary', () => {
  it('one line with regime, volatility, mean reversion, value area and book', () => {
    const candles = trend(400, 0.5, 1000);
    const book = analyzeBook({
      symbol: 'BTCUSDT',
      time: 5,
      bids: [
        [1199.9, 1],
        [1199, 30],
        [1198, 1],
      ],
      asks: [
        [1200.1, 1],
        [1201, 1],
        [1202, 1],
      ],
    })!;
    const zones = updateZones(initialZoneState(), book).zones.map((z) => ({ ...z, persistent: true }));
    const s = summarizeMarket({ symbol: 'BTCUSDT', candles, book, zones });
    expect(s.regime!.trend).toBe('strong_up');
    expect(s.valueArea).toBe('above');
    // The asks reach 17 bps: 10 bps is the widest band the book covers.
    expect(s.liquidity!.imbalanceBps).toBe(10);
    expect(s.liquidity!.nearestBidWall!.price).toBe(1199);
    expect(s.text).toBe(formatMarketSummary(s));
    // Equal price steps on a rising price: ever smaller log returns, so HV sits at the bottom of its range.
    expect(s.text).toBe('BTCUSDT: strong up (ADX 100) · vol low (p0) · MR 0% · above VA · book +0.88 @10bps · bid wall 1199 (8bps) · 1 zone');
  });

  it('without enough data it says so instead of guessing', () => {
    const s = summarizeMarket({ symbol: 'ETHUSDT', candles: randomWalk(5, 1) });
    expect(s.regime!.trend).toBe('unknown');
    expect(s.liquidity).toBeNull();
    expect(s.text).toBe('ETHUSDT: trend n/a · inside VA');
    expect(summarizeMarket({ symbol: 'X', candles: [] }).text).toBe('X: trend n/a');
  });
});

describe('edge cases', () => {
  it('empty input', () => {
    const a = analyzeCandles([]);
    expect(a.length).toBe(0);
    expect(a.latest).toBeNull();
    expect(a.sessions).toEqual([]);
    expect(a.nakedPocs).toEqual([]);
    expect(a.profile.poc).toBeNaN();
    expect(chartSeries(a).profile.bins).toEqual([]);
  });

  it('one candle', () => {
    const a = analyzeCandles(randomWalk(1, 3));
    expect(a.latest!.trend).toBe('unknown');
    expect(a.vwap.vwap[0]).toBeGreaterThan(0);
    expect(a.profile.total).toBeGreaterThan(0);
    expect(a.intervalMs).toBe(0);
  });

  it('zero volume everywhere: VWAP falls back to equal weights, the profile has no POC', () => {
    const zero = randomWalk(200, 4).map((c) => ({ ...c, volume: 0 }));
    const a = analyzeCandles(zero);
    expect(Array.from(a.vwap.vwap).every(Number.isFinite)).toBe(true);
    expect(a.profile.poc).toBeNaN();
    expect(a.sessions[0]!.profile.poc).toBeNaN();
    expect(a.latest!.trend).not.toBe('unknown');
  });

  it('flat prices: ranging, medium volatility, POC at the price, no NaN in the latest point', () => {
    const a = analyzeCandles(flat(600, 42));
    expect(a.latest!.trend).toBe('ranging');
    expect(a.latest!.volatility).toBe('medium');
    expect(a.profile.poc).toBeCloseTo(42, 9);
    expect(a.vwap.vwap[599]).toBe(42);
    const { varianceRatio, hvAnnualized, ...rest } = a.latest!;
    expect(varianceRatio).toBeNaN(); // no variance: no ratio, and a 0.5 "no evidence" probability instead
    expect(hvAnnualized).toBe(0);
    expect(Object.values(rest).every((v) => typeof v === 'string' || Number.isFinite(v))).toBe(true);
  });
});
