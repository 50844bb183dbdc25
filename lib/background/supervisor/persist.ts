/**
 * What the supervisor keeps in IndexedDB besides the audit log: the risk state (written before any action it asks
 * for is sent, so a restart never repeats one), the supervisor's own bookkeeping, positions, orders, the equity curve
 * and each period's start value. Everything read back is checked (zod) first: a row a newer or broken build wrote
 * must not take the loop down.
 */
import { z } from 'zod';
import { PositionBooksSchema, type PositionBooks } from '../../domain/attribution';
import type { AccountSnapshot, OpenOrder, Position } from '../../domain/types';
import { initialRiskState, type LossPeriod, type PeriodStartValue, type RiskState } from '../../risk';
import { emptyNotifyState, type NotifyState } from '../notify-policy';
import type { PeriodStartRow, RingfenceDb } from '../../store/db';

export const RISK_STATE_KEY = 'risk.state';
export const SUPERVISOR_KEY = 'supervisor.state';
/** Per account, the strategies' shares of each position (lib/domain/attribution.ts): written with the fills that change it. */
export const POSITION_BOOK_KEY = 'strategy.positions';

const record = z.record(z.string(), z.unknown());
/** The risk state's outer shape; its inner records are the engine's own plain data, written by this code. */
const RiskStateShape = z
  .object({
    version: z.literal(1),
    scopes: record,
    peaks: z.record(z.string(), z.number()),
    trails: record,
    issued: record,
    accounts: record,
    strategyBaselines: z.record(z.string(), z.number()),
    // Absent in states written before strategy peaks were kept.
    strategyPeaks: z.record(z.string(), z.number()).optional(),
    // Absent in states written before cash flows were recorded.
    cashFlows: z
      .record(
        z.string(),
        z.array(
          z
            .object({
              id: z.string(),
              amount: z.number().finite(),
              asset: z.string(),
              kind: z.string(),
              time: z.number(),
              at: z.number(),
              // Absent in flows recorded before it was kept, and for flows read from the history.
              before: z.object({ equity: z.number().finite(), walletBalance: z.number().finite() }).strict().optional(),
            })
            .strict(),
        ),
      )
      .optional(),
  })
  .strict();

export interface SupervisorExtras {
  /** Per account key, while it is HALTED: the size of every position when the halt began (position key -> |size|). */
  haltBaselines: Record<string, Record<string, number>>;
  /**
   * Per account key, while a Flatten everything is not finished: the positions it still has to close (position keys;
   * null: every position, once the account's positions are known). Empty: closed; the remaining orders are cancelled next.
   */
  flattening: Record<string, string[] | null>;
  notify: NotifyState;
  /** Keys of the findings open after the last evaluation: a finding is recorded once when it appears. */
  openFindings: string[];
}
const ExtrasShape = z
  .object({
    haltBaselines: z.record(z.string(), z.record(z.string(), z.number())),
    // Absent in rows written before flattens were stored.
    flattening: z.record(z.string(), z.array(z.string()).nullable()).optional(),
    notify: z.object({
      last: z.record(z.string(), z.object({ severity: z.enum(['notice', 'warning', 'critical', 'emergency']), at: z.number() })),
      recent: z.array(z.number()),
      held: z.object({ count: z.number().int().positive(), title: z.string() }).optional(),
    }),
    openFindings: z.array(z.string()),
  })
  .strict();
export const emptyExtras = (): SupervisorExtras => ({ haltBaselines: {}, flattening: {}, notify: emptyNotifyState(), openFindings: [] });

export type Restored<T> = { value: T; problem: string | null };

