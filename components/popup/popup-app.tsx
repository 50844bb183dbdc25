import { browser } from 'wxt/browser';
import type { LiveView } from '@/lib/ui/live-view';
import { AuditList } from '../common/audit-list';
import { ConnectionPill } from '../common/connection-pill';
import { useNow } from '../common/use-now';
import { WatchedPages } from '../common/watched-pages';
import './popup.css';

export function PopupApp({ live }: { live: LiveView }) {
  const now = useNow();
  const state = live.state.value;
  return (
    <main class="rf-popup" data-testid="rf-popup">
      <header class="rf-row">
        <h1>
          <span class="rf-brand">Ringfence</span>
        </h1>
        <ConnectionPill status={live.status.value} />
      </header>
      {state ? (
        <>
          <h2>Trading pages</h2>
          <WatchedPages pages={state.pages} now={now} />
          <h2>Recent activity</h2>
          <AuditList entries={state.audit.recent.slice(0, 5)} testId="rf-popup-audit" />
        </>
      ) : (
        <p class="rf-empty">Connecting to the Ringfence background…</p>
      )}
      <footer class="rf-row rf-foot">
        <button type="button" onClick={() => void browser.runtime.openOptionsPage()} data-testid="rf-open-options">
          Open settings
        </button>
      </footer>
    </main>
  );
}
