import type { WatchedPage } from '../messaging/protocol';

export const VENUE_LABEL: Record<WatchedPage['venue'], string> = {
  binance: 'Binance USD-M',
  hyperliquid: 'Hyperliquid',
};

/** "14:03:07" in the user's locale, 24-hour. */
export function clockTime(ts: number): string {
  return new Date(ts).toLocaleTimeString(undefined, { hour12: false });
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function ago(ts: number, now: number): string {
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}
