/** The URL each fixture page stands for (also listed in tests/fixtures/pages/README.md). */
export const FIXTURE_URLS: Record<string, string> = {
  'binance-futures': 'https://www.binance.com/en/futures/BTCUSDT',
  'binance-futures-hedge': 'https://www.binance.com/en/futures/ETHUSDT',
  'binance-futures-market': 'https://www.binance.com/en/futures/BTCUSDT',
  'binance-futures-zh-cn': 'https://www.binance.com/zh-CN/futures/BTCUSDT',
  'binance-futures-usdt': 'https://www.binance.com/en/futures/SOLUSDT',
  'binance-futures-redesign': 'https://www.binance.com/en/futures/BTCUSDT',
  'binance-spot': 'https://www.binance.com/en/trade/BTC_USDT',
  'hyperliquid-trade': 'https://app.hyperliquid.xyz/trade/BTC',
  'hyperliquid-builder-dex': 'https://app.hyperliquid.xyz/trade/xyz:XYZ100',
  'hyperliquid-stop-limit': 'https://app.hyperliquid.xyz/trade/ETH',
  'hyperliquid-redesign': 'https://app.hyperliquid.xyz/trade/BTC',
  unrelated: 'https://example.com/',
};
