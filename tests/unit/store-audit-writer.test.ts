import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { auditCount, createAuditWriter, recentAudit, storeAudit } from '@/lib/store/audit';
import { AUDIT_BATCH_MAX, RingfenceDb } from '@/lib/store/db';
import { auditRows } from './helpers/audit-rows';

const fresh = () => new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
const row = (i: number) => ({ ts: i, kind: 'risk.finding', severity: 'warning' as const, message: `entry ${i}` });

describe('audit writer', () => {
  it('appends a burst in one transaction as one record, ids in call order, each caller getting its own entry', async () => {
    const db = fresh();
    const w = createAuditWriter(db);
    const bulk = vi.spyOn(db.auditBatches, 'bulkAdd');
    const entries = await Promise.all(Array.from({ length: 50 }, (_, i) => w.append(row(i))));
    expect(bulk).toHaveBeenCalledTimes(1);
    expect(await db.auditBatches.count()).toBe(1);
    expect(entries.map((e) => e.message)).toEqual(Array.from({ length: 50 }, (_, i) => `entry ${i}`));
    expect(entries.map((e) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await auditRows(db)).map((r) => r.message)).toEqual(entries.map((e) => e.message));
  });

  it('appends made while a batch is being written go into the next one, and one after another still works', async () => {
    const db = fresh();
    const w = createAuditWriter(db);
    const first = w.append(row(1));
    await Promise.resolve();
    await Promise.resolve();
    const second = [w.append(row(2)), w.append(row(3))];
    expect((await first).id).toBe(1);
    expect((await Promise.all(second)).map((e) => e.id)).toEqual([2, 3]);
    expect((await w.append(row(4))).id).toBe(4);
    expect(await auditCount(db)).toBe(4);
    expect((await db.auditBatches.orderBy('first').toArray()).map((b) => [b.first, b.rows.length, b.total])).toEqual([
      [1, 1, 1],
      [2, 2, 3],
      [4, 1, 4],
    ]);
  });

  it('a failed batch rejects each of its appends, stores none of them, and the writer keeps working', async () => {
    const db = fresh();
    const w = createAuditWriter(db);
    const spy = vi.spyOn(db.auditBatches, 'bulkAdd').mockRejectedValueOnce(new Error('disk full'));
    const failed = await Promise.allSettled([w.append(row(1)), w.append(row(2))]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    spy.mockRestore();
    const after = await w.append(row(3));
    expect(after).toMatchObject({ id: 1, message: 'entry 3' });
    expect(await auditCount(db)).toBe(1);
  });

  it('splits a burst larger than AUDIT_BATCH_MAX into records in one transaction, ids and the running count continuing', async () => {
    const db = fresh();
    await storeAudit(db, [row(0)]);
    const n = AUDIT_BATCH_MAX * 2 + 7;
    const stored = await storeAudit(db, Array.from({ length: n }, (_, i) => row(i + 1)));
    expect(stored.map((r) => r.id)).toEqual(Array.from({ length: n }, (_, i) => i + 2));
    expect((await db.auditBatches.orderBy('first').toArray()).map((b) => [b.first, b.rows.length, b.total])).toEqual([
      [1, 1, 1],
      [2, AUDIT_BATCH_MAX, AUDIT_BATCH_MAX + 1],
      [AUDIT_BATCH_MAX + 2, AUDIT_BATCH_MAX, 2 * AUDIT_BATCH_MAX + 1],
      [2 * AUDIT_BATCH_MAX + 2, 7, n + 1],
    ]);
    expect(await auditCount(db)).toBe(n + 1);
    expect((await recentAudit(db, 2)).map((e) => e.id)).toEqual([n + 1, n]);
  });

  it('indexes each record by the distinct accounts, strategies and rules of its entries', async () => {
    const db = fresh();
    await storeAudit(db, [
      { ...row(1), account: 'binance:a', rule: 'daily-loss' },
      { ...row(2), account: 'binance:a', strategyId: 'grid-1', rule: 'daily-loss' },
      { ...row(3), account: 'hyperliquid:b' },
    ]);
    const [b] = await db.auditBatches.toArray();
    expect([b!.accounts, b!.strategyIds, b!.rules]).toEqual([['binance:a', 'hyperliquid:b'], ['grid-1'], ['daily-loss']]);
    expect((await db.auditBatches.where('accounts').equals('hyperliquid:b').toArray()).map((x) => x.first)).toEqual([1]);
  });
});

describe('audit reads', () => {
  it('stop reading records once they have enough entries, so a long log costs a recent-list read nothing extra', async () => {
    const db = fresh();
    for (let k = 0; k < 20; k++) await storeAudit(db, Array.from({ length: 10 }, (_, i) => row(k * 10 + i)));
    let read = 0;
    db.auditBatches.hook('reading', (b) => {
      read++;
      return b;
    });
    expect((await recentAudit(db, 15)).map((e) => e.id)).toEqual(Array.from({ length: 15 }, (_, i) => 200 - i));
    expect(read).toBeLessThanOrEqual(3);
    read = 0;
    expect((await recentAudit(db, 5, 101)).map((e) => e.id)).toEqual([100, 99, 98, 97, 96]);
    expect(read).toBeLessThanOrEqual(2);
  });
});

describe('audit reads of damaged records', () => {
  it('skip a record without a list of rows and a row that is not an object; the rest still reads', async () => {
    const db = fresh();
    await storeAudit(db, [row(1)]);
    await db.auditBatches.add({ first: 2, total: 2, rows: 'garbage' as never, accounts: [], strategyIds: [], rules: [] });
    await db.auditBatches.add({ first: 3, total: 3, rows: [null as never, { ...row(4), id: 4 }], accounts: [], strategyIds: [], rules: [] });
    expect((await recentAudit(db, 10)).map((e) => e.id)).toEqual([4, 1]);
  });
});

describe('appending after a damaged newest record', () => {
  it('takes the next id past the record, so the key is new and appending goes on', async () => {
    const db = fresh();
    await db.auditBatches.add({ first: 7, total: 'x' as never, rows: 'garbage' as never, accounts: [], strategyIds: [], rules: [] });
    const w = createAuditWriter(db);
    expect((await w.append(row(1))).id).toBe(8);
    expect((await w.append(row(2))).id).toBe(9);
    expect(await auditCount(db)).toBe(2);
  });
});
