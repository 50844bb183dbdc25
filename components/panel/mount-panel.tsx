import { signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { matchTradingPage, type TradingPage, type Venue } from '@/lib/pages/match';
import type { Detection, PageAdapter } from '@/lib/pages/types';
import { createLiveView, type LiveView } from '@/lib/ui/live-view';
import { DEFAULT_PLACE, parsePlace, placeKey, type PanelPlace } from '@/lib/ui/panel-place';
import { extensionRuntime } from '../common/runtime';
import { keepAttached } from './keep-attached';
import { RiskPanel } from './risk-panel';
import { watchDetection } from './watch-detection';
import { watchUrl } from './watch-url';

/** The stored placement of this site's panel (extension storage: the page cannot read it). */
async function loadPlace(venue: Venue): Promise<PanelPlace> {
  try {
    const key = placeKey(venue);
    const got = await browser.storage.local.get(key);
    return parsePlace(got[key]);
  } catch {
    return { ...DEFAULT_PLACE }; // storage unavailable (extension reloaded under the page): the default spot
  }
}

/**
 * Shows the panel while the tab is on one of `venue`'s trading pages and removes it when the page navigates
 * elsewhere in-page; the symbol follows coin switches, which change the URL without a reload. Puts it back when the
 * page removes it. Torn down with `ctx`.
 */
export async function mountPanel(ctx: ContentScriptContext, adapter: PageAdapter): Promise<void> {
  const venue = adapter.venue;
  const page = signal<TradingPage>({ venue, symbol: null });
  const detection = signal<Detection | null>(null);
  const place = signal<PanelPlace>({ ...DEFAULT_PLACE });
  let live: LiveView | null = null;
  let wanted = false;

  const onPlace = (next: PanelPlace) => {
    place.value = next;
    browser.storage.local.set({ [placeKey(venue)]: next }).catch(() => undefined);
  };
  const readForm = () => adapter.readOrder(document, { href: location.href, click: null });

  const [ui, stored] = await Promise.all([
    createShadowRootUi(ctx, {
      name: 'ringfence-panel',
      position: 'inline',
      anchor: 'body',
      append: 'last',
      isolateEvents: true,
      onMount(container) {
        live = createLiveView(extensionRuntime(), 'panel');
        render(<RiskPanel live={live} page={page} detection={detection} place={place} onPlace={onPlace} readForm={readForm} />, container);
        return container;
      },
      onRemove(container) {
        if (container) render(null, container);
        live?.close();
        live = null;
      },
    }),
    loadPlace(venue),
  ]);
  if (ctx.isInvalid) return;
  place.value = stored;

  const sync = () => {
    const match = matchTradingPage(location.href);
    if (!match || match.venue !== venue) {
      wanted = false;
      if (ui.mounted) ui.remove();
      return;
    }
    page.value = match;
    wanted = true;
    if (!ui.mounted) ui.mount();
    live?.reportPage({ venue, symbol: match.symbol, url: location.href });
  };

  sync();
  keepAttached(ctx, ui.shadowHost, () => wanted);
  watchUrl(ctx, sync); // WXT removes the UI itself when ctx is invalidated
  watchDetection(ctx, adapter, (d) => (detection.value = d));

  // e2e builds only: the benchmark reaches the live view from this (isolated) world through the DevTools protocol.
  if (import.meta.env.MODE === 'e2e') Object.assign(globalThis, { ringfencePanel: { live: () => live, place } });
}
