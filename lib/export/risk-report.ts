/**
 * The plain-text risk report: what a risk manager reads or pastes into a message. Built from the risk picture the
 * views show and the latest actions; no secret ever reaches it (the picture holds none).
 */
import type { AuditEntry } from '../messaging/protocol';
import type { AccountRisk, RiskView } from '../messaging/risk-view';

const utc = (t: number) => `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const usd = (v: number | null) => {
  if (v === null) return 'n/a';
  // The sign of the amount as printed: a fraction of a cent down is $0.00, not -$0.00.
  const cents = Number(v.toFixed(2));
  return `${cents < 0 ? '-' : ''}$${Math.abs(cents).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
};
const pct = (v: number | null) => (v === null ? 'n/a' : `${Number(v.toFixed(2))}%`);
const size = (v: number) => String(Number(v.toPrecision(8)));

function account(a: AccountRisk, now: number): string[] {
  const out = [
    `${a.label} (${a.venue}, ${a.mode} mode) - ${a.trading}${a.tradingReason ? `: ${a.tradingReason}` : ''}`,
    `  Feed: ${a.status}${a.statusText ? ` (${a.statusText})` : ''}`,
    `  Equity ${usd(a.equity)}; today ${usd(a.dayPnl)} (loss ${pct(a.dayLossPct)} of the ${pct(a.dailyLimitPct)} daily limit)`,
    `  Drawdown ${pct(a.drawdownPct)} of the ${pct(a.drawdownLimitPct)} limit; exposure ${pct(a.exposurePct)} of ${pct(a.exposureLimitPct)}; risk score ${a.riskScore === null ? 'n/a' : Math.round(a.riskScore)}`,
    `  Circuit breaker ${a.breaker}${a.coolingUntil !== null && a.coolingUntil > now ? `; nothing opens until ${utc(a.coolingUntil)}` : ''}`,
  ];
  if (a.positions.length === 0) out.push('  No open positions.');
  for (const p of a.positions)
    out.push(
      `  ${p.symbol} ${p.side} ${size(Math.abs(p.size))} @ ${size(p.entryPrice)}, mark ${p.markPrice === null ? 'n/a' : size(p.markPrice)}, uPnL ${usd(p.unrealizedPnl)}, ${size(p.leverage)}x, to stop ${pct(p.stopDistancePct)}, to liquidation ${pct(p.liqDistancePct)} [${p.strategyId}]`,
    );
  return out;
}

export function riskReport(view: RiskView, actions: readonly AuditEntry[], now: number): string {
  const lines = [`Ringfence risk report - ${utc(now)}`, `Overall: ${view.trading} (badge ${view.badge.text || 'none'})`, ''];
  if (view.accounts.length === 0) lines.push('No accounts are set up.');
  for (const a of view.accounts) lines.push(...account(a, now), '');
  lines.push('Open findings:');
  if (view.findings.length === 0) lines.push('  None.');
  for (const f of view.findings) lines.push(`  [${f.severity}] ${f.text}${f.account ? ` (${f.account})` : ''}`);
  lines.push('', 'Strategies not trading normally:');
  if (view.strategies.length === 0) lines.push('  None.');
  for (const s of view.strategies) lines.push(`  ${s.strategyId}: ${s.killed ? 'KILLED' : s.trading}${s.reason ? ` - ${s.reason}` : ''}`);
  lines.push('', 'Latest actions:');
  if (actions.length === 0) lines.push('  None.');
  for (const e of actions) lines.push(`  ${utc(e.ts)} [${e.severity}] ${e.message}`);
  return `${lines.join('\n')}\n`;
}
