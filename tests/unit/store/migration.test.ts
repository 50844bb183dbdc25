import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_BATCH_MAX, DB_VERSION, RingfenceDb, SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, type AuditRow } from '@/lib/store/db';
import { appendAudit, auditCount, createAuditWriter, queryAudit, recentAudit, storeAudit } from '@/lib/store/audit';
import { auditRows } from '../helpers/audit-rows';
import { AuditEntrySchema } from '@/lib/messaging/protocol';
import { activityHandlers } from '@/lib/background/activity';
import * as zm from 'zod/mini';

let indexedDB = new IDBFactory();
afterEach(() => {
  indexedDB = new IDBFactory();
});

/** A database as version 1 of Ringfence left it. */
async function seedV1(rows: Record<string, unknown>[], meta: { key: string; value: unknown }[] = []) {
  const v1 = new Dexie('ringfence', { indexedDB, IDBKeyRange });
  v1.version(1).stores(SCHEMA_V1);
  await v1.table('audit').bulkAdd(rows);
  await v1.table('meta').bulkAdd(meta);
  v1.close();
}

describe('store migrations', () => {
  it('opens a fresh database at the latest version', async () => {
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    await db.open();
    expect(db.verno).toBe(DB_VERSION);
    expect(db.tables.map((t) => t.name).sort()).toEqual([
      'accounts',
      'auditBatches',
      'fills',
      'meta',
      'notifications',
      'orders',
      'pages',
      'periodStarts',
      'positions',
      'settings',
      'settingsHistory',
      'snapshots',
      'strategies',
    ]);
    db.close();
  });

  it('upgrades v1 with data to the latest version with every row intact and severity added', async () => {
    await seedV1(
      [
        { ts: 1000, kind: 'worker.started', message: 'Background worker started.' },
        { ts: 2000, kind: 'page.attached', message: 'Panel attached on Binance BTCUSDT (tab 4).', data: { tabId: 4 } },
      ],
      [{ key: 'installId', value: 'abc' }],
    );
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    await db.open();
    expect(db.verno).toBe(DB_VERSION);
    expect(await auditRows(db)).toEqual([
      { id: 1, ts: 1000, kind: 'worker.started', message: 'Background worker started.', severity: 'info' },
      {
        id: 2,
        ts: 2000,
        kind: 'page.attached',
        message: 'Panel attached on Binance BTCUSDT (tab 4).',
        data: { tabId: 4 },
        severity: 'info',
      },
    ]);
    expect(await db.meta.get('installId')).toEqual({ key: 'installId', value: 'abc' });
    // Severity is read on migrated rows (filtered row by row since v4).
    expect(await queryAudit(db, { severities: ['info'] }, 10)).toHaveLength(2);
    // Appending continues after the migrated ids.
    const next = await appendAudit(db, { ts: 3000, kind: 'k', severity: 'warning', message: 'after' });
    expect(next.id).toBe(3);
    db.close();
  });

  it('keeps an unreadable v1 row instead of dropping it', async () => {
    await seedV1([{ ts: 'yesterday', kind: 42 }]);
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    await db.open();
    expect(await auditRows(db)).toEqual([
      {
        id: 1,
        ts: 0,
        kind: 'migration.unreadable',
        severity: 'warning',
        message: 'An audit entry from an earlier version could not be read; it is kept as it was.',
        data: { original: { id: 1, ts: 'yesterday', kind: 42 } },
      },
    ]);
    db.close();
  });
});

