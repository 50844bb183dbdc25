import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { Detection, PageAdapter } from '@/lib/pages/types';

/** How often, at most, the page is re-checked while it keeps changing (a detect costs about a millisecond). */
const THROTTLE_MS = 1000;

/**
 * Runs the adapter's detection now and again whenever the page's DOM changes (throttled): the exchanges render their
 * order form late and re-render it on coin switches, so a one-off check would report a layout that is still loading.
 */
export function watchDetection(ctx: ContentScriptContext, adapter: PageAdapter, onDetect: (d: Detection) => void): void {
  let last = '';
  let scheduled = false;
  const run = () => {
    scheduled = false;
    const d = adapter.detect(document);
    const key = `${d.status}|${d.missing.join()}|${d.fallbacks.join()}`;
    if (key === last) return;
    last = key;
    onDetect(d);
  };
  run();
  const observer = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    ctx.setTimeout(run, THROTTLE_MS);
  });
  observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-selected', 'id', 'data-testid'] });
  ctx.onInvalidated(() => observer.disconnect());
}
