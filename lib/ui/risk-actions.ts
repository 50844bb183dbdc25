/** The user's risk actions in the views (take a break, flatten everything, reset): choices and result texts. Pure. */
import type { AccountRisk } from '../messaging/risk-view';
import { reaches } from '../risk/compare';
import { labelsOf, percent, untilTime } from './risk-format';

/** The accounts the texts are about: their mode decides whether a halt blocks orders or only warns about them. */
type Acct = Pick<AccountRisk, 'label' | 'mode'>;
const monitored = (accounts: readonly Acct[]) => accounts.filter((a) => a.mode === 'monitor');

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

/**
 * What a break does, before it is taken. A monitor account is halted too, but the guard only warns there
 * (lib/pages/guard-verdict), so the text names those accounts instead of promising that nothing opens.
 */
export function breakHelpText(accounts: readonly Acct[]): string {
  const mon = monitored(accounts);
  if (mon.length > 0 && mon.length === accounts.length) return 'Halts every account, but all are in monitor mode: orders only get a warning until the break ends.';
  const base = 'Halts every account: nothing new opens until the break ends. Exits and cancels still pass.';
  return mon.length === 0 ? base : `${base} On ${labelsOf(mon)} (monitor mode) orders only get a warning.`;
}

export function breakResultText(until: number, now: number, accounts: readonly Acct[] = []): string {
  const at = `On a break until ${untilTime(until, now)}`;
  const mon = monitored(accounts);
  if (mon.length === 0) return `${at}: nothing opens on any account until then.`;
  if (mon.length === accounts.length) return `${at}: every account is in monitor mode, so orders only get a warning until then.`;
  return `${at}: nothing opens on ${labelsOf(accounts.filter((a) => a.mode !== 'monitor'))} until then; on ${labelsOf(mon)} (monitor mode) orders only get a warning.`;
}

export function flattenResultText(r: { positions: number; skipped: readonly string[] }): string {
  const closing = r.positions === 0 ? 'No open position to close' : `Closing ${r.positions} position${r.positions === 1 ? '' : 's'}`;
  const skipped = r.skipped.length > 0 ? ` Read-only, not flattened: ${r.skipped.join(', ')}.` : '';
  return `${closing}; every open order cancelled. Trading stays halted until you reset it in Options > Overview.${skipped}`;
}

/**
 * What a reset of a halted account does (risk.reset: clears its holds and breaker, and measures drawdown from the
 * equity now). It does not lift a limit still breached: the next evaluation finds it again and halts the account
 * again, so a day over its loss limit stays halted until the day ends.
 */
export function resetConfirmText(a: Pick<AccountRisk, 'label' | 'coolingUntil' | 'dayLossPct' | 'dailyLimitPct'>): string {
  const head = `Reset ${a.label}? Its breaker and holds are cleared${a.coolingUntil !== null ? ', ending the break early' : ''}, and its drawdown is measured from the equity now.`;
  if (a.dayLossPct !== null && a.dailyLimitPct > 0 && reaches(a.dayLossPct, a.dailyLimitPct))
    return `${head} Today's loss (${percent(a.dayLossPct)}) is still at or over the ${percent(a.dailyLimitPct)} limit, so the next check halts it again until the day ends.`;
  return `${head} Trading opens again unless a limit is still breached: the next check halts it again then.`;
}
