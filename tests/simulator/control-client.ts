/** Typed client for the simulator's loopback control API (what tests script it with). */
import type { FaultPatch } from './faults';
import type { SimVenue } from './price-engine';
import type { WeightReport } from './core';

export interface SimState {
  prices: { venue: SimVenue; symbol: string; price: number }[];
  simNow: number;
  source: 'candles' | 'generated' | 'manual';
  path: 'candles' | 'generated' | 'flat';
  speed: number;
  paused: boolean;
  clockSkewMs: number;
  sockets: Record<SimVenue, number>;
  replay: number;
}

export interface ReplayEntryInput {
  venue: SimVenue;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | null;
  path: string;
  bodyMatch?: Record<string, unknown> | null;
  status?: number;
  /** Sent verbatim. */
  body: string;
  /** 0 or absent: every time. */
  times?: number;
}

/** Binance `transfer` extras (see docs/simulator.md). */
export interface BinanceTransferOptions {
  incomeType?: 'TRANSFER' | 'INTERNAL_TRANSFER';
  /** History: `count` transfers (default 1), the first at `time`, then every `everyMs`; no push. */
  time?: number;
  count?: number;
  everyMs?: number;
}

/** A scripted Hyperliquid cash movement (POST /control/hyperliquid/ledger; see docs/simulator.md). */
export interface HlLedgerInput {
  /** The account's address (`user` is accepted too). */
  address: string;
  /** Signed change of the main-dex perp balance before any fee: + in, - out; never 0. */
  usdc: number;
  /** Default: deposit when usdc > 0, withdraw when < 0. */
  type?: 'deposit' | 'withdraw' | 'accountClassTransfer' | 'internalTransfer' | 'subAccountTransfer' | 'vaultDeposit' | 'vaultWithdraw';
  /** withdraw / internalTransfer out: taken on top of |usdc|. */
  fee?: number;
  counterparty?: string;
  vault?: string;
  /** Push the new clearinghouseState before the ledger entry. */
  stateFirst?: boolean;
  /** false: the entry is only served by the info request, never pushed. */
  pushLedger?: boolean;
  /** Real time (ms) between the two pushes (default 0). */
  gapMs?: number;
  /** History: this many such entries (default 1), the first stamped `time` (default now), then every `everyMs`. */
  count?: number;
  time?: number;
  everyMs?: number;
}
export interface HlLedgerResult {
  time: number;
  hash: string;
  delta: { type: string } & Record<string, unknown>;
  /** What the perp balance moved by (fee included). */
  balanceChange: number;
}

export class SimControlError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class SimControl {
  constructor(private readonly baseUrl: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new SimControlError(`control ${path}: not JSON (${res.status})`, res.status);
    }
    if (!res.ok) {
      const msg = typeof data === 'object' && data && 'error' in data ? String((data as { error: unknown }).error) : text;
      throw new SimControlError(`control ${path}: ${msg}`, res.status);
    }
    return data as T;
  }

  state = () => this.call<SimState>('GET', '/state');
  reset = () => this.call<{ ok: true }>('POST', '/reset');
  faults = (patch: FaultPatch) => this.call<unknown>('POST', '/faults', patch);
  clearFaults = () => this.call<{ ok: true }>('POST', '/faults/clear');
  /** Closes every websocket (of one venue). */
  drop = (venue?: SimVenue) => this.call<{ dropped: number }>('POST', '/drop', venue ? { venue } : {});
  setPrice = (venue: SimVenue, symbol: string, price: number) => this.call<{ ok: true }>('POST', '/price', { venue, symbol, price });
  moves = (moves: { venue: SimVenue; symbol: string; to: number; overMs: number }[]) =>
    this.call<{ ok: true }>('POST', '/moves', { moves });
  addSymbol = (venue: SimVenue, symbol: string, price: number) => this.call<{ ok: true }>('POST', '/symbols', { venue, symbol, price });
  clock = (opts: { speed?: number; paused?: boolean }) => this.call<{ speed: number; paused: boolean; simNow: number }>('POST', '/clock', opts);
  /** Forces price ticks now (marks pushed at once). */
  tick = (count = 1) => this.call<{ simNow: number }>('POST', '/tick', { count });
  weight = (venue: SimVenue) => this.call<WeightReport>('GET', `/weight?venue=${venue}`);
  resetWeight = () => this.call<{ ok: true }>('POST', '/weight/reset');
  /** Venue requests with their final status, faulted ones included. */
  requests = (venue?: SimVenue) =>
    this.call<{ requests: { venue: SimVenue; method: string; path: string; status: number; time: number }[] }>('GET', `/requests${venue ? `?venue=${venue}` : ''}`).then((r) => r.requests);
  clearRequests = () => this.call<{ ok: true }>('POST', '/requests/clear');
  replay = (entries: ReplayEntryInput[]) => this.call<{ entries: number }>('POST', '/replay', { entries });
  clearReplay = () => this.call<{ ok: true }>('POST', '/replay/clear');
  /** Sends raw frames verbatim to every open socket of a venue. */
  push = (venue: SimVenue, frames: string[], pathPrefix?: string) =>
    this.call<{ sockets: number }>('POST', '/push', pathPrefix ? { venue, frames, pathPrefix } : { venue, frames });
  /** A venue's own control action (accounts, positions, fills): see docs/simulator.md. */
  venue = <T = unknown>(venue: SimVenue, action: string, payload: unknown = {}) => this.call<T>('POST', `/${venue}/${action}`, payload);
  /**
   * Binance: money into (+, a deposit) or out of (-, a withdrawal) an account's futures wallet, pushed as ACCOUNT_UPDATE
   * m = DEPOSIT / WITHDRAW with bc = amount. A withdrawal above maxWithdrawAmount is refused (400).
   */
  binanceTransfer = (apiKey: string, amount: number, asset?: string, more: BinanceTransferOptions = {}) =>
    this.venue<{ asset: string; walletBalance: number; time: number }>('binance', 'transfer', asset === undefined ? { apiKey, amount, ...more } : { apiKey, amount, asset, ...more });
  /** Hyperliquid: a deposit, withdrawal or transfer: balance, ledger entry, ledger push and clearinghouse push. */
  hlLedger = (input: HlLedgerInput) => this.call<HlLedgerResult>('POST', '/hyperliquid/ledger', input);
}
