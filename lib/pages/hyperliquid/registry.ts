/**
 * Selectors for the Hyperliquid trade page (app.hyperliquid.xyz/trade/<COIN>). The page has no test ids: after
 * the stable ids (#root, #accountTable) only ARIA state and visible English texts are left.
 * tests/unit/pages/hyperliquid-counts.ts holds how many elements each field matches on the fixture pages.
 */
import type { FieldSpec, SelectorRegistry } from '../registry';

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

export const HL_SIDE_TEXT = /^(buy\s*\/\s*long|sell\s*\/\s*short)$/i;
export const HL_PLACE_TEXT = /^place order$/i;
export const HL_CLOSE_CONFIRM_TEXT = /^close position$/i;
export const HL_CLOSE_TEXT = /^(market|limit)$/i;
const BUTTON = 'button, [role=button]';

const fields: Record<HyperliquidField, FieldSpec> = {
  placeOrder: {
    presence: 'always',
    candidates: [{ css: BUTTON, text: HL_PLACE_TEXT }],
  },
  sideToggle: {
    presence: 'always',
    candidates: [{ css: `${BUTTON}, [role=tab], [role=radio]`, text: HL_SIDE_TEXT }],
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
  },
  orderType: {
    presence: 'always',
    candidates: [
      {
        css: '[role=tab][aria-selected=true]',
        text: /^(market|limit|stop market|stop limit|take market|take limit|scale|twap|pro)$/i,
      },
    ],
  },
  leverage: {
    presence: 'always',
    candidates: [
      { css: BUTTON, text: /^\d+(?:\.\d+)?\s*x$/i },
      { css: BUTTON, text: /^(?:cross|isolated|strict isolated)\s+\d+(?:\.\d+)?\s*x$/i },
    ],
  },
  marginMode: {
    presence: 'always',
    candidates: [{ css: BUTTON, text: /^(cross|isolated|strict isolated)(?:\s+\d+(?:\.\d+)?\s*x)?$/i }],
  },
  // Absent on the Market tab.
  price: {
    presence: 'contextual',
    candidates: [{ css: 'input', name: /^price\b/i }],
  },
  stopPrice: {
    presence: 'contextual',
    candidates: [{ css: 'input', name: /^trigger price\b/i }],
  },
  size: {
    presence: 'always',
    candidates: [{ css: 'input', name: /^size\b/i }],
  },
  // The coin / USDC switch sits inside the size box.
  sizeUnit: {
    presence: 'always',
    candidates: [{ css: BUTTON, near: { field: 'size', up: 1 } }],
  },
  reduceOnly: {
    presence: 'always',
    candidates: [{ css: 'input[type=checkbox], [role=checkbox]', name: /^reduce only$/i }],
  },
  tpslToggle: {
    presence: 'always',
    candidates: [{ css: 'input[type=checkbox], [role=checkbox]', name: /^take profit\s*\/\s*stop loss$/i }],
  },
  takeProfit: {
    presence: 'contextual',
    candidates: [{ css: 'input', name: /^tp price\b/i }],
  },
  stopLoss: {
    presence: 'contextual',
    candidates: [{ css: 'input', name: /^sl price\b/i }],
  },
  // Per-row Limit / Market in the positions table: they open the close dialog.
  closePosition: {
    presence: 'contextual',
    candidates: [{ css: '#accountTable button, #accountTable [role=button]', text: HL_CLOSE_TEXT }],
  },
  closeConfirm: {
    presence: 'contextual',
    candidates: [{ css: BUTTON, text: HL_CLOSE_CONFIRM_TEXT }],
  },
};

export const HYPERLIQUID_REGISTRY: SelectorRegistry<HyperliquidField> = {
  venue: 'hyperliquid',
  fields,
  critical: ['placeOrder', 'size'],
};
