/** The position book: which strategy a position belongs to, from the attributed fills (lib/domain/attribution.ts). */
import { describe, expect, it } from 'vitest';
import { applyFillToBook, bookKey, POSITION_BOOK_GRACE_MS, positionOwner, reconcileBook, type PositionBook } from '../../lib/domain/attribution';
import type { Fill } from '../../lib/domain/types';
import { position } from './risk/fixtures';

let n = 0;
const fill = (over: Partial<Fill> & Pick<Fill, 'side' | 'size' | 'strategyId'>): Fill => ({
  venue: 'binance', accountId: 'main', tradeId: `t${++n}`, symbol: 'BTCUSDT', price: 100, fee: 0, feeAsset: 'USDT', realizedPnl: 0, time: n,
  orderId: `o${n}`, clientOrderId: null, ...over,
});
const flat = { size: () => 0, hedged: false };
const L = bookKey('BTCUSDT', 'long');
const S = bookKey('BTCUSDT', 'short');

describe('position book', () => {
  it('opening fills add to their strategy; the larger share owns the position; what the book does not explain is the fallback', () => {
    const b: PositionBook = {};
    expect(applyFillToBook(b, fill({ side: 'buy', size: 1, strategyId: 'grid' }), flat, 'manual', 0)).toEqual({ bookTo: 'grid', key: L, shared: false });
    expect(applyFillToBook(b, fill({ side: 'buy', size: 0.5, strategyId: 'manual' }), flat, 'manual', 0).shared).toBe(true);
    expect(positionOwner(b[L], 1.5, 'manual')).toBe('grid');
    // The venue shows 3: 1.5 unexplained goes to the fallback (manual: 0.5 + 1.5 = 2 > 1).
    expect(positionOwner(b[L], 3, 'manual')).toBe('manual');
    expect(positionOwner(undefined, 1, 'btc-bot')).toBe('btc-bot');
    // A tie: the strategy that joined first.
    expect(positionOwner({ shares: { a: 1, b: 1 }, hedged: false, at: 0 }, 2, 'manual')).toBe('a');
  });

  it("a close books to the position's strategy whoever sends it, and takes the closer's own share first", () => {
    const b: PositionBook = {};
    applyFillToBook(b, fill({ side: 'buy', size: 1, strategyId: 'manual' }), flat, 'manual', 0);
    applyFillToBook(b, fill({ side: 'buy', size: 2, strategyId: 'grid' }), flat, 'manual', 0);
    // Manual sells 1 (no reduce-only flag: the venue does not say it closes; the book does).
    const r = applyFillToBook(b, fill({ side: 'sell', size: 1, strategyId: 'manual', realizedPnl: 5 }), { size: (k) => (k === L ? 3 : 0), hedged: false }, 'manual', 1);
    expect(r.bookTo).toBe('grid');
    expect(b[L]!.shares).toEqual({ grid: 2 });
    // Ringfence's close of everything (attributed manual): grid's.
    expect(applyFillToBook(b, fill({ side: 'sell', size: 2, strategyId: 'manual', closing: true }), flat, 'manual', 2).bookTo).toBe('grid');
    expect(b[L]).toBeUndefined();
  });

  it('a one-way flip opens the other side for the closing strategy; in hedge mode a close never does', () => {
    const b: PositionBook = {};
    applyFillToBook(b, fill({ side: 'buy', size: 1, strategyId: 'grid' }), flat, 'manual', 0);
    const r = applyFillToBook(b, fill({ side: 'sell', size: 1.5, strategyId: 'grid', closing: true, realizedPnl: -2 }), flat, 'manual', 1);
    expect(r).toEqual({ bookTo: 'grid', key: S, shared: false });
    expect(b[S]!.shares).toEqual({ grid: 0.5 });
    const h: PositionBook = {};
    applyFillToBook(h, fill({ side: 'buy', size: 1, strategyId: 'grid' }), { size: () => 0, hedged: true }, 'manual', 0);
    applyFillToBook(h, fill({ side: 'sell', size: 1.5, strategyId: 'grid', closing: true }), { size: () => 0, hedged: true }, 'manual', 1);
    expect(h).toEqual({});
  });

  it('reconciles with the venue after the grace period: gone entries dropped, larger ones scaled down', () => {
    const b: PositionBook = { [L]: { shares: { grid: 2, manual: 1 }, hedged: false, at: 0 }, [S]: { shares: { grid: 1 }, hedged: false, at: 0 } };
    const p = position({ symbol: 'BTCUSDT', side: 'long', size: 1.5 });
    expect(reconcileBook(b, [p], POSITION_BOOK_GRACE_MS - 1)).toBe(false);
    expect(reconcileBook(b, [p], POSITION_BOOK_GRACE_MS)).toBe(true);
    expect(b).toEqual({ [L]: { shares: { grid: 1, manual: 0.5 }, hedged: false, at: 0 } });
  });
});
