import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { consecutiveLosses, streakLeverageCap } from '../../../../lib/risk/rules/consecutive-losses';
import { MIN, NOW, ctx, fill, history, settings, view } from '../fixtures';

const closes = (pnls: number[]) => pnls.map((p, i) => fill({ realizedPnl: p, time: NOW - (pnls.length - i) * MIN }));
const run = (pnls: number[]) => consecutiveLosses.evaluate(ctx(view(), { history: history({ fills: closes(pnls) }) }), settings());

describe('consecutive-losses', () => {
  it('is silent without fills and below the threshold', () => {
    expect(run([])).toEqual([]);
    expect(run([-1, -1])).toEqual([]);
  });

  it('caps leverage at 10x from 3 losses and 5x from 5', () => {
    const [f] = run([5, -1, -2, -3]);
    expect(f).toMatchObject({ severity: 'warning', action: { kind: 'alert' }, value: 3 });
    expect(formatReason(f!.reason)).toBe('3 losing trades in a row: leverage capped at 10x.');
    expect(formatReason(run([-1, -1, -1, -1, -1])[0]!.reason)).toBe('5 losing trades in a row: leverage capped at 5x.');
  });

  it('resets on a win, counts fees, and ignores opening fills', () => {
    expect(run([-1, -1, -1, 2])).toEqual([]);
    const fills = [...closes([-1, -1]), fill({ realizedPnl: 1, fee: 2, time: NOW - 10_000 }), fill({ realizedPnl: 0, time: NOW - 5_000 })];
    expect(consecutiveLosses.evaluate(ctx(view(), { history: history({ fills }) }), settings())[0]!.value).toBe(3);
  });

  it('counts a close at exactly the entry price as a loss of its fee when the venue marks it closing', () => {
    const fills = [...closes([-1, -1]), fill({ realizedPnl: 0, fee: 0.5, closing: true, time: NOW - 5_000 })];
    expect(consecutiveLosses.evaluate(ctx(view(), { history: history({ fills }) }), settings())[0]!.value).toBe(3);
    // An opening fill the venue marks so stays out of the streak.
    const opening = [...closes([-1, -1]), fill({ realizedPnl: 0, fee: 0.5, closing: false, time: NOW - 5_000 })];
    expect(consecutiveLosses.evaluate(ctx(view(), { history: history({ fills: opening }) }), settings())).toEqual([]);
  });

  it('groups fills of one order into one trade', () => {
    const fills = [fill({ orderId: 'x', realizedPnl: -1 }), fill({ orderId: 'x', realizedPnl: -1 }), fill({ orderId: 'y', realizedPnl: -1 })];
    expect(consecutiveLosses.evaluate(ctx(view(), { history: history({ fills }) }), settings())).toEqual([]);
  });

  it('reads the schedule', () => {
    const s = settings();
    expect([2, 3, 4, 5, 7, 20].map((n) => streakLeverageCap(n, s))).toEqual([null, 10, 10, 5, 2, 2]);
  });
});
