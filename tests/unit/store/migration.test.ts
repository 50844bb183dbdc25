import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_VERSION, RingfenceDb, SCHEMA_V1, SCHEMA_V2 } from '@/lib/store/db';
import { appendAudit, auditCount, recentAudit } from '@/lib/store/audit';

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
      'audit',
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
    expect(await db.audit.orderBy('id').toArray()).toEqual([
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
    // The new index works on migrated rows.
    expect(await db.audit.where('severity').equals('info').count()).toBe(2);
    // Appending continues after the migrated ids.
    const next = await appendAudit(db, { ts: 3000, kind: 'k', severity: 'warning', message: 'after' });
    expect(next.id).toBe(3);
    db.close();
  });

  it('keeps an unreadable v1 row instead of dropping it', async () => {
    await seedV1([{ ts: 'yesterday', kind: 42 }]);
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    await db.open();
    expect(await db.audit.toArray()).toEqual([
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

describe('v2 -> v3', () => {
  it('keeps the audit log and pages and adds the desk tables empty', async () => {
    const v2 = new Dexie('ringfence', { indexedDB, IDBKeyRange });
    v2.version(2).stores(SCHEMA_V2);
    await v2.table('audit').add({ ts: 5, kind: 'k', severity: 'warning', message: 'kept' });
    await v2.table('pages').add({ key: '1', tabId: 1, venue: 'binance', symbol: 'BTCUSDT', url: 'u', since: 1, updatedAt: 1 });
    v2.close();
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    await db.open();
    expect(await db.audit.toArray()).toEqual([{ id: 1, ts: 5, kind: 'k', severity: 'warning', message: 'kept' }]);
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

  it('reads a corrupt row as a placeholder entry rather than failing the list', async () => {
    const db = new RingfenceDb('ringfence', { indexedDB, IDBKeyRange });
    await db.audit.add({ ts: 1, kind: 'k', severity: 'nonsense' as never, message: 'x' });
    expect(await recentAudit(db, 5)).toEqual([
      { id: 1, ts: 1, kind: 'store.unreadable', severity: 'warning', message: 'This audit entry could not be read.' },
    ]);
    db.close();
  });
});
