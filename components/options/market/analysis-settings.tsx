/**
 * "Analysis settings" of the Market view: the thresholds of the regime, the profile and the book, stored by the
 * background (market.settings.*). A refused save shows the background's message and keeps the edits.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { RuntimeLike } from '@/lib/messaging/client';
import { request } from '@/lib/messaging/client';
import { marketSettingsReset, marketSettingsSave, type MarketSettingsView } from '@/lib/messaging/market-settings-requests';
import { DEFAULT_MARKET_SETTINGS, parseMarketSettings, type MarketSettings } from '@/lib/market/settings';
import { analysisIssuesByField, ANALYSIS_FIELDS, ANALYSIS_GROUPS, fromAnalysisForm, toAnalysisForm, type AnalysisForm } from '@/lib/ui/market-settings-form';
import { clockTime } from '@/lib/ui/format';

const idOf = (path: string) => `rf-an-${path.replace(/\./g, '-')}`;

export function AnalysisSettings(props: { runtime: RuntimeLike; view: MarketSettingsView | null; onSaved: (v: MarketSettingsView) => void }) {
  const { view } = props;
  const saved = useMemo(() => (view ? parseMarketSettings(view.value) : null), [view]);
  const savedForm = useMemo(() => (saved ? toAnalysisForm(saved) : null), [saved]);
  const defs = useMemo(() => toAnalysisForm(DEFAULT_MARKET_SETTINGS), []);
  const [form, setForm] = useState<AnalysisForm | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<{ text: string; bad: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (savedForm) setForm(savedForm);
  }, [savedForm]);
  if (!form || !saved || !savedForm) return <p class="rf-muted">Loading analysis settings…</p>;

  const dirty = ANALYSIS_FIELDS.filter((f) => form[f.path] !== savedForm[f.path]).length;
  const answer = (r: Awaited<ReturnType<typeof request<typeof marketSettingsSave>>>, done: (n: number) => string) => {
    if (!r.ok) {
      setErrors(analysisIssuesByField(r.error.issues));
      setMsg({ text: r.error.message, bad: true });
      return;
    }
    setErrors({});
    setMsg({ text: done(r.data.changes.length), bad: false });
    props.onSaved(r.data.view);
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  };
  const save = () =>
    run(async () => {
      const local = fromAnalysisForm(form, saved as MarketSettings);
      if (Object.keys(local.errors).length) {
        setErrors(local.errors);
        return setMsg({ text: 'Nothing was saved: fix the fields marked below.', bad: true });
      }
      answer(await request(props.runtime, marketSettingsSave, { value: local.value }), (n) => (n ? `Saved ${n} change${n === 1 ? '' : 's'}; the analysis uses them now.` : 'No change to save.'));
    });
  const reset = () =>
    run(async () => answer(await request(props.runtime, marketSettingsReset, {}), (n) => (n ? 'Defaults restored.' : 'The defaults are already in use.')));

  return (
    <details class="rf-market-panel rf-analysis" data-testid="rf-analysis-settings">
      <summary>
        Analysis settings <span class="rf-muted">{view?.updatedAt ? `(saved ${clockTime(view.updatedAt)})` : '(defaults)'}</span>
      </summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset disabled={busy} class="rf-analysis-body">
          {ANALYSIS_GROUPS.map((g) => (
            <fieldset key={g.title} class="rf-analysis-group">
              <legend>{g.title}</legend>
              {g.fields.map((f) => {
                const id = idOf(f.path);
                const err = errors[f.path];
                return (
                  <div key={f.path} class={`rf-analysis-field${form[f.path] !== savedForm[f.path] ? ' rf-changed' : ''}`}>
                    <label for={id}>{f.label}</label>
                    <span>
                      <input
                        id={id}
                        class={`rf-cell${f.kind === 'list' || f.kind === 'timeframes' ? ' rf-wide' : ''}${err ? ' rf-invalid' : ''}`}
                        value={form[f.path]}
                        inputMode={f.kind === 'timeframes' ? undefined : 'decimal'}
                        spellcheck={false}
                        aria-invalid={err ? true : undefined}
                        aria-describedby={`${id}-help${err ? ` ${id}-err` : ''}`}
                        data-testid={id}
                        onInput={(e) => setForm({ ...form, [f.path]: e.currentTarget.value })}
                      />{' '}
                      <span class="rf-muted">{f.unit}</span>
                    </span>
                    <span class="rf-muted rf-analysis-help" id={`${id}-help`}>
                      {f.help} Default: {defs[f.path]}.
                    </span>
                    {err ? (
                      <span class="rf-field-error" id={`${id}-err`}>
                        {err}
                      </span>
                    ) : null}
                  </div>
                );
              })}
            </fieldset>
          ))}
          <div class="rf-analysis-actions">
            <button type="submit" disabled={dirty === 0} data-testid="rf-analysis-save">
              Save{dirty ? ` ${dirty} change${dirty === 1 ? '' : 's'}` : ''}
            </button>
            <button type="button" disabled={dirty === 0} onClick={() => (setForm(savedForm), setErrors({}), setMsg(null))} data-testid="rf-analysis-revert">
              Revert
            </button>
            <button type="button" onClick={() => void reset()} data-testid="rf-analysis-reset">
              Reset to defaults
            </button>
            {msg ? (
              <span class={msg.bad ? 'rf-analysis-error' : 'rf-muted'} role={msg.bad ? 'alert' : 'status'} data-testid="rf-analysis-msg">
                {msg.text}
              </span>
            ) : null}
          </div>
        </fieldset>
      </form>
    </details>
  );
}
