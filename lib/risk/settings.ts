/**
 * Risk settings: one strict zod schema, every field defaulted, units in the field names (Pct = percent 0-100,
 * Usd = quote-asset dollars, Min = minutes, Sec = seconds). Contradictory values are rejected with the field named.
 * docs/risk-rules.md explains each default and where it comes from.
 */
import { z } from 'zod';
import { RULE_IDS } from './types';

const zoneCache = new Map<string, boolean>();
function isTimeZone(tz: string): boolean {
  let ok = zoneCache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    zoneCache.set(tz, ok);
  }
  return ok;
}

const pct = (d: number) => z.number().finite().min(0).max(100).default(d);
const positive = (d: number) => z.number().finite().positive().default(d);
const lev = (d: number) => z.number().finite().min(1).max(200).default(d);
/** How the page guard lets a blocked order through (the order guard's dialog). */
export const OVERRIDE_POLICIES = ['never', 'countdown', 'typed'] as const;
export type OverridePolicy = (typeof OVERRIDE_POLICIES)[number];
const overridePolicy = (d: OverridePolicy) => z.enum(OVERRIDE_POLICIES).default(d);
// prefault: a missing section is parsed from {}, so its fields take their own defaults.
const obj = <T extends z.core.$ZodLooseShape>(shape: T) => z.object(shape).strict().prefault({} as never);

export const RISK_LEVELS = ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

const level = (baseSizePct: number, maxLeverage: number) =>
  obj({ baseSizePct: z.number().finite().positive().max(100).default(baseSizePct), maxLeverage: lev(maxLeverage) });

// The schemas are built inside /* @__PURE__ */ closures so that a bundle importing only RISK_LEVELS or the types (the
// content scripts, through lib/risk/validate) drops zod and the defaults entirely.
const StrategyDefaultsSchema = /* @__PURE__ */ (() => obj({
  /** Margin per trade, % of equity. */
  riskPerTradePct: z.number().finite().positive().max(100).default(1),
  stopLossUsd: positive(5),
  /** Kill switch: cumulative PnL at or below -maxDrawdownUsd. */
  maxDrawdownUsd: positive(50),
  enabled: z.boolean().default(true),
}))();

const ScheduleStepSchema = /* @__PURE__ */ (() => z.object({ losses: z.number().int().min(1), maxLeverage: lev(10) }).strict())();

