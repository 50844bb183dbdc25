import { useState } from 'preact/hooks';
import { AttributionRuleSchema, type AttributionRule } from '@/lib/domain/attribution';
import type { StrategiesFeed, StrategyMode } from '@/lib/ui/strategies-feed';

interface DraftRule {
  strategyId: string;
  prefix: string;
  symbol: string;
}
const toDraft = (r: AttributionRule): DraftRule => ({ strategyId: r.strategyId, prefix: r.clientOrderIdPrefix ?? '', symbol: r.symbol ?? '' });

/** A draft row as a rule, or the first problem with it in words. */
export function parseDraftRule(d: DraftRule): { ok: true; rule: AttributionRule } | { ok: false; message: string } {
  const r = AttributionRuleSchema.safeParse({ strategyId: d.strategyId, clientOrderIdPrefix: d.prefix.trim() || null, symbol: d.symbol.trim() || null });
  if (r.success) return { ok: true, rule: r.data };
  return { ok: false, message: r.error.issues[0]?.message ?? 'Invalid rule.' };
}

/**
 * Attribution rules: which strategy a fill belongs to, by client order id prefix and/or symbol. Order matters (the
 * first match wins); the whole list is saved at once and nothing is saved while a row is invalid.
 */
export function AttributionEditor({ feed }: { feed: StrategiesFeed }) {
  const saved = feed.rules.value;
  const [draft, setDraft] = useState<DraftRule[] | null>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  // The stored list is shown until the user starts editing; then the draft until it is saved or discarded.
  const rows = draft ?? (saved ?? []).map(toDraft);
  const edit = (i: number, k: keyof DraftRule, v: string) => setDraft(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...rows];
    const [r] = next.splice(i, 1);
    next.splice(i + by, 0, r!);
    setDraft(next);
  };
  const problems = rows.map(parseDraftRule);
  const save = async () => {
    const bad = problems.findIndex((p) => !p.ok);
    if (bad >= 0) return setMessage({ error: true, text: `Rule ${bad + 1}: ${(problems[bad] as { message: string }).message} Nothing was saved.` });
    const err = await feed.saveRules(problems.map((p) => (p as { rule: AttributionRule }).rule));
    if (err) return setMessage({ error: true, text: err });
    setDraft(null);
    setMessage({ error: false, text: `Saved ${rows.length} rule${rows.length === 1 ? '' : 's'}.` });
  };
  return (
    <section class="rf-subsection" aria-labelledby="rf-attr-h" data-testid="rf-attribution">
      <h3 id="rf-attr-h">Attribution rules</h3>
      <p class="rf-muted">
        Fills and orders go to the first rule that matches their client order id prefix (Binance clientOrderId,
        Hyperliquid cloid) and symbol; anything else is <code>manual</code>. A position goes to the strategy whose fills
        built it (the larger share when two built it), and a close books to the position's strategy, whoever sends it.
      </p>
      {rows.length === 0 ? <p class="rf-empty">No rules: every trade counts as manual.</p> : null}
      {rows.length > 0 ? (
        <table class="rf-table rf-attr-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Client order id prefix</th>
              <th scope="col">Symbol</th>
              <th scope="col">Strategy id</th>
              <th scope="col">
                <span class="rf-sr">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const p = problems[i]!;
              return (
                <tr key={i} data-testid="rf-attribution-row">
                  <td>{i + 1}</td>
                  <td>
                    <input class="rf-cell" value={r.prefix} placeholder="any" aria-label={`Client order id prefix of rule ${i + 1}`} onInput={(e) => edit(i, 'prefix', e.currentTarget.value)} />
                  </td>
                  <td>
                    <input class="rf-cell" value={r.symbol} placeholder="any" aria-label={`Symbol of rule ${i + 1}`} onInput={(e) => edit(i, 'symbol', e.currentTarget.value)} />
                  </td>
                  <td>
                    <input
                      class={p.ok ? 'rf-cell' : 'rf-cell rf-invalid'}
                      value={r.strategyId}
                      aria-label={`Strategy id of rule ${i + 1}`}
                      aria-invalid={p.ok ? undefined : true}
                      onInput={(e) => edit(i, 'strategyId', e.currentTarget.value)}
                    />
                    {!p.ok && draft ? (
                      <div class="rf-field-error" role="alert">
                        {p.message}
                      </div>
                    ) : null}
                  </td>
                  <td class="rf-row-actions">
                    <button type="button" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move rule ${i + 1} up`}>
                      ↑
                    </button>
                    <button type="button" disabled={i === rows.length - 1} onClick={() => move(i, 1)} aria-label={`Move rule ${i + 1} down`}>
                      ↓
                    </button>
                    <button type="button" onClick={() => setDraft(rows.filter((_, j) => j !== i))} aria-label={`Remove rule ${i + 1}`}>
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <div class="rf-actions">
        <button type="button" onClick={() => setDraft([...rows, { strategyId: '', prefix: '', symbol: '' }])}>
          Add rule
        </button>
        <button type="button" disabled={draft === null} onClick={() => void save()}>
          Save rules
        </button>
        {draft !== null ? (
          <button type="button" onClick={() => (setDraft(null), setMessage(null))}>
            Discard changes
          </button>
        ) : null}
        {message ? (
          <span class={message.error ? 'rf-field-error' : 'rf-muted'} role={message.error ? 'alert' : 'status'}>
            {message.text}
          </span>
        ) : null}
      </div>
    </section>
  );
}

const MODE_TEXT: Record<StrategyMode, string> = {
  monitor: 'monitor (alerts only)',
  guard: 'guard (pages block)',
  enforce: 'enforce (closes through the API)',
};

/** Per-strategy enforcement: overrides the account's mode for that strategy's positions and orders. */
export function StrategyModes({ feed }: { feed: StrategiesFeed }) {
  const ids = (feed.rows.value ?? []).map((r) => r.strategyId);
  const modes = feed.modes.value;
  const [pick, setPick] = useState({ id: '', mode: 'monitor' as StrategyMode | 'account' });
  const [err, setErr] = useState<string | null>(null);
  const apply = async (id: string, mode: StrategyMode | null) => setErr(await feed.setMode([id], mode));
  const overridden = Object.keys(modes).sort();
  return (
    <section class="rf-subsection" aria-labelledby="rf-modes-h" data-testid="rf-strategy-modes">
      <h3 id="rf-modes-h">Enforcement per strategy</h3>
      <p class="rf-muted">By default a strategy follows its account's mode. An override applies to that strategy on every account.</p>
      {overridden.length === 0 ? (
        <p class="rf-empty">No overrides.</p>
      ) : (
        <ul class="rf-list">
          {overridden.map((id) => (
            <li key={id} data-testid="rf-strategy-mode" data-strategy={id}>
              <span>
                <strong>{id}</strong>: {MODE_TEXT[modes[id]!]}
              </span>
              <button type="button" onClick={() => void apply(id, null)} aria-label={`Remove the override of ${id}`}>
                Use the account's mode
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="rf-add"
        aria-label="Set a strategy's mode"
        onSubmit={(e) => {
          e.preventDefault();
          if (!pick.id) return setErr('Choose a strategy.');
          void apply(pick.id, pick.mode === 'account' ? null : pick.mode);
        }}
      >
        <label>
          Strategy{' '}
          <select aria-label="Strategy" value={pick.id} onChange={(e) => setPick({ ...pick, id: e.currentTarget.value })}>
            <option value="">Choose…</option>
            {ids.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Mode{' '}
          <select aria-label="Mode" value={pick.mode} onChange={(e) => setPick({ ...pick, mode: e.currentTarget.value as StrategyMode | 'account' })}>
            <option value="account">the account's mode</option>
            {(Object.keys(MODE_TEXT) as StrategyMode[]).map((m) => (
              <option key={m} value={m}>
                {MODE_TEXT[m]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Set mode</button>
        {err ? (
          <span class="rf-field-error" role="alert">
            {err}
          </span>
        ) : null}
      </form>
    </section>
  );
}
