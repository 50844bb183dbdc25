/**
 * "Test connection": builds the account's adapter, reads a snapshot (signed REST reads: the key, its secret, its
 * permissions and the endpoint are all exercised) and explains a failure in terms of what to fix. Streams are not
 * opened: that would double the time for no more certainty about the key. Messages never contain the secret.
 */
import { isExchangeError, type ExchangeError } from '../exchanges/errors';
import type { AdapterFactory } from '../exchanges/factory';
import type { AdapterConfig } from '../exchanges/types';
import type { AccountRow } from '../store/db';

export const TEST_TIMEOUT_MS = 20_000;
const VENUE = { binance: 'Binance', hyperliquid: 'Hyperliquid' } as const;
const usd = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export interface ConnectionTestResult {
  ok: boolean;
  message: string;
  latencyMs: number;
}

export function adapterConfig(row: AccountRow, secret: string | null): AdapterConfig {
  const endpoints = {
    network: row.network,
    ...(row.restUrl ? { restUrl: row.restUrl } : {}),
    ...(row.wsUrl ? { wsUrl: row.wsUrl } : {}),
  };
  return {
    accountId: row.accountId,
    endpoints,
    credentials:
      row.venue === 'binance'
        ? { venue: 'binance', apiKey: row.publicId, apiSecret: secret ?? '' }
        : { venue: 'hyperliquid', address: row.publicId, ...(secret ? { agentKey: secret } : {}) },
  };
}

/** What the trader should do about a failure, by error class and, where the venue says more, its code. */
export function explainFailure(row: Pick<AccountRow, 'venue' | 'restUrl' | 'network'>, e: ExchangeError): string {
  const v = VENUE[row.venue];
  const where = row.network === 'custom' ? ` at ${row.restUrl}` : ` (${row.network})`;
  const said = e.message.replace(/^(binance|hyperliquid): /, '');
  switch (e.kind) {
    case 'authentication':
      if (e.code === -2015) {
        return `${v} refused this key: it is wrong, not allowed from this IP address, or lacks the permission for this call (${said}). Check the key, its IP allow-list and its permissions.`;
      }
      if (e.code === -1022) return `${v} rejected the signature: the API secret does not belong to this API key (${said}).`;
      if (e.code === -2014) return `${v} says the API key is malformed (${said}).`;
      return `${v} refused the credentials (${said}). Check the key and secret.`;
    case 'permission':
      return `The key works but lacks a permission Ringfence needs (${said}). Reading needs no more than read access; enforce mode needs trading.`;
    case 'clock_skew':
      return `Your computer's clock is too far from ${v}'s (${said}). Sync the system clock and test again.`;
    case 'rate_limit':
      return `${v} is rate-limiting requests${e.retryAfterMs ? ` for ${Math.ceil(e.retryAfterMs / 1000)} s` : ''} (${said}). Try again later.`;
    case 'network':
    case 'unavailable':
      return `${v} could not be reached${where} (${said}). Check the network, or the endpoint for a custom network.`;
    case 'bad_payload':
      return `${v} answered with data Ringfence could not read (${said}).`;
    case 'invalid_order':
    case 'insufficient_margin':
      return `${v} refused a request (${said}).`;
  }
}

export async function testConnection(
  row: AccountRow,
  secret: string | null,
  make: AdapterFactory,
  now: () => number,
): Promise<ConnectionTestResult> {
  const t0 = now();
  if (row.venue === 'binance' && !secret) {
    return { ok: false, message: 'Unlock the key vault first: Binance reads need the API secret to sign.', latencyMs: 0 };
  }
  const adapter = make(adapterConfig(row, secret));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${TEST_TIMEOUT_MS / 1000} s`)), TEST_TIMEOUT_MS);
    });
    const snap = await Promise.race([adapter.snapshot(), timeout]);
    const n = snap.positions.length;
    const o = snap.openOrders.length;
    const mode = row.hasSecret ? '' : ' Read-only: add a key to let Ringfence act.';
    return {
      ok: true,
      message: `Connected to ${VENUE[row.venue]}: equity ${usd(snap.account.equity)}, ${n} open position${n === 1 ? '' : 's'}, ${o} open order${o === 1 ? '' : 's'}.${mode}`,
      latencyMs: now() - t0,
    };
  } catch (e) {
    const message = isExchangeError(e)
      ? explainFailure(row, e)
      : `${VENUE[row.venue]} could not be reached (${e instanceof Error ? e.message : String(e)}).`;
    return { ok: false, message, latencyMs: now() - t0 };
  } finally {
    clearTimeout(timer);
    await adapter.disconnect().catch(() => {});
  }
}
