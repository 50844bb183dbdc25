import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { positionCount } from '../../../../lib/risk/rules/position-count';
import { ctx, position, settings, view } from '../fixtures';

const many = (n: number) => Array.from({ length: n }, (_, i) => position({ symbol: `C${i}USDT` }));

describe('position-count', () => {
  it('is silent on a flat account and below the warning count', () => {
    expect(positionCount.evaluate(ctx(view()), settings())).toEqual([]);
    expect(positionCount.evaluate(ctx(view({ positions: many(4) })), settings())).toEqual([]);
  });
  it('warns at 5 and goes reduce-only above 10', () => {
    const [w] = positionCount.evaluate(ctx(view({ positions: many(5) })), settings());
    expect(w).toMatchObject({ severity: 'warning', action: { kind: 'alert' } });
    expect(formatReason(w!.reason)).toBe('5 positions open, limit 10.');
    const [c] = positionCount.evaluate(ctx(view({ positions: many(11) })), settings());
    expect(c).toMatchObject({ severity: 'critical', action: { kind: 'reduce_only' } });
  });
  it('counts hedge legs separately and ignores zero-size rows', () => {
    const legs = [...many(3), position({ side: 'long', hedged: true }), position({ side: 'short', size: -1, hedged: true }), position({ symbol: 'X', size: 0 })];
    expect(positionCount.evaluate(ctx(view({ positions: legs })), settings())[0]!.value).toBe(5);
  });
});
