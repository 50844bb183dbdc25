import { computed, effect, type ReadonlySignal } from '@preact/signals';
import { render } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { GuardVerdictReport } from '@/lib/messaging/guard-requests';
import { implicitSubmit } from '@/lib/pages/implicit-submit';
import { intentFromReading, intentKey } from '@/lib/pages/guard-intent';
import { armPass, PASS_MS, passCovers, takePass, type Pass } from '@/lib/pages/guard-override';
import { guardReadiness, guardVerdict } from '@/lib/pages/guard-verdict';
import { matchTradingPage } from '@/lib/pages/match';
import type { PageLive } from '@/lib/ui/panel-live';
import type { PageAdapter, SubmitClick } from '@/lib/pages/types';
import { GuardDialog, GuardHint, type DialogModel, type HintModel } from './guard-dialog';
import { clearGuardOff, showGuardOff } from './guard-off';
import { GUARD_CSS } from './guard-style';

type Trigger = DialogModel['trigger'];

/** lib/messaging/guard-requests guardVerdict's name (a test keeps them equal: the request's schemas stay out of the page). */
export const GUARD_VERDICT = 'guard.verdict';

/** Events from inside the guard's own layer that the page's bubbling handlers must not see. */
const ISOLATED = ['click', 'dblclick', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'keydown', 'keyup', 'keypress', 'input', 'focusin', 'focusout'];

/**
 * The order guard on an exchange page. Capture-phase listeners on window see every submit click, Enter in the order
 * form and form submit before the page's own handlers (React listens on its root; a capture listener on window runs
 * first, and this one is registered at document_start, before any page script can add its own). At click time it
 * reads the form, builds the order and decides synchronously from the last risk state the background pushed:
 * allow -> the event goes on untouched; warn / block -> the event is stopped (preventDefault +
 * stopImmediatePropagation) and a dialog in its own shadow root says why. "Place anyway" (per the override policy)
 * arms a one-shot pass: the user's next click on the same button, for the same order, within PASS_MS, goes through.
 * The extension never clicks, submits or fills anything itself. Orders are checked against `account`, the account
 * the panel shows (components/panel/page-place; undefined until the stored choice is read: the guard waits, as for the
 * first state). Torn down with `ctx`; a notice then says the tab is no longer guarded (components/guard/guard-off).
 */
