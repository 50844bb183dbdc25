import { computed, type ReadonlySignal, type Signal } from '@preact/signals';
import { useMemo } from 'preact/hooks';
import { detectionText } from '@/lib/pages/detection-text';
import type { Detection } from '@/lib/pages/types';
import type { ConnectionStatus } from '@/lib/ui/live-view';
import type { MeterVm, PositionVm } from '@/lib/ui/panel-view';
import { countdown } from '@/lib/ui/risk-format';
import { useNow } from '../common/use-now';
import type { PanelStore } from './panel-store';

/*
 * Each section reads only its own signal: a push re-renders the sections whose view model changed, nothing else. The
 * sections a price tick changes (the headline, the meters, the position) go further: they render their structure once
 * and bind each changing text and attribute to a signal of its own, so a tick writes the few text nodes and attributes
 * whose values changed, with no re-render and no diff.
 */

/** Signals of the fields of a view model signal (made once per mounted section). */
function useFields<T, F extends Record<string, unknown>>(vm: ReadonlySignal<T>, pick: (v: T) => F): { [K in keyof F]: ReadonlySignal<F[K]> } {
  return useMemo(() => {
    const first = pick(vm.peek());
    const out = {} as { [K in keyof F]: ReadonlySignal<F[K]> };
    for (const k of Object.keys(first) as (keyof F)[]) out[k] = computed(() => pick(vm.value)[k]);
    return out;
  }, [vm]);
}

const CONN_TEXT: Record<ConnectionStatus, string> = { connecting: 'Connecting…', live: 'Live', lost: 'Reconnecting…' };

/** The link to the background: a dot when live, the words when not. */
export function Connection({ status }: { status: ReadonlySignal<ConnectionStatus> }) {
  const s = status.value;
  return (
    <span class={`rf-conn rf-conn--${s}`} data-testid="rf-connection" data-status={s} role="status" title={`Ringfence background: ${CONN_TEXT[s]}`}>
      <span class="rf-dot" aria-hidden="true" />
      <span class={s === 'live' ? 'rf-sr' : ''}>{CONN_TEXT[s]}</span>
    </span>
  );
}

/** Ends in 29:41 (15:30): ticks every second, re-rendering only itself. */
export function Countdown({ until, prefix }: { until: number; prefix: string }) {
  const now = useNow(1000);
  if (until <= now) return null;
  return (
    <span class="rf-countdown" data-testid="rf-panel-countdown">
      {prefix} <b>{countdown(until, now)}</b> <span class="rf-muted">({new Date(until).toTimeString().slice(0, 5)})</span>
    </span>
  );
}

/** ACTIVE / REDUCING / HALTED for the account shown. */
export function TradingChip({ store }: { store: PanelStore }) {
  const st = store.status.value;
  if (!st) return null;
  return (
    <span class={`rf-chip rf-tone--${st.tone}`} data-testid="rf-panel-trading" data-trading={st.trading} title={st.reason ?? `Trading: ${st.label}`}>
      {st.trading}
    </span>
  );
}

