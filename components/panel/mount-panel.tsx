import { signal } from '@preact/signals';
import { render } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { matchTradingPage, type TradingPage } from '@/lib/pages/match';
import type { Detection, PageAdapter } from '@/lib/pages/types';
import { createLiveView, type LiveView } from '@/lib/ui/live-view';
import { extensionRuntime } from '../common/runtime';
import { RiskPanel } from './risk-panel';
import { watchDetection } from './watch-detection';
import { watchUrl } from './watch-url';

/**
 * Shows the panel while the tab is on one of `venue`'s trading pages and removes it when the page navigates
 * elsewhere in-page; the symbol follows coin switches, which change the URL without a reload. Torn down with `ctx`.
 */
export async function mountPanel(ctx: ContentScriptContext, adapter: PageAdapter): Promise<void> {
  const venue = adapter.venue;
  const page = signal<TradingPage>({ venue, symbol: null });
  const detection = signal<Detection | null>(null);
  let live: LiveView | null = null;

  const ui = await createShadowRootUi(ctx, {
    name: 'ringfence-panel',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    isolateEvents: true,
    onMount(container) {
      live = createLiveView(extensionRuntime(), 'panel');
      render(<RiskPanel live={live} page={page} detection={detection} />, container);
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
      live?.close();
      live = null;
    },
  });

  const sync = () => {
    const match = matchTradingPage(location.href);
    if (!match || match.venue !== venue) {
      if (ui.mounted) ui.remove();
      return;
    }
    page.value = match;
    if (!ui.mounted) ui.mount();
    live?.reportPage({ venue, symbol: match.symbol, url: location.href });
  };

  sync();
  watchUrl(ctx, sync); // WXT removes the UI itself when ctx is invalidated
  watchDetection(ctx, adapter, (d) => (detection.value = d));
}
