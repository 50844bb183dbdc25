// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { binanceAdapter, binanceOrderType, binanceSubmitLabel } from '@/lib/pages/binance/adapter';
import { BINANCE_SUBMIT_TEXT } from '@/lib/pages/binance/registry';
import { hyperliquidAdapter, hyperliquidOrderType } from '@/lib/pages/hyperliquid/adapter';
import { implicitSubmit } from '@/lib/pages/implicit-submit';
import { fromHtml, loadFixture } from './load-fixture';

const strip = <T extends object>(c: T | null) => {
  if (!c) return c;
  const { button: _b, ...rest } = c as T & { button: unknown };
  return rest;
};

describe('binance submit buttons', () => {
  it.each([
    ['Buy/Long', 'buy', null, null],
    ['Sell/Short', 'sell', null, null],
    ['Buy / Long', 'buy', null, null],
    ['Open Long', 'buy', 'long', 'open'],
    ['Open Short', 'sell', 'short', 'open'],
    ['Close Long', 'sell', 'long', 'close'],
    ['Close Short', 'buy', 'short', 'close'],
    ['买入/做多', 'buy', null, null],
    ['卖出/做空', 'sell', null, null],
    ['开多', 'buy', 'long', 'open'],
    ['开空', 'sell', 'short', 'open'],
    ['平多', 'sell', 'long', 'close'],
    ['平空', 'buy', 'short', 'close'],
  ])('%s -> %s %s %s, clicked on a nested span', (label, side, positionSide, action) => {
    const doc = fromHtml(`<form><button type="submit"><div><span>${label}</span></div></button></form>`);
    expect(strip(binanceAdapter.classifyClick(doc.querySelector('span')))).toEqual({ kind: 'submit', side, positionSide, action, label });
    // The registry's text candidate and the label table agree.
    expect(BINANCE_SUBMIT_TEXT.test(label)).toBe(true);
  });

  it('returns the button element itself, also for a div with role=button', () => {
    const doc = fromHtml('<div role="button" id="b"><i></i><span>Open Long</span></div>');
    expect(binanceAdapter.classifyClick(doc.querySelector('i'))?.button).toBe(doc.getElementById('b'));
  });

  it.each(['Buy', 'Long', 'Buy BTC', 'Cross 20x', 'Limit', 'Market', 'TP/SL', 'Buy/Long now', '开仓'])('%s is not a submit', (label) => {
    const doc = fromHtml(`<button><span>${label}</span></button>`);
    expect(binanceAdapter.classifyClick(doc.querySelector('span'))).toBeNull();
    expect(binanceSubmitLabel(label)).toBeNull();
  });

  it('ignores targets that are not elements or not inside a button', () => {
    const doc = fromHtml('<div><span>Buy/Long</span></div>');
    expect(binanceAdapter.classifyClick(doc.querySelector('span'))).toBeNull();
    expect(binanceAdapter.classifyClick(null)).toBeNull();
    expect(binanceAdapter.classifyClick(doc)).toBeNull();
    expect(binanceAdapter.classifyClick(doc.querySelector('span')!.firstChild)).toBeNull(); // a text node
  });
});

