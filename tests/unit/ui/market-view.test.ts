/** The Market view's view-model: lib/market results turned into chart series and table rows, on small known inputs. */
import { describe, expect, it } from 'vitest';
import type { Candle } from '@/lib/domain/market';
import { analyzeCandles } from '@/lib/market/analysis';
import { correlationMatrix } from '@/lib/market/correlation';
import { analyzeBook, type LiquidityZone } from '@/lib/market/liquidity';
import { TREND_LABELS, VOLATILITY_LABELS, type MultiTimeframeRegime, type RegimePoint } from '@/lib/market/regime';
import { volumeProfileFromCandles } from '@/lib/market/volume-profile';
import {
  amountText,
  bandRows,
  noWallText,
  candleBars,
  chartTime,
  correlationRows,
  correlationSymbols,
  defaultVenue,
  depthCurves,
  headlineBand,
  imbalanceWords,
  normalizeSymbol,
  priceDecimals,
  priceText,
  profileLevels,
  profileRows,
  regimeSegments,
  signedPct,
  suggestedSymbols,
  timeframeRows,
  vwapLines,
  withAlpha,
  zoneRows,
} from '@/lib/ui/market-view';

const H = 3_600_000;
const DAY = 86_400_000;
const c = (time: number, o: number, h: number, l: number, cl: number, v: number): Candle => ({ time, open: o, high: h, low: l, close: cl, volume: v });
/** A zero-range candle: all its volume at one price. */
const at = (time: number, price: number, volume: number) => c(time, price, price, price, price, volume);

describe('formatting', () => {
  it('times in seconds, candles as bars', () => {
    expect(chartTime(1_700_000_000_999)).toBe(1_700_000_000);
    expect(candleBars([c(DAY, 1, 3, 0.5, 2, 9)])).toEqual([{ time: 86_400, open: 1, high: 3, low: 0.5, close: 2 }]);
  });

  it('price decimals from the venue numbers, prices, amounts and signed shares', () => {
    expect(priceDecimals([c(0, 97312.5, 97320, 97300.25, 97310, 1)])).toBe(2);
    expect(priceDecimals([c(0, 0.00012345, 0.0001235, 0.0001234, 0.0001234, 1)])).toBe(8);
    expect(priceDecimals([c(0, 1e-7, 1.5e-7, 1e-7, 1e-7, 1)])).toBe(8);
    expect(priceDecimals([c(0, 97000, 97000, 97000, 97000, 0)])).toBe(0);
    expect(priceText(97312.456, 1)).toBe('97,312.5');
    expect(priceText(-1234567, 0)).toBe('-1,234,567');
    expect(priceText(Number.NaN, 2)).toBe('—');
    expect([amountText(0.5), amountText(1234.5), amountText(54_141.2), amountText(20_340_000), amountText(3.2e9), amountText(undefined)]).toEqual([
      '0.5',
      '1235',
      '54,141',
      '20.34M',
      '3.2B',
      '—',
    ]);
    expect([signedPct(0.18349), signedPct(-0.075), signedPct(0), signedPct(-0.0001)]).toEqual(['+18.3%', '-7.5%', '0%', '0%']);
  });

  it('colours with alpha', () => {
    expect(withAlpha('#0ecb81', 0.5)).toBe('rgba(14, 203, 129, 0.5)');
    expect(withAlpha('#abc', 1)).toBe('rgba(170, 187, 204, 1)');
    expect(withAlpha('rgb(1, 2, 3)', 0.5)).toBe('rgb(1, 2, 3)');
  });
});

