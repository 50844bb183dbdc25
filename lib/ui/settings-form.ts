/**
 * The Limits form: risk settings <-> the text in its inputs. Every field of the schema is one input; lists use short
 * notations (correlation groups "BTC ETH | SOL AVAX", losing-streak schedule "3:10, 5:5, 7:2"). Nothing is sent while a
 * field cannot be read; the background then validates the whole value.
 */
import { SETTING_FIELDS } from '../risk/settings-fields';
import { decimalMessage, readDecimal } from './strategy-edit';

export type FormValue = string | boolean | string[];
export type SettingsForm = Record<string, FormValue>;

function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), obj);
}
function set(obj: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys.at(-1)!] = value;
}

/** The notation of list and scalar values, as typed in the form. */
export function formatValue(path: string, v: unknown): FormValue {
  if (path === 'rules.disabled') return [...((v as string[] | undefined) ?? [])];
  if (path === 'account.correlationGroups') return ((v as string[][] | undefined) ?? []).map((g) => g.join(' ')).join(' | ');
  if (path === 'behaviour.consecutiveLosses.schedule') {
    return ((v as { losses: number; maxLeverage: number }[] | undefined) ?? []).map((s) => `${s.losses}:${s.maxLeverage}`).join(', ');
  }
  if (typeof v === 'boolean') return v;
  if (v === null || v === undefined) return '';
  return String(v);
}

export function toForm(settings: unknown): SettingsForm {
  return Object.fromEntries(Object.keys(SETTING_FIELDS).map((p) => [p, formatValue(p, get(settings, p))]));
}

/** Parses one field back; a string result is the reason it cannot be read. */
function parseField(path: string, raw: FormValue, defaults: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  const def = get(defaults, path);
  if (path === 'rules.disabled') return { ok: true, value: Array.isArray(raw) ? raw : [] };
  if (typeof def === 'boolean') return { ok: true, value: raw === true };
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (path === 'account.correlationGroups') {
    if (text === '') return { ok: true, value: [] };
    const groups = text.split('|').map((g) => g.trim().split(/[\s,]+/).filter(Boolean));
    if (groups.some((g) => g.length < 2)) return { ok: false, error: 'Each group needs at least two assets, e.g. BTC ETH | SOL AVAX.' };
    return { ok: true, value: groups };
  }
  if (path === 'behaviour.consecutiveLosses.schedule') {
    const steps = text.split(',').map((s) => s.trim()).filter(Boolean);
    const parsed = steps.map((s) => /^(\d+)\s*:\s*(\d+(?:\.\d+)?)$/.exec(s));
    if (steps.length === 0 || parsed.some((m) => !m)) return { ok: false, error: 'Write losses:max leverage steps, e.g. 3:10, 5:5, 7:2.' };
    return { ok: true, value: parsed.map((m) => ({ losses: Number(m![1]), maxLeverage: Number(m![2]) })) };
  }
  if (typeof def === 'string') return { ok: true, value: text };
  // Numbers; an empty nullable field (no limit) is null.
  if (text === '') {
    return SETTING_FIELDS[path]?.nullable ? { ok: true, value: null } : { ok: false, error: 'Enter a number.' };
  }
  const n = readDecimal(text);
  return n.ok ? { ok: true, value: n.value } : { ok: false, error: decimalMessage(text, n.problem) };
}

export function fromForm(form: SettingsForm, defaults: unknown): { value: Record<string, unknown>; errors: Record<string, string> } {
  const value: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const path of Object.keys(SETTING_FIELDS)) {
    const r = parseField(path, form[path] ?? '', defaults);
    if (r.ok) set(value, path, r.value);
    else errors[path] = r.error;
  }
  return { value, errors };
}

/** The setting a schema path belongs to: the longest field path that prefixes it (list items belong to their list). */
function fieldOf(path: string): string | null {
  for (let q = path; q; q = q.includes('.') ? q.slice(0, q.lastIndexOf('.')) : '') if (SETTING_FIELDS[q]) return q;
  return null;
}

/** Background issues ("path: message") by field; issues without a known field go under ''. */
export function issuesByField(issues: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of issues) {
    const m = /^([\w.]+): (.*)$/.exec(line);
    const full = m?.[1];
    const field = full ? fieldOf(full) : null;
    const msg = !field ? line : full === field ? m![2]! : `${full!.slice(field.length + 1)}: ${m![2]!}`;
    const key = field ?? '';
    out[key] = out[key] ? `${out[key]} ${msg}` : msg;
  }
  return out;
}
