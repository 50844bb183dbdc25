import type { AuditRow, RingfenceDb } from '@/lib/store/db';

/** Every audit row as stored, oldest first (the log is kept as batch records). */
export async function auditRows(db: RingfenceDb): Promise<AuditRow[]> {
  return (await db.auditBatches.orderBy('first').toArray()).flatMap((b) => b.rows);
}
