import type { ReadonlySignal, Signal } from '@preact/signals';
import { useMemo, useRef } from 'preact/hooks';
import type { TradingPage, Venue } from '@/lib/pages/match';
import type { Detection, OrderReading } from '@/lib/pages/types';
import { VENUE_LABEL } from '@/lib/ui/format';
import type { LiveView } from '@/lib/ui/live-view';
import type { PanelPlace } from '@/lib/ui/panel-place';
import { createPanelStore, type PanelStore } from './panel-store';
import {
  Connection,
  Countdown,
  DetectionLine,
  Footer,
  Headline,
  MarketLine,
  Meter,
  Positions,
  StatusBanner,
  StrategyLine,
  TradingChip,
} from './panel-sections';
import { SizeCalc } from './size-calc';
import { useDrag, usePlacement, type DragHandlers } from './use-placement';
import './panel.css';

export interface RiskPanelProps {
  live: Pick<LiveView, 'state' | 'status'>;
  page: Signal<TradingPage>;
  detection: Signal<Detection | null>;
  /** Where the panel sits and whether it is collapsed (per site, stored by the caller). */
  place: Signal<PanelPlace>;
  onPlace: (next: PanelPlace) => void;
  /** Reads the order form for the size calculator (never writes it). */
  readForm?: (() => OrderReading) | null;
}

const dragProps = (d: DragHandlers) => ({
  onPointerDown: d.onPointerDown,
  onPointerMove: d.onPointerMove,
  onPointerUp: d.onPointerUp,
  onPointerCancel: d.onPointerCancel,
});

function SymbolName({ symbol }: { symbol: ReadonlySignal<string | null> }) {
  return (
    <span class="rf-symbol" data-testid="rf-panel-symbol">
      {symbol.value ?? 'no symbol in URL'}
    </span>
  );
}

function Pill({ store, drag, onExpand }: { store: PanelStore; drag: DragHandlers; onExpand: () => void }) {
  const p = store.pill.value;
  return (
    <button
      type="button"
      class="rf-pill"
      data-drag=""
      data-testid="rf-panel-pill"
      aria-expanded="false"
      title="Expand (drag to move)"
      onClick={() => drag.consumeDrag() || onExpand()}
      {...dragProps(drag)}
    >
      <span class="rf-brand">Ringfence</span>
      {p.trading ? (
        <span class={`rf-chip rf-tone--${p.tone}`} data-testid="rf-panel-pill-trading" data-trading={p.trading}>
          {p.trading}
        </span>
      ) : null}
      <span class={`rf-pnl--${p.dayTone || 'flat'}`} data-testid="rf-panel-pill-pnl" title="Today's PnL">
        {p.dayPnl}
      </span>
      {p.until !== null ? <Countdown until={p.until} prefix="" /> : null}
      {p.feed ? (
        <span class={`rf-chip rf-tone--${p.feed.tone}`} data-testid="rf-panel-pill-feed" title={p.feed.title}>
          {p.feed.label}
        </span>
      ) : null}
      <span class="rf-expand" aria-hidden="true" />
    </button>
  );
}

function AccountLine({ store, venue }: { store: PanelStore; venue: Venue }) {
  const opts = store.options.value;
  const key = store.accountKey.value;
  const mode = store.accountMode.value;
  return (
    <div class="rf-account" data-testid="rf-panel-account" data-account={key ?? ''}>
      <span class="rf-muted">{VENUE_LABEL[venue]}</span>
      {opts.length > 1 ? (
        <select aria-label="Account" data-testid="rf-panel-account-select" value={key ?? ''} onChange={(e) => store.choose((e.currentTarget as HTMLSelectElement).value)}>
          {opts.map((o) => (
            <option key={o.key} value={o.key}>
              {o.label}
            </option>
          ))}
        </select>
      ) : (
        <span class="rf-strong rf-ellipsis">{opts[0]?.label}</span>
      )}
      {mode ? (
        <span class="rf-mode" title="Enforcement mode">
          {mode}
        </span>
      ) : null}
    </div>
  );
}

