import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { revengeTrading } from '../../../../lib/risk/rules/revenge-trading';
import { MIN, NOW, ctx, fill, history, settings, view } from '../fixtures';

const loss = (minutesAgo: number, size = 1) => fill({ symbol: 'BTCUSDT', realizedPnl: -5, size, price: 100, time: NOW - minutesAgo * MIN });
const entry = (minutesAgo: number, size: number) => fill({ symbol: 'ETHUSDT', side: 'buy', realizedPnl: 0, size, price: 100, time: NOW - minutesAgo * MIN });
const run = (fills: ReturnType<typeof fill>[]) => revengeTrading.evaluate(ctx(view(), { history: history({ fills }) }), settings());

describe('revenge-trading', () => {
  it('is silent without fills, after a win, or on a re-entry no larger than the loss', () => {
    expect(run([])).toEqual([]);
    expect(run([fill({ realizedPnl: 5, time: NOW - 10 * MIN }), entry(5, 3)])).toEqual([]);
    expect(run([loss(10), entry(5, 1)])).toEqual([]);
  });

  it('cools off the account after a larger re-entry soon after a loss', () => {
    const [f] = run([loss(10), entry(5, 2)]);
    expect(f).toMatchObject({ severity: 'warning', action: { kind: 'cooling_off', minutes: 30 }, scope: { kind: 'account' } });
    expect(formatReason(f!.reason)).toBe('ETHUSDT: re-entered 5 minutes after a loss with 2x the size.');
  });

  it('does not take a close at exactly the entry price for a re-entry when the venue marks it closing', () => {
    const ethLoss = fill({ symbol: 'ETHUSDT', side: 'sell', price: 1_000, size: 1, realizedPnl: -10, time: NOW - 5 * MIN });
    // A BTC long closed at its entry (a break-even stop): no realized PnL, notional 6,000.
    const breakEven = fill({ symbol: 'BTCUSDT', side: 'sell', price: 60_000, size: 0.1, realizedPnl: 0, fee: 2.4, time: NOW - 2 * MIN, closing: true });
    expect(run([ethLoss, breakEven])).toEqual([]);
    // When the venue does not say, a fill without realized PnL is taken as opening (6x the loss).
    const [f] = run([ethLoss, { ...breakEven, closing: undefined }]);
    expect(formatReason(f!.reason)).toBe('BTCUSDT: re-entered 3 minutes after a loss with 6x the size.');
  });

  it('ignores re-entries outside the window after the loss, and old re-entries', () => {
    expect(run([loss(30), entry(2, 3)])).toEqual([]);
    expect(run([loss(40), entry(20, 3)])).toEqual([]);
  });
});