export async function loadRiskState(db: RingfenceDb): Promise<Restored<RiskState>> {
  const row = await db.meta.get(RISK_STATE_KEY);
  if (!row) return { value: initialRiskState(), problem: null };
  const r = RiskStateShape.safeParse(row.value);
  if (r.success) return { value: { ...(row.value as RiskState), cashFlows: r.data.cashFlows ?? {}, strategyPeaks: r.data.strategyPeaks ?? {} }, problem: null };
  return { value: initialRiskState(), problem: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}

export const saveRiskState = (db: RingfenceDb, state: RiskState) => db.meta.put({ key: RISK_STATE_KEY, value: state });

export async function loadExtras(db: RingfenceDb): Promise<Restored<SupervisorExtras>> {
  const row = await db.meta.get(SUPERVISOR_KEY);
  if (!row) return { value: emptyExtras(), problem: null };
  const r = ExtrasShape.safeParse(row.value);
  return r.success ? { value: { ...r.data, flattening: r.data.flattening ?? {} }, problem: null } : { value: emptyExtras(), problem: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}
export const saveExtras = (db: RingfenceDb, x: SupervisorExtras) => db.meta.put({ key: SUPERVISOR_KEY, value: x });

/** The position book; a row that does not parse starts an empty one (positions then go to the symbol rules' strategy). */
export async function loadPositionBooks(db: RingfenceDb): Promise<Restored<PositionBooks>> {
  const row = await db.meta.get(POSITION_BOOK_KEY);
  if (!row) return { value: {}, problem: null };
  const r = PositionBooksSchema.safeParse(row.value);
  return r.success ? { value: r.data, problem: null } : { value: {}, problem: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}
export const savePositionBooks = (db: RingfenceDb, books: PositionBooks) => db.meta.put({ key: POSITION_BOOK_KEY, value: books });

/** Replaces an account's stored positions with the live set. */
export async function savePositions(db: RingfenceDb, account: string, positions: Position[]): Promise<void> {
  await db.transaction('rw', db.positions, async () => {
    await db.positions.where('account').equals(account).delete();
    await db.positions.bulkPut(positions.map((p) => ({ ...p, key: `${account}:${p.symbol}:${p.side}`, account })));
  });
}

export async function saveOrders(db: RingfenceDb, account: string, orders: OpenOrder[]): Promise<void> {
  await db.transaction('rw', db.orders, async () => {
    await db.orders.where('account').equals(account).delete();
    await db.orders.bulkPut(orders.map((o) => ({ ...o, key: `${account}:${o.orderId}`, account })));
  });
}

export const periodStartKey = (account: string, period: LossPeriod, start: number) => `${account}|${period}|${start}`;

const PERIODS = ['daily', 'weekly', 'monthly'] as const;
const startValue = (row: PeriodStartRow, start: number): PeriodStartValue => ({ equity: row.equity, walletBalance: row.walletBalance, at: Math.max(row.recordedAt, start) });

/**
 * The start value of each period, fixed by the first snapshot seen in it (a period Ringfence saw from its start
 * begins at the first value after the boundary). Returns the stored values for the current periods.
 */
export async function ensurePeriodStarts(
  db: RingfenceDb,
  account: string,
  snap: AccountSnapshot,
  bounds: Record<LossPeriod, { start: number }>,
  now: number,
): Promise<Partial<Record<LossPeriod, PeriodStartValue>>> {
  const out: Partial<Record<LossPeriod, PeriodStartValue>> = {};
  // One read for the three periods (the usual case: all stored already).
  const stored = await db.periodStarts.bulkGet(PERIODS.map((period) => periodStartKey(account, period, bounds[period].start)));
  for (const [i, period] of PERIODS.entries()) {
    const start = bounds[period].start;
    const key = periodStartKey(account, period, start);
    let row = stored[i];
    if (!row) {
      const fresh: PeriodStartRow = { key, account, period, start, equity: snap.equity, walletBalance: snap.walletBalance, recordedAt: now };
      // add() fails if another writer got there first: then theirs stands.
      await db.periodStarts.add(fresh).catch(() => undefined);
      row = (await db.periodStarts.get(key)) ?? fresh;
    }
    out[period] = startValue(row, start);
  }
  return out;
}

/**
 * The stored start values of the current periods, per account, for the accounts that have all three stored: read
 * back with the rest of the state on a restart, so the first evaluation after it does not wait for a read. An
 * account missing one is left out (its first evaluation records them, as ensurePeriodStarts does).
 */
export async function loadPeriodStarts(
  db: RingfenceDb,
  accounts: string[],
  bounds: Record<LossPeriod, { start: number }>,
): Promise<Record<string, Record<LossPeriod, PeriodStartValue>>> {
  const keys = accounts.flatMap((account) => PERIODS.map((period) => periodStartKey(account, period, bounds[period].start)));
  const rows = await db.periodStarts.bulkGet(keys);
  const out: Record<string, Record<LossPeriod, PeriodStartValue>> = {};
  accounts.forEach((account, a) => {
    const mine = rows.slice(a * PERIODS.length, (a + 1) * PERIODS.length);
    if (mine.every((r) => r !== undefined)) {
      out[account] = { daily: startValue(mine[0]!, bounds.daily.start), weekly: startValue(mine[1]!, bounds.weekly.start), monthly: startValue(mine[2]!, bounds.monthly.start) };
    }
  });
  return out;
}
