/** Binance codes, statuses and texts -> Ringfence's error classes. */
import { describe, expect, it } from 'vitest';
import { mapBinanceError, parseErrorBody, toExchangeError } from '../../../../lib/exchanges/binance/errors';
import {
  AuthenticationError,
  BadPayloadError,
  ClockSkewError,
  ExchangeUnavailableError,
  InsufficientMarginError,
  InvalidOrderError,
  NetworkError,
  PermissionError,
  RateLimitError,
  redactSecrets,
} from '../../../../lib/exchanges/errors';
import { RequestTimeout } from '../../../../node_modules/ccxt/js/src/base/errors.js';
import { mapError as mapHyperliquidError } from '../../../../lib/exchanges/hyperliquid/errors';

describe('mapBinanceError', () => {
  it.each<[{ httpStatus?: number; code?: number; msg?: string }, new (...a: never[]) => Error]>([
    [{ httpStatus: 400, code: -1022, msg: 'Signature for this request is not valid.' }, AuthenticationError],
    [{ httpStatus: 401, code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' }, AuthenticationError],
    [{ httpStatus: 401, code: -2014, msg: 'API-key format invalid.' }, AuthenticationError],
    [{ httpStatus: 400, code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' }, ClockSkewError],
    [{ httpStatus: 400, code: -2019, msg: 'Margin is insufficient.' }, InsufficientMarginError],
    [{ httpStatus: 400, code: -4120, msg: 'Order type not supported for this endpoint.' }, InvalidOrderError],
    [{ httpStatus: 400, code: -2022, msg: 'ReduceOnly Order is rejected.' }, InvalidOrderError],
    [{ httpStatus: 429, code: -1003, msg: 'Too many requests' }, RateLimitError],
    [{ httpStatus: 418 }, RateLimitError],
    [{ httpStatus: 503, code: -1001, msg: 'Internal error' }, ExchangeUnavailableError],
    [{ httpStatus: 502, msg: 'Bad Gateway' }, ExchangeUnavailableError],
    [{ httpStatus: 403 }, PermissionError],
    [{ httpStatus: 400, code: -1002, msg: 'You are not authorized to execute this request.' }, PermissionError],
  ])('%o -> %o', (info, cls) => {
    const e = mapBinanceError(info);
    expect(e).toBeInstanceOf(cls);
    expect(e.venue).toBe('binance');
    expect(e.code).toBe(info.code ?? info.httpStatus);
  });

  it('-2015 on a trading call with a key that already read fine is a permission problem', () => {
    const info = { httpStatus: 401, code: -2015, msg: 'Invalid API-key, IP, or permissions for action.', trading: true };
    expect(mapBinanceError({ ...info, keyVerified: true })).toBeInstanceOf(PermissionError);
    expect(mapBinanceError({ ...info, keyVerified: false })).toBeInstanceOf(AuthenticationError);
  });

  it('takes Retry-After, or the ban end from a 418 message', () => {
    expect(mapBinanceError({ httpStatus: 429, retryAfterSec: 7 }).retryAfterMs).toBe(7000);
    const ban = mapBinanceError({ httpStatus: 418, code: -1003, msg: 'Way too many requests; IP(1.2.3.4) banned until 1700000120000.', now: 1700000000000 });
    expect(ban.retryAfterMs).toBe(120_000);
  });

  it('falls back on the text when there is no code', () => {
    expect(mapBinanceError({ msg: 'Timestamp for this request is outside of the recvWindow.' })).toBeInstanceOf(ClockSkewError);
    expect(mapBinanceError({ msg: 'something odd' })).toBeInstanceOf(ExchangeUnavailableError);
  });
});

describe('parseErrorBody', () => {
  it('reads Binance JSON, string codes included, and strips HTML pages to text', () => {
    expect(parseErrorBody('{"code":-2019,"msg":"Margin is insufficient."}')).toEqual({ code: -2019, msg: 'Margin is insufficient.' });
    expect(parseErrorBody('{"code":"-1021","msg":"x"}')).toEqual({ code: -1021, msg: 'x' });
    expect(parseErrorBody('<html><body><h1>502 Bad Gateway</h1></body></html>')).toEqual({ msg: '502 Bad Gateway' });
    expect(parseErrorBody('')).toEqual({});
  });
});

describe('toExchangeError', () => {
  const named = (name: string, message: string) => Object.assign(new Error(message), { name });
  it('maps ccxt exception classes by name, keeping the venue code from the message', () => {
    const e = toExchangeError(named('InsufficientFunds', 'binanceusdm {"code":-2019,"msg":"Margin is insufficient."}'));
    expect(e).toBeInstanceOf(InsufficientMarginError);
    expect(e.code).toBe(-2019);
    expect(toExchangeError(named('RequestTimeout', 'binanceusdm GET ... request timed out'))).toBeInstanceOf(NetworkError);
    expect(toExchangeError(named('BadResponse', 'odd'))).toBeInstanceOf(BadPayloadError);
  });
  it('fetch failures are network errors; anything else is unavailable, never a crash', () => {
    expect(toExchangeError(new TypeError('fetch failed'))).toBeInstanceOf(NetworkError);
    expect(toExchangeError('weird')).toBeInstanceOf(ExchangeUnavailableError);
    const own = new RateLimitError('x', { venue: 'binance' });
    expect(toExchangeError(own)).toBe(own);
  });
});

describe('secrets in venue error texts', () => {
  const KEY = 'pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1';
  it("ccxt's ping-pong and connect timeouts on the user stream keep the URL but not its listenKey", () => {
    const url = `wss://fstream.binance.com/private/ws?listenKey=${KEY}`;
    const ping = toExchangeError(new RequestTimeout(`Connection to ${url} timed out due to a ping-pong keepalive missing on time`));
    expect(ping).toBeInstanceOf(NetworkError);
    expect(ping.message).toBe('binance: Connection to wss://fstream.binance.com/private/ws?… timed out due to a ping-pong keepalive missing on time');
    expect(toExchangeError(new RequestTimeout(`Connection to ${url} failed due to a connection timeout`)).message).toBe(
      'binance: Connection to wss://fstream.binance.com/private/ws?… failed due to a connection timeout',
    );
  });
  it('a key in the path, a signed REST query, a listenKey named in a body: none survives; short paths stay', () => {
    expect(redactSecrets(`Connection to wss://fstream.binance.com/ws/${KEY} timed out`)).toBe('Connection to wss://fstream.binance.com/ws/… timed out');
    expect(redactSecrets(`binanceusdm GET https://fapi.binance.com/fapi/v1/userTrades?symbol=BTCUSDT&timestamp=1&signature=abc 503`)).toBe(
      'binanceusdm GET https://fapi.binance.com/fapi/v1/userTrades?… 503',
    );
    expect(redactSecrets(`{"e":"listenKeyExpired","listenKey":"${KEY}"}`)).toBe('{"e":"listenKeyExpired","listenKey":"…"}');
    expect(redactSecrets('HTTP 503 from https://api.hyperliquid.xyz/info')).toBe('HTTP 503 from https://api.hyperliquid.xyz/info');
  });
  it('every way an exchange error is made redacts: mapped codes, ccxt names, unexpected failures, bad payloads, either venue', async () => {
    const url = `wss://fstream.binance.com/private/ws?listenKey=${KEY}`;
    const made = [
      mapBinanceError({ httpStatus: 503, msg: `gateway error for ${url}` }),
      toExchangeError(new Error(`socket hang up ${url}`)),
      toExchangeError(Object.assign(new Error(`binanceusdm ${url} odd`), { name: 'BadResponse' })),
      await mapHyperliquidError(new Error(`failed ${url}`)),
      new NetworkError(`x ${url}`, { venue: 'binance' }),
    ];
    for (const e of made) expect(e.message).not.toContain(KEY);
    expect((made[2] as BadPayloadError).issues).toEqual(['binanceusdm wss://fstream.binance.com/private/ws?… odd']);
  });
});
