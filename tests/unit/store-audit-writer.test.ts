import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { createAuditWriter } from '@/lib/store/audit';
import { RingfenceDb } from '@/lib/store/db';

const fresh = () => new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
const row = (i: number) => ({ ts: i, kind: 'risk.finding', severity: 'warning' as const, message: `entry ${i}` });

describe('audit writer', () => {
  it('appends a burst in one transaction, ids in call order, each caller getting its own entry', async () => {
    const db = fresh();
    const w = createAuditWriter(db);
    const bulk = vi.spyOn(db.audit, 'bulkAdd');
    const entries = await Promise.all(Array.from({ length: 50 }, (_, i) => w.append(row(i))));
    expect(bulk).toHaveBeenCalledTimes(1);
    expect(entries.map((e) => e.message)).toEqual(Array.from({ length: 50 }, (_, i) => `entry ${i}`));
    expect(entries.map((e) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await db.audit.orderBy('id').toArray()).map((r) => r.message)).toEqual(entries.map((e) => e.message));
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
    expect(await db.audit.count()).toBe(4);
  });

  it('a failed batch rejects each of its appends and the writer keeps working', async () => {
    const db = fresh();
    const w = createAuditWriter(db);
    const spy = vi.spyOn(db.audit, 'bulkAdd').mockRejectedValueOnce(new Error('disk full'));
    const failed = await Promise.allSettled([w.append(row(1)), w.append(row(2))]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    spy.mockRestore();
    expect((await w.append(row(3))).message).toBe('entry 3');
  });
});