describe('v1 rows the v2 entry shape did not fit', () => {
  /** What audit.list / audit.query answers and every pushed view state are checked against on the way in. */
  const allValid = (entries: unknown) => zm.safeParse(zm.array(AuditEntrySchema), entries).success;

  it('a v1 row whose time is NaN, Infinity or beyond a Date is kept at time 0: the views and the audit export still work', async () => {
    await seedV1([
      { ts: 1000, kind: 'k', message: 'fine' },
      { ts: Number.NaN, kind: 'k', message: 'no time' },
      { ts: Number.POSITIVE_INFINITY, kind: 'k', message: 'endless' },
      { ts: 1e20, kind: 'k', message: 'far' },
    ]);
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    const unreadable = (id: number, ts: number, message: string) => ({
      id,
      ts: 0,
      kind: 'migration.unreadable',
      severity: 'warning',
      message: 'An audit entry from an earlier version could not be read; it is kept as it was.',
      data: { original: { id, ts, kind: 'k', message } },
    });
    const entries = await recentAudit(db, 10);
    expect(entries).toEqual([unreadable(4, 1e20, 'far'), unreadable(3, Number.POSITIVE_INFINITY, 'endless'), unreadable(2, Number.NaN, 'no time'), { id: 1, ts: 1000, kind: 'k', severity: 'info', message: 'fine' }]);
    expect(allValid(entries)).toBe(true);
    const h = activityHandlers({ db, now: () => Date.UTC(2026, 0, 1) });
    const csv = await h['audit.export']({ filter: {}, format: 'csv' });
    const line = (id: number, json: string) => `${id},1970-01-01T00:00:00.000Z,warning,migration.unreadable,An audit entry from an earlier version could not be read; it is kept as it was.,"${json}"`;
    expect(csv.rows).toBe(4);
    expect(csv.body.split('\r\n')).toEqual([
      'id,time,severity,kind,message,data',
      '1,1970-01-01T00:00:01.000Z,info,k,fine,',
      line(2, '{""original"":{""ts"":null,""kind"":""k"",""message"":""no time"",""id"":2}}'),
      line(3, '{""original"":{""ts"":null,""kind"":""k"",""message"":""endless"",""id"":3}}'),
      line(4, '{""original"":{""ts"":100000000000000000000,""kind"":""k"",""message"":""far"",""id"":4}}'),
      '',
    ]);
    expect((await h['audit.export']({ filter: {}, format: 'json' })).rows).toBe(4);
    db.close();
  });

  it('a v1 row with fields v1 did not have keeps its content; the extra fields move into its data', async () => {
    await seedV1([
      { ts: 1000, kind: 'k', message: 'kept', source: 'popup' },
      { ts: 2000, kind: 'k', message: 'with data', data: { tabId: 4 }, tab: 3, note: null },
    ]);
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    expect(await auditRows(db)).toEqual([
      { id: 1, ts: 1000, kind: 'k', severity: 'info', message: 'kept', data: { v1Fields: { source: 'popup' } } },
      { id: 2, ts: 2000, kind: 'k', severity: 'info', message: 'with data', data: { tabId: 4, v1Fields: { tab: 3, note: null } } },
    ]);
    expect((await recentAudit(db, 10)).map((e) => e.message)).toEqual(['with data', 'kept']);
    db.close();
  });
});

describe('v2 -> v3', () => {
  it('keeps the audit log and pages and adds the desk tables empty', async () => {
    const v2 = new Dexie('ringfence', { indexedDB, IDBKeyRange });
    v2.version(2).stores(SCHEMA_V2);
    await v2.table('audit').add({ ts: 5, kind: 'k', severity: 'warning', message: 'kept' });
    await v2.table('pages').add({ key: '1', tabId: 1, venue: 'binance', symbol: 'BTCUSDT', url: 'u', since: 1, updatedAt: 1 });
    v2.close();
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    await db.open();
    expect(await auditRows(db)).toEqual([{ id: 1, ts: 5, kind: 'k', severity: 'warning', message: 'kept' }]);
    expect(await db.pages.count()).toBe(1);
    expect(await db.fills.count()).toBe(0);
    db.close();
  });
});

