import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { activityHandlers } from '@/lib/background/activity';
import { auditExport, auditQuery, tradesExport } from '@/lib/messaging/activity-requests';
import { request } from '@/lib/messaging/client';
import { appendAudit } from '@/lib/store/audit';
import { RingfenceDb } from '@/lib/store/db';
import { saveFills } from '@/lib/store/fills';
import { extensionSender, fakeRuntime, testBackground } from '../helpers/fake-runtime';

async function setup() {
  const db = new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
  const { bg } = testBackground({ db, now: () => Date.UTC(2026, 10, 21, 12) });
  await bg.ready; // writes 'worker.started' (ts = now)
  const a = 'binance:main';
  const rows = [
    { ts: 1000, kind: 'rule.daily_loss', severity: 'warning' as const, message: 'Daily loss at 60% of the limit.', account: a, rule: 'daily_loss' },
    { ts: 2000, kind: 'rule.daily_loss', severity: 'critical' as const, message: 'Daily loss limit reached.', account: a, rule: 'daily_loss' },
    { ts: 3000, kind: 'rule.kill_switch', severity: 'emergency' as const, message: 'Strategy grid-1 killed.', account: a, strategyId: 'grid-1', rule: 'strategy_kill_switch' },
    { ts: 4000, kind: 'rule.daily_loss', severity: 'warning' as const, message: 'Other account.', account: 'hyperliquid:0xabc', rule: 'daily_loss' },
  ];
  for (const r of rows) await appendAudit(db, r);
  const { runtime } = fakeRuntime(() => bg, extensionSender('options.html'));
  return { db, runtime };
}
const messages = (r: { ok: boolean; data?: { message: string }[] }) => (r.ok ? r.data!.map((e) => e.message) : r);

