/** The Market view analyses closed candles only, as the page panel does; the forming one is only drawn. */
import { describe, expect, it } from 'vitest';
import { INTERVAL_MS, type Candle, type CandleInterval } from '@/lib/domain/market';
import type { RuntimeLike } from '@/lib/messaging/client';
import { createMarketFeed } from '@/lib/ui/market-feed';
import { RegimeTracker, closedCandles } from '@/lib/market/summary';
import { multiTimeframeRegime } from '@/lib/market/regime';

const NOW = Date.UTC(2026, 10, 20, 10, 3); // 3 minutes into the 10:00 candle

/** Candles up to the one forming at NOW (as Binance and Hyperliquid return them). */
function series(interval: CandleInterval, n: number, phase = 0): Candle[] {
  const step = INTERVAL_MS[interval];
  const formingOpen = Math.floor(NOW / step) * step;
  return Array.from({ length: n }, (_, i) => {
    const t = formingOpen - (n - 1 - i) * step;
    const c = 100 + 8 * Math.sin(i / 11 + phase) + (i % 4) * 0.3;
    // The forming candle: three minutes of a fast drop so far.
    if (i === n - 1) return { time: t, open: c, high: c + 0.1, low: c - 6, close: c - 6, volume: 3 };
    return { time: t, open: c - 0.4, high: c + 1, low: c - 1, close: c, volume: 10 };
  });
}

function runtime(): RuntimeLike {
  return {
    sendMessage: async (m: unknown) => {
      const msg = m as { type: string; data: { symbol: string; interval: CandleInterval; limit: number } };
      const src = { ok: true, venue: 'binance', symbol: msg.data.symbol, account: 'a', accountLabel: 'A' };
      if (msg.type === 'market.candles') return { ok: true, data: { ...src, interval: msg.data.interval, candles: series(msg.data.interval, msg.data.limit, msg.data.symbol === 'BTCUSDT' ? 0 : 1) } };
      return { ok: true, data: { ...src, book: { symbol: msg.data.symbol, time: NOW, bids: [[99, 1]], asks: [[101, 1]] } } };
    },
    connect: () => {
      throw new Error('no ports');
    },
  } as unknown as RuntimeLike;
}

describe('market feed: closed candles only', () => {
  it('the regime, timeframes and correlations read closed candles; the forming candle is kept apart for the chart', async () => {
    const feed = createMarketFeed(runtime(), { now: () => NOW, setTimer: () => 0, clearTimer: () => {} });
    await feed.load({ venue: 'binance', symbol: 'BTCUSDT', interval: '1h' }, ['ETHUSDT']);
    const c = feed.chart.value!;
    const all = series('1h', 500);
    expect(c.candles).toEqual(all.slice(0, -1));
    expect(c.forming).toEqual(all.at(-1));
    expect(c.analysis.length).toBe(499);
    expect(c.vwapNote).toBeNull();
    // The same regime as the page panel's tracker.
    const panel = new RegimeTracker('1h');
    panel.feed(closedCandles(all, '1h', NOW));
    const p = panel.summary()!;
    expect(c.analysis.latest!.time).toBe(p.time);
    expect(c.analysis.latest!.adx).toBeCloseTo(p.adx!, 9);
    // Each timeframe from its closed candles.
    const closed = (tf: CandleInterval) => closedCandles(series(tf, 500), tf, NOW);
    const ref = multiTimeframeRegime({ '15m': closed('15m'), '1h': closed('1h'), '4h': closed('4h') }, feed.settings);
    expect(feed.mtf.value!.regime).toEqual(ref);
    expect(feed.mtf.value!.regime.timeframes.map((t) => t.candles)).toEqual([499, 499, 499]);
    // Correlations over the closed candles: 498 returns each.
    expect(feed.correlation.value!.matrix.counts[0]![1]).toBe(498);
  });

  it('at 1d the chart carries the note that session VWAP needs intraday candles', async () => {
    const feed = createMarketFeed(runtime(), { now: () => NOW, setTimer: () => 0, clearTimer: () => {} });
    await feed.load({ venue: 'binance', symbol: 'BTCUSDT', interval: '1d' });
    expect(feed.chart.value!.vwapNote).toBe('Session VWAP needs intraday candles: at 1d every candle is a session of its own.');
  });

  it('with only a forming candle, says there is no closed candle yet', async () => {
    const rt = {
      sendMessage: async (m: unknown) => {
        const msg = m as { data: { symbol: string; interval: CandleInterval } };
        return { ok: true, data: { ok: true, venue: 'binance', symbol: msg.data.symbol, account: 'a', accountLabel: 'A', interval: msg.data.interval, candles: series(msg.data.interval, 1) } };
      },
      connect: () => {
        throw new Error('no ports');
      },
    } as unknown as RuntimeLike;
    const feed = createMarketFeed(rt, { now: () => NOW, setTimer: () => 0, clearTimer: () => {} });
    await feed.load({ venue: 'binance', symbol: 'NEWUSDT', interval: '1h' });
    expect(feed.chart.value).toBeNull();
    expect(feed.error.value).toEqual({ reason: 'unknown_symbol', message: 'NEWUSDT has no closed 1h candle yet.' });
  });
});
