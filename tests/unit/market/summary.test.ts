/** The background's compact market picture: incremental trackers equal a batch pass, ATR % equals the risk engine's. */
import { describe, expect, it } from 'vitest';
import type { Candle, OrderBook } from '../../../lib/domain/market';
import { RegimeStream } from '../../../lib/market/regime';
import { AtrPctTracker, CLOSE_GRACE_MS, RegimeTracker, bookSummary, closedCandles, correlatedGroups, summaryLine } from '../../../lib/market/summary';
import { atrPercent } from '../../../lib/risk/sizing';
import { randomWalk, range, trend } from './generate';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The generated series re-timed to a candle interval. */
const every = (cs: Candle[], step: number, t0 = Date.UTC(2026, 0, 1)) => cs.map((c, i) => ({ ...c, time: t0 + i * step }));

describe('closedCandles', () => {
  it('drops the candle still forming at now', () => {
    const cs = every(trend(5, 1), HOUR);
    const now = cs[4]!.time + HOUR - 1;
    expect(closedCandles(cs, '1h', now)).toHaveLength(4);
    // Closed by our clock, but the venue's may lag: the last candle returned waits CLOSE_GRACE_MS past its close.
    expect(closedCandles(cs, '1h', now + 1)).toHaveLength(4);
    expect(closedCandles(cs, '1h', now + CLOSE_GRACE_MS)).toHaveLength(4);
    expect(closedCandles(cs, '1h', now + 1 + CLOSE_GRACE_MS)).toHaveLength(5);
    // A later candle returned proves the earlier one closed on the venue.
    expect(closedCandles(cs.slice(0, 4), '1h', cs[3]!.time + HOUR)).toHaveLength(3);
    expect(closedCandles(cs, '1h', cs[3]!.time + HOUR + 1)).toHaveLength(4);
  });
});

describe('RegimeTracker', () => {
  it('fed in overlapping chunks equals one stream over every candle', () => {
    const cs = every(randomWalk(400, 3), HOUR);
    const t = new RegimeTracker('1h');
    t.feed(cs.slice(0, 300));
    t.feed(cs.slice(250, 350)); // overlap: repeats are skipped
    t.feed(cs.slice(340));
    const s = new RegimeStream(undefined, HOUR);
    for (const c of cs) s.push(c);
    const p = s.point();
    expect(t.fed).toBe(400);
    expect(t.summary()).toEqual({
      interval: '1h',
      time: cs[399]!.time,
      trend: p.trend,
      volatility: p.volatility,
      adx: p.adx,
      hvPercentile: p.hvPercentile,
      meanReversion: p.meanReversion,
    });
  });

  it('reads a clean uptrend as a strong uptrend and a triangle wave as ranging', () => {
    const up = new RegimeTracker('1h');
    up.feed(every(trend(300, 0.5), HOUR));
    expect(up.summary()?.trend).toBe('strong_up');
    const flat = new RegimeTracker('1h');
    flat.feed(every(range(300, 8), HOUR));
    expect(flat.summary()?.trend).toBe('ranging');
  });

  it('has no summary before a candle, and nulls (not NaN) while the windows fill', () => {
    const t = new RegimeTracker('1h');
    expect(t.summary()).toBeNull();
    t.feed(every(trend(3, 1), HOUR));
    expect(t.summary()).toMatchObject({ trend: 'unknown', volatility: 'unknown', adx: null, hvPercentile: null });
  });
});

describe('AtrPctTracker', () => {
  it('equals the risk engine`s atrPercent (technicalindicators) on the same candles, fed in pieces', () => {
    const cs = every(randomWalk(60, 9), DAY);
    const t = new AtrPctTracker(14);
    t.feed(cs.slice(0, 20));
    t.feed(cs.slice(10));
    expect(t.value()).not.toBeNull();
    expect(t.value()!).toBeCloseTo(atrPercent(cs, 14)!, 10);
  });

  it('is null until the period has filled', () => {
    const t = new AtrPctTracker(14);
    t.feed(every(trend(10, 1), DAY));
    expect(t.value()).toBeNull();
  });
});

