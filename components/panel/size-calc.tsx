import { useComputed, useSignal, type ReadonlySignal } from '@preact/signals';
import type { Venue } from '@/lib/pages/match';
import type { OrderReading } from '@/lib/pages/types';
import type { AccountRisk, GuardAccount } from '@/lib/messaging/risk-view';
import { baseAsset, calculate, prefill, riskCap, type CalcInput } from '@/lib/ui/panel-calc';
import { sameSymbol } from '@/lib/ui/panel-view';

export interface SizeCalcProps {
  venue: Venue;
  symbol: ReadonlySignal<string | null>;
  account: ReadonlySignal<AccountRisk | null>;
  /** The guard's envelope for that account: its loss-at-the-stop limits cap the size. */
  guard: ReadonlySignal<GuardAccount | null>;
  /** Reads the order form now (the page adapter's readOrder); null when there is no form to read. */
  readForm: (() => OrderReading) | null;
}

const FIELDS: [keyof CalcInput, string][] = [
  ['risk', 'Risk $'],
  ['entry', 'Entry'],
  ['stop', 'Stop'],
];

/**
 * Risk $ and a stop give a size. Opening it (or "From form") reads the order form; the result is numbers to type in
 * yourself: Ringfence never fills the form.
 */
export function SizeCalc({ venue, symbol, account, guard, readForm }: SizeCalcProps) {
  const input = useSignal<CalcInput>({ risk: '', entry: '', stop: '' });
  const form = useSignal<{ leverage: number | null; side: OrderReading['side'] }>({ leverage: null, side: null });
  const cap = useComputed(() => riskCap(guard.value));
  const result = useComputed(() => calculate(input.value, form.value.leverage, baseAsset(symbol.value, venue), form.value.side, cap.value));

  const fromForm = () => {
    const a = account.peek();
    let reading: OrderReading | null = null;
    try {
      reading = readForm ? readForm() : null;
    } catch {
      reading = null; // an unreadable form leaves the fields to the user
    }
    const mark = a?.positions.find((p) => sameSymbol(p.symbol, symbol.peek()))?.markPrice ?? null;
    const p = prefill(reading ?? { price: null, stopLoss: null, stopPrice: null, leverage: null, side: null, type: null }, a?.equity ?? null, mark, cap.peek());
    const cur = input.peek();
    // Keep what the user typed where the form has nothing.
    input.value = { risk: cur.risk || p.risk, entry: p.entry || cur.entry, stop: p.stop || cur.stop };
    form.value = { leverage: p.leverage, side: p.side };
  };

  const r = result.value;
  return (
    <details
      class="rf-calc"
      data-testid="rf-panel-calc"
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open) fromForm();
      }}
    >
      <summary>Position size</summary>
      <div class="rf-calc-fields">
        {FIELDS.map(([key, label]) => (
          <label key={key}>
            <span class="rf-label">{label}</span>
            <input
              type="text"
              inputMode="decimal"
              autoComplete="off"
              spellcheck={false}
              data-testid={`rf-calc-${key}`}
              value={input.value[key]}
              onInput={(e) => (input.value = { ...input.peek(), [key]: (e.currentTarget as HTMLInputElement).value })}
            />
          </label>
        ))}
      </div>
      <div class="rf-calc-out" data-testid="rf-calc-result" data-ok={String(r.ok)} aria-live="polite">
        {r.ok ? (
          <>
            <div class="rf-calc-size">
              <span class="rf-label">{r.direction === 'short' ? 'Short' : 'Long'} size</span>
              <b data-testid="rf-calc-size">{r.size}</b>
            </div>
            <div class="rf-muted">
              {r.notional}
              {r.margin ? ` · margin ${r.margin}` : ''}
            </div>
            <div class="rf-muted">Loses {r.loss} at the stop</div>
          </>
        ) : null}
        {r.note ? <div class={r.ok ? 'rf-tone-text--warn' : 'rf-muted'}>{r.note}</div> : null}
      </div>
      <div class="rf-calc-foot">
        <button type="button" class="rf-btn" onClick={fromForm} disabled={!readForm} data-testid="rf-calc-read">
          From form
        </button>
        <span class="rf-muted">Ringfence never fills the order form.</span>
      </div>
    </details>
  );
}
