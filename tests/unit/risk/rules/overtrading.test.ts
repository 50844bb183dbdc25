import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { overtrading } from '../../../../lib/risk/rules/overtrading';
import { MIN, NOW, ctx, fill, history, settings, view } from '../fixtures';

const trades = (n: number, spacingMin: number) => Array.from({ length: n }, (_, i) => fill({ time: NOW - i * spacingMin * MIN }));
const run = (fills: ReturnType<typeof fill>[]) => overtrading.evaluate(ctx(view(), { history: history({ fills }) }), settings());

describe('overtrading', () => {
  it('is silent at the caps', () => {
    expect(run([])).toEqual([]);
    expect(run(trades(10, 5))).toEqual([]);
  });

  it('cools off above 10 trades in an hour', () => {
    const [f] = run(trades(11, 5));
    expect(f).toMatchObject({ severity: 'warning', action: { kind: 'cooling_off', minutes: 30 } });
    expect(formatReason(f!.reason)).toBe('11 trades in the last hour, limit 10.');
  });

  it('halts while above 40 trades in 24 hours', () => {
    const [f] = run(trades(41, 30));
    expect(f).toMatchObject({ severity: 'critical', action: { kind: 'halt', until: 'condition', flatten: false } });
    expect(formatReason(f!.reason)).toBe('41 trades in the last 24 hours, limit 40.');
  });

  it('counts orders, not fills, and ignores trades older than 24 hours', () => {
    const oneOrder = Array.from({ length: 20 }, () => fill({ orderId: 'same', time: NOW - MIN }));
    expect(run(oneOrder)).toEqual([]);
    expect(run(trades(41, 40))).toEqual([]);
  });
});
