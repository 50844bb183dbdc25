import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { strategyKillSwitch } from '../../../../lib/risk/rules/strategy-kill-switch';
import { initialRiskState } from '../../../../lib/risk/state';
import { account, history, portfolio, position, settings, strategy, view } from '../fixtures';

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
});