describe('audit store', () => {
  it('lists newest first, pages back before an id, and counts', async () => {
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    for (let i = 1; i <= 5; i++) await appendAudit(db, { ts: i, kind: 'k', severity: 'info', message: `m${i}` });
    expect((await recentAudit(db, 2)).map((e) => e.message)).toEqual(['m5', 'm4']);
    expect((await recentAudit(db, 10, 3)).map((e) => e.message)).toEqual(['m2', 'm1']);
    expect(await auditCount(db)).toBe(5);
    db.close();
  });

  it('a stored row with a time that is not a time reads as a valid placeholder; one with an unknown field keeps its content', async () => {
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    await storeAudit(db, [
      { ts: Number.NaN, kind: 'k', severity: 'info', message: 'a' },
      { ts: Number.NEGATIVE_INFINITY, kind: 'k', severity: 'info', message: 'b' },
      { ts: -1e16, kind: 'k', severity: 'info', message: 'c' },
      { ts: 5, kind: 'k', severity: 'info', message: 'd', source: 'popup' } as never,
    ]);
    const placeholder = (id: number) => ({ id, ts: 0, kind: 'store.unreadable', severity: 'warning', message: 'This audit entry could not be read.' });
    const entries = await recentAudit(db, 10);
    expect(entries).toEqual([{ id: 4, ts: 5, kind: 'k', severity: 'info', message: 'd' }, placeholder(3), placeholder(2), placeholder(1)]);
    expect(zm.safeParse(zm.array(AuditEntrySchema), entries).success).toBe(true);
    db.close();
  });

  it('reads a corrupt row as a placeholder entry rather than failing the list', async () => {
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    await storeAudit(db, [{ ts: 1, kind: 'k', severity: 'nonsense' as never, message: 'x' }]);
    expect(await recentAudit(db, 5)).toEqual([
      { id: 1, ts: 1, kind: 'store.unreadable', severity: 'warning', message: 'This audit entry could not be read.' },
    ]);
    db.close();
  });
});

describe('v3 -> latest (audit indexes on ts, kind and severity dropped in v4, batch records since v5)', () => {
  /** Rows as v3 stored them: with and without data and refs, one of each severity. */
  const v3Rows: Omit<AuditRow, 'id'>[] = [
    { ts: 1000, kind: 'worker.started', severity: 'info', message: 'Background worker started.' },
    {
      ts: 2000,
      kind: 'risk.finding',
      severity: 'warning',
      message: 'BTCUSDT long is at 85% of its drawdown limit.',
      data: { rule: 'position-drawdown', value: 42.5, reason: { code: 'position_drawdown', symbol: 'BTCUSDT' } },
      account: 'binance:main',
      rule: 'position-drawdown',
    },
    { ts: 3000, kind: 'strategy.killed', severity: 'critical', message: 'Strategy grid-1 killed.', strategyId: 'grid-1', rule: 'strategy-kill-switch' },
    { ts: 4000, kind: 'action.close', severity: 'emergency', message: 'Closing all of BTCUSDT long.', data: { actionId: 'close|1' }, account: 'binance:main' },
  ];
  const seedV3 = async () => {
    const v3 = new Dexie('ringfence', { indexedDB, IDBKeyRange });
    v3.version(3).stores(SCHEMA_V3);
    await v3.table('audit').bulkAdd(v3Rows);
    await v3.table('notifications').add({ ts: 4000, dedupeKey: 'k', severity: 'emergency', title: 't', message: 'm', auditId: 4 });
    v3.close();
  };

  it('keeps every audit row exactly as it was, each still a valid entry, and keeps only the indexes the readers use', async () => {
    await seedV3();
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    await db.open();
    expect(db.verno).toBe(DB_VERSION);
    const rows = await auditRows(db);
    expect(rows).toEqual(v3Rows.map((r, i) => ({ ...r, id: i + 1 })));
    for (const r of rows) expect(AuditEntrySchema.safeParse(r).success).toBe(true);
    expect(db.auditBatches.schema.indexes.map((i) => [i.name, i.multi])).toEqual([
      ['accounts', true],
      ['strategyIds', true],
      ['rules', true],
    ]);
    expect(db.tables.some((t) => t.name === 'audit')).toBe(false);
    expect(await db.notifications.get(1)).toMatchObject({ auditId: 4 });
    db.close();
  });

  it('every reader works on the upgraded log: newest first, paging, count, the Activity filters', async () => {
    await seedV3();
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    const ids = (es: { id: number }[]) => es.map((e) => e.id);
    expect(ids(await recentAudit(db, 10))).toEqual([4, 3, 2, 1]);
    expect(ids(await recentAudit(db, 10, 3))).toEqual([2, 1]);
    expect(await auditCount(db)).toBe(4);
    expect(ids(await queryAudit(db, { account: 'binance:main' }, 10))).toEqual([4, 2]);
    expect(ids(await queryAudit(db, { strategyId: 'grid-1' }, 10))).toEqual([3]);
    expect(ids(await queryAudit(db, { rule: 'position-drawdown' }, 10))).toEqual([2]);
    expect(ids(await queryAudit(db, { severities: ['critical', 'emergency'] }, 10))).toEqual([4, 3]);
    expect(ids(await queryAudit(db, { from: 2000, to: 3000 }, 10))).toEqual([3, 2]);
    expect(ids(await queryAudit(db, { account: 'binance:main', severities: ['warning'], beforeId: 4 }, 10))).toEqual([2]);
    // Appending continues after the upgraded ids, through the writer the background uses.
    const next = await createAuditWriter(db).append({ ts: 5000, kind: 'k', severity: 'notice', message: 'after', account: 'binance:main' });
    expect(next.id).toBe(5);
    expect(ids(await queryAudit(db, { account: 'binance:main' }, 1))).toEqual([5]);
    db.close();
  });
});