export function Meter({ vm, testId }: { vm: ReadonlySignal<MeterVm | null>; testId: string }) {
  const f = useFields(vm, (m) => ({
    shown: m !== null,
    label: m?.label ?? '',
    cls: `rf-meter rf-tone--${m?.tone ?? 'none'}`,
    tone: m?.tone ?? 'none',
    now: m?.now ?? 0,
    spoken: m?.spoken ?? '',
    fill: `width:${m?.fill ?? '0%'}`,
    marked: m?.mark != null,
    mark: `left:${m?.mark ?? '0%'}`,
    text: m?.text ?? '',
  }));
  if (!f.shown.value) return null;
  return (
    <div class={f.cls} data-testid={testId} data-tone={f.tone}>
      <span class="rf-meter-label">{f.label}</span>
      <span class="rf-bar" role="meter" aria-label={f.label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={f.now} aria-valuetext={f.spoken} title={f.spoken}>
        <span class="rf-bar-fill" style={f.fill} data-testid={`${testId}-fill`} />
        {f.marked.value ? <span class="rf-bar-mark" style={f.mark} aria-hidden="true" /> : null}
      </span>
      <span class="rf-meter-value" data-testid={`${testId}-text`}>
        {f.text}
      </span>
    </div>
  );
}

/** Equity and today's PnL. */
export function Headline({ store }: { store: PanelStore }) {
  const f = useFields(store.headline, (h) => ({ shown: h !== null, equity: h?.equity ?? '', dayPnl: h?.dayPnl ?? '', dayCls: `rf-big rf-pnl--${h?.dayTone || 'flat'}` }));
  if (!f.shown.value) return null;
  return (
    <div class="rf-headline">
      <div class="rf-stat">
        <span class="rf-label">Equity</span>
        <span class="rf-big" data-testid="rf-panel-equity">
          {f.equity}
        </span>
      </div>
      <div class="rf-stat rf-stat--end">
        <span class="rf-label">Today</span>
        <span class={f.dayCls} data-testid="rf-panel-daypnl">
          {f.dayPnl}
        </span>
      </div>
    </div>
  );
}

/** Why trading is limited, and for how long; or why the numbers are not live. */
export function StatusBanner({ store }: { store: PanelStore }) {
  const st = store.status.value;
  if (!st) return null;
  const limited = st.trading !== 'ACTIVE';
  return (
    <>
      {st.feed ? (
        <p class={`rf-note rf-feed rf-tone--${st.feedTone}`} data-testid="rf-panel-feed" role="status">
          {st.feed}
        </p>
      ) : null}
      {limited || st.until !== null ? (
        <div class={`rf-banner rf-tone--${st.tone}`} data-testid="rf-panel-status" data-trading={st.trading} role="status">
          <b>{st.trading === 'ACTIVE' ? 'Cooling off' : st.scope ? `${st.scope} ${st.trading === 'HALTED' ? 'halted' : 'reduce-only'}` : st.trading === 'HALTED' ? 'Trading halted' : 'Reduce-only'}</b>
          {st.reason ? <span data-testid="rf-panel-reason"> {st.reason}</span> : null}
          {st.until !== null ? <Countdown until={st.until} prefix="Ends in" /> : null}
          {st.reset ? <span data-testid="rf-panel-reset"> {st.reset}</span> : null}
        </div>
      ) : null}
    </>
  );
}

/** This symbol's position(s): side, size, entry, mark, uPnL, distance to the stop and to liquidation. */
export function Positions({ store, symbol }: { store: PanelStore; symbol: ReadonlySignal<string | null> }) {
  // Rows by id (symbol:side): the list re-renders only when a position opens or closes.
  const ids = useMemo(() => computed(() => store.positions.value.map((p) => p.id).join('\n')), [store]);
  const list = ids.value ? ids.value.split('\n') : [];
  if (list.length === 0) {
    return (
      <p class="rf-muted rf-nopos" data-testid="rf-panel-no-position">
        {store.noPosition.value}
      </p>
    );
  }
  return (
    <>
      {list.map((id) => (
        <PositionRow key={id} store={store} id={id} symbol={symbol} />
      ))}
    </>
  );
}

const NO_POSITION: PositionVm = { id: '', side: 'long', head: '', leverage: '', mark: '', upnl: '', upnlTone: '', stop: '', stopTone: 'none', liq: '', liqTone: 'none', strategyId: '' };

function PositionRow({ store, id, symbol }: { store: PanelStore; id: string; symbol: ReadonlySignal<string | null> }) {
  const row = useMemo(() => computed(() => store.positions.value.find((p) => p.id === id) ?? NO_POSITION), [store, id]);
  const f = useFields(row, (p) => ({
    head: p.head,
    leverage: p.leverage,
    mark: p.mark,
    upnl: p.upnl,
    upnlCls: `rf-pnl--${p.upnlTone || 'flat'}`,
    stop: p.stop,
    stopCls: `rf-tone-text--${p.stopTone}`,
    liq: p.liq,
    liqCls: `rf-tone-text--${p.liqTone}`,
  }));
  const side = id.endsWith(':short') ? 'short' : 'long';
  return (
    <div class={`rf-pos rf-pos--${side}`} data-testid="rf-panel-position" data-symbol={symbol} data-side={side}>
      <div class="rf-pos-head">
        <span class="rf-side" data-testid="rf-panel-pos-head">
          {f.head}
        </span>
        <span class="rf-muted">{f.leverage}</span>
      </div>
      <dl class="rf-grid">
        <dt>Mark</dt>
        <dd data-testid="rf-panel-pos-mark">{f.mark}</dd>
        <dt>uPnL</dt>
        <dd class={f.upnlCls} data-testid="rf-panel-pos-upnl">
          {f.upnl}
        </dd>
        <dt>Stop</dt>
        <dd class={f.stopCls} data-testid="rf-panel-pos-stop">
          {f.stop}
        </dd>
        <dt>Liq.</dt>
        <dd class={f.liqCls} data-testid="rf-panel-pos-liq">
          {f.liq}
        </dd>
      </dl>
    </div>
  );
}

export function StrategyLine({ store }: { store: PanelStore }) {
  const s = store.strategy.value;
  if (!s) return null;
  return (
    <div class="rf-strategy" data-testid="rf-panel-strategy" data-strategy={s.id} data-trading={s.trading}>
      <span class="rf-label">Strategy</span>
      <span class="rf-strong">{s.id}</span>
      <span class={`rf-chip rf-tone--${s.tone}`}>{s.trading}</span>
      {s.trading === 'ACTIVE' ? null : (
        <span class="rf-muted rf-ellipsis" title={s.text}>
          {s.text}
        </span>
      )}
    </div>
  );
}

/** One line of market context for this symbol: regime, volatility and the book near the mid. */
export function MarketLine({ store }: { store: PanelStore }) {
  const m = store.market.value;
  if (!m) return null;
  return (
    <div class="rf-market" data-testid="rf-panel-market" title={m.error ? `Last market data error: ${m.error}` : m.line}>
      <span class="rf-label">Market</span>
      <span class="rf-market-line">{m.line}</span>
    </div>
  );
}

/** Whether the page adapter can read this layout; prominent only when it cannot (fully). */
export function DetectionLine({ detection, where }: { detection: Signal<Detection | null>; where: 'top' | 'foot' }) {
  const d = detection.value;
  if (!d || (d.status === 'recognised') !== (where === 'foot')) return null;
  const text = detectionText(d);
  return (
    <div class={`rf-detect rf-detect--${d.status}`} data-testid="rf-detection" data-status={d.status} title={text.detail}>
      <span class="rf-strong">{text.title}</span> <span class="rf-muted">{text.detail}</span>
    </div>
  );
}

export function Footer({ store }: { store: PanelStore }) {
  const f = store.footer.value;
  return (
    <div class="rf-foot">
      {f.last ? (
        <span class="rf-ellipsis" data-testid="rf-panel-last" title={f.last}>
          {f.last}
        </span>
      ) : (
        <span />
      )}
      <span class="rf-nowrap" title="Trading pages Ringfence watches">
        <span data-testid="rf-panel-pages">{f.pages}</span> {f.pages === 1 ? 'page' : 'pages'}
      </span>
    </div>
  );
}
