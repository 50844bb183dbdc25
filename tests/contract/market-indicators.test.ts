/** Streaming indicators against technicalindicators' batch functions on real candles. */
import * as ti from 'technicalindicators';
import { beforeAll, expect, it, vi } from 'vitest';
import type { Candle } from '../../lib/domain/market';
import { adx, atr, bollinger, ema, linRegSlope, rsi, sma } from '../../lib/market/indicators';
import { AdxStream, AtrStream, BollingerStream, EmaStream, LinRegSlopeStream, RsiStream, SmaStream } from '../../lib/market/streaming';
import { expectSeriesClose } from '../unit/market/expect-series';
import { describeFixtures } from './fixtures';
import { BTC_1M, readCandles, XRP_5M } from './market-data';

// Whole-series comparisons: generous time on a loaded CI machine (the speed targets live in bench/market.bench.ts).
vi.setConfig({ testTimeout: 60_000 });

function streamAll(candles: Candle[], p: number) {
  const s = { sma: new SmaStream(p), ema: new EmaStream(p), rsi: new RsiStream(p), atr: new AtrStream(p), adx: new AdxStream(p), bb: new BollingerStream(p, 2), lr: new LinRegSlopeStream(p) };
  const out = { sma: [] as number[], ema: [] as number[], rsi: [] as number[], atr: [] as number[], adx: [] as number[], pdi: [] as number[], mdi: [] as number[], upper: [] as number[], lower: [] as number[], slope: [] as number[] };
  for (const c of candles) {
    out.sma.push(s.sma.update(c.close));
    out.ema.push(s.ema.update(c.close));
    out.rsi.push(s.rsi.update(c.close));
    out.atr.push(s.atr.update(c.high, c.low, c.close));
    out.adx.push(s.adx.update(c.high, c.low, c.close));
    out.pdi.push(s.adx.pdi);
    out.mdi.push(s.adx.mdi);
    s.bb.update(c.close);
    out.upper.push(s.bb.upper);
    out.lower.push(s.bb.lower);
    out.slope.push(s.lr.update(Math.log(c.close)));
  }
  return out;
}

describeFixtures('market indicators on real candles: streaming equals batch', () => {
  let xrp: Candle[];
  let btc: Candle[];
  beforeAll(() => {
    xrp = readCandles(XRP_5M);
    btc = readCandles(BTC_1M);
  });

  it('reads the fixtures (XRP 5m futures, BTC-quoted 1m spot)', () => {
    expect(xrp).toHaveLength(1999);
    expect(btc).toHaveLength(13_681);
  });

  for (const p of [5, 14, 30]) {
    it(`XRP/USDT 5m, period ${p}: every indicator, warm-up included`, () => {
      const close = xrp.map((c) => c.close);
      const s = streamAll(xrp, p);
      const n = xrp.length;
      expect(expectSeriesClose(s.sma, sma(close, p), 1e-12, 'sma')).toBe(n - p + 1);
      expect(expectSeriesClose(s.ema, ema(close, p), 1e-12, 'ema')).toBe(n - p + 1);
      expect(expectSeriesClose(s.rsi, rsi(close, p), 1e-12, 'rsi')).toBe(n - p);
      expect(expectSeriesClose(s.atr, atr(xrp, p), 1e-12, 'atr')).toBe(n - p);
      // On this data technicalindicators' own ADX is finite throughout, so the wrapper returns it unchanged.
      const raw = ti.ADX.calculate({ period: p, high: xrp.map((c) => c.high), low: xrp.map((c) => c.low), close });
      expect(raw.every((r) => Number.isFinite(r.adx))).toBe(true);
      const a = adx(xrp, p);
      expect(expectSeriesClose(s.adx, a.adx, 1e-10, 'adx')).toBe(n - 2 * p + 1);
      expectSeriesClose(s.pdi, a.pdi, 1e-10, 'pdi');
      expectSeriesClose(s.mdi, a.mdi, 1e-10, 'mdi');
      const b = bollinger(close, p, 2);
      expect(expectSeriesClose(s.upper, b.upper, 1e-10, 'bb.upper')).toBe(n - p + 1);
      expectSeriesClose(s.lower, b.lower, 1e-10, 'bb.lower');
      const slope = linRegSlope(close.map(Math.log), p);
      for (let i = p - 1; i < n; i++) expect(Math.abs(s.slope[i]! - slope[i]!)).toBeLessThan(1e-12);
    });
  }

  it('BTC-quoted 1m with flat stretches: equal too, and no NaN after warm-up', () => {
    const p = 14;
    const close = btc.map((c) => c.close);
    const s = streamAll(btc, p);
    const n = btc.length;
    expect(expectSeriesClose(s.sma, sma(close, p), 1e-12, 'sma')).toBe(n - p + 1);
    expect(expectSeriesClose(s.rsi, rsi(close, p), 1e-12, 'rsi')).toBe(n - p);
    expect(expectSeriesClose(s.atr, atr(btc, p), 1e-12, 'atr')).toBe(n - p);
    expect(expectSeriesClose(s.upper, bollinger(close, p, 2).upper, 1e-10, 'bb.upper')).toBe(n - p + 1);
    const a = adx(btc, p);
    expect(expectSeriesClose(s.adx, a.adx, 1e-10, 'adx')).toBe(n - 2 * p + 1);
    expect(Array.from(a.adx).slice(2 * p - 1).every(Number.isFinite)).toBe(true);
    // adx() falls back to the stream where technicalindicators turns NaN (0/0 on a flat stretch); then the check above
    // would compare the stream with itself. On this data technicalindicators' ADX is finite throughout, so it does not.
    const raw = ti.ADX.calculate({ period: p, high: btc.map((c) => c.high), low: btc.map((c) => c.low), close });
    expect(raw.every((r) => Number.isFinite(r.adx) && Number.isFinite(r.pdi) && Number.isFinite(r.mdi))).toBe(true);
  });
});
