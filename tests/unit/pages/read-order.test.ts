// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { binanceAdapter } from '@/lib/pages/binance/adapter';
import { hyperliquidAdapter } from '@/lib/pages/hyperliquid/adapter';
import { PAGE_ADAPTERS } from '@/lib/pages';
import type { OrderReading, PageAdapter, SubmitClick } from '@/lib/pages/types';
import { FIXTURE_URLS } from './fixture-urls';
import { loadFixture } from './load-fixture';

/** The button with this exact text, or a child of it when `inner` (a click lands on the innermost element). */
function button(doc: Document, text: string, inner = false): Element {
  const b = [...doc.querySelectorAll('button, [role=button]')].find((e) => e.textContent?.trim() === text);
  if (!b) throw new Error(`no button ${text}`);
  return inner ? (b.querySelector('span') ?? b) : b;
}

function clickRead(adapter: PageAdapter, fixture: string, label: string | null): OrderReading {
  const doc = loadFixture(fixture);
  let click: SubmitClick | null = null;
  if (label !== null) {
    const c = adapter.classifyClick(button(doc, label, true));
    if (c?.kind !== 'submit') throw new Error(`${label} is not a submit on ${fixture}`);
    click = c;
  }
  return adapter.readOrder(doc, { href: FIXTURE_URLS[fixture]!, click });
}

const BLANK = {
  side: null,
  positionMode: null,
  positionSide: null,
  type: null,
  price: null,
  stopPrice: null,
  size: null,
  sizeUnit: null,
  sizeAsset: null,
  leverage: null,
  marginMode: null,
  reduceOnly: false,
  takeProfit: null,
  stopLoss: null,
  missing: [],
} as const;

