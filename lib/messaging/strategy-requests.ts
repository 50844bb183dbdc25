/**
 * Requests of the options page's strategy table. They use the domain's zod schemas, so only extension pages and the
 * background import this module (never the content scripts, whose bundle stays on zod/mini).
 */
import * as z from 'zod/mini';
import { NewStrategySchema, StrategyPatchSchema } from '../domain/strategies';
import { AttributionRuleSchema } from '../domain/attribution';
import { StrategySchema } from '../domain/types';
import { defineRequest } from './requests';

/** Ids in one request: a larger selection is sent in parts (enable, disable) or refused (an all-or-nothing update). */
export const MAX_STRATEGY_IDS = 5000;
const ids = z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.maxLength(MAX_STRATEGY_IDS));

export const strategiesList = defineRequest({
  name: 'strategies.list',
  from: ['extension'],
  data: z.strictObject({}),
  result: z.array(StrategySchema),
});
export const strategyCreate = defineRequest({
  name: 'strategy.create',
  from: ['extension'],
  data: NewStrategySchema,
  result: StrategySchema,
});
export const strategyUpdate = defineRequest({
  name: 'strategy.update',
  from: ['extension'],
  data: z.strictObject({ ids, patch: StrategyPatchSchema }),
  result: z.array(StrategySchema),
});
export const strategySetEnabled = defineRequest({
  name: 'strategy.setEnabled',
  from: ['extension'],
  data: z.strictObject({ ids, enabled: z.boolean() }),
  result: z.array(StrategySchema),
});
export const strategyResetKill = defineRequest({
  name: 'strategy.resetKill',
  from: ['extension'],
  data: z.strictObject({ strategyId: z.string().check(z.minLength(1)) }),
  result: StrategySchema,
});

export const attributionGet = defineRequest({
  name: 'attribution.get',
  from: ['extension'],
  data: z.strictObject({}),
  result: z.array(AttributionRuleSchema),
});
/** Replaces the whole rule list (order matters: the first match wins). */
export const attributionSave = defineRequest({
  name: 'attribution.save',
  from: ['extension'],
  data: z.strictObject({ rules: z.array(AttributionRuleSchema).check(z.maxLength(500)) }),
  result: z.array(AttributionRuleSchema),
});

const ModeSchema = z.enum(['monitor', 'guard', 'enforce']);
/** Per-strategy enforcement mode; null: the account's mode applies. */
export const strategyModes = defineRequest({
  name: 'strategy.modes',
  from: ['extension'],
  data: z.strictObject({}),
  result: z.record(z.string(), ModeSchema),
});
export const strategySetMode = defineRequest({
  name: 'strategy.setMode',
  from: ['extension'],
  data: z.strictObject({ ids, mode: z.nullable(ModeSchema) }),
  result: z.record(z.string(), ModeSchema),
});

export const STRATEGY_REQUESTS = [
  strategiesList,
  strategyCreate,
  strategyUpdate,
  strategySetEnabled,
  strategyResetKill,
  attributionGet,
  attributionSave,
  strategyModes,
  strategySetMode,
] as const;
