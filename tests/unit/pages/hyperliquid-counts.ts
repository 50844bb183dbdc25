/**
 * How many elements each hyperliquid registry field matches on each fixture page (tests/fixtures/pages/<fixture>.html).
 * Test data, kept out of lib/ so it does not ship in the page script; registry.test.ts holds the registry to it.
 */
import type { HyperliquidField } from '@/lib/pages/hyperliquid/registry';
import type { CountsOf } from './expected-counts';

export const HYPERLIQUID_FIXTURES = [
  'hyperliquid-trade', // BTC, Limit, Buy / Long, size in BTC
  'hyperliquid-builder-dex', // xyz:XYZ100, Market, Sell / Short, size in USDC, reduce-only, TP/SL, close dialog
  'hyperliquid-stop-limit', // ETH, Pro menu on Stop Limit, side toggle as a radio group
  'hyperliquid-redesign', // a layout where the known selectors are gone
  'unrelated',
] as const;

/** Per field, one count per fixture in HYPERLIQUID_FIXTURES order (a tuple, so a missing count is a type error). */
export const HYPERLIQUID_COUNTS: Record<HyperliquidField, CountsOf<typeof HYPERLIQUID_FIXTURES>> = {
  placeOrder: [1, 1, 1, 0, 0],
  sideToggle: [2, 2, 2, 0, 0],
  sideSelected: [1, 1, 1, 0, 0],
  orderType: [1, 1, 1, 0, 0],
  leverage: [1, 1, 1, 0, 0],
  marginMode: [1, 1, 1, 0, 0],
  price: [1, 0, 1, 0, 0],
  stopPrice: [0, 0, 1, 0, 0],
  size: [1, 1, 1, 0, 0],
  sizeUnit: [1, 1, 1, 0, 0],
  reduceOnly: [1, 1, 1, 1, 0],
  tpslToggle: [1, 1, 1, 0, 0],
  takeProfit: [0, 1, 0, 0, 0],
  stopLoss: [0, 1, 0, 0, 0],
  closePosition: [0, 4, 0, 0, 0],
  closeConfirm: [0, 1, 0, 0, 0],
};
