import { memo } from 'preact/compat';
import { useCallback, useMemo, useRef, useState } from 'preact/hooks';
import type { Strategy } from '@/lib/domain/types';
import { MAX_STRATEGY_IDS } from '@/lib/messaging/strategy-requests';
import {
  FIELD_LABEL,
  inParts,
  strategyStatus,
  validateDraft,
  type EditableField,
  type StrategyDraft,
  type StrategyPatch,
} from '@/lib/ui/strategy-edit';

/** Each handler resolves to an error message, or null when the background accepted it. */
export interface StrategiesTableProps {
  rows: Strategy[];
  onSave(id: string, patch: StrategyPatch): Promise<string | null>;
  onSetEnabled(ids: string[], enabled: boolean): Promise<string | null>;
  onResetKill(id: string): Promise<string | null>;
  onBulk(ids: string[], patch: StrategyPatch): Promise<string | null>;
}

type Errors = Partial<Record<EditableField | 'row', string>>;

/** Row height the window is computed with (matches .rf-table td + input in options.css). */
export const ROW_HEIGHT = 40;
/** Rows rendered above and below the visible ones, so fast scrolling and Tab never meet a gap. */
const OVERSCAN = 12;
const INITIAL_ROWS = 40;
const usd = (n: number) => `${n < 0 ? '-' : ''}$${Math.abs(n).toFixed(2)}`;
const shown = (row: Strategy, f: EditableField) => (f === 'symbol' ? (row.symbol ?? '') : String(row[f]));

interface RowProps {
  row: Strategy;
  /** Position in the whole table (for assistive technology: only a window of rows is in the DOM). */
  index: number;
  draft: StrategyDraft | undefined;
  errors: Errors | undefined;
  selected: boolean;
  confirming: boolean;
  busy: boolean;
  act: RowActions;
}
interface RowActions {
  edit(id: string, field: EditableField, text: string): void;
  save(id: string): void;
  toggle(id: string, enabled: boolean): void;
  select(id: string, on: boolean): void;
  askReset(id: string | null): void;
  reset(id: string): void;
}

