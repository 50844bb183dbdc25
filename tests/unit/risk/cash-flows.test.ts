import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../lib/risk/engine';
import { formatReason } from '../../../lib/risk/format';
import { accountDrawdown } from '../../../lib/risk/rules/account-drawdown';
import { dailyLoss } from '../../../lib/risk/rules/daily-loss';
import { monthlyLoss } from '../../../lib/risk/rules/monthly-loss';
import {
  carryBase,
  CASH_FLOW_MAX,
  CASH_FLOW_RETAIN_MS,
  CASH_FLOW_SAME_MS,
  cashFlowSince,
  flowAdjustedBase,
  initialRiskState,
  recordCashFlow,
  type FlowBefore,
  type RiskState,
} from '../../../lib/risk/state';
import { account, ctx, history, NOW, settings, starts, view } from './fixtures';

const KEY = 'binance:main';
const flow = (amount: number, id = `f${amount}`, time = NOW) => ({ id, amount, asset: 'USDT', kind: amount > 0 ? 'DEPOSIT' : 'WITHDRAW', time });
/** The state after recording these flows at `at` (default: an hour before NOW, after every period start). */
function withFlows(flows: ReturnType<typeof flow>[], at = NOW - 3_600_000, base: RiskState = initialRiskState(), before: FlowBefore | null = null): RiskState {
  let s = base;
  for (const f of flows) s = recordCashFlow(s, KEY, f, at, before).nextState;
  return s;
}
const at = (v: number): FlowBefore => ({ equity: v, walletBalance: v });
const daily = (equity: number, startEquity: number, state: RiskState) =>
  dailyLoss.evaluate(ctx(view({ account: account({ equity, walletBalance: equity }) }), { history: history({ periodStarts: { [KEY]: starts(startEquity) } }), state }), settings());

describe('recordCashFlow', () => {
  it('records a flow once per id, with the time it was recorded', () => {
    const a = recordCashFlow(initialRiskState(), KEY, flow(-400, 'w1'), NOW);
    expect(a.recorded).toBe(true);
    expect(a.nextState.cashFlows[KEY]).toEqual([{ id: 'w1', amount: -400, asset: 'USDT', kind: 'WITHDRAW', time: NOW, at: NOW }]);
    const again = recordCashFlow(a.nextState, KEY, flow(-400, 'w1'), NOW + 5);
    expect(again.recorded).toBe(false);
    expect(again.nextState).toBe(a.nextState);
  });

  it('a flow of the same asset and amount within 5 s of a recorded one is that one (a stream push and a history row)', () => {
    const s = recordCashFlow(initialRiskState(), KEY, flow(-400, 'stream-id', NOW), NOW).nextState;
    expect(recordCashFlow(s, KEY, flow(-400, 'history-id', NOW + CASH_FLOW_SAME_MS), NOW).recorded).toBe(false);
    expect(recordCashFlow(s, KEY, flow(-400, 'history-id', NOW - CASH_FLOW_SAME_MS - 1), NOW).recorded).toBe(true);
    expect(recordCashFlow(s, KEY, flow(-401, 'other', NOW), NOW).recorded).toBe(true);
    expect(recordCashFlow(s, KEY, { ...flow(-400, 'usdc', NOW), asset: 'USDC' }, NOW).recorded).toBe(true);
  });

  it('ignores a zero or non-finite amount', () => {
    const s = initialRiskState();
    expect(recordCashFlow(s, KEY, flow(0, 'z'), NOW).nextState).toBe(s);
    expect(recordCashFlow(s, KEY, flow(Number.NaN, 'n'), NOW).nextState).toBe(s);
  });

  it('moves the peak by the flow (never below zero) and leaves an account without a peak without one', () => {
    const base: RiskState = { ...initialRiskState(), peaks: { [KEY]: 10_000 } };
    expect(recordCashFlow(base, KEY, flow(-4_000), NOW).nextState.peaks[KEY]).toBe(6_000);
    expect(recordCashFlow(base, KEY, flow(2_500), NOW).nextState.peaks[KEY]).toBe(12_500);
    expect(recordCashFlow(base, KEY, flow(-12_000), NOW).nextState.peaks[KEY]).toBe(0);
    expect(recordCashFlow(initialRiskState(), KEY, flow(-4_000), NOW).nextState.peaks).toEqual({});
  });

  it('keeps flows for 40 days and at most CASH_FLOW_MAX per account, newest last', () => {
    let s = recordCashFlow(initialRiskState(), KEY, flow(-1, 'old'), NOW - CASH_FLOW_RETAIN_MS - 1).nextState;
    s = recordCashFlow(s, KEY, flow(-2, 'new'), NOW).nextState;
    expect(s.cashFlows[KEY]!.map((f) => f.id)).toEqual(['new']);
    for (let i = 0; i < CASH_FLOW_MAX + 3; i++) s = recordCashFlow(s, KEY, flow(1, `d${i}`, NOW + i * 10_000), NOW).nextState;
    expect(s.cashFlows[KEY]).toHaveLength(CASH_FLOW_MAX);
    expect(s.cashFlows[KEY]!.at(-1)!.id).toBe(`d${CASH_FLOW_MAX + 2}`);
  });

  it('sums only the flows recorded after a start value was taken', () => {
    const s = withFlows([flow(-100, 'a')], NOW - 10).cashFlows[KEY];
    expect(cashFlowSince(s, NOW - 11)).toBe(-100);
    expect(cashFlowSince(s, NOW - 10)).toBe(0);
    expect(cashFlowSince(undefined, 0)).toBe(0);
  });
});

