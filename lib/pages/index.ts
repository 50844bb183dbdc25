/**
 * Page adapters by venue. How a content script uses them (read-only: nothing here clicks or fills anything):
 *
 * - `adapter.detect(document)` on mount and again when the page re-renders (a MutationObserver, debounced): the
 *   status (recognised / partial / unrecognised) goes to the panel through `detectionText(detection)`;
 *   unrecognised means a passive panel and no guard.
 * - In a capture-phase click listener on window: `adapter.classifyClick(event.target)`; for Enter in the form:
 *   `implicitSubmit(adapter, event.target)`. A `submit` result is an order about to leave; `close-position` is a
 *   close from the positions table (`placesOrder: false` when it only opens the confirmation dialog).
 * - Then `adapter.readOrder(document, { href: location.href, click })`: the form as it stands. `missing` lists what
 *   could not be read; `sizeInCoins(reading, markPrice)` turns a USDT/USDC size into coins for the size cap.
 * - The panel's calculator: `positionSize({ riskUsd, entry, stop, lotStep, minNotional })`.
 *
 * Import the venue's own adapter (./binance/adapter or ./hyperliquid/adapter) in a content script rather than this
 * map, to keep the other venue's selectors out of its bundle.
 */
import { binanceAdapter } from './binance/adapter';
import { hyperliquidAdapter } from './hyperliquid/adapter';
import type { PageAdapter, Venue } from './types';

export { detectionText } from './detection-text';
export { implicitSubmit } from './implicit-submit';
export { positionSize, sizeInCoins } from './size-calculator';

export const PAGE_ADAPTERS: Record<Venue, PageAdapter> = {
  binance: binanceAdapter,
  hyperliquid: hyperliquidAdapter,
};
