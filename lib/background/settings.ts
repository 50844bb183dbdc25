/**
 * Risk settings in the background: every save is validated whole (nothing is partly applied), recorded with its
 * changes, and refused while a lock forbids loosening. Export and import use a versioned file (docs/settings.md).
 */
import { z } from 'zod';
import { parseRiskSettings, RiskSettingsError, type RiskSettings } from '../risk/settings';
import { loosens, SETTING_FIELDS } from '../risk/settings-fields';
import type { SettingsView } from '../messaging/settings-requests';
import { RequestError } from '../messaging/router';
import type { RingfenceDb } from '../store/db';
import { diffValues, saveSettings, settingsHistory } from '../store/settings';
import type { AuditFn } from './audit-fn';

export const SETTINGS_KEY = 'risk';
const LOCK_KEY = 'settings.lock';
export const SETTINGS_FILE_FORMAT = 'ringfence.settings';
export const SETTINGS_FILE_VERSION = 1;
/** A lock longer than this is more likely a typo than a plan. */
export const MAX_LOCK_MS = 30 * 24 * 3_600_000;

/** The file around the settings: these keys and no other; the settings themselves are checked by their schema. */
const SettingsFileSchema = z
  .object({
    format: z.literal(SETTINGS_FILE_FORMAT),
    version: z.literal(SETTINGS_FILE_VERSION),
    exportedAt: z.string().optional(),
    settings: z.record(z.string(), z.unknown()),
  })
  .strict();

/** What is wrong with a file's envelope, every problem named: 'no "settings" object; unknown key "setings"'. */
function envelopeProblems(doc: object, issues: z.core.$ZodIssue[]): string {
  return issues
    .map((i) => {
      if (i.code === 'unrecognized_keys') return `unknown ${i.keys.length === 1 ? 'key' : 'keys'} ${i.keys.map((k) => JSON.stringify(k)).join(', ')}`;
      if (i.path[0] === 'settings') return 'settings' in doc ? '"settings" is not an object' : 'no "settings" object';
      if (i.path[0] === 'exportedAt') return '"exportedAt" is not a text';
      return `${i.path.join('.')}: ${i.message}`;
    })
    .join('; ');
}