describe('loss limits net of cash flows', () => {
  it('a withdrawal is not a daily loss: 4,000 out of 10,000 leaves the day flat', () => {
    // Without the flow this is a 40% loss and an emergency (halt and flatten).
    expect(daily(6_000, 10_000, initialRiskState())[0]).toMatchObject({ severity: 'emergency', breach: true });
    expect(daily(6_000, 10_000, withFlows([flow(-4_000)]))).toEqual([]);
  });

  it('a deposit does not hide a loss, and the reason says what was counted', () => {
    // 10,000 at the start, 5,000 in, now 14,700: 300 lost of 15,000 = 2%.
    const [f] = daily(14_700, 10_000, withFlows([flow(5_000)]));
    expect(f).toMatchObject({ severity: 'emergency', breach: true, value: 2 });
    expect(formatReason(f!.reason)).toBe(
      'Daily loss 2% of the equity at the period start ($10,000.00), net of $5,000.00 of deposits and withdrawals since, limit 2%.',
    );
    expect(daily(15_000, 10_000, withFlows([flow(5_000)]))).toEqual([]);
  });

  it('a real loss after a withdrawal is measured on what stayed in the account', () => {
    // 10,000 at the start, 5,000 out, then 150 lost of the 5,000 left: 3%.
    const [f] = daily(4_850, 10_000, withFlows([flow(-5_000)]));
    expect(f!.value).toBeCloseTo(3, 10);
    expect(formatReason(f!.reason)).toBe(
      'Daily loss 3% of the equity at the period start ($10,000.00), net of -$5,000.00 of deposits and withdrawals since, limit 2%.',
    );
  });

  it('a flow recorded before the period started is already in its start value', () => {
    // Recorded last month: this month's start value (taken 1 March) already shows it.
    const early = withFlows([flow(-4_000)], Date.UTC(2026, 1, 20));
    const m = monthlyLoss.evaluate(
      ctx(view({ account: account({ equity: 6_000, walletBalance: 6_000 }) }), { history: history({ periodStarts: { [KEY]: starts(6_000) } }), state: early }),
      settings(),
    );
    expect(m).toEqual([]);
  });

  it('a flow read from history is dated by its venue time: in the month it happened, not in a day that started after it', () => {
    // Made at 05:00 today, read at NOW (12:00): today's start value (00:00) did not hold it, this month's neither.
    const early = withFlows([flow(-4_000, 'h', Date.UTC(2026, 2, 10, 5))], Date.UTC(2026, 2, 10, 5));
    expect(daily(6_000, 10_000, early)).toEqual([]);
    // Made yesterday: today's start value (taken after it) already holds it (counted again, this deposit would be a
    // 25% loss today), the month's does not.
    const deposit = withFlows([flow(5_000, 'd', Date.UTC(2026, 2, 9, 20))], Date.UTC(2026, 2, 9, 20));
    expect(daily(15_000, 15_000, deposit)).toEqual([]);
    const yesterday = withFlows([flow(-4_000, 'y', Date.UTC(2026, 2, 9, 20))], Date.UTC(2026, 2, 9, 20));
    const month = (state: RiskState) =>
      monthlyLoss.evaluate(
        ctx(view({ account: account({ equity: 6_000, walletBalance: 6_000 }) }), { history: history({ periodStarts: { [KEY]: starts(10_000) } }), state }),
        settings(),
      );
    expect(month(yesterday)).toEqual([]);
    expect(month(initialRiskState())[0]).toMatchObject({ breach: true });
  });

  it('withdrawing everything leaves nothing to measure, and says so instead of a loss', () => {
    const [f] = daily(0, 10_000, withFlows([flow(-10_000)]));
    expect(f!.reason.code).toBe('equity_not_positive');
  });

  it('a withdrawal is not a drawdown: the engine keeps the lowered peak and finds nothing', () => {
    const h = history({ periodStarts: { [KEY]: starts(10_000) } });
    const first = evaluate([view({ receivedAt: NOW })], h, initialRiskState(), settings(), NOW);
    expect(first.nextState.peaks[KEY]).toBe(10_000);
    const after = recordCashFlow(first.nextState, KEY, flow(-4_000), NOW + 1).nextState;
    const v = view({ account: account({ equity: 6_000, walletBalance: 6_000, time: NOW + 2 }), receivedAt: NOW + 2 });
    const r = evaluate([v], h, after, settings(), NOW + 2);
    expect(r.findings).toEqual([]);
    expect(r.actions).toEqual([]);
    expect(r.nextState.peaks[KEY]).toBe(6_000);
    expect(r.nextState.cashFlows).toBe(after.cashFlows);
    // The same balance without the flow is a 40% drawdown: the account kill switch.
    const dd = accountDrawdown.evaluate(ctx(v, { history: h, state: first.nextState, now: NOW + 2 }), settings());
    expect(dd[0]).toMatchObject({ severity: 'emergency', action: { kind: 'halt', until: 'manual' } });
  });
});

