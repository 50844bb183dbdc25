/** Requests of the options page's Activity section: filtered audit reads and exports (extension pages only). */
import * as z from 'zod/mini';
import { AuditEntrySchema, SeveritySchema } from './protocol';
import { defineRequest } from './requests';

const time = z.number().check(z.nonnegative());
export const AuditFilterSchema = z
  .strictObject({
    severities: z.optional(z.array(SeveritySchema)),
    account: z.optional(z.string().check(z.minLength(1))),
    strategyId: z.optional(z.string().check(z.minLength(1))),
    rule: z.optional(z.string().check(z.minLength(1))),
    from: z.optional(time),
    to: z.optional(time),
    beforeId: z.optional(z.int().check(z.positive())),
  })
  .check(z.refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, { message: 'from must not be after to', path: ['from'] }));
export type AuditFilterInput = z.infer<typeof AuditFilterSchema>;

const ExportFileSchema = z.strictObject({
  filename: z.string(),
  mime: z.string(),
  body: z.string(),
  rows: z.int(),
  /** Matching rows left out, the oldest: an export holds at most the newest EXPORT_MAX_ROWS. Absent: none. */
  omitted: z.optional(z.int()),
});
export type ExportFile = z.infer<typeof ExportFileSchema>;
const format = z.enum(['csv', 'json']);

export const auditQuery = defineRequest({
  name: 'audit.query',
  from: ['extension'],
  data: z.strictObject({ filter: AuditFilterSchema, limit: z._default(z.int().check(z.minimum(1), z.maximum(1000)), 200) }),
  result: z.array(AuditEntrySchema),
});
export const auditExport = defineRequest({
  name: 'audit.export',
  from: ['extension'],
  data: z.strictObject({ filter: AuditFilterSchema, format }),
  result: ExportFileSchema,
});
export const tradesExport = defineRequest({
  name: 'trades.export',
  from: ['extension'],
  data: z.strictObject({
    account: z.optional(z.string().check(z.minLength(1))),
    strategyId: z.optional(z.string().check(z.minLength(1))),
    from: z.optional(time),
    to: z.optional(time),
    format,
  }),
  result: ExportFileSchema,
});

/** The plain-text risk report (accounts, limits in use, positions, open findings, latest actions). */
export const riskReport = defineRequest({
  name: 'report.risk',
  from: ['extension'],
  data: z.strictObject({}),
  result: ExportFileSchema,
});

export const ACTIVITY_REQUESTS = [auditQuery, auditExport, tradesExport, riskReport] as const;
