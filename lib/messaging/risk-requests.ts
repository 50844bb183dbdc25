/**
 * Requests of the risk loop: the pre-trade check pages ask for, and the user's actions (take a break, flatten
 * everything, reset). zod/mini, because the content scripts import the order check.
 */
import * as z from 'zod/mini';
import { defineRequest } from './requests';

const venue = z.enum(['binance', 'hyperliquid']);
const positive = z.number().check(z.positive());

/** The order a page is about to send (the domain's OrderIntent, on zod/mini for the content scripts). */
export const OrderIntentWireSchema = z.strictObject({
  venue,
  accountId: z.nullable(z.string().check(z.minLength(1), z.maxLength(80))),
  symbol: z.string().check(z.minLength(1), z.maxLength(40)),
  side: z.enum(['buy', 'sell']),
  type: z.enum(['market', 'limit', 'stop_market', 'stop_limit', 'take_profit_market', 'take_profit_limit']),
  size: positive,
  sizeUnit: z.enum(['base', 'quote']),
  price: z.nullable(positive),
  stopPrice: z.nullable(positive),
  leverage: z.nullable(positive),
  reduceOnly: z.boolean(),
  positionSide: z.nullable(z.enum(['long', 'short'])),
  strategyId: z.string().check(z.minLength(1), z.maxLength(64)),
  stopLoss: z.optional(z.nullable(positive)),
});

export const VerdictSchema = z.strictObject({
  decision: z.enum(['allow', 'warn', 'block']),
  /** Each reason as one sentence, with its code for tests and styling. */
  reasons: z.array(z.strictObject({ level: z.enum(['block', 'warn']), code: z.string(), text: z.string() })),
  increasesRisk: z.boolean(),
  /** What would pass instead; null when the order was not checked. */
  allowed: z.nullable(z.strictObject({ maxSize: z.number(), maxNotional: z.number(), maxLeverage: z.number() })),
  account: z.nullable(z.string()),
  mode: z.nullable(z.enum(['monitor', 'guard', 'enforce'])),
  /** Why the order was not checked, or how the mode changed the verdict. */
  note: z.nullable(z.string()),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export const orderCheck = defineRequest({
  name: 'order.check',
  from: ['extension', 'content'],
  data: z.strictObject({ intent: OrderIntentWireSchema }),
  result: VerdictSchema,
});

export const riskBreak = defineRequest({
  name: 'risk.break',
  from: ['extension'],
  data: z.strictObject({ minutes: z.int().check(z.minimum(1), z.maximum(7 * 24 * 60)) }),
  result: z.strictObject({ until: z.number() }),
});

/** The confirmation the user types or clicks: a request without it is refused, so nothing flattens by accident. */
export const FLATTEN_CONFIRMATION = 'FLATTEN';
export const riskFlatten = defineRequest({
  name: 'risk.flatten',
  from: ['extension'],
  data: z.strictObject({ confirm: z.literal(FLATTEN_CONFIRMATION) }),
  result: z.strictObject({ positions: z.int(), skipped: z.array(z.string()) }),
});

export const riskReset = defineRequest({
  name: 'risk.reset',
  from: ['extension'],
  data: z.union([
    z.strictObject({ kind: z.literal('account'), account: z.string().check(z.minLength(3)) }),
    z.strictObject({ kind: z.literal('strategy'), strategyId: z.string().check(z.minLength(1)) }),
  ]),
  result: z.strictObject({ ok: z.literal(true) }),
});

export const RISK_REQUESTS = [orderCheck, riskBreak, riskFlatten, riskReset] as const;
