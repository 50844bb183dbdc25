import { defineContentScript } from 'wxt/utils/define-content-script';
import { mountPanel } from '@/components/panel/mount-panel';
import { binanceAdapter } from '@/lib/pages/binance/adapter';
import { CONTENT_MATCHES } from '@/lib/pages/match';

export default defineContentScript({
  matches: CONTENT_MATCHES.binance,
  cssInjectionMode: 'ui',
  runAt: 'document_idle',
  main: (ctx) => mountPanel(ctx, binanceAdapter),
});