function Body({ store, venue, readForm }: { store: PanelStore; venue: Venue; readForm: (() => OrderReading) | null }) {
  const mode = store.mode.value;
  if (mode === 'waiting') {
    return (
      <p class="rf-muted rf-pad" data-testid="rf-panel-waiting">
        Waiting for the Ringfence background…
      </p>
    );
  }
  const calc = <SizeCalc venue={venue} symbol={store.symbol} account={store.account} guard={store.guard} readForm={readForm} />;
  if (mode === 'no-account') {
    return (
      <>
        <div class="rf-empty" data-testid="rf-panel-empty" data-reason="no-account">
          <b>No {VENUE_LABEL[venue]} account yet.</b> Add one in Ringfence options (Accounts) to see your equity, limits and
          this symbol’s position here.
        </div>
        {calc}
      </>
    );
  }
  return (
    <>
      <AccountLine store={store} venue={venue} />
      <StatusBanner store={store} />
      <Headline store={store} />
      <div class="rf-meters">
        <Meter vm={store.meters.day} testId="rf-panel-meter-day" />
        <Meter vm={store.meters.drawdown} testId="rf-panel-meter-drawdown" />
        <Meter vm={store.meters.exposure} testId="rf-panel-meter-exposure" />
        <Meter vm={store.meters.score} testId="rf-panel-meter-score" />
      </div>
      <div class="rf-section">
        <Positions store={store} symbol={store.symbol} />
        <StrategyLine store={store} />
        <MarketLine store={store} />
      </div>
      {calc}
    </>
  );
}

/**
 * The in-page risk panel: the account of this venue against its limits, this symbol's position, the trading state
 * and a size calculator. Draggable by its header, collapsible to a pill; each section re-renders only when its own
 * view model changes.
 */
export function RiskPanel({ live, page, detection, place, onPlace, readForm = null }: RiskPanelProps) {
  const store = useMemo(() => createPanelStore(live, page, place, onPlace), [live]);
  const ref = useRef<HTMLElement>(null);
  usePlacement(ref, place);
  const drag = useDrag(ref, place, onPlace);
  const venue = page.peek().venue;
  const collapsed = place.value.collapsed;
  const setCollapsed = (c: boolean) => {
    const hadFocus = ref.current?.matches(':focus-within') ?? false;
    onPlace({ ...place.peek(), collapsed: c });
    if (hadFocus) requestAnimationFrame(() => ref.current?.querySelector<HTMLElement>(c ? '.rf-pill' : '.rf-collapse')?.focus());
  };
  return (
    <section ref={ref} class="rf-panel" data-testid="rf-panel" data-venue={venue} data-collapsed={String(collapsed)} aria-label="Ringfence risk panel">
      {collapsed ? (
        <Pill store={store} drag={drag} onExpand={() => setCollapsed(false)} />
      ) : (
        <>
          <header class="rf-head" data-testid="rf-panel-handle" title="Drag to move" {...dragProps(drag)}>
            <span class="rf-grip" aria-hidden="true" />
            <span class="rf-brand">Ringfence</span>
            <SymbolName symbol={store.symbol} />
            <span class="rf-spacer" />
            <Connection status={live.status} />
            <TradingChip store={store} />
            <button
              type="button"
              class="rf-icon rf-collapse"
              data-testid="rf-panel-collapse"
              aria-expanded="true"
              aria-label="Collapse the Ringfence panel"
              title="Collapse"
              onClick={() => setCollapsed(true)}
            />
          </header>
          <div class="rf-body">
            <DetectionLine detection={detection} where="top" />
            <Body store={store} venue={venue} readForm={readForm} />
            <DetectionLine detection={detection} where="foot" />
            <Footer store={store} />
          </div>
        </>
      )}
    </section>
  );
}
