/** Filtered audit reads and the exports: audit and trades as CSV or JSON. Nothing here can hold a secret. */
import { auditToCsv, fillsToCsv, toJsonExport } from '../export/exports';
import { riskReport } from '../export/risk-report';
import { emptyRiskView, type RiskView } from '../messaging/risk-view';
import type { AuditFilterInput, ExportFile } from '../messaging/activity-requests';
import { findAudit, queryAudit } from '../store/audit';
import type { RingfenceDb } from '../store/db';

/** Enough for years of a busy desk; beyond it, narrow the filter. */
export const EXPORT_MAX_ROWS = 200_000;

const stamp = (t: number) => new Date(t).toISOString().slice(0, 19).replace(/[:T]/g, '-');

/** The audit kinds a risk report lists as actions: what Ringfence did or was asked to do. */
const ACTION_KINDS = /^(action\.|user\.|strategy\.killed|risk\.trading_state|risk\.manual_reset)/;

export function activityHandlers({ db, now, riskView, maxRows = EXPORT_MAX_ROWS }: { db: RingfenceDb; now: () => number; riskView?: () => RiskView; maxRows?: number }) {
  const file = (kind: 'audit' | 'trades' | 'risk-report', format: 'csv' | 'json' | 'txt', body: string, rows: number, omitted = 0): ExportFile => ({
    filename: `ringfence-${kind}-${stamp(now())}.${format}`,
    mime: format === 'csv' ? 'text/csv' : format === 'txt' ? 'text/plain' : 'application/json',
    body,
    rows,
    ...(omitted > 0 ? { omitted } : {}),
  });
  return {
    'audit.query': ({ filter, limit }: { filter: AuditFilterInput; limit: number }) => queryAudit(db, filter, limit),
    'audit.export': async ({ filter, format }: { filter: AuditFilterInput; format: 'csv' | 'json' }) => {
      // The newest maxRows, oldest first in a file, as a log reads; the answer says how many older ones were left out.
      const matched = { n: 0 };
      const rows = (await queryAudit(db, filter, maxRows, matched)).reverse();
      return file('audit', format, format === 'csv' ? auditToCsv(rows) : toJsonExport('audit', rows, now()), rows.length, matched.n - rows.length);
    },
    'trades.export': async ({ account, strategyId, from, to, format }: { account?: string; strategyId?: string; from?: number; to?: number; format: 'csv' | 'json' }) => {
      const lo = from ?? 0;
      const hi = to ?? Number.MAX_SAFE_INTEGER;
      // One account by its [account+time] index. Like the audit export: the newest maxRows, oldest first.
      const indexed = account === undefined ? db.fills.where('time').between(lo, hi, true, true) : db.fills.where('[account+time]').between([account, lo], [account, hi], true, true);
      const range = strategyId === undefined ? indexed : indexed.filter((f) => f.strategyId === strategyId);
      const total = await range.count();
      const rows = (await range.reverse().limit(maxRows).toArray()).reverse();
      const fills = rows.map(({ key: _k, account: _a, ...f }) => f);
      return file('trades', format, format === 'csv' ? fillsToCsv(fills) : toJsonExport('trades', fills, now()), fills.length, total - fills.length);
    },
    'report.risk': async () => {
      const view = riskView?.();
      const recent = await findAudit(db, (r) => ACTION_KINDS.test(r.kind), 20);
      const entries = recent.map((r) => ({ id: r.id, ts: r.ts, kind: r.kind, severity: r.severity, message: r.message }));
      const body = riskReport(view ?? emptyRiskView(), entries, now());
      return file('risk-report', 'txt', body, view?.accounts.length ?? 0);
    },
  };
}
