import { describe, expect, it } from 'vitest';
import { BREAK_CHOICES, breakHelpText, breakMinutes, breakResultText, flattenResultText, MAX_BREAK_MINUTES, minutesUntilTomorrow, resetConfirmText } from '@/lib/ui/risk-actions';
import { evaluate } from '@/lib/risk/engine';
import { emptyHistory } from '@/lib/risk/context';
import { initialRiskState, manualReset } from '@/lib/risk/state';
import { periodBounds } from '@/lib/risk/periods';
import { account, NOW, settings } from '../risk/fixtures';

describe('break choices', () => {
  it('offer 15 min, 1 h, 4 h and until tomorrow', () => {
    expect(BREAK_CHOICES.map((c) => c.label)).toEqual(['15 minutes', '1 hour', '4 hours', 'Until tomorrow']);
    const now = new Date(2026, 10, 21, 12, 0).getTime();
    expect(BREAK_CHOICES.map((c) => breakMinutes(c, now))).toEqual([15, 60, 240, 720]);
  });
  it('until tomorrow runs to the next local midnight, rounded up, at least a minute', () => {
    expect(minutesUntilTomorrow(new Date(2026, 10, 21, 23, 59, 30).getTime())).toBe(1);
    expect(minutesUntilTomorrow(new Date(2026, 10, 21, 0, 0, 0).getTime())).toBe(24 * 60);
    expect(minutesUntilTomorrow(new Date(2026, 10, 21, 22, 15, 10).getTime())).toBe(105);
  });
  it('stays within what risk.break accepts', () => {
    expect(MAX_BREAK_MINUTES).toBe(7 * 24 * 60);
    for (const c of BREAK_CHOICES) expect(breakMinutes(c, Date.now())).toBeLessThanOrEqual(MAX_BREAK_MINUTES);
  });
  it('the result says until when, how long, and what it means', () => {
    const now = new Date(2026, 10, 21, 12, 0).getTime();
    expect(breakResultText(now + 3_600_000, now)).toBe('On a break until 13:00: nothing opens on any account until then.');
  });
});

describe('break texts per account mode (a monitor account only warns: orders there still pass)', () => {
  const now = new Date(2026, 10, 21, 12, 0).getTime();
  const main = { label: 'Main', mode: 'guard' as const };
  const hl = { label: 'HL', mode: 'monitor' as const };
  const sub = { label: 'Sub', mode: 'enforce' as const };
  it('before the break', () => {
    expect(breakHelpText([main, sub])).toBe('Halts every account: nothing new opens until the break ends. Exits and cancels still pass.');
    expect(breakHelpText([main, hl])).toBe('Halts every account: nothing new opens until the break ends. Exits and cancels still pass. On HL (monitor mode) orders only get a warning.');
    expect(breakHelpText([hl])).toBe('Halts every account, but all are in monitor mode: orders only get a warning until the break ends.');
  });
  it('after it', () => {
    expect(breakResultText(now + 3_600_000, now, [main, sub])).toBe('On a break until 13:00: nothing opens on any account until then.');
    expect(breakResultText(now + 3_600_000, now, [main, hl, sub])).toBe('On a break until 13:00: nothing opens on Main, Sub until then; on HL (monitor mode) orders only get a warning.');
    expect(breakResultText(now + 3_600_000, now, [hl])).toBe('On a break until 13:00: every account is in monitor mode, so orders only get a warning until then.');
  });
});

describe('flattenResultText', () => {
  it('counts the positions being closed', () => {
    expect(flattenResultText({ positions: 1, skipped: [] })).toBe(
      'Closing 1 position; every open order cancelled. Trading stays halted until you reset it in Options > Overview.',
    );
    expect(flattenResultText({ positions: 3, skipped: [] })).toMatch(/^Closing 3 positions;/);
  });
  it('says when there was nothing to close and names read-only accounts', () => {
    expect(flattenResultText({ positions: 0, skipped: ['HL watch', 'Old'] })).toBe(
      'No open position to close; every open order cancelled. Trading stays halted until you reset it in Options > Overview. Read-only, not flattened: HL watch, Old.',
    );
  });
});

describe('resetConfirmText: what a reset of a halted account really does', () => {
  const a = { label: 'Main', coolingUntil: null, dayLossPct: 0.5, dailyLimitPct: 2 };
  it('a day over its loss limit: the next check halts it again', () => {
    expect(resetConfirmText({ ...a, dayLossPct: 2.5 })).toBe(
      "Reset Main? Its breaker and holds are cleared, and its drawdown is measured from the equity now. Today's loss (2.5%) is still at or over the 2% limit, so the next check halts it again until the day ends.",
    );
  });
  it('otherwise trading opens again, unless a limit is still breached; a break in force ends early', () => {
    expect(resetConfirmText({ ...a, coolingUntil: NOW })).toBe(
      'Reset Main? Its breaker and holds are cleared, ending the break early, and its drawdown is measured from the equity now. Trading opens again unless a limit is still breached: the next check halts it again then.',
    );
    expect(resetConfirmText({ ...a, dayLossPct: null })).toMatch(/Trading opens again unless a limit is still breached/);
  });
  it('as the engine does: after a reset of a day-loss halt the next evaluation halts again', () => {
    const s = settings();
    const b = periodBounds(NOW, s.account.dayStart);
    const start = { equity: 10_000, walletBalance: 10_000, at: b.daily.start + 60_000 };
    const hist = { ...emptyHistory(), periodStarts: { 'binance:main': { daily: start, weekly: { ...start, at: b.weekly.start }, monthly: { ...start, at: b.monthly.start } } } };
    const v = (t: number) => ({ account: account({ equity: 9_750, walletBalance: 9_750, time: t }), positions: [], openOrders: [], receivedAt: t, feedError: null });
    const r1 = evaluate([v(NOW)], hist, initialRiskState(), s, NOW);
    expect(r1.nextState.scopes['binance:main']?.trading).toBe('HALTED');
    const reset = manualReset(r1.nextState, { scope: { kind: 'account', venue: 'binance', accountId: 'main' }, actor: 'user', note: '', baseline: 9_750 }, s, NOW + 60_000);
    const r2 = evaluate([v(NOW + 61_000)], hist, reset.nextState, s, NOW + 61_000);
    expect(r2.nextState.scopes['binance:main']?.trading).toBe('HALTED');
  });
});
