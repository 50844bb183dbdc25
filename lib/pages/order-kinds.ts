import type { OrderType } from './types';

/** Order types whose form carries a limit price. */
export const NEEDS_PRICE: ReadonlySet<OrderType> = new Set(['limit', 'stop_limit', 'take_profit_limit']);
/** Order types whose form carries a trigger price. */
export const NEEDS_STOP: ReadonlySet<OrderType> = new Set([
  'stop_limit',
  'stop_market',
  'take_profit_limit',
  'take_profit_market',
]);
