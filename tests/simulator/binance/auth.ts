/** Binance request authentication: X-MBX-APIKEY, timestamp within recvWindow, HMAC-SHA256 over the exact params. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BinanceReject } from './engine';

export interface SignedParams {
  apiKey: string | null;
  params: URLSearchParams;
}

/** Query and body as Binance reads them: totalParams = query string + request body. */
export function totalParams(query: string, body: string): string {
  const q = query.startsWith('?') ? query.slice(1) : query;
  if (q && body) return `${q}&${body}`;
  return q || body;
}

/** Removes `signature=...` from the raw parameter string, leaving the exact bytes that were signed. */
export function splitSignature(raw: string): { signed: string; signature: string | null } {
  const parts = raw.split('&');
  const idx = parts.findIndex((p) => p.startsWith('signature='));
  if (idx < 0) return { signed: raw, signature: null };
  const signature = decodeURIComponent(parts[idx]!.slice('signature='.length));
  parts.splice(idx, 1);
  return { signed: parts.join('&'), signature };
}

export const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('hex');

/** Throws the BinanceReject Binance would answer; returns nothing when the request is properly signed and on time. */
export function verifySignature(raw: string, secret: string, serverNow: number): void {
  const { signed, signature } = splitSignature(raw);
  const params = new URLSearchParams(signed);
  const ts = params.get('timestamp');
  if (ts === null || !/^\d+$/.test(ts)) {
    throw new BinanceReject(-1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
  }
  if (signature === null || signature === '') {
    throw new BinanceReject(-1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
  }
  const recvRaw = params.get('recvWindow');
  const recvWindow = recvRaw === null ? 5000 : Number(recvRaw);
  if (!Number.isFinite(recvWindow) || recvWindow <= 0 || recvWindow > 60_000) {
    throw new BinanceReject(-1131, 'recvWindow must be less than 60000');
  }
  const t = Number(ts);
  // Binance: rejected when the request is from the future by more than 1 s, or older than recvWindow.
  if (t > serverNow + 1000 || serverNow - t > recvWindow) {
    throw new BinanceReject(-1021, 'Timestamp for this request is outside of the recvWindow.');
  }
  const expected = Buffer.from(sign(secret, signed), 'utf8');
  const got = Buffer.from(signature.toLowerCase(), 'utf8');
  if (expected.length !== got.length || !timingSafeEqual(expected, got)) {
    throw new BinanceReject(-1022, 'Signature for this request is not valid.');
  }
}
