/**
 * Binance USD-M errors -> Ringfence's error classes, from the HTTP status, the venue code ({"code":-2015,"msg":...})
 * and, failing both, the text. Codes: https://developers.binance.com/docs/derivatives/usds-margined-futures/error-code
 */
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
  isExchangeError,
  type ExchangeError,
} from '../errors';

export interface BinanceErrorInfo {
  httpStatus?: number;
  code?: number;
  msg?: string;
  /** Retry-After header, seconds. */
  retryAfterSec?: number;
  /** A trading call (order, cancel, countdown) rather than a read. */
  trading?: boolean;
  /** The key has already been accepted for a signed read: -2015 on a trading call then means no trade permission. */
  keyVerified?: boolean;
  now?: number;
}

const AUTH = new Set([-1022, -2014, -2015, -2008, -1125]);
const PERMISSION = new Set([-1002, -4087, -4088]);
const RATE = new Set([-1003, -1015]);
const CLOCK = new Set([-1021, -5028]);
const MARGIN = new Set([-2018, -2019, -2028, -4050, -4051]);
const UNAVAILABLE = new Set([-1000, -1001, -1006, -1007, -1008, -1016]);

type Ctor = new (message: string, init: { venue: 'binance'; code?: string | number; retryAfterMs?: number; cause?: unknown }) => ExchangeError;

function classFor(info: BinanceErrorInfo): Ctor {
  const { code, httpStatus, msg = '' } = info;
  if (code !== undefined) {
    if (code === -2015 && info.trading && info.keyVerified) return PermissionError;
    if (AUTH.has(code)) return AuthenticationError;
    if (PERMISSION.has(code)) return PermissionError;
    if (RATE.has(code)) return RateLimitError;
    if (CLOCK.has(code)) return ClockSkewError;
    if (MARGIN.has(code)) return InsufficientMarginError;
    if (UNAVAILABLE.has(code)) return ExchangeUnavailableError;
  }
  if (httpStatus === 429 || httpStatus === 418) return RateLimitError;
  if (httpStatus === 401) return AuthenticationError;
  // 403: the web application firewall refused the request.
  if (httpStatus === 403) return PermissionError;
  if (httpStatus !== undefined && httpStatus >= 500) return ExchangeUnavailableError;
  if (/too many requests|banned until|rate limit/i.test(msg)) return RateLimitError;
  if (/recvWindow|timestamp for this request/i.test(msg)) return ClockSkewError;
  if (/signature|api-key/i.test(msg)) return AuthenticationError;
  if (/margin is insufficient|balance is insufficient|insufficient/i.test(msg)) return InsufficientMarginError;
  if (code !== undefined) return InvalidOrderError;
  if (httpStatus !== undefined && httpStatus >= 400) return InvalidOrderError;
  return ExchangeUnavailableError;
}

/** "IP(1.2.3.4) banned until 1700000000000" -> ms from now. */
function banMs(msg: string | undefined, now: number): number | undefined {
  const m = msg?.match(/banned until (\d{13})/);
  return m ? Math.max(0, Number(m[1]) - now) : undefined;
}

export function mapBinanceError(info: BinanceErrorInfo, cause?: unknown): ExchangeError {
  const Cls = classFor(info);
  const now = info.now ?? Date.now();
  const retryAfterMs = info.retryAfterSec !== undefined ? info.retryAfterSec * 1000 : banMs(info.msg, now);
  const parts = [info.httpStatus ? `HTTP ${info.httpStatus}` : null, info.code !== undefined ? `code ${info.code}` : null].filter(Boolean).join(', ');
  const message = `binance: ${info.msg ?? 'request failed'}${parts ? ` (${parts})` : ''}`;
  return new Cls(message, { venue: 'binance', code: info.code ?? info.httpStatus, retryAfterMs, cause });
}

/** Binance's error body: {"code": -2015, "msg": "..."}; anything else (HTML from a gateway, empty) yields nothing. */
export function parseErrorBody(body: string | undefined): { code?: number; msg?: string } {
  if (!body) return {};
  try {
    const j = JSON.parse(body) as unknown;
    if (typeof j === 'object' && j !== null) {
      const { code, msg } = j as { code?: unknown; msg?: unknown };
      return {
        code: typeof code === 'number' ? code : typeof code === 'string' && /^-?\d+$/.test(code) ? Number(code) : undefined,
        msg: typeof msg === 'string' ? msg : undefined,
      };
    }
  } catch {
    // Not JSON: keep the start of the text as the message.
  }
  return { msg: body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200) || undefined };
}

/** ccxt's own exception classes (by name: they are not imported, to keep ccxt's error module out of the API). */
const CCXT_NAMES: Record<string, Ctor> = {
  AuthenticationError,
  PermissionDenied: PermissionError,
  AccountSuspended: PermissionError,
  InsufficientFunds: InsufficientMarginError,
  InvalidOrder: InvalidOrderError,
  OrderNotFound: InvalidOrderError,
  OrderImmediatelyFillable: InvalidOrderError,
  OrderNotFillable: InvalidOrderError,
  BadRequest: InvalidOrderError,
  BadSymbol: InvalidOrderError,
  ArgumentsRequired: InvalidOrderError,
  InvalidNonce: ClockSkewError,
  RateLimitExceeded: RateLimitError,
  DDoSProtection: RateLimitError,
  RequestTimeout: NetworkError,
  NetworkError: NetworkError,
  ExchangeNotAvailable: ExchangeUnavailableError,
  OnMaintenance: ExchangeUnavailableError,
};

/** Anything a call threw -> an ExchangeError (ours pass through; ccxt's and fetch's are mapped). */
export function toExchangeError(e: unknown): ExchangeError {
  if (isExchangeError(e)) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  const Cls = CCXT_NAMES[err.name];
  if (Cls) {
    const body = err.message.slice(err.message.indexOf('{'));
    const { code, msg } = parseErrorBody(body.startsWith('{') ? body : undefined);
    return new Cls(`binance: ${msg ?? err.message}`, { venue: 'binance', code, cause: e });
  }
  if (err.name === 'BadResponse' || err.name === 'NullResponse') {
    return new BadPayloadError(`binance: ${err.message}`, { venue: 'binance', issues: [err.message], cause: e });
  }
  // fetch() failures (ECONNREFUSED, DNS, reset) surface as TypeError: "fetch failed".
  if (err instanceof TypeError && /fetch|network|socket/i.test(err.message)) {
    return new NetworkError(`binance: ${err.message}`, { venue: 'binance', cause: e });
  }
  return new ExchangeUnavailableError(`binance: unexpected failure: ${err.message}`, { venue: 'binance', cause: e });
}
