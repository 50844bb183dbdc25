import { browser } from 'wxt/browser';
import type { RuntimeLike } from '@/lib/messaging/client';
import type { ViewState } from '@/lib/messaging/protocol';
import type { LiveView } from '@/lib/ui/live-view';
import { deskVerdict } from '@/lib/ui/risk-format';
import { AccountCard, type OptionsLink } from '../common/account-card';
import { ConnectionPill } from '../common/connection-pill';
import { DeskVerdict } from '../common/desk-verdict';
import { FindingsList } from '../common/findings-list';
import { useNow } from '../common/use-now';
import { WatchedPages } from '../common/watched-pages';
import { RiskActions } from './risk-actions';
import './popup.css';

/** From the popup, a section of the options page opens in a new tab. */
const optionsLink: OptionsLink = (section) => ({ href: `/options.html#${section}`, target: '_blank', rel: 'noopener' });

function NoAccount() {
  return (
    <section class="rf-empty-state" data-testid="rf-popup-empty" aria-labelledby="rf-empty-title">
      <h2 id="rf-empty-title" class="rf-empty-title">
        No account connected yet
      </h2>
      <p>
        Ringfence can only keep you safe once it sees an account. Add your Binance USD-M futures or Hyperliquid account in{' '}
        <strong>Options &gt; Accounts</strong>: a read-only key is enough to monitor your limits.
      </p>
      <a class="rf-button rf-primary" {...optionsLink('accounts')} data-testid="rf-popup-add-account">
        Add an account in Options &gt; Accounts
      </a>
    </section>
  );
}

function Desk({ state, live, runtime, now }: { state: ViewState; live: LiveView; runtime: RuntimeLike; now: number }) {
  const risk = state.risk;
  if (risk.accounts.length === 0) return <NoAccount />;
  const verdict = deskVerdict(risk, live.status.value);
  return (
    <>
      <DeskVerdict risk={risk} verdict={verdict} now={now} link={optionsLink} />
      <section aria-label="Accounts" data-testid="rf-popup-accounts">
        {risk.accounts.map((a) => (
          <AccountCard key={a.key} account={a} now={now} link={optionsLink} deskUntil={verdict.until} />
        ))}
      </section>
      {risk.findings.length > 0 ? (
        <section aria-labelledby="rf-popup-findings-h">
          <h2 id="rf-popup-findings-h">Open findings</h2>
          <FindingsList risk={risk} limit={3} testId="rf-popup-findings" />
          {risk.findings.length > 3 ? (
            <a class="rf-more" {...optionsLink('overview')}>
              All {risk.findings.length} findings in Options &gt; Overview
            </a>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="rf-popup-actions-h" class="rf-actions-box">
        <h2 id="rf-popup-actions-h">Actions</h2>
        <RiskActions runtime={runtime} risk={risk} />
      </section>
    </>
  );
}

export function PopupApp({ live, runtime }: { live: LiveView; runtime: RuntimeLike }) {
  const now = useNow();
  const state = live.state.value;
  const status = live.status.value;
  return (
    <main class="rf-popup" data-testid="rf-popup">
      <header class="rf-row">
        <h1>
          <span class="rf-brand">Ringfence</span>
        </h1>
        <ConnectionPill status={status} />
      </header>
      {state ? (
        <>
          <Desk state={state} live={live} runtime={runtime} now={now} />
          <h2>Trading pages</h2>
          <WatchedPages pages={state.pages} now={now} />
        </>
      ) : status === 'lost' ? (
        <p class="rf-empty rf-error" data-testid="rf-popup-unreachable">
          Cannot reach the Ringfence background; retrying. If this lasts, reload Ringfence in chrome://extensions.
        </p>
      ) : (
        <p class="rf-empty">Connecting to the Ringfence background…</p>
      )}
      <footer class="rf-row rf-foot">
        <a class="rf-button" {...optionsLink('overview')} data-testid="rf-popup-overview">
          Overview
        </a>
        <button type="button" onClick={() => void browser.runtime.openOptionsPage()} data-testid="rf-open-options">
          Open settings
        </button>
      </footer>
    </main>
  );
}
