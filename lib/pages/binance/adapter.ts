/**
 * Binance USD-M futures page adapter: reads the order form at click time. Read-only by design: the extension
 * advises and guards, it never fills in or clicks anything.
 */
import { inputValue, isChecked, isElement, normText, optionalNumber, parseDecimal, parseLeverage, positive, rowSymbol } from '../dom';
import { matchTradingPage } from '../match';
import { NEEDS_PRICE, NEEDS_STOP } from '../order-kinds';
import { detectWith, FieldResolver } from '../registry';
import type {
  ClickClass,
  MarginMode,
  OrderField,
  OrderReading,
  OrderSide,
  OrderType,
  PageAdapter,
  PositionSide,
  ReadOptions,
} from '../types';
import { BINANCE_CLOSE_TEXT, BINANCE_REGISTRY, type BinanceField } from './registry';

type Submit = readonly [OrderSide, PositionSide | null, 'open' | 'close' | null];

// Keys are labelKey() of the button text. Close Long sells, Close Short buys.
const SUBMIT_LABELS: Record<string, Submit> = {
  'buy/long': ['buy', null, null],
  'sell/short': ['sell', null, null],
  'open long': ['buy', 'long', 'open'],
  'open short': ['sell', 'short', 'open'],
  'close long': ['sell', 'long', 'close'],
  'close short': ['buy', 'short', 'close'],
  '买入/做多': ['buy', null, null],
  '卖出/做空': ['sell', null, null],
  开多: ['buy', 'long', 'open'],
  开空: ['sell', 'short', 'open'],
  平多: ['sell', 'long', 'close'],
  平空: ['buy', 'short', 'close'],
};

const QUOTE_ASSETS = new Set(['USDT', 'USDC', 'BUSD', 'FDUSD']);

export function labelKey(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase().replace(/\s*\/\s*/g, '/');
}

/** The submit meaning of a button label, or null. Exported for the tests that pin every label. */
export function binanceSubmitLabel(text: string): Submit | null {
  return SUBMIT_LABELS[labelKey(text)] ?? null;
}

/** Maps the selected order-type tab (data-tab-key first, its text second) to the domain's order type. */
export function binanceOrderType(key: string | null, text: string): OrderType | null {
  const k = (key ?? '').toUpperCase();
  const t = text.toLowerCase();
  const market = k.includes('MARKET') || /market|市价/.test(t);
  if (k.includes('TRAIL') || /trailing|跟踪/.test(t)) return null; // trailing stops: not modelled, reported missing
  if (k.includes('TAKE_PROFIT') || /^take profit/.test(t)) return market ? 'take_profit_market' : 'take_profit_limit';
  if (k.includes('STOP') || /^stop|止盈止损/.test(t)) return market ? 'stop_market' : 'stop_limit';
  if (k === 'LIMIT' || k === 'POST_ONLY' || /^(limit|限价)$/.test(t)) return 'limit';
  if (k === 'MARKET' || /^(market|市价)$/.test(t)) return 'market';
  return null;
}

function marginModeOf(text: string): MarginMode | null {
  if (/^(cross|全仓)/i.test(text)) return 'cross';
  if (/^(isolated|逐仓)/i.test(text)) return 'isolated';
  return null;
}

const ROW_SYMBOL = /^([A-Z0-9]{2,30}(?:_\d{6})?)/;

export const binanceAdapter: PageAdapter<BinanceField> = {
  venue: 'binance',

  symbol(href) {
    const page = matchTradingPage(href);
    return page?.venue === 'binance' ? page.symbol : null;
  },

  detect(root) {
    return detectWith(BINANCE_REGISTRY, root);
  },

  classifyClick(target): ClickClass | null {
    if (!isElement(target)) return null;
    const button = target.closest('button, [role=button]');
    if (!button) return null;
    const label = normText(button);
    const submit = binanceSubmitLabel(label);
    if (submit) {
      const [side, positionSide, action] = submit;
      return { kind: 'submit', button, side, positionSide, action, label };
    }
    if (BINANCE_CLOSE_TEXT.test(label) && button.closest('[role=row], tr')) {
      const method = /^(market|市价)$/i.test(label) ? 'market' : 'limit';
      return { kind: 'close-position', button, symbol: rowSymbol(button, ROW_SYMBOL), method, placesOrder: true, label };
    }
    return null;
  },

  readOrder(root: ParentNode, { href, click }: ReadOptions): OrderReading {
    const r = new FieldResolver(BINANCE_REGISTRY, root);
    const missing: OrderField[] = [];

    const labels = r.all('submit').map((b) => binanceSubmitLabel(normText(b)));
    const positionMode = labels.length === 0 ? null : labels.some((l) => l?.[2]) ? 'hedge' : 'one-way';

    const side = click?.side ?? null;
    if (click && !side) missing.push('side');

    // Other widgets may reuse data-tab-key: take the first selected tab that names an order type.
    let type: OrderType | null = null;
    for (const tab of r.all('orderType')) {
      type = binanceOrderType(tab.getAttribute('data-tab-key'), normText(tab));
      if (type) break;
    }
    if (!type) missing.push('type');

    const readNumber = (field: BinanceField & OrderField, needed: boolean): number | null => {
      const v = positive(parseDecimal(inputValue(r.first(field))));
      if (v === null && needed) missing.push(field);
      return v;
    };
    const price = type && !NEEDS_PRICE.has(type) ? null : readNumber('price', type !== null);
    const stopPrice = type && NEEDS_STOP.has(type) ? readNumber('stopPrice', true) : null;
    const size = readNumber('size', true);

    const unitEl = r.first('sizeUnit');
    const sizeAsset = unitEl ? normText(unitEl).toUpperCase() || null : null;
    const sizeUnit = sizeAsset ? (QUOTE_ASSETS.has(sizeAsset) ? 'quote' : 'base') : null;
    if (!sizeUnit) missing.push('sizeUnit');

    const leverage = parseLeverage(normText(r.first('leverage')));
    if (leverage === null) missing.push('leverage');
    const marginMode = marginModeOf(normText(r.first('marginMode')));
    if (marginMode === null) missing.push('marginMode');

    const reduceOnly = click?.action === 'close' || isChecked(r.first('reduceOnly'));

    // The TP/SL inputs count only while their box is ticked (a page may keep them mounted but hidden).
    const toggle = r.first('tpslToggle');
    const tpsl = toggle ? isChecked(toggle) : true;
    const takeProfit = tpsl ? optionalNumber(r.first('takeProfit'), () => missing.push('takeProfit')) : null;
    const stopLoss = tpsl ? optionalNumber(r.first('stopLoss'), () => missing.push('stopLoss')) : null;

    return {
      venue: 'binance',
      symbol: binanceAdapter.symbol(href),
      side,
      positionMode,
      positionSide: click?.positionSide ?? null,
      type,
      price,
      stopPrice,
      size,
      sizeUnit,
      sizeAsset,
      leverage,
      marginMode,
      reduceOnly,
      takeProfit,
      stopLoss,
      missing,
    };
  },
};

