/**
 * Market-analysis thresholds and periods. Every group has defaults, so `parseMarketSettings({})` is the default
 * configuration; unknown keys are rejected (strict) and contradictory values fail with a message naming the field.
 * Exported for the settings page.
 */
import { z } from 'zod';
import { CandleIntervalSchema } from '../domain/market';

const period = (def: number) => z.number().int().min(2).max(10_000).default(def);
const positive = (def: number) => z.number().finite().positive().default(def);
const pct = (def: number) => z.number().finite().min(0).max(100).default(def);

export const IndicatorSettingsSchema = z
  .object({
    adxPeriod: period(14),
    atrPeriod: period(14),
    rsiPeriod: period(14),
    emaPeriod: period(20),
    smaPeriod: period(20),
    bollingerPeriod: period(20),
    bollingerStdDev: positive(2),
    /** Window of the least-squares slope of ln(close). */
    slopePeriod: period(20),
  })
  .strict();

export const TrendSettingsSchema = z
  .object({
    /** ADX at or above which a directional move counts as strong. */
    adxStrong: pct(25),
    /** ADX at or above which a directional move counts at all (below: ranging). */
    adxWeak: pct(20),
    /** |fitted move over slopePeriod| in ATRs needed for a strong trend. */
    slopeStrongAtr: positive(2),
    /** |fitted move over slopePeriod| in ATRs needed for a weak trend. */
    slopeWeakAtr: positive(1),
  })
  .strict();

export const VolatilitySettingsSchema = z
  .object({
    /** Window of the standard deviation of log returns (historical volatility). */
    hvPeriod: period(20),
    /** How many past HV values the percentile is taken over. */
    lookback: period(250),
    /** HV percentile below which volatility is low. */
    lowPercentile: pct(33),
    /** HV percentile above which volatility is high. */
    highPercentile: pct(67),
  })
  .strict();

export const MeanReversionSettingsSchema = z
  .object({
    /** One-bar log returns in the variance-ratio window. */
    lookback: period(100),
    /** Horizon q of the variance ratio VR(q) (bars). */
    horizon: period(4),
  })
  .strict();

export const ProfileSettingsSchema = z
  .object({
    /** Price rows of a profile when no bin size is given. */
    bins: z.number().int().min(1).max(100_000).default(100),
    /** Share of volume in the value area, 0..1 exclusive of 0. */
    valueArea: z.number().finite().gt(0).max(1).default(0.7),
    /** Session length for session profiles, naked POCs and session VWAP (default: one UTC day). */
    sessionMs: z.number().int().positive().default(86_400_000),
    /**
     * Session start offset: session = floor((time - offset) / sessionMs), so sessions start at offset past each UTC
     * boundary. A New York day is +4h in summer (EDT, midnight = 04:00 UTC) and +5h in winter (EST); a fixed offset
     * does not follow daylight saving, so one value is an hour off for half the year.
     */
    sessionOffsetMs: z.number().int().default(0),
    /** VWAP band multipliers of the volume-weighted standard deviation, ascending. */
    vwapBands: z.array(z.number().finite().positive()).max(5).default([1, 2, 3]),
  })
  .strict();

export const LiquiditySettingsSchema = z
  .object({
    /** Depth bands around the mid, in basis points, ascending. */
    bandsBps: z.array(z.number().finite().positive()).min(1).max(10).default([10, 25, 50, 100]),
    /** How far from the mid walls, levels and zones are looked for (bps). */
    rangeBps: positive(100),
    /** A level is a wall when its size is at least this multiple of the median level size in range. */
    wallMultiple: positive(5),
    /** Bucket width for significant levels (bps of the mid). */
    bucketBps: positive(5),
    /** A bucket is significant when its size is at least this multiple of the median bucket in range. */
    significantMultiple: positive(2.5),
    /** Zones in consecutive snapshots match when their centres are within this distance (bps). */
    zoneToleranceBps: positive(5),
    /** Sightings before a zone counts as persistent. */
    zoneMinSnapshots: z.number().int().min(1).default(3),
    /** Minimum lifetime before a zone counts as persistent (ms). */
    zoneMinDurationMs: z.number().int().nonnegative().default(30_000),
    /** Consecutive snapshots a zone may be absent before it is dropped. */
    zoneMaxMissed: z.number().int().nonnegative().default(2),
    /** Cap on tracked zones (largest kept). */
    zoneMaxCount: z.number().int().min(1).default(50),
  })
  .strict();

