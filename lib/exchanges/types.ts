/**
 * The one adapter interface every venue implements. The supervisor (background) talks only to this; what a venue can
 * do is in its capability map, never in `if (venue === ...)` branches elsewhere.
 */
import type { CandleInterval, Candle, OrderBook, Trade } from '../domain/market';
import type { AccountSnapshot, CashFlow, Fill, InstrumentRules, MarkPrice, OpenOrder, Position, PositionSide, Venue } from '../domain/types';
import type { ExchangeError } from './errors';

export type Network = 'mainnet' | 'testnet' | 'custom';

/** Where an account's venue lives. `custom` is what the tests and the demo use (the local simulator). */
export interface Endpoints {
  network: Network;
  /** Custom only: REST base, e.g. http://127.0.0.1:7070/binance or http://127.0.0.1:7070/hyperliquid. */
  restUrl?: string;
  /** Custom only: websocket base, e.g. ws://127.0.0.1:7070/binance/ws or ws://127.0.0.1:7070/hyperliquid/ws. */
  wsUrl?: string;
}

export interface BinanceCredentials {
  venue: 'binance';
  apiKey: string;
  apiSecret: string;
}
export interface HyperliquidCredentials {
  venue: 'hyperliquid';
  /** The user's address (0x...): enough for read-only monitoring. */
  address: string;
  /** API ("agent") wallet private key (0x...): needed only to act (close, cancel, stop, dead-man's switch). */
  agentKey?: string;
}

export interface AdapterConfig {
  accountId: string;
  endpoints: Endpoints;
  credentials: BinanceCredentials | HyperliquidCredentials;
  /** Maps a client order id / cloid to a strategy id (attribution rules); default: always 'manual'. */
  strategyOf?: (clientOrderId: string | null, symbol: string) => string;
  now?: () => number;
}

export interface Capabilities {
  /** False without a key: snapshot and streams work, actions throw PermissionError. */
  trading: boolean;
  userStream: boolean;
  markPriceStream: boolean;
  hedgeMode: boolean;
  multiAssetsMode: boolean;
  builderDexes: boolean;
  conditionalOrders: boolean;
  deadManSwitch: boolean;
  orderBook: boolean;
  candles: boolean;
  /** A public trade history a window can be read from (fetchTrades): Binance aggTrades; Hyperliquid has none. */
  trades: boolean;
}

export interface VenueSnapshot {
  account: AccountSnapshot;
  positions: Position[];
  openOrders: OpenOrder[];
  time: number;
}

export type OrderStatus = 'new' | 'partially_filled' | 'filled' | 'canceled' | 'rejected' | 'expired';
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** An account's equity and wallet balance (USD) right before a cash flow. */
export interface ValuesBeforeFlow {
  equity: number;
  walletBalance: number;
}

export type AdapterEvent =
  | { type: 'account'; account: AccountSnapshot }
  /** The account's whole position set after the change (replace, do not merge). */
  | { type: 'positions'; positions: Position[]; time: number }
  | { type: 'order'; order: OpenOrder; status: OrderStatus }
  | { type: 'fill'; fill: Fill }
  /**
   * A deposit, withdrawal or transfer. Sent before the 'account' event that shows its balance, so the engine never
   * measures the new balance against limits that do not yet know of it. before: the account's equity and wallet
   * balance right before the flow, when the venue's own report of it gives them (Binance ACCOUNT_UPDATE, stablecoins).
   */
  | { type: 'cashflow'; flow: CashFlow; before?: ValuesBeforeFlow }
  | { type: 'mark'; mark: MarkPrice }
  | { type: 'connection'; state: ConnectionState; reason?: string }
  /** A non-fatal problem (bad payload counted, stream error); the last good state stays. */
  | { type: 'error'; error: ExchangeError };

export interface ActionResult {
  status: 'filled' | 'partial' | 'accepted' | 'noop';
  orderIds: string[];
  /** Base-asset size filled by this action (closes). */
  filledSize: number;
  /** Base-asset size the action still has to do (closes): > 0 means call again. */
  remainingSize: number;
}