describe('binance positions-table close buttons', () => {
  it('classifies each row button of the hedge fixture with the row symbol', () => {
    const doc = loadFixture('binance-futures-hedge');
    const rows = [...doc.querySelectorAll('[role=row] button')].map((b) => strip(binanceAdapter.classifyClick(b)));
    expect(rows).toEqual([
      { kind: 'close-position', symbol: 'ETHUSDT', method: 'market', placesOrder: true, label: 'Market' },
      { kind: 'close-position', symbol: 'ETHUSDT', method: 'limit', placesOrder: true, label: 'Limit' },
      { kind: 'close-position', symbol: 'BTCUSDT', method: 'market', placesOrder: true, label: 'Market' },
      { kind: 'close-position', symbol: 'BTCUSDT', method: 'limit', placesOrder: true, label: 'Limit' },
    ]);
  });

  it('reads the Chinese row buttons', () => {
    const doc = loadFixture('binance-futures-zh-cn');
    expect([...doc.querySelectorAll('[role=row] button')].map((b) => strip(binanceAdapter.classifyClick(b)))).toEqual([
      { kind: 'close-position', symbol: 'BTCUSDT', method: 'market', placesOrder: true, label: '市价' },
      { kind: 'close-position', symbol: 'BTCUSDT', method: 'limit', placesOrder: true, label: '限价' },
    ]);
  });

  it('does not take a Market button outside a table row for a close', () => {
    expect(binanceAdapter.classifyClick(fromHtml('<button>Market</button>').querySelector('button'))).toBeNull();
  });

  it('finds no submit among the other buttons of the fixtures', () => {
    const doc = loadFixture('binance-futures-hedge');
    const kinds = [...doc.querySelectorAll('button')].map((b) => binanceAdapter.classifyClick(b)?.kind ?? null);
    expect(kinds).toEqual([null, 'submit', 'submit', 'close-position', 'close-position', 'close-position', 'close-position']);
  });
});

describe('binance order type', () => {
  it.each([
    ['LIMIT', 'Limit', 'limit'],
    ['MARKET', 'Market', 'market'],
    ['POST_ONLY', 'Post Only', 'limit'],
    ['STOP', 'Stop Limit', 'stop_limit'],
    ['STOP', 'Stop Market', 'stop_market'],
    ['STOP_MARKET', '', 'stop_market'],
    ['TAKE_PROFIT', 'Take Profit Limit', 'take_profit_limit'],
    ['TAKE_PROFIT_MARKET', '', 'take_profit_market'],
    ['STOP', '限价止盈止损', 'stop_limit'],
    ['STOP', '市价止盈止损', 'stop_market'],
    ['TRAILING_STOP', 'Trailing Stop', null],
    ['TWAP', 'TWAP', null],
    [null, '限价', 'limit'],
    [null, 'Market', 'market'],
  ] as const)('%s / %s -> %s', (key, text, type) => {
    expect(binanceOrderType(key, text)).toBe(type);
  });
});

describe('hyperliquid clicks', () => {
  it('Place Order takes its side from the toggle, clicked on the button or a child', () => {
    const doc = loadFixture('hyperliquid-builder-dex');
    const place = [...doc.querySelectorAll('button')].find((b) => b.textContent === 'Place Order')!;
    place.innerHTML = '<span>Place Order</span>';
    expect(strip(hyperliquidAdapter.classifyClick(place.firstElementChild))).toEqual({
      kind: 'submit',
      side: 'sell',
      positionSide: null,
      action: null,
      label: 'Place Order',
    });
  });

  it('the side toggle, the leverage and the order-type controls are not submits', () => {
    const doc = loadFixture('hyperliquid-trade');
    const kinds = [...doc.querySelectorAll('button, [role=button]')].map((b) => [b.textContent, hyperliquidAdapter.classifyClick(b)?.kind ?? null]);
    expect(kinds).toEqual([
      ['Cross', null],
      ['20x', null],
      ['Buy / Long', null],
      ['Sell / Short', null],
      ['Mid', null],
      ['BTC', null],
      ['Place Order', 'submit'],
    ]);
  });

  it('the positions-table Limit / Market buttons open the close dialog (no order yet), with the row coin', () => {
    const doc = loadFixture('hyperliquid-builder-dex');
    expect([...doc.querySelectorAll('#accountTable [role=button]')].map((b) => strip(hyperliquidAdapter.classifyClick(b)))).toEqual([
      { kind: 'close-position', symbol: 'xyz:XYZ100', method: 'limit', placesOrder: false, label: 'Limit' },
      { kind: 'close-position', symbol: 'xyz:XYZ100', method: 'market', placesOrder: false, label: 'Market' },
      { kind: 'close-position', symbol: 'BTC', method: 'limit', placesOrder: false, label: 'Limit' },
      { kind: 'close-position', symbol: 'BTC', method: 'market', placesOrder: false, label: 'Market' },
    ]);
  });

  it('Close Position in the dialog places the close', () => {
    const doc = loadFixture('hyperliquid-builder-dex');
    const confirm = [...doc.querySelectorAll('button')].find((b) => b.textContent === 'Close Position')!;
    expect(strip(hyperliquidAdapter.classifyClick(confirm))).toEqual({
      kind: 'close-position',
      symbol: null,
      method: 'market',
      placesOrder: true,
      label: 'Close Position',
    });
  });

  it('Market / Limit outside #accountTable are not closes', () => {
    const doc = fromHtml('<table><tr><td>BTC</td><td><button>Market</button></td></tr></table>');
    expect(hyperliquidAdapter.classifyClick(doc.querySelector('button'))).toBeNull();
  });

  it.each([
    ['Market', 'market'],
    ['Limit', 'limit'],
    ['Stop Market', 'stop_market'],
    ['Stop Limit', 'stop_limit'],
    ['Take Market', 'take_profit_market'],
    ['Take Limit', 'take_profit_limit'],
    ['Scale', null],
    ['TWAP', null],
    ['Pro', null],
  ] as const)('order type %s -> %s', (text, type) => {
    expect(hyperliquidOrderType(text)).toBe(type);
  });
});

