// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { binanceAdapter } from '@/lib/pages/binance/adapter';
import { hyperliquidAdapter } from '@/lib/pages/hyperliquid/adapter';
import type { Detection } from '@/lib/pages/types';
import { loadFixture } from './load-fixture';

const BINANCE_ALL = ['submit', 'orderType', 'leverage', 'marginMode', 'size', 'sizeUnit'];

describe('binance detection per fixture', () => {
  it.each<[string, Omit<Detection, 'venue'>]>([
    [
      'binance-futures',
      {
        status: 'recognised',
        matched: [...BINANCE_ALL.slice(0, 4), 'price', 'size', 'sizeUnit', 'reduceOnly', 'tpslToggle'],
        missing: [],
        fallbacks: [],
      },
    ],
    [
      'binance-futures-hedge',
      {
        status: 'recognised',
        matched: [...BINANCE_ALL.slice(0, 4), 'price', 'size', 'sizeUnit', 'tpslToggle', 'takeProfit', 'stopLoss', 'closePosition'],
        missing: [],
        fallbacks: [],
      },
    ],
    [
      'binance-futures-market',
      {
        status: 'recognised',
        matched: [...BINANCE_ALL, 'reduceOnly', 'tpslToggle', 'takeProfit', 'stopLoss', 'closePosition'],
        missing: [],
        fallbacks: ['leverage'],
      },
    ],
    [
      'binance-futures-zh-cn',
      {
        status: 'recognised',
        matched: [...BINANCE_ALL.slice(0, 4), 'price', 'size', 'sizeUnit', 'closePosition'],
        missing: [],
        fallbacks: [],
      },
    ],
    [
      'binance-futures-usdt',
      {
        status: 'recognised',
        matched: [...BINANCE_ALL.slice(0, 4), 'price', 'stopPrice', 'size', 'sizeUnit', 'reduceOnly', 'tpslToggle'],
        missing: [],
        fallbacks: [],
      },
    ],
    [
      'binance-futures-redesign',
      {
        status: 'unrecognised',
        matched: ['size'],
        missing: ['submit', 'orderType', 'leverage', 'marginMode', 'sizeUnit'],
        fallbacks: [],
      },
    ],
    ['binance-spot', { status: 'unrecognised', matched: [], missing: BINANCE_ALL, fallbacks: [] }],
    ['unrelated', { status: 'unrecognised', matched: [], missing: BINANCE_ALL, fallbacks: [] }],
  ])('%s', (fixture, expected) => {
    expect(binanceAdapter.detect(loadFixture(fixture))).toEqual({ venue: 'binance', ...expected });
  });

  it('is partial when the leverage button is gone but orders can still be read', () => {
    const doc = loadFixture('binance-futures');
    [...doc.querySelectorAll('button')].find((b) => b.textContent === 'Cross 20x')!.remove();
    expect(binanceAdapter.detect(doc)).toMatchObject({ status: 'partial', missing: ['leverage', 'marginMode'] });
    expect(binanceAdapter.readOrder(doc, { href: 'https://www.binance.com/en/futures/BTCUSDT', click: null }).missing).toEqual([
      'leverage',
      'marginMode',
    ]);
  });

  it('is unrecognised when the size input is gone, even with the buttons in place', () => {
    const doc = loadFixture('binance-futures');
    doc.querySelector('input[id^="unitAmount-"]')!.remove();
    expect(binanceAdapter.detect(doc)).toMatchObject({ status: 'unrecognised', missing: ['size'] });
  });

  it('is recognised again once the page has rendered the form (detect re-runs on mutations)', () => {
    const doc = loadFixture('unrelated');
    expect(binanceAdapter.detect(doc).status).toBe('unrecognised');
    doc.body.innerHTML = loadFixture('binance-futures').body.innerHTML;
    expect(binanceAdapter.detect(doc).status).toBe('recognised');
  });
});

const HL_ALWAYS = ['placeOrder', 'sideToggle', 'sideSelected', 'orderType', 'leverage', 'marginMode', 'size', 'sizeUnit', 'reduceOnly', 'tpslToggle'];

