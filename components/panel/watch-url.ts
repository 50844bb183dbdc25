import type { ContentScriptContext } from 'wxt/utils/content-script-context';

interface NavigationLike {
  addEventListener(type: string, cb: () => void, opts?: { signal?: AbortSignal }): void;
}

/**
 * Calls `onChange` when the page's URL changes without a reload (the exchanges switch coins with pushState).
 * The Navigation API reports most changes at once; pushState from the page's own world is not reported to a
 * content script's world in every browser, so a cheap string comparison every 500 ms catches the rest.
 */
export function watchUrl(ctx: ContentScriptContext, onChange: (href: string) => void): void {
  let last = location.href;
  const check = () => {
    if (location.href === last) return;
    last = location.href;
    onChange(last);
  };
  const nav = (globalThis as { navigation?: NavigationLike }).navigation;
  nav?.addEventListener('currententrychange', check, { signal: ctx.signal });
  ctx.addEventListener(window, 'popstate', check);
  ctx.setInterval(check, 500);
}
