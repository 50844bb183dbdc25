import type { ContentScriptContext } from 'wxt/utils/content-script-context';

/** At most this many re-attachments per window: a page that keeps removing the panel wins, quietly. */
const MAX_REATTACH = 10;
const WINDOW_MS = 10_000;

/**
 * Puts the panel's host element back when the page removes it (single-page apps re-render <body> children). The same
 * node goes back, shadow root and rendered tree included: nothing re-mounts and the background connection stays.
 * Watches the host's parent (and <html>, for a replaced <body>) without a subtree: cheap on a busy page.
 */
export function keepAttached(ctx: ContentScriptContext, host: HTMLElement, wanted: () => boolean): void {
  let recent: number[] = [];
  let parent: Node | null = null;
  const observer = new MutationObserver(() => check());
  const watch = () => {
    const p = host.parentNode ?? document.body;
    if (p === parent) return;
    parent = p;
    observer.disconnect();
    observer.observe(document.documentElement, { childList: true });
    if (p && p !== document.documentElement) observer.observe(p, { childList: true });
  };
  const check = () => {
    if (ctx.isInvalid) return;
    if (host.isConnected || !wanted()) {
      if (host.isConnected) watch();
      return;
    }
    const now = Date.now();
    recent = recent.filter((t) => now - t < WINDOW_MS);
    const body = document.body;
    if (recent.length >= MAX_REATTACH || !body) {
      watch();
      return;
    }
    recent.push(now);
    body.append(host);
    watch();
  };
  watch();
  ctx.onInvalidated(() => observer.disconnect());
}
