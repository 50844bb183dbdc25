import { describe, expect, it } from 'vitest';
import { buildRiskView } from '@/lib/background/supervisor/risk-view';
import { newLiveAccount } from '@/lib/background/supervisor/live-account';
import { evaluate } from '@/lib/risk/engine';
import { emptyHistory } from '@/lib/risk/context';
import { initialRiskState } from '@/lib/risk/state';
import { periodBounds } from '@/lib/risk/periods';
import type { LossBasis } from '@/lib/risk/types';
import { lossBaseText } from '@/lib/ui/risk-format';
import { summaryVm } from '@/lib/ui/panel-view';
import { accountRow } from '../helpers/account-row';
import { account, NOW, settings } from '../risk/fixtures';

/** The view's "Today" and the engine's daily-loss finding for the same account, start and basis. */
function scenario(lossBasis: LossBasis, startEq: number, startBal: number, eq: number, bal: number, startAt?: number) {
  const s = settings({ account: { lossBasis } });
  const row = accountRow({ venue: 'binance', accountId: 'main' });
  const l = newLiveAccount(row);
  l.status = 'live';
  l.account = account({ equity: eq, walletBalance: bal });
  l.positionsSeen = true;
  l.receivedAt = NOW;
  const start = { equity: startEq, walletBalance: startBal, at: startAt ?? periodBounds(NOW, s.account.dayStart).daily.start + 1000 };
  const state = initialRiskState();
  const view = buildRiskView({ live: [l], state, findings: [], settings: s, strategies: [], dayStarts: { [row.id]: start }, evaluatedAt: NOW, now: NOW, atrPct: {}, instruments: new Map() });
  const hist = { ...emptyHistory(), periodStarts: { [row.id]: { daily: start, weekly: start, monthly: start } } };
  const r = evaluate([{ account: l.account, positions: [], openOrders: [], receivedAt: NOW, feedError: null }], hist, state, s, NOW);
  const a = view.accounts[0]!;
  return { vm: summaryVm(a), view: { dayPnl: a.dayPnl, dayLossPct: a.dayLossPct, lossBasis: a.lossBasis }, daily: r.findings.filter((f) => f.rule === 'daily-loss').map((f) => f.severity) };
}

describe("risk view: today's loss on the rule's basis", () => {
  it('balance: an open loss (equity 9,700, balance 10,000 unchanged) is no loss yet, as for the engine', () => {
    expect(scenario('balance', 10_000, 10_000, 9_700, 10_000)).toMatchObject({ view: { dayPnl: 0, dayLossPct: 0, lossBasis: 'balance' }, daily: [] });
  });
  it('balance: a realized loss with equity unchanged counts', () => {
    expect(scenario('balance', 10_000, 10_000, 10_000, 9_850)).toMatchObject({ view: { dayPnl: -150, dayLossPct: 1.5, lossBasis: 'balance' }, daily: ['warning'] });
  });
  it('balance_minus_equity: start balance 10,000 (equity 10,200), equity now 9,850 is 1.5% down, a warning', () => {
    expect(scenario('balance_minus_equity', 10_200, 10_000, 9_850, 10_000)).toMatchObject({
      view: { dayPnl: -150, dayLossPct: 1.5, lossBasis: 'balance_minus_equity' },
      daily: ['warning'],
    });
  });
  it('equity: 9,700 of 10,000 is 3% down, an emergency', () => {
    expect(scenario('equity', 10_000, 10_000, 9_700, 10_000)).toMatchObject({ view: { dayPnl: -300, dayLossPct: 3, lossBasis: 'equity' }, daily: ['emergency'] });
  });
  it('a start recorded before today counts as missing, for the view as for the rule', () => {
    const before = periodBounds(NOW, settings().account.dayStart).daily.start - 1000;
    expect(scenario('equity', 10_000, 10_000, 9_700, 10_000, before).view).toEqual({ dayPnl: null, dayLossPct: null, lossBasis: 'equity' });
  });
  it('a loss just under the limit (1.9996% of 2%) is not rounded onto it: a warning, as for the engine', () => {
    const r = scenario('equity', 10_000, 10_000, 9_800.04, 10_000);
    expect(r.daily).toEqual(['warning']);
    expect(r.view.dayLossPct).toBeCloseTo(1.9996, 9);
    expect({ text: r.vm.day.text, tone: r.vm.day.tone, dayPnl: r.vm.dayPnl }).toEqual({ text: '1.99% of 2%', tone: 'warn', dayPnl: '-$199.96 (-2%)' });
  });
  it('the meter says what the loss is a share of', () => {
    expect([lossBaseText('equity'), lossBaseText('balance'), lossBaseText('balance_minus_equity'), lossBaseText(undefined)]).toEqual([
      "the day's starting equity",
      "the day's starting wallet balance (realized PnL only)",
      "the day's starting wallet balance, against equity now",
      "the day's starting equity",
    ]);
  });
});