export const RiskSettingsSchema = /* @__PURE__ */ (() => z
  .object({
    account: obj({
      peakDrawdown: obj({ warningPct: pct(10), emergencyPct: pct(15) }),
      dailyLoss: obj({ warningPct: pct(1), emergencyPct: pct(2) }),
      weeklyLossPct: pct(4),
      monthlyLossPct: pct(8),
      /** What a period loss is measured on, from the period's start value. */
      lossBasis: z.enum(['equity', 'balance', 'balance_minus_equity']).default('equity'),
      dayStart: obj({
        /** IANA time zone of the trading day. */
        timeZone: z
          .string()
          .default('UTC')
          .refine(isTimeZone, { message: 'is not a known IANA time zone' }),
        /** Local hour (0-23) at which a trading day starts. */
        hour: z.number().int().min(0).max(23).default(0),
        /** 0 = Sunday ... 6 = Saturday; ISO weeks start on Monday. */
        weekStartsOn: z.number().int().min(0).max(6).default(1),
      }),
      exposure: obj({
        warningPct: pct(30),
        limitPct: z.number().finite().positive().max(10_000).default(50),
        /** One symbol, or one correlation group, as % of equity. */
        symbolLimitPct: z.number().finite().positive().max(10_000).default(25),
      }),
      /** Base assets that move together and count as one against symbolLimitPct, e.g. [["BTC","ETH"]]. */
      correlationGroups: z.array(z.array(z.string().min(1)).min(2)).default([]),
      /**
       * Measured correlation (hourly returns over about 8 days, from the market watch) at or above which assets also
       * count as one group; null: only the groups above.
       */
      correlationAutoAbove: z.number().finite().min(0.5).max(1).nullable().default(0.8),
      positionCount: obj({ warning: z.number().int().min(1).default(5), limit: z.number().int().min(1).default(10) }),
      minBalanceUsd: z.number().finite().min(0).default(10),
      riskScore: obj({ noticeAt: pct(60), warningAt: pct(80), emergencyAt: pct(95) }),
      /** On an account emergency, close every position as well as halting. */
      flattenOnEmergency: z.boolean().default(true),
    }),
    leverage: obj({
      /** 'auto' picks conservative at the risk-score warning and emergency at the risk-score emergency. */
      mode: z.enum(['auto', 'normal', 'conservative', 'emergency']).default('auto'),
      normal: lev(20),
      conservative: lev(10),
      emergency: lev(5),
      highVolatility: obj({ atrPct: z.number().finite().positive().default(4), maxLeverage: lev(3) }),
      riskLevels: obj({
        MINIMAL: level(2, 20),
        LOW: level(1, 15),
        MEDIUM: level(0.5, 10),
        HIGH: level(0.25, 5),
        CRITICAL: level(0.25, 5),
      }),
    }),
    position: obj({
      /** Leverage-adjusted: adverse price move % x leverage (the share of the position's margin lost). */
      maxDrawdownPct: z.number().finite().positive().max(1000).default(50),
      /** Account-wide cap on one position's loss in $; null: only the strategy's stopLossUsd applies. */
      stopLossUsd: z.number().finite().positive().nullable().default(null),
      trailing: obj({
        mode: z.enum(['off', 'percent', 'atr']).default('percent'),
        percent: z.number().finite().positive().max(100).default(3),
        atrMultiple: positive(3),
        /** The trail arms once the best price is this % beyond entry. */
        activationPct: pct(1),
      }),
      /** null: no limit. */
      maxTimeInTradeMin: z.number().finite().positive().nullable().default(1440),
      timeInTradeAction: z.enum(['alert', 'close']).default('alert'),
      minLiquidationDistancePct: z.number().finite().positive().max(100).default(3),
    }),
    /** Tiered responses for position limits, as % of the limit used. */
    tiers: obj({
      warnAtPct: z.number().finite().positive().max(100).default(80),
      partialCloseAtPct: z.number().finite().positive().default(100),
      partialClosePct: z.number().finite().positive().max(99).default(50),
      fullCloseAtPct: z.number().finite().positive().default(150),
    }),
    behaviour: obj({
      coolingOffMin: positive(30),
      /** Half-open breaker: opening size as % of what would otherwise pass. */
      probeSizePct: z.number().finite().positive().max(100).default(50),
      /** Half-open -> closed after this long without a breach. */
      cleanIntervalMin: positive(60),
      consecutiveLosses: obj({
        threshold: z.number().int().min(1).default(3),
        schedule: z
          .array(ScheduleStepSchema)
          .min(1)
          .default([
            { losses: 3, maxLeverage: 10 },
            { losses: 5, maxLeverage: 5 },
            { losses: 7, maxLeverage: 2 },
          ]),
      }),
      revenge: obj({ windowMin: positive(15), sizeMultiple: z.number().finite().min(1).default(1) }),
      maxTradesPerHour: z.number().int().min(1).default(10),
      maxTradesPerDay: z.number().int().min(1).default(40),
      maxOrdersPerMinute: z.number().int().min(1).default(6),
      duplicateWindowSec: z.number().finite().min(0).default(5),
    }),
    strategyDefaults: StrategyDefaultsSchema,
    sizing: obj({
      /** Loss at the stop, % of equity (the classic 1% rule). */
      maxLossAtStopPct: z.number().finite().positive().max(100).default(1),
      volatility: obj({
        lowAtrPct: z.number().finite().positive().default(1),
        highAtrPct: z.number().finite().positive().default(5),
        minFactor: z.number().finite().positive().max(1).default(0.3),
      }),
      balanceReferenceUsd: positive(1000),
      kelly: obj({
        minSamples: z.number().int().min(1).default(30),
        /** Shrink factor n / (n + shrinkSamples) pulls a small sample's Kelly fraction toward zero. */
        shrinkSamples: z.number().finite().min(0).default(50),
        maxFraction: z.number().finite().positive().max(1).default(0.25),
      }),
    }),
    data: obj({ staleAfterSec: positive(30) }),
    engine: obj({
      /** A close asked for and not visibly executed after this long is asked for again. */
      pendingTimeoutSec: positive(60),
    }),
    rules: obj({ disabled: z.array(z.enum(RULE_IDS)).default([]) }),
    /**
     * The order guard on the exchange pages: how a blocked order may still be placed, per kind of block.
     * never: no override; countdown: "Place anyway" after countdownSec; typed: after typing the phrase.
     */
    guard: obj({
      policy: obj({
        /** HALTED, REDUCING (a non-reduce-only order), a break the user took. */
        tradingState: overridePolicy('never'),
        /** A killed or disabled strategy. */
        killedStrategy: overridePolicy('never'),
        /** An open circuit breaker or a cooling-off after a breach. */
        coolingOff: overridePolicy('never'),
        leverageCap: overridePolicy('typed'),
        /** The per-trade margin cap, exposure limits and loss at the stop: a smaller size passes. */
        sizeCap: overridePolicy('typed'),
        /** No fresh account data: the order cannot be checked. */
        staleData: overridePolicy('countdown'),
        /** Everything else: order rate, duplicates, position count, minimum balance, unknown price. */
        other: overridePolicy('typed'),
      }),
      countdownSec: z.number().int().min(1).max(300).default(10),
      /** What a typed override must match (case-sensitive). */
      phrase: z.string().trim().min(1).max(40).default('OVERRIDE'),
    }),
  })
  .strict()
  .superRefine((s, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)), message });
    const below = (a: string, av: number, b: string, bv: number) => {
      if (!(av < bv)) issue(a, `must be below ${b} (${av} >= ${bv})`);
    };
    const { account: a, leverage: l, tiers: t, behaviour: b, sizing: z_ } = s;
    below('account.peakDrawdown.warningPct', a.peakDrawdown.warningPct, 'account.peakDrawdown.emergencyPct', a.peakDrawdown.emergencyPct);
    below('account.dailyLoss.warningPct', a.dailyLoss.warningPct, 'account.dailyLoss.emergencyPct', a.dailyLoss.emergencyPct);
    if (a.dailyLoss.emergencyPct > a.weeklyLossPct)
      issue('account.dailyLoss.emergencyPct', `must not exceed account.weeklyLossPct (${a.dailyLoss.emergencyPct} > ${a.weeklyLossPct})`);
    if (a.weeklyLossPct > a.monthlyLossPct)
      issue('account.weeklyLossPct', `must not exceed account.monthlyLossPct (${a.weeklyLossPct} > ${a.monthlyLossPct})`);
    below('account.exposure.warningPct', a.exposure.warningPct, 'account.exposure.limitPct', a.exposure.limitPct);
    if (a.exposure.symbolLimitPct > a.exposure.limitPct)
      issue('account.exposure.symbolLimitPct', `must not exceed account.exposure.limitPct (${a.exposure.symbolLimitPct} > ${a.exposure.limitPct})`);
    below('account.positionCount.warning', a.positionCount.warning, 'account.positionCount.limit', a.positionCount.limit);
    below('account.riskScore.noticeAt', a.riskScore.noticeAt, 'account.riskScore.warningAt', a.riskScore.warningAt);
    below('account.riskScore.warningAt', a.riskScore.warningAt, 'account.riskScore.emergencyAt', a.riskScore.emergencyAt);
    if (!(l.conservative <= l.normal)) issue('leverage.conservative', `must not exceed leverage.normal (${l.conservative} > ${l.normal})`);
    if (!(l.emergency <= l.conservative))
      issue('leverage.emergency', `must not exceed leverage.conservative (${l.emergency} > ${l.conservative})`);
    if (!(l.highVolatility.maxLeverage <= l.normal))
      issue('leverage.highVolatility.maxLeverage', `must not exceed leverage.normal (${l.highVolatility.maxLeverage} > ${l.normal})`);
    for (let i = 1; i < RISK_LEVELS.length; i++) {
      const prev = l.riskLevels[RISK_LEVELS[i - 1]!];
      const cur = l.riskLevels[RISK_LEVELS[i]!];
      const p = `leverage.riskLevels.${RISK_LEVELS[i]}`;
      if (cur.baseSizePct > prev.baseSizePct) issue(`${p}.baseSizePct`, `must not exceed the level below it (${cur.baseSizePct} > ${prev.baseSizePct})`);
      if (cur.maxLeverage > prev.maxLeverage) issue(`${p}.maxLeverage`, `must not exceed the level below it (${cur.maxLeverage} > ${prev.maxLeverage})`);
    }
    below('tiers.warnAtPct', t.warnAtPct, 'tiers.partialCloseAtPct', t.partialCloseAtPct + 1e-9);
    below('tiers.partialCloseAtPct', t.partialCloseAtPct, 'tiers.fullCloseAtPct', t.fullCloseAtPct);
    const sched = b.consecutiveLosses.schedule;
    sched.forEach((step, i) => {
      const p = `behaviour.consecutiveLosses.schedule.${i}`;
      if (step.losses < b.consecutiveLosses.threshold)
        issue(`${p}.losses`, `must not be below behaviour.consecutiveLosses.threshold (${step.losses} < ${b.consecutiveLosses.threshold})`);
      const prev = sched[i - 1];
      if (prev && step.losses <= prev.losses) issue(`${p}.losses`, `must be above the step before it (${step.losses} <= ${prev.losses})`);
      if (prev && step.maxLeverage > prev.maxLeverage)
        issue(`${p}.maxLeverage`, `must not exceed the step before it (${step.maxLeverage} > ${prev.maxLeverage})`);
    });
    below('sizing.volatility.lowAtrPct', z_.volatility.lowAtrPct, 'sizing.volatility.highAtrPct', z_.volatility.highAtrPct);
  }))();

export type RiskSettings = z.output<typeof RiskSettingsSchema>;
export type RiskSettingsInput = z.input<typeof RiskSettingsSchema>;
export type StrategyDefaults = RiskSettings['strategyDefaults'];
export type GuardSettings = RiskSettings['guard'];

export class RiskSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid risk settings: ${problems.join('; ')}`);
    this.name = 'RiskSettingsError';
  }
}

/** Every problem as one line that starts with the field's path. */
export function settingsProblems(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path.join('.');
    return path === '' ? i.message : `${path}: ${i.message}`;
  });
}

/** Parses settings (missing fields take their defaults); throws RiskSettingsError naming each bad field. */
export function parseRiskSettings(input: unknown = {}): RiskSettings {
  const r = RiskSettingsSchema.safeParse(input);
  if (!r.success) throw new RiskSettingsError(settingsProblems(r.error));
  return r.data;
}

export const DEFAULT_RISK_SETTINGS: RiskSettings = /* @__PURE__ */ parseRiskSettings({});
