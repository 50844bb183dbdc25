/** The one place that turns an account's configuration into its venue's adapter. */
import { BinanceAdapter } from './binance/adapter';
import { HyperliquidAdapter } from './hyperliquid/adapter';
import type { AdapterConfig, ExchangeAdapter } from './types';

export type AdapterFactory = (config: AdapterConfig) => ExchangeAdapter;

export const createAdapter: AdapterFactory = (config) =>
  config.credentials.venue === 'binance' ? new BinanceAdapter(config) : new HyperliquidAdapter(config);
