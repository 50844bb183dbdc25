import { defineContentScript } from 'wxt/utils/define-content-script';
import { checkWhenLost } from '@/components/guard/guard-off';
import { GUARD_CSS_HYPERLIQUID } from '@/components/guard/guard-style';
import { installGuard } from '@/components/guard/install-guard';
import { extensionRuntime } from '@/components/common/runtime';
import { mountPanel } from '@/components/panel/mount-panel';
import '@/components/panel/panel-hyperliquid.css';
import { loadPagePlace } from '@/components/panel/page-place';
import { hyperliquidAdapter } from '@/lib/pages/hyperliquid/adapter';
import { CONTENT_MATCHES } from '@/lib/pages/match';
import { createPageLive } from '@/lib/ui/panel-live';

export default defineContentScript({
  matches: CONTENT_MATCHES.hyperliquid,
  cssInjectionMode: 'ui',
  // document_start: the guard's capture listeners are on window before any page script runs, so no handler of the
  // page (not even one it adds to window in the capture phase) sees a submit before the guard. The panel waits for the DOM.
  runAt: 'document_start',
  main: async (ctx) => {
    // One link to the background for the guard and the panel, and one stored choice of the account the page is
    // about: the panel shows it and the guard checks orders against it.
    const live = createPageLive(extensionRuntime());
    ctx.onInvalidated(() => live.close());
    const place = loadPagePlace(hyperliquidAdapter.venue);
    installGuard(ctx, hyperliquidAdapter, live, place.account, GUARD_CSS_HYPERLIQUID);
    checkWhenLost(ctx, live.status);
    if (document.readyState === 'loading') await new Promise((r) => document.addEventListener('DOMContentLoaded', r, { once: true }));
    if (!ctx.isInvalid) await mountPanel(ctx, hyperliquidAdapter, live, place);
  },
});
