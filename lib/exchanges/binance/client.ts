/**
 * The ccxt binanceusdm instance the adapter talks through. ccxt does the signing (HMAC-SHA256 over the exact
 * query with timestamp and recvWindow), URL handling, request throttling and websocket connections; Ringfence keeps
 * the raw payloads: HTTP errors are thrown with their status, venue code and Retry-After intact, and every websocket
 * frame goes to the adapter as received instead of through ccxt's parsers (normalize.ts validates them).
 */
import { BinanceUsdmRest } from './ccxt-class';

/** What an HTTP failure looked like, before it is mapped with the caller's context (read or trade). */
export class BinanceHttpFailure extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: string,
    readonly retryAfterSec: number | undefined,
  ) {
    super(`binance HTTP ${httpStatus}`);
    this.name = 'BinanceHttpFailure';
  }
}

/** A 2xx answer whose body is not JSON. */
export class BinanceBadBody extends Error {
  constructor(readonly body: string) {
    super('binance: response body is not JSON');
    this.name = 'BinanceBadBody';
  }
}

export interface WsHooks {
  onMessage(url: string, message: unknown): void;
}

/** Implicit REST methods the adapter uses (ccxt generates them from its API table). */
type Call = (params?: Record<string, unknown>) => Promise<unknown>;
export interface BinanceRest {
  fapiPublicGetExchangeInfo: Call;
  fapiPublicGetKlines: Call;
  fapiPublicGetAggTrades: Call;
  fapiPublicGetDepth: Call;
  fapiPublicGetPremiumIndex: Call;
  fapiPrivateV3GetAccount: Call;
  fapiPrivateV3GetPositionRisk: Call;
  fapiPrivateGetSymbolConfig: Call;
  fapiPrivateGetAllOrders: Call;
  fapiPrivateGetLeverageBracket: Call;
  fapiPrivateGetOpenOrders: Call;
  fapiPrivateGetOpenAlgoOrders: Call;
  fapiPrivateGetOrder: Call;
  fapiPrivateGetUserTrades: Call;
  fapiPrivateGetIncome: Call;
  fapiPrivatePostOrder: Call;
  fapiPrivatePostAlgoOrder: Call;
  fapiPrivateDeleteOrder: Call;
  fapiPrivateDeleteAlgoOrder: Call;
  fapiPrivateDeleteAllOpenOrders: Call;
  fapiPrivateDeleteAlgoOpenOrders: Call;
  fapiPrivatePostCountdownCancelAll: Call;
  fapiPrivatePostListenKey: Call;
  fapiPrivatePutListenKey: Call;
}

interface WsClientLike {
  url: string;
  connected: Promise<unknown>;
  resolve(result: unknown, messageHash: string): unknown;
  send(message: unknown): Promise<unknown>;
  close(): Promise<unknown>;
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return typeof v === 'string' ? v : String(v);
  return undefined;
}

/** The futures stream bases and keep-alive that ccxt's pro class would add (the rest of pro is not used). */
const WS_DESCRIBE = {
  urls: {
    test: { ws: { future: 'wss://fstream.binancefuture.com/ws' } },
    api: { ws: { future: 'wss://fstream.binance.com/ws' } },
  },
  streaming: { keepAlive: 180_000 },
};

export class RingfenceBinanceUsdm extends BinanceUsdmRest {
  rfHooks: WsHooks | null = null;

  override describe(): ReturnType<BinanceUsdmRest['describe']> {
    const d = this.deepExtend(super.describe(), WS_DESCRIBE) as ReturnType<BinanceUsdmRest['describe']> & { api: Record<string, unknown> };
    // The USD-M futures groups only (fapiPublic, fapiPrivateV3, ...): ccxt defines a method per endpoint of every
    // group when a client is built, over 3,000 for Binance's spot, margin, coin-M, options and portfolio APIs too,
    // which cost most of the 10-25 ms a client took to build, on the worker's start path.
    d.api = Object.fromEntries(Object.entries(d.api).filter(([group]) => group.startsWith('fapi')));
    return d;
  }

  /**
   * A futures stream URL: a base ending in /ws becomes <base>/<category>/ws (Binance's split of the market, public and
   * private streams), as ccxt pro builds it; any other base (a proxy, the simulator's) is used as given.
   */
  getWsUrl(type: 'future', category: 'market' | 'public' | 'private'): string {
    const base = String((this.urls.api as { ws: Record<string, string> }).ws[type]);
    if (base.split('://').length > 2) return base;
    return base.endsWith('/ws') ? `${base.slice(0, -3)}/${category}/ws` : base;
  }

  getPrivateWsUrl(type: 'future', listenKey: string): string {
    return `${this.getWsUrl(type, 'private')}?listenKey=${listenKey}`;
  }

  // Every HTTP answer passes here first: failures are thrown raw, mapping happens in the adapter.
  override handleErrors(code: number, _reason: string, _url: string, _method: string, headers: Record<string, unknown>, body: string, response: unknown): undefined {
    if (code >= 200 && code < 300) {
      if (response === undefined && body.trim() !== '') throw new BinanceBadBody(body.slice(0, 200));
      return undefined;
    }
    const ra = header(headers, 'retry-after');
    const retryAfterSec = ra !== undefined && /^\d+$/.test(ra) ? Number(ra) : undefined;
    throw new BinanceHttpFailure(code, body, retryAfterSec);
  }

  // Raw frames to the adapter; the watch() futures are resolved so the stream loops see traffic and closes.
  override handleMessage(client: Parameters<BinanceUsdmRest['handleMessage']>[0], message: unknown): void {
    const c = client as unknown as WsClientLike;
    this.rfHooks?.onMessage(c.url, message);
    c.resolve(message, streamHash(c.url));
  }

  // ccxt prints unparseable frames to the console; the adapter counts them as bad payloads instead.
  override log(): void {}

  rest(): BinanceRest {
    return this as unknown as BinanceRest;
  }

  wsClient(url: string): WsClientLike {
    return this.client(url) as unknown as WsClientLike;
  }

  /** Drops a closed or failed connection so the next watch() dials a fresh one. */
  async dropClient(url: string): Promise<void> {
    const clients = (this as unknown as { clients: Record<string, WsClientLike | undefined> }).clients;
    const c = clients[url];
    delete clients[url];
    if (c) await c.close().catch(() => undefined);
  }
}

export const streamHash = (url: string) => (url.includes('listenKey=') ? 'rf:user' : 'rf:market');