const utc = (t: number) => `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const shown = (v: unknown) => (v == null ? 'no limit' : JSON.stringify(v));

/** The end of the lock against loosening, or null when none runs. */
export async function lockEnd(db: RingfenceDb, now: () => number): Promise<number | null> {
  const row = await db.meta.get(LOCK_KEY);
  const until = typeof row?.value === 'number' ? row.value : null;
  return until !== null && until > now() ? until : null;
}

/** What a refused change would loosen: "<what> cannot be loosened (<from> -> <to>)", values as in the audit. */
export interface Loosening {
  what: string;
  from: unknown;
  to: unknown;
}

/** The one refusal of the lock, for the settings, the strategy table and the accounts alike. */
export const lockRefusal = (until: number, l: Loosening) =>
  new RequestError('forbidden', `Settings are locked until ${utc(until)}: ${l.what} cannot be loosened (${shown(l.from)} -> ${shown(l.to)}). Tightening is allowed.`);

/**
 * The lock covers every path to a limit, not only this form: the strategy table and the accounts ask here before a
 * change. `find` names the first loosening, and is only asked while the lock runs.
 */
export async function refuseWhileLocked(db: RingfenceDb, now: () => number, find: () => Promise<Loosening | undefined> | Loosening | undefined) {
  const until = await lockEnd(db, now);
  const l = until === null ? undefined : await find();
  if (l) throw lockRefusal(until!, l);
}

export function settingsHandlers({ db, now, audit, changed }: { db: RingfenceDb; now: () => number; audit: AuditFn; changed: (s: RiskSettings) => void }) {
  const current = async (): Promise<{ value: RiskSettings; updatedAt: number | null }> => {
    const row = await db.settings.get(SETTINGS_KEY);
    if (!row) return { value: parseRiskSettings({}), updatedAt: null };
    try {
      return { value: parseRiskSettings(row.value), updatedAt: row.updatedAt };
    } catch {
      // A stored value a newer schema refuses: keep running on defaults, loudly, rather than not at all.
      await audit('settings.unreadable', 'critical', 'The stored risk settings could not be read; the defaults are in force until you save.');
      return { value: parseRiskSettings({}), updatedAt: null };
    }
  };
  const lockUntil = () => lockEnd(db, now);
  const view = async (): Promise<SettingsView> => {
    const c = await current();
    return { value: c.value as unknown as Record<string, unknown>, updatedAt: c.updatedAt, lockUntil: await lockUntil() };
  };

  const apply = async (input: unknown, source: string) => {
    let next: RiskSettings;
    try {
      next = parseRiskSettings(input);
    } catch (e) {
      if (e instanceof RiskSettingsError) {
        const n = e.problems.length;
        throw new RequestError('invalid_data', `The settings were not saved: ${n === 1 ? 'a value is' : `${n} values are`} invalid.`, e.problems);
      }
      throw e;
    }
    const before = (await current()).value;
    await refuseWhileLocked(db, now, () => {
      const c = diffValues(before, next).find((c) => loosens(c.path, c.from, c.to));
      return c && { what: SETTING_FIELDS[c.path]?.label ?? c.path, from: c.from, to: c.to };
    });
    const changes = await saveSettings(db, SETTINGS_KEY, next, now(), source, before);
    if (changes.length > 0) {
      const list = changes.map((c) => `${c.path} ${shown(c.from)} -> ${shown(c.to)}`).join(', ');
      await audit('settings.changed', 'notice', `Risk settings changed (${source}): ${list}.`, { changes });
      changed(next);
    }
    return { view: await view(), changes };
  };

  return {
    current,
    'settings.get': () => view(),
    'settings.save': ({ value }: { value: unknown }) => apply(value, 'options'),
    'settings.lock': async ({ until }: { until: number }) => {
      const t = now();
      if (until <= t) throw new RequestError('invalid_data', 'The lock must end in the future.');
      if (until - t > MAX_LOCK_MS) throw new RequestError('invalid_data', 'A lock can last at most 30 days.');
      const existing = await lockUntil();
      // Only lengthened while it runs: a lock that could be shortened would be no lock.
      if (existing !== null && until < existing) {
        throw new RequestError('forbidden', `Settings are locked until ${utc(existing)}; the lock can be extended, not shortened.`);
      }
      await db.meta.put({ key: LOCK_KEY, value: until });
      await audit('settings.locked', 'notice', `Settings locked against loosening until ${utc(until)}.`);
      return view();
    },
    'settings.history': async ({ limit }: { limit: number }) =>
      (await settingsHistory(db, SETTINGS_KEY, limit)).map((h) => ({ ts: h.ts, source: h.source, changes: h.changes })),
    'settings.export': async () => {
      const { value } = await current();
      const t = now();
      const body = JSON.stringify({ format: SETTINGS_FILE_FORMAT, version: SETTINGS_FILE_VERSION, exportedAt: new Date(t).toISOString(), settings: value }, null, 2);
      return { filename: `ringfence-settings-${new Date(t).toISOString().slice(0, 10)}.json`, mime: 'application/json', body, rows: 1 };
    },
    'settings.import': async ({ text }: { text: string }) => {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        throw new RequestError('invalid_data', 'This file is not JSON: nothing was changed.');
      }
      const d = doc as { format?: unknown; version?: unknown; settings?: unknown };
      if (typeof doc !== 'object' || doc === null || d.format !== SETTINGS_FILE_FORMAT) {
        throw new RequestError('invalid_data', `This is not a Ringfence settings file (expected "format": "${SETTINGS_FILE_FORMAT}"): nothing was changed.`);
      }
      if (d.version !== SETTINGS_FILE_VERSION) {
        throw new RequestError('invalid_data', `This settings file is version ${JSON.stringify(d.version)}; this Ringfence reads version ${SETTINGS_FILE_VERSION}: nothing was changed.`);
      }
      // The envelope exactly: a missing or misspelt "settings" would otherwise import as all defaults.
      const file = SettingsFileSchema.safeParse(doc);
      if (!file.success) {
        const problems = envelopeProblems(doc as object, file.error.issues);
        throw new RequestError('invalid_data', `This settings file cannot be imported (${problems}): nothing was changed.`);
      }
      return apply(file.data.settings, 'import');
    },
  };
}
