/**
 * How many elements each binance registry field matches on each fixture page (tests/fixtures/pages/<fixture>.html).
 * Test data, kept out of lib/ so it does not ship in the page script; registry.test.ts holds the registry to it.
 */
import type { BinanceField } from '@/lib/pages/binance/registry';
import type { CountsOf } from './expected-counts';

export const BINANCE_FIXTURES = [
  'binance-futures', // en, one-way, Limit tab, coin unit
  'binance-futures-hedge', // en, hedge, Open tab, TP/SL on, positions
  'binance-futures-market', // en, one-way, Market tab, reduce-only, isolated
  'binance-futures-zh-cn', // zh-CN, hedge, Close tab
  'binance-futures-usdt', // en, one-way, Stop Limit tab, USDT unit, comma decimals
  'binance-futures-redesign', // a layout where the known selectors are gone
  'binance-spot',
  'unrelated',
] as const;

/** Per field, one count per fixture in BINANCE_FIXTURES order (a tuple, so a missing count is a type error). */
export const BINANCE_COUNTS: Record<BinanceField, CountsOf<typeof BINANCE_FIXTURES>> = {
  submit: [2, 2, 2, 2, 2, 0, 0, 0],
  orderType: [1, 1, 1, 1, 1, 0, 0, 0],
  leverage: [1, 1, 1, 1, 1, 0, 0, 0],
  marginMode: [1, 1, 1, 1, 1, 0, 0, 0],
  price: [1, 1, 0, 1, 1, 0, 0, 0],
  stopPrice: [0, 0, 0, 0, 1, 0, 0, 0],
  size: [1, 1, 1, 1, 1, 1, 0, 0],
  sizeUnit: [1, 1, 1, 1, 1, 0, 0, 0],
  reduceOnly: [1, 0, 1, 0, 1, 0, 0, 0],
  tpslToggle: [1, 1, 1, 0, 1, 0, 0, 0],
  takeProfit: [0, 1, 1, 0, 0, 0, 0, 0],
  stopLoss: [0, 1, 1, 0, 0, 0, 0, 0],
  closePosition: [0, 4, 2, 2, 0, 0, 0, 0],
};
