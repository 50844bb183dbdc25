/** The engine hands back the previous state's own records when nothing in them changed (structural sharing). */
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../../lib/risk/context';
import { evaluate } from '../../../lib/risk/engine';
import { initialRiskState } from '../../../lib/risk/state';
import { MIN, NOW, account, history, openOrder, position, settings, starts, strategy, view } from './fixtures';

const S = settings();
const H = history({ periodStarts: { 'binance:main': starts(10_000) }, strategies: [strategy({ stopLossUsd: 1_000, maxDrawdownUsd: 10_000 })] });
const at = (now: number, v: AccountView) => ({ ...v, receivedAt: now });

describe('evaluate: structural sharing', () => {
  // Reduce-only (exposure over the limit), a warning alert, and an open order that would add to the short, cancelled once.
  const v = view({
    account: account(),
    positions: [position({ symbol: 'BTCUSDT', markPrice: 96, notional: 6_000 }), position({ symbol: 'ETHUSDT', side: 'short', markPrice: 100 })],
    openOrders: [openOrder({ symbol: 'ETHUSDT', side: 'sell', price: 110 })],
  });

  it('returns the same records when an evaluation changes nothing, deep-equal to a fresh copy', () => {
    const first = evaluate([at(NOW, v)], H, initialRiskState(), S, NOW);
    expect(first.nextState.scopes['binance:main']?.trading).toBe('REDUCING');
    expect(Object.keys(first.nextState.issued).map((k) => k.slice(0, k.indexOf('|')))).toEqual(['alert', 'cancel']);
    const second = evaluate([at(NOW + 1_000, v)], H, first.nextState, S, NOW + 1_000);
    expect(second.actions).toEqual([]);
    const a = first.nextState;
    const b = second.nextState;
    expect(b.scopes).toBe(a.scopes);
    expect(b.issued).toBe(a.issued);
    expect(b.trails).toBe(a.trails);
    expect(b.peaks).toBe(a.peaks);
    // What changed is new; the rest is the same data a copy would hold.
    expect(b.accounts).not.toBe(a.accounts);
    expect(JSON.parse(JSON.stringify(b))).toEqual({ ...JSON.parse(JSON.stringify(a)), accounts: { 'binance:main': { ...a.accounts['binance:main'], at: NOW + 1_000 } } });
  });

  it('copies a record on its first change only, keeping the unchanged entries', () => {
    const first = evaluate([at(NOW, v)], H, initialRiskState(), S, NOW);
    // The ETH mark falls: a new best for the short, a new trail for ETH only.
    const moved = { ...v, positions: [v.positions[0]!, { ...v.positions[1]!, markPrice: 99 }] };
    const next = evaluate([at(NOW + MIN, moved)], H, first.nextState, S, NOW + MIN);
    const before = first.nextState.trails['binance:main']!;
    const after = next.nextState.trails['binance:main']!;
    expect(after).not.toBe(before);
    expect(after.BTCUSDT!.long).toBe(before.BTCUSDT!.long);
    expect(after.ETHUSDT!.short).toEqual({ best: 99, firstSeen: before.ETHUSDT!.short!.firstSeen, entry: 100, size: 1 });
    expect(next.nextState.scopes).toBe(first.nextState.scopes);
    // The input state is left as it was.
    expect(first.nextState.trails['binance:main']).toBe(before);
    expect(before.ETHUSDT!.short!.best).toBe(100);
  });
});
