import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../../lib/risk/engine';
import { formatReason } from '../../../../lib/risk/format';
import { strategyLimits } from '../../../../lib/risk/rules/strategy-limits';
import { initialRiskState } from '../../../../lib/risk/state';
import { validate } from '../../../../lib/risk/validate';
import { history, intent, NOW, openOrder, portfolio, position, settings, snapshot, strategy, view } from '../fixtures';

const grid = (over: Parameters<typeof strategy>[0] = {}) => strategy({ strategyId: 'grid', ...over });
const cancels = (r: ReturnType<typeof evaluate>) => r.actions.filter((a) => a.kind === 'cancel_orders');
const closes = (r: ReturnType<typeof evaluate>) => r.actions.filter((a) => a.kind === 'close_position' || a.kind === 'partial_close');

describe('strategy-limits', () => {
  it('is silent for enabled strategies without a symbol limit', () => {
    const v = view({ positions: [position({ strategyId: 'grid' })], openOrders: [openOrder({ strategyId: 'grid' })] });
    expect(strategyLimits.evaluate(portfolio([v], { history: history({ strategies: [grid()] }) }), settings())).toEqual([]);
  });

  it('halts a disabled strategy while it stays disabled, without closing its positions', () => {
    const [f] = strategyLimits.evaluate(portfolio([view()], { history: history({ strategies: [grid({ enabled: false })] }) }), settings());
    expect(f).toMatchObject({ scope: { kind: 'strategy', strategyId: 'grid' }, severity: 'warning', action: { kind: 'halt', until: 'condition', flatten: false }, breach: false });
    expect(formatReason(f!.reason)).toBe('Strategy grid is disabled.');
    // A killed one is the kill switch's.
    expect(strategyLimits.evaluate(portfolio([view()], { history: history({ strategies: [grid({ enabled: false, killed: true })] }) }), settings())).toEqual([]);
  });

  it('engine: a disabled strategy has its risk-increasing orders cancelled (as a killed one does), its positions kept, its stops kept', () => {
    const entry = openOrder({ strategyId: 'grid', orderId: 'e1' });
    const stop = openOrder({ strategyId: 'grid', orderId: 's1', reduceOnly: true, side: 'sell', type: 'stop_market', price: null, stopPrice: 50_000 });
    const v = view({ positions: [position({ strategyId: 'grid', unrealizedPnl: -1 })], openOrders: [entry, stop] });
    const r = evaluate([v], history({ strategies: [grid({ enabled: false })] }), initialRiskState(), settings(), NOW);
    expect(cancels(r)).toEqual([expect.objectContaining({ orderIds: ['e1'], reason: { code: 'strategy_disabled', strategyId: 'grid' } })]);
    expect(closes(r)).toEqual([]);
    expect(r.nextState.scopes['strategy:grid']?.trading).toBe('HALTED');
    // Enabled again: the hold ends with its condition.
    const back = evaluate([v], history({ strategies: [grid()] }), r.nextState, settings(), NOW + 1000);
    expect(back.nextState.scopes['strategy:grid']).toBeUndefined();
  });

  it('a strategy limited to one symbol: its orders on another are cancelled, its positions there reported, not closed', () => {
    const eth = openOrder({ strategyId: 'grid', orderId: 'eth', symbol: 'ETHUSDT' });
    const btc = openOrder({ strategyId: 'grid', orderId: 'btc', symbol: 'BTCUSDT' });
    const other = openOrder({ strategyId: 'manual', orderId: 'm1', symbol: 'BTCUSDT' });
    const p = position({ strategyId: 'grid', symbol: 'BTCUSDT' });
    const v = view({ positions: [p], openOrders: [eth, btc, other] });
    const h = history({ strategies: [grid({ symbol: 'ETHUSDT' })] });
    const found = strategyLimits.evaluate(portfolio([v], { history: h }), settings());
    expect(found.map((f) => [f.scope.kind, f.action.kind, formatReason(f.reason)])).toEqual([
      ['position', 'alert', 'Strategy grid trades only ETHUSDT, not BTCUSDT.'],
      ['symbol', 'cancel_orders', 'Strategy grid trades only ETHUSDT, not BTCUSDT.'],
    ]);
    const r = evaluate([v], h, initialRiskState(), settings(), NOW);
    expect(cancels(r)).toEqual([expect.objectContaining({ orderIds: ['btc'] })]);
    expect(closes(r)).toEqual([]);
    // Idempotent: the same input with the returned state asks for nothing new.
    expect(cancels(evaluate([v], h, r.nextState, settings(), NOW + 1000))).toEqual([]);
  });

  it('pre-trade: a strategy limited to ETHUSDT may not open BTCUSDT', () => {
    const res = validate(intent({ symbol: 'BTCUSDT', strategyId: 'grid', size: 0.001 }), snapshot({ strategy: grid({ symbol: 'ETHUSDT' }) }), initialRiskState(), settings(), NOW);
    expect(res.decision).toBe('block');
    expect(res.reasons.map((r) => formatReason(r.reason))).toContain('Strategy grid trades only ETHUSDT, not BTCUSDT.');
    const ok = validate(intent({ symbol: 'ETHUSDT', strategyId: 'grid', size: 0.001 }), snapshot({ strategy: grid({ symbol: 'ETHUSDT' }) }), initialRiskState(), settings(), NOW);
    expect(ok.reasons.map((r) => r.reason.code)).not.toContain('strategy_symbol');
  });
});