describe('hyperliquid detection per fixture', () => {
  it.each<[string, Omit<Detection, 'venue'>]>([
    [
      'hyperliquid-trade',
      {
        status: 'recognised',
        matched: [...HL_ALWAYS.slice(0, 6), 'price', ...HL_ALWAYS.slice(6)],
        missing: [],
        fallbacks: [],
      },
    ],
    [
      'hyperliquid-builder-dex',
      // The selected side shows by colour only on this page.
      {
        status: 'recognised',
        matched: [...HL_ALWAYS, 'takeProfit', 'stopLoss', 'closePosition', 'closeConfirm'],
        missing: [],
        fallbacks: ['sideSelected'],
      },
    ],
    [
      'hyperliquid-stop-limit',
      {
        status: 'recognised',
        matched: [...HL_ALWAYS.slice(0, 6), 'price', 'stopPrice', ...HL_ALWAYS.slice(6)],
        missing: [],
        fallbacks: [],
      },
    ],
    [
      'hyperliquid-redesign',
      {
        status: 'unrecognised',
        matched: ['reduceOnly'],
        missing: HL_ALWAYS.filter((f) => f !== 'reduceOnly'),
        fallbacks: [],
      },
    ],
    ['unrelated', { status: 'unrecognised', matched: [], missing: HL_ALWAYS, fallbacks: [] }],
  ])('%s', (fixture, expected) => {
    expect(hyperliquidAdapter.detect(loadFixture(fixture))).toEqual({ venue: 'hyperliquid', ...expected });
  });

  it('reads the selected side from its colour when there is no ARIA state, and follows a switch', () => {
    const doc = loadFixture('hyperliquid-builder-dex');
    const [buy, sell] = [...doc.querySelectorAll('button')].filter((b) => / \/ /.test(b.textContent ?? ''));
    const read = () => hyperliquidAdapter.readOrder(doc, { href: 'https://app.hyperliquid.xyz/trade/xyz:XYZ100', click: null }).side;
    expect(read()).toBe('sell');
    sell!.classList.remove('jWMxGq');
    buy!.setAttribute('style', 'background-color: rgb(80, 210, 193)');
    expect(read()).toBe('buy');
    // Both painted: ambiguous, so no side rather than the first one.
    sell!.setAttribute('style', 'background-color: rgb(237, 112, 136)');
    expect(read()).toBeNull();
    const place = [...doc.querySelectorAll('button')].find((b) => b.textContent === 'Place Order')!;
    expect(hyperliquidAdapter.classifyClick(place)).toMatchObject({ kind: 'submit', side: null });
  });

  it('is partial when the side toggle shows no selected side; Place Order then carries no side', () => {
    const doc = loadFixture('hyperliquid-trade');
    for (const b of doc.querySelectorAll('[aria-pressed]')) b.removeAttribute('aria-pressed');
    expect(hyperliquidAdapter.detect(doc)).toMatchObject({ status: 'partial', missing: ['sideSelected'] });
    const place = [...doc.querySelectorAll('button')].find((b) => b.textContent === 'Place Order')!;
    expect(hyperliquidAdapter.classifyClick(place)).toMatchObject({ kind: 'submit', side: null });
    expect(hyperliquidAdapter.readOrder(doc, { href: 'https://app.hyperliquid.xyz/trade/BTC', click: null }).missing).toEqual(['side']);
  });

  it('counts a leverage shown as one "Cross 20x" button as a fallback', () => {
    const doc = loadFixture('hyperliquid-trade');
    const [cross, lev] = [...doc.querySelectorAll('button')];
    lev!.remove();
    cross!.textContent = 'Cross 20x';
    expect(hyperliquidAdapter.detect(doc)).toMatchObject({ status: 'recognised', fallbacks: ['leverage'] });
    expect(hyperliquidAdapter.readOrder(doc, { href: 'https://app.hyperliquid.xyz/trade/BTC', click: null })).toMatchObject({
      leverage: 20,
      marginMode: 'cross',
    });
  });
});