export const CorrelationSettingsSchema = z
  .object({
    /** Fewer common returns than this gives correlation 0 (and says so in `counts`). */
    minOverlap: z.number().int().min(2).default(20),
  })
  .strict();

export const MarketSettingsSchema = z
  .object({
    indicators: IndicatorSettingsSchema.prefault({}),
    trend: TrendSettingsSchema.prefault({}),
    volatility: VolatilitySettingsSchema.prefault({}),
    meanReversion: MeanReversionSettingsSchema.prefault({}),
    profile: ProfileSettingsSchema.prefault({}),
    liquidity: LiquiditySettingsSchema.prefault({}),
    correlation: CorrelationSettingsSchema.prefault({}),
    /** Timeframes of the multi-timeframe regime view. */
    timeframes: z.array(CandleIntervalSchema).min(1).max(6).default(['15m', '1h', '4h']),
  })
  .strict()
  .superRefine((s, ctx) => {
    const fail = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (s.trend.adxWeak > s.trend.adxStrong)
      fail(['trend', 'adxWeak'], `trend.adxWeak (${s.trend.adxWeak}) must not exceed trend.adxStrong (${s.trend.adxStrong})`);
    if (s.trend.slopeWeakAtr > s.trend.slopeStrongAtr)
      fail(
        ['trend', 'slopeWeakAtr'],
        `trend.slopeWeakAtr (${s.trend.slopeWeakAtr}) must not exceed trend.slopeStrongAtr (${s.trend.slopeStrongAtr})`,
      );
    if (s.volatility.lowPercentile >= s.volatility.highPercentile)
      fail(
        ['volatility', 'lowPercentile'],
        `volatility.lowPercentile (${s.volatility.lowPercentile}) must be below volatility.highPercentile (${s.volatility.highPercentile})`,
      );
    // VR(q) needs several q-bar returns in the window to mean anything.
    if (s.meanReversion.horizon * 4 > s.meanReversion.lookback)
      fail(
        ['meanReversion', 'horizon'],
        `meanReversion.horizon (${s.meanReversion.horizon}) must be at most a quarter of meanReversion.lookback (${s.meanReversion.lookback})`,
      );
    const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);
    if (!ascending(s.profile.vwapBands)) fail(['profile', 'vwapBands'], 'profile.vwapBands must be strictly ascending');
    if (!ascending(s.liquidity.bandsBps)) fail(['liquidity', 'bandsBps'], 'liquidity.bandsBps must be strictly ascending');
    const widest = s.liquidity.bandsBps[s.liquidity.bandsBps.length - 1] ?? 0;
    if (s.liquidity.rangeBps < widest)
      fail(
        ['liquidity', 'rangeBps'],
        `liquidity.rangeBps (${s.liquidity.rangeBps}) must cover the widest of liquidity.bandsBps (${widest})`,
      );
    if (s.liquidity.bucketBps > s.liquidity.rangeBps)
      fail(
        ['liquidity', 'bucketBps'],
        `liquidity.bucketBps (${s.liquidity.bucketBps}) must not exceed liquidity.rangeBps (${s.liquidity.rangeBps})`,
      );
    if (new Set(s.timeframes).size !== s.timeframes.length) fail(['timeframes'], 'timeframes must not repeat');
  });

export type MarketSettings = z.infer<typeof MarketSettingsSchema>;
/** What a caller may pass: any group or field left out takes its default. */
export type MarketSettingsInput = z.input<typeof MarketSettingsSchema>;

export const DEFAULT_MARKET_SETTINGS: MarketSettings = MarketSettingsSchema.parse({});

/** Parses and validates; throws a ZodError whose messages name the offending field. */
export const parseMarketSettings = (input: unknown = {}): MarketSettings => MarketSettingsSchema.parse(input);

/** Settings as the library functions take them: omitted means the defaults; anything given is validated. */
export const resolveSettings = (s?: MarketSettings | MarketSettingsInput): MarketSettings =>
  s === undefined ? DEFAULT_MARKET_SETTINGS : parseMarketSettings(s);
