/**
 * The Market view's data: candles, order-book snapshots and public trades read through the venue adapter of a configured account,
 * returned as they come (the adapters validate them and time out on their own). The risk loop's connected adapter is
 * used when the account is live (its request weight is counted in one place); otherwise a REST-only adapter of the
 * account. Nothing is analysed here: lib/market runs in the options page, so the service worker stays small.
 * Failures a trader can act on are answered as data.
 */
import { isExchangeError } from '../exchanges/errors';
import type { AdapterFactory } from '../exchanges/factory';
import type { ExchangeAdapter } from '../exchanges/types';
import type { MarketBookData, MarketBookResult, MarketCandlesData, MarketCandlesResult, MarketFailure, MarketTradesData, MarketTradesResult } from '../messaging/market-requests';
import type { AccountRow } from '../store/db';
import { adapterConfig, explainFailure } from './connection-test';

const VENUE = { binance: 'Binance', hyperliquid: 'Hyperliquid' } as const;

export interface MarketHandlerDeps {
  /** The configured accounts (the accounts table). */
  accounts: () => Promise<AccountRow[]>;
  makeAdapter: AdapterFactory;
  /** The risk loop's connected adapter of the venue, if any (supervisor.adapterFor). */
  live?: (venue: AccountRow['venue']) => ExchangeAdapter | null;
}

const fail = (reason: MarketFailure['reason'], message: string): MarketFailure => ({ ok: false, reason, message });

export function marketHandlers({ accounts, makeAdapter, live }: MarketHandlerDeps) {
  // One adapter per account and endpoint, never connected: no streams, public REST reads only. Market data needs no
  // signature, so the vault stays shut; Binance's adapter wants some secret to exist, a placeholder stands in.
  const cache = new Map<string, ExchangeAdapter>();

  /** Reads through the named account, else the venue's first (by id). */
  const read = async <T>(d: { venue: AccountRow['venue']; symbol: string; account?: string | undefined }, f: (a: ExchangeAdapter) => Promise<T>) => {
    const v = VENUE[d.venue];
    const rows = (await accounts()).filter((r) => r.venue === d.venue && (d.account === undefined || r.id === d.account)).sort((a, b) => a.id.localeCompare(b.id));
    const connected = live?.(d.venue);
    const row = rows.find((r) => r.accountId === connected?.accountId) ?? rows[0];
    if (!row) return fail('no_account', `No ${v} account${d.account ? ` "${d.account}"` : ''} is connected to Ringfence: add one under Accounts to see ${v} market data.`);
    const key = [row.id, row.network, row.restUrl, row.wsUrl, row.publicId].join('|');
    let adapter = row.accountId === connected?.accountId ? connected : cache.get(key);
    if (!adapter) cache.set(key, (adapter = makeAdapter(adapterConfig(row, d.venue === 'binance' ? 'unused' : null))));
    const src = { venue: d.venue, symbol: d.symbol, account: row.id, accountLabel: row.label };
    try {
      return { src, data: await f(adapter) };
    } catch (e) {
      const said = (e instanceof Error ? e.message : String(e)).replace(/^(binance|hyperliquid): /, '');
      if (!isExchangeError(e)) return fail('venue_error', `${v} could not answer (${said}).`);
      return e.kind === 'invalid_order' ? fail('unknown_symbol', `${v} does not list ${d.symbol}: ${said}`) : fail('venue_error', explainFailure(row, e));
    }
  };

  return {
    'market.candles': async (d: MarketCandlesData): Promise<MarketCandlesResult> => {
      const r = await read(d, (a) => a.fetchCandles(d.symbol, d.interval, d.since, d.limit));
      if ('ok' in r) return r;
      if (r.data.length === 0) return fail('unknown_symbol', `${VENUE[d.venue]} has no ${d.interval} candles for ${d.symbol}: it does not list it, or nothing traded.`);
      return { ok: true, ...r.src, interval: d.interval, candles: r.data };
    },
    'market.book': async (d: MarketBookData): Promise<MarketBookResult> => {
      const r = await read(d, (a) => a.fetchOrderBook(d.symbol, d.depth));
      if ('ok' in r) return r;
      if (r.data.bids.length + r.data.asks.length === 0) return fail('unknown_symbol', `${VENUE[d.venue]} has an empty order book for ${d.symbol}.`);
      return { ok: true, ...r.src, book: r.data };
    },
    'market.trades': async (d: MarketTradesData): Promise<MarketTradesResult> => {
      const req = { symbol: d.symbol, start: d.start, end: d.end, maxTrades: d.maxTrades, maxCalls: d.maxCalls };
      const r = await read(d, async (a) => (a.capabilities.trades && a.fetchTrades ? a.fetchTrades(req) : null));
      if ('ok' in r) return r;
      if (!r.data) {
        return { ok: true, ...r.src, available: false, note: `${VENUE[d.venue]} gives no trade history`, trades: [], from: d.start, to: d.end, complete: false };
      }
      return { ok: true, ...r.src, available: true, trades: r.data.trades, from: r.data.from, to: r.data.to, complete: r.data.complete };
    },
  };
}