describe('binance readOrder on every fixture', () => {
  it.each<[string, string | null, Partial<OrderReading>]>([
    [
      'binance-futures',
      'Buy/Long',
      {
        symbol: 'BTCUSDT',
        side: 'buy',
        positionMode: 'one-way',
        type: 'limit',
        price: 97000,
        size: 0.01,
        sizeUnit: 'base',
        sizeAsset: 'BTC',
        leverage: 20,
        marginMode: 'cross',
      },
    ],
    [
      'binance-futures-hedge',
      'Open Short',
      {
        symbol: 'ETHUSDT',
        side: 'sell',
        positionMode: 'hedge',
        positionSide: 'short',
        type: 'limit',
        price: 3450.25,
        size: 1.5,
        sizeUnit: 'base',
        sizeAsset: 'ETH',
        leverage: 50,
        marginMode: 'cross',
        takeProfit: 3600,
        stopLoss: 3380,
      },
    ],
    [
      'binance-futures-market',
      'Sell/Short',
      {
        symbol: 'BTCUSDT',
        side: 'sell',
        positionMode: 'one-way',
        type: 'market',
        size: 0.25,
        sizeUnit: 'base',
        sizeAsset: 'BTC',
        leverage: 10,
        marginMode: 'isolated',
        reduceOnly: true,
        stopLoss: 92000,
      },
    ],
    [
      'binance-futures-zh-cn',
      '平多',
      {
        symbol: 'BTCUSDT',
        side: 'sell',
        positionMode: 'hedge',
        positionSide: 'long',
        type: 'limit',
        price: 98000,
        size: 0.5,
        sizeUnit: 'base',
        sizeAsset: 'BTC',
        leverage: 20,
        marginMode: 'cross',
        reduceOnly: true,
      },
    ],
    [
      'binance-futures-usdt',
      'Buy/Long',
      {
        symbol: 'SOLUSDT',
        side: 'buy',
        positionMode: 'one-way',
        type: 'stop_limit',
        price: 180.25,
        stopPrice: 180.5,
        size: 250.5,
        sizeUnit: 'quote',
        sizeAsset: 'USDT',
        leverage: 5,
        marginMode: 'cross',
      },
    ],
    // Nothing to click: the known buttons are gone. Only the size input kept its id.
    ['binance-futures-redesign', null, {
      symbol: 'BTCUSDT',
      size: 0.01,
      missing: ['type', 'sizeUnit', 'leverage', 'marginMode'],
    }],
    ['binance-spot', null, { symbol: null, missing: ['type', 'size', 'sizeUnit', 'leverage', 'marginMode'] }],
  ])('%s, clicking %s', (fixture, label, expected) => {
    expect(clickRead(binanceAdapter, fixture, label)).toEqual({ ...BLANK, venue: 'binance', ...expected });
  });

  it('reads the same form for the other side and the other hedge button', () => {
    expect(clickRead(binanceAdapter, 'binance-futures', 'Sell/Short')).toMatchObject({ side: 'sell', positionSide: null });
    expect(clickRead(binanceAdapter, 'binance-futures-hedge', 'Open Long')).toMatchObject({ side: 'buy', positionSide: 'long', reduceOnly: false });
    expect(clickRead(binanceAdapter, 'binance-futures-zh-cn', '平空')).toMatchObject({ side: 'buy', positionSide: 'short', reduceOnly: true });
  });

  it('without a click (panel prefill) leaves the side unknown and does not call it missing', () => {
    expect(clickRead(binanceAdapter, 'binance-futures', null)).toMatchObject({ side: null, positionMode: 'one-way', missing: [] });
  });

  it('reads the form at click time, after the user changed it', () => {
    const doc = loadFixture('binance-futures');
    (doc.querySelector('input[id^="unitAmount-"]') as HTMLInputElement).value = '0,75';
    (doc.querySelector('input[id^="limitPrice-"]') as HTMLInputElement).value = '96 500.5';
    const click = binanceAdapter.classifyClick(button(doc, 'Buy/Long')) as SubmitClick;
    expect(binanceAdapter.readOrder(doc, { href: FIXTURE_URLS['binance-futures']!, click })).toMatchObject({ price: 96500.5, size: 0.75, missing: [] });
  });

  it('reports an empty size, an ambiguous price and an unreadable stop loss as missing instead of guessing', () => {
    const doc = loadFixture('binance-futures-hedge');
    (doc.querySelector('input[id^="unitAmount-"]') as HTMLInputElement).value = '';
    (doc.querySelector('input[id^="limitPrice-"]') as HTMLInputElement).value = '3,450';
    (doc.querySelector('input[id^="stopLossStopPrice"]') as HTMLInputElement).value = 'abc';
    (doc.querySelector('input[id^="takeProfitStopPrice"]') as HTMLInputElement).value = '';
    const click = binanceAdapter.classifyClick(button(doc, 'Open Long')) as SubmitClick;
    expect(binanceAdapter.readOrder(doc, { href: FIXTURE_URLS['binance-futures-hedge']!, click })).toMatchObject({
      price: null,
      size: null,
      takeProfit: null,
      stopLoss: null,
      missing: ['price', 'size', 'stopLoss'],
    });
  });

  it('does not take a zero or negative size or price for a reading', () => {
    const doc = loadFixture('binance-futures');
    (doc.querySelector('input[id^="unitAmount-"]') as HTMLInputElement).value = '0';
    (doc.querySelector('input[id^="limitPrice-"]') as HTMLInputElement).value = '-97000';
    expect(binanceAdapter.readOrder(doc, { href: FIXTURE_URLS['binance-futures']!, click: null })).toMatchObject({
      price: null,
      size: null,
      missing: ['price', 'size'],
    });
    const hl = loadFixture('hyperliquid-builder-dex');
    const tp = [...hl.querySelectorAll('input')].find((i) => i.value === '24000')!;
    tp.value = '0';
    expect(hyperliquidAdapter.readOrder(hl, { href: FIXTURE_URLS['hyperliquid-builder-dex']!, click: null })).toMatchObject({
      takeProfit: null,
      missing: ['takeProfit'],
    });
  });

  it('ignores TP/SL inputs while their box is unticked', () => {
    const doc = loadFixture('binance-futures-hedge');
    doc.querySelector('[role=checkbox]')!.setAttribute('aria-checked', 'false');
    expect(binanceAdapter.readOrder(doc, { href: FIXTURE_URLS['binance-futures-hedge']!, click: null })).toMatchObject({
      takeProfit: null,
      stopLoss: null,
    });
  });

  it('takes the symbol from the URL at read time (coin switch without reload)', () => {
    const doc = loadFixture('binance-futures');
    expect(binanceAdapter.readOrder(doc, { href: 'https://www.binance.com/en/futures/ETHUSDT', click: null }).symbol).toBe('ETHUSDT');
    expect(binanceAdapter.readOrder(doc, { href: 'https://app.hyperliquid.xyz/trade/BTC', click: null }).symbol).toBeNull();
  });
});

