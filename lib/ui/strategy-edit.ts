/**
 * Inline edits of the strategies table: the text in the inputs -> a validated patch, or a message per field. Nothing
 * is applied unless every field of the row is valid (never partially).
 */
import { stopAboveDrawdown, type StrategyPatch } from '../domain/strategies';
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

/** Accepts "1.5", "1,5" and " 2 "; anything else is not a number. */
export function parseDecimal(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

const SYMBOL = /^(?:[a-z0-9]{1,16}:)?[A-Za-z0-9]{1,30}$/;

export type DraftResult = { ok: true; patch: StrategyPatch } | { ok: false; errors: Partial<Record<EditableField, string>> };

export function validateDraft(draft: StrategyDraft, row: Pick<Strategy, EditableField>): DraftResult {
  const errors: Partial<Record<EditableField, string>> = {};
  const patch: StrategyPatch = {};
  const money = (field: 'stopLossUsd' | 'maxDrawdownUsd') => {
    const text = draft[field];
    if (text === undefined) return;
    const n = parseDecimal(text);
    if (n === null) errors[field] = `${FIELD_LABEL[field]} must be a number.`;
    else if (n <= 0) errors[field] = `${FIELD_LABEL[field]} must be above $0.`;
    else patch[field] = n;
  };
  if (draft.riskPerTradePct !== undefined) {
    const n = parseDecimal(draft.riskPerTradePct);
    if (n === null) errors.riskPerTradePct = 'Risk per trade % must be a number.';
    else if (n <= 0 || n > 100) errors.riskPerTradePct = 'Risk per trade % must be above 0 and at most 100.';
    else patch.riskPerTradePct = n;
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

export type StrategyStatus = 'Active' | 'Disabled' | 'Killed';
export const strategyStatus = (s: Pick<Strategy, 'enabled' | 'killed'>): StrategyStatus =>
  s.killed ? 'Killed' : s.enabled ? 'Active' : 'Disabled';
