import type { ReadonlySignal, Signal } from '@preact/signals';
import { detectionText } from '@/lib/pages/detection-text';
import type { Detection } from '@/lib/pages/types';
import type { ConnectionStatus } from '@/lib/ui/live-view';
import type { MeterVm } from '@/lib/ui/panel-view';
import { countdown } from '@/lib/ui/risk-format';
import { useNow } from '../common/use-now';
import type { PanelStore } from './panel-store';

/*
 * Each section reads only its own signal: a push re-renders the sections whose view model changed, nothing else.
 */

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
  const m = vm.value;
  if (!m) return null;
  return (
    <div class={`rf-meter rf-tone--${m.tone}`} data-testid={testId} data-tone={m.tone}>
      <span class="rf-meter-label">{m.label}</span>
      <span class="rf-bar" role="meter" aria-label={m.label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={m.now} aria-valuetext={m.spoken} title={m.spoken}>
        <span class="rf-bar-fill" style={`width:${m.fill}`} data-testid={`${testId}-fill`} />
        {m.mark ? <span class="rf-bar-mark" style={`left:${m.mark}`} aria-hidden="true" /> : null}
      </span>
      <span class="rf-meter-value" data-testid={`${testId}-text`}>
        {m.text}
      </span>
    </div>
  );
}

/** Equity and today's PnL. */
export function Headline({ store }: { store: PanelStore }) {
  const h = store.headline.value;
  if (!h) return null;
  return (
    <div class="rf-headline">
      <div class="rf-stat">
        <span class="rf-label">Equity</span>
        <span class="rf-big" data-testid="rf-panel-equity">
          {h.equity}
        </span>
      </div>
      <div class="rf-stat rf-stat--end">
        <span class="rf-label">Today</span>
        <span class={`rf-big rf-pnl--${h.dayTone || 'flat'}`} data-testid="rf-panel-daypnl">
          {h.dayPnl}
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
          <b>{st.trading === 'ACTIVE' ? 'Cooling off' : st.trading === 'HALTED' ? 'Trading halted' : 'Reduce-only'}</b>
          {st.reason ? <span data-testid="rf-panel-reason"> {st.reason}</span> : null}
          {st.until !== null ? <Countdown until={st.until} prefix="Ends in" /> : null}
        </div>
      ) : null}
    </>
  );
}

/** This symbol's position(s): side, size, entry, mark, uPnL, distance to the stop and to liquidation. */
export function Positions({ store, symbol }: { store: PanelStore; symbol: ReadonlySignal<string | null> }) {
  const list = store.positions.value;
  if (list.length === 0) {
    return (
      <p class="rf-muted rf-nopos" data-testid="rf-panel-no-position">
        {store.noPosition.value}
      </p>
    );
  }
  return (
    <>
      {list.map((p) => (
        <div key={p.id} class={`rf-pos rf-pos--${p.side}`} data-testid="rf-panel-position" data-symbol={symbol.value} data-side={p.side}>
          <div class="rf-pos-head">
            <span class="rf-side" data-testid="rf-panel-pos-head">
              {p.head}
            </span>
            <span class="rf-muted">{p.leverage}</span>
          </div>
          <dl class="rf-grid">
            <dt>Mark</dt>
            <dd data-testid="rf-panel-pos-mark">{p.mark}</dd>
            <dt>uPnL</dt>
            <dd class={`rf-pnl--${p.upnlTone || 'flat'}`} data-testid="rf-panel-pos-upnl">
              {p.upnl}
            </dd>
            <dt>Stop</dt>
            <dd class={`rf-tone-text--${p.stopTone}`} data-testid="rf-panel-pos-stop">
              {p.stop}
            </dd>
            <dt>Liq.</dt>
            <dd class={`rf-tone-text--${p.liqTone}`} data-testid="rf-panel-pos-liq">
              {p.liq}
            </dd>
          </dl>
        </div>
      ))}
    </>
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
