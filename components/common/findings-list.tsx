import type { RiskView } from '@/lib/messaging/risk-view';
import { findingAccountLabel } from '@/lib/ui/risk-format';

/** Open findings, worst first: severity, the account (and symbol) it is about, and the sentence. */
export function FindingsList({ risk, limit, testId = 'rf-findings' }: { risk: RiskView; limit?: number; testId?: string }) {
  const shown = limit === undefined ? risk.findings : risk.findings.slice(0, limit);
  if (shown.length === 0) {
    return (
      <p class="rf-empty" data-testid={`${testId}-empty`}>
        No open findings: every limit is clear.
      </p>
    );
  }
  return (
    <ul class="rf-list rf-findings" data-testid={testId}>
      {shown.map((f, i) => {
        const who = findingAccountLabel(f.account, risk.accounts);
        return (
          <li key={`${f.rule}:${f.account ?? ''}:${f.symbol ?? ''}:${i}`} data-severity={f.severity} data-rule={f.rule}>
            <span class={`rf-sev rf-sev--${f.severity}`}>{f.severity}</span>
            <span>
              {who || f.symbol ? (
                <span class="rf-muted">
                  {[who, f.symbol].filter(Boolean).join(' · ')}:{' '}
                </span>
              ) : null}
              {f.text}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
