import { describe, expect, it } from 'vitest';
import { matchTradingPage } from '@/lib/pages/match';

describe('matchTradingPage', () => {
  it.each([
    ['https://www.binance.com/en/futures/BTCUSDT', 'BTCUSDT'],
    ['https://www.binance.com/futures/ETHUSDT', 'ETHUSDT'],
    ['https://www.binance.com/zh-CN/futures/1000PEPEUSDT', '1000PEPEUSDT'],
    ['https://www.binance.com/es-LA/futures/BTCUSDT/', 'BTCUSDT'],
    ['https://www.binance.com/en/futures/BTCUSDT_250627', 'BTCUSDT_250627'],
    ['https://www.binance.com/en/futures/BTCUSDT?type=limit#x', 'BTCUSDT'],
  ])('Binance USD-M futures page %s -> %s', (url, symbol) => {
    expect(matchTradingPage(url)).toEqual({ venue: 'binance', symbol });
  });

  it.each([
    'https://www.binance.com/en/trade/BTC_USDT', // spot
    'https://www.binance.com/en/delivery/BTCUSD_PERP', // COIN-M
    'https://www.binance.com/en/futures/funding-history/perpetual/1', // not a trading page
    'https://www.binance.com/en/futures/',
    'https://www.binance.com/en/markets/overview',
    'http://www.binance.com/en/futures/BTCUSDT', // not https
    'https://binance.com/en/futures/BTCUSDT',
    'https://www.binance.com.evil.example/en/futures/BTCUSDT',
    'not a url',
  ])('not a Binance futures trading page: %s', (url) => {
    expect(matchTradingPage(url)).toBeNull();
  });

  it.each([
    ['https://app.hyperliquid.xyz/trade', null],
    ['https://app.hyperliquid.xyz/trade/', null],
    ['https://app.hyperliquid.xyz/trade/BTC', 'BTC'],
    ['https://app.hyperliquid.xyz/trade/kPEPE', 'kPEPE'],
    ['https://app.hyperliquid.xyz/trade/xyz:XYZ100', 'xyz:XYZ100'],
    ['https://app.hyperliquid.xyz/trade/xyz%3AXYZ100', 'xyz:XYZ100'],
  ])('Hyperliquid trade page %s -> %s', (url, symbol) => {
    expect(matchTradingPage(url)).toEqual({ venue: 'hyperliquid', symbol });
  });

  it.each([
    'https://app.hyperliquid.xyz/trade/HYPE/USDC', // spot pair
    'https://app.hyperliquid.xyz/portfolio',
    'https://app.hyperliquid.xyz/trade/%E0%A4%A', // broken escape
    'https://app.hyperliquid.xyz/trade/<script>',
    'https://hyperliquid.xyz/trade/BTC',
  ])('not a Hyperliquid perp page: %s', (url) => {
    expect(matchTradingPage(url)).toBeNull();
  });
});
