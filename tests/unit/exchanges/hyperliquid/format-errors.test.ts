/** Order number rules and the venue-error mapping. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validLot, validTick } from '../../../simulator/hyperliquid/index';
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
} from '../../../../lib/exchanges/errors';
import { mapError, mapHttpFailure, mapVenueText, retryAfterMs } from '../../../../lib/exchanges/hyperliquid/errors';
import { formatPrice, formatSize, isValidPrice, isValidSize, trimZeros } from '../../../../lib/exchanges/hyperliquid/format';
import { cloidOf, infoWeight } from '../../../../lib/exchanges/hyperliquid/adapter';

describe('format', () => {
  it.each([
    // [price, szDecimals, mode, expected]
    [1800.0, 4, 'nearest', '1800'],
    [60123.456, 5, 'nearest', '60123'],
    [123456.7, 5, 'down', '123456'],
    [3.14159, 2, 'nearest', '3.1416'],
    [0.0123456, 0, 'up', '0.012346'],
    [0.0123456, 2, 'down', '0.0123'],
    [2979.123, 4, 'up', '2979.2'],
    [2979.123, 4, 'down', '2979.1'],
    [99999.7, 5, 'up', '100000'],
  ] as const)('formatPrice(%s, %s, %s) = %s', (px, sz, mode, want) => {
    const got = formatPrice(px, sz, mode);
    expect(got).toBe(want);
    expect(isValidPrice(got, sz)).toBe(true);
  });

  it('never emits a trailing zero (the signature pitfall)', () => {
    for (const px of [1800, 1800.5, 0.5, 10, 2500.0]) expect(formatPrice(px, 2)).not.toMatch(/\.\d*0$|\.$/);
    expect(trimZeros('1800.0')).toBe('1800');
    expect(trimZeros('0.50')).toBe('0.5');
    expect(trimZeros('100')).toBe('100');
  });

  it('formatSize rounds down to the lot; validators agree with the venue rules', () => {
    expect(formatSize(0.123456, 4)).toBe('0.1234');
    expect(formatSize(0.29, 2)).toBe('0.29');
    expect(formatSize(0.00009, 4)).toBe('0');
    expect(formatSize(0.6 * 0.5, 1)).toBe('0.3');
    expect(formatSize(999999.9999999, 0)).toBe('999999');
    expect(isValidSize('0.12345', 4)).toBe(false);
    expect(isValidSize('0.1230', 3)).toBe(true);
    expect(isValidPrice('2000.123', 4)).toBe(false); // 2 decimals allowed for szDecimals 4
    expect(isValidPrice('123456', 5)).toBe(true); // integers always valid
    expect(isValidPrice('12345.6', 0)).toBe(false); // 6 significant figures
    expect(() => formatPrice(0, 2)).toThrow(RangeError);
    expect(formatPrice(0.000001, 1, 'up')).toBe('0.00001'); // below the smallest tick: the smallest tick
    expect(() => formatPrice(0.000001, 1, 'down')).toThrow(RangeError);
    expect(() => formatSize(-1, 2)).toThrow(RangeError);
  });

  it('every formatted price passes the venue rule (checked independently) and rounds the way it was asked', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 2e6, noNaN: true }), fc.integer({ min: 0, max: 5 }), fc.constantFrom('up' as const, 'down' as const), (px, sz, mode) => {
        if (mode === 'down' && px < 10 ** -(6 - sz)) {
          expect(() => formatPrice(px, sz, mode)).toThrow(RangeError);
          return;
        }
        const out = formatPrice(px, sz, mode);
        expect(validTick(out, sz)).toBe(true);
        // Binary noise (a few ulps) counts as on the step, hence a little relative slack.
        if (mode === 'down') expect(Number(out)).toBeLessThanOrEqual(px * (1 + 1e-6));
        else expect(Number(out)).toBeGreaterThanOrEqual(px * (1 - 1e-6));
        // Within one step of the input: the 5th significant figure, the smallest tick (10^-(6 - szDecimals)),
        // or one unit above 99,999.
        const step = Math.max(px * 1e-4, 10 ** -(6 - sz), px >= 1e5 ? 1 : 0);
        expect(Math.abs(Number(out) - px)).toBeLessThanOrEqual(step * (1 + 1e-6));
      }),
      { numRuns: 2_000, seed: 20_261_121 },
    );
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 8 }), (v, sz) => {
        const out = formatSize(v, sz);
        expect(validLot(out, sz)).toBe(true);
        expect(Number(out)).toBeLessThanOrEqual(v + 1e-9);
        expect(v - Number(out)).toBeLessThan(10 ** -sz + 1e-9);
      }),
      { numRuns: 2_000, seed: 20_261_121 },
    );
  });

  it('cloid is deterministic, 16 bytes, and differs per account and id', () => {
    const a = cloidOf('acct', 'close-1');
    expect(a).toMatch(/^0x[0-9a-f]{32}$/);
    expect(cloidOf('acct', 'close-1')).toBe(a);
    expect(cloidOf('acct', 'close-2')).not.toBe(a);
    expect(cloidOf('other', 'close-1')).not.toBe(a);
  });

  it('info weights follow the venue table', () => {
    expect(infoWeight('clearinghouseState')).toBe(2);
    expect(infoWeight('l2Book')).toBe(2);
    expect(infoWeight('allMids')).toBe(2);
    expect(infoWeight('meta')).toBe(20);
    expect(infoWeight('userFillsByTime', 45)).toBe(22);
    expect(infoWeight('candleSnapshot', 130)).toBe(22);
    expect(infoWeight('userRole')).toBe(60);
  });
});

describe('errors', () => {
  it.each([
    ['Insufficient margin to place order. asset=0', InsufficientMarginError],
    ['order 0: Insufficient margin to place order. asset=3', InsufficientMarginError],
    ['Price must be divisible by tick size. asset=0', InvalidOrderError],
    ['Reduce only order would increase position. asset=31', InvalidOrderError],
    ['Order must have minimum value of $10. asset=2', InvalidOrderError],
    ['Order could not immediately match against any resting orders. asset=1', InvalidOrderError],
    ['Order was never placed, already canceled, or filled. asset=1', InvalidOrderError],
    ['User or API Wallet 0x1234567890abcdef1234567890abcdef12345678 does not exist.', AuthenticationError],
    ['Invalid nonce: duplicate nonce', ClockSkewError],
    ['Too many cumulative requests sent (37986 > 10436) for cumulative volume traded $437.92.', RateLimitError],
    ['Too many scheduled cancel triggers today (limit 10).', RateLimitError],
    ['Cannot set scheduled cancel time until enough volume traded. Required: $1000000. Traded: $12.', PermissionError],
    ['Scheduled cancel time too early, must be at least 5 seconds after current time.', InvalidOrderError],
    ['Something new the venue says', InvalidOrderError],
  ] as const)('"%s" -> %s', (text, Cls) => {
    const e = mapVenueText(text);
    expect(e).toBeInstanceOf(Cls);
    expect(e.venue).toBe('hyperliquid');
    expect(e.message).toBe(`hyperliquid: ${text}`);
  });

  it('maps HTTP statuses, with Retry-After', () => {
    const r = mapHttpFailure({ status: 429, body: 'Too many requests', retryAfter: '3' });
    expect(r).toBeInstanceOf(RateLimitError);
    expect(r.retryAfterMs).toBe(3_000);
    expect(r.code).toBe(429);
    expect(mapHttpFailure({ status: 418 })).toBeInstanceOf(RateLimitError);
    expect(mapHttpFailure({ status: 502 })).toBeInstanceOf(ExchangeUnavailableError);
    expect(mapHttpFailure({ status: 403 })).toBeInstanceOf(PermissionError);
    expect(mapHttpFailure({ status: 200, body: '{"x": tr' })).toBeInstanceOf(BadPayloadError);
    expect(mapHttpFailure({ status: 422, body: 'Failed to deserialize the JSON body into the target type' })).toBeInstanceOf(InvalidOrderError);
    expect(retryAfterMs('Wed, 21 Oct 2099 07:28:00 GMT', Date.parse('Wed, 21 Oct 2099 07:27:00 GMT'))).toBe(60_000);
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it('maps what the library and fetch throw, by error name', async () => {
    const named = (name: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name, ...extra });
    expect(await mapError(named('ApiRequestError', 'order 0: Insufficient margin to place order. asset=0', { response: {} }))).toBeInstanceOf(InsufficientMarginError);
    const response = new Response('busy', { status: 503, headers: { 'retry-after': '2' } });
    const mapped = await mapError(named('HttpRequestError', '503', { response }));
    expect(mapped).toBeInstanceOf(ExchangeUnavailableError);
    expect(mapped.retryAfterMs).toBe(2_000);
    expect(await mapError(named('HttpRequestError', 'Request timed out after 10000 ms'))).toBeInstanceOf(NetworkError);
    expect(await mapError(named('WebSocketRequestError', 'WebSocket connection closed'))).toBeInstanceOf(NetworkError);
    expect(await mapError(named('ValidationError', 'Invalid address'))).toBeInstanceOf(InvalidOrderError);
    expect(await mapError(new TypeError('fetch failed'))).toBeInstanceOf(NetworkError);
    const already = new RateLimitError('x', { venue: 'hyperliquid' });
    expect(await mapError(already)).toBe(already);
  });
});