export interface ClosePositionRequest {
  symbol: string;
  side: PositionSide;
  /** (0, 1]: 1 closes all, 0.5 half. Rounded down to the lot step; below the minimum it closes all. */
  fraction: number;
  /**
   * Base units to close, when known (what an earlier answer left to close): wins over `fraction`, capped at the
   * position, rounded down to the lot step (below one lot nothing is sent: noop), never widened to the whole position.
   */
  size?: number;
  /** Worst price accepted, as % away from the mark (the venue's market order protection). */
  maxSlippagePct: number;
  /** Idempotency key: the same id twice never closes twice. */
  clientOrderId: string;
}

export interface CancelOrdersRequest {
  symbol?: string;
  /** Only these orders: the engine cancels risk-increasing orders and leaves protective stops alone. */
  orderIds?: string[];
}

export interface ProtectiveStopRequest {
  symbol: string;
  side: PositionSide;
  stopPrice: number;
  clientOrderId: string;
}

/** Public trades of [start, end), newest first read, at most maxCalls REST calls and maxTrades trades. */
export interface TradesRequest {
  symbol: string;
  start: number;
  end: number;
  maxTrades?: number;
  maxCalls?: number;
}

export interface TradeWindow {
  /** Oldest first, all with start <= time < end. */
  trades: Trade[];
  /** Where the trades begin: `start` when complete, else the oldest trade read (the caps stopped the paging). */
  from: number;
  to: number;
  complete: boolean;
  calls: number;
}

export interface AdapterStats {
  badPayloads: number;
  reconnects: number;
  lastMessageAt: number | null;
  restWeightUsed: number;
}

export interface ExchangeAdapter {
  readonly venue: Venue;
  readonly accountId: string;
  readonly capabilities: Capabilities;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  snapshot(): Promise<VenueSnapshot>;
  /** Streams account, position, order, fill, mark and connection events; returns an unsubscribe. */
  subscribe(listener: (event: AdapterEvent) => void): () => void;
  /** Mark price stream for these symbols (replaces the previous set). */
  watchMarks(symbols: string[]): Promise<void>;
  fetchFills(since: number, symbol?: string): Promise<Fill[]>;
  /**
   * Deposits, withdrawals and transfers from `since` on (venue history), oldest first, with the same ids the stream
   * gives them where the venue allows. The supervisor reads them on (re)connect, before it measures the account, so a
   * flow made while Ringfence was not running is not read as PnL.
   */
  fetchCashFlows?(since: number): Promise<CashFlow[]>;
  fetchCandles(symbol: string, interval: CandleInterval, since?: number, limit?: number): Promise<Candle[]>;
  fetchOrderBook(symbol: string, depth?: number): Promise<OrderBook>;
  /** Only where capabilities.trades: the window's public trades, read back from its end up to the caps. */
  fetchTrades?(req: TradesRequest): Promise<TradeWindow>;
  /** The symbol's trading rules (lot step, tick, minimum notional, maximum leverage); null for an unknown symbol. */
  instrument(symbol: string): Promise<InstrumentRules | null>;
  /** Reduce-only market close of all or part of a position. */
  closePosition(req: ClosePositionRequest): Promise<ActionResult>;
  /** Cancels every open order, or only those of one symbol, or only the listed ones (ids as OpenOrder.orderId). */
  cancelOrders(req: CancelOrdersRequest): Promise<ActionResult>;
  /** Reduce-only stop-market order for the whole position (Binance: algo order endpoint). */
  placeProtectiveStop(req: ProtectiveStopRequest): Promise<ActionResult>;
  /** Dead-man's switch: cancel open orders unless refreshed within timeoutMs; null turns it off. */
  setDeadManSwitch(req: { timeoutMs: number | null; symbol?: string }): Promise<void>;
  stats(): AdapterStats;
}