describe('v4 -> v6 (the audit log into batch records)', () => {
  /** A v4 log of n rows whose ids skip 100 after the first 300, as any log may skip (an aborted append). */
  const seedV4 = async (n: number) => {
    const v4 = new Dexie('ringfence', { indexedDB, IDBKeyRange });
    v4.version(4).stores(SCHEMA_V4);
    const rows: AuditRow[] = Array.from({ length: n }, (_, i) => ({
      id: i < 300 ? i + 1 : i + 101,
      ts: 1000 + i,
      kind: i % 2 ? 'risk.finding' : 'action.close',
      severity: i % 3 ? 'warning' : 'critical',
      message: `entry ${i}`,
      ...(i % 2 ? { account: 'binance:main', rule: 'position-drawdown', data: { i } } : { account: 'hyperliquid:0xabc' }),
      ...(i % 5 === 0 ? { strategyId: 'grid-1' } : {}),
    }));
    await v4.table('audit').bulkAdd(rows);
    v4.close();
    return rows;
  };

  it('copies every row with its id, in id order, into records of at most AUDIT_BATCH_MAX, and drops the old table', async () => {
    const rows = await seedV4(1234);
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    await db.open();
    expect(db.verno).toBe(DB_VERSION);
    expect(await auditRows(db)).toEqual(rows);
    const batches = await db.auditBatches.orderBy('first').toArray();
    expect(batches.map((b) => [b.first, b.rows.length, b.total])).toEqual([
      [1, AUDIT_BATCH_MAX, 500],
      [601, AUDIT_BATCH_MAX, 1000],
      [1101, 234, 1234],
    ]);
    expect(batches[0]!.accounts.sort()).toEqual(['binance:main', 'hyperliquid:0xabc']);
    expect(db.tables.some((t) => t.name === 'audit')).toBe(false);
    db.close();
  });

  it('reads the copied log as before: newest first across records, paging, count, filters; appends continue after the newest id', async () => {
    const rows = await seedV4(1234);
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    const ids = (es: { id: number }[]) => es.map((e) => e.id);
    const newest = (keep: (r: AuditRow) => boolean, n: number) => rows.filter(keep).reverse().slice(0, n).map((r) => r.id);
    expect(await auditCount(db)).toBe(1234);
    expect(ids(await recentAudit(db, 3))).toEqual([1334, 1333, 1332]);
    // Paging back across a record boundary (ids 601.. start the second record) and across the gap in ids.
    expect(ids(await recentAudit(db, 4, 603))).toEqual([602, 601, 600, 599]);
    expect(ids(await recentAudit(db, 3, 402))).toEqual([401, 300, 299]);
    expect(ids(await queryAudit(db, { strategyId: 'grid-1' }, 700))).toEqual(newest((r) => r.strategyId === 'grid-1', 700));
    expect(ids(await queryAudit(db, { account: 'hyperliquid:0xabc', severities: ['critical'], beforeId: 1200 }, 50))).toEqual(
      newest((r) => r.account === 'hyperliquid:0xabc' && r.severity === 'critical' && r.id! < 1200, 50),
    );
    expect(ids(await queryAudit(db, { rule: 'position-drawdown', from: 1100, to: 1110 }, 50))).toEqual([110, 108, 106, 104, 102]);
    const next = await createAuditWriter(db).append({ ts: 9000, kind: 'k', severity: 'info', message: 'after' });
    expect(next.id).toBe(1335);
    expect(await auditCount(db)).toBe(1235);
    db.close();
  });
});
