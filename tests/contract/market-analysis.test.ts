/** Regime, VWAP, sessions, naked POCs, multi-timeframe and correlation on real candles. */
import { beforeAll, expect, it, vi } from 'vitest';
import type { Candle } from '../../lib/domain/market';
import { analyzeCandles, chartSeries, summarizeMarket } from '../../lib/market/analysis';
import { resampleColumns, toColumns } from '../../lib/market/columns';
import { correlationMatrix } from '../../lib/market/correlation';
import { atr } from '../../lib/market/indicators';
import { multiTimeframeRegime, RegimeStream, TREND_LABELS, VOLATILITY_LABELS } from '../../lib/market/regime';
import { expectSeriesClose } from '../unit/market/expect-series';
import { describeFixtures } from './fixtures';
import { BTC_1M, readCandles, XRP_5M } from './market-data';

// Whole-series comparisons: generous time on a loaded CI machine (the speed targets live in bench/market.bench.ts).
vi.setConfig({ testTimeout: 60_000 });

describeFixtures('market analysis on real candles', () => {
  let xrp: Candle[];
  let btc: Candle[];
  beforeAll(() => {
    xrp = readCandles(XRP_5M);
    btc = readCandles(BTC_1M);
  });

  it('XRP 5m: ATR equals technicalindicators, regimes are known after warm-up, several regimes occur', () => {
    const a = analyzeCandles(xrp);
    expect(a.intervalMs).toBe(300_000);
    expect(expectSeriesClose(a.regime.atr, atr(xrp, 14), 1e-12, 'atr')).toBe(xrp.length - 14);
    const trends = new Set(Array.from(a.regime.trend.slice(27)).map((c) => TREND_LABELS[c]));
    expect(trends.has('unknown')).toBe(false);
    expect(trends.size).toBeGreaterThanOrEqual(3);
    const vols = new Set(Array.from(a.regime.volatility.slice(270)).map((c) => VOLATILITY_LABELS[c]));
    expect([...vols].sort()).toEqual(['high', 'low', 'medium']);
    const mr = Array.from(a.regime.meanReversion).filter(Number.isFinite);
    expect(mr.length).toBe(xrp.length - 100);
    expect(mr.every((p) => p >= 0 && p <= 1)).toBe(true);
  });

  it('XRP 5m: the live stream replayed candle by candle agrees with the batch at every candle', () => {
    const { regime } = analyzeCandles(xrp);
    const s = new RegimeStream(undefined, 300_000);
    xrp.forEach((c, i) => {
      const p = s.push(c);
      if (p.trend !== TREND_LABELS[regime.trend[i]!] || !Object.is(p.hvPercentile, regime.hvPercentile[i])) expect.fail(`candle ${i} differs`);
    });
  });

  it('XRP 5m: session VWAP stays inside the session range, bands are ordered, daily profiles hold their volume', () => {
    const a = analyzeCandles(xrp);
    expect(a.sessions).toHaveLength(7);
    for (const s of a.sessions) {
      const day = xrp.slice(s.first, s.last + 1);
      const lo = Math.min(...day.map((c) => c.low));
      const hi = Math.max(...day.map((c) => c.high));
      for (let i = s.first; i <= s.last; i++) {
        expect(a.vwap.vwap[i]).toBeGreaterThanOrEqual(lo);
        expect(a.vwap.vwap[i]).toBeLessThanOrEqual(hi);
        expect(a.vwap.bands[0]!.upper[i]).toBeLessThanOrEqual(a.vwap.bands[1]!.upper[i]!);
        expect(a.vwap.bands[0]!.lower[i]).toBeGreaterThanOrEqual(a.vwap.bands[1]!.lower[i]!);
      }
      const vol = day.reduce((x, c) => x + c.volume, 0);
      expect(s.profile.total).toBeCloseTo(vol, 0);
      expect(s.profile.valueAreaVolume).toBeGreaterThanOrEqual(0.7 * s.profile.total);
      expect(s.profile.poc).toBeGreaterThanOrEqual(lo);
      expect(s.profile.poc).toBeLessThanOrEqual(hi);
    }
  });

  it('XRP 5m: naked POCs are exactly the completed-session POCs no later candle traded through', () => {
    const a = analyzeCandles(xrp);
    const expected = a.sessions.slice(0, -1).filter((s) => !xrp.slice(s.last + 1).some((c) => c.low <= s.profile.poc && s.profile.poc <= c.high));
    expect(a.nakedPocs.map((n) => n.sessionStart)).toEqual(expected.map((s) => s.sessionStart));
    expect(a.nakedPocs.map((n) => n.price)).toEqual(expected.map((s) => s.profile.poc));
  });

  it('XRP: multi-timeframe from 5m (15m, 1h, 4h), volumes conserved by the aggregation', () => {
    const m = multiTimeframeRegime({ '5m': xrp });
    expect(m.timeframes.map((t) => [t.interval, t.resampledFrom])).toEqual([
      ['15m', '5m'],
      ['1h', '5m'],
      ['4h', '5m'],
    ]);
    // Hour buckets of the (gapless, hour-aligned) 5m candles; the last one counts only when its candles fill it.
    const lastEnd = xrp.at(-1)!.time + 300_000;
    expect(m.timeframes[1]!.candles).toBe(Math.ceil(xrp.length / 12) - (lastEnd % 3_600_000 === 0 ? 0 : 1));
    expect(m.timeframes.every((t) => t.regime !== null && t.regime.trend !== 'unknown')).toBe(true);
    const h1 = resampleColumns(toColumns(xrp), 3_600_000);
    expect(h1.volume.reduce((x, v) => x + v, 0)).toBeCloseTo(xrp.reduce((x, c) => x + c.volume, 0), 0);
  });

  it('BTC-quoted 1m with 538 gaps: correlation uses only true one-minute returns', () => {
    let consecutive = 0;
    for (let i = 1; i < btc.length; i++) if (btc[i]!.time - btc[i - 1]!.time === 60_000) consecutive++;
    const scaled = btc.map((c) => ({ ...c, open: c.open * 7, high: c.high * 7, low: c.low * 7, close: c.close * 7 }));
    const thinned = scaled.filter((_, i) => i % 97 !== 0);
    const m = correlationMatrix({ A: btc, B: scaled, C: thinned, X: xrp });
    expect(m.intervalMs).toBe(60_000);
    expect(m.counts[0]![0]).toBe(consecutive);
    expect(m.counts[0]![1]).toBe(consecutive);
    expect(m.counts[0]![2]).toBeLessThan(consecutive);
    expect(m.matrix[0]![1]).toBeCloseTo(1, 9);
    expect(m.matrix[0]![2]).toBeCloseTo(1, 9);
    // 2017 and 2021 never overlap.
    expect(m.counts[0]![3]).toBe(0);
    expect(m.matrix[0]![3]).toBe(0);
  });

  it('summary and chart data for a view', () => {
    const s = summarizeMarket({ symbol: 'XRPUSDT', candles: xrp.slice(-600), intervalMs: 300_000 });
    expect(s.text).toMatch(/^XRPUSDT: (strong|weak) (up|down) \(ADX \d+\)|^XRPUSDT: ranging \(ADX \d+\)/);
    expect(s.text).toMatch(/ · vol (low|medium|high) \(p\d+\) · MR \d+% · (above|below|inside) VA$/);
    const c = chartSeries(analyzeCandles(btc));
    expect(c.profile.bins).toHaveLength(100);
    expect(c.trendSpans.reduce((n, sp) => n + (sp.trend === 'unknown' ? 0 : 1), 0)).toBeGreaterThan(10);
  });
});
