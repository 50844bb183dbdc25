/**
 * The request catalog, one exported definition per request so each context bundles only the schemas it uses
 * (bundlers drop unused exports, not unused properties of one big object). This module holds the requests any
 * context may send, on zod/mini; catalog.ts lists every request for the router.
 */
import * as z from 'zod/mini';
import type { $ZodType } from 'zod/v4/core';
import { AuditEntrySchema, ViewStateSchema, type SenderClass } from './protocol';

export interface RequestDef<N extends string = string, D extends $ZodType = $ZodType, R extends $ZodType = $ZodType> {
  name: N;
  from: readonly SenderClass[];
  data: D;
  result: R;
}

/* @__NO_SIDE_EFFECTS__ */
export function defineRequest<N extends string, D extends $ZodType, R extends $ZodType>(d: RequestDef<N, D, R>): RequestDef<N, D, R> {
  return d;
}

export const stateGet = defineRequest({
  name: 'state.get',
  from: ['extension', 'content'],
  data: z.strictObject({}),
  result: ViewStateSchema,
});

export const auditList = defineRequest({
  name: 'audit.list',
  from: ['extension'],
  data: z.strictObject({
    limit: z._default(z.int().check(z.minimum(1), z.maximum(1000)), 200),
    beforeId: z.optional(z.int().check(z.positive())),
  }),
  result: z.array(AuditEntrySchema),
});

export type InputOf<R extends RequestDef> = z.input<R['data']>;
export type ResultOf<R extends RequestDef> = z.output<R['result']>;
