/**
 * The order guard's report to the audit log: every warning and block it showed on an exchange page, and every
 * override. Sent by the content scripts only; zod/mini for their bundle. Nothing secret travels: the order as read
 * from the page, the verdict's reasons as text, and the account key the page was checked against.
 */
import * as z from 'zod/mini';
import { defineRequest } from './requests';
import { OrderIntentWireSchema } from './risk-requests';

const text = (max: number) => z.string().check(z.maxLength(max));

export const GuardVerdictReportSchema = z.strictObject({
  venue: z.enum(['binance', 'hyperliquid']),
  symbol: z.nullable(text(40)),
  decision: z.enum(['warn', 'block']),
  /** What the dialog offered: a plain confirmation (warn) or the block's override policy. */
  policy: z.enum(['confirm', 'never', 'countdown', 'typed']),
  /** True when the user chose "Place anyway": the next click on the button goes through. */
  overridden: z.boolean(),
  /** What tried to send the order: a click on the submit button, Enter in the form, or a form submit. */
  trigger: z.enum(['click', 'enter', 'submit']),
  /** The button's label (Buy/Long, Open Short, Place Order). */
  button: text(40),
  account: z.nullable(text(140)),
  mode: z.nullable(z.enum(['monitor', 'guard', 'enforce'])),
  reasons: z
    .array(
      z.strictObject({
        level: z.enum(['block', 'warn']),
        code: text(40),
        category: text(20),
        rule: z.nullable(text(40)),
        text: text(400),
      }),
    )
    .check(z.maxLength(30)),
  /** The order as read from the form; null when it could not be read. */
  intent: z.nullable(OrderIntentWireSchema),
});
export type GuardVerdictReport = z.infer<typeof GuardVerdictReportSchema>;

export const guardVerdict = defineRequest({
  name: 'guard.verdict',
  from: ['content'],
  data: GuardVerdictReportSchema,
  result: z.strictObject({ recorded: z.boolean() }),
});

export const GUARD_REQUESTS = [guardVerdict] as const;
