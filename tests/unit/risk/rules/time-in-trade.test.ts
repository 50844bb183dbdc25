import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { timeInTrade } from '../../../../lib/risk/rules/time-in-trade';
import { initialRiskState } from '../../../../lib/risk/state';
import { MIN, NOW, ctx, position, settings, view } from '../fixtures';

describe('time-in-trade', () => {
  it('is silent on a flat account and a young position', () => {
    expect(timeInTrade.evaluate(ctx(view()), settings())).toEqual([]);
    expect(timeInTrade.evaluate(ctx(view({ positions: [position({ openedAt: NOW - 60 * MIN })] })), settings())).toEqual([]);
  });

  it('gives notice at 80% and alerts at the limit by default', () => {
    const [n] = timeInTrade.evaluate(ctx(view({ positions: [position({ openedAt: NOW - 1200 * MIN })] })), settings());
    expect(n).toMatchObject({ severity: 'notice', action: { kind: 'alert' } });
    const [f] = timeInTrade.evaluate(ctx(view({ positions: [position({ side: 'short', size: -1, openedAt: NOW - 1500 * MIN })] })), settings());
    expect(f).toMatchObject({ severity: 'warning', action: { kind: 'alert' }, value: 1500, limit: 1440 });
    expect(formatReason(f!.reason)).toBe('BTCUSDT short: open for 1500 minutes, limit 1440 minutes.');
  });

  it('closes at the limit when configured to', () => {
    const s = settings({ position: { timeInTradeAction: 'close', maxTimeInTradeMin: 60 } });
    const [f] = timeInTrade.evaluate(ctx(view({ positions: [position({ openedAt: NOW - 61 * MIN })] }), { settings: s }), s);
    expect(f).toMatchObject({ severity: 'critical', action: { kind: 'close_position' } });
  });

  it('falls back to when the engine first saw the position, and is off when the limit is null', () => {
    const st = initialRiskState();
    st.trails['binance:main'] = { BTCUSDT: { long: { best: 100, firstSeen: NOW - 2000 * MIN, entry: 100, size: 1 } } };
    const c = ctx(view({ positions: [position({ openedAt: null })] }), { state: st });
    expect(timeInTrade.evaluate(c, settings())[0]!.value).toBe(2000);
    const fresh = ctx(view({ positions: [position({ openedAt: null })] }));
    expect(timeInTrade.evaluate(fresh, settings())).toEqual([]);
    const off = settings({ position: { maxTimeInTradeMin: null } });
    expect(timeInTrade.evaluate(ctx(view({ positions: [position({ openedAt: 0 })] })), off)).toEqual([]);
  });
});
