/**
 * One account as the supervisor sees it right now: the adapter's pushes folded into the latest account snapshot,
 * positions and open orders. Plain data plus the adapter handle; the fold is a pure function of the event.
 */
import type { AccountSnapshot, OpenOrder, Position } from '../../domain/types';
import type { AdapterEvent, ExchangeAdapter } from '../../exchanges/types';
import type { FeedStatus } from '../../messaging/risk-view';
import type { AccountView, RecentOrder } from '../../risk';
import type { AccountRow } from '../../store/db';

export interface LiveAccount {
  row: AccountRow;
  adapter: ExchangeAdapter | null;
  unsubscribe: (() => void) | null;
  status: FeedStatus;
  statusText: string | null;
  account: AccountSnapshot | null;
  positions: Position[];
  /** Whether a positions push has arrived since connecting (an account is evaluated only once it has both). */
  positionsSeen: boolean;
  orders: Map<string, OpenOrder>;
  /** When anything last arrived from the venue for this account. */
  receivedAt: number | null;
  /** The feed's current problem (a dropped socket, a rate limit), null while it flows. */
  feedError: string | null;
  marks: Map<string, number>;
  /** The mark symbols subscribed, joined, to resubscribe only on change. */
  watched: string;
  /** Orders this account sent (first seen), newest last: the pre-trade duplicate and rate checks read them. */
  recentOrders: RecentOrder[];
  /** Reconnect attempts since the last success. */
  attempts: number;
  /**
   * When the feed last went from flowing to reconnecting (null: no outage since the adapter started): pushes may be
   * missing from then on, so every reconnect catches up from here.
   */
  lostAt: number | null;
  /** The catch-up (snapshot, then fills) in progress: catch-ups run one after another. */
  catchingUp: Promise<void> | null;
  /**
   * Whether the fills missed before this adapter connected have been read (or given up on): until then the position
   * book is not reconciled with the venue, or an entry closed while the worker was stopped would be dropped before the
   * closing fill arrives to book its PnL to the position's strategy.
   */
  fillsCaughtUp: boolean;
  /**
   * While the deposits and withdrawals made since Ringfence last measured this account are being read (at connect):
   * the account is not measured until they are known, or its first balance would read them as PnL.
   */
  flowsPending: boolean;
}

export function newLiveAccount(row: AccountRow): LiveAccount {
  return {
    row,
    adapter: null,
    unsubscribe: null,
    status: 'connecting',
    statusText: null,
    account: null,
    positions: [],
    positionsSeen: false,
    orders: new Map(),
    receivedAt: null,
    feedError: null,
    marks: new Map(),
    watched: '',
    recentOrders: [],
    attempts: 0,
    lostAt: null,
    catchingUp: null,
    fillsCaughtUp: false,
    flowsPending: false,
  };
}

export type LiveChange = 'account' | 'positions' | 'orders' | 'fill' | 'cashflow' | 'mark' | 'connection' | 'error';

const DAY = 86_400_000;

/** Folds one adapter event into the live account. Returns what changed. */
export function applyEvent(live: LiveAccount, event: AdapterEvent, now: number): LiveChange {
  switch (event.type) {
    case 'account':
      live.account = event.account;
      live.receivedAt = now;
      return 'account';
    case 'positions':
      // The adapter sends the whole set after each change: replace, never merge. Flat legs are dropped.
      live.positions = event.positions.filter((p) => p.size !== 0);
      live.positionsSeen = true;
      live.receivedAt = now;
      for (const p of live.positions) if (p.markPrice !== null) live.marks.set(p.symbol, p.markPrice);
      return 'positions';
    case 'order': {
      const o = event.order;
      const isNew = !live.orders.has(o.orderId);
      if (event.status === 'new' || event.status === 'partially_filled') live.orders.set(o.orderId, o);
      else live.orders.delete(o.orderId);
      if (isNew && (event.status === 'new' || event.status === 'partially_filled' || event.status === 'filled')) {
        live.recentOrders.push({ symbol: o.symbol, side: o.side, size: o.size, time: o.time });
        const cutoff = now - DAY;
        while (live.recentOrders.length > 0 && live.recentOrders[0]!.time < cutoff) live.recentOrders.shift();
      }
      live.receivedAt = now;
      return 'orders';
    }
    case 'fill':
      live.receivedAt = now;
      return 'fill';
    case 'cashflow':
      live.receivedAt = now;
      return 'cashflow';
    case 'mark':
      live.marks.set(event.mark.symbol, event.mark.price);
      live.receivedAt = now;
      return 'mark';
    case 'connection':
      if (event.state === 'open') {
        live.status = 'live';
        live.statusText = null;
        live.feedError = null;
        live.attempts = 0;
        live.receivedAt = now;
      } else if (event.state === 'reconnecting' || event.state === 'closed') {
        live.status = 'reconnecting';
        live.feedError = event.reason ? `connection lost (${event.reason})` : 'connection lost';
        live.statusText = live.feedError;
      }
      return 'connection';
    case 'error':
      // Non-fatal: the last good state stays. A rate limit or network error is worth showing while it lasts.
      if (event.error.kind === 'rate_limit' || event.error.kind === 'network' || event.error.kind === 'unavailable') live.feedError = event.error.message;
      return 'error';
  }
}

/** The engine's view of a live account (null until it has an account snapshot and a positions push). */
export function accountViewOf(live: LiveAccount): AccountView | null {
  if (!live.account || !live.positionsSeen || live.flowsPending) return null;
  return {
    account: live.account,
    positions: live.positions,
    openOrders: [...live.orders.values()],
    ...(live.receivedAt !== null ? { receivedAt: live.receivedAt } : {}),
    feedError: live.feedError,
  };
}

/** The symbols whose marks the supervisor watches: open positions and open orders, plus a default so a quiet account still shows it is alive. */
export function markSymbols(live: LiveAccount): string[] {
  const set = new Set<string>();
  for (const p of live.positions) set.add(p.symbol);
  for (const o of live.orders.values()) set.add(o.symbol);
  set.add(live.row.venue === 'binance' ? 'BTCUSDT' : 'BTC');
  return [...set].sort();
}
