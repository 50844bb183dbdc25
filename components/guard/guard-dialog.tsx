import { useEffect, useRef, useState } from 'preact/hooks';
import { describeIntent } from '@/lib/pages/guard-intent';
import { overrideStatus } from '@/lib/pages/guard-override';
import type { GuardVerdict } from '@/lib/pages/guard-verdict';
import { num, usd } from '@/lib/risk/format';

/** One verdict the guard is showing: what was clicked and when. */
export interface DialogModel {
  id: number;
  verdict: GuardVerdict;
  /** The submit button's label (Buy/Long, Open Short, Place Order). */
  label: string;
  /** The asset the form's size is counted in, as its toggle shows it. */
  sizeAsset: string | null;
  trigger: 'click' | 'enter' | 'submit';
  /** Date.now() when it opened (countdown), and the click event's timeStamp (the latency figure). */
  openedAt: number;
  eventTs: number;
}

export interface HintModel {
  label: string;
  trigger: DialogModel['trigger'];
  expiresAt: number;
}

const CAP_SOURCE = { mode: 'leverage mode', volatility: 'high-volatility', losing_streak: 'losing-streak', risk_level: 'risk-level', instrument: "exchange's" } as const;
const MODE = { monitor: 'monitor mode', guard: 'guard mode', enforce: 'enforce mode' } as const;

/** The coin of a symbol: BTCUSDT -> BTC, xyz:XYZ100 -> XYZ100, ETH -> ETH. */
export function coinOf(symbol: string): string {
  const s = symbol.slice(symbol.lastIndexOf(':') + 1);
  const m = /^(.+?)(USDT|USDC|BUSD|FDUSD|USD)(_\d{6})?$/.exec(s);
  return m?.[1] ?? s;
}

/** A size rounded down to 4 significant digits: what passes is never overstated (0.020618557 -> 0.02061). */
export function floorSize(v: number): string {
  if (!(v > 0) || !Number.isFinite(v)) return '0';
  const step = 10 ** (Math.floor(Math.log10(v)) - 3);
  return String(Number((Math.floor(v / step + 1e-9) * step).toPrecision(4)));
}

/** The largest order that would pass, in words; null when there is nothing to say. */
export function allowedText(v: GuardVerdict): string | null {
  const a = v.allowed;
  const i = v.intent;
  if (!a || !i) return null;
  if (!(a.maxSize > 0)) return 'Nothing that opens or adds passes now: only reduce-only orders and closes do.';
  const shown = floorSize(a.maxSize);
  const coins = `${shown} ${coinOf(i.symbol)}`;
  // The notional of the size shown (rounded down), not of the exact maximum.
  const notional = usd((a.maxNotional / a.maxSize) * Number(shown));
  const size = i.sizeUnit === 'quote' ? `${notional} (${coins})` : a.maxNotional > 0 ? `${coins} (${notional})` : coins;
  return `What would pass: up to ${size} at up to ${num(a.maxLeverage)}x (the ${CAP_SOURCE[a.capSource]} cap).`;
}

const useTicker = (on: boolean) => {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [on]);
  return now;
};

