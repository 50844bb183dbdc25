/**
 * The one formatter for a detection status, as the panel shows it: a short title and the reason, so that a page
 * the adapter cannot read is visible to the user rather than a silent failure.
 */
import type { Detection } from './types';

// Field names across both registries, in the words of the page.
export const FIELD_WORDS: Readonly<Record<string, string>> = {
  submit: 'order buttons',
  placeOrder: 'Place Order button',
  sideToggle: 'Buy / Sell toggle',
  sideSelected: 'selected side',
  orderType: 'order type',
  leverage: 'leverage',
  marginMode: 'margin mode',
  price: 'price',
  stopPrice: 'stop price',
  size: 'size',
  sizeUnit: 'size unit',
  reduceOnly: 'reduce-only box',
  tpslToggle: 'TP/SL box',
  takeProfit: 'take profit',
  stopLoss: 'stop loss',
  closePosition: 'close buttons',
  closeConfirm: 'close dialog',
};

const words = (fields: readonly string[]) => fields.map((f) => FIELD_WORDS[f] ?? f).join(', ');

export interface DetectionText {
  title: 'Page recognised' | 'Page partly recognised' | 'Page not recognised';
  detail: string;
}

export function detectionText(d: Detection): DetectionText {
  switch (d.status) {
    case 'recognised':
      return {
        title: 'Page recognised',
        detail: d.fallbacks.length === 0 ? 'Orders are checked before they leave.' : `Orders are checked; found by fallback: ${words(d.fallbacks)}.`,
      };
    case 'partial':
      return { title: 'Page partly recognised', detail: `Orders are checked without: ${words(d.missing)}.` };
    case 'unrecognised':
      return {
        title: 'Page not recognised',
        detail: `Orders are not checked on this layout (not found: ${words(d.missing)}).`,
      };
  }
}
