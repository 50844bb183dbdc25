import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_MARKET_SETTINGS, MarketSettingsSchema, parseMarketSettings } from '../../../lib/market/settings';

const messages = (input: unknown) => {
  const r = MarketSettingsSchema.safeParse(input);
  expect(r.success).toBe(false);
  return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('market settings', () => {
  it('everything has a default', () => {
    expect(parseMarketSettings({})).toEqual(DEFAULT_MARKET_SETTINGS);
    expect(DEFAULT_MARKET_SETTINGS.trend).toEqual({ adxStrong: 25, adxWeak: 20, slopeStrongAtr: 2, slopeWeakAtr: 1 });
    expect(DEFAULT_MARKET_SETTINGS.profile.valueArea).toBe(0.7);
    expect(DEFAULT_MARKET_SETTINGS.timeframes).toEqual(['15m', '1h', '4h']);
    expect(parseMarketSettings()).toEqual(DEFAULT_MARKET_SETTINGS);
  });

  it('a partial group keeps the other defaults of that group', () => {
    const s = parseMarketSettings({ trend: { adxStrong: 30 } });
    expect(s.trend).toEqual({ ...DEFAULT_MARKET_SETTINGS.trend, adxStrong: 30 });
    expect(s.volatility).toEqual(DEFAULT_MARKET_SETTINGS.volatility);
  });

  it('a parsed object parses to itself', () => {
    const s = parseMarketSettings({ profile: { valueArea: 0.68 } });
    expect(parseMarketSettings(s)).toEqual(s);
  });

  it('is strict: unknown keys are rejected at every level', () => {
    expect(messages({ trendz: {} }).join()).toMatch(/trendz/);
    expect(messages({ trend: { adxStrength: 30 } }).join()).toMatch(/adxStrength/);
  });

  it('rejects out-of-range values', () => {
    expect(messages({ profile: { valueArea: 0 } })[0]).toMatch(/^profile\.valueArea/);
    expect(messages({ profile: { valueArea: 1.2 } })[0]).toMatch(/^profile\.valueArea/);
    expect(messages({ indicators: { adxPeriod: 1 } })[0]).toMatch(/^indicators\.adxPeriod/);
    expect(messages({ indicators: { adxPeriod: 2.5 } })[0]).toMatch(/^indicators\.adxPeriod/);
    expect(messages({ timeframes: ['2h'] })[0]).toMatch(/^timeframes/);
  });

  it('rejects contradictory values with a message naming the field', () => {
    const cases: [unknown, RegExp][] = [
      [{ trend: { adxWeak: 30, adxStrong: 25 } }, /^trend\.adxWeak: trend\.adxWeak \(30\) must not exceed trend\.adxStrong \(25\)/],
      [{ trend: { slopeWeakAtr: 3 } }, /^trend\.slopeWeakAtr: .*trend\.slopeStrongAtr/],
      [{ volatility: { lowPercentile: 70 } }, /^volatility\.lowPercentile: .*must be below volatility\.highPercentile/],
      [{ meanReversion: { lookback: 20, horizon: 10 } }, /^meanReversion\.horizon: /],
      [{ profile: { vwapBands: [2, 1] } }, /^profile\.vwapBands: .*ascending/],
      [{ liquidity: { bandsBps: [10, 10] } }, /^liquidity\.bandsBps: .*ascending/],
      [{ liquidity: { rangeBps: 50 } }, /^liquidity\.rangeBps: .*widest of liquidity\.bandsBps \(100\)/],
      [{ liquidity: { bucketBps: 500, rangeBps: 200 } }, /^liquidity\.bucketBps: /],
      [{ timeframes: ['1h', '1h'] }, /^timeframes: .*repeat/],
    ];
    for (const [input, re] of cases) expect(messages(input).join('\n')).toMatch(re);
    // Equal weak and strong thresholds are allowed (there is then no weak band).
    expect(() => parseMarketSettings({ trend: { adxWeak: 25 } })).not.toThrow();
  });

  it('throws a ZodError from parseMarketSettings', () => {
    expect(() => parseMarketSettings({ trend: { adxWeak: 40 } })).toThrow(z.ZodError);
  });
});