describe('bookSummary and summaryLine', () => {
  const book: OrderBook = {
    symbol: 'BTCUSDT',
    time: 5,
    bids: [
      [99.95, 1],
      [99.85, 1],
      [99.78, 2],
      [99.6, 20],
      [99.3, 1],
    ],
    asks: [
      [100.05, 1],
      [100.15, 1],
      [100.32, 1],
      [100.62, 1],
    ],
  };

  it('reads the 50 bps band and the nearest wall', () => {
    const b = bookSummary(book, { liquidity: { bucketBps: 10 } })!;
    expect(b.bandBps).toBe(50);
    expect(b.bidNotional).toBeCloseTo(99.95 + 99.85 + 99.78 * 2 + 99.6 * 20, 9);
    expect(b.askNotional).toBeCloseTo(100.05 + 100.15 + 100.32, 9);
    expect(b.imbalance).toBeCloseTo((b.bidNotional - b.askNotional) / (b.bidNotional + b.askNotional), 12);
    expect(b.wall).toMatchObject({ side: 'bid', price: 99.6 });
  });

  it('is null for a one-sided book', () => {
    expect(bookSummary({ ...book, asks: [] })).toBeNull();
  });

  it('formats one line, leaving out what it does not have', () => {
    const regime = { interval: '1h' as const, time: 0, trend: 'weak_up' as const, volatility: 'high' as const, adx: 22, hvPercentile: 91, meanReversion: 0.4 };
    const b = { time: 0, spreadBps: 1, bandBps: 50, imbalance: 0.28, bidNotional: 1, askNotional: 1, wall: { side: 'ask' as const, price: 68_200, distanceBps: 30, multiple: 8 } };
    expect(summaryLine({ regime, atrPct: 3.24, book: b })).toBe('1h weak up · high vol · ATR 3.2% · book 64% bid ±50bps · ask wall 68,200');
    expect(summaryLine({ regime: { ...regime, volatility: 'unknown' }, atrPct: null, book: { ...b, bandBps: 25, imbalance: -0.5, wall: null } })).toBe('1h weak up · book 75% ask ±25bps');
    expect(summaryLine({ regime: null, atrPct: null, book: null })).toBe('No market data yet');
  });
});

describe('correlatedGroups', () => {
  const asset = (s: string) => s.replace(/USDT$/, '');
  const walk = every(randomWalk(200, 11), HOUR);
  /** The same returns at another price level: correlation 1. */
  const scaled = (k: number) => walk.map((c) => ({ ...c, open: c.open * k, high: c.high * k, low: c.low * k, close: c.close * k }));
  /** Mirrored returns: correlation -1. */
  const mirrored = walk.map((c) => ({ ...c, open: 10_000 / c.open, high: 10_000 / c.low, low: 10_000 / c.high, close: 10_000 / c.close }));

  it('groups assets whose returns correlate at or above the threshold; hedges and independent assets stay apart', () => {
    const series = { BTCUSDT: walk, ETHUSDT: scaled(0.05), SOLUSDT: every(randomWalk(200, 99), HOUR), XRPUSDT: mirrored, BTC: scaled(1.0001) };
    expect(correlatedGroups(series, 0.8, asset)).toEqual([['BTC', 'ETH']]);
  });

  it('joins chains into one group, and finds none among unrelated assets or below the overlap', () => {
    const series = { AUSDT: walk, BUSDT: scaled(2), CUSDT: scaled(3) };
    expect(correlatedGroups(series, 0.8, asset)).toEqual([['A', 'B', 'C']]);
    expect(correlatedGroups({ AUSDT: walk, DUSDT: every(randomWalk(200, 5), HOUR) }, 0.8, asset)).toEqual([]);
    expect(correlatedGroups({ AUSDT: walk.slice(0, 10), BUSDT: scaled(2).slice(0, 10) }, 0.8, asset)).toEqual([]);
  });
});
