import { useEffect, useState } from 'preact/hooks';
import type { RuntimeLike } from '@/lib/messaging/client';
import { DEFAULT_RISK_SETTINGS } from '@/lib/risk/settings';
import { createAccountsFeed } from '@/lib/ui/accounts-feed';
import { createAuditFeed } from '@/lib/ui/audit-feed';
import type { LiveView } from '@/lib/ui/live-view';
import { createSettingsFeed } from '@/lib/ui/settings-feed';
import { createStrategiesFeed } from '@/lib/ui/strategies-feed';
import { ConnectionPill } from '../common/connection-pill';
import { useNow } from '../common/use-now';
import { AccountsSection } from './accounts-section';
import { ActivitySection } from './activity-section';
import { LimitsSection } from './limits-section';
import { MarketLoader } from './market/market-loader';
import { OverviewSection } from './overview-section';
import { StrategiesSection } from './strategies-section';
import './options.css';

const SECTIONS = [
  ['overview', 'Overview'],
  ['accounts', 'Accounts'],
  ['strategies', 'Strategies'],
  ['limits', 'Limits'],
  ['activity', 'Activity'],
  ['market', 'Market'],
] as const;
type Section = (typeof SECTIONS)[number][0];

/** The section named by the URL's hash (#strategies), so links and notifications can open one directly. */
function useSection(): Section {
  const read = (): Section => {
    // #activity?event=12 (a notification) opens Activity.
    const h = location.hash.replace(/^#/, '').split(/[/?]/)[0];
    return SECTIONS.some(([id]) => id === h) ? (h as Section) : 'overview';
  };
  const [section, setSection] = useState(read);
  useEffect(() => {
    const on = () => setSection(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return section;
}

export function OptionsApp({ live, runtime }: { live: LiveView; runtime: RuntimeLike }) {
  const now = useNow();
  const section = useSection();
  const [audit] = useState(() => createAuditFeed(runtime));
  const [strategies] = useState(() => createStrategiesFeed(runtime));
  const [accounts] = useState(() => createAccountsFeed(runtime));
  const [settings] = useState(() => createSettingsFeed(runtime));
  const state = live.state.value;
  // The audit feed follows every push, whichever section is shown, so no entry is missed.
  useEffect(() => {
    if (state) void audit.onPush(state.audit.recent);
  }, [state, audit]);
  return (
    <main class="rf-options" data-testid="rf-options">
      <header class="rf-top">
        <h1>
          <span class="rf-brand">Ringfence</span> settings
        </h1>
        <ConnectionPill status={live.status.value} />
      </header>
      <nav class="rf-tabs" aria-label="Sections">
        {SECTIONS.map(([id, label]) => (
          <a key={id} href={`#${id}`} aria-current={section === id ? 'page' : undefined} data-testid={`rf-tab-${id}`}>
            {label}
          </a>
        ))}
      </nav>
      {!state ? (
        <p class="rf-empty">Connecting to the Ringfence background…</p>
      ) : section === 'accounts' ? (
        <AccountsSection feed={accounts} rev={state.tables.accounts} />
      ) : section === 'limits' ? (
        <LimitsSection feed={settings} rev={state.tables.settings} defaults={DEFAULT_RISK_SETTINGS} />
      ) : section === 'strategies' ? (
        <StrategiesSection feed={strategies} rev={state.tables.strategies} />
      ) : section === 'activity' ? (
        <ActivitySection state={state} feed={audit} accounts={accounts} runtime={runtime} now={now} />
      ) : section === 'market' ? (
        <MarketLoader state={state} runtime={runtime} />
      ) : (
        <OverviewSection state={state} now={now} runtime={runtime} connection={live.status.value} />
      )}
    </main>
  );
}
