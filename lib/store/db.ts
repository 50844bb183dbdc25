/**
 * The Ringfence IndexedDB database. Every schema version stays listed here, oldest first, with its upgrade, so a
 * database of any earlier version opens and upgrades in place (tests/unit/store/migration.test.ts proves it).
 */
import Dexie, { type DexieOptions, type Table, type Transaction } from 'dexie';
import { z } from 'zod';
import type { AccountSnapshot, Fill, OpenOrder, Position, Strategy, Venue } from '../domain/types';
import type { Severity, WatchedPage } from '../messaging/protocol';

export const DB_NAME = 'ringfence';

export interface AuditRow {
  id?: number;
  ts: number;
  kind: string;
  severity: Severity;
  message: string;
  data?: Record<string, unknown>;
  account?: string;
  strategyId?: string;
  rule?: string;
}
/** Entries appended together, each with its id (ascending). */
export interface AuditBatchRow {
  /** The first entry's id (the key). */
  first: number;
  /** Entries in the log up to and including this batch: the newest batch holds the log's count. */
  total: number;
  rows: AuditRow[];
  /** The distinct account, strategy and rule of the rows (multi-entry indexes). */
  accounts: string[];
  strategyIds: string[];
  rules: string[];
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
/**
 * Version 3: the risk desk's own data. Keys are chosen so writes are idempotent: a fill is keyed by the venue's trade
 * id (a fill seen twice is stored once), a position by account, symbol and side.
 */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  // Audit entries name what they are about, indexed for the Activity filters.
  audit: '++id, ts, kind, severity, account, strategyId, rule',
  accounts: '&id, venue',
  snapshots: '++id, [account+time], time',
  positions: '&key, account',
  fills: '&key, [account+time], strategyId, time',
  orders: '&key, account',
  strategies: '&strategyId',
  settings: '&key',
  settingsHistory: '++id, [key+ts], ts',
  notifications: '++id, ts, dedupeKey',
  periodStarts: '&key, account',
} as const;
/**
 * Version 4: the audit log keeps only the indexes its readers use. Every index is one more B-tree entry per appended
 * row; nothing queries ts, kind or severity by index (the Activity filters on time and severity check rows while they
 * walk the newest-first id order or one of the account, strategy and rule indexes; the risk report walks the ids).
 * The rows themselves are unchanged.
 */
export const SCHEMA_V4 = { ...SCHEMA_V3, audit: '++id, account, strategyId, rule' } as const;
/**
 * Version 5: the audit log is stored as batches, one record per write (auditBatches). IndexedDB's cost is per record,
 * not per byte: in Chromium's service worker, 50 one-entry records per transaction stored 3,000 to 5,000 entries a
 * second however small the entry, and one 50-entry record 18,000 to 38,000. Keyed by the first entry's id; the
 * accounts, strategies and rules of its entries are multi-entry indexes for the Activity filters. The upgrade copies
 * every row, id included, in id order.
 */
export const SCHEMA_V5 = { ...SCHEMA_V4, auditBatches: 'first, *accounts, *strategyIds, *rules' } as const;
/** Version 6: the per-entry audit table, copied into auditBatches by the v5 upgrade, is dropped. */
export const SCHEMA_V6 = { ...SCHEMA_V5, audit: null } as const;
export const DB_VERSION = 6;

export { accountKey } from '../domain/types';

export type EnforcementMode = 'monitor' | 'guard' | 'enforce';
export interface AccountRow {
  /** accountKey(venue, accountId). */
  id: string;
  venue: Venue;
  accountId: string;
  label: string;
  network: 'mainnet' | 'testnet' | 'custom';
  restUrl: string | null;
  wsUrl: string | null;
  /** Binance API key (shown masked; its secret lives only in the vault) or Hyperliquid address. */
  publicId: string;
  /** Whether the vault holds this account's secret (Binance API secret, Hyperliquid agent key). */
  hasSecret: boolean;
  mode: EnforcementMode;
  deadManSwitchSec: number | null;
  createdAt: number;
}
export interface SnapshotRow extends AccountSnapshot {
  id?: number;
  account: string;
  /** Downsampled rows stand for an hour of snapshots (retention); fresh rows are 'raw'. */
  resolution: 'raw' | 'hour';
}
export interface PositionRow extends Position {
  key: string;
  account: string;
}
export interface FillRow extends Fill {
  key: string;
  account: string;
}
export interface OrderRow extends OpenOrder {
  key: string;
  account: string;
}
export type StrategyRow = Strategy;
export interface SettingsRow {
  /** 'global', `account:<key>` or `strategy:<id>`. */
  key: string;
  value: unknown;
  updatedAt: number;
}
export interface SettingsChangeRow {
  id?: number;
  key: string;
  ts: number;
  /** Dotted path of each changed field with its old and new value. */
  changes: { path: string; from: unknown; to: unknown }[];
  source: string;
}
/** The value a loss period started from (equity, balance, ...), fixed at the period's first snapshot. */
export interface PeriodStartRow {
  /** `${account}|${period}|${start}`. */
  key: string;
  account: string;
  period: 'daily' | 'weekly' | 'monthly';
  /** The period's start instant (epoch ms, in the configured day-start time zone). */
  start: number;
  equity: number;
  walletBalance: number;
  recordedAt: number;
}
export interface NotificationRow {
  id?: number;
  ts: number;
  dedupeKey: string;
  severity: Severity;
  title: string;
  message: string;
  auditId: number | null;
}

