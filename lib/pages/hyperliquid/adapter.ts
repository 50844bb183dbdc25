/**
 * Hyperliquid trade page adapter. One Place Order button whose side comes from the Buy / Long | Sell / Short
 * toggle; closes go through the positions table's Limit / Market buttons and a Close Position dialog.
 * Read-only: never fills in or clicks anything.
 */
import { inputValue, isChecked, isElement, normText, optionalNumber, parseDecimal, parseLeverage, positive, rowSymbol } from '../dom';
import { matchTradingPage } from '../match';
import { NEEDS_PRICE, NEEDS_STOP } from '../order-kinds';
import { detectWith, FieldResolver } from '../registry';
import type { ClickClass, MarginMode, OrderField, OrderReading, OrderSide, OrderType, PageAdapter, ReadOptions } from '../types';
import {
  HL_CLOSE_CONFIRM_TEXT,
  HL_CLOSE_TEXT,
  HL_PLACE_TEXT,
  HYPERLIQUID_REGISTRY,
  type HyperliquidField,
} from './registry';

const QUOTE_ASSETS = new Set(['USDC', 'USD', 'USDH', 'USDT', 'USDT0', 'USDE']);

const ORDER_TYPES: Record<string, OrderType> = {
  market: 'market',
  limit: 'limit',
  'stop market': 'stop_market',
  'stop limit': 'stop_limit',
  'take market': 'take_profit_market',
  'take limit': 'take_profit_limit',
};

/** Scale, TWAP and a bare "Pro" tab have no single price and size: type null, reported missing. */
export function hyperliquidOrderType(text: string): OrderType | null {
  return ORDER_TYPES[text.replace(/\s+/g, ' ').trim().toLowerCase()] ?? null;
}

function sideOf(text: string): OrderSide | null {
  if (/^buy\b/i.test(text)) return 'buy';
  if (/^sell\b/i.test(text)) return 'sell';
  return null;
}

function marginModeOf(text: string): MarginMode | null {
  if (/^cross/i.test(text)) return 'cross';
  if (/^(strict )?isolated/i.test(text)) return 'isolated';
  return null;
}

/** The side the toggle shows; null unless exactly one side is selected (two painted toggles are not a reading). */
function selectedSide(r: FieldResolver<HyperliquidField>): OrderSide | null {
  const on = r.all('sideSelected');
  return on.length === 1 ? sideOf(normText(on[0])) : null;
}

/** The toggle in the button's own form first (cheap at click time), else anywhere on the page. */
function sideNear(button: Element): OrderSide | null {
  const form = button.closest('form');
  const scoped = form ? new FieldResolver(HYPERLIQUID_REGISTRY, form) : null;
  if (scoped && scoped.all('sideSelected').length > 0) return selectedSide(scoped);
  return selectedSide(new FieldResolver(HYPERLIQUID_REGISTRY, button.ownerDocument));
}

// First cell of a positions row: "BTC 20x", "xyz:XYZ100 10x".
const ROW_COIN = /^((?:[a-z0-9]{1,16}:)?[A-Za-z0-9]{1,20})\b/;

export const hyperliquidAdapter: PageAdapter<HyperliquidField> = {
  venue: 'hyperliquid',

  symbol(href) {
    const page = matchTradingPage(href);
    return page?.venue === 'hyperliquid' ? page.symbol : null;
  },

  detect(root) {
    return detectWith(HYPERLIQUID_REGISTRY, root);
  },

  classifyClick(target): ClickClass | null {
    if (!isElement(target)) return null;
    const button = target.closest('button, [role=button]');
    if (!button) return null;
    const label = normText(button);
    if (HL_PLACE_TEXT.test(label)) {
      return { kind: 'submit', button, side: sideNear(button), positionSide: null, action: null, label };
    }
    if (HL_CLOSE_CONFIRM_TEXT.test(label)) {
      // The dialog's title says which close it is (Market Close / Limit Close).
      const dialog = normText(button.closest('[role=dialog]'));
      const method = /limit close/i.test(dialog) ? 'limit' : /market close/i.test(dialog) ? 'market' : null;
      return { kind: 'close-position', button, symbol: null, method, placesOrder: true, label };
    }
    if (HL_CLOSE_TEXT.test(label) && button.closest('#accountTable') && button.closest('[role=row], tr')) {
      const method = /^market$/i.test(label) ? 'market' : 'limit';
      return { kind: 'close-position', button, symbol: rowSymbol(button, ROW_COIN), method, placesOrder: false, label };
    }
    return null;
  },

  readOrder(root: ParentNode, { href, click }: ReadOptions): OrderReading {
    const r = new FieldResolver(HYPERLIQUID_REGISTRY, root);
    const missing: OrderField[] = [];

    // The toggle is the truth for Place Order; the click carries the same reading when there is one.
    const side = click?.side ?? selectedSide(r);
    if (!side) missing.push('side');

    const type = hyperliquidOrderType(normText(r.first('orderType')));
    if (!type) missing.push('type');

    const readNumber = (field: HyperliquidField & OrderField, needed: boolean): number | null => {
      const v = positive(parseDecimal(inputValue(r.first(field))));
      if (v === null && needed) missing.push(field);
      return v;
    };
    const price = type && !NEEDS_PRICE.has(type) ? null : readNumber('price', type !== null);
    const stopPrice = type && NEEDS_STOP.has(type) ? readNumber('stopPrice', true) : null;
    const size = readNumber('size', true);

    const unitEl = r.first('sizeUnit');
    const sizeAsset = unitEl ? normText(unitEl) || null : null;
    const sizeUnit = sizeAsset ? (QUOTE_ASSETS.has(sizeAsset.toUpperCase()) ? 'quote' : 'base') : null;
    if (!sizeUnit) missing.push('sizeUnit');

    const leverage = parseLeverage(normText(r.first('leverage')));
    if (leverage === null) missing.push('leverage');
    const marginMode = marginModeOf(normText(r.first('marginMode')));
    if (marginMode === null) missing.push('marginMode');

    const toggle = r.first('tpslToggle');
    const tpsl = toggle ? isChecked(toggle) : true;
    const optional = (field: 'takeProfit' | 'stopLoss'): number | null =>
      tpsl ? optionalNumber(r.first(field), () => missing.push(field)) : null;

    return {
      venue: 'hyperliquid',
      symbol: hyperliquidAdapter.symbol(href),
      side,
      positionMode: r.first('placeOrder') ? 'one-way' : null,
      positionSide: null,
      type,
      price,
      stopPrice,
      size,
      sizeUnit,
      sizeAsset,
      leverage,
      marginMode,
      reduceOnly: isChecked(r.first('reduceOnly')),
      takeProfit: optional('takeProfit'),
      stopLoss: optional('stopLoss'),
      missing,
    };
  },
};
