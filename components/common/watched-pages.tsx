import type { WatchedPage } from '@/lib/messaging/protocol';
import { ago, VENUE_LABEL } from '@/lib/ui/format';

export function WatchedPages({ pages, now }: { pages: WatchedPage[]; now: number }) {
  if (pages.length === 0) {
    return (
      <p class="rf-empty" data-testid="rf-pages-empty">
        No trading page open. Open a Binance USD-M futures or Hyperliquid trade page and the Ringfence panel appears there.
      </p>
    );
  }
  return (
    <ul class="rf-list" data-testid="rf-pages">
      {pages.map((p) => (
        <li key={p.key} data-testid="rf-page" data-venue={p.venue} data-symbol={p.symbol ?? ''}>
          <span>
            <span class="rf-muted">{VENUE_LABEL[p.venue]}</span> <span class="rf-strong">{p.symbol ?? 'no symbol'}</span>
          </span>
          <span class="rf-muted">open {ago(p.since, now)}</span>
        </li>
      ))}
    </ul>
  );
}