describe('implicitSubmit (Enter in the order form)', () => {
  it('is the form\'s default submit button, classified', () => {
    const bn = loadFixture('binance-futures-hedge');
    expect(strip(implicitSubmit(binanceAdapter, bn.querySelector('input[id^="unitAmount-"]')))).toMatchObject({ label: 'Open Long', side: 'buy' });
    const hl = loadFixture('hyperliquid-builder-dex');
    expect(strip(implicitSubmit(hyperliquidAdapter, hl.querySelector('input')))).toMatchObject({ label: 'Place Order', side: 'sell' });
  });

  it('is null outside a form or when the default button is not an order button', () => {
    expect(implicitSubmit(binanceAdapter, fromHtml('<input />').querySelector('input'))).toBeNull();
    expect(implicitSubmit(binanceAdapter, fromHtml('<form><input /><button>Cross 20x</button><button type="submit">Buy/Long</button></form>').querySelector('input'))).toBeNull();
    expect(implicitSubmit(binanceAdapter, null)).toBeNull();
  });

  it('on a focused button (or inside one) is that button: Sell/Short stays a sell, a close or a toggle sends nothing from the form', () => {
    const bn = loadFixture('binance-futures');
    const sell = [...bn.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Sell/Short')!;
    expect(strip(implicitSubmit(binanceAdapter, sell))).toMatchObject({ label: 'Sell/Short', side: 'sell' });
    expect(strip(implicitSubmit(binanceAdapter, sell.querySelector('span') ?? sell))).toMatchObject({ label: 'Sell/Short', side: 'sell' });
    // A positions row inside the same form as Buy/Long: Enter on its Market button is a close, not a Buy/Long.
    const rows = fromHtml('<form><input /><button type="submit">Buy/Long</button><div role="row"><div role="cell">BTCUSDT</div><button type="button">Market</button></div></form>');
    const close = rows.querySelector('[role=row] button')!;
    expect(binanceAdapter.classifyClick(close)?.kind).toBe('close-position');
    expect(implicitSubmit(binanceAdapter, close)).toBeNull();
    const hl = loadFixture('hyperliquid-trade');
    const toggle = [...hl.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Sell / Short')!;
    expect(implicitSubmit(hyperliquidAdapter, toggle)).toBeNull();
    expect(implicitSubmit(binanceAdapter, fromHtml('<form><input /><button type="button">Cross 20x</button><button type="submit">Buy/Long</button></form>').querySelector('button'))).toBeNull();
  });
});

describe('hyperliquid Place Order outside the toggle form', () => {
  it('finds the side toggle elsewhere on the page when the button\'s form does not hold it', () => {
    const doc = fromHtml(
      '<div><button aria-pressed="false">Buy / Long</button><button aria-pressed="true">Sell / Short</button></div>' +
        '<form><button type="submit">Place Order</button></form>',
    );
    expect(hyperliquidAdapter.classifyClick(doc.querySelector('form button'))).toMatchObject({ kind: 'submit', side: 'sell' });
  });
});
