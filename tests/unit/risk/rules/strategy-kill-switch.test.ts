import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { strategyKillSwitch } from '../../../../lib/risk/rules/strategy-kill-switch';
import { initialRiskState } from '../../../../lib/risk/state';
import { evaluate } from '../../../../lib/risk/engine';
import { manualReset } from '../../../../lib/risk/state';
import { account, history, NOW, portfolio, position, settings, strategy, view } from '../fixtures';

const grid = (over: Parameters<typeof strategy>[0] = {}) => strategy({ strategyId: 'grid', ...over });

describe('strategy-kill-switch', () => {
  it('is silent with no strategies and no positions', () => {
    expect(strategyKillSwitch.evaluate(portfolio([view()]), settings())).toEqual([]);
  });

  it('counts realized PnL plus open PnL on every account, and kills at -$50', () => {
    const a = view({ positions: [position({ strategyId: 'grid', unrealizedPnl: -15 })] });
    const b = view({ account: account({ accountId: 'sub' }), positions: [position({ accountId: 'sub', side: 'short', size: -1, strategyId: 'grid', unrealizedPnl: -10 })] });
    const [f] = strategyKillSwitch.evaluate(portfolio([a, b], { history: history({ strategies: [grid({ totalPnl: -30 })] }) }), settings());
    expect(f).toMatchObject({
      scope: { kind: 'strategy', strategyId: 'grid' },
      severity: 'emergency',
      action: { kind: 'halt', until: 'manual', flatten: true },
      breach: true,
      value: 55,
    });
    expect(formatReason(f!.reason)).toBe('Strategy grid is at -$55.00, kill switch at -$50.00.');
  });

  it('kills at exactly -max drawdown and warns from 80% of it', () => {
    const at = strategyKillSwitch.evaluate(portfolio([view()], { history: history({ strategies: [grid({ totalPnl: -50 })] }) }), settings());
    expect(at[0]!.severity).toBe('emergency');
    const warn = strategyKillSwitch.evaluate(portfolio([view()], { history: history({ strategies: [grid({ totalPnl: -42 })] }) }), settings());
    expect(warn[0]).toMatchObject({ severity: 'warning', action: { kind: 'alert' } });
  });

  it('uses the default max drawdown for strategies missing from the table', () => {
    const v = view({ positions: [position({ strategyId: 'bot-7', unrealizedPnl: -60 })] });
    expect(strategyKillSwitch.evaluate(portfolio([v]), settings())[0]).toMatchObject({ scope: { strategyId: 'bot-7' }, severity: 'emergency' });
  });

  it('keeps a strategy the table marks killed halted', () => {
    const [f] = strategyKillSwitch.evaluate(portfolio([view()], { history: history({ strategies: [grid({ killed: true, totalPnl: 10 })] }) }), settings());
    expect(f).toMatchObject({ severity: 'critical', action: { kind: 'halt', until: 'manual' } });
    expect(formatReason(f!.reason)).toBe('Strategy grid is killed until someone resets it.');
  });

  it('measures from the baseline of the last manual reset', () => {
    const st = initialRiskState();
    st.strategyBaselines.grid = -50;
    const out = strategyKillSwitch.evaluate(portfolio([view()], { state: st, history: history({ strategies: [grid({ totalPnl: -55 })] }) }), settings());
    expect(out).toEqual([]);
  });

  it('measures the drawdown from the high-water mark: up $500, then down $540, is killed at a $50 max drawdown', () => {
    const st = initialRiskState();
    // The strategy was at +$500 (realized + unrealized) in an earlier evaluation: the engine kept that peak.
    const up = evaluate([view({ positions: [position({ strategyId: 'grid', unrealizedPnl: 400 })] })], history({ strategies: [grid({ totalPnl: 100 })] }), st, settings(), NOW);
    expect(up.nextState.strategyPeaks).toEqual({ grid: 500 });
    expect(up.findings.filter((f) => f.rule === 'strategy-kill-switch')).toEqual([]);
    // Now at -$40: not even the old -$50 line, but $540 below its peak.
    const [f] = strategyKillSwitch.evaluate(portfolio([view()], { state: up.nextState, history: history({ strategies: [grid({ totalPnl: -40 })] }) }), settings());
    expect(f).toMatchObject({ severity: 'emergency', breach: true, value: 540, limit: 50, action: { kind: 'halt', until: 'manual', flatten: true } });
    expect(formatReason(f!.reason)).toBe('Strategy grid is at -$40.00, $540.00 below its peak of $500.00; kill switch at a drawdown of $50.00.');
  });

  it('keeps the peak across evaluations, never lowers it, and starts it again at a manual reset', () => {
    const s = settings();
    const at = (total: number, state = initialRiskState()) => evaluate([view()], history({ strategies: [grid({ totalPnl: total })] }), state, s, NOW);
    const a = at(30);
    expect(a.nextState.strategyPeaks).toEqual({ grid: 30 });
    const b = at(10, a.nextState);
    expect(b.nextState.strategyPeaks).toBe(a.nextState.strategyPeaks); // unchanged record, shared
    // Reset: the drawdown is measured afresh from the baseline.
    const reset = manualReset(b.nextState, { scope: { kind: 'strategy', strategyId: 'grid' }, actor: 't', note: '', baseline: 10 }, s, NOW).nextState;
    expect(reset.strategyPeaks).toEqual({});
    expect(strategyKillSwitch.evaluate(portfolio([view()], { state: reset, history: history({ strategies: [grid({ totalPnl: 10 })] }) }), s)).toEqual([]);
  });

  it('counts open profit with the realized loss (total PnL): the peak catches a realized breach that happened before', () => {
    // -$70 realized with +$25 open is -$45 in total: within $50 of the peak of 0.
    const [w] = strategyKillSwitch.evaluate(portfolio([view({ positions: [position({ strategyId: 'grid', unrealizedPnl: 25 })] })], { history: history({ strategies: [grid({ totalPnl: -70 })] }) }), settings());
    expect(w).toMatchObject({ severity: 'warning', value: 45 });
  });
});
