import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { riskScoreRule } from '../../../../lib/risk/rules/risk-score';
import { initialRiskState } from '../../../../lib/risk/state';
import { account, ctx, history, position, settings, starts, view } from '../fixtures';

const peak = (p: number) => {
  const st = initialRiskState();
  st.peaks['binance:main'] = p;
  return st;
};

describe('risk-score', () => {
  it('is silent for a calm account (flat: score 0)', () => {
    const c = ctx(view());
    expect(c.metrics.riskScore).toBe(0);
    expect(riskScoreRule.evaluate(c, settings())).toEqual([]);
  });

  it('gives notice from 60 and warns from 80', () => {
    // drawdown 16.7% (25) + daily loss 2.9% (25) + exposure 60% (20) + leverage 10x/20x (5) + one asset (10) = 85
    const c = ctx(view({ account: account({ equity: 10_000 }), positions: [position({ notional: 6_000, leverage: 10 })] }), {
      state: peak(12_000),
      history: history({ periodStarts: { 'binance:main': starts(10_300) } }),
    });
    const [f] = riskScoreRule.evaluate(c, settings());
    expect(f).toMatchObject({ severity: 'warning', action: { kind: 'alert' }, value: 85 });
    expect(formatReason(f!.reason)).toBe('Risk score 85 is at or above 80.');
    const calmer = ctx(view({ positions: [position({ notional: 6_000, leverage: 10 })] }), { state: peak(12_000) });
    expect(riskScoreRule.evaluate(calmer, settings())[0]).toMatchObject({ severity: 'notice', value: 60 });
  });

  it('goes reduce-only at 95', () => {
    const c = ctx(view({ positions: [position({ notional: 6_000, leverage: 20 })] }), {
      state: peak(12_000),
      history: history({ periodStarts: { 'binance:main': starts(10_300) }, atrPct: { BTCUSDT: 4 } }),
    });
    const [f] = riskScoreRule.evaluate(c, settings());
    expect(f).toMatchObject({ severity: 'emergency', action: { kind: 'reduce_only' }, value: 100 });
    expect(formatReason(f!.reason)).toBe('Risk score 100 is at or above 95.');
  });

  it('counts positions at zero equity as fully exposed', () => {
    const c = ctx(view({ account: account({ equity: 0 }), positions: [position({ side: 'short', size: -1 })] }));
    expect(c.metrics.scoreInputs.exposureUse).toBe(1);
  });
});
