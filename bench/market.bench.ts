/**
 * Market analysis (lib/market). Targets (issue 8): analysis of 50,000 candles <= 25 ms; a profile of 1,000,000 trades
 * <= 60 ms; the streaming indicators >= 5x faster than recomputing technicalindicators' batch functions per candle.
 * Inputs are generated from a fixed seed, so runs compare.
 */
import * as ti from 'technicalindicators';
import type { Candle, Trade } from '../lib/domain/market';
import { analyzeCandles } from '../lib/market/analysis';
import { AdxStream, AtrStream, BollingerStream, EmaStream, RsiStream, SmaStream } from '../lib/market/streaming';
import { volumeProfileFromTrades } from '../lib/market/volume-profile';
import { seededRandom as rng } from '../tests/support/seeded-random';
import { defineBenchmark, percentile, round, sample, type Figure } from './harness';


function candles(n: number, seed: number): Candle[] {
  const r = rng(seed);
  const out: Candle[] = [];
  let close = 60_000;
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i++) {
    const open = close;
    close = open * Math.exp(0.002 * (r() - 0.5));
    out.push({
      time: t0 + i * 60_000,
      open,
      high: Math.max(open, close) * (1 + 0.0005 * r()),
      low: Math.min(open, close) * (1 - 0.0005 * r()),
      close,
      volume: r() * 50,
    });
  }
  return out;
}

function trades(n: number, seed: number): Trade[] {
  const r = rng(seed);
  const out: Trade[] = [];
  let p = 3000;
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i++) {
    p = Math.max(1, p + (r() - 0.5) * 0.4);
    out.push({ time: t0 + i, price: Math.round(p * 100) / 100, size: 0.001 + r() * 3, side: r() < 0.5 ? 'buy' : 'sell' });
  }
  return out;
}

const P = 14;

/** The indicators technicalindicators has, recomputed over the held window for every new candle. */
function batchPerCandle(history: Candle[], fresh: Candle[], window: number): number {
  let sink = 0;
  const held = history.slice(-window);
  for (const c of fresh) {
    held.push(c);
    held.shift();
    const high = held.map((k) => k.high);
    const low = held.map((k) => k.low);
    const close = held.map((k) => k.close);
    sink += ti.ADX.calculate({ period: P, high, low, close }).at(-1)!.adx;
    sink += ti.ATR.calculate({ period: P, high, low, close }).at(-1)!;
    sink += ti.RSI.calculate({ period: P, values: close }).at(-1)!;
    sink += ti.EMA.calculate({ period: 20, values: close }).at(-1)!;
    sink += ti.SMA.calculate({ period: 20, values: close }).at(-1)!;
    sink += ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: close }).at(-1)!.upper;
  }
  return sink;
}

/** The same indicators as streams: warmed on the history once (untimed), then one update per new candle (timed). */
function makeStreams(history: Candle[]) {
  const s = {
    adx: new AdxStream(P),
    atr: new AtrStream(P),
    rsi: new RsiStream(P),
    ema: new EmaStream(20),
    sma: new SmaStream(20),
    bb: new BollingerStream(20, 2),
  };
  const step = (c: Candle) =>
    s.adx.update(c.high, c.low, c.close) +
    s.atr.update(c.high, c.low, c.close) +
    s.rsi.update(c.close) +
    s.ema.update(c.close) +
    s.sma.update(c.close) +
    (s.bb.update(c.close), s.bb.upper);
  for (const c of history) step(c);
  return step;
}

export default defineBenchmark({
  figures: ['market.analysis_50k.ms', 'market.volume_profile_1m_trades.ms', 'market.speedup_vs_technicalindicators'],
  async run() {
    const figs: Figure[] = [];

    const c50k = candles(50_000, 1);
    const a = await sample(() => analyzeCandles(c50k), 30, 5);
    figs.push({ name: 'market.analysis_50k.ms', value: round(percentile(a, 50)), unit: 'ms', n: a.length });

    const t1m = trades(1_000_000, 2);
    const v = await sample(() => volumeProfileFromTrades(t1m, { bins: 200 }), 20, 3);
    figs.push({ name: 'market.volume_profile_1m_trades.ms', value: round(percentile(v, 50)), unit: 'ms', n: v.length });

    // A background holding 500 candles receives 500 new ones.
    const all = candles(1000, 3);
    const history = all.slice(0, 500);
    const fresh = all.slice(500);
    const batch = await sample(() => batchPerCandle(history, fresh, 500), 5, 1);
    // One warmed stream set per timed run, prepared outside the timing.
    const runs = 20;
    const warmup = 5;
    const sets = Array.from({ length: runs + warmup }, () => makeStreams(history));
    let k = 0;
    const streaming = await sample(
      () => {
        const step = sets[k++]!;
        let sink = 0;
        for (const c of fresh) sink += step(c);
        return sink;
      },
      runs,
      warmup,
    );
    const streamMs = Math.max(1e-6, percentile(streaming, 50));
    figs.push({ name: 'market.speedup_vs_technicalindicators', value: round(percentile(batch, 50) / streamMs, 1), unit: 'x', n: batch.length });
    return figs;
  },
});
