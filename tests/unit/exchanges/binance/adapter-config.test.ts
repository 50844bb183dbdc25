/** Endpoints per account: mainnet, testnet, custom; bad configuration is refused with a clear message. */
import { describe, expect, it } from 'vitest';
import { BinanceAdapter } from '../../../../lib/exchanges/binance/adapter';
import type { Endpoints } from '../../../../lib/exchanges/types';
import { backoffDelay } from '../../../../lib/exchanges/common/backoff';

const make = (endpoints: Endpoints) =>
  new BinanceAdapter({ accountId: 'a', endpoints, credentials: { venue: 'binance', apiKey: 'k', apiSecret: 's' } });
const urls = (a: BinanceAdapter) => (a as unknown as { ex: { urls: { api: Record<string, unknown> } } }).ex.urls.api;

describe('binance adapter endpoints', () => {
  it('mainnet uses Binance`s own hosts', () => {
    const api = urls(make({ network: 'mainnet' }));
    expect(String(api.fapiPrivateV3)).toMatch(/^https:\/\/fapi\.binance\.com\//);
  });

  it('testnet switches ccxt to its sandbox URLs', () => {
    const api = urls(make({ network: 'testnet' }));
    expect(String(api.fapiPrivateV3)).not.toMatch(/^https:\/\/fapi\.binance\.com\//);
    expect(String(api.fapiPrivateV3)).toMatch(/testnet|demo/);
  });

  it('custom points every fapi base and the websocket base at the given URLs', () => {
    const api = urls(make({ network: 'custom', restUrl: 'http://127.0.0.1:7070/binance/', wsUrl: 'ws://127.0.0.1:7070/binance/ws' }));
    expect(api).toMatchObject({
      fapiPublic: 'http://127.0.0.1:7070/binance/fapi/v1',
      fapiPrivateV2: 'http://127.0.0.1:7070/binance/fapi/v2',
      fapiPrivateV3: 'http://127.0.0.1:7070/binance/fapi/v3',
      fapiData: 'http://127.0.0.1:7070/binance/futures/data',
    });
    expect((api.ws as Record<string, string>).future).toBe('ws://127.0.0.1:7070/binance/ws');
  });

  it('builds the futures stream URLs as Binance splits them (market and private), on every network', () => {
    const ws = (a: BinanceAdapter) => (a as unknown as { ex: { getWsUrl(t: 'future', c: 'market'): string; getPrivateWsUrl(t: 'future', k: string): string } }).ex;
    const main = ws(make({ network: 'mainnet' }));
    expect(main.getWsUrl('future', 'market')).toBe('wss://fstream.binance.com/market/ws');
    expect(main.getPrivateWsUrl('future', 'LK')).toBe('wss://fstream.binance.com/private/ws?listenKey=LK');
    expect(ws(make({ network: 'testnet' })).getWsUrl('future', 'market')).toBe('wss://fstream.binancefuture.com/market/ws');
    const custom = ws(make({ network: 'custom', restUrl: 'http://127.0.0.1:7070/binance/', wsUrl: 'ws://127.0.0.1:7070/binance/ws' }));
    expect(custom.getPrivateWsUrl('future', 'LK')).toBe('ws://127.0.0.1:7070/binance/private/ws?listenKey=LK');
  });

  it('refuses custom endpoints without URLs, and credentials of another venue', () => {
    expect(() => make({ network: 'custom', restUrl: 'ftp://x' })).toThrow(/bad endpoints/);
    expect(
      () => new BinanceAdapter({ accountId: 'a', endpoints: { network: 'mainnet' }, credentials: { venue: 'hyperliquid', address: '0x0' } }),
    ).toThrow(/credentials/);
  });
});

describe('backoff', () => {
  const opts = { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 };
  it('grows exponentially, caps, and never undercuts Retry-After', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, opts))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(1, opts, 5000)).toBe(5000);
  });
  it('jitter stays within its share', () => {
    const d = backoffDelay(3, { ...opts, jitter: 0.5 }, 0, () => 0);
    expect(d).toBe(200);
    expect(backoffDelay(3, { ...opts, jitter: 0.5 }, 0, () => 0.999)).toBeLessThanOrEqual(400);
  });
});
