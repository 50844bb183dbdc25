import type { Collection } from 'dexie';
import * as z from 'zod/mini';
import { AuditEntrySchema, type AuditEntry, type Severity } from '../messaging/protocol';
import { AUDIT_BATCH_MAX, type AuditBatchRow, type AuditRow, isAuditTime, packAuditBatch, type RingfenceDb } from './db';

type StoredRow = AuditRow & { id: number };

/** The newest batch record: it holds the newest id and the log's running count. */
const newestBatch = (db: RingfenceDb) => db.auditBatches.orderBy('first').last();

/**
 * Stores rows as the log's next entries, in one transaction: ids follow the newest stored entry's, in the rows' order,
 * packed AUDIT_BATCH_MAX to a record. Returns the rows with their ids.
 */
export function storeAudit(db: RingfenceDb, rows: readonly Omit<AuditRow, 'id'>[]): Promise<StoredRow[]> {
  return db.transaction('rw', db.auditBatches, async () => {
    const last = await newestBatch(db);
    // Ids ascend within a record (gaps only where the v5 upgrade kept a v4 gap), so the next id is past both the newest
    // row's and the record's span; a damaged newest record still yields a new key, so appending never stops.
    const lastRows: unknown[] = Array.isArray(last?.rows) ? last.rows : [];
    const newest = (lastRows[lastRows.length - 1] as AuditRow | undefined)?.id;
    let next = last ? Math.max(last.first + Math.max(lastRows.length, 1), typeof newest === 'number' ? newest + 1 : 0) : 1;
    let total = last && Number.isFinite(last.total) ? last.total : 0;
    const stored = rows.map((r) => ({ ...r, id: next++ }));
    const records: AuditBatchRow[] = [];
    for (let i = 0; i < stored.length; i += AUDIT_BATCH_MAX) {
      const part = stored.slice(i, i + AUDIT_BATCH_MAX);
      total += part.length;
      records.push(packAuditBatch(part, total));
    }
    if (records.length > 0) await db.auditBatches.bulkAdd(records);
    return stored;
  });
}

/** Appends one entry; the audit log is append-only (nothing here updates or deletes). */
export async function appendAudit(db: RingfenceDb, row: Omit<AuditRow, 'id'>): Promise<AuditEntry> {
  const [stored] = await storeAudit(db, [row]);
  return toEntry(stored!);
}

/**
 * Appends entries in batches: every append made while a write is under way joins the next one transaction and one
 * record (IndexedDB costs a fraction of a millisecond per record, whatever its size), in call order, so ids keep the
 * order of the calls. Each append resolves with its own entry once its batch is stored.
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
        const stored = await storeAudit(db, batch.map((b) => b.row));
        // The entry is the row just stored, typed on the way in: no second check per row (reads still check each).
        batch.forEach((b, i) => b.resolve(stored[i] as AuditEntry));
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

/**
 * Entries of the batches of `batches` (newest batch first) that pass `keep`, newest first, at most `limit`; stops
 * reading batches once it has them.
 */
async function scan(batches: Collection<AuditBatchRow, number>, keep: (r: AuditRow) => boolean, limit: number): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  if (!(limit > 0)) return out;
  await batches
    .until(() => out.length >= limit)
    .each((b) => {
      // A record this code did not write whole (not a list of rows) reads as nothing rather than failing every view.
      const rows: unknown = b.rows;
      if (!Array.isArray(rows)) return;
      for (let i = rows.length - 1; i >= 0 && out.length < limit; i--) {
        const r = rows[i] as AuditRow;
        if (r !== null && typeof r === 'object' && keep(r)) out.push(toEntry(r));
      }
    });
  return out;
}

/** Newest first, optionally before an id (for paging back): the unfiltered query. */
export function recentAudit(db: RingfenceDb, limit: number, beforeId?: number): Promise<AuditEntry[]> {
  return queryAudit(db, beforeId === undefined ? {} : { beforeId }, limit);
}

/** The newest entries that pass `keep`, newest first. */
export function findAudit(db: RingfenceDb, keep: (r: AuditRow) => boolean, limit: number): Promise<AuditEntry[]> {
  return scan(db.auditBatches.orderBy('first').reverse(), keep, limit);
}

/** Entries in the log (the newest batch carries the running count). */
export async function auditCount(db: RingfenceDb): Promise<number> {
  return (await newestBatch(db))?.total ?? 0;
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
 * Entries matching every given filter, newest first. Starts from the most selective index (the batches holding the
 * account, strategy or rule) and checks every filter entry by entry, so a filter on one account does not read the
 * whole log. With `matched`, reads on past `limit` to count every match into it (what an export left out).
 */
export function queryAudit(db: RingfenceDb, f: AuditFilter, limit: number, matched?: { n: number }): Promise<AuditEntry[]> {
  const t = db.auditBatches;
  const batches =
    f.account !== undefined
      ? t.where('accounts').equals(f.account)
      : f.strategyId !== undefined
        ? t.where('strategyIds').equals(f.strategyId)
        : f.rule !== undefined
          ? t.where('rules').equals(f.rule)
          : f.beforeId !== undefined
            ? t.where('first').below(f.beforeId)
            : t.orderBy('first');
  const sev = f.severities?.length ? new Set(f.severities) : null;
  return scan(
    batches.reverse(),
    (r) =>
      (f.beforeId === undefined || (r.id ?? 0) < f.beforeId) &&
      (f.account === undefined || r.account === f.account) &&
      (f.strategyId === undefined || r.strategyId === f.strategyId) &&
      (f.rule === undefined || r.rule === f.rule) &&
      (f.from === undefined || r.ts >= f.from) &&
      (f.to === undefined || r.ts <= f.to) &&
      (sev === null || sev.has(r.severity)) &&
      (matched === undefined || ++matched.n <= limit),
    matched ? Infinity : limit,
  );
}

/** The entry as read from storage: a field it does not know (a v1 row upgraded before v1Fields kept them) is dropped, not fatal. */
const StoredEntrySchema = z.object(AuditEntrySchema.shape);

function toEntry(row: AuditRow): AuditEntry {
  // Rows are parsed on the way out too: a row written by a broken build must not break every view, nor its
  // placeholder (which must itself be a valid entry: a NaN time would fail every reader's check).
  const parsed = StoredEntrySchema.safeParse(row);
  if (parsed.success) return parsed.data;
  return {
    id: Number.isSafeInteger(row.id) ? row.id! : -1,
    ts: isAuditTime(row.ts) ? row.ts : 0,
    kind: 'store.unreadable',
    severity: 'warning',
    message: 'This audit entry could not be read.',
  };
}
