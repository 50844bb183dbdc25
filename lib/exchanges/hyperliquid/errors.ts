/**
 * Hyperliquid's error texts and HTTP statuses -> the shared error classes. The venue has no numeric codes: an
 * /exchange call answers `{status:'err', response:'<text>'}` or puts `{error:'<text>'}` in a per-order status, so
 * the mapping is by text (the same fragments ccxt matches), then by HTTP status.
 */
import {
  AuthenticationError,
  BadPayloadError,
  ClockSkewError,
  type ExchangeError,
  ExchangeUnavailableError,
  InsufficientMarginError,
  InvalidOrderError,
  isExchangeError,
  NetworkError,
  PermissionError,
  RateLimitError,
} from '../errors';

type ErrorClass = new (message: string, init: { venue: 'hyperliquid'; code?: string | number; retryAfterMs?: number; cause?: unknown }) => ExchangeError;

/** Text fragment (case-insensitive) -> class; first match wins, so the specific ones come first. */
export const TEXT_RULES: readonly [RegExp, ErrorClass][] = [
  [/too many cumulative requests|too many requests|rate limit/i, RateLimitError],
  [/scheduled cancel.*(too many|limit)|too many scheduled cancel/i, RateLimitError],
  [/insufficient margin|insufficient (spot )?balance|not enough margin/i, InsufficientMarginError],
  [/invalid nonce|nonce.*(too (far|old|high|low)|expired)/i, ClockSkewError],
  [/user or api wallet .* does not exist|invalid signature|signature.*(mismatch|invalid)|agent.*(expired|not (approved|found))/i, AuthenticationError],
  [/not (allowed|permitted)|permission|vault.*not authorized|cannot set scheduled cancel time until enough volume/i, PermissionError],
  [/price must be divisible by tick size|minimum value of|reduce only order would increase position|post only order would have immediately matched|could not immediately match|invalid tp\/sl price|no liquidity available|order has (invalid|zero) size|more than 80% away|invalid (asset|order|size|price|trigger)|never placed, already canceled, or filled|scheduled cancel/i, InvalidOrderError],
];

export interface HttpFailure {
  status: number;
  body?: string;
  retryAfter?: string | null;
}

/** Retry-After in seconds (the venue's 429s and our simulator) or as an HTTP date. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** An error text the venue sent (top-level `response` or a per-order `error`). */
export function mapVenueText(text: string, cause?: unknown): ExchangeError {
  for (const [re, Cls] of TEXT_RULES) {
    if (re.test(text)) return new Cls(`hyperliquid: ${text}`, { venue: 'hyperliquid', code: text.slice(0, 80), cause });
  }
  // An unrecognised rejection of an action: the order (or request) itself was refused.
  return new InvalidOrderError(`hyperliquid: ${text}`, { venue: 'hyperliquid', code: text.slice(0, 80), cause });
}

/** A non-2xx answer (or a 2xx that is not JSON). */
export function mapHttpFailure(f: HttpFailure, cause?: unknown): ExchangeError {
  const body = (f.body ?? '').slice(0, 300);
  const init = { venue: 'hyperliquid' as const, code: f.status, cause, retryAfterMs: retryAfterMs(f.retryAfter) };
  if (f.status === 429) return new RateLimitError(`hyperliquid: rate limited (HTTP 429)${body ? `: ${body}` : ''}`, init);
  if (f.status === 418) return new RateLimitError(`hyperliquid: IP banned (HTTP 418)${body ? `: ${body}` : ''}`, init);
  if (f.status === 401 || f.status === 403) return new PermissionError(`hyperliquid: HTTP ${f.status}${body ? `: ${body}` : ''}`, init);
  if (f.status >= 500) return new ExchangeUnavailableError(`hyperliquid: unavailable (HTTP ${f.status})${body ? `: ${body}` : ''}`, init);
  if (f.status >= 200 && f.status < 300) {
    return new BadPayloadError(`hyperliquid: response is not JSON${body ? `: ${body.slice(0, 80)}` : ''}`, { ...init, issues: ['body is not JSON'] });
  }
  // 400 / 422: the venue could not deserialize the request, or refused it with a text.
  if (body) return mapVenueText(body, cause);
  return new InvalidOrderError(`hyperliquid: request rejected (HTTP ${f.status})`, init);
}

/** Duck-typed views of @nktkas/hyperliquid's errors, so this module does not import the library. */
interface HttpRequestErrorLike {
  name: string;
  message: string;
  response?: { status: number; headers: { get(name: string): string | null }; text(): Promise<string> };
}
interface ApiRequestErrorLike {
  name: 'ApiRequestError';
  message: string;
  response: unknown;
}

/**
 * Maps whatever the library or fetch threw. Async because a failed HTTP response's body is read here, once.
 */
export async function mapError(e: unknown): Promise<ExchangeError> {
  if (isExchangeError(e)) return e;
  if (e instanceof Error) {
    if (e.name === 'ApiRequestError') return mapVenueText((e as ApiRequestErrorLike).message, e);
    if (e.name === 'HttpRequestError') {
      const r = (e as HttpRequestErrorLike).response;
      if (r) {
        let body = '';
        try {
          body = await r.text();
        } catch {
          body = '';
        }
        return mapHttpFailure({ status: r.status, body, retryAfter: r.headers.get('retry-after') }, e);
      }
      if (/timed out/i.test(e.message)) return new NetworkError(`hyperliquid: ${e.message}`, { venue: 'hyperliquid', cause: e });
      return new NetworkError(`hyperliquid: ${e.message}`, { venue: 'hyperliquid', cause: e });
    }
    if (e.name === 'WebSocketRequestError' || e.name === 'TransportError') {
      return new NetworkError(`hyperliquid: ${e.message}`, { venue: 'hyperliquid', cause: e });
    }
    if (e.name === 'ValidationError') {
      // The library refused our own request before sending it (bad address, bad size): a caller error.
      return new InvalidOrderError(`hyperliquid: request rejected before sending: ${e.message}`, { venue: 'hyperliquid', cause: e });
    }
    if (e.name === 'AbstractWalletError') {
      return new AuthenticationError(`hyperliquid: signing failed: ${e.message}`, { venue: 'hyperliquid', cause: e });
    }
    if (e.name === 'TypeError' && /fetch failed|network|ECONNREFUSED/i.test(`${e.message} ${String((e as { cause?: unknown }).cause ?? '')}`)) {
      return new NetworkError(`hyperliquid: ${e.message}`, { venue: 'hyperliquid', cause: e });
    }
    return new NetworkError(`hyperliquid: ${e.message}`, { venue: 'hyperliquid', cause: e });
  }
  return new NetworkError(`hyperliquid: ${String(e)}`, { venue: 'hyperliquid', cause: e });
}
