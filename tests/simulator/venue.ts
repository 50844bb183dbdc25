/**
 * How a venue plugs into the simulator. The simulator is one Node process on 127.0.0.1 (tests/simulator/server.ts);
 * each venue module owns a path prefix: /binance/... and /hyperliquid/... for REST, /binance/ws... and
 * /hyperliquid/ws for websockets, and /control/... is the loopback control API tests script it with.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';

/** Shared by both venues: prices, time, and the faults a test has switched on. */
export interface SimContext {
  /** Simulated now (ms): real time plus any clock skew a test set for signature checks. */
  now(): number;
  /** Current mark price of a symbol in the venue's naming (BTCUSDT or BTC); undefined if the symbol is unknown. */
  mark(venue: 'binance' | 'hyperliquid', symbol: string): number | undefined;
  /** Optional: the symbols the price engine knows for a venue, with their start prices (what a venue lists). */
  symbols?(venue: 'binance' | 'hyperliquid'): { symbol: string; price: number }[];
  /** Called by the price engine on every tick; venues push marks and recompute PnL from it. */
  onTick(listener: (venue: 'binance' | 'hyperliquid', symbol: string, price: number) => void): () => void;
  faults: FaultState;
  /** Counts REST request weight per venue, as the venue would. */
  addWeight(venue: 'binance' | 'hyperliquid', weight: number): void;
}

/**
 * The core (core.ts) applies `http`, `delayMs`, `stalled` and `malformed` to every venue itself (REST answers and every
 * socket's send); a venue module only has to honour `rejectOrders`.
 */
export interface FaultState {
  /** Answer the next N REST calls (matching the path prefix, or all) with this status (429/418 carry Retry-After). */
  http: { status: number; count: number; pathPrefix?: string; retryAfterSec?: number; body?: string }[];
  /** Extra latency on every REST answer and push, ms. */
  delayMs: number;
  /** Stop sending pushes (connections stay open): the venue looks stale. */
  stalled: boolean;
  /** Send this many malformed JSON frames / bodies instead of the real ones. */
  malformed: number;
  /** Reject new orders with this venue error (code and message as the venue sends them). */
  rejectOrders: { code: string | number; message: string; count: number } | null;
}

export interface VenueModule {
  readonly venue: 'binance' | 'hyperliquid';
  /** Handles a REST request whose path starts with `/${venue}`; path has that prefix removed. Returns false if unknown. */
  http(req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<boolean>;
  /**
   * Takes a websocket whose path starts with `/${venue}/` (Hyperliquid: /ws; Binance clients rewrite their base into
   * /ws, /market/ws, /public/ws, /private/ws?listenKey=); path has `/${venue}` removed. Returns false if unknown.
   */
  ws(socket: WebSocket, path: string, req: IncomingMessage): boolean;
  /** Control API for this venue (/control/<venue>/...): create accounts, set positions, script fills. */
  control(action: string, payload: unknown): Promise<unknown>;
  /** Closes every websocket of this venue (fault injection: drop). */
  dropConnections(): void;
  reset(): void;
  /** Optional: the venue's own body for an injected HTTP fault (429, 418, 5xx), e.g. Binance {"code":-1003,...}. */
  faultBody?(status: number): string;
}
