import { AuditEntrySchema, type AuditEntry, type Severity } from '../messaging/protocol';
import type { AuditRow, RingfenceDb } from './db';

/** Appends one entry; the audit log is append-only (nothing here updates or deletes). */
export async function appendAudit(db: RingfenceDb, row: Omit<AuditRow, 'id'>): Promise<AuditEntry> {
  const id = await db.audit.add({ ...row });
  return toEntry({ ...row, id });
}

/**
 * Appends entries in batches: every append made while a write is under way joins the next one transaction
 * (IndexedDB costs a few ms per transaction, not per row), in call order, so ids keep the order of the calls.
 * Each append resolves with its own entry once its batch is stored.
 */
export function createAuditWriter(db: RingfenceDb) {
  type Pending = { row: Omit<AuditRow, 'id'>; resolve: (e: AuditEntry) => void; reject: (e: unknown) => void };
  let queue: Pending[] = [];
  let writing: Promise<void> | null = null;
  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const ids = await db.audit.bulkAdd(
          batch.map((b) => ({ ...b.row })),
          { allKeys: true },
        );
        // The entry is the row just stored, typed on the way in: no second check per row (reads still check each).
        batch.forEach((b, i) => b.resolve({ ...b.row, id: ids[i] as number }));
      } catch (e) {
        for (const b of batch) b.reject(e);
      }
    }
    writing = null;
  };
  return {
    append(row: Omit<AuditRow, 'id'>): Promise<AuditEntry> {
      return new Promise<AuditEntry>((resolve, reject) => {
        queue.push({ row, resolve, reject });
        // The first append of a burst starts the write on the next microtask, so a burst shares one transaction.
        writing ??= Promise.resolve().then(drain);
      });
    },
  };
}
export type AuditWriter = ReturnType<typeof createAuditWriter>;

/** Newest first, optionally before an id (for paging back). */
export async function recentAudit(db: RingfenceDb, limit: number, beforeId?: number): Promise<AuditEntry[]> {
  const coll = beforeId === undefined ? db.audit.toCollection() : db.audit.where('id').below(beforeId);
  const rows = await coll.reverse().limit(limit).toArray();
  return rows.map(toEntry);
}

export function auditCount(db: RingfenceDb): Promise<number> {
  return db.audit.count();
}

export interface AuditFilter {
  severities?: Severity[];
  account?: string;
  strategyId?: string;
  rule?: string;
  /** Inclusive time range, epoch ms. */
  from?: number;
  to?: number;
  beforeId?: number;
}

/**
 * Entries matching every given filter, newest first. Starts from the most selective index (account, strategy, rule)
 * and checks the rest row by row, so a filter on one account does not read the whole log.
 */
export async function queryAudit(db: RingfenceDb, f: AuditFilter, limit: number): Promise<AuditEntry[]> {
  const coll =
    f.account !== undefined
      ? db.audit.where('account').equals(f.account)
      : f.strategyId !== undefined
        ? db.audit.where('strategyId').equals(f.strategyId)
        : f.rule !== undefined
          ? db.audit.where('rule').equals(f.rule)
          : f.beforeId !== undefined
            ? db.audit.where('id').below(f.beforeId)
            : db.audit.toCollection();
  const sev = f.severities?.length ? new Set(f.severities) : null;
  const rows = await coll
    .reverse()
    .filter(
      (r) =>
        (f.beforeId === undefined || (r.id ?? 0) < f.beforeId) &&
        (f.account === undefined || r.account === f.account) &&
        (f.strategyId === undefined || r.strategyId === f.strategyId) &&
        (f.rule === undefined || r.rule === f.rule) &&
        (f.from === undefined || r.ts >= f.from) &&
        (f.to === undefined || r.ts <= f.to) &&
        (sev === null || sev.has(r.severity)),
    )
    .limit(limit)
    .toArray();
  return rows.map(toEntry);
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