/** Whether an entry's time is one a Date can hold (NaN, Infinity and beyond ±8.64e15 ms make toISOString throw). */
export const isAuditTime = (t: unknown): t is number => typeof t === 'number' && Math.abs(t) <= 8.64e15;

const AuditRowV1 = z.object({
  id: z.number().int(),
  ts: z.number().refine(isAuditTime),
  kind: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

/**
 * v1 -> v2: every audit row gets severity 'info'; fields the v1 shape does not know move into its data (`v1Fields`), so
 * the entry stays readable and nothing is lost. A row that does not match the v1 shape is kept, not dropped: the
 * audit log is append-only, so it becomes a 'migration.unreadable' entry that carries the original row, at time 0 if
 * its own time is not a time.
 */
export async function upgradeToV2(tx: Transaction): Promise<void> {
  await tx
    .table('audit')
    .toCollection()
    .modify((row: Record<string, unknown>) => {
      const parsed = AuditRowV1.safeParse(row);
      const original = { ...row };
      for (const k of Object.keys(row)) if (k !== 'id') delete row[k];
      if (parsed.success) {
        const { id: _id, ts: _ts, kind: _kind, message: _message, data: _data, ...extra } = original;
        Object.assign(row, parsed.data, { severity: 'info' });
        if (Object.keys(extra).length > 0) row.data = { ...parsed.data.data, v1Fields: extra };
        return;
      }
      row.ts = isAuditTime(original.ts) ? original.ts : 0;
      row.kind = 'migration.unreadable';
      row.severity = 'warning';
      row.message = 'An audit entry from an earlier version could not be read; it is kept as it was.';
      row.data = { original };
    });
}

/** The batch record of rows that already carry their ids; total counts the log up to and including them. */
export function packAuditBatch(rows: AuditRow[], total: number): AuditBatchRow {
  const distinct = (pick: (r: AuditRow) => string | undefined) => [...new Set(rows.map(pick).filter((v): v is string => typeof v === 'string'))];
  return {
    first: rows[0]!.id!,
    total,
    rows,
    accounts: distinct((r) => r.account),
    strategyIds: distinct((r) => r.strategyId),
    rules: distinct((r) => r.rule),
  };
}

/** Rows per batch record when the v5 upgrade copies the log (and the most a write puts in one record). */
export const AUDIT_BATCH_MAX = 500;

/** v4 -> v5: the audit rows, in id order and with their ids, into batch records of up to AUDIT_BATCH_MAX rows. */
export async function upgradeToV5(tx: Transaction): Promise<void> {
  const audit = tx.table<AuditRow, number>('audit');
  const batches = tx.table<AuditBatchRow, number>('auditBatches');
  let total = 0;
  let after = -Infinity;
  for (;;) {
    const rows = await audit.where(':id').above(after).limit(AUDIT_BATCH_MAX).toArray();
    if (rows.length === 0) return;
    total += rows.length;
    await batches.add(packAuditBatch(rows, total));
    after = rows[rows.length - 1]!.id!;
  }
}

export class RingfenceDb extends Dexie {
  meta!: Table<MetaRow, string>;
  auditBatches!: Table<AuditBatchRow, number>;
  pages!: Table<PageRow, string>;
  accounts!: Table<AccountRow, string>;
  snapshots!: Table<SnapshotRow, number>;
  positions!: Table<PositionRow, string>;
  fills!: Table<FillRow, string>;
  orders!: Table<OrderRow, string>;
  strategies!: Table<StrategyRow, string>;
  settings!: Table<SettingsRow, string>;
  settingsHistory!: Table<SettingsChangeRow, number>;
  notifications!: Table<NotificationRow, number>;
  periodStarts!: Table<PeriodStartRow, string>;

  constructor(name: string = DB_NAME, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores(SCHEMA_V1);
    this.version(2).stores(SCHEMA_V2).upgrade(upgradeToV2);
    this.version(3).stores(SCHEMA_V3); // new tables only: nothing to convert
    this.version(4).stores(SCHEMA_V4); // audit indexes dropped: the rows stay as they are
    this.version(5).stores(SCHEMA_V5).upgrade(upgradeToV5);
    this.version(6).stores(SCHEMA_V6);
  }
}
