import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { trailingStop } from '../../../../lib/risk/rules/trailing-stop';
import { initialRiskState } from '../../../../lib/risk/state';
import { ctx, history, position, settings, view } from '../fixtures';

/** The trail of the position the tests use (entry 100, size 1). */
const withBest = (best: number, side: 'long' | 'short' = 'long') => {
  const st = initialRiskState();
  st.trails['binance:main'] = { BTCUSDT: { [side]: { best, firstSeen: 0, entry: 100, size: 1 } } };
  return st;
};

describe('trailing-stop', () => {
  it('is silent on a flat account and before it arms', () => {
    expect(trailingStop.evaluate(ctx(view()), settings())).toEqual([]);
    // Best 100.5 is under the 1% activation: a 3% retrace does nothing yet.
    const c = ctx(view({ positions: [position({ entryPrice: 100, markPrice: 97 })] }), { state: withBest(100.5) });
    expect(trailingStop.evaluate(c, settings())).toEqual([]);
  });

  it('closes a long that gave back 3% from its best price', () => {
    const c = ctx(view({ positions: [position({ entryPrice: 100, markPrice: 106.6 })] }), { state: withBest(110) });
    const [f] = trailingStop.evaluate(c, settings());
    expect(f).toMatchObject({ severity: 'critical', action: { kind: 'close_position' }, breach: false, limit: 3 });
    expect(formatReason(f!.reason)).toBe('BTCUSDT long: price 106.6 is 3.09% off its best 110, trailing stop is 3%.');
  });

  it('counts the current mark as the best when it is a new extreme', () => {
    const c = ctx(view({ positions: [position({ entryPrice: 100, markPrice: 120 })] }), { state: withBest(110) });
    expect(trailingStop.evaluate(c, settings())).toEqual([]);
  });

  it('trails a short from its lowest price', () => {
    const p = position({ side: 'short', size: -1, entryPrice: 100, markPrice: 92.8 });
    const [f] = trailingStop.evaluate(ctx(view({ positions: [p] }), { state: withBest(90, 'short') }), settings());
    expect(f).toMatchObject({ severity: 'critical', scope: { side: 'short' } });
    expect(formatReason(f!.reason)).toBe('BTCUSDT short: price 92.8 is 3.11% off its best 90, trailing stop is 3%.');
  });

  it('uses an ATR multiple when configured, and the % when ATR is unknown', () => {
    const s = settings({ position: { trailing: { mode: 'atr', atrMultiple: 2 } } });
    const p = position({ entryPrice: 100, markPrice: 106 }); // 3.64% off 110
    const calm = ctx(view({ positions: [p] }), { state: withBest(110), settings: s, history: history({ atrPct: { BTCUSDT: 2.5 } }) });
    expect(trailingStop.evaluate(calm, s)).toEqual([]); // trail 5%
    const unknown = ctx(view({ positions: [p] }), { state: withBest(110), settings: s });
    expect(trailingStop.evaluate(unknown, s)[0]!.limit).toBe(3);
  });

  it('does nothing when off, and says so without a mark price', () => {
    const off = settings({ position: { trailing: { mode: 'off' } } });
    expect(trailingStop.evaluate(ctx(view({ positions: [position({ markPrice: null })] })), off)).toEqual([]);
    const [f] = trailingStop.evaluate(ctx(view({ positions: [position({ markPrice: null, marginMode: 'isolated' })] })), settings());
    expect(formatReason(f!.reason)).toBe('BTCUSDT long: no mark price yet, so the trailing stop check cannot run.');
  });
});
