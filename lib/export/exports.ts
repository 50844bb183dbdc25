/** What the Activity page and the background export: the audit log and trades, as CSV or JSON. No secrets here. */
import type { Fill } from '../domain/types';
import type { AuditEntry } from '../messaging/protocol';
import { toCsv } from './csv';

// Empty rather than a RangeError for a time a Date cannot hold: one bad row must not fail the whole export.
const iso = (ts: number) => (Math.abs(ts) <= 8.64e15 ? new Date(ts).toISOString() : '');

export function auditToCsv(entries: readonly AuditEntry[]): string {
  return toCsv(entries, [
    { header: 'id', value: (e) => e.id },
    { header: 'time', value: (e) => iso(e.ts) },
    { header: 'severity', value: (e) => e.severity },
    { header: 'kind', value: (e) => e.kind },
    { header: 'message', value: (e) => e.message },
    { header: 'data', value: (e) => (e.data ? JSON.stringify(e.data) : '') },
  ]);
}

export function fillsToCsv(fills: readonly Fill[]): string {
  return toCsv(fills, [
    { header: 'time', value: (f) => iso(f.time) },
    { header: 'venue', value: (f) => f.venue },
    { header: 'account', value: (f) => f.accountId },
    { header: 'symbol', value: (f) => f.symbol },
    { header: 'side', value: (f) => f.side },
    { header: 'price', value: (f) => f.price },
    { header: 'size', value: (f) => f.size },
    { header: 'fee', value: (f) => f.fee },
    { header: 'fee_asset', value: (f) => f.feeAsset },
    { header: 'realized_pnl', value: (f) => f.realizedPnl },
    { header: 'trade_id', value: (f) => f.tradeId },
    { header: 'order_id', value: (f) => f.orderId },
    { header: 'client_order_id', value: (f) => f.clientOrderId },
    { header: 'strategy', value: (f) => f.strategyId },
  ]);
}

/** JSON exports carry their kind and version so an import can tell what it is reading. */
export function toJsonExport<T>(kind: 'audit' | 'trades', rows: readonly T[], exportedAt: number): string {
  return JSON.stringify({ format: `ringfence.${kind}`, version: 1, exportedAt: iso(exportedAt), rows }, null, 2);
}