describe('flows with the account value before them: time-weighted', () => {
  it('carryBase scales by (value + flow) / value, and shifts when that value is unknown, not positive or overdrawn', () => {
    expect(carryBase(10_000, -4_000, 9_850)).toBeCloseTo((10_000 * 5_850) / 9_850, 9);
    expect(carryBase(10_000, -4_000, undefined)).toBe(6_000);
    expect(carryBase(10_000, 500, 0)).toBe(10_500);
    expect(carryBase(10_000, -500, -20)).toBe(9_500);
    expect(carryBase(1_000, -3_000, 2_000)).toBe(0);
    expect(carryBase(10_000, -9_850, 9_850)).toBe(0);
  });

  it('a 40% withdrawal on a day 1.5% down leaves the day 1.5% down (shifted, it read 2.5%: an emergency)', () => {
    const scaled = withFlows([flow(-4_000)], NOW - 3_600_000, initialRiskState(), at(9_850));
    const [w] = daily(5_850, 10_000, scaled);
    expect(w!.value).toBeCloseTo(1.5, 9);
    expect(w!.severity).toBe('warning');
    expect(formatReason(w!.reason)).toBe(
      'Daily loss 1.5% of the equity at the period start ($10,000.00), net of -$4,000.00 of deposits and withdrawals since, limit 2%.',
    );
    // The same flow without the value before it (read from the history after a gap) shifts the start value.
    expect(daily(5_850, 10_000, withFlows([flow(-4_000)]))[0]).toMatchObject({ severity: 'emergency', value: 2.5 });
  });

  it('a loss after the withdrawal is a share of what stayed; a deposit does not dilute a loss made before it', () => {
    // 150 lost of the 6,000 left after 4,000 went out at 10,000: 2.5%.
    expect(daily(5_850, 10_000, withFlows([flow(-4_000)], NOW - 3_600_000, initialRiskState(), at(10_000)))[0]).toMatchObject({ severity: 'emergency' });
    expect(daily(5_850, 10_000, withFlows([flow(-4_000)], NOW - 3_600_000, initialRiskState(), at(10_000)))[0]!.value).toBeCloseTo(2.5, 9);
    // 150 lost, then 10,000 in: still 1.5% down (shifted, it read 0.75%).
    const [d] = daily(19_850, 10_000, withFlows([flow(10_000)], NOW - 3_600_000, initialRiskState(), at(9_850)));
    expect(d!.value).toBeCloseTo(1.5, 9);
  });

  it('the peak is carried across the flow the same way: a withdrawal during a 10% drawdown leaves it at 10%', () => {
    const base: RiskState = { ...initialRiskState(), peaks: { [KEY]: 10_000 } };
    const s = recordCashFlow(base, KEY, flow(-4_000), NOW, at(9_000)).nextState;
    expect(s.peaks[KEY]).toBeCloseTo(5_000 / 0.9, 9);
    const dd = accountDrawdown.evaluate(ctx(view({ account: account({ equity: 5_000, walletBalance: 5_000 }) }), { state: s }), settings());
    expect(dd[0]?.severity).not.toBe('emergency');
    expect(dd[0]?.value ?? 0).toBeCloseTo(10, 9);
    // Recorded, with the value it was measured on.
    expect(s.cashFlows[KEY]![0]!.before).toEqual(at(9_000));
  });

  it('flowAdjustedBase carries the start value across the flows after it, in order, on the basis asked', () => {
    let s = recordCashFlow(initialRiskState(), KEY, flow(-2_000, 'a'), NOW - 10, { equity: 8_000, walletBalance: 10_000 }).nextState;
    s = recordCashFlow(s, KEY, flow(1_000, 'b'), NOW - 5).nextState;
    const flows = s.cashFlows[KEY];
    expect(flowAdjustedBase(10_000, flows, NOW - 20, 'equity')).toBeCloseTo(7_500 + 1_000, 9);
    expect(flowAdjustedBase(10_000, flows, NOW - 20, 'balance')).toBeCloseTo(8_000 + 1_000, 9);
    expect(flowAdjustedBase(10_000, flows, NOW - 7, 'equity')).toBe(11_000);
    expect(flowAdjustedBase(10_000, undefined, 0, 'equity')).toBe(10_000);
  });
});
