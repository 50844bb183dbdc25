/** The user's risk actions in the views (take a break, flatten everything, reset): choices and result texts. Pure. */
import { untilTime } from './risk-format';

export interface BreakChoice {
  id: string;
  label: string;
  /** Fixed length; null: until the next local midnight. */
  minutes: number | null;
}

export const BREAK_CHOICES: readonly BreakChoice[] = [
  { id: '15m', label: '15 minutes', minutes: 15 },
  { id: '1h', label: '1 hour', minutes: 60 },
  { id: '4h', label: '4 hours', minutes: 240 },
  { id: 'tomorrow', label: 'Until tomorrow', minutes: null },
];

/** The longest break the background accepts (risk.break: 7 days). */
export const MAX_BREAK_MINUTES = 7 * 24 * 60;

/** Whole minutes from `now` to the next local midnight (rounded up, at least 1), in the browser's time zone. */
export function minutesUntilTomorrow(now: number): number {
  const d = new Date(now);
  const midnight = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, 0, 0, 0, 0).getTime();
  return Math.min(MAX_BREAK_MINUTES, Math.max(1, Math.ceil((midnight - now) / 60_000)));
}

export function breakMinutes(choice: BreakChoice, now: number): number {
  return choice.minutes ?? minutesUntilTomorrow(now);
}

export function breakResultText(until: number, now: number): string {
  return `On a break until ${untilTime(until, now)}: nothing opens on any account until then.`;
}

export function flattenResultText(r: { positions: number; skipped: readonly string[] }): string {
  const closing = r.positions === 0 ? 'No open position to close' : `Closing ${r.positions} position${r.positions === 1 ? '' : 's'}`;
  const skipped = r.skipped.length > 0 ? ` Read-only, not flattened: ${r.skipped.join(', ')}.` : '';
  return `${closing}; every open order cancelled. Trading stays halted until you reset it in Options > Overview.${skipped}`;
}
