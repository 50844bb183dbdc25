import { useEffect, useRef, useState } from 'preact/hooks';
import { request, type RuntimeLike } from '@/lib/messaging/client';
import { FLATTEN_CONFIRMATION, riskBreak, riskFlatten } from '@/lib/messaging/risk-requests';
import type { RiskView } from '@/lib/messaging/risk-view';
import { BREAK_CHOICES, breakHelpText, breakMinutes, breakResultText, flattenResultText } from '@/lib/ui/risk-actions';

type Outcome = { action: 'break' | 'flatten'; ok: boolean; text: string } | null;
type OnOutcome = (o: Outcome) => void;

/** The latest action's result, one line for both (an older result would only be stale next to a newer one). */
function Result({ outcome }: { outcome: Outcome }) {
  // Always in the DOM, so screen readers announce the text when it arrives.
  return (
    <p
      class={`rf-result${outcome && !outcome.ok ? ' rf-error' : ''}`}
      role="status"
      data-testid="rf-action-result"
      data-action={outcome?.action}
      data-ok={outcome ? String(outcome.ok) : undefined}
    >
      {outcome?.text ?? ''}
    </p>
  );
}

export function RiskActions({ runtime, risk }: { runtime: RuntimeLike; risk: RiskView }) {
  const [outcome, setOutcome] = useState<Outcome>(null);
  return (
    <>
      <BreakControl runtime={runtime} accounts={risk.accounts} onOutcome={setOutcome} />
      <FlattenControl runtime={runtime} risk={risk} onOutcome={setOutcome} />
      <Result outcome={outcome} />
    </>
  );
}

/** "Take a break": every account HALTED until the chosen time (risk.break); monitor accounts only warn. */
function BreakControl({ runtime, accounts, onOutcome }: { runtime: RuntimeLike; accounts: RiskView['accounts']; onOutcome: OnOutcome }) {
  const [choice, setChoice] = useState(BREAK_CHOICES[0]!.id);
  const [busy, setBusy] = useState(false);
  const take = async () => {
    const c = BREAK_CHOICES.find((x) => x.id === choice) ?? BREAK_CHOICES[0]!;
    setBusy(true);
    const res = await request(runtime, riskBreak, { minutes: breakMinutes(c, Date.now()) });
    setBusy(false);
    onOutcome(
      res.ok
        ? { action: 'break', ok: true, text: breakResultText(res.data.until, Date.now(), accounts) }
        : { action: 'break', ok: false, text: `Could not start the break: ${res.error.message}` },
    );
  };
  return (
    <div class="rf-action" data-testid="rf-break-control">
      <div class="rf-action-row">
        <label for="rf-break-duration">Take a break</label>
        <select id="rf-break-duration" data-testid="rf-break-duration" value={choice} onChange={(e) => setChoice(e.currentTarget.value)} disabled={busy}>
          {BREAK_CHOICES.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
        <button type="button" data-testid="rf-break" onClick={() => void take()} disabled={busy} aria-describedby="rf-break-help">
          {busy ? 'Starting…' : 'Start break'}
        </button>
      </div>
      <p id="rf-break-help" class="rf-help rf-muted">
        {breakHelpText(accounts)}
      </p>
    </div>
  );
}

/** "Flatten everything": a second, explicit click confirms; then risk.flatten with the typed confirmation word. */
function FlattenControl({ runtime, risk, onOutcome }: { runtime: RuntimeLike; risk: RiskView; onOutcome: OnOutcome }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const reopened = useRef(false);
  // The safe choice takes the focus when the question opens, so a second Enter does not flatten by accident;
  // when it closes, the focus goes back to the button that opened it.
  useEffect(() => {
    if (confirming) {
      cancel.current?.focus();
      cancel.current?.closest('.rf-confirm-box')?.scrollIntoView({ block: 'nearest' });
    }
    else if (reopened.current) opener.current?.focus();
    reopened.current = confirming;
  }, [confirming]);
  const tradable = risk.accounts.filter((a) => a.canTrade);
  const positions = tradable.reduce((n, a) => n + a.positions.length, 0);
  const readOnly = risk.accounts.filter((a) => !a.canTrade).map((a) => a.label);
  const close = () => setConfirming(false);
  const flatten = async () => {
    setBusy(true);
    const res = await request(runtime, riskFlatten, { confirm: FLATTEN_CONFIRMATION });
    setBusy(false);
    onOutcome(
      res.ok ? { action: 'flatten', ok: true, text: flattenResultText(res.data) } : { action: 'flatten', ok: false, text: `Flatten failed: ${res.error.message}` },
    );
    close();
  };
  return (
    <div class="rf-action" data-testid="rf-flatten-control">
      {confirming ? (
        <div
          class="rf-confirm-box"
          id="rf-flatten-confirm-box"
          role="group"
          aria-labelledby="rf-flatten-question"
          data-testid="rf-flatten-confirm-box"
          onKeyDown={(e) => {
            if (e.key === 'Escape' && !busy) {
              e.preventDefault();
              close();
            }
          }}
        >
          <p id="rf-flatten-question" class="rf-confirm-question">
            <strong>Close every position at market and cancel every order?</strong>
          </p>
          <p class="rf-help" id="rf-flatten-scope">
            {positions === 0 ? 'No open position' : `${positions} open position${positions === 1 ? '' : 's'}`} on {tradable.length} account
            {tradable.length === 1 ? '' : 's'} that can trade. Trading stays halted until you reset it in Options.
            {readOnly.length > 0 ? ` Read-only, not flattened: ${readOnly.join(', ')}.` : ''}
          </p>
          <div class="rf-action-row">
            <button type="button" class="rf-danger-solid" data-testid="rf-flatten-confirm" onClick={() => void flatten()} disabled={busy} aria-describedby="rf-flatten-scope">
              {busy ? 'Flattening…' : 'Yes, flatten everything'}
            </button>
            <button
              type="button"
              data-testid="rf-flatten-cancel"
              onClick={close}
              disabled={busy}
              ref={cancel}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div class="rf-action-row">
          <button
            type="button"
            ref={opener}
            class="rf-danger"
            data-testid="rf-flatten"
            aria-expanded="false"
            aria-controls="rf-flatten-confirm-box"
            onClick={() => setConfirming(true)}
          >
            Flatten everything…
          </button>
          <span class="rf-help rf-muted">Emergency: close all, then halt.</span>
        </div>
      )}
    </div>
  );
}
