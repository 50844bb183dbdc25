import type { Signal } from '@preact/signals';
import { detectionText } from '@/lib/pages/detection-text';
import type { TradingPage } from '@/lib/pages/match';
import type { Detection } from '@/lib/pages/types';
import { ago, VENUE_LABEL } from '@/lib/ui/format';
import type { LiveView } from '@/lib/ui/live-view';
import { ConnectionPill } from '../common/connection-pill';
import { useNow } from '../common/use-now';
import './panel.css';

function DetectionLine({ detection }: { detection: Detection | null }) {
  if (!detection) return null;
  const text = detectionText(detection);
  return (
    <div class={`rf-detect rf-detect--${detection.status}`} data-testid="rf-detection" data-status={detection.status} title={text.detail}>
      <span class="rf-strong">{text.title}</span>
      <span class="rf-muted">{text.detail}</span>
    </div>
  );
}

export function RiskPanel({ live, page, detection }: { live: LiveView; page: Signal<TradingPage>; detection: Signal<Detection | null> }) {
  const now = useNow();
  const state = live.state.value;
  const last = state?.audit.recent[0];
  return (
    <section class="rf-panel" data-testid="rf-panel" data-venue={page.value.venue} aria-label="Ringfence risk panel">
      <header class="rf-head">
        <span class="rf-brand">Ringfence</span>
        <ConnectionPill status={live.status.value} />
      </header>
      <div class="rf-symbol">
        <span class="rf-muted">{VENUE_LABEL[page.value.venue]}</span>
        <span class="rf-strong" data-testid="rf-panel-symbol">
          {page.value.symbol ?? 'no symbol in URL'}
        </span>
      </div>
      <DetectionLine detection={detection.value} />
      {state ? (
        <dl class="rf-grid">
          <dt>Trading pages watched</dt>
          <dd data-testid="rf-panel-pages">{state.pages.length}</dd>
          <dt>Events logged</dt>
          <dd data-testid="rf-panel-audit-count">{state.audit.count}</dd>
          {last ? (
            <>
              <dt>Last event</dt>
              <dd class="rf-last" data-testid="rf-panel-last" title={last.message}>
                {last.message} <span class="rf-muted">({ago(last.ts, now)})</span>
              </dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p class="rf-muted" data-testid="rf-panel-waiting">
          Waiting for the Ringfence background…
        </p>
      )}
    </section>
  );
}
