import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { positionDrawdown } from '../../../../lib/risk/rules/position-drawdown';
import { account, ctx, position, settings, view } from '../fixtures';

const run = (positions: ReturnType<typeof position>[], s = settings()) => positionDrawdown.evaluate(ctx(view({ positions }), { settings: s }), s);

describe('position-drawdown', () => {
  it('is silent on a flat account', () => {
    expect(run([])).toEqual([]);
  });

  it('alerts at 80% of the limit (long, 4% move at 10x = 40% of margin)', () => {
    const [f, ...rest] = run([position({ entryPrice: 100, markPrice: 96, leverage: 10 })]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', action: { kind: 'alert' }, value: 40, limit: 50, usedPct: 80, breach: false });
    expect(formatReason(f!.reason)).toBe('BTCUSDT long: down 40% of margin (4% price move at 10x), limit 50%.');
  });

  it('asks for a partial close at the limit and a full close at 150% of it', () => {
    const [partial] = run([position({ entryPrice: 100, markPrice: 94.9, leverage: 10 })]);
    expect(partial).toMatchObject({ severity: 'critical', action: { kind: 'partial_close', pct: 50 }, breach: true });
    const [full] = run([position({ entryPrice: 100, markPrice: 92, leverage: 10 })]);
    expect(full).toMatchObject({ severity: 'emergency', action: { kind: 'close_position' }, breach: true });
    expect(formatReason(full!.reason)).toBe('BTCUSDT long: down 80% of margin (8% price move at 10x), limit 50%.');
  });

  it('measures a short against a rising price and ignores a short in profit', () => {
    const [f] = run([position({ side: 'short', size: -2, entryPrice: 100, markPrice: 108, leverage: 10 })]);
    expect(f).toMatchObject({ severity: 'emergency', scope: { kind: 'position', side: 'short' } });
    expect(run([position({ side: 'short', size: -2, entryPrice: 100, markPrice: 90, leverage: 10 })])).toEqual([]);
  });

  it('treats hedge-mode legs on one symbol separately', () => {
    const long = position({ side: 'long', size: 1, hedged: true, entryPrice: 100, markPrice: 94, leverage: 10 });
    const short = position({ side: 'short', size: -1, hedged: true, entryPrice: 100, markPrice: 94, leverage: 10 });
    const out = run([long, short]);
    expect(out).toHaveLength(1);
    expect(out[0]!.scope).toEqual({ kind: 'position', venue: 'binance', accountId: 'main', symbol: 'BTCUSDT', side: 'long' });
  });

  it('is leverage-adjusted the same way for isolated and cross margin', () => {
    const iso = run([position({ marginMode: 'isolated', entryPrice: 100, markPrice: 97, leverage: 20 })]);
    const cross = run([position({ marginMode: 'cross', entryPrice: 100, markPrice: 97, leverage: 20 })]);
    expect(iso[0]!.value).toBe(60);
    expect(cross[0]!.value).toBe(60);
    expect(iso[0]!.severity).toBe('critical');
  });

  it('says so when the mark price is missing instead of guessing', () => {
    const [f] = run([position({ markPrice: null })]);
    expect(f).toMatchObject({ severity: 'warning', value: null, usedPct: null, action: { kind: 'alert' } });
    expect(formatReason(f!.reason)).toBe('BTCUSDT long: no mark price yet, so the position drawdown check cannot run.');
  });

  it('does not depend on equity (zero equity still measures the position)', () => {
    const c = ctx(view({ account: account({ equity: 0, walletBalance: 0 }), positions: [position({ entryPrice: 100, markPrice: 90, leverage: 10 })] }));
    expect(positionDrawdown.evaluate(c, settings())[0]!.severity).toBe('emergency');
  });
});