describe('price chart series', () => {
  // Four hourly candles over two UTC days: 22:00 and 23:00 on day 1, 00:00 and 01:00 on day 2.
  const t0 = DAY - 2 * H;
  const candles = [c(t0, 100, 103, 97, 100, 10), c(t0 + H, 100, 106, 100, 103, 30), c(t0 + 2 * H, 103, 104, 101, 102, 20), c(t0 + 3 * H, 102, 102, 96, 99, 20)];

  it('VWAP and its bands sit on the candle times; the segment joining two sessions is hidden', () => {
    const a = analyzeCandles(candles, { settings: { profile: { vwapBands: [1, 2] } } });
    const v = vwapLines(a);
    // Typical prices: 100, 103, 102.333.., 99. Session 1: (10*100 + 30*103) / 40 = 102.25; session 2 restarts.
    expect(v.vwap.map((p) => p.time)).toEqual([79_200, 82_800, 86_400, 90_000]);
    expect(v.vwap[0]).toEqual({ time: 79_200, value: 100 });
    expect(v.vwap[1]!.value).toBeCloseTo(102.25, 10);
    expect(v.vwap[1]!.color).toBe('transparent');
    expect(v.vwap[2]).toEqual({ time: 86_400, value: (101 + 104 + 102) / 3 });
    expect(v.vwap[3]!.value).toBeCloseTo((20 * 102.333333333333 + 20 * 99) / 40, 8);
    expect(v.vwap.map((p) => p.color)).toEqual([undefined, 'transparent', undefined, undefined]);
    // σ of session 1 at its second candle: sqrt((10*100² + 30*103²)/40 - 102.25²) = sqrt(1.6875).
    expect(v.bands.map((b) => b.multiplier)).toEqual([1, 2]);
    expect(v.bands[0]!.upper[1]!.value).toBeCloseTo(102.25 + Math.sqrt(1.6875), 10);
    expect(v.bands[1]!.lower[1]!.value).toBeCloseTo(102.25 - 2 * Math.sqrt(1.6875), 10);
    expect(v.bands[0]!.upper.map((p) => p.time)).toEqual([79_200, 82_800, 86_400, 90_000]);
    expect(v.bands[0]!.lower[1]!.color).toBe('transparent');
    expect(vwapLines(a, 'red').vwap[1]!.color).toBe('red');
  });

  it('POC, VAH and VAL lines and the profile rows of a known profile', () => {
    // Volume at 100: 10, 101: 30, 102: 20, 103: 5; one-unit bins [100,101) ... [103,104). Total 65, 70% = 45.5:
    // from the POC bin (101) the two bins above (25) beat the one below (10): 55 >= 45.5, so the value area is 101..104.
    const p = volumeProfileFromCandles([at(0, 100, 10), at(H, 101, 30), at(2 * H, 102, 20), at(3 * H, 103, 5)], { binSize: 1 });
    expect(profileLevels(p)).toEqual([
      { id: 'vah', title: 'VAH', price: 104 },
      { id: 'poc', title: 'POC', price: 101.5 },
      { id: 'val', title: 'VAL', price: 101 },
    ]);
    expect(profileRows(p)).toEqual([
      { low: 100, high: 101, volume: 10, share: 1 / 3, inValueArea: false, poc: false },
      { low: 101, high: 102, volume: 30, share: 1, inValueArea: true, poc: true },
      { low: 102, high: 103, volume: 20, share: 2 / 3, inValueArea: true, poc: false },
      { low: 103, high: 104, volume: 5, share: 1 / 6, inValueArea: true, poc: false },
    ]);
  });

  it('no volume: no levels, no rows (the view says why)', () => {
    const p = volumeProfileFromCandles([at(0, 100, 0), at(H, 100, 0)]);
    expect(profileLevels(p)).toEqual([]);
    expect(profileRows(p)).toEqual([]);
  });

  it('the profile lines of a whole analysis are the profile POC and value area', () => {
    const a = analyzeCandles([at(0, 100, 10), at(H, 101, 30), at(2 * H, 102, 20), at(3 * H, 103, 5)], { binSize: 1 });
    expect(profileLevels(a.profile).map((l) => [l.title, l.price])).toEqual([
      ['VAH', 104],
      ['POC', 101.5],
      ['VAL', 101],
    ]);
  });
});

