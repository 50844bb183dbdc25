import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { positionStopLoss } from '../../../../lib/risk/rules/position-stop-loss';
import { ctx, history, position, settings, strategy, view } from '../fixtures';

describe('position-stop-loss', () => {
  it('is silent on a flat account and on a small loss', () => {
    expect(positionStopLoss.evaluate(ctx(view()), settings())).toEqual([]);
    expect(positionStopLoss.evaluate(ctx(view({ positions: [position({ unrealizedPnl: -3 })] })), settings())).toEqual([]);
  });

  it('warns at 80% of the strategy stop ($4 of $5) and closes at it', () => {
    const warn = positionStopLoss.evaluate(ctx(view({ positions: [position({ unrealizedPnl: -4 })] })), settings());
    expect(warn[0]).toMatchObject({ severity: 'warning', action: { kind: 'alert' }, breach: false, usedPct: 80 });
    const [hit] = positionStopLoss.evaluate(ctx(view({ positions: [position({ side: 'short', size: -1, unrealizedPnl: -5 })] })), settings());
    expect(hit).toMatchObject({ severity: 'critical', action: { kind: 'close_position' }, breach: true, value: 5, limit: 5 });
    expect(formatReason(hit!.reason)).toBe('BTCUSDT short: losing $5.00, stop loss is $5.00.');
  });

  it("uses the strategy table's stop, and the account-wide cap when smaller", () => {
    const h = history({ strategies: [strategy({ strategyId: 'grid', stopLossUsd: 20 })] });
    const p = position({ strategyId: 'grid', unrealizedPnl: -10 });
    expect(positionStopLoss.evaluate(ctx(view({ positions: [p] }), { history: h }), settings())).toEqual([]);
    const s = settings({ position: { stopLossUsd: 8 } });
    const [f] = positionStopLoss.evaluate(ctx(view({ positions: [p] }), { history: h, settings: s }), s);
    expect(f).toMatchObject({ severity: 'critical', limit: 8 });
  });

  it('runs without a mark price (it uses the venue PnL) and on each hedge leg', () => {
    const legs = [
      position({ side: 'long', hedged: true, markPrice: null, unrealizedPnl: -6 }),
      position({ side: 'short', size: -1, hedged: true, markPrice: null, unrealizedPnl: 6 }),
    ];
    const out = positionStopLoss.evaluate(ctx(view({ positions: legs })), settings());
    expect(out.map((f) => [f.scope.kind === 'position' && f.scope.side, f.severity])).toEqual([['long', 'critical']]);
  });
});
