import { describe, expect, it } from 'vitest';
import { explainFailure } from '@/lib/background/connection-test';
import { AuthenticationError, ClockSkewError, NetworkError, PermissionError, RateLimitError } from '@/lib/exchanges/errors';

const binance = { venue: 'binance' as const, network: 'mainnet' as const, restUrl: null };
const custom = { venue: 'hyperliquid' as const, network: 'custom' as const, restUrl: 'http://127.0.0.1:7070/hyperliquid' };

describe('connection failure messages', () => {
  it.each([
    [new AuthenticationError('binance: API-key format invalid. (HTTP 401, code -2014)', { venue: 'binance', code: -2014 }), binance, 'Binance says the API key is malformed (API-key format invalid. (HTTP 401, code -2014)).'],
    [new PermissionError('binance: no trading permission', { venue: 'binance' }), binance, 'The key works but lacks a permission Ringfence needs (no trading permission). Reading needs no more than read access; enforce mode needs trading.'],
    [new ClockSkewError('binance: Timestamp for this request is outside of the recvWindow. (code -1021)', { venue: 'binance', code: -1021 }), binance, "Your computer's clock is too far from Binance's (Timestamp for this request is outside of the recvWindow. (code -1021)). Sync the system clock and test again."],
    [new RateLimitError('binance: Too many requests (HTTP 429)', { venue: 'binance', retryAfterMs: 12_500 }), binance, 'Binance is rate-limiting requests for 13 s (Too many requests (HTTP 429)). Try again later.'],
    [new NetworkError('hyperliquid: fetch failed', { venue: 'hyperliquid' }), custom, 'Hyperliquid could not be reached at http://127.0.0.1:7070/hyperliquid (fetch failed). Check the network, or the endpoint for a custom network.'],
  ] as const)('%s', (error, row, message) => {
    expect(explainFailure(row, error)).toBe(message);
  });
});
