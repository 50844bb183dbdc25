import { effect, type ReadonlySignal } from '@preact/signals';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { Venue } from '@/lib/pages/match';
import type { ConnectionStatus } from '@/lib/ui/live-view';

/** The notice's host, on <html> (outside the page's React root, which re-renders <body>'s children). */
export const GUARD_OFF_ATTR = 'guard-off';
export const GUARD_OFF_TEXT = 'Ringfence is off in this tab: the extension was updated or reloaded, so orders here are no longer checked. Reload the page to turn the order guard back on.';

const VENUE_NAME: Record<Venue, string> = { binance: 'Binance', hyperliquid: 'Hyperliquid' };

/**
 * Leaves a small notice where the guard was, once its content script is gone (the extension updated or reloaded
 * under the open page, or a script in the page fired WXT's "newer script started" event): the guard and the panel
 * have been torn down and nothing will bring them back until the page is reloaded, and the trader must not believe
 * the tab is still guarded. A plain element with inline styles in an open shadow root: no extension API (none works
 * any more), nothing the page's styles reach, and it lets every click through to the page.
 */
export function showGuardOff(doc: Document, venue: Venue): HTMLElement {
  const host = doc.createElement('div');
  host.setAttribute('data-ringfence', GUARD_OFF_ATTR);
  host.setAttribute('data-venue', venue);
  host.style.cssText = 'all:initial!important;position:fixed!important;left:12px!important;bottom:12px!important;z-index:2147483647!important;pointer-events:none!important;display:block!important';
  const box = doc.createElement('div');
  box.setAttribute('role', 'alert');
  box.setAttribute('data-testid', 'rf-guard-off');
  // Written compact: the build does not minify style strings, and this script has a size budget.
  box.style.cssText =
    'max-width:340px;box-sizing:border-box;padding:8px 12px;border-radius:8px;border:1px solid #f6465d;border-left-width:4px;background:#181a20;color:#eaecef;box-shadow:0 8px 24px #0008;font:12px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Arial,sans-serif';
  const title = doc.createElement('b');
  title.style.cssText = 'display:block;color:#f6465d;margin-bottom:2px';
  title.textContent = `Ringfence guard off on ${VENUE_NAME[venue]}`;
  const text = doc.createElement('span');
  text.textContent = GUARD_OFF_TEXT;
  box.append(title, text);
  host.attachShadow({ mode: 'open' }).append(box);
  doc.documentElement.append(host);
  return host;
}

/** Removes notices a torn-down guard left (a newer copy of the content script has started in the page). */
export function clearGuardOff(doc: Document): void {
  for (const n of doc.querySelectorAll(`[data-ringfence="${GUARD_OFF_ATTR}"]`)) n.remove();
}

/**
 * Asks whether the content script is still valid as soon as its link to the background is lost (an extension update
 * or reload drops it), instead of at the next check on a DOM change: the guard's teardown, and its notice, follow
 * without delay.
 */
export function checkWhenLost(ctx: ContentScriptContext, status: ReadonlySignal<ConnectionStatus>): void {
  const stop = effect(() => {
    if (status.value === 'lost') void ctx.isInvalid;
  });
  ctx.onInvalidated(stop);
}
