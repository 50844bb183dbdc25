import { useEffect, useState } from 'preact/hooks';
import { auditExport, auditQuery, riskReport, tradesExport, type AuditFilterInput } from '@/lib/messaging/activity-requests';
import { auditList } from '@/lib/messaging/requests';
import { request, type RuntimeLike } from '@/lib/messaging/client';
import type { AuditEntry, Severity, ViewState } from '@/lib/messaging/protocol';
import type { AccountsFeed } from '@/lib/ui/accounts-feed';
import type { AuditFeed } from '@/lib/ui/audit-feed';
import { ago } from '@/lib/ui/format';
import { AuditList } from '../common/audit-list';
import { downloadFile } from '../common/download';

const SEVERITIES: Severity[] = ['info', 'notice', 'warning', 'critical', 'emergency'];
export const EMPTY = { severities: [] as Severity[], account: '', strategyId: '', rule: '', from: '', to: '' };
type Form = typeof EMPTY;

/**
 * The form -> a request filter; empty fields are no filter. Local date-times are read in the user's zone; "To" is
 * inclusive to the end of the minute (or second) it names, so entries later in that minute are in.
 */
export function toFilter(f: Form): AuditFilterInput {
  const out: AuditFilterInput = {};
  if (f.severities.length) out.severities = f.severities;
  if (f.account) out.account = f.account;
  if (f.strategyId.trim()) out.strategyId = f.strategyId.trim();
  if (f.rule.trim()) out.rule = f.rule.trim();
  if (f.from) out.from = new Date(f.from).getTime();
  if (f.to) out.to = new Date(f.to).getTime() + (f.to.length <= 16 ? 60_000 : f.to.length <= 19 ? 1000 : 1) - 1;
  return out;
}

/** What an export that reached its cap says: it kept the newest rows. */
export const leftOut = ({ rows, omitted }: { rows: number; omitted?: number }) =>
  omitted ? ` It holds the newest ${rows.toLocaleString('en-US')}: ${omitted.toLocaleString('en-US')} older ${omitted === 1 ? 'one was' : 'ones were'} left out; narrow the time range to export them.` : '';

/** The audit entry a notification points at (#activity?event=<id>), if any. */
export function eventFromHash(hash: string): number | null {
  const m = /[?&]event=(\d+)/.exec(hash);
  return m ? Number(m[1]) : null;
}