describe('regime timeline', () => {
  it('runs of one label become segments with their first and last candle time in seconds', () => {
    const time = [0, H, 2 * H, 3 * H, 4 * H, 5 * H];
    expect(regimeSegments(time, [0, 0, 5, 5, 5, 3], TREND_LABELS)).toEqual([
      { from: 0, to: 3600, label: 'unknown', candles: 2 },
      { from: 7200, to: 14_400, label: 'strong_up', candles: 3 },
      { from: 18_000, to: 18_000, label: 'ranging', candles: 1 },
    ]);
    expect(regimeSegments(time, [1, 1, 1, 3, 3, 2], VOLATILITY_LABELS).map((s) => [s.label, s.candles])).toEqual([
      ['low', 3],
      ['high', 2],
      ['medium', 1],
    ]);
    expect(regimeSegments([], [], TREND_LABELS)).toEqual([]);
  });

  it('a steady climb ends in a strong up run after the warm-up', () => {
    const candles = Array.from({ length: 80 }, (_, i) => c(i * H, 100 + i, 100.6 + i, 99.8 + i, 100.5 + i, 10));
    const a = analyzeCandles(candles);
    const segs = regimeSegments(a.time, a.regime.trend, TREND_LABELS);
    expect(segs[0]).toMatchObject({ from: 0, label: 'unknown', candles: 27 }); // ADX needs 2 * 14 - 1 candles
    expect(segs.at(-1)).toMatchObject({ to: chartTime(79 * H), label: 'strong_up' });
    expect(segs.reduce((n, s) => n + s.candles, 0)).toBe(80);
  });
});

describe('order book', () => {
  const book = {
    symbol: 'BTCUSDT',
    time: 1,
    // mid 100; 1 bps = 0.01
    bids: [
      [99.99, 2],
      [99.95, 1],
      [99.5, 40],
      [98, 5],
    ] as [number, number][],
    asks: [
      [100.01, 1],
      [100.05, 3],
      [100.2, 1],
      [102, 9],
    ] as [number, number][],
  };

  it('cumulative depth within the widest band, both sides in ascending price', () => {
    expect(depthCurves(book, 100, 100)).toEqual({
      bids: [
        { price: 99.5, cumulative: 43 },
        { price: 99.95, cumulative: 3 },
        { price: 99.99, cumulative: 2 },
      ],
      asks: [
        { price: 100.01, cumulative: 1 },
        { price: 100.05, cumulative: 4 },
        { price: 100.2, cumulative: 5 },
      ],
    });
    // Unsorted input and empty levels are handled; 10 bps keeps only the nearest.
    expect(depthCurves({ bids: [[99.95, 1], [99.99, 2], [99.98, 0]], asks: [] }, 100, 10)).toEqual({
      bids: [
        { price: 99.95, cumulative: 3 },
        { price: 99.99, cumulative: 2 },
      ],
      asks: [],
    });
  });

  it('band rows, the headline imbalance and its words', () => {
    const l = analyzeBook(book, { liquidity: { bandsBps: [10, 25, 50, 100], rangeBps: 200, wallMultiple: 5 } })!;
    const rows = bandRows(l.bands);
    expect(rows.map((r) => r.bps)).toEqual([10, 25, 50, 100]);
    // Within 10 bps: bids 2*99.99 + 1*99.95 = 299.93, asks 1*100.01 + 3*100.05 = 400.16.
    expect(rows[0]).toMatchObject({ bps: 10, bid: '299.9', ask: '400.2', imbalanceText: '-14.3%' });
    expect(rows[0]!.imbalance).toBeCloseTo((299.93 - 400.16) / (299.93 + 400.16), 12);
    // The book reaches 200 bps: the headline is the page panel's band, 50 bps (one choice for both).
    expect(headlineBand(l)?.bps).toBe(50);
    expect(headlineBand({ bands: [] })).toBeNull();
    expect([imbalanceWords(0.2), imbalanceWords(-0.143), imbalanceWords(0.01)]).toEqual(['bid-heavy (+20%)', 'ask-heavy (-14.3%)', 'balanced']);
    // The 40 at 99.5 is a wall: >= 5x the median level size in range.
    expect(l.walls.map((w) => [w.side, w.price])).toEqual([['bid', 99.5]]);
  });

  it('a band the book read does not reach shows no figures, and says how far the book reaches', () => {
    // Hyperliquid's 20 levels of BTC: 3.1 bps.
    const hl = analyzeBook({
      symbol: 'BTC',
      time: 0,
      bids: Array.from({ length: 20 }, (_, i): [number, number] => [64_999 - i, 2]),
      asks: Array.from({ length: 20 }, (_, i): [number, number] => [65_001 + i, 2]),
    })!;
    expect(bandRows(hl.bands, hl.reachBps)).toEqual(
      [10, 25, 50, 100].map((bps) => ({ bps, covered: false, bid: '—', ask: '—', imbalance: 0, imbalanceText: 'not covered (book reaches 3.1 bps)' })),
    );
    expect(headlineBand(hl)).toBeNull();
    expect(noWallText(hl, 100, 5)).toBe('No wall within 3.1 bps, as far as the book read reaches at full precision (no level at 5x the median size or more).');
    const full = analyzeBook(book, { liquidity: { bandsBps: [10, 25, 50, 100], rangeBps: 100 } })!;
    expect(bandRows(full.bands, full.reachBps).every((r) => r.covered)).toBe(true);
    expect(noWallText(full, 100, 5)).toBe('No wall within 100 bps (no level at 5x the median size or more).');
  });

  it('zones: persistent first, then by size, with their age in seconds', () => {
    const z = (id: string, side: 'bid' | 'ask', size: number, persistent: boolean, first: number, last: number): LiquidityZone => ({
      id,
      side,
      price: 100,
      size,
      peakSize: size,
      firstSeen: first,
      lastSeen: last,
      sightings: 3,
      missed: 0,
      persistent,
    });
    expect(zoneRows([z('z1', 'bid', 50, false, 0, 1000), z('z2', 'ask', 10, true, 0, 45_000), z('z3', 'bid', 20, true, 5000, 40_400)])).toEqual([
      { id: 'z3', side: 'bid', price: 100, size: 20, sightings: 3, ageSec: 35, persistent: true },
      { id: 'z2', side: 'ask', price: 100, size: 10, sightings: 3, ageSec: 45, persistent: true },
      { id: 'z1', side: 'bid', price: 100, size: 50, sightings: 3, ageSec: 1, persistent: false },
    ]);
  });
});

