// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { binanceAdapter } from '@/lib/pages/binance/adapter';
import { describeIntent, intentFromReading, intentKey, isExitOnly, orderWord } from '@/lib/pages/guard-intent';
import { hyperliquidAdapter } from '@/lib/pages/hyperliquid/adapter';
import { implicitSubmit } from '@/lib/pages/implicit-submit';
import type { OrderReading, PageAdapter } from '@/lib/pages/types';
import { FIXTURE_URLS } from './fixture-urls';
import { loadFixture } from './load-fixture';

/** The form as read at the click on the button with this text (the click lands on its inner span, as on the page). */
function readAt(adapter: PageAdapter, fixture: string, label: string): OrderReading {
  const doc = loadFixture(fixture);
  const b = [...doc.querySelectorAll('button, [role=button]')].find((e) => e.textContent?.trim() === label)!;
  const c = adapter.classifyClick(b.querySelector('span') ?? b);
  if (c?.kind !== 'submit') throw new Error(`${label} is not a submit on ${fixture}`);
  return adapter.readOrder(doc, { href: FIXTURE_URLS[fixture]!, click: c });
}

describe('intentFromReading', () => {
  it('one-way limit buy in coins (binance-futures, Buy/Long): the form as it stands, strategy manual', () => {
    expect(intentFromReading(readAt(binanceAdapter, 'binance-futures', 'Buy/Long'), 'main')).toEqual({
      ok: true,
      intent: {
        venue: 'binance',
        accountId: 'main',
        symbol: 'BTCUSDT',
        side: 'buy',
        type: 'limit',
        size: 0.01,
        sizeUnit: 'base',
        price: 97000,
        stopPrice: null,
        leverage: 20,
        reduceOnly: false,
        positionSide: null,
        strategyId: 'manual',
        stopLoss: null,
      },
    });
  });

  it('quote-sized stop limit with comma decimals (binance-futures-usdt): size counts in USDT', () => {
    const r = intentFromReading(readAt(binanceAdapter, 'binance-futures-usdt', 'Sell/Short'), null);
    expect(r).toMatchObject({
      ok: true,
      intent: { symbol: 'SOLUSDT', side: 'sell', type: 'stop_limit', size: 250.5, sizeUnit: 'quote', price: 180.25, stopPrice: 180.5, leverage: 5 },
    });
  });

  it('hedge-mode open with its stop loss (binance-futures-hedge, Open Long): position side long, not reduce-only', () => {
    const r = intentFromReading(readAt(binanceAdapter, 'binance-futures-hedge', 'Open Long'), null);
    expect(r).toMatchObject({ ok: true, intent: { symbol: 'ETHUSDT', side: 'buy', positionSide: 'long', reduceOnly: false, stopLoss: 3380, leverage: 50 } });
    expect(r.ok && isExitOnly(r.intent)).toBe(false);
  });

  it('hedge-mode close (binance-futures-zh-cn, 平多 = Close Long): a sell on the long side, reduce-only, an exit', () => {
    const r = intentFromReading(readAt(binanceAdapter, 'binance-futures-zh-cn', '平多'), null);
    expect(r).toMatchObject({ ok: true, intent: { side: 'sell', positionSide: 'long', reduceOnly: true, size: 0.5, price: 98000 } });
    expect(r.ok && isExitOnly(r.intent)).toBe(true);
  });

  it('Hyperliquid builder-dex market order in USDC, reduce-only (hyperliquid-builder-dex)', () => {
    const r = intentFromReading(readAt(hyperliquidAdapter, 'hyperliquid-builder-dex', 'Place Order'), null);
    expect(r).toMatchObject({
      ok: true,
      intent: { venue: 'hyperliquid', symbol: 'xyz:XYZ100', side: 'sell', type: 'market', price: null, size: 1500, sizeUnit: 'quote', reduceOnly: true, positionSide: null, stopLoss: 25500.5 },
    });
  });

  it('Enter in the size field reads the same order as the click on the default button', () => {
    const doc = loadFixture('hyperliquid-trade');
    const size = [...doc.querySelectorAll('input')][1]!;
    const c = implicitSubmit(hyperliquidAdapter, size)!;
    expect(c.label).toBe('Place Order');
    const r = intentFromReading(hyperliquidAdapter.readOrder(doc, { href: FIXTURE_URLS['hyperliquid-trade']!, click: c }), null);
    expect(r).toMatchObject({ ok: true, intent: { symbol: 'BTC', side: 'buy', size: 0.01, leverage: 20 } });
  });

  const reading = (over: Partial<OrderReading>): OrderReading => ({
    venue: 'binance',
    symbol: 'BTCUSDT',
    side: 'buy',
    positionMode: 'one-way',
    positionSide: null,
    type: null,
    price: null,
    stopPrice: null,
    size: 1,
    sizeUnit: null,
    sizeAsset: null,
    leverage: null,
    marginMode: null,
    reduceOnly: false,
    takeProfit: null,
    stopLoss: null,
    missing: [],
    ...over,
  });

  it('fills the gaps it can: unread type from the price, unread unit as coins, no position side in one-way mode', () => {
    expect(intentFromReading(reading({ price: 100 }), null)).toMatchObject({ ok: true, intent: { type: 'limit', sizeUnit: 'base' } });
    expect(intentFromReading(reading({}), null)).toMatchObject({ ok: true, intent: { type: 'market' } });
    expect(intentFromReading(reading({ positionSide: 'long' }), null)).toMatchObject({ ok: true, intent: { positionSide: null } });
  });

  it('names what it could not read: symbol, side, size', () => {
    expect(intentFromReading(reading({ symbol: null, side: null, size: null }), null)).toEqual({ ok: false, missing: ['symbol', 'side', 'size'] });
    expect(intentFromReading(reading({ size: 0 }), null)).toEqual({ ok: false, missing: ['size'] });
  });

  it('keys the order: a changed size, leverage or side is another order; the account is not part of it', () => {
    const a = intentFromReading(reading({ price: 100, leverage: 10 }), 'x');
    const b = intentFromReading(reading({ price: 100, leverage: 10 }), null);
    const c = intentFromReading(reading({ price: 100, leverage: 20 }), null);
    const d = intentFromReading(reading({ price: 100, leverage: 10, size: 2 }), null);
    if (!a.ok || !b.ok || !c.ok || !d.ok) throw new Error('unreadable');
    expect(intentKey(a.intent)).toBe(intentKey(b.intent));
    expect(intentKey(a.intent)).not.toBe(intentKey(c.intent));
    expect(intentKey(a.intent)).not.toBe(intentKey(d.intent));
  });

  it('describes the order for the dialog', () => {
    const bn = intentFromReading(readAt(binanceAdapter, 'binance-futures', 'Buy/Long'), null);
    const hl = intentFromReading(readAt(hyperliquidAdapter, 'hyperliquid-trade', 'Place Order'), null);
    const usdt = intentFromReading(readAt(binanceAdapter, 'binance-futures-usdt', 'Sell/Short'), null);
    if (!bn.ok || !hl.ok || !usdt.ok) throw new Error('unreadable');
    expect(describeIntent(bn.intent, 'Buy/Long', 'BTC')).toBe('Buy/Long 0.01 BTC on BTCUSDT, limit 97000, 20x');
    expect(describeIntent(hl.intent, 'Place Order', 'BTC')).toBe('Buy 0.01 BTC, limit 97000, 20x');
    expect(describeIntent(usdt.intent, 'Sell/Short', 'USDT')).toBe('Sell/Short 250.5 USDT on SOLUSDT, stop limit 180.25, 5x');
    expect(orderWord('平多', 'sell')).toBe('平多');
    expect(orderWord('Place Order', 'sell')).toBe('Sell');
  });
});
