import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { liquidationDistance } from '../../../../lib/risk/rules/liquidation-distance';
import { ctx, position, settings, view } from '../fixtures';

// A 10% minimum (the default is 3%) keeps the numbers round.
const S10 = settings({ position: { minLiquidationDistancePct: 10 } });
const run = (p: ReturnType<typeof position>) => liquidationDistance.evaluate(ctx(view({ positions: [p] }), { settings: S10 }), S10);

describe('liquidation-distance', () => {
  it('is silent on a flat account, far from liquidation, or without a liquidation price', () => {
    expect(liquidationDistance.evaluate(ctx(view()), settings())).toEqual([]);
    expect(run(position({ markPrice: 100, liquidationPrice: 96 }))[0]!.severity).toBe('emergency');
    expect(liquidationDistance.evaluate(ctx(view({ positions: [position({ markPrice: 100, liquidationPrice: 96 })] })), settings())).toEqual([]);
    expect(run(position({ markPrice: 100, liquidationPrice: 80 }))).toEqual([]);
    expect(run(position({ markPrice: null, liquidationPrice: null }))).toEqual([]);
  });

  it('alerts inside 1.25x the minimum, partially closes inside it, closes inside 2/3 of it', () => {
    expect(run(position({ markPrice: 100, liquidationPrice: 88 }))[0]).toMatchObject({ severity: 'warning', action: { kind: 'alert' } });
    const [p] = run(position({ markPrice: 100, liquidationPrice: 91, marginMode: 'isolated' }));
    expect(p).toMatchObject({ severity: 'critical', action: { kind: 'partial_close', pct: 50 }, breach: true });
    expect(formatReason(p!.reason)).toBe('BTCUSDT long: liquidation is 9% away, minimum 10%.');
    expect(run(position({ markPrice: 100, liquidationPrice: 95 }))[0]).toMatchObject({ severity: 'emergency', action: { kind: 'close_position' } });
  });

  it('measures a short upward and treats a crossed liquidation price as zero distance', () => {
    const [s] = run(position({ side: 'short', size: -1, markPrice: 100, liquidationPrice: 104 }));
    expect(formatReason(s!.reason)).toBe('BTCUSDT short: liquidation is 4% away, minimum 10%.');
    const [crossed] = run(position({ side: 'short', size: -1, markPrice: 100, liquidationPrice: 99 }));
    expect(crossed).toMatchObject({ severity: 'emergency', value: 0, usedPct: 10_000 });
  });

  it('says so when the mark price is missing', () => {
    const [f] = run(position({ markPrice: null, liquidationPrice: 90 }));
    expect(formatReason(f!.reason)).toBe('BTCUSDT long: no mark price yet, so the distance to liquidation check cannot run.');
  });
});
