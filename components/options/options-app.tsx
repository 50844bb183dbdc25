import { useEffect, useState } from 'preact/hooks';
import type { RuntimeLike } from '@/lib/messaging/client';
import { createAuditFeed } from '@/lib/ui/audit-feed';
import { ago, clockTime } from '@/lib/ui/format';
import type { LiveView } from '@/lib/ui/live-view';
import { AuditList } from '../common/audit-list';
import { ConnectionPill } from '../common/connection-pill';
import { useNow } from '../common/use-now';
import { WatchedPages } from '../common/watched-pages';
import './options.css';

export function OptionsApp({ live, runtime }: { live: LiveView; runtime: RuntimeLike }) {
  const now = useNow();
  const [feed] = useState(() => createAuditFeed(runtime));
  const state = live.state.value;
  useEffect(() => {
    if (state) void feed.onPush(state.audit.recent);
  }, [state, feed]);
  const entries = feed.entries.value;
  return (
    <main class="rf-options" data-testid="rf-options">
      <header class="rf-top">
        <h1>
          <span class="rf-brand">Ringfence</span> settings
        </h1>
        <ConnectionPill status={live.status.value} />
      </header>
      {state ? (
        <>
          <section aria-labelledby="rf-overview">
            <h2 id="rf-overview">Overview</h2>
            <dl class="rf-stats">
              <div class="rf-stat">
                <dt>Trading pages</dt>
                <dd data-testid="rf-options-pages-count">{state.pages.length}</dd>
              </div>
              <div class="rf-stat">
                <dt>Audit entries</dt>
                <dd data-testid="rf-options-audit-count">{state.audit.count}</dd>
              </div>
              <div class="rf-stat">
                <dt>Worker up since</dt>
                <dd title={new Date(state.workerStartedAt).toISOString()}>{clockTime(state.workerStartedAt)}</dd>
              </div>
            </dl>
            <h2>Trading pages with Ringfence</h2>
            <WatchedPages pages={state.pages} now={now} />
          </section>
          <section aria-labelledby="rf-activity">
            <h2 id="rf-activity">Activity</h2>
            <p class="rf-muted">
              Every decision and event, newest first.
              {state.audit.recent[0] ? ` Last ${ago(state.audit.recent[0].ts, now)}.` : ''}
            </p>
            <AuditList entries={entries} testId="rf-options-audit" />
            {feed.error.value ? <p class="rf-error">{feed.error.value}</p> : null}
            {entries.length < state.audit.count && !feed.exhausted.value ? (
              <button type="button" onClick={() => void feed.loadOlder()} data-testid="rf-audit-older">
                Load older entries
              </button>
            ) : null}
          </section>
        </>
      ) : (
        <p class="rf-empty">Connecting to the Ringfence background…</p>
      )}
    </main>
  );
}