describe('hyperliquid readOrder on every fixture', () => {
  it.each<[string, string | null, Partial<OrderReading>]>([
    [
      'hyperliquid-trade',
      'Place Order',
      {
        symbol: 'BTC',
        side: 'buy',
        positionMode: 'one-way',
        type: 'limit',
        price: 97000,
        size: 0.01,
        sizeUnit: 'base',
        sizeAsset: 'BTC',
        leverage: 20,
        marginMode: 'cross',
      },
    ],
    [
      'hyperliquid-builder-dex',
      'Place Order',
      {
        symbol: 'xyz:XYZ100',
        side: 'sell',
        positionMode: 'one-way',
        type: 'market',
        size: 1500,
        sizeUnit: 'quote',
        sizeAsset: 'USDC',
        leverage: 10,
        marginMode: 'isolated',
        reduceOnly: true,
        takeProfit: 24000,
        stopLoss: 25500.5,
      },
    ],
    [
      'hyperliquid-stop-limit',
      'Place Order',
      {
        symbol: 'ETH',
        side: 'buy',
        positionMode: 'one-way',
        type: 'stop_limit',
        price: 3505.5,
        stopPrice: 3500,
        size: 2.5,
        sizeUnit: 'base',
        sizeAsset: 'ETH',
        leverage: 25,
        marginMode: 'cross',
      },
    ],
    ['hyperliquid-redesign', null, {
      symbol: 'BTC',
      missing: ['side', 'type', 'size', 'sizeUnit', 'leverage', 'marginMode'],
    }],
    ['unrelated', null, { symbol: null, missing: ['side', 'type', 'size', 'sizeUnit', 'leverage', 'marginMode'] }],
  ])('%s, clicking %s', (fixture, label, expected) => {
    expect(clickRead(hyperliquidAdapter, fixture, label)).toEqual({ ...BLANK, venue: 'hyperliquid', ...expected });
  });

  it('reads the side from the toggle even without a click', () => {
    expect(clickRead(hyperliquidAdapter, 'hyperliquid-builder-dex', null)).toMatchObject({ side: 'sell', missing: [] });
  });

  it('follows the toggle when the user switches side', () => {
    const doc = loadFixture('hyperliquid-trade');
    const [buy, sell] = [button(doc, 'Buy / Long'), button(doc, 'Sell / Short')];
    buy.setAttribute('aria-pressed', 'false');
    sell.setAttribute('aria-pressed', 'true');
    const click = hyperliquidAdapter.classifyClick(button(doc, 'Place Order')) as SubmitClick;
    expect(click.side).toBe('sell');
    expect(hyperliquidAdapter.readOrder(doc, { href: FIXTURE_URLS['hyperliquid-trade']!, click }).side).toBe('sell');
  });

  it('reads a stop limit order from the Pro menu (trigger price and limit price)', () => {
    const doc = loadFixture('hyperliquid-trade');
    const tab = doc.querySelector('[role=tab][aria-selected=true]')!;
    tab.textContent = 'Stop Limit';
    const price = doc.querySelector('input')!.closest('div')!;
    price.insertAdjacentHTML('beforebegin', '<div><div>Trigger Price (USDC)</div><input value="96000" /></div>');
    expect(hyperliquidAdapter.readOrder(doc, { href: FIXTURE_URLS['hyperliquid-trade']!, click: null })).toMatchObject({
      type: 'stop_limit',
      stopPrice: 96000,
      price: 97000,
      missing: [],
    });
  });

  it('reports a TWAP (no single price) as an unknown type', () => {
    const doc = loadFixture('hyperliquid-trade');
    doc.querySelector('[role=tab][aria-selected=true]')!.textContent = 'TWAP';
    expect(hyperliquidAdapter.readOrder(doc, { href: FIXTURE_URLS['hyperliquid-trade']!, click: null })).toMatchObject({
      type: null,
      price: 97000,
      missing: ['type'],
    });
  });
});

describe('the adapters only read', () => {
  it.each(Object.keys(FIXTURE_URLS))('%s is unchanged after detect, classify and read', (fixture) => {
    const doc = loadFixture(fixture);
    const before = doc.documentElement.outerHTML;
    const values = [...doc.querySelectorAll('input')].map((i) => (i as HTMLInputElement).value);
    for (const adapter of Object.values(PAGE_ADAPTERS)) {
      adapter.detect(doc);
      for (const b of doc.querySelectorAll('button, [role=button]')) {
        const c = adapter.classifyClick(b);
        adapter.readOrder(doc, { href: FIXTURE_URLS[fixture]!, click: c?.kind === 'submit' ? c : null });
      }
    }
    expect(doc.documentElement.outerHTML).toBe(before);
    expect([...doc.querySelectorAll('input')].map((i) => (i as HTMLInputElement).value)).toEqual(values);
  });
});
