import type { AuditEntry } from '@/lib/messaging/protocol';
import { clockTime } from '@/lib/ui/format';

export function AuditList({ entries, testId = 'rf-audit' }: { entries: AuditEntry[]; testId?: string }) {
  if (entries.length === 0) return <p class="rf-empty">Nothing recorded yet.</p>;
  return (
    <ol class="rf-list rf-audit" data-testid={testId}>
      {entries.map((e) => (
        <li key={e.id} data-kind={e.kind} data-severity={e.severity}>
          <time class="rf-muted" dateTime={new Date(e.ts).toISOString()}>
            {clockTime(e.ts)}
          </time>
          <span class={`rf-sev rf-sev--${e.severity}`}>{e.severity}</span>
          <span>{e.message}</span>
        </li>
      ))}
    </ol>
  );
}