/** The entry a clicked notification is about, shown above the log. */
function NotifiedEntry({ runtime }: { runtime: RuntimeLike }) {
  const [id, setId] = useState(() => eventFromHash(location.hash));
  const [entry, setEntry] = useState<AuditEntry | null>(null);
  useEffect(() => {
    const on = () => setId(eventFromHash(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  useEffect(() => {
    if (id === null) return setEntry(null);
    void request(runtime, auditList, { limit: 1, beforeId: id + 1 }).then((r) => setEntry(r.ok && r.data[0]?.id === id ? r.data[0] : null));
  }, [id]);
  if (id === null) return null;
  return (
    <div class="rf-callout" role="region" aria-label="The notification you clicked" data-testid="rf-notified-entry">
      {entry ? (
        <>
          <strong>From the notification:</strong> <AuditList entries={[entry]} testId="rf-notified-list" />
        </>
      ) : (
        <span>Audit entry {id} was not found.</span>
      )}
    </div>
  );
}

export function ActivitySection(props: { state: ViewState; feed: AuditFeed; accounts: AccountsFeed; runtime: RuntimeLike; now: number }) {
  const { state, feed, accounts, runtime, now } = props;
  const [form, setForm] = useState<Form>(EMPTY);
  const [applied, setApplied] = useState<AuditFilterInput | null>(null);
  const [results, setResults] = useState<AuditEntry[] | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => accounts.onRev(state.tables.accounts), [accounts, state.tables.accounts]);

  const run = async (filter: AuditFilterInput) => {
    const res = await request(runtime, auditQuery, { filter, limit: 500 });
    if (!res.ok) return setMsg(res.error.issues?.join(' ') ?? res.error.message);
    setMsg(null);
    setApplied(filter);
    setResults(res.data);
  };
  // A filtered view follows new entries too.
  useEffect(() => {
    if (applied) void run(applied);
  }, [state.audit.count]);

  const exportAudit = async (format: 'csv' | 'json') => {
    const res = await request(runtime, auditExport, { filter: applied ?? {}, format });
    if (!res.ok) return setMsg(res.error.message);
    downloadFile(res.data);
    setMsg(`Exported ${res.data.rows} ${res.data.rows === 1 ? 'entry' : 'entries'} to ${res.data.filename}.${leftOut(res.data)}`);
  };
  const exportReport = async () => {
    const res = await request(runtime, riskReport, {});
    if (!res.ok) return setMsg(res.error.message);
    downloadFile(res.data);
    setMsg(`Wrote the risk report to ${res.data.filename}.`);
  };
  const exportTrades = async (format: 'csv' | 'json') => {
    const f = applied ?? {};
    const res = await request(runtime, tradesExport, {
      format,
      ...(f.account ? { account: f.account } : {}),
      ...(f.strategyId ? { strategyId: f.strategyId } : {}),
      ...(f.from !== undefined ? { from: f.from } : {}),
      ...(f.to !== undefined ? { to: f.to } : {}),
    });
    if (!res.ok) return setMsg(res.error.message);
    downloadFile(res.data);
    setMsg(`Exported ${res.data.rows} ${res.data.rows === 1 ? 'trade' : 'trades'} to ${res.data.filename}.${leftOut(res.data)}`);
  };

  const entries = applied ? (results ?? []) : feed.entries.value;
  const set = (k: keyof Form) => (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) => setForm({ ...form, [k]: e.currentTarget.value });
  return (
    <section aria-labelledby="rf-activity">
      <h2 id="rf-activity">Activity</h2>
      <NotifiedEntry runtime={runtime} />
      <form
        class="rf-add rf-filters"
        aria-label="Filter the audit log"
        data-testid="rf-audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          const filter = toFilter(form);
          if (Object.keys(filter).length === 0) {
            setApplied(null);
            setResults(null);
          } else void run(filter);
        }}
      >
        <fieldset class="rf-sevs">
          <legend>Severity</legend>
          {SEVERITIES.map((s) => (
            <label key={s}>
              <input
                type="checkbox"
                checked={form.severities.includes(s)}
                onChange={(e) =>
                  setForm({ ...form, severities: e.currentTarget.checked ? [...form.severities, s] : form.severities.filter((x) => x !== s) })
                }
              />
              {s}
            </label>
          ))}
        </fieldset>
        <label>
          Account
          <select value={form.account} onChange={set('account')}>
            <option value="">All</option>
            {(accounts.accounts.value ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.label} ({a.venue})
              </option>
            ))}
          </select>
        </label>
        <label>
          Strategy <input class="rf-cell" value={form.strategyId} onInput={set('strategyId')} />
        </label>
        <label>
          Rule <input class="rf-cell" value={form.rule} onInput={set('rule')} placeholder="daily-loss" />
        </label>
        <label>
          From <input type="datetime-local" value={form.from} onInput={set('from')} />
        </label>
        <label>
          To <input type="datetime-local" value={form.to} onInput={set('to')} />
        </label>
        <button type="submit">Apply</button>
        <button
          type="button"
          onClick={() => {
            setForm(EMPTY);
            setApplied(null);
            setResults(null);
          }}
        >
          Clear
        </button>
      </form>
      <div class="rf-add">
        <span class="rf-muted">Export {applied ? 'the filtered' : 'the whole'} log:</span>
        <button type="button" onClick={() => void exportAudit('csv')}>
          Audit CSV
        </button>
        <button type="button" onClick={() => void exportAudit('json')}>
          Audit JSON
        </button>
        <button type="button" title="Trades of the account, strategy and time range filtered on" onClick={() => void exportTrades('csv')}>
          Trades CSV
        </button>
        <button type="button" title="Trades of the account, strategy and time range filtered on" onClick={() => void exportTrades('json')}>
          Trades JSON
        </button>
        <button type="button" onClick={() => void exportReport()}>
          Risk report (text)
        </button>
      </div>
      {msg ? (
        <p class="rf-muted" role="status" data-testid="rf-activity-msg">
          {msg}
        </p>
      ) : null}
      <p class="rf-muted">
        {applied
          ? `${entries.length}${entries.length === 500 ? '+' : ''} matching ${entries.length === 1 ? 'entry' : 'entries'}, newest first.`
          : `Every decision and event, newest first.${state.audit.recent[0] ? ` Last ${ago(state.audit.recent[0].ts, now)}.` : ''}`}
      </p>
      <AuditList entries={entries} testId="rf-options-audit" />
      {!applied && feed.error.value ? <p class="rf-error">{feed.error.value}</p> : null}
      {!applied && entries.length < state.audit.count && !feed.exhausted.value ? (
        <button type="button" onClick={() => void feed.loadOlder()} data-testid="rf-audit-older">
          Load older entries
        </button>
      ) : null}
    </section>
  );
}
