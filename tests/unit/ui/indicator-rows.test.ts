import { describe, expect, it } from 'vitest';
import type { Candle } from '@/lib/domain/market';
import { DEFAULT_MARKET_SETTINGS } from '@/lib/market/settings';
import { indicatorRows } from '@/lib/ui/indicator-rows';

const HOUR = 3_600_000;
/** Closes 100 x e^(g i), each candle 1% high and low around its close. */
const series = (n: number, g: number): Candle[] =>
  Array.from({ length: n }, (_, i) => {
    const c = 100 * Math.exp(g * i);
    return { time: i * HOUR, open: c, high: c * 1.01, low: c * 0.99, close: c, volume: 1 };
  });

describe('Market view indicator rows', () => {
  it('a steady rise: RSI 100 overbought, the close above its averages, buyers lead, slope exactly the growth rate', () => {
    const rows = indicatorRows(series(200, 0.001), DEFAULT_MARKET_SETTINGS, 2)!;
    const by = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(rows.map((r) => r.name)).toEqual(['RSI 14', 'EMA 20', 'SMA 20', 'Bollinger 20, 2σ', 'ATR 14', 'ADX 14', 'Slope 20']);
    expect(by.rsi).toMatchObject({ value: '100.0', reading: 'overbought (70 or more)' });
    // SMA of the last 20 closes of a 0.1% a candle rise sits about 0.95% under the close; EMA 20 lags a little less.
    expect(by.sma!.reading).toBe('close 0.95% above');
    expect(by.ema!.reading).toMatch(/^close 0\.9\d% above$/);
    expect(by.adx!.reading).toMatch(/^\+DI \d+\.\d, −DI \d+\.\d: buyers lead$/);
    expect(by.slope).toEqual({ id: 'slope', name: 'Slope 20', value: '+0.100% a candle', reading: 'least-squares slope of ln(close)' });
    // The true range is the high - low, 2% of each close; Wilder's average lags the rise: 1.97% of the last close.
    expect(by.atr!.reading).toBe('1.97% of the close');
    expect(by.bollinger!.value).toMatch(/^\d{3}\.\d{2} – \d{3}\.\d{2}$/);
    // 20 closes rising 0.1% each: their SD is about 0.58% of the middle, so the bands are 2.31% wide and the close,
    // 0.95% above the middle, sits at 0.91 of the way up.
    expect(by.bollinger!.reading).toBe('%B 0.91, width 2.31% of the middle');
  });

  it('a steady fall: oversold, the close below, sellers lead, a negative slope', () => {
    const by = Object.fromEntries(indicatorRows(series(200, -0.002), DEFAULT_MARKET_SETTINGS, 2)!.map((r) => [r.id, r]));
    expect(by.rsi).toMatchObject({ value: '0.0', reading: 'oversold (30 or less)' });
    expect(by.sma!.reading).toMatch(/% below$/);
    expect(by.adx!.reading).toMatch(/sellers lead$/);
    expect(by.slope!.value).toBe('−0.200% a candle');
  });

  it('too few candles for a period: that row warms up, the others read; none: null', () => {
    const by = Object.fromEntries(indicatorRows(series(20, 0.001), DEFAULT_MARKET_SETTINGS, 2)!.map((r) => [r.id, r]));
    expect(by.adx).toMatchObject({ value: '—', reading: 'warming up' }); // needs 2 x 14 - 1 candles
    expect(by.sma!.value).not.toBe('—');
    expect(indicatorRows([], DEFAULT_MARKET_SETTINGS, 2)).toBeNull();
  });

  it('periods follow the settings', () => {
    const settings = { ...DEFAULT_MARKET_SETTINGS, indicators: { ...DEFAULT_MARKET_SETTINGS.indicators, rsiPeriod: 7, emaPeriod: 50 } };
    expect(indicatorRows(series(200, 0.001), settings, 2)!.map((r) => r.name).slice(0, 2)).toEqual(['RSI 7', 'EMA 50']);
  });
});
