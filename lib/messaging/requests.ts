/**
 * The request catalog, one exported definition per request so each context bundles only the schemas it uses
 * (bundlers drop unused exports, not unused properties of one big object). The background imports ALL_REQUESTS.
 * A definition may use zod/mini or zod schemas: the content scripts import only mini-based ones.
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

export const ALL_REQUESTS = [stateGet, auditList] as const;

export type AnyRequest = (typeof ALL_REQUESTS)[number];
export type RequestName = AnyRequest['name'];
export type RequestOf<N extends RequestName> = Extract<AnyRequest, { name: N }>;
export type InputOf<R extends RequestDef> = z.input<R['data']>;
export type DataOf<R extends RequestDef> = z.output<R['data']>;
export type ResultOf<R extends RequestDef> = z.output<R['result']>;