export function installGuard(
  ctx: ContentScriptContext,
  adapter: PageAdapter,
  live: Pick<PageLive, 'state' | 'send'>,
  account: ReadonlySignal<string | null | undefined>,
  /** The site's palette when it is not Binance's (GUARD_CSS_HYPERLIQUID), after the guard's stylesheet. */
  theme = '',
): void {
  const venue = adapter.venue;
  // A newer copy of this script replaces the one that left the notice: it guards again.
  clearGuardOff(document);

  let pass: Pass | null = null;
  /** A submit button whose click was let through in this task: the form submit that follows it is the same order. */
  let allowedButton: Element | null = null;
  /** Enter was stopped: its keypress / keyup must not reach the page either. */
  let swallowEnter = false;
  let seq = 0;
  let dialog: { model: DialogModel; button: Element; key: string } | null = null;
  let hint: HintModel | null = null;
  let hintTimer: ReturnType<typeof setTimeout> | undefined;

  // The layer: a plain element (customElements is null in a content script) with an open shadow root.
  const host = document.createElement('div');
  host.setAttribute('data-ringfence', 'guard');
  host.style.cssText = 'all:initial!important;position:fixed!important;inset:0!important;z-index:2147483647!important;pointer-events:none!important;display:block!important';
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = GUARD_CSS + theme;
  const container = document.createElement('div');
  shadow.append(style, container);
  for (const t of ISOLATED) shadow.addEventListener(t, (e) => e.stopPropagation());
  const attach = () => {
    if (!host.isConnected) document.documentElement.append(host);
  };
  attach();
  // What the guard can do right now, on the host (the page sees no more than the panel shows): tests wait on it.
  /** The risk state the guard works from: none until the account the page is about is known as well. */
  const riskNow = () => (account.value === undefined ? null : (live.state.value?.risk ?? null));
  const readiness = computed(() => guardReadiness(riskNow(), venue, account.value ?? null));
  ctx.onInvalidated(effect(() => host.setAttribute('data-guard', readiness.value)));
  ctx.onInvalidated(() => {
    clearTimeout(hintTimer);
    render(null, container);
    host.remove();
    // The page stays open without a guard (and without the panel) until it is reloaded: say so.
    showGuardOff(document, venue);
  });

  const paint = () => {
    attach();
    render(
      <div class="rf-g" data-venue={venue}>
        {dialog ? <GuardDialog key={dialog.model.id} model={dialog.model} onCancel={cancel} onOverride={override} /> : null}
        {hint ? <GuardHint hint={hint} /> : null}
      </div>,
      container,
    );
  };

  const report = (m: DialogModel, overridden: boolean) => {
    const v = m.verdict;
    const data: GuardVerdictReport = {
      venue,
      symbol: v.intent?.symbol ?? adapter.symbol(location.href),
      decision: v.decision === 'block' ? 'block' : 'warn',
      policy: v.decision === 'block' ? (v.policy ?? 'never') : 'confirm',
      overridden,
      trigger: m.trigger,
      button: m.label.slice(0, 40),
      account: v.account,
      mode: v.mode,
      reasons: v.reasons.slice(0, 30).map((r) => ({
        level: r.level,
        code: r.code,
        category: r.category,
        rule: r.rule,
        text: (r.detail && r.detail !== r.text ? `${r.text} ${r.detail}` : r.text).slice(0, 400),
      })),
      intent: v.intent,
    };
    live.send(GUARD_VERDICT, data);
  };

  const setHint = (next: HintModel | null) => {
    clearTimeout(hintTimer);
    hint = next;
    if (next) hintTimer = setTimeout(() => setHint(null), Math.max(0, next.expiresAt - Date.now()));
    paint();
  };

  function cancel() {
    dialog = null;
    paint();
  }

  function override() {
    if (!dialog) return;
    const { model, button, key } = dialog;
    const now = Date.now();
    pass = armPass(button, model.label, key, now);
    dialog = null;
    report(model, true);
    setHint({ label: model.label, trigger: model.trigger, expiresAt: now + PASS_MS });
  }

  const show = (model: DialogModel, button: Element, key: string, started: number) => {
    dialog = { model, button, key };
    hint = null;
    paint();
    // The latency figures (bench/page.bench.ts): when the guard got the event, when the dialog was in the DOM, and
    // the next frame with it laid out (performance.now(), the clock of event.timeStamp).
    const el = container.querySelector('[data-testid="rf-guard-dialog"]');
    el?.setAttribute('data-handler-ts', String(started));
    el?.setAttribute('data-rendered-ts', String(performance.now()));
    requestAnimationFrame(() => {
      el?.getBoundingClientRect();
      el?.setAttribute('data-painted-ts', String(performance.now()));
    });
  };

  const markAllowed = (button: Element) => {
    allowedButton = button;
    setTimeout(() => {
      if (allowedButton === button) allowedButton = null;
    }, 0);
  };

  /** Guards one submit; returns after stopping the event or leaving it alone. */
  const check = (e: Event, c: SubmitClick, trigger: Trigger) => {
    const started = performance.now();
    const page = matchTradingPage(location.href);
    if (!page || page.venue !== venue) return;
    // An unrecognised layout: passive, never blocks (the panel says so).
    if (adapter.detect(document).status === 'unrecognised') return;
    const reading = adapter.readOrder(document, { href: location.href, click: c });
    const built = intentFromReading(reading, null);
    const key = built.ok ? intentKey(built.intent) : `unread|${c.label}`;
    const now = Date.now();
    const probe = { button: c.button, label: c.label, key };
    if (trigger === 'enter') {
      // Enter with a pass goes on to the form's click, which takes the pass.
      if (passCovers(pass, probe, now)) return;
    } else {
      const p = takePass(pass, probe, now);
      pass = p.next;
      if (p.allow || (!pass && hint)) setHint(null);
      if (p.allow) return markAllowed(c.button);
    }
    const v = guardVerdict({ venue, reading, risk: riskNow(), now, account: account.value ?? null });
    if (v.decision === 'allow') return markAllowed(c.button);
    e.preventDefault();
    e.stopImmediatePropagation();
    if (trigger === 'enter') swallowEnter = true;
    const model: DialogModel = { id: ++seq, verdict: v, label: c.label, sizeAsset: reading.sizeAsset, trigger, openedAt: now, eventTs: e.timeStamp };
    show(model, c.button, key, started);
    // After the frame that shows the dialog (the message to the background is not part of the verdict's latency);
    // at the latest after 100 ms, should no frame come (a hidden tab).
    let sent = false;
    const send = () => {
      if (!sent) (sent = true), report(model, false);
    };
    requestAnimationFrame(() => setTimeout(send, 0));
    setTimeout(send, 100);
  };

  const onClick = (e: MouseEvent) => {
    const c = adapter.classifyClick(e.target);
    if (c?.kind === 'submit') check(e, c, 'click');
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || e.isComposing) return;
    const c = implicitSubmit(adapter, e.target);
    if (c) check(e, c, 'enter');
  };
  const onKeyAfter = (e: KeyboardEvent) => {
    if (!swallowEnter || e.key !== 'Enter') return;
    e.preventDefault();
    e.stopImmediatePropagation();
    if (e.type === 'keyup') swallowEnter = false;
  };
  const onSubmit = (e: SubmitEvent) => {
    const btn = e.submitter;
    if (btn && btn === allowedButton) return;
    const c = btn ? adapter.classifyClick(btn) : implicitSubmit(adapter, e.target);
    if (c?.kind === 'submit') check(e, c, 'submit');
  };

  const capture = { capture: true } as const;
  ctx.addEventListener(window, 'click', onClick, capture);
  ctx.addEventListener(window, 'keydown', onKeyDown, capture);
  ctx.addEventListener(window, 'keypress', onKeyAfter, capture);
  ctx.addEventListener(window, 'keyup', onKeyAfter, capture);
  ctx.addEventListener(window, 'submit', onSubmit, capture);
}
