import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { checkName } from '@/lib/risk/format';
import { SETTING_FIELDS, SETTING_GROUPS } from '@/lib/risk/settings-fields';
import { SETTING_HELP } from '@/lib/risk/settings-help';
import { RULE_IDS } from '@/lib/risk/types';
import { clockTime } from '@/lib/ui/format';
import { formatValue, fromForm, issuesByField, toForm, type FormValue, type SettingsForm } from '@/lib/ui/settings-form';
import { keepEdits, type SettingsFeed } from '@/lib/ui/settings-feed';
import { downloadFile } from '../common/download';

const UNIT_TEXT: Record<string, string> = { '%': '%', $: 'USD', min: 'min', s: 's', '×': '×', '': '' };
const idOf = (path: string) => `rf-set-${path.replace(/\./g, '-')}`;
const defaultText = (path: string, v: FormValue) =>
  Array.isArray(v) ? (v.length ? v.join(', ') : 'none') : v === '' ? (SETTING_FIELDS[path]?.nullable ? 'no limit' : 'none') : String(v);

function Field(props: { path: string; value: FormValue; def: FormValue; saved: FormValue; error?: string; onChange: (v: FormValue) => void }) {
  const { path, value, def, saved, error } = props;
  const meta = SETTING_FIELDS[path]!;
  const id = idOf(path);
  const changed = JSON.stringify(value) !== JSON.stringify(saved);
  let input;
  if (path === 'rules.disabled') {
    const list = value as string[];
    input = (
      <div class="rf-rules" id={id} role="group" aria-label={meta.label}>
        {RULE_IDS.map((r) => (
          <label key={r}>
            <input
              type="checkbox"
              checked={list.includes(r)}
              onChange={(e) => props.onChange(e.currentTarget.checked ? [...list, r] : list.filter((x) => x !== r))}
            />
            {checkName(r)}
          </label>
        ))}
      </div>
    );
  } else if (typeof def === 'boolean') {
    input = <input id={id} type="checkbox" checked={value === true} onChange={(e) => props.onChange(e.currentTarget.checked)} />;
  } else if (meta.options) {
    input = (
      <select id={id} value={value as string} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {meta.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else {
    const wide = path === 'account.correlationGroups' || path === 'behaviour.consecutiveLosses.schedule' || path === 'account.dayStart.timeZone';
    input = (
      <input
        id={id}
        class={`rf-cell${wide ? ' rf-wide' : ''}${error ? ' rf-invalid' : ''}`}
        value={value as string}
        inputMode={wide ? undefined : 'decimal'}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-help`}
        onInput={(e) => props.onChange(e.currentTarget.value)}
      />
    );
  }
  return (
    <div class={`rf-setting${changed ? ' rf-changed' : ''}`} data-path={path}>
      <label for={id} class="rf-setting-label">
        {meta.label}
      </label>
      <div class="rf-setting-input">
        {input} <span class="rf-muted">{UNIT_TEXT[meta.unit]}</span>
      </div>
      <div class="rf-setting-help rf-muted" id={`${id}-help`}>
        {SETTING_HELP[path]} Default: {defaultText(path, def)}.
      </div>
      {error ? (
        <div class="rf-field-error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}

export function LimitsSection({ feed, rev, defaults }: { feed: SettingsFeed; rev: number; defaults: unknown }) {
  useEffect(() => feed.onRev(rev), [feed, rev]);
  const view = feed.view.value;
  const saved = useMemo(() => (view ? toForm(view.value) : null), [view]);
  const defs = useMemo(() => toForm(defaults), [defaults]);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<string | null>(null);
  const [lockAt, setLockAt] = useState('');
  // New saved values (after a save, a lock, an import) keep the user's unsaved edits: a refused save loses nothing.
  const prevSaved = useRef<SettingsForm | null>(null);
  useEffect(() => {
    if (!saved) return;
    const prev = prevSaved.current;
    prevSaved.current = saved;
    setForm((f) => keepEdits(f, prev, saved));
  }, [saved]);
  if (!view || !form || !saved) return <p class="rf-empty">Loading limits…</p>;

  const dirty = Object.keys(form).filter((p) => JSON.stringify(form[p]) !== JSON.stringify(saved[p]));
  const save = async () => {
    const local = fromForm(form, defaults);
    if (Object.keys(local.errors).length) {
      setErrors(local.errors);
      return setMsg('Nothing was saved: fix the fields marked below.');
    }
    const res = await feed.save(local.value);
    const byField = issuesByField(res.issues);
    setErrors(byField);
    setMsg(res.message ? [res.message, byField[''] ?? ''].join(' ').trim() : `Saved ${dirty.length} change${dirty.length === 1 ? '' : 's'}.`);
  };
  const lock = async () => {
    const until = new Date(lockAt).getTime();
    if (!Number.isFinite(until)) return setMsg('Pick the date and time the lock should end.');
    const res = await feed.lock(until);
    setMsg(res.message ?? `Locked until ${new Date(until).toLocaleString()}.`);
  };
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    const res = await feed.importText(await file.text());
    setErrors(issuesByField(res.issues));
    setMsg(res.message ? [res.message, ...res.issues].join(' ') : `Imported ${file.name}.`);
  };

  return (
    <section aria-labelledby="rf-limits-h" data-testid="rf-limits">
      <h2 id="rf-limits-h">Limits</h2>
      <div class="rf-add">
        <span class="rf-muted" data-testid="rf-limits-status">
          {view.updatedAt ? `Saved settings in force (last change ${clockTime(view.updatedAt)}).` : 'Defaults in force.'}{' '}
          {view.lockUntil ? `Locked against loosening until ${new Date(view.lockUntil).toLocaleString()}; tightening is allowed.` : 'Not locked.'}
        </span>
      </div>
      <div class="rf-add">
        <button type="button" onClick={() => void save()} disabled={dirty.length === 0} data-testid="rf-limits-save">
          Save {dirty.length ? `${dirty.length} change${dirty.length === 1 ? '' : 's'}` : ''}
        </button>
        <button type="button" onClick={() => (setForm(saved), setErrors({}), setMsg(null))} disabled={dirty.length === 0}>
          Revert
        </button>
        <label>
          Lock against loosening until <input type="datetime-local" value={lockAt} onInput={(e) => setLockAt(e.currentTarget.value)} />
        </label>
        <button type="button" onClick={() => void lock()}>
          Lock
        </button>
        <button type="button" onClick={() => void feed.exportFile().then((r) => (r.ok ? downloadFile(r.data) : setMsg(r.error.message)))}>
          Export settings
        </button>
        <label class="rf-file">
          Import settings <input type="file" accept="application/json,.json" onChange={(e) => void importFile(e.currentTarget.files?.[0])} />
        </label>
      </div>
      {msg ? (
        <p class="rf-muted" role="status" data-testid="rf-limits-msg">
          {msg}
        </p>
      ) : null}
      {SETTING_GROUPS.map((g) => (
        <fieldset key={g.prefix} class="rf-group">
          <legend>{g.title}</legend>
          {Object.keys(SETTING_FIELDS)
            .filter((p) => p.startsWith(`${g.prefix}.`))
            .map((p) => (
              <Field
                key={p}
                path={p}
                value={form[p]!}
                def={defs[p] ?? formatValue(p, undefined)}
                saved={saved[p]!}
                {...(errors[p] ? { error: errors[p] } : {})}
                onChange={(v) => setForm({ ...form, [p]: v })}
              />
            ))}
        </fieldset>
      ))}
      <h2>History of changes</h2>
      {feed.history.value.length === 0 ? (
        <p class="rf-empty">No change yet.</p>
      ) : (
        <ol class="rf-list" data-testid="rf-limits-history">
          {feed.history.value.map((h) => (
            <li key={h.ts}>
              <span class="rf-muted">
                {new Date(h.ts).toLocaleString()} · {h.source}
              </span>
              <span>
                {h.changes.map((c) => `${SETTING_FIELDS[c.path]?.label ?? c.path}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`).join('; ')}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
