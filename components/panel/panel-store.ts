import { computed, type ReadonlySignal, type Signal } from '@preact/signals';
import { guardAccount } from '@/lib/pages/guard-verdict';
import type { TradingPage } from '@/lib/pages/match';
import type { AccountRisk, GuardAccount } from '@/lib/messaging/risk-view';
import type { PanelPlace } from '@/lib/ui/panel-place';
import {
  accountOptions,
  noPositionText,
  pillVm,
  sameVm,
  shownStrategy,
  statusVm,
  strategyVm,
  summaryVm,
  symbolPositions,
  venueAccounts,
  type AccountOption,
  type MeterVm,
  type PillVm,
  type PositionVm,
  type StatusVm,
  type StrategyVm,
  type SummaryVm,
} from '@/lib/ui/panel-view';
import type { LiveView } from '@/lib/ui/live-view';

/**
 * A computed view model that keeps its previous value while the new one is equal by value: the background pushes the
 * whole state on every change, so without this every section would re-render on every push.
 */
export function stable<T>(fn: () => T): ReadonlySignal<T> {
  let prev: T | undefined;
  let has = false;
  return computed(() => {
    const next = fn();
    if (has && sameVm(prev, next)) return prev as T;
    prev = next;
    has = true;
    return next;
  });
}

export type PanelMode = 'waiting' | 'no-account' | 'account';

export interface FooterVm {
  pages: number;
  last: string | null;
}

/** The panel's sections as signals of view models, derived once per mount from the pushed state. */
export interface PanelStore {
  mode: ReadonlySignal<PanelMode>;
  symbol: ReadonlySignal<string | null>;
  /** Shows another account of this venue (remembered with the placement). */
  choose(key: string): void;
  accountMode: ReadonlySignal<AccountRisk['mode'] | null>;
  options: ReadonlySignal<AccountOption[]>;
  /** The account shown (a new object on every push: read it only where every change matters). */
  account: ReadonlySignal<AccountRisk | null>;
  accountKey: ReadonlySignal<string | null>;
  /** The guard's envelope for that account (null until the background has one). */
  guard: ReadonlySignal<GuardAccount | null>;
  headline: ReadonlySignal<Pick<SummaryVm, 'equity' | 'dayPnl' | 'dayTone'> | null>;
  meters: Record<'day' | 'drawdown' | 'exposure' | 'score', ReadonlySignal<MeterVm | null>>;
  status: ReadonlySignal<StatusVm | null>;
  positions: ReadonlySignal<PositionVm[]>;
  noPosition: ReadonlySignal<string>;
  strategy: ReadonlySignal<StrategyVm | null>;
  /** The market watch's one line for this page's symbol (regime, volatility, book), or null without data. */
  market: ReadonlySignal<{ line: string; error: string | null } | null>;
  pill: ReadonlySignal<PillVm>;
  footer: ReadonlySignal<FooterVm>;
}

export function createPanelStore(
  live: Pick<LiveView, 'state'> & Partial<Pick<LiveView, 'status'>>,
  page: Signal<TradingPage>,
  place: Signal<PanelPlace>,
  onPlace: (next: PanelPlace) => void = (next) => (place.value = next),
): PanelStore {
  const risk = computed(() => live.state.value?.risk ?? null);
  const list = computed(() => venueAccounts(risk.value?.accounts ?? [], page.value.venue));
  // The guard's own pick (lib/pages/guard-verdict guardAccount): the panel shows the account the guard checks against.
  const account = computed(() => (risk.value ? guardAccount(risk.value, page.value.venue, place.value.account) : null));
  const symbol = computed(() => page.value.symbol);
  const summary = computed(() => (account.value ? summaryVm(account.value) : null));
  const meter = (k: keyof PanelStore['meters']) => stable(() => summary.value?.[k] ?? null);
  const positions = stable(() => (account.value ? symbolPositions(account.value, symbol.value, risk.value?.findings ?? []) : []));
  return {
    mode: computed(() => (!live.state.value ? 'waiting' : account.value ? 'account' : 'no-account')),
    symbol,
    choose: (key) => onPlace({ ...place.peek(), account: key }),
    accountMode: computed(() => account.value?.mode ?? null),
    options: stable(() => accountOptions(list.value)),
    account,
    accountKey: computed(() => account.value?.key ?? null),
    guard: computed(() => risk.value?.guard?.accounts.find((g) => g.key === account.value?.key) ?? null),
    headline: stable(() => {
      const v = summary.value;
      return v ? { equity: v.equity, dayPnl: v.dayPnl, dayTone: v.dayTone } : null;
    }),
    meters: { day: meter('day'), drawdown: meter('drawdown'), exposure: meter('exposure'), score: meter('score') },
    status: stable(() => (account.value ? statusVm(account.value, symbol.value) : null)),
    positions,
    noPosition: computed(() => (account.value ? noPositionText(account.value, symbol.value) : '')),
    strategy: stable(() => (account.value ? strategyVm(risk.value?.strategies ?? [], shownStrategy(positions.value)) : null)),
    pill: stable(() => pillVm(account.value, symbol.value, live.status?.value ?? 'live')),
    market: stable(() => {
      const p = page.value;
      const m = live.state.value?.market?.find((x) => x.venue === p.venue && x.symbol === p.symbol);
      return m ? { line: m.line, error: m.error } : null;
    }),
    footer: stable(() => {
      const s = live.state.value;
      return { pages: s?.pages.length ?? 0, last: s?.audit.recent[0]?.message ?? null };
    }),
  };
}
