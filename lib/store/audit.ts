import { AuditEntrySchema, type AuditEntry } from '../messaging/protocol';
import type { AuditRow, RingfenceDb } from './db';

/** Appends one entry; the audit log is append-only (nothing here updates or deletes). */
export async function appendAudit(db: RingfenceDb, row: Omit<AuditRow, 'id'>): Promise<AuditEntry> {
  const id = await db.audit.add({ ...row });
  return toEntry({ ...row, id });
}

/** Newest first, optionally before an id (for paging back). */
export async function recentAudit(db: RingfenceDb, limit: number, beforeId?: number): Promise<AuditEntry[]> {
  const coll = beforeId === undefined ? db.audit.toCollection() : db.audit.where('id').below(beforeId);
  const rows = await coll.reverse().limit(limit).toArray();
  return rows.map(toEntry);
}

export function auditCount(db: RingfenceDb): Promise<number> {
  return db.audit.count();
}

function toEntry(row: AuditRow): AuditEntry {
  // Rows are parsed on the way out too: a row written by a broken build must not break every view.
  const parsed = AuditEntrySchema.safeParse(row);
  if (parsed.success) return parsed.data;
  return {
    id: typeof row.id === 'number' ? row.id : -1,
    ts: typeof row.ts === 'number' ? row.ts : 0,
    kind: 'store.unreadable',
    severity: 'warning',
    message: 'This audit entry could not be read.',
  };
}
