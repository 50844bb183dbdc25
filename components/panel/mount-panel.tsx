import { signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { matchTradingPage, type TradingPage } from '@/lib/pages/match';
import type { Detection, PageAdapter } from '@/lib/pages/types';
import type { PageLive } from '@/lib/ui/panel-live';
import type { PanelPlace } from '@/lib/ui/panel-place';
import { keepAttached } from './keep-attached';
import type { PagePlace } from './page-place';
import { RiskPanel } from './risk-panel';
import { watchDetection } from './watch-detection';
import { watchUrl } from './watch-url';

/** The panel's stylesheet (this entrypoint's CSS, built by WXT), read once from the extension. */
async function loadCss(): Promise<string> {
  try {
    const getURL = browser.runtime.getURL as (path: string) => string;
    const res = await fetch(getURL(`/content-scripts/${import.meta.env.ENTRYPOINT}.css`));
    return (await res.text()).replaceAll(':root', ':host');
  } catch {
    return ''; // the extension was reloaded under the page: unstyled rather than absent
  }
}

/** Keys the page's own shortcuts must not see while the user types in the panel. */
const ISOLATED = ['keydown', 'keyup', 'keypress'];

/**
 * Shows the panel while the tab is on one of `venue`'s trading pages and removes it when the page navigates
 * elsewhere in-page; the symbol follows coin switches, which change the URL without a reload. Puts it back when the
 * page removes it. The panel lives in the open shadow root of a <ringfence-panel> element (a plain element:
 * customElements is null in a content script), reset with `:host { all: initial }`. Its placement, and with it the
 * account shown, is `pagePlace`, which the order guard reads too. Torn down with `ctx`.
 */
export async function mountPanel(ctx: ContentScriptContext, adapter: PageAdapter, live: PageLive, pagePlace: PagePlace): Promise<void> {
  const venue = adapter.venue;
  const page = signal<TradingPage>({ venue, symbol: null });
  const detection = signal<Detection | null>(null);
  const { place } = pagePlace;
  let mounted = false;

  const onPlace = (next: PanelPlace) => pagePlace.save(next);
  const readForm = () => adapter.readOrder(document, { href: location.href, click: null });

  const [css] = await Promise.all([loadCss(), pagePlace.ready]);
  if (ctx.isInvalid) return;

  const host = document.createElement('ringfence-panel');
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = `:host{all:initial !important;}\n${css}`;
  const container = document.createElement('div');
  shadow.append(style, container);
  for (const t of ISOLATED) shadow.addEventListener(t, (e) => e.stopPropagation());

  const mount = () => {
    if (mounted) return;
    mounted = true;
    document.body.append(host);
    render(<RiskPanel live={live} page={page} detection={detection} place={place} onPlace={onPlace} readForm={readForm} />, container);
  };
  const unmount = () => {
    if (!mounted) return;
    mounted = false;
    render(null, container);
    host.remove();
  };
  ctx.onInvalidated(unmount);

  const sync = () => {
    const match = matchTradingPage(location.href);
    if (!match || match.venue !== venue) {
      unmount();
      live.reportPage(null);
      return;
    }
    page.value = match;
    mount();
    live.reportPage({ venue, symbol: match.symbol, url: location.href });
  };

  sync();
  keepAttached(ctx, host, () => mounted);
  watchUrl(ctx, sync);
  watchDetection(ctx, adapter, (d) => (detection.value = d));

  // e2e builds only: the benchmark reaches the live view from this (isolated) world through the DevTools protocol.
  if (import.meta.env.MODE === 'e2e') Object.assign(globalThis, { ringfencePanel: { live: () => (mounted ? live : null), place } });
}