export function GuardDialog({ model, onCancel, onOverride }: { model: DialogModel; onCancel: () => void; onOverride: () => void }) {
  const { verdict: v } = model;
  const block = v.decision === 'block';
  const [typed, setTyped] = useState('');
  const now = useTicker(block && v.policy === 'countdown');
  const st = overrideStatus(
    { decision: block ? 'block' : 'warn', policy: v.policy, openedAt: model.openedAt, countdownSec: v.guard.countdownSec, phrase: v.guard.phrase, typed },
    Math.max(now, Date.now()),
  );
  const first = useRef<HTMLElement | null>(null);
  useEffect(() => first.current?.focus(), [model.id]);
  const allowed = block ? allowedText(v) : null;
  const order = v.intent ? describeIntent(v.intent, model.label, model.sizeAsset) : model.label;
  const title = block ? 'Ringfence blocked this order' : v.note ? 'Ringfence would block this order' : 'Ringfence warns about this order';
  const submit = () => st.enabled && onOverride();
  return (
    <div class="rf-backdrop">
      <div
        class="rf-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="rf-guard-title"
        aria-describedby="rf-guard-reasons"
        data-testid="rf-guard-dialog"
        data-decision={v.decision}
        data-policy={block ? v.policy : 'confirm'}
        data-trigger={model.trigger}
        data-symbol={v.intent?.symbol ?? ''}
        data-event-ts={String(model.eventTs)}
        onKeyDown={(e) => e.key === 'Escape' && onCancel()}
      >
        <h2 class="rf-title" id="rf-guard-title">
          <span class="rf-badge">{block ? 'BLOCK' : 'WARN'}</span>
          {title}
        </h2>
        <p class="rf-order" data-testid="rf-guard-order">
          <b>{order}</b>
          {v.accountLabel ? ` · ${v.accountLabel}${v.mode ? ` (${MODE[v.mode]})` : ''}` : ''}
        </p>
        <ul class="rf-reasons" id="rf-guard-reasons">
          {v.reasons.map((r, k) => (
            <li key={k} class="rf-reason" data-testid="rf-guard-reason" data-code={r.code} data-level={r.level} data-category={r.category}>
              <span class="rf-level">{r.level === 'block' ? 'BLOCK' : 'WARN'}</span>
              <span>
                {r.text}
                {r.detail && r.detail !== r.text ? <span class="rf-detail">{r.detail}</span> : null}
              </span>
            </li>
          ))}
        </ul>
        {allowed ? (
          <p class="rf-allowed" data-testid="rf-guard-allowed">
            {allowed}
          </p>
        ) : null}
        {v.note ? (
          <p class="rf-note" data-testid="rf-guard-note">
            {v.note}
          </p>
        ) : null}
        {block && !st.offered ? (
          <p class="rf-policy" data-testid="rf-guard-policy">
            This block cannot be overridden here (Limits › Order guard). Change the order, or wait until the block ends.
          </p>
        ) : null}
        {block && st.secondsLeft !== null ? (
          <p class="rf-policy" data-testid="rf-guard-policy" aria-live="polite">
            {st.secondsLeft > 0 ? `Think it over: you can place it anyway in ${st.secondsLeft} s.` : 'You can place it anyway now.'}
          </p>
        ) : null}
        {block && st.phrase !== null ? (
          <label class="rf-phrase">
            <span>
              Type <b>{st.phrase}</b> to place it anyway
            </span>
            <input
              ref={(el) => {
                first.current = el;
              }}
              data-testid="rf-guard-phrase"
              autocomplete="off"
              spellcheck={false}
              value={typed}
              onInput={(e) => setTyped(e.currentTarget.value)}
              onKeyDown={(e) => e.key === 'Enter' && submit()}
            />
          </label>
        ) : null}
        <div class="rf-actions">
          <button
            type="button"
            class="rf-btn rf-btn-primary"
            data-testid="rf-guard-cancel"
            onClick={onCancel}
            ref={(el) => {
              if (st.phrase === null) first.current = el;
            }}
          >
            {st.offered ? 'Cancel' : 'Close'}
          </button>
          {st.offered ? (
            <button type="button" class="rf-btn rf-btn-danger" data-testid="rf-guard-override" disabled={!st.enabled} onClick={submit}>
              {st.secondsLeft ? `Place anyway (${st.secondsLeft} s)` : 'Place anyway'}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}

export function GuardHint({ hint }: { hint: HintModel }) {
  const now = useTicker(true);
  const left = Math.max(0, Math.ceil((hint.expiresAt - now) / 1000));
  const how = hint.trigger === 'enter' ? `press Enter or click “${hint.label}” again` : `click “${hint.label}” again`;
  return (
    <div class="rf-hint" role="status" data-testid="rf-guard-hint">
      <span class="rf-brand">Ringfence</span>
      Override armed: {how} within {left} s to place this order.
    </div>
  );
}
