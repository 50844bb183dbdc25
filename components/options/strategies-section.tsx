import { useEffect, useState } from 'preact/hooks';
import type { StrategiesFeed } from '@/lib/ui/strategies-feed';
import { validateDraft } from '@/lib/ui/strategy-edit';
import { AttributionEditor, StrategyModes } from './attribution-editor';
import { StrategiesTable } from './strategies-table';
import { useSubmitLock } from './use-submit-lock';

function AddStrategy({ feed }: { feed: StrategiesFeed }) {
  const [f, setF] = useState({ source: 'manual', strategyId: '', symbol: '', risk: '1', stop: '5', dd: '50' });
  const [err, setErr] = useState<string | null>(null);
  const lock = useSubmitLock();
  // From the latest fields, not this render's: two inputs before a re-render must not undo each other.
  const set = (k: keyof typeof f) => (e: { currentTarget: HTMLInputElement }) => {
    const value = e.currentTarget.value;
    setF((prev) => ({ ...prev, [k]: value }));
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (lock.busy) return;
    // The table's own checks (notation, ranges, stop above drawdown): every value is given, so the row is not read.
    const checked = validateDraft({ riskPerTradePct: f.risk, stopLossUsd: f.stop, maxDrawdownUsd: f.dd }, { symbol: null, riskPerTradePct: 1, stopLossUsd: 1, maxDrawdownUsd: 1 });
    if (!checked.ok) return setErr(Object.values(checked.errors)[0]!);
    await lock.run(async () => {
      const res = await feed.create({
        source: f.source.trim(),
        strategyId: f.strategyId.trim(),
        symbol: f.symbol.trim() || null,
        ...checked.patch,
      });
      setErr(res);
      if (!res) setF((prev) => ({ ...prev, strategyId: '', symbol: '' }));
    });
  };
  return (
    <form class="rf-add" onSubmit={(e) => void submit(e)} aria-label="Add a strategy" data-testid="rf-add-strategy" aria-busy={lock.busy}>
      <fieldset class="rf-contents" disabled={lock.busy}>
        <label>
          Source <input class="rf-cell" value={f.source} onInput={set('source')} required />
        </label>
        <label>
          Strategy id <input ref={lock.first} class="rf-cell" value={f.strategyId} onInput={set('strategyId')} required />
        </label>
        <label>
          Symbol <input class="rf-cell" value={f.symbol} onInput={set('symbol')} placeholder="any" />
        </label>
        <label>
          Risk % <input class="rf-cell" value={f.risk} onInput={set('risk')} inputMode="decimal" />
        </label>
        <label>
          Stop $ <input class="rf-cell" value={f.stop} onInput={set('stop')} inputMode="decimal" />
        </label>
        <label>
          Max DD $ <input class="rf-cell" value={f.dd} onInput={set('dd')} inputMode="decimal" />
        </label>
        <button type="submit">{lock.busy ? 'Adding…' : 'Add strategy'}</button>
      </fieldset>
      {err ? (
        <span class="rf-field-error" role="alert">
          {err}
        </span>
      ) : null}
    </form>
  );
}

export function StrategiesSection({ feed, rev }: { feed: StrategiesFeed; rev: number }) {
  useEffect(() => feed.onRev(rev), [feed, rev]);
  const rows = feed.rows.value;
  return (
    <section aria-labelledby="rf-strategies-h">
      <h2 id="rf-strategies-h">Strategies</h2>
      <p class="rf-muted">
        Risk per trade is margin as % of equity. A strategy whose PnL (realized and open) falls its max drawdown below
        its peak is killed: its orders are blocked and its positions closed until you reset it. A disabled strategy, or
        one trading outside its symbol, has those orders blocked and cancelled (enforce mode); its positions are kept.
      </p>
      <AddStrategy feed={feed} />
      {feed.error.value ? <p class="rf-error">{feed.error.value}</p> : null}
      {rows ? (
        <StrategiesTable
          rows={rows}
          onSave={(id, patch) => feed.update([id], patch)}
          onSetEnabled={(ids, enabled) => feed.setEnabled(ids, enabled)}
          onResetKill={(id) => feed.resetKill(id)}
          onBulk={(ids, patch) => feed.update(ids, patch)}
        />
      ) : (
        <p class="rf-empty">Loading strategies…</p>
      )}
      <AttributionEditor feed={feed} />
      <StrategyModes feed={feed} />
    </section>
  );
}
