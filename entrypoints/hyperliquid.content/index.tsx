import { defineContentScript } from 'wxt/utils/define-content-script';
import { mountPanel } from '@/components/panel/mount-panel';
import { hyperliquidAdapter } from '@/lib/pages/hyperliquid/adapter';
import { CONTENT_MATCHES } from '@/lib/pages/match';

export default defineContentScript({
  matches: CONTENT_MATCHES.hyperliquid,
  cssInjectionMode: 'ui',
  runAt: 'document_idle',
  main: (ctx) => mountPanel(ctx, hyperliquidAdapter),
});
