import { useState } from 'preact/hooks';
import { request, type RuntimeLike } from '@/lib/messaging/client';
import type { ViewState } from '@/lib/messaging/protocol';
import { riskReset } from '@/lib/messaging/risk-requests';
import type { AccountRisk, RiskView } from '@/lib/messaging/risk-view';
import { clockTime } from '@/lib/ui/format';
import type { ConnectionStatus } from '@/lib/ui/live-view';
import { deskVerdict, TRADING_LABEL } from '@/lib/ui/risk-format';
import { resetConfirmText } from '@/lib/ui/risk-actions';
import { AccountCard, type OptionsLink } from '../common/account-card';
import { DeskVerdict } from '../common/desk-verdict';
import { FindingsList } from '../common/findings-list';
import { TradingChip } from '../common/risk-chips';
import { WatchedPages } from '../common/watched-pages';
import './overview.css';

/** Inside the options page, a section is a hash away. */
const sectionLink: OptionsLink = (section) => ({ href: `#${section}` });

/** Reset of a HALTED account's breaker and holds, after an explicit second click (risk.reset). */
function ResetAccount({ account, runtime }: { account: AccountRisk; runtime: RuntimeLike }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const reset = async () => {
    setBusy(true);
    const res = await request(runtime, riskReset, { kind: 'account', account: account.key });
    setBusy(false);
    setConfirming(false);
    if (res.ok) {
      setError(null);
      setDone(true);
    } else setError(`Reset failed: ${res.error.message}`);
  };
  return (
    <div class="rf-reset" data-testid="rf-account-reset">
      {confirming ? (
        <span class="rf-confirm" role="group" aria-label={`Confirm reset of ${account.label}`}>
          <span>{resetConfirmText(account)}</span>
          <button type="button" class="rf-danger" onClick={() => void reset()} disabled={busy} data-testid="rf-account-reset-confirm">
            {busy ? 'Resetting…' : 'Yes, reset'}
          </button>
          <button type="button" onClick={() => setConfirming(false)} disabled={busy} data-testid="rf-account-reset-cancel">
            Cancel
          </button>
        </span>
      ) : (
        <button
          type="button"
          onClick={() => {
            setDone(false);
            setConfirming(true);
          }}
          data-testid="rf-account-reset-start"
          aria-label={`Reset trading on ${account.label}…`}
        >
          Reset trading…
        </button>
      )}
      <span role="status" class={error ? 'rf-error' : 'rf-muted'} data-testid="rf-account-reset-result">
        {error ?? (done ? 'Reset sent; the state updates in a moment.' : '')}
      </span>
    </div>
  );
}

function StrategiesNotNormal({ risk }: { risk: RiskView }) {
  if (risk.strategies.length === 0) {
    return (
      <p class="rf-empty" data-testid="rf-overview-strategies-empty">
        Every strategy trades normally.
      </p>
    );
  }
  return (
    <table class="rf-table" data-testid="rf-overview-strategies">
      <thead>
        <tr>
          <th scope="col">Strategy</th>
          <th scope="col">State</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {risk.strategies.map((s) => (
          <tr key={s.strategyId} data-strategy={s.strategyId} data-trading={s.trading}>
            <th scope="row" class="rf-strong">
              {s.strategyId}
            </th>
            <td>
              <TradingChip trading={s.trading} reason={s.reason} testId="rf-strategy-trading" /> {s.killed ? <span class="rf-status rf-status--killed">Killed</span> : null}
            </td>
            <td>
              {s.reason ?? (s.killed ? 'Stopped by its kill switch: reset it in Strategies.' : TRADING_LABEL[s.trading])}{' '}
              <a href="#strategies" class="rf-muted">
                Strategies
              </a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The options Overview: the desk's verdict, every account's live card, findings, strategies not trading normally. */
export function OverviewSection({ state, now, runtime, connection }: { state: ViewState; now: number; runtime: RuntimeLike; connection: ConnectionStatus }) {
  const risk = state.risk;
  const verdict = deskVerdict(risk, connection, {
    resetHint: { next: 'Reset it with the Reset button on the account below when you are ready.', target: null },
  });
  return (
    <section aria-labelledby="rf-overview" class="rf-overview" data-testid="rf-overview">
      <h2 id="rf-overview">Overview</h2>
      {risk.accounts.length === 0 ? (
        <div class="rf-empty-state" data-testid="rf-overview-empty">
          <p>
            No account connected: Ringfence has nothing to watch yet. <a href="#accounts">Add a Binance USD-M or Hyperliquid account</a> in
            Accounts.
          </p>
        </div>
      ) : (
        <>
          <DeskVerdict risk={risk} verdict={verdict} now={now} link={sectionLink} />
          <h2>Accounts</h2>
          <div class="rf-cards" data-testid="rf-overview-accounts">
            {risk.accounts.map((a) => (
              <AccountCard key={a.key} account={a} now={now} link={sectionLink} wide deskUntil={verdict.until}>
                {a.trading === 'HALTED' ? <ResetAccount account={a} runtime={runtime} /> : null}
              </AccountCard>
            ))}
          </div>
          <h2>Open findings</h2>
          <FindingsList risk={risk} />
          <h2>Strategies not trading normally</h2>
          <StrategiesNotNormal risk={risk} />
        </>
      )}
      <h2>Desk</h2>
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
          <dt>Last risk check</dt>
          <dd data-testid="rf-options-evaluated">{risk.evaluatedAt === null ? '—' : clockTime(risk.evaluatedAt)}</dd>
        </div>
        <div class="rf-stat">
          <dt>Worker up since</dt>
          <dd title={new Date(state.workerStartedAt).toISOString()}>{clockTime(state.workerStartedAt)}</dd>
        </div>
      </dl>
      <h2>Trading pages with Ringfence</h2>
      <WatchedPages pages={state.pages} now={now} />
    </section>
  );
}
