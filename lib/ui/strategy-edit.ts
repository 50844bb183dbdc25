/**
 * Inline edits of the strategies table: the text in the inputs -> a validated patch, or a message per field. Nothing
 * is applied unless every field of the row is valid (never partially).
 */
import { MAX_STRATEGY_USD, stopAboveDrawdown, type StrategyPatch } from '../domain/strategies';
import type { Strategy } from '../domain/types';

export const EDITABLE = ['symbol', 'riskPerTradePct', 'stopLossUsd', 'maxDrawdownUsd'] as const;
export type EditableField = (typeof EDITABLE)[number];
export type StrategyDraft = Partial<Record<EditableField, string>>;
export type { StrategyPatch };

export const FIELD_LABEL: Record<EditableField, string> = {
  symbol: 'Symbol',
  riskPerTradePct: 'Risk per trade %',
  stopLossUsd: 'Stop loss $',
  maxDrawdownUsd: 'Max drawdown $',
};

/** Why typed text is not a number: not one at all, or a comma that is not a thousands separator ("1,5"). */
export type DecimalProblem = 'not_a_number' | 'ambiguous_comma';
export type DecimalRead = { ok: true; value: number } | { ok: false; problem: DecimalProblem };

/**
 * The options page's one number notation: a dot is the decimal mark and a comma only groups thousands, so "10,000"
 * is 10000 and "1,000.5" 1000.5. A comma anywhere else ("1,5", "0,25", "1,0000") is refused, never read as a decimal
 * mark: "1,000" must not become 1 (or "1,5" 15) without the trader seeing it.
 */
export function readDecimal(text: string): DecimalRead {
  const t = text.trim();
  if (!/^[+-]?(\d{1,3}(,\d{3})+|\d*)(\.\d*)?$/.test(t) || !/\d/.test(t)) return { ok: false, problem: t.includes(',') ? 'ambiguous_comma' : 'not_a_number' };
  const n = Number(t.replaceAll(',', ''));
  return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, problem: 'not_a_number' };
}

/** The one wording of a refused number; `label` names the field when the message may be read apart from it. */
export function decimalMessage(text: string, problem: DecimalProblem, label?: string): string {
  if (problem === 'not_a_number') return label ? `${label} must be a number.` : 'Enter a number.';
  return `${label ? `${label}: ` : ''}"${text.trim()}" is ambiguous: a comma only separates thousands (10,000); write decimals with a dot (1.5).`;
}

const SYMBOL = /^(?:[a-z0-9]{1,16}:)?[A-Za-z0-9]{1,30}$/;

export type DraftResult = { ok: true; patch: StrategyPatch } | { ok: false; errors: Partial<Record<EditableField, string>> };

export function validateDraft(draft: StrategyDraft, row: Pick<Strategy, EditableField>): DraftResult {
  const errors: Partial<Record<EditableField, string>> = {};
  const patch: StrategyPatch = {};
  /** The field's number, or undefined when it is not edited or cannot be read (then its error is set). */
  const num = (field: Exclude<EditableField, 'symbol'>) => {
    const text = draft[field];
    if (text === undefined) return undefined;
    const r = readDecimal(text);
    if (!r.ok) errors[field] = decimalMessage(text, r.problem, FIELD_LABEL[field]);
    return r.ok ? r.value : undefined;
  };
  const money = (field: 'stopLossUsd' | 'maxDrawdownUsd') => {
    const n = num(field);
    if (n === undefined) return;
    if (n <= 0) errors[field] = `${FIELD_LABEL[field]} must be above $0.`;
    else if (n > MAX_STRATEGY_USD) errors[field] = `${FIELD_LABEL[field]} must be at most $10,000,000.`;
    else patch[field] = n;
  };
  const risk = num('riskPerTradePct');
  if (risk !== undefined) {
    if (risk <= 0 || risk > 100) errors.riskPerTradePct = 'Risk per trade % must be above 0 and at most 100.';
    else patch.riskPerTradePct = risk;
  }
  money('stopLossUsd');
  money('maxDrawdownUsd');
  if (draft.symbol !== undefined) {
    const s = draft.symbol.trim();
    if (s === '' || s === '*') patch.symbol = null;
    else if (!SYMBOL.test(s)) errors.symbol = 'Symbol must look like BTCUSDT, BTC or dex:NAME (empty for any).';
    else patch.symbol = s;
  }
  const stop = patch.stopLossUsd ?? row.stopLossUsd;
  const dd = patch.maxDrawdownUsd ?? row.maxDrawdownUsd;
  const contradiction = errors.stopLossUsd || errors.maxDrawdownUsd ? null : stopAboveDrawdown(stop, dd);
  if (contradiction) errors[draft.stopLossUsd !== undefined ? 'stopLossUsd' : 'maxDrawdownUsd'] = contradiction;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, patch };
}

/**
 * Sends ids in parts of at most `size` (the request's limit), in order, and stops at the first refusal; the message
 * then says how many were changed already (each part is applied whole or not at all).
 */
export async function inParts(ids: string[], size: number, send: (part: string[]) => Promise<string | null>): Promise<string | null> {
  for (let i = 0; i < ids.length; i += size) {
    const err = await send(ids.slice(i, i + size));
    if (err) return i === 0 ? err : `${err} The first ${i} of the ${ids.length} selected were changed.`;
  }
  return null;
}

export type StrategyStatus = 'Active' | 'Disabled' | 'Killed';
export const strategyStatus = (s: Pick<Strategy, 'enabled' | 'killed'>): StrategyStatus =>
  s.killed ? 'Killed' : s.enabled ? 'Active' : 'Disabled';
