import { describe, expect, it } from 'vitest';
import { buildRiskView } from '@/lib/background/supervisor/risk-view';
import { newLiveAccount } from '@/lib/background/supervisor/live-account';
import { evaluate } from '@/lib/risk/engine';
import { emptyHistory } from '@/lib/risk/context';
import { initialRiskState } from '@/lib/risk/state';
import { summaryVm } from '@/lib/ui/panel-view';
import { accountRow } from '../helpers/account-row';
import { account, NOW, position, settings } from '../risk/fixtures';

/** The view's drawdown and exposure meters next to the engine's findings, for equity against a peak and positions. */
function scenario(equity: number, peak: number, notional: number, over = {}) {
  const s = settings(over);
  const row = accountRow({ venue: 'binance', accountId: 'main' });
  const l = newLiveAccount(row);
  l.status = 'live';
  l.account = account({ equity, walletBalance: equity });
  l.positions = notional > 0 ? [position({ size: notional / 100, entryPrice: 100, markPrice: 100 })] : [];
  l.positionsSeen = true;
  l.receivedAt = NOW;
  const st0 = { ...initialRiskState(), peaks: { [row.id]: peak } };
  const r = evaluate([{ account: l.account, positions: l.positions, openOrders: [], receivedAt: NOW, feedError: null }], emptyHistory(), st0, s, NOW);
  const view = buildRiskView({ live: [l], state: r.nextState, findings: r.findings, settings: s, strategies: [], dayStarts: {}, evaluatedAt: NOW, now: NOW, atrPct: {}, instruments: new Map() });
  const vm = summaryVm(view.accounts[0]!);
  const sev = (rule: string) => r.findings.filter((f) => f.rule === rule).map((f) => f.severity);
  return { drawdown: { tone: vm.drawdown.tone, mark: vm.drawdown.mark, engine: sev('account-drawdown') }, exposure: { tone: vm.exposure.tone, mark: vm.exposure.mark, engine: sev('total-exposure') } };
}

describe("risk view: the drawdown and exposure meters warn at the rules' warning levels", () => {
  it('drawdown 11% (warning 10%, limit 15%) and exposure 35% (warning 30%, limit 50%) are warnings, as for the engine', () => {
    expect(scenario(8_900, 10_000, 3_115)).toEqual({
      drawdown: { tone: 'warn', mark: '66.7%', engine: ['warning'] },
      exposure: { tone: 'warn', mark: '60%', engine: ['warning'] },
    });
  });
  it('below the warning levels both are ok', () => {
    expect(scenario(9_100, 10_000, 2_548)).toEqual({
      drawdown: { tone: 'ok', mark: '66.7%', engine: [] },
      exposure: { tone: 'ok', mark: '60%', engine: [] },
    });
  });
  it('configured levels move the mark: warning 14% of 15%, 45% of 50%', () => {
    const over = { account: { peakDrawdown: { warningPct: 14, emergencyPct: 15 }, exposure: { warningPct: 45, limitPct: 50 } } };
    expect(scenario(8_700, 10_000, 3_480, over)).toEqual({
      drawdown: { tone: 'ok', mark: '93.3%', engine: [] },
      exposure: { tone: 'ok', mark: '90%', engine: [] },
    });
  });
});
