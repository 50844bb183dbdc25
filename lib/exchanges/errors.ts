/**
 * One error hierarchy for every venue. Each adapter maps its venue's codes and texts to these classes
 * (lib/exchanges/<venue>/errors.ts), so the supervisor decides on retries and breakers by class, not by venue.
 */
import type { Venue } from '../domain/types';

export type ExchangeErrorKind =
  | 'network'
  | 'rate_limit'
  | 'authentication'
  | 'permission'
  | 'invalid_order'
  | 'insufficient_margin'
  | 'clock_skew'
  | 'unavailable'
  | 'bad_payload';

export interface ExchangeErrorInit {
  venue: Venue;
  /** The venue's own code (Binance -2015, HTTP 429, ...) when it gave one. */
  code?: string | number;
  /** From Retry-After or the venue's ban message. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * A venue's error text without what its URLs carry: ccxt puts the URL in its errors, and a private stream's URL holds
 * the key to the account's data (Binance …/private/ws?listenKey=<key>, or …/ws/<key>); REST URLs carry signatures. Every
 * query string and every long path segment goes, and a listenKey named outside a URL too. Applied where every exchange
 * error is made, so no message (audit, views, exports, the guard) can carry them.
 */
export const redactSecrets = (text: string) =>
  text
    .replace(/\b(?:wss?|https?):\/\/[^\s"'<>]+/gi, (url) => url.replace(/[?#].*/, '?…').replace(/\/[\w-]{20,}(?=[/?]|$)/g, '/…'))
    .replace(/(listenKey\W{0,3})\w{20,}/gi, '$1…');

export abstract class ExchangeError extends Error {
  abstract readonly kind: ExchangeErrorKind;
  /** Whether trying the same call again later can succeed. */
  abstract readonly retryable: boolean;
  readonly venue: Venue;
  readonly code: string | number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, init: ExchangeErrorInit) {
    super(redactSecrets(message), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.venue = init.venue;
    this.code = init.code;
    this.retryAfterMs = init.retryAfterMs;
  }
}

export class NetworkError extends ExchangeError {
  readonly kind = 'network';
  readonly retryable = true;
}
export class RateLimitError extends ExchangeError {
  readonly kind = 'rate_limit';
  readonly retryable = true;
}
export class AuthenticationError extends ExchangeError {
  readonly kind = 'authentication';
  readonly retryable = false;
}
export class PermissionError extends ExchangeError {
  readonly kind = 'permission';
  readonly retryable = false;
}
export class InvalidOrderError extends ExchangeError {
  readonly kind = 'invalid_order';
  readonly retryable = false;
}
export class InsufficientMarginError extends ExchangeError {
  readonly kind = 'insufficient_margin';
  readonly retryable = false;
}
export class ClockSkewError extends ExchangeError {
  readonly kind = 'clock_skew';
  /** Retryable once the adapter has re-synchronised its clock offset. */
  readonly retryable = true;
}
export class ExchangeUnavailableError extends ExchangeError {
  readonly kind = 'unavailable';
  readonly retryable = true;
}
/** A response or push that failed its schema: counted, and the last good state is kept. */
export class BadPayloadError extends ExchangeError {
  readonly kind = 'bad_payload';
  readonly retryable = false;
  readonly issues: string[];
  constructor(message: string, init: ExchangeErrorInit & { issues: string[] }) {
    super(message, init);
    this.issues = init.issues.map(redactSecrets);
  }
}

export const isExchangeError = (e: unknown): e is ExchangeError => e instanceof ExchangeError;
