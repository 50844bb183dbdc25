/**
 * Selectors for the Hyperliquid trade page (app.hyperliquid.xyz/trade/<COIN>). The page has no test ids: after
 * the stable ids (#root, #accountTable) only ARIA state and visible English texts are left. The expected counts
 * refer to tests/fixtures/pages/<fixture>.html; tests/unit/pages/registry.test.ts holds them to it.
 */
import { countsIn, type FieldSpec, type SelectorRegistry } from '../registry';

export const HYPERLIQUID_FIXTURES = [
  'hyperliquid-trade', // BTC, Limit, Buy / Long, size in BTC
  'hyperliquid-builder-dex', // xyz:XYZ100, Market, Sell / Short, size in USDC, reduce-only, TP/SL, close dialog
  'hyperliquid-stop-limit', // ETH, Pro menu on Stop Limit, side toggle as a radio group
  'hyperliquid-redesign', // a layout where the known selectors are gone
  'unrelated',
] as const;
export type HyperliquidFixture = (typeof HYPERLIQUID_FIXTURES)[number];

export type HyperliquidField =
  | 'placeOrder'
  | 'sideToggle'
  | 'sideSelected'
  | 'orderType'
  | 'leverage'
  | 'marginMode'
  | 'price'
  | 'stopPrice'
  | 'size'
  | 'sizeUnit'
  | 'reduceOnly'
  | 'tpslToggle'
  | 'takeProfit'
  | 'stopLoss'
  | 'closePosition'
  | 'closeConfirm';

/** Expected counts in HYPERLIQUID_FIXTURES order. */
const n = countsIn(HYPERLIQUID_FIXTURES);

export const HL_SIDE_TEXT = /^(buy\s*\/\s*long|sell\s*\/\s*short)$/i;
export const HL_PLACE_TEXT = /^place order$/i;
export const HL_CLOSE_CONFIRM_TEXT = /^close position$/i;
export const HL_CLOSE_TEXT = /^(market|limit)$/i;
const BUTTON = 'button, [role=button]';

const fields: Record<HyperliquidField, FieldSpec<HyperliquidFixture>> = {
  placeOrder: {
    presence: 'always',
    candidates: [{ css: BUTTON, text: HL_PLACE_TEXT }],
    expected: n(1, 1, 1, 0, 0),
  },
  sideToggle: {
    presence: 'always',
    candidates: [{ css: `${BUTTON}, [role=tab], [role=radio]`, text: HL_SIDE_TEXT }],
    expected: n(2, 2, 2, 0, 0),
  },
  // Which side is on: ARIA state when the page exposes it, else the one toggle painted with a colour.
  sideSelected: {
    presence: 'always',
    candidates: [
      {
        css: '[aria-pressed=true], [aria-selected=true], [aria-checked=true], [data-state=active], [data-state=on]',
        text: HL_SIDE_TEXT,
      },
      { css: `${BUTTON}, [role=tab], [role=radio]`, text: HL_SIDE_TEXT, filled: true },
    ],
    expected: n(1, 1, 1, 0, 0),
  },
  orderType: {
    presence: 'always',
    candidates: [
      {
        css: '[role=tab][aria-selected=true]',
        text: /^(market|limit|stop market|stop limit|take market|take limit|scale|twap|pro)$/i,
      },
    ],
    expected: n(1, 1, 1, 0, 0),
  },
  leverage: {
    presence: 'always',
    candidates: [
      { css: BUTTON, text: /^\d+(?:\.\d+)?\s*x$/i },
      { css: BUTTON, text: /^(?:cross|isolated|strict isolated)\s+\d+(?:\.\d+)?\s*x$/i },
    ],
    expected: n(1, 1, 1, 0, 0),
  },
  marginMode: {
    presence: 'always',
    candidates: [{ css: BUTTON, text: /^(cross|isolated|strict isolated)(?:\s+\d+(?:\.\d+)?\s*x)?$/i }],
    expected: n(1, 1, 1, 0, 0),
  },
  // Absent on the Market tab.
  price: {
    presence: 'contextual',
    candidates: [{ css: 'input', name: /^price\b/i }],
    expected: n(1, 0, 1, 0, 0),
  },
  stopPrice: {
    presence: 'contextual',
    candidates: [{ css: 'input', name: /^trigger price\b/i }],
    expected: n(0, 0, 1, 0, 0),
  },
  size: {
    presence: 'always',
    candidates: [{ css: 'input', name: /^size\b/i }],
    expected: n(1, 1, 1, 0, 0),
  },
  // The coin / USDC switch sits inside the size box.
  sizeUnit: {
    presence: 'always',
    candidates: [{ css: BUTTON, near: { field: 'size', up: 1 } }],
    expected: n(1, 1, 1, 0, 0),
  },
  reduceOnly: {
    presence: 'always',
    candidates: [{ css: 'input[type=checkbox], [role=checkbox]', name: /^reduce only$/i }],
    expected: n(1, 1, 1, 1, 0),
  },
  tpslToggle: {
    presence: 'always',
    candidates: [{ css: 'input[type=checkbox], [role=checkbox]', name: /^take profit\s*\/\s*stop loss$/i }],
    expected: n(1, 1, 1, 0, 0),
  },
  takeProfit: {
    presence: 'contextual',
    candidates: [{ css: 'input', name: /^tp price\b/i }],
    expected: n(0, 1, 0, 0, 0),
  },
  stopLoss: {
    presence: 'contextual',
    candidates: [{ css: 'input', name: /^sl price\b/i }],
    expected: n(0, 1, 0, 0, 0),
  },
  // Per-row Limit / Market in the positions table: they open the close dialog.
  closePosition: {
    presence: 'contextual',
    candidates: [{ css: '#accountTable button, #accountTable [role=button]', text: HL_CLOSE_TEXT }],
    expected: n(0, 4, 0, 0, 0),
  },
  closeConfirm: {
    presence: 'contextual',
    candidates: [{ css: BUTTON, text: HL_CLOSE_CONFIRM_TEXT }],
    expected: n(0, 1, 0, 0, 0),
  },
};

export const HYPERLIQUID_REGISTRY: SelectorRegistry<HyperliquidField, HyperliquidFixture> = {
  venue: 'hyperliquid',
  fixtures: HYPERLIQUID_FIXTURES,
  fields,
  critical: ['placeOrder', 'size'],
};
