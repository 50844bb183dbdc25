/**
 * Selectors for the Binance USD-M futures trading page (www.binance.com/<locale>/futures/<SYMBOL>), from the most
 * stable to the least: id prefixes, data-testid, ARIA roles, then English and Simplified Chinese texts.
 * tests/unit/pages/binance-counts.ts holds how many elements each field matches on the fixture pages.
 */
import type { FieldSpec, SelectorRegistry } from '../registry';

export type BinanceField =
  | 'submit'
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
  | 'closePosition';

// One-way Buy/Long Sell/Short, hedge Open/Close Long/Short, and the same in Simplified Chinese.
export const BINANCE_SUBMIT_TEXT =
  /^(buy\s*\/\s*long|sell\s*\/\s*short|open long|open short|close long|close short|买入\s*\/\s*做多|卖出\s*\/\s*做空|开多|开空|平多|平空)$/i;
const MODE = '(?:cross|isolated|全仓|逐仓)';
const LEV = '\\d+(?:[.,]\\d+)?\\s*[x×]';
// Positions table: per-row close at market or at the limit price typed in the row.
export const BINANCE_CLOSE_TEXT = /^(market|limit|市价|限价)$/i;

const fields: Record<BinanceField, FieldSpec> = {
  submit: {
    presence: 'always',
    candidates: [{ css: 'button, [role=button]', text: BINANCE_SUBMIT_TEXT }],
  },
  orderType: {
    presence: 'always',
    candidates: [
      { css: '[role=tab][aria-selected=true][data-tab-key]' },
      {
        css: '[role=tab][aria-selected=true]',
        text: /^(limit|market|stop limit|stop market|take profit limit|take profit market|限价|市价|限价止盈止损|市价止盈止损)$/i,
      },
    ],
  },
  // One button (Cross 20x) or two (Cross | 20x), depending on the release.
  leverage: {
    presence: 'always',
    candidates: [
      { css: 'button, [role=button]', text: new RegExp(`^${MODE}\\s*${LEV}$`, 'i') },
      { css: 'button, [role=button]', text: new RegExp(`^${LEV}$`, 'i') },
    ],
  },
  marginMode: {
    presence: 'always',
    candidates: [{ css: 'button, [role=button]', text: new RegExp(`^${MODE}(?:\\s*${LEV})?$`, 'i') }],
  },
  // Absent on the Market and Stop Market tabs.
  price: {
    presence: 'contextual',
    candidates: [{ css: 'input[id^="limitPrice-"]' }, { css: 'input', name: /^(price|价格)$/i }],
  },
  stopPrice: {
    presence: 'contextual',
    candidates: [{ css: 'input[id^="stopPrice-"]' }, { css: 'input', name: /^(stop price|trigger price|触发价格?)$/i }],
  },
  size: {
    presence: 'always',
    candidates: [{ css: 'input[id^="unitAmount-"]' }, { css: 'input', name: /^(size|amount|quantity|数量)$/i }],
  },
  sizeUnit: {
    presence: 'always',
    candidates: [{ css: 'label[data-testid="unit-select-button"]' }, { css: '[data-testid="unit-select-button"]' }],
  },
  // Not shown in hedge mode, where Close Long / Close Short are the reducing orders.
  reduceOnly: {
    presence: 'contextual',
    candidates: [{ css: 'input[type=checkbox], [role=checkbox]', name: /^(reduce[- ]only|只减仓)$/i }],
  },
  tpslToggle: {
    presence: 'contextual',
    candidates: [{ css: 'input[type=checkbox], [role=checkbox]', name: /^(tp\s*\/\s*sl|止盈\s*\/\s*止损)$/i }],
  },
  takeProfit: {
    presence: 'contextual',
    candidates: [{ css: 'input[id^="takeProfitStopPrice"]' }],
  },
  stopLoss: {
    presence: 'contextual',
    candidates: [{ css: 'input[id^="stopLossStopPrice"]' }],
  },
  closePosition: {
    presence: 'contextual',
    candidates: [{ css: '[role=row] button, tr button', text: BINANCE_CLOSE_TEXT }],
  },
};

export const BINANCE_REGISTRY: SelectorRegistry<BinanceField> = {
  venue: 'binance',
  fields,
  critical: ['submit', 'size'],
};