describe('timeframes and correlation', () => {
  const point = (over: Partial<RegimePoint>): RegimePoint => ({
    time: 0,
    trend: 'ranging',
    volatility: 'medium',
    adx: 18.4,
    pdi: 20,
    mdi: 20,
    atr: 1,
    slope: 0,
    slopeAtr: 0.314,
    hv: 0.01,
    hvAnnualized: 0.5,
    hvPercentile: 51.6,
    varianceRatio: 1,
    meanReversion: 0.426,
    ...over,
  });

  it('one row per timeframe, in words', () => {
    const m: MultiTimeframeRegime = {
      alignment: 0,
      timeframes: [
        { interval: '15m', candles: 500, regime: point({ trend: 'strong_up', adx: 31.2, slopeAtr: 2.456, volatility: 'high', hvPercentile: 88.4 }) },
        { interval: '1h', candles: 500, regime: point({}) },
        { interval: '4h', candles: 0, regime: null },
      ],
    };
    expect(timeframeRows(m)).toEqual([
      { interval: '15m', trend: 'strong_up', trendText: 'strong up', adx: '31', slope: '+2.46', volatility: 'high', volatilityText: 'high (p88)', meanReversion: '43%', candles: 500 },
      { interval: '1h', trend: 'ranging', trendText: 'ranging', adx: '18', slope: '+0.31', volatility: 'medium', volatilityText: 'medium (p52)', meanReversion: '43%', candles: 500 },
      { interval: '4h', trend: 'unknown', trendText: 'no candles', adx: '—', slope: '—', volatility: 'unknown', volatilityText: '—', meanReversion: '—', candles: 0 },
    ]);
    const warm = timeframeRows({ alignment: 0, timeframes: [{ interval: '4h', candles: 30, regime: point({ trend: 'unknown', volatility: 'unknown', adx: Number.NaN, slopeAtr: Number.NaN, meanReversion: Number.NaN }) }] });
    expect(warm[0]).toMatchObject({ trendText: 'warming up', adx: '—', slope: '—', volatilityText: 'warming up', meanReversion: '—' });
  });

  it('the correlation matrix as rows; too little overlap reads n/a', () => {
    const series = (f: (i: number) => number, n = 30) => Array.from({ length: n }, (_, i) => at(i * H, f(i), 1));
    const m = correlationMatrix({ AAA: series((i) => 100 * 1.01 ** (i % 2 ? i : -i)), BBB: series((i) => 50 * 1.01 ** (i % 2 ? i : -i)), CCC: series((i) => 10 + i, 5) }, { intervalMs: H });
    const rows = correlationRows(m, 20);
    expect(rows.map((r) => r.symbol)).toEqual(['AAA', 'BBB', 'CCC']);
    expect(rows[0]!.cells.map((x) => x.text)).toEqual(['1.00', '1.00', 'n/a']);
    expect(rows[0]!.cells[1]).toMatchObject({ sign: 'pos', strength: 1, count: 29 });
    expect(rows[2]!.cells.map((x) => [x.text, x.sign, x.count])).toEqual([
      ['n/a', 'none', 4],
      ['n/a', 'none', 4],
      ['1.00', 'pos', 4],
    ]);
  });
});

