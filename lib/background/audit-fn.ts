import type { AuditRefs, Severity } from '../messaging/protocol';

/** Records one audit entry (and pushes it to the views); `refs` name the account, strategy or rule it concerns. */
export type AuditFn = (kind: string, severity: Severity, message: string, data?: Record<string, unknown>, refs?: AuditRefs) => Promise<unknown>;
