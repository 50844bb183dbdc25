import { describe, expect, it } from 'vitest';
import { baseAsset, gateScopeOf, scopeKey } from '../../../lib/risk/keys';
import type { OpenOrder } from '../../../lib/domain/types';
import { isProtectiveOrder, maxQtyForAbsAfter, oneWayExits, orderEffect, protectiveOrders } from '../../../lib/risk/orders';
import { intent, openOrder, position } from './fixtures';

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

describe('oneWayExits', () => {
  const ids = (s: Set<OpenOrder>) => [...s].map((o) => o.orderId).sort();
  const stop = (over: Partial<OpenOrder>) => openOrder({ side: 'sell', type: 'stop_market', price: null, stopPrice: 95, ...over });

  it('keeps an opposite order no larger than the net position, without the reduce-only flag', () => {
    const long = [position({ size: 1 })];
    expect(ids(oneWayExits([stop({ orderId: 'sl', size: 1 })], long))).toEqual(['sl']);
    expect(ids(oneWayExits([stop({ orderId: 'part', size: 0.4 })], long))).toEqual(['part']);
    // Larger than the position: it would open a short.
    expect(ids(oneWayExits([stop({ orderId: 'flip', size: 1.5 })], long))).toEqual([]);
    // Same side as the position: it adds. No position: it opens.
    expect(ids(oneWayExits([openOrder({ orderId: 'add', side: 'buy' })], long))).toEqual([]);
    expect(ids(oneWayExits([stop({ orderId: 'sl' })], []))).toEqual([]);
    // A short's exits are buys.
    const short = [position({ side: 'short', size: -2 })];
    expect(ids(oneWayExits([stop({ orderId: 'sl', side: 'buy', stopPrice: 105, size: 2 }), stop({ orderId: 'open', size: 1 })], short))).toEqual(['sl']);
  });

  it('keeps several exits while their running total stays within the position: stops first, then the largest', () => {
    const long = [position({ size: 1 })];
    const sl = stop({ orderId: 'sl', size: 1 });
    const tp = openOrder({ orderId: 'tp', side: 'sell', type: 'limit', price: 110, size: 1 });
    // Both filling would leave a short of 1: the stop-loss is kept, the take-profit is not.
    expect(ids(oneWayExits([tp, sl], long))).toEqual(['sl']);
    // Two halves and a quarter: the two halves fill the position, the quarter would go beyond it.
    const halves = [openOrder({ orderId: 'q', side: 'sell', size: 0.25 }), openOrder({ orderId: 'h1', side: 'sell', size: 0.5, time: 1 }), openOrder({ orderId: 'h2', side: 'sell', size: 0.5, time: 2 })];
    expect(ids(oneWayExits(halves, long))).toEqual(['h1', 'h2']);
    // What is left to fill counts (a half-filled order of 2 has 1 left), and 0.1 + 0.2 fits a position of 0.3.
    expect(ids(oneWayExits([stop({ orderId: 'half-done', size: 2, filled: 1 })], long))).toEqual(['half-done']);
    const small = [position({ size: 0.3 })];
    expect(ids(oneWayExits([stop({ orderId: 'a', size: 0.1 }), stop({ orderId: 'b', size: 0.2 })], small))).toEqual(['a', 'b']);
  });

  it('leaves reduce-only and hedge-mode orders to isProtectiveOrder, and does not count them', () => {
    const long = [position({ size: 1 })];
    const ro = stop({ orderId: 'ro', size: 1, reduceOnly: true });
    const hedge = stop({ orderId: 'hedge', size: 1, positionSide: 'long' });
    expect(ids(oneWayExits([ro, hedge, stop({ orderId: 'sl', size: 1 })], long))).toEqual(['sl']);
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

describe('protectiveOrders', () => {
  it('is the protective orders and the one-way exits together, never an order that adds or opens', () => {
    const long = [position({ size: 1 })];
    const stop = openOrder({ orderId: 'plain-sl', side: 'sell', type: 'stop_market', price: null, stopPrice: 95, size: 1 });
    const ro = openOrder({ orderId: 'ro-tp', side: 'sell', reduceOnly: true, size: 1 });
    const hedge = openOrder({ orderId: 'hedge-close', side: 'sell', positionSide: 'long', size: 1 });
    const entry = openOrder({ orderId: 'entry', side: 'buy', size: 1 });
    const kept = protectiveOrders([stop, ro, hedge, entry], long);
    expect([...kept].map((o) => o.orderId).sort()).toEqual(['hedge-close', 'plain-sl', 'ro-tp']);
  });
});