describe('symbols', () => {
  const src = {
    positions: [
      { venue: 'binance' as const, symbol: 'ETHUSDT' },
      { venue: 'hyperliquid' as const, symbol: 'SOL' },
    ],
    pages: [
      { venue: 'binance' as const, symbol: 'BTCUSDT' },
      { venue: 'binance' as const, symbol: 'ETHUSDT' },
      { venue: 'binance' as const, symbol: null },
      { venue: 'hyperliquid' as const, symbol: 'xyz:XYZ100' },
    ],
  };

  it('suggests positions first, then watched pages, then the venue default; no repeats', () => {
    expect(suggestedSymbols(src, 'binance')).toEqual(['ETHUSDT', 'BTCUSDT']);
    expect(suggestedSymbols(src, 'hyperliquid')).toEqual(['SOL', 'xyz:XYZ100', 'BTC']);
    expect(suggestedSymbols({ positions: [], pages: [] }, 'binance')).toEqual(['BTCUSDT']);
  });

  it('opens on the venue of a position, else of a watched page, else of an account, else Binance', () => {
    expect(defaultVenue(src, [])).toBe('binance');
    expect(defaultVenue({ positions: [], pages: [{ venue: 'hyperliquid', symbol: 'BTC' }] }, ['binance'])).toBe('hyperliquid');
    expect(defaultVenue({ positions: [], pages: [] }, ['hyperliquid', 'binance'])).toBe('hyperliquid');
    expect(defaultVenue({ positions: [], pages: [] }, [])).toBe('binance');
  });

  it('correlates the shown symbol with the watched ones, at least two', () => {
    expect(correlationSymbols(src, 'binance', 'ETHUSDT')).toEqual(['ETHUSDT', 'BTCUSDT']);
    expect(correlationSymbols(src, 'hyperliquid', 'BTC')).toEqual(['BTC', 'SOL', 'xyz:XYZ100']);
    expect(correlationSymbols({ positions: [], pages: [] }, 'binance', 'BTCUSDT')).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(correlationSymbols({ positions: [], pages: [] }, 'hyperliquid', 'DOGE')).toEqual(['DOGE', 'BTC']);
  });

  it('spells what the trader typed as the venue does', () => {
    expect(normalizeSymbol('binance', ' btc-usdt ')).toBe('BTCUSDT');
    expect(normalizeSymbol('hyperliquid', 'eth')).toBe('ETH');
    expect(normalizeSymbol('hyperliquid', 'kPEPE')).toBe('kPEPE');
    expect(normalizeSymbol('hyperliquid', 'XYZ:xyz100')).toBe('xyz:XYZ100');
  });
});
