import { describe, expect, it } from 'vitest';
import { baseAsset, gateScopeOf, scopeKey } from '../../../lib/risk/keys';
import { isProtectiveOrder, maxQtyForAbsAfter, orderEffect } from '../../../lib/risk/orders';
import { intent, position } from './fixtures';

describe('orderEffect', () => {
  it('one-way: adding, reducing and flipping', () => {
    const long = [position({ size: 2, notional: 200 })];
    expect(orderEffect(intent({ side: 'buy' }), 1, long)).toMatchObject({ increases: true, before: 2, after: 3, sameDirection: true });
    expect(orderEffect(intent({ side: 'sell' }), 1, long)).toMatchObject({ increases: false, after: 1, sameDirection: false });
    expect(orderEffect(intent({ side: 'sell' }), 5, long)).toMatchObject({ increases: true, after: -3 });
    expect(orderEffect(intent({ side: 'sell' }), 1, [])).toMatchObject({ increases: true, before: 0, after: -1 });
  });

  it('reduce-only never adds or flips', () => {
    const short = [position({ side: 'short', size: -2 })];
    expect(orderEffect(intent({ side: 'buy', reduceOnly: true }), 5, short)).toMatchObject({ increases: false, after: 0 });
    expect(orderEffect(intent({ side: 'sell', reduceOnly: true }), 1, short)).toMatchObject({ increases: false, after: -2 });
  });

  it('hedge mode: the chosen side only', () => {
    const legs = [position({ side: 'long', size: 1, hedged: true, notional: 100 }), position({ side: 'short', size: -3, hedged: true, notional: 300 })];
    expect(orderEffect(intent({ side: 'buy', positionSide: 'short' }), 1, legs)).toMatchObject({ increases: false, before: -3, after: -2, legNotional: 300 });
    expect(orderEffect(intent({ side: 'buy', positionSide: 'short' }), 9, legs)).toMatchObject({ increases: false, after: 0 });
    expect(orderEffect(intent({ side: 'sell', positionSide: 'short' }), 1, legs)).toMatchObject({ increases: true, after: -4 });
    expect(orderEffect(intent({ side: 'buy', positionSide: 'long' }), 1, legs)).toMatchObject({ increases: true, before: 1, after: 2, legNotional: 100 });
  });

  it('largest order for a cap on the position after it', () => {
    const long = [position({ size: 2 })];
    expect(maxQtyForAbsAfter(orderEffect(intent({ side: 'buy' }), 1, long), 5)).toBe(3);
    expect(maxQtyForAbsAfter(orderEffect(intent({ side: 'sell' }), 1, long), 5)).toBe(7);
    expect(maxQtyForAbsAfter(orderEffect(intent({ side: 'buy' }), 1, long), 1)).toBe(0);
  });

  it('protective open orders: reduce-only, or the closing side in hedge mode', () => {
    expect(isProtectiveOrder({ side: 'buy', reduceOnly: true, positionSide: null })).toBe(true);
    expect(isProtectiveOrder({ side: 'sell', reduceOnly: false, positionSide: 'long' })).toBe(true);
    expect(isProtectiveOrder({ side: 'buy', reduceOnly: false, positionSide: 'short' })).toBe(true);
    expect(isProtectiveOrder({ side: 'buy', reduceOnly: false, positionSide: 'long' })).toBe(false);
    expect(isProtectiveOrder({ side: 'sell', reduceOnly: false, positionSide: null })).toBe(false);
  });
});

describe('keys', () => {
  it('base assets across venues', () => {
    expect(['BTCUSDT', 'ethusdc', 'BTC', 'xyz:TSLA', 'ETH-USDC', '1000PEPEUSDT', 'USDT'].map(baseAsset)).toEqual(['BTC', 'ETH', 'BTC', 'TSLA', 'ETH', '1000PEPE', 'USDT']);
  });
  it('positions are gated through their symbol', () => {
    const scope = { kind: 'position', venue: 'hyperliquid', accountId: '0xabc', symbol: 'ETH', side: 'short' } as const;
    expect(scopeKey(scope)).toBe('hyperliquid:0xabc:ETH:short');
    expect(scopeKey(gateScopeOf(scope))).toBe('hyperliquid:0xabc:ETH');
    expect(scopeKey({ kind: 'strategy', strategyId: 'grid' })).toBe('strategy:grid');
  });
});
