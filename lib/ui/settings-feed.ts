import { onRevision } from './on-revision';
import { signal } from '@preact/signals';
import { request, type RuntimeLike } from '../messaging/client';
import type { Result } from '../messaging/protocol';
import {
  settingsExport,
  settingsGet,
  settingsHistory,
  settingsImport,
  settingsLock,
  settingsSave,
  type SettingsView,
} from '../messaging/settings-requests';

type History = Extract<Awaited<ReturnType<typeof request<typeof settingsHistory>>>, { ok: true }>['data'];
export interface Outcome {
  message: string | null;
  issues: string[];
}
const outcome = (r: Result<unknown>): Outcome => (r.ok ? { message: null, issues: [] } : { message: r.error.message, issues: r.error.issues ?? [] });

/** The Limits section's data: settings in force, lock, history; re-read when the pushed revision moves. */
export function createSettingsFeed(runtime: RuntimeLike) {
  const view = signal<SettingsView | null>(null);
  const history = signal<History>([]);
  const refresh = async () => {
    const [v, h] = await Promise.all([request(runtime, settingsGet, {}), request(runtime, settingsHistory, { limit: 20 })]);
    // The same settings keep the same object: the form re-reads the saved values only when they changed.
    if (v.ok && JSON.stringify(v.data) !== JSON.stringify(view.peek())) view.value = v.data;
    if (h.ok) history.value = h.data;
  };
  const after = async (p: Promise<Result<unknown>>) => {
    const r = await p;
    await refresh();
    return outcome(r);
  };
  return {
    view,
    history,
    refresh,
    onRev: onRevision(refresh),
    save: (value: unknown) => after(request(runtime, settingsSave, { value })),
    lock: (until: number) => after(request(runtime, settingsLock, { until })),
    importText: (text: string) => after(request(runtime, settingsImport, { text })),
    exportFile: () => request(runtime, settingsExport, {}),
  };
}
export type SettingsFeed = ReturnType<typeof createSettingsFeed>;

/**
 * The form after the saved settings changed from `prev` to `next` (a save, a lock, an import, another tab): the
 * fields the user edited keep the edit, the others show the new saved value. A refused save must not wipe the edits.
 */
export function keepEdits<F extends Record<string, unknown>>(form: F | null, prev: F | null, next: F): F {
  if (!form || !prev) return next;
  const out: Record<string, unknown> = { ...next };
  for (const k of Object.keys(next)) if (k in form && JSON.stringify(form[k]) !== JSON.stringify(prev[k])) out[k] = form[k];
  return out as F;
}