describe('activity requests', () => {
  it('filters by account, strategy, rule, severity and time range, newest first', async () => {
    const { runtime } = await setup();
    expect(messages(await request(runtime, auditQuery, { filter: { account: 'binance:main' } }))).toEqual([
      'Strategy grid-1 killed.',
      'Daily loss limit reached.',
      'Daily loss at 60% of the limit.',
    ]);
    expect(messages(await request(runtime, auditQuery, { filter: { strategyId: 'grid-1' } }))).toEqual(['Strategy grid-1 killed.']);
    expect(messages(await request(runtime, auditQuery, { filter: { rule: 'daily_loss', severities: ['warning'] } }))).toEqual([
      'Other account.',
      'Daily loss at 60% of the limit.',
    ]);
    expect(messages(await request(runtime, auditQuery, { filter: { account: 'binance:main', from: 1500, to: 3000 } }))).toEqual([
      'Strategy grid-1 killed.',
      'Daily loss limit reached.',
    ]);
    expect(messages(await request(runtime, auditQuery, { filter: { rule: 'daily_loss' }, limit: 1 }))).toEqual(['Other account.']);
  });

  it('refuses an inverted time range', async () => {
    const { runtime } = await setup();
    expect(await request(runtime, auditQuery, { filter: { from: 5, to: 1 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_data', issues: ['filter.from: from must not be after to'] },
    });
  });

  it('exports the filtered audit as CSV (oldest first) and JSON', async () => {
    const { runtime } = await setup();
    const csv = await request(runtime, auditExport, { filter: { strategyId: 'grid-1' }, format: 'csv' });
    expect(csv).toEqual({
      ok: true,
      data: {
        filename: 'ringfence-audit-2026-11-21-12-00-00.csv',
        mime: 'text/csv',
        rows: 1,
        body: 'id,time,severity,kind,message,data\r\n4,1970-01-01T00:00:03.000Z,emergency,rule.kill_switch,Strategy grid-1 killed.,\r\n',
      },
    });
    const json = await request(runtime, auditExport, { filter: { account: 'binance:main' }, format: 'json' });
    expect(json.ok && JSON.parse(json.data.body)).toMatchObject({
      format: 'ringfence.audit',
      version: 1,
      rows: [{ ts: 1000 }, { ts: 2000 }, { ts: 3000 }],
    });
  });

  it('exports trades by account and time', async () => {
    const { runtime, db } = await setup();
    const fill = (id: string, accountId: string, time: number) => ({
      venue: 'binance' as const, accountId, tradeId: id, symbol: 'BTCUSDT', side: 'buy' as const, price: 97000, size: 0.01,
      fee: 0.39, feeAsset: 'USDT', realizedPnl: 0, time, orderId: 'o', clientOrderId: null, strategyId: 'manual',
    });
    await saveFills(db, [fill('1', 'main', 100), fill('2', 'main', 200), fill('3', 'other', 150)]);
    const res = await request(runtime, tradesExport, { account: 'binance:main', from: 150, format: 'csv' });
    expect(res.ok && res.data.rows).toBe(1);
    expect(res.ok && res.data.body.split('\r\n')[1]).toContain(',2,o,,manual');
  });

  it('past the cap both exports keep the newest rows, oldest first, and say how many older ones were left out', async () => {
    const { db } = await setup();
    const fill = (id: string, accountId: string, time: number) => ({
      venue: 'binance' as const, accountId, tradeId: id, symbol: 'BTCUSDT', side: 'buy' as const, price: 97000, size: 0.01,
      fee: 0.39, feeAsset: 'USDT', realizedPnl: 0, time, orderId: 'o', clientOrderId: null, strategyId: 'manual',
    });
    await saveFills(db, [fill('1', 'main', 100), fill('2', 'main', 200), fill('3', 'other', 250), fill('4', 'main', 300), fill('5', 'main', 400), fill('6', 'main', 500)]);
    const h = activityHandlers({ db, now: () => Date.UTC(2026, 10, 21, 12), maxRows: 3 });
    const where = vi.spyOn(db.fills, 'where');
    const mine = await h['trades.export']({ account: 'binance:main', format: 'json' });
    // The account's fills are read by its [account+time] index, not by filtering every fill.
    expect(where.mock.calls).toEqual([['[account+time]']]);
    expect(mine).toMatchObject({ rows: 3, omitted: 2 });
    expect(JSON.parse(mine.body).rows.map((f: { tradeId: string }) => f.tradeId)).toEqual(['4', '5', '6']);
    const all = await h['trades.export']({ format: 'json' });
    expect(all).toMatchObject({ rows: 3, omitted: 3 });
    expect(JSON.parse(all.body).rows.map((f: { tradeId: string }) => f.tradeId)).toEqual(['4', '5', '6']);
    const early = await h['trades.export']({ to: 250, format: 'json' });
    expect(early.rows).toBe(3);
    expect('omitted' in early).toBe(false);

    // The log: worker.started (the first entry) and the four rows of setup().
    const audit = await h['audit.export']({ filter: {}, format: 'json' });
    expect(audit).toMatchObject({ rows: 3, omitted: 2 });
    expect(JSON.parse(audit.body).rows.map((e: { ts: number }) => e.ts)).toEqual([2000, 3000, 4000]);
    const account = await h['audit.export']({ filter: { account: 'binance:main' }, format: 'csv' });
    expect(account).toMatchObject({ rows: 3 });
    expect('omitted' in account).toBe(false);
    expect(await h['audit.export']({ filter: { severities: ['warning'] }, format: 'csv' })).toMatchObject({ rows: 2 });
    expect(await activityHandlers({ db, now: () => 0, maxRows: 1 })['audit.export']({ filter: { account: 'binance:main', from: 1500 }, format: 'json' })).toMatchObject({ rows: 1, omitted: 1 });
  });

  it('exports the trades of one strategy, with or without an account and a time range', async () => {
    const { runtime, db } = await setup();
    const fill = (id: string, accountId: string, time: number, strategyId: string) => ({
      venue: 'binance' as const, accountId, tradeId: id, symbol: 'BTCUSDT', side: 'buy' as const, price: 97000, size: 0.01,
      fee: 0.39, feeAsset: 'USDT', realizedPnl: 0, time, orderId: 'o', clientOrderId: null, strategyId,
    });
    await saveFills(db, [fill('1', 'main', 100, 'grid-1'), fill('2', 'main', 200, 'manual'), fill('3', 'other', 150, 'grid-1'), fill('4', 'main', 300, 'grid-1')]);
    const ids = async (data: Record<string, unknown>) => {
      const res = await request(runtime, tradesExport, { format: 'json', ...data });
      return res.ok ? JSON.parse(res.data.body).rows.map((f: { tradeId: string }) => f.tradeId) : res;
    };
    expect(await ids({ strategyId: 'grid-1' })).toEqual(['1', '3', '4']);
    expect(await ids({ strategyId: 'grid-1', account: 'binance:main' })).toEqual(['1', '4']);
    expect(await ids({ strategyId: 'grid-1', account: 'binance:main', to: 299 })).toEqual(['1']);
    expect(await ids({ strategyId: 'none' })).toEqual([]);
    expect(await request(runtime, tradesExport, { format: 'csv', strategyId: '' })).toMatchObject({ ok: false, error: { code: 'invalid_data' } });
  });
});