const Row = memo(function Row({ row, index, draft, errors, selected, confirming, busy, act }: RowProps) {
  const id = row.strategyId;
  const status = strategyStatus(row);
  const dirty = draft !== undefined && Object.keys(draft).length > 0;
  const cell = (f: EditableField) => (
    <td key={f}>
      <input
        class={errors?.[f] ? 'rf-cell rf-invalid' : 'rf-cell'}
        value={draft?.[f] ?? shown(row, f)}
        aria-label={`${FIELD_LABEL[f]} of ${id}`}
        aria-invalid={errors?.[f] ? true : undefined}
        placeholder={f === 'symbol' ? 'any' : undefined}
        inputMode={f === 'symbol' ? undefined : 'decimal'}
        onInput={(e) => act.edit(id, f, e.currentTarget.value)}
        onKeyDown={(e) => e.key === 'Enter' && act.save(id)}
      />
      {errors?.[f] ? (
        <div class="rf-field-error" role="alert">
          {errors[f]}
        </div>
      ) : null}
    </td>
  );
  return (
    <tr data-testid="rf-strategy-row" data-strategy={id} aria-selected={selected} aria-rowindex={index + 2}>
      <td>
        <input type="checkbox" checked={selected} aria-label={`Select ${id}`} onChange={(e) => act.select(id, e.currentTarget.checked)} />
      </td>
      <td>{row.source}</td>
      <td class="rf-strong">{id}</td>
      {cell('symbol')}
      <td>
        <button
          type="button"
          role="switch"
          class="rf-switch"
          aria-checked={row.enabled}
          aria-label={`${row.enabled ? 'Disable' : 'Enable'} ${id}`}
          disabled={busy}
          onClick={() => act.toggle(id, !row.enabled)}
        >
          {row.enabled ? 'On' : 'Off'}
        </button>
      </td>
      {cell('riskPerTradePct')}
      {cell('stopLossUsd')}
      {cell('maxDrawdownUsd')}
      <td>
        <span class={`rf-status rf-status--${status.toLowerCase()}`} data-testid="rf-strategy-status">
          {status}
        </span>
      </td>
      <td class={`rf-num ${row.totalPnl < 0 ? 'rf-neg' : row.totalPnl > 0 ? 'rf-pos' : ''}`}>{usd(row.totalPnl)}</td>
      <td class="rf-num">{row.score.toFixed(0)}</td>
      <td class="rf-actions">
        <button type="button" disabled={!dirty || busy} onClick={() => act.save(id)}>
          Save
        </button>
        {row.killed ? (
          confirming ? (
            <span class="rf-confirm" role="group" aria-label={`Confirm reset of ${id}`}>
              Reset the kill switch and total PnL of {id}?
              <button type="button" class="rf-danger" disabled={busy} onClick={() => act.reset(id)}>
                Confirm reset
              </button>
              <button type="button" onClick={() => act.askReset(null)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" onClick={() => act.askReset(id)}>
              Reset kill switch
            </button>
          )
        ) : null}
        {errors?.row ? (
          <div class="rf-field-error" role="alert">
            {errors.row}
          </div>
        ) : null}
      </td>
    </tr>
  );
});

export function StrategiesTable(props: StrategiesTableProps) {
  const [drafts, setDrafts] = useState<Record<string, StrategyDraft>>({});
  const [errors, setErrors] = useState<Record<string, Errors>>({});
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [bulk, setBulk] = useState<StrategyDraft>({});
  const [bulkError, setBulkError] = useState<string | null>(null);

  const byId = useMemo(() => new Map(props.rows.map((r) => [r.strategyId, r])), [props.rows]);
  // Row actions are created once (so memoised rows do not re-render) and read the latest values through refs.
  const propsRef = useRef(props);
  propsRef.current = props;
  const draftsRef = useRef(drafts);
  draftsRef.current = drafts;
  const byIdRef = useRef(byId);
  byIdRef.current = byId;

  const setRowErrors = (id: string, e: Errors | null) =>
    setErrors((all) => {
      const next = { ...all };
      if (e) next[id] = e;
      else delete next[id];
      return next;
    });
  const withBusy = async (ids: string[], fn: () => Promise<void>) => {
    setBusy((b) => new Set([...b, ...ids]));
    try {
      await fn();
    } finally {
      const done = new Set(ids);
      setBusy((b) => new Set([...b].filter((x) => !done.has(x))));
    }
  };

  const act: RowActions = useMemo(
    () => ({
      edit(id, field, text) {
        setDrafts((d) => ({ ...d, [id]: { ...d[id], [field]: text } }));
      },
      save(id) {
        const row = byIdRef.current.get(id);
        const draft = draftsRef.current[id];
        if (!row || !draft) return;
        const res = validateDraft(draft, row);
        if (!res.ok) return setRowErrors(id, res.errors);
        void withBusy([id], async () => {
          const err = await propsRef.current.onSave(id, res.patch);
          if (err) return setRowErrors(id, { row: err });
          setRowErrors(id, null);
          setDrafts((d) => {
            const { [id]: _saved, ...rest } = d;
            return rest;
          });
        });
      },
      toggle(id, enabled) {
        void withBusy([id], async () => {
          const err = await propsRef.current.onSetEnabled([id], enabled);
          setRowErrors(id, err ? { row: err } : null);
        });
      },
      select(id, on) {
        setSelected((s) => {
          const next = new Set(s);
          if (on) next.add(id);
          else next.delete(id);
          return next;
        });
      },
      askReset: (id) => setConfirming(id),
      reset(id) {
        void withBusy([id], async () => {
          const err = await propsRef.current.onResetKill(id);
          setRowErrors(id, err ? { row: err } : null);
          setConfirming(null);
        });
      },
    }),
    [],
  );

  const selectedIds = props.rows.filter((r) => selected.has(r.strategyId)).map((r) => r.strategyId);
  const applyBulk = useCallback(async () => {
    // One update is all-or-nothing, so it is never split: a larger selection is refused before anything is sent.
    if (selectedIds.length > MAX_STRATEGY_IDS) {
      return setBulkError(`Select at most ${MAX_STRATEGY_IDS.toLocaleString('en-US')} strategies for one update (${selectedIds.length.toLocaleString('en-US')} selected).`);
    }
    const edited = Object.fromEntries(Object.entries(bulk).filter(([, v]) => v !== undefined && v.trim() !== '')) as StrategyDraft;
    if (Object.keys(edited).length === 0) return setBulkError('Enter at least one value to apply.');
    // Every selected row must accept the values, or none is changed.
    for (const id of selectedIds) {
      const res = validateDraft(edited, byId.get(id)!);
      if (!res.ok) return setBulkError(`${id}: ${Object.values(res.errors)[0]}`);
    }
    const res = validateDraft(edited, byId.get(selectedIds[0]!)!);
    if (!res.ok) return;
    setBulkError(null);
    await withBusy(selectedIds, async () => {
      const err = await props.onBulk(selectedIds, res.patch);
      if (err) setBulkError(err);
      else setBulk({});
    });
  }, [bulk, selectedIds, byId, props]);
  // Enable and disable go in parts (each part whole); the rows stay locked until every part has answered.
  const setAllEnabled = useCallback(
    async (enabled: boolean) => {
      setBulkError(null);
      await withBusy(selectedIds, async () => setBulkError(await inParts(selectedIds, MAX_STRATEGY_IDS, (part) => props.onSetEnabled(part, enabled))));
    },
    [selectedIds, props],
  );
  const bulkRunning = selectedIds.some((id) => busy.has(id));

  const allSelected = props.rows.length > 0 && selectedIds.length === props.rows.length;

  // Windowing: a desk can have thousands of strategies; only the rows in view (plus overscan) are in the DOM.
  // Selection, drafts and errors live in state above, so bulk actions still cover every row.
  const [win, setWin] = useState({ start: 0, end: INITIAL_ROWS });
  const onScroll = (e: { currentTarget: HTMLElement }) => {
    const el = e.currentTarget;
    const start = Math.max(0, Math.floor(el.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const end = Math.ceil((el.scrollTop + el.clientHeight) / ROW_HEIGHT) + OVERSCAN;
    if (start !== win.start || end !== win.end) setWin({ start, end });
  };
  const total = props.rows.length;
  const start = Math.min(win.start, Math.max(0, total - 1));
  const end = Math.min(total, Math.max(win.end, start + INITIAL_ROWS));
  return (
    <div class="rf-strategies">
      <div class="rf-bulk" role="group" aria-label="Bulk update" data-testid="rf-bulk">
        <span class="rf-muted">{selectedIds.length} selected</span>
        <button type="button" disabled={selectedIds.length === 0 || bulkRunning} onClick={() => void setAllEnabled(true)}>
          Enable
        </button>
        <button type="button" disabled={selectedIds.length === 0 || bulkRunning} onClick={() => void setAllEnabled(false)}>
          Disable
        </button>
        {(['riskPerTradePct', 'stopLossUsd', 'maxDrawdownUsd'] as const).map((f) => (
          <label key={f}>
            {FIELD_LABEL[f]}
            <input
              class="rf-cell"
              inputMode="decimal"
              value={bulk[f] ?? ''}
              onInput={(e) => setBulk((b) => ({ ...b, [f]: e.currentTarget.value }))}
            />
          </label>
        ))}
        <button type="button" disabled={selectedIds.length === 0 || bulkRunning} onClick={() => void applyBulk()}>
          Apply to selected
        </button>
        {bulkError ? (
          <span class="rf-field-error" role="alert" data-testid="rf-bulk-error">
            {bulkError}
          </span>
        ) : null}
      </div>
      <div class="rf-scroll" onScroll={onScroll}>
      <table class="rf-table rf-table--fixed" data-testid="rf-strategies" aria-rowcount={total + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th>
              <input
                type="checkbox"
                aria-label="Select all"
                checked={allSelected}
                onChange={(e) => setSelected(e.currentTarget.checked ? new Set(props.rows.map((r) => r.strategyId)) : new Set())}
              />
            </th>
            <th>Source</th>
            <th>Strategy</th>
            <th>Symbol</th>
            <th>Enabled</th>
            <th>Risk / trade %</th>
            <th>Stop loss $</th>
            <th>Max drawdown $</th>
            <th>Status</th>
            <th>Total PnL</th>
            <th>Score</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {start > 0 ? <tr aria-hidden="true" style={{ height: `${start * ROW_HEIGHT}px` }} /> : null}
          {props.rows.slice(start, end).map((r, i) => (
            <Row
              key={r.strategyId}
              row={r}
              index={start + i}
              draft={drafts[r.strategyId]}
              errors={errors[r.strategyId]}
              selected={selected.has(r.strategyId)}
              confirming={confirming === r.strategyId}
              busy={busy.has(r.strategyId)}
              act={act}
            />
          ))}
          {end < total ? <tr aria-hidden="true" style={{ height: `${(total - end) * ROW_HEIGHT}px` }} /> : null}
        </tbody>
      </table>
      </div>
      {props.rows.length === 0 ? (
        <p class="rf-empty">No strategies yet. Fills are attributed to strategies by client order id prefix; manual trades go to "manual".</p>
      ) : null}
    </div>
  );
}
