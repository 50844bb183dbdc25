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

  it('ignores re-entries outside the window after the loss, and old re-entries', () => {
    expect(run([loss(30), entry(2, 3)])).toEqual([]);
    expect(run([loss(40), entry(20, 3)])).toEqual([]);
  });
});
