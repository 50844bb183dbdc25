/**
 * The Ringfence IndexedDB database. Every schema version stays listed here, oldest first, with its upgrade, so a
 * database of any earlier version opens and upgrades in place (tests/unit/store-migration.test.ts proves it).
 */
import Dexie, { type DexieOptions, type Table, type Transaction } from 'dexie';
import { z } from 'zod';
import type { Severity, WatchedPage } from '../messaging/protocol';

export const DB_NAME = 'ringfence';

export interface AuditRow {
  id?: number;
  ts: number;
  kind: string;
  severity: Severity;
  message: string;
  data?: Record<string, unknown>;
}
export type PageRow = WatchedPage;
export interface MetaRow {
  key: string;
  value: unknown;
}

/** Version 1: audit entries had no severity. */
export const SCHEMA_V1 = { meta: 'key', audit: '++id, ts, kind' } as const;
/** Version 2: audit severity (indexed, for filtering) and the trading pages with a panel open. */
export const SCHEMA_V2 = { meta: 'key', audit: '++id, ts, kind, severity', pages: '&key, tabId, venue' } as const;
export const DB_VERSION = 2;

const AuditRowV1 = z.object({
  id: z.number().int(),
  ts: z.number(),
  kind: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

/**
 * v1 -> v2: every audit row gets severity 'info'. A row that does not match the v1 shape is kept, not dropped: the
 * audit log is append-only, so it becomes a 'migration.unreadable' entry that carries the original row.
 */
export async function upgradeToV2(tx: Transaction): Promise<void> {
  await tx
    .table('audit')
    .toCollection()
    .modify((row: Record<string, unknown>) => {
      const parsed = AuditRowV1.safeParse(row);
      if (parsed.success) {
        row.severity = 'info';
        return;
      }
      const original = { ...row };
      for (const k of Object.keys(row)) if (k !== 'id') delete row[k];
      row.ts = typeof original.ts === 'number' ? original.ts : 0;
      row.kind = 'migration.unreadable';
      row.severity = 'warning';
      row.message = 'An audit entry from an earlier version could not be read; it is kept as it was.';
      row.data = { original };
    });
}

export class RingfenceDb extends Dexie {
  meta!: Table<MetaRow, string>;
  audit!: Table<AuditRow, number>;
  pages!: Table<PageRow, string>;

  constructor(name: string = DB_NAME, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores(SCHEMA_V1);
    this.version(2).stores(SCHEMA_V2).upgrade(upgradeToV2);
  }
}
