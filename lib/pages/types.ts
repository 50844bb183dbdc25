/**
 * What the page adapters report. Type-only imports from the domain model keep zod out of the content scripts.
 */
import type { MarginMode, OrderSide, OrderType, PositionSide } from '@/lib/domain/types';
import type { Venue } from './match';

export type { MarginMode, OrderSide, OrderType, PositionSide, Venue };

/** recognised: every always-present field matched; partial: the guard works with gaps; unrecognised: passive only. */
export type DetectionStatus = 'recognised' | 'partial' | 'unrecognised';

export interface Detection<F extends string = string> {
  venue: Venue;
  status: DetectionStatus;
  /** Fields that matched at least one element. */
  matched: F[];
  /** Always-present fields that matched nothing (the reason for partial / unrecognised). */
  missing: F[];
  /** Fields found only through a fallback candidate: the page is drifting from the known selectors. */
  fallbacks: F[];
}

export type SizeUnit = 'base' | 'quote';

/** The fields readOrder tries to fill; listed in OrderReading.missing when the state says they should be there. */
export type OrderField =
  | 'side'
  | 'type'
  | 'price'
  | 'stopPrice'
  | 'size'
  | 'sizeUnit'
  | 'leverage'
  | 'marginMode'
  | 'takeProfit'
  | 'stopLoss';

/** The order form as it stands at click time. Numbers are parsed from the inputs; null = absent or unreadable. */
export interface OrderReading {
  venue: Venue;
  /** From the URL (match.ts). */
  symbol: string | null;
  side: OrderSide | null;
  /** one-way or hedge (Binance Open/Close buttons); Hyperliquid is always one-way. */
  positionMode: 'one-way' | 'hedge' | null;
  /** Hedge mode: the position side the order opens or closes. */
  positionSide: PositionSide | null;
  type: OrderType | null;
  /** Limit price (limit and stop-limit orders). */
  price: number | null;
  /** Trigger price of a stop / take-profit order. */
  stopPrice: number | null;
  size: number | null;
  sizeUnit: SizeUnit | null;
  /** The asset the size is counted in, as the toggle shows it (BTC, USDT, USDC). */
  sizeAsset: string | null;
  leverage: number | null;
  marginMode: MarginMode | null;
  /** The reduce-only box, or true for a hedge-mode close. */
  reduceOnly: boolean;
  takeProfit: number | null;
  stopLoss: number | null;
  /** Fields the form should show in this state but that could not be read. Empty means a complete reading. */
  missing: OrderField[];
}

/** A click (or the default button of an Enter key) that sends an order from the order form. */
export interface SubmitClick {
  kind: 'submit';
  button: Element;
  /** Binance: from the button. Hyperliquid: from the side toggle; null when the toggle shows no selected side. */
  side: OrderSide | null;
  positionSide: PositionSide | null;
  /** Hedge mode: open or close; null in one-way mode. */
  action: 'open' | 'close' | null;
  label: string;
}

/** A close button of the positions table (or the dialog that confirms it). */
export interface ClosePositionClick {
  kind: 'close-position';
  button: Element;
  symbol: string | null;
  method: 'market' | 'limit' | null;
  /** False when the click only opens a confirmation dialog and no order leaves yet. */
  placesOrder: boolean;
  label: string;
}

export type ClickClass = SubmitClick | ClosePositionClick;

export interface ReadOptions {
  /** location.href, for the symbol. */
  href: string;
  /** The classified click that triggered the read; null for a read without one (panel prefill). */
  click: SubmitClick | null;
}

export interface PageAdapter<F extends string = string> {
  venue: Venue;
  symbol(href: string): string | null;
  detect(root: ParentNode): Detection<F>;
  /** Classifies a click target (the button or any element inside it); null for everything else. */
  classifyClick(target: EventTarget | null): ClickClass | null;
  readOrder(root: ParentNode, opts: ReadOptions): OrderReading;
}
