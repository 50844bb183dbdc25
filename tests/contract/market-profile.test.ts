/** Volume profile from real trades (Binance ETH/USDT, 1,000 trades) and from the candles they make. */
import { beforeAll, expect, it, vi } from 'vitest';
import type { Candle, Trade } from '../../lib/domain/market';
import { volumeProfileFromCandles, volumeProfileFromTrades } from '../../lib/market/volume-profile';
import { describeFixtures } from './fixtures';
import { ETH_TRADES, readTrades } from './market-data';

// Whole-series comparisons: generous time on a loaded CI machine (the speed targets live in bench/market.bench.ts).
vi.setConfig({ testTimeout: 60_000 });

describeFixtures('market volume profile on real trades', () => {
  let trades: Trade[];
  beforeAll(() => {
    trades = readTrades(ETH_TRADES);
  });

  it('reads 1,000 trades', () => {
    expect(trades).toHaveLength(1000);
    expect(trades.filter((t) => t.side === 'buy')).toHaveLength(527);
  });

  it('with a one-tick bin, every price has its own bin and the POC is the most traded price', () => {
    const byPrice = new Map<string, number>();
    for (const t of trades) byPrice.set(t.price.toFixed(2), (byPrice.get(t.price.toFixed(2)) ?? 0) + t.size);
    const [topPrice, topVol] = [...byPrice].sort((a, b) => b[1] - a[1])[0]!;
    const p = volumeProfileFromTrades(trades, { binSize: 0.01 });
    expect(p.poc - 0.005).toBeCloseTo(Number(topPrice), 9);
    expect(p.volume[p.pocIndex]).toBeCloseTo(topVol, 9);
    // Every traded price's volume sits in its own bin.
    for (const [price, vol] of byPrice) {
      const bin = Math.round((Number(price) - p.low) / 0.01);
      expect(p.volume[bin], price).toBeCloseTo(vol, 9);
    }
    const total = trades.reduce((x, t) => x + t.size, 0);
    expect(p.total).toBeCloseTo(total, 9);
    expect(p.valueAreaVolume).toBeGreaterThanOrEqual(0.7 * total);
    const buys = trades.filter((t) => t.side === 'buy').reduce((x, t) => x + t.size, 0);
    expect(p.buyVolume!.reduce((x, v) => x + v, 0)).toBeCloseTo(buys, 9);
  });

  it('the profile of 10-second candles built from the trades agrees on where volume traded', () => {
    const candles: Candle[] = [];
    for (const t of trades) {
      const time = Math.floor(t.time / 10_000) * 10_000;
      const last = candles[candles.length - 1];
      if (last && last.time === time) {
        last.high = Math.max(last.high, t.price);
        last.low = Math.min(last.low, t.price);
        last.close = t.price;
        last.volume += t.size;
      } else candles.push({ time, open: t.price, high: t.price, low: t.price, close: t.price, volume: t.size });
    }
    const fromCandles = volumeProfileFromCandles(candles, { binSize: 0.1 });
    const fromTrades = volumeProfileFromTrades(trades, { binSize: 0.1 });
    expect(fromCandles.total).toBeCloseTo(fromTrades.total, 6);
    // Spreading a candle's volume over its range blurs, but the value areas overlap.
    expect(fromCandles.val).toBeLessThan(fromTrades.vah);
    expect(fromTrades.val).toBeLessThan(fromCandles.vah);
    expect(Math.abs(fromCandles.poc - fromTrades.poc)).toBeLessThan(1);
  });
});
