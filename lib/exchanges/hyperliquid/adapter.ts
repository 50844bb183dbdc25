/**
 * Hyperliquid adapter over @nktkas/hyperliquid. Monitoring needs only the user's address (info requests and
 * websocket channels are public); acting (close, cancel, stop, dead-man's switch) signs L1 actions with the API
 * ("agent") wallet key, which holds no funds.
 *
 * Imports are per method (`@nktkas/hyperliquid/api/...`), not the client classes, so the service worker bundle
 * only carries what is used. Every response and push goes through normalize.ts (zod) before it is trusted.
 */
import { HttpTransport, WebSocketTransport } from '@nktkas/hyperliquid';
import * as ex from '@nktkas/hyperliquid/api/exchange';
import * as info from '@nktkas/hyperliquid/api/info';
import * as sub from '@nktkas/hyperliquid/api/subscription';
import { z } from 'zod';
import { INTERVAL_MS, type Candle, type CandleInterval, type OrderBook } from '../../domain/market';
import { MANUAL_STRATEGY, type AccountSnapshot, type CashFlow, type Fill, type InstrumentRules, type OpenOrder, type Position } from '../../domain/types';
import { ProbeGate } from '../common/probe-gate';
import {
  AuthenticationError,
  BadPayloadError,
  ExchangeUnavailableError,
  type ExchangeError,
  InvalidOrderError,
  NetworkError,
  PermissionError,
  RateLimitError,
} from '../errors';
import type {
  ActionResult,
  AdapterConfig,
  AdapterEvent,
  AdapterStats,
  Capabilities,
  ClosePositionRequest,
  ExchangeAdapter,
  HyperliquidCredentials,
  CancelOrdersRequest,
  ProtectiveStopRequest,
  VenueSnapshot,
} from '../types';
import { mapError, mapVenueText } from './errors';
import { keccakText, localAccount, type LocalAccount } from './signer';
import { formatPrice as formatPriceRaw, formatSize } from './format';
import {
  type AssetInfo,
  type DexState,
  ExchangeOkSchema,
  mergeDexStates,
  normalizeAllMidsEvent,
  normalizeCandles,
  normalizeClearinghouseState,
  normalizeClearinghouseStateEvent,
  normalizeFrontendOpenOrders,
  normalizeL2Book,
  aggregatedReachBps,
  bookReachBps,
  extendBook,
  L2_LEVELS,
  WIDE_BOOK_BPS,
  normalizeLedgerUpdates,
  normalizeLedgerUpdatesEvent,
  normalizeMeta,
  normalizeOrderUpdates,
  normalizePerpDexs,
  normalizeUserFills,
  normalizeUserFillsEvent,
  type NormalizeContext,
  type OrderStatusEntry,
  splitCoin,
  validate,
} from './normalize';

/** Info request weights (per the venue's rate-limit table): these cost 2, almost everything else 20. */
const LIGHT_INFO = new Set(['clearinghouseState', 'l2Book', 'allMids', 'orderStatus', 'spotClearinghouseState', 'exchangeStatus']);
export const infoWeight = (type: string, items = 0): number => {
  if (LIGHT_INFO.has(type)) return 2;
  if (type === 'userRole') return 60;
  // Fills and order history cost one more per 20 items returned, candles one more per 60.
  if (type === 'userFills' || type === 'userFillsByTime' || type === 'historicalOrders') return 20 + Math.floor(items / 20);
  if (type === 'candleSnapshot') return 20 + Math.floor(items / 60);
  return 20;
};

/** The venue has no market order: closes are IOC limits this far through the mark at most. */
const MIN_ORDER_VALUE_USD = 10;
/** Stop-market trigger orders still carry a limit price: the worst fill accepted once triggered. */
const STOP_SLIPPAGE = 0.1;
const SCHEDULE_CANCEL_MIN_MS = 5_000;
const SCHEDULE_CANCEL_MARGIN_MS = 1_000;
const FILLS_PAGE = 2_000;
const MAX_FILL_PAGES = 10;
const SEEN_FILLS_MAX = 5_000;
const SEEN_FLOWS_MAX = 5_000;
/** A cash change smaller than this (USD) is rounding, not a flow worth a ledger read. */
const CASH_TOLERANCE = 0.01;
/** The ledger read asks from a little before the newest entry seen: entries of one block may be written apart. */
const LEDGER_OVERLAP_MS = 1_000;
/** The venue answers a time-range info request with at most 500 entries (oldest first): a full page is read on. */
const LEDGER_PAGE = 500;
/** Pages read by one fetchCashFlows: 10,000 ledger entries; the rest waits for the next call. */
const MAX_LEDGER_PAGES = 20;

export interface HyperliquidAdapterOptions {
  /** HIP-3 dexes to watch besides the main one; default: every dex the venue lists (one perpDexs call). */
  dexes?: string[];
  /** Retries for a rate-limited / unavailable info call (and a rate-limited action) before giving up. */
  maxRetries?: number;
  /** Backoff base (ms) when the venue gives no Retry-After: base x 2^attempt, capped at backoffMaxMs. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Longest a call waits out a rate limit (Retry-After) before it throws RateLimitError instead. */
  maxWaitMs?: number;
  /** HTTP and websocket request timeout (ms). */
  timeoutMs?: number;
  /** Websocket reconnect delay for attempt n (0-based); default exponential with jitter, capped at 10 s. */
  reconnectDelay?: (attempt: number) => number;
  /**
   * Longest an account event waits for the ledger read that explains a cash change (ms, default 2,000). After it,
   * the account event goes out anyway.
   */
  ledgerWaitMs?: number;
}

const OptionsSchema = z
  .object({
    dexes: z.array(z.string().regex(/^[a-z0-9]{1,16}$/, 'a dex name is lowercase letters and digits')).max(100).optional(),
    maxRetries: z.number().int().min(0).max(10).optional(),
    backoffBaseMs: z.number().int().min(1).max(60_000).optional(),
    backoffMaxMs: z.number().int().min(1).max(600_000).optional(),
    maxWaitMs: z.number().int().min(0).max(600_000).optional(),
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
    reconnectDelay: z.function().optional(),
    ledgerWaitMs: z.number().int().min(0).max(30_000).optional(),
  })
  .strict();

const hex40 = /^0x[0-9a-fA-F]{40}$/;
const hex64 = /^0x[0-9a-fA-F]{64}$/;

/** The venue's price rules; a price no tick can express is the caller's invalid order, not a crash. */
function formatPrice(px: number, szDecimals: number, mode: 'up' | 'down' | 'nearest'): string {
  try {
    return formatPriceRaw(px, szDecimals, mode);
  } catch (e) {
    throw new InvalidOrderError(`hyperliquid: ${e instanceof Error ? e.message : String(e)}`, { venue: 'hyperliquid', cause: e });
  }
}

/** orderStatus by cloid: the order (open or done) or unknownOid; only what a close's outcome needs is read. */
const PlacedOrderSchema = z.union([
  z.object({ status: z.literal('order'), order: z.object({ order: z.object({ oid: z.number(), origSz: z.string(), sz: z.string() }) }) }),
  z.object({ status: z.literal('unknownOid') }),
]);

/** Deterministic cloid (16 bytes) from our client order id: the same id always maps to the same venue order. */
export const cloidOf = (accountId: string, clientOrderId: string): `0x${string}` =>
  keccakText(`${accountId}:${clientOrderId}`).slice(0, 34) as `0x${string}`;

type Listener = (event: AdapterEvent) => void;
type Wallet = LocalAccount;
interface DexMeta {
  dexIndex: number;
  assets: Map<string, AssetInfo>;
}

export class HyperliquidAdapter implements ExchangeAdapter {
  readonly venue = 'hyperliquid' as const;
  readonly accountId: string;
  readonly capabilities: Capabilities;

  private readonly user: `0x${string}`;
  private readonly wallet: Wallet | null;
  private readonly http: HttpTransport;
  private readonly wsUrl: string | undefined;
  private readonly isTestnet: boolean;
  private readonly now: () => number;
  private readonly strategyOf: (clientOrderId: string | null, symbol: string) => string;
  private readonly opts: Required<Omit<HyperliquidAdapterOptions, 'dexes' | 'reconnectDelay'>> & Pick<HyperliquidAdapterOptions, 'dexes' | 'reconnectDelay'>;

  private ws: WebSocketTransport | null = null;
  private subscriptions: { unsubscribe(): Promise<void> }[] = [];
  private markSubs = new Map<string, { unsubscribe(): Promise<void> }>();
  private listeners = new Set<Listener>();
  private dexes: string[] | null = null;
  private dexMeta = new Map<string, DexMeta>();
  private dexStates = new Map<string, DexState>();
  private watched = new Set<string>();
  private seenFills = new Map<string, true>();
  private fillSnapshots = 0;
  /** Cash flow ids already seen (emitted or history): a flow read on both the websocket and REST goes out once. */
  private seenFlows = new Map<string, true>();
  /** Newest ledger time seen: where the next ledger read starts. */
  private ledgerCursor: number | null = null;
  /** Venue time of this connection's first account event: ledger entries before it are history, never emitted. */
  private ledgerBaseline: number | null = null;
  /** Cash (wallet balance, all dexes) of the last account event emitted, and what fills and flows since explain. */
  private lastCash: number | null = null;
  private explainedCash = 0;
  /** Clearinghouse pushes are handled one after the other: a later push never overtakes one waiting for the ledger. */
  private accountQueue: Promise<void> = Promise.resolve();
  /** Bumped on connect and disconnect: a push queued under an earlier connection is dropped, not emitted late. */
  private generation = 0;
  private idempotent = new Map<string, Promise<ActionResult>>();
  /** Client order ids of closes sent without an answer: sent again, the order is looked up by its cloid first. */
  private readonly unanswered = new Set<string>();
  /** Open orders by id as the snapshot (frontendOpenOrders) or our own placement described them. */
  private knownOrders = new Map<string, OpenOrder>();
  private notBefore = 0;
  private readonly gate = new ProbeGate();
  private opened = 0;
  private closing = false;
  private counters: AdapterStats = { badPayloads: 0, reconnects: 0, lastMessageAt: null, restWeightUsed: 0 };

  constructor(config: AdapterConfig, options: HyperliquidAdapterOptions = {}) {
    const creds = config.credentials;
    if (creds.venue !== 'hyperliquid') throw new TypeError(`hyperliquid adapter given ${creds.venue} credentials`);
    const c: HyperliquidCredentials = creds;
    if (!hex40.test(c.address)) {
      throw new AuthenticationError('hyperliquid: the account address must be 0x followed by 40 hex digits', { venue: 'hyperliquid' });
    }
    if (c.agentKey !== undefined && !hex64.test(c.agentKey)) {
      throw new AuthenticationError('hyperliquid: the agent key must be 0x followed by 64 hex digits', { venue: 'hyperliquid' });
    }
    this.accountId = config.accountId;
    this.user = c.address.toLowerCase() as `0x${string}`;
    this.wallet = c.agentKey ? localAccount(c.agentKey) : null;
    this.now = config.now ?? Date.now;
    this.strategyOf = config.strategyOf ?? (() => MANUAL_STRATEGY);
    const bad = OptionsSchema.safeParse(options);
    if (!bad.success) {
      throw new TypeError(`hyperliquid adapter options: ${bad.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    }
    this.opts = {
      maxRetries: options.maxRetries ?? 4,
      backoffBaseMs: options.backoffBaseMs ?? 500,
      backoffMaxMs: options.backoffMaxMs ?? 10_000,
      maxWaitMs: options.maxWaitMs ?? 30_000,
      timeoutMs: options.timeoutMs ?? 10_000,
      ledgerWaitMs: options.ledgerWaitMs ?? 2_000,
      dexes: options.dexes,
      reconnectDelay: options.reconnectDelay,
    };
    const ep = config.endpoints;
    this.isTestnet = ep.network === 'testnet';
    if (ep.network === 'custom') {
      if (!ep.restUrl || !ep.wsUrl) throw new TypeError('hyperliquid: custom endpoints need both restUrl and wsUrl');
      this.http = new HttpTransport({ apiUrl: ep.restUrl, timeout: this.opts.timeoutMs });
      this.wsUrl = ep.wsUrl;
    } else {
      this.http = new HttpTransport({ isTestnet: this.isTestnet, timeout: this.opts.timeoutMs });
      this.wsUrl = undefined;
    }
    this.capabilities = {
      trading: this.wallet !== null,
      userStream: true,
      markPriceStream: true,
      hedgeMode: false,
      multiAssetsMode: false,
      builderDexes: true,
      conditionalOrders: true,
      deadManSwitch: true,
      orderBook: true,
      candles: true,
      // The info API has no trade history by time: only an undocumented recentTrades (the last few prints).
      trades: false,
    };
  }

  // ------------------------------------------------------------------------------------------------------------
  // Lifecycle and streams
  // ------------------------------------------------------------------------------------------------------------

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: AdapterEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // A failing listener must not break the stream for the others.
      }
    }
  }

  private ctx(): NormalizeContext {
    return { accountId: this.accountId, now: this.now(), strategyOf: this.strategyOf };
  }

  /** Counts a bad payload, tells the listeners, keeps the last good state. */
  private bad(e: unknown): void {
    const err =
      e instanceof BadPayloadError
        ? e
        : new BadPayloadError(`hyperliquid: push handling failed: ${e instanceof Error ? e.message : String(e)}`, { venue: 'hyperliquid', issues: [], cause: e });
    this.counters.badPayloads += 1;
    this.emit({ type: 'error', error: err });
  }

  async connect(): Promise<void> {
    if (this.ws) return;
    this.closing = false;
    this.opened = 0;
    this.generation += 1;
    this.ledgerBaseline = null;
    this.lastCash = null;
    this.explainedCash = 0;
    const dexes = await this.listDexes();
    this.emit({ type: 'connection', state: 'connecting' });
    const ws = new WebSocketTransport({
      url: this.wsUrl,
      isTestnet: this.isTestnet,
      timeout: this.opts.timeoutMs,
      resubscribe: true,
      reconnect: this.opts.reconnectDelay ? { reconnectionDelay: this.opts.reconnectDelay } : {},
    });
    this.ws = ws;
    ws.socket.addEventListener('open', () => {
      this.opened += 1;
      if (this.opened > 1) this.counters.reconnects += 1;
      this.emit({ type: 'connection', state: 'open' });
    });
    ws.socket.addEventListener('close', () => {
      if (this.closing || ws.socket.terminationSignal.aborted) return;
      this.emit({ type: 'connection', state: 'reconnecting', reason: 'websocket closed' });
    });
    // The library drops frames that are not JSON without a word: count them here.
    ws.socket.addEventListener('message', (ev: Event) => {
      this.counters.lastMessageAt = this.now();
      const data = (ev as MessageEvent).data;
      if (typeof data !== 'string') return;
      try {
        JSON.parse(data);
      } catch {
        this.bad(new BadPayloadError('hyperliquid: websocket frame is not JSON', { venue: 'hyperliquid', issues: [data.slice(0, 60)] }));
      }
    });
    try {
      await ws.ready(AbortSignal.timeout(this.opts.timeoutMs));
      const cfg = { transport: ws };
      // A subscription the library gives up on (refused resubscription, terminated socket); not our own close.
      const onError = (e: unknown) => {
        if (!this.closing) void mapError(e).then((err) => this.emit({ type: 'error', error: err }));
      };
      // The ledger first: its snapshot (history) is then in hand before the first account event sets the baseline.
      this.subscriptions.push(await sub.userNonFundingLedgerUpdates(cfg, { user: this.user }, (d) => this.onLedger(d), { onError }));
      for (const dex of dexes) {
        this.subscriptions.push(
          await sub.clearinghouseState(cfg, dex ? { user: this.user, dex } : { user: this.user }, (d) => this.onClearinghouse(d), { onError }),
        );
      }
      this.subscriptions.push(await sub.userFills(cfg, { user: this.user }, (d) => this.onFills(d), { onError }));
      this.subscriptions.push(await sub.orderUpdates(cfg, { user: this.user }, (d) => this.onOrders(d), { onError }));
      if (this.watched.size > 0) await this.syncMarkSubs();
    } catch (e) {
      const err = await mapError(e);
      await this.disconnect();
      throw err;
    }
  }

  async disconnect(): Promise<void> {
    this.closing = true;
    this.generation += 1;
    const ws = this.ws;
    this.ws = null;
    this.subscriptions = [];
    this.markSubs.clear();
    if (ws) {
      ws.close();
      this.emit({ type: 'connection', state: 'closed' });
    }
  }

  /**
   * Cash flows and the account event that shows them, in that order.
   *
   * The account value comes on the clearinghouseState channel and the ledger (deposits, withdrawals, transfers) on
   * userNonFundingLedgerUpdates, so a withdrawal's lower balance may come first. The engine must never measure that
   * balance against limits that do not know of the withdrawal (it would read it as a trading loss). So:
   *
   * - Each clearinghouse push is compared with the last account event emitted: its cash (walletBalance = account
   *   value minus unrealized PnL, all dexes) must have moved only by what the fills (realized PnL minus fee) and the
   *   flows received since explain. Prices and funding-free ticks leave it unchanged.
   * - When it moved by more, the ledger is read over REST from the newest entry seen (bounded by ledgerWaitMs,
   *   default 2 s), its new flows are emitted, and only then the account event. If the read fails or takes longer,
   *   the account event goes out anyway (a stale engine is worse than one late flow); a late answer still emits its
   *   flows.
   * - The ledger websocket channel emits flows as they come, so a flow that comes first needs no read.
   * - Flows are deduplicated by id (hash:time:type:amount) across both paths and reconnects (last 5,000 kept).
   * - Pushes are handled one after the other (accountQueue): a later push never overtakes one waiting for the ledger.
   * - History is not emitted: the first ledger snapshot of a connection, and entries older than its first account
   *   event (the baseline, which already holds them). A snapshot after a reconnect emits the entries missed while down.
   *
   * Funding also moves cash; it is not in this ledger, so a funding payment costs one ledger read and emits nothing.
   */
  private onClearinghouse(raw: unknown): void {
    let s: DexState & { user: string };
    try {
      s = normalizeClearinghouseStateEvent(raw, this.ctx());
    } catch (e) {
      this.bad(e);
      return;
    }
    if (s.user !== this.user) return;
    const gen = this.generation;
    this.accountQueue = this.accountQueue.then(() => this.applyClearinghouse(s, gen)).catch((e: unknown) => this.bad(e));
  }

  private async applyClearinghouse(s: DexState, gen: number): Promise<void> {
    if (gen !== this.generation) return;
    const states = new Map(this.dexStates);
    states.set(s.dex, s);
    const cash = mergeDexStates([...states.values()], this.ctx()).account.walletBalance;
    if (this.lastCash !== null && Math.abs(cash - this.lastCash - this.explainedCash) > CASH_TOLERANCE) {
      await this.catchUpLedger();
      if (gen !== this.generation) return;
    }
    // Merged again: the other dexes may have moved while this one waited (their pushes queue behind it, but
    // snapshot() and actions refresh dexStates directly).
    this.dexStates.set(s.dex, s);
    const merged = mergeDexStates([...this.dexStates.values()], this.ctx());
    if (this.ledgerBaseline === null) this.ledgerBaseline = merged.account.time;
    this.lastCash = merged.account.walletBalance;
    this.explainedCash = 0;
    this.emit({ type: 'account', account: merged.account });
    this.emit({ type: 'positions', positions: merged.positions, time: merged.account.time });
  }

  /** Reads the ledger since the newest entry seen and emits its new flows; waits at most ledgerWaitMs. */
  private async catchUpLedger(): Promise<void> {
    const from = Math.max(this.ledgerCursor ?? 0, this.ledgerBaseline ?? 0);
    const startTime = Math.max(0, from - LEDGER_OVERLAP_MS);
    // The history read itself (fetchCashFlows: same request, same ids); only what is new is emitted.
    const read = this.fetchCashFlows(startTime)
      .then((flows) => this.acceptFlows(flows, false))
      .catch(async (e: unknown) => {
        // Bad payloads were already reported by parse/withRetry; anything else is reported here. The account event
        // goes out regardless (see onClearinghouse).
        if (!(e instanceof BadPayloadError) && !this.closing) this.emit({ type: 'error', error: await mapError(e) });
      });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((r) => {
      timer = setTimeout(r, this.opts.ledgerWaitMs);
    });
    try {
      await Promise.race([read, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private onLedger(raw: unknown): void {
    try {
      const e = normalizeLedgerUpdatesEvent(raw, { accountId: this.accountId, user: this.user });
      if (e.user !== this.user) return;
      this.acceptFlows(e.flows, e.isSnapshot && this.ledgerBaseline === null);
    } catch (e) {
      this.bad(e);
    }
  }

  /** Records flows; emits the new ones unless they are history (see onClearinghouse). */
  private acceptFlows(flows: CashFlow[], history: boolean): void {
    for (const f of flows) {
      this.ledgerCursor = Math.max(this.ledgerCursor ?? 0, f.time);
      if (this.seenFlows.has(f.id)) continue;
      this.seenFlows.set(f.id, true);
      if (this.seenFlows.size > SEEN_FLOWS_MAX) {
        const oldest = this.seenFlows.keys().next().value;
        if (oldest !== undefined) this.seenFlows.delete(oldest);
      }
      // Before the baseline account event (or older than it), the balance already holds the flow.
      if (history || this.ledgerBaseline === null || f.time < this.ledgerBaseline || this.closing) continue;
      this.explainedCash += f.amount;
      this.emit({ type: 'cashflow', flow: f });
    }
  }

  private onFills(raw: unknown): void {
    try {
      const e = normalizeUserFillsEvent(raw, this.ctx());
      if (e.user !== this.user) return;
      // The first snapshot is history; a snapshot after a reconnect may hold fills missed while down.
      const emitNew = !e.isSnapshot || this.fillSnapshots > 0;
      if (e.isSnapshot) this.fillSnapshots += 1;
      for (const f of e.fills) {
        const key = f.tradeId;
        if (this.seenFills.has(key)) continue;
        this.seenFills.set(key, true);
        if (this.seenFills.size > SEEN_FILLS_MAX) {
          const oldest = this.seenFills.keys().next().value;
          if (oldest !== undefined) this.seenFills.delete(oldest);
        }
        if (emitNew) {
          // A fill moves cash by its realized PnL less its fee: that much of the next cash change is explained.
          this.explainedCash += f.realizedPnl - f.fee;
          this.emit({ type: 'fill', fill: f });
        }
      }
    } catch (e) {
      this.bad(e);
    }
  }

  private onOrders(raw: unknown): void {
    try {
      const sizes = this.positionSizes();
      for (const u of normalizeOrderUpdates(raw, { ...this.ctx(), positionSizes: sizes })) {
        // orderUpdates carries the plain order (no trigger fields): complete it from what we saw of that order.
        const known = this.knownOrders.get(u.order.orderId);
        const order = known ? { ...u.order, type: known.type, price: known.price, stopPrice: known.stopPrice } : u.order;
        if (u.status !== 'new' && u.status !== 'partially_filled') this.knownOrders.delete(u.order.orderId);
        this.emit({ type: 'order', order, status: u.status });
      }
    } catch (e) {
      this.bad(e);
    }
  }

  private positionSizes(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.dexStates.values()) for (const p of s.positions) out[p.symbol] = Math.abs(p.size);
    return out;
  }

  async watchMarks(symbols: string[]): Promise<void> {
    this.watched = new Set(symbols);
    if (this.ws) await this.syncMarkSubs();
  }

  /** One allMids subscription per dex that has a watched symbol. */
  private async syncMarkSubs(): Promise<void> {
    const ws = this.ws;
    if (!ws) return;
    const want = new Set([...this.watched].map((s) => splitCoin(s).dex));
    for (const [dex, s] of [...this.markSubs]) {
      if (!want.has(dex)) {
        this.markSubs.delete(dex);
        await s.unsubscribe().catch(() => undefined);
      }
    }
    for (const dex of want) {
      if (this.markSubs.has(dex)) continue;
      try {
        const s = await sub.allMids({ transport: ws }, dex ? { dex } : {}, (d) => {
          try {
            for (const mark of normalizeAllMidsEvent(d, this.now(), this.watched)) this.emit({ type: 'mark', mark });
          } catch (e) {
            this.bad(e);
          }
        });
        this.markSubs.set(dex, s);
      } catch (e) {
        throw await mapError(e);
      }
    }
  }

  stats(): AdapterStats {
    return { ...this.counters };
  }

  // ------------------------------------------------------------------------------------------------------------
  // REST with weight accounting, backoff and error mapping
  // ------------------------------------------------------------------------------------------------------------

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, Math.max(0, ms)));
  }

  private backoff(attempt: number): number {
    return Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** attempt);
  }

  /**
   * Runs a request with the shared 429 gate: after a rate limit every caller waits until Retry-After (or the
   * backoff) has passed, then one read goes first and the others follow its answer (ProbeGate; an action never waits
   * for a probe). `retryOn` picks which failures are worth another try (actions retry only refusals that cannot have
   * executed).
   */
  private async withRetry<T>(run: () => Promise<T>, retryOn: (e: ExchangeError) => boolean, action = false): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const done = await this.gate.enter(
        () => this.notBefore - this.now(),
        (ms) => this.sleep(ms),
        (wait) => {
          if (wait > this.opts.maxWaitMs) {
            throw new RateLimitError('hyperliquid: still rate limited (waiting out an earlier 429/418)', { venue: 'hyperliquid', retryAfterMs: wait });
          }
        },
        !action,
      );
      let err: ExchangeError;
      try {
        const out = await run();
        this.gate.clear();
        done();
        return out;
      } catch (e) {
        err = await mapError(e);
      }
      // Never sooner than the backoff, even when Retry-After says 0.
      const delay = Math.max(err.retryAfterMs ?? 0, this.backoff(attempt));
      if (err instanceof RateLimitError) {
        this.notBefore = Math.max(this.notBefore, this.now() + delay);
        this.gate.limit();
      } else if (!(err instanceof NetworkError)) {
        // The venue answered: whatever else is wrong, it is not limiting.
        this.gate.clear();
      }
      done();
      if (err instanceof BadPayloadError) {
        this.counters.badPayloads += 1;
        this.emit({ type: 'error', error: err });
      }
      if (attempt >= this.opts.maxRetries || !retryOn(err)) throw err;
      // A long ban (418, a Retry-After of minutes) is the supervisor's to schedule: do not hold the caller.
      if (delay > this.opts.maxWaitMs) throw err;
      if (!(err instanceof RateLimitError)) await this.sleep(delay);
    }
  }

  private async info<T>(type: string, call: (cfg: { transport: HttpTransport }) => Promise<T>, items?: (r: T) => number): Promise<T> {
    const cfg = { transport: this.http };
    return this.withRetry(
      async () => {
        const r = await call(cfg);
        this.counters.restWeightUsed += infoWeight(type, items ? items(r) : 0);
        return r;
      },
      (e) => e instanceof RateLimitError || e instanceof ExchangeUnavailableError || e instanceof NetworkError,
    );
  }

  /** Validates a REST payload: a bad one is counted, reported, and thrown (the caller's last good state stays). */
  private parse<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof BadPayloadError) {
        this.counters.badPayloads += 1;
        this.emit({ type: 'error', error: e });
      }
      throw e;
    }
  }

  private async listDexes(): Promise<string[]> {
    if (this.dexes) return this.dexes;
    if (this.opts.dexes) {
      this.dexes = ['', ...this.opts.dexes.filter((d) => d !== '')];
      return this.dexes;
    }
    const raw = await this.info('perpDexs', (cfg) => info.perpDexs(cfg));
    this.dexes = this.parse(() => normalizePerpDexs(raw));
    if (!this.dexes.includes('')) this.dexes.unshift('');
    return this.dexes;
  }

  private async dexState(dex: string): Promise<DexState> {
    const raw = await this.info('clearinghouseState', (cfg) => info.clearinghouseState(cfg, dex ? { user: this.user, dex } : { user: this.user }));
    const s = this.parse(() => normalizeClearinghouseState(raw, this.ctx(), dex));
    this.dexStates.set(dex, s);
    return s;
  }

  async snapshot(): Promise<VenueSnapshot> {
    const dexes = await this.listDexes();
    const states = await Promise.all(dexes.map((d) => this.dexState(d)));
    const merged = mergeDexStates(states, this.ctx());
    const sizes = this.positionSizes();
    const orders = await Promise.all(
      dexes.map(async (dex) => {
        const raw = await this.info('frontendOpenOrders', (cfg) => info.frontendOpenOrders(cfg, dex ? { user: this.user, dex } : { user: this.user }));
        return this.parse(() => normalizeFrontendOpenOrders(raw, { ...this.ctx(), positionSizes: sizes }));
      }),
    );
    const openOrders = orders.flat();
    this.knownOrders = new Map(openOrders.map((o) => [o.orderId, o]));
    return { account: merged.account, positions: merged.positions, openOrders, time: merged.account.time };
  }

  async fetchFills(since: number, symbol?: string): Promise<Fill[]> {
    const seen = new Map<string, Fill>();
    let start = since;
    let end: number | undefined;
    // Pages of up to 2,000 fills. The window moves toward the fills not yet seen (forward when the venue answers
    // oldest first, backward when newest first); boundaries are inclusive and fills deduplicated by trade id, so
    // fills sharing a millisecond are not lost. Bounded so a misbehaving venue cannot keep us looping.
    for (let page = 0; page < MAX_FILL_PAGES; page++) {
      const raw = await this.info(
        'userFillsByTime',
        (cfg) => info.userFillsByTime(cfg, end === undefined ? { user: this.user, startTime: start } : { user: this.user, startTime: start, endTime: end }),
        (r) => (Array.isArray(r) ? r.length : 0),
      );
      const rawLength = Array.isArray(raw) ? raw.length : 0;
      const fills = this.parse(() => normalizeUserFills(raw, this.ctx()));
      let added = 0;
      for (const f of fills) {
        if (seen.has(f.tradeId)) continue;
        seen.set(f.tradeId, f);
        added += 1;
      }
      if (rawLength < FILLS_PAGE || added === 0 || fills.length === 0) break;
      const first = fills[0]!.time;
      const last = fills[fills.length - 1]!.time;
      if (first > last) end = last;
      else start = last;
    }
    return [...seen.values()].filter((f) => !symbol || f.symbol === symbol).sort((a, b) => a.time - b.time);
  }

  /**
   * The ledger's cash flows from `since` on, oldest first, with the ids the websocket path gives them (normalize.ts
   * normalizeLedgerUpdates: hash:time:type:amount). The venue answers at most 500 entries per call, oldest first; a
   * full page (counted in raw entries: types that give no flow count too) continues from its newest entry's time,
   * inclusive, and flows are deduplicated by id, so entries sharing that millisecond are neither lost nor doubled. A
   * full page all within one millisecond cannot move on and ends the read (bounded, MAX_LEDGER_PAGES).
   *
   * Read-only on purpose: it emits nothing and leaves seenFlows, ledgerCursor and explainedCash alone. Those belong to
   * the live path, where "seen" means "emitted as a cashflow event and counted in explainedCash". Marking a flow seen
   * here would make the live path skip it if it also arrives on the websocket or the catch-up read after connect
   * (e.g. the supervisor calls this while the socket is already up, or a flow lands between this read and the first
   * account event): no cashflow event, its balance change unexplained, and the account event measured as if it were
   * PnL. Moving ledgerCursor forward could likewise start the next catch-up read after an entry the live path has not
   * seen. Returning a flow here and emitting it live too is harmless: a CashFlow id is recorded once.
   */
  async fetchCashFlows(since: number): Promise<CashFlow[]> {
    const ctx = { accountId: this.accountId, user: this.user };
    const byId = new Map<string, CashFlow>();
    let start = Math.max(0, Math.floor(since));
    for (let page = 0; page < MAX_LEDGER_PAGES; page++) {
      const from = start;
      const raw = await this.info('userNonFundingLedgerUpdates', (cfg) => info.userNonFundingLedgerUpdates(cfg, { user: this.user, startTime: from }));
      for (const f of this.parse(() => normalizeLedgerUpdates(raw, ctx))) if (f.time >= since && !byId.has(f.id)) byId.set(f.id, f);
      // Validated by normalizeLedgerUpdates: an array of entries with a numeric time.
      const entries = raw as unknown as { time: number }[];
      if (entries.length < LEDGER_PAGE) break;
      const newest = entries.reduce((m, e) => Math.max(m, e.time), start);
      if (newest <= start) break;
      start = newest;
    }
    return [...byId.values()].sort((a, b) => a.time - b.time);
  }

  async fetchCandles(symbol: string, interval: CandleInterval, since?: number, limit = 500): Promise<Candle[]> {
    const step = INTERVAL_MS[interval];
    const n = Math.max(1, Math.min(5_000, Math.floor(limit)));
    const startTime = since ?? this.now() - n * step;
    const raw = await this.info(
      'candleSnapshot',
      (cfg) => info.candleSnapshot(cfg, { coin: symbol, interval, startTime, endTime: startTime + n * step }),
      (r) => (Array.isArray(r) ? r.length : 0),
    );
    return this.parse(() => normalizeCandles(raw)).slice(0, n);
  }

  /**
   * l2Book sends 20 full-precision levels per side whatever is asked: a few bps of a busy coin. Asked for more, the
   * book is extended with aggregated reads (nSigFigs 4, then 3, then 2; weight 2 each, only those that reach further)
   * until it reaches ±WIDE_BOOK_BPS of the mid. Its first L2_LEVELS levels per side stay the full-precision ones.
   */
  async fetchOrderBook(symbol: string, depth = 20): Promise<OrderBook> {
    const read = async (nSigFigs?: 2 | 3 | 4) => {
      const raw = await this.info('l2Book', (cfg) => info.l2Book(cfg, nSigFigs ? { coin: symbol, nSigFigs } : { coin: symbol }));
      if (raw === null) throw new InvalidOrderError(`hyperliquid: no order book for ${symbol}`, { venue: 'hyperliquid' });
      return this.parse(() => normalizeL2Book(raw, this.now(), depth));
    };
    let book = await read();
    if (depth <= L2_LEVELS) return book;
    for (const n of [4, 3, 2] as const) {
      const reach = bookReachBps(book);
      if (reach >= WIDE_BOOK_BPS) break;
      if (aggregatedReachBps(book, n) > reach) book = extendBook(book, await read(n), n);
    }
    return book;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Actions
  // ------------------------------------------------------------------------------------------------------------

  private trading(): { transport: HttpTransport; wallet: Wallet } {
    if (!this.wallet) {
      throw new PermissionError('hyperliquid: this account is monitored read-only (no agent key): it cannot act', { venue: 'hyperliquid' });
    }
    return { transport: this.http, wallet: this.wallet };
  }

  /** Meta of a dex (asset index, size decimals), fetched once. */
  private async metaOf(dex: string): Promise<DexMeta> {
    const cached = this.dexMeta.get(dex);
    if (cached) return cached;
    const dexes = await this.listDexes();
    const raw = await this.info('meta', (cfg) => info.meta(cfg, dex ? { dex } : {}));
    const assets = this.parse(() => normalizeMeta(raw));
    const dexIndex = dex ? this.allDexIndex(dex, dexes) : 0;
    const m: DexMeta = { dexIndex, assets: new Map(assets.map((a) => [dex && !a.name.includes(':') ? `${dex}:${a.name}` : a.name, a])) };
    this.dexMeta.set(dex, m);
    return m;
  }

  private allDexIndex(dex: string, dexes: string[]): number {
    const i = dexes.indexOf(dex);
    if (i <= 0) throw new InvalidOrderError(`hyperliquid: unknown builder dex "${dex}"`, { venue: 'hyperliquid' });
    return i;
  }

  /**
   * Hyperliquid's rules as InstrumentRules: sizes in steps of 10^-szDecimals; prices carry at most 6 - szDecimals
   * decimals (and 5 significant figures, which formatPrice applies); orders need $10 of notional.
   */
  async instrument(symbol: string): Promise<InstrumentRules | null> {
    const { dex } = splitCoin(symbol);
    const a = (await this.metaOf(dex)).assets.get(symbol);
    if (!a) return null;
    return {
      venue: 'hyperliquid',
      symbol,
      // Parsed from the decimal form: 10 ** -5 is 0.000009999999999999999 in binary.
      lotStep: Number(`1e-${a.szDecimals}`),
      tickSize: Number(`1e-${Math.max(0, 6 - a.szDecimals)}`),
      minNotional: 10,
      maxLeverage: a.maxLeverage ?? null,
    };
  }

  /** Asset id `a`: the meta.universe index on the main dex; 100000 + dexIndex x 10000 + index on a HIP-3 dex. */
  private async asset(symbol: string): Promise<{ a: number; info: AssetInfo; dex: string }> {
    const { dex } = splitCoin(symbol);
    const meta = await this.metaOf(dex);
    const a = meta.assets.get(symbol);
    if (!a) throw new InvalidOrderError(`hyperliquid: unknown symbol ${symbol}`, { venue: 'hyperliquid' });
    return { a: dex ? 100_000 + meta.dexIndex * 10_000 + a.index : a.index, info: a, dex };
  }

  /** Sends a signed action; returns the statuses (top-level errors are thrown, per-order errors left to the caller). */
  private async act(send: () => Promise<unknown>): Promise<OrderStatusEntry[]> {
    const raw = await this.withRetry(
      async () => {
        try {
          return await send();
        } catch (e) {
          // The library throws on any per-order error; the whole response is on the error.
          if (e instanceof Error && e.name === 'ApiRequestError') {
            const resp = (e as Error & { response?: unknown }).response;
            if (resp && typeof resp === 'object' && (resp as { status?: unknown }).status === 'ok') return resp;
          }
          throw e;
        }
      },
      (e) => e instanceof RateLimitError && e.code === 429,
      true,
    );
    const ok = this.parse(() => validate('exchange response', ExchangeOkSchema, raw));
    return ok.response.data?.statuses ?? [];
  }

  private idempotent_(key: string, run: () => Promise<ActionResult>): Promise<ActionResult> {
    const prior = this.idempotent.get(key);
    if (prior) return prior;
    const p = run();
    this.idempotent.set(key, p);
    // A failed attempt may be retried with the same id; only a settled success is remembered.
    p.catch(() => this.idempotent.delete(key));
    return p;
  }

  private async freshPosition(symbol: string): Promise<Position | undefined> {
    const s = await this.dexState(splitCoin(symbol).dex);
    return s.positions.find((p) => p.symbol === symbol);
  }

  closePosition(req: ClosePositionRequest): Promise<ActionResult> {
    return this.idempotent_(`close:${req.clientOrderId}`, () => this.close(req));
  }

  private async close(req: ClosePositionRequest): Promise<ActionResult> {
    const cfg = this.trading();
    if (!(req.fraction > 0 && req.fraction <= 1)) {
      throw new InvalidOrderError(`hyperliquid: close fraction must be in (0, 1], got ${req.fraction}`, { venue: 'hyperliquid' });
    }
    if (!(req.maxSlippagePct > 0 && req.maxSlippagePct < 100)) {
      throw new InvalidOrderError(`hyperliquid: maxSlippagePct must be in (0, 100), got ${req.maxSlippagePct}`, { venue: 'hyperliquid' });
    }
    const { a, info: asset } = await this.asset(req.symbol);
    const pos = await this.freshPosition(req.symbol);
    if (!pos || pos.side !== req.side || pos.size === 0) return { status: 'noop', orderIds: [], filledSize: 0, remainingSize: 0 };
    const mark = pos.markPrice ?? pos.entryPrice;
    const full = Math.abs(pos.size);
    let size: number;
    if (req.size !== undefined && req.size < full) {
      // What an earlier answer left to close: that much, never all; below one lot or the venue's minimum order value
      // it cannot be sent.
      size = Number(formatSize(req.size, asset.szDecimals));
      if (size <= 0 || size * mark < MIN_ORDER_VALUE_USD) return { status: 'noop', orderIds: [], filledSize: 0, remainingSize: 0 };
    } else {
      size = req.size !== undefined ? full : Number(formatSize(full * req.fraction, asset.szDecimals));
      // Below one lot or below the venue's minimum order value, a partial close closes all.
      if (size <= 0 || (size < full && size * mark < MIN_ORDER_VALUE_USD)) size = full;
    }
    const isBuy = pos.side === 'short';
    const worst = isBuy ? mark * (1 + req.maxSlippagePct / 100) : mark * (1 - req.maxSlippagePct / 100);
    // Round toward the mark so the cap is never exceeded.
    const p = formatPrice(worst, asset.szDecimals, isBuy ? 'down' : 'up');
    const s = formatSize(size, asset.szDecimals);
    const cloid = cloidOf(this.accountId, req.clientOrderId);
    // A send under this id got no answer before: if that order reached the venue, its outcome is this one's.
    const placed = this.unanswered.has(req.clientOrderId) ? await this.placedClose(cloid) : null;
    if (placed) {
      this.unanswered.delete(req.clientOrderId);
      return placed;
    }
    let statuses: OrderStatusEntry[];
    try {
      statuses = await this.act(() => ex.order(cfg, { orders: [{ a, b: isBuy, p, s, r: true, t: { limit: { tif: 'Ioc' } }, c: cloid }], grouping: 'na' }));
    } catch (e) {
      // No answer (or a 5xx): the order may have reached the venue.
      if (e instanceof NetworkError || e instanceof ExchangeUnavailableError) this.unanswered.add(req.clientOrderId);
      throw e;
    }
    this.unanswered.delete(req.clientOrderId);
    const st = statuses[0];
    if (st === undefined) throw new BadPayloadError('hyperliquid: order response without a status', { venue: 'hyperliquid', issues: ['statuses: empty'] });
    if (typeof st === 'object' && 'error' in st) throw mapVenueText(st.error);
    if (typeof st === 'object' && 'filled' in st) {
      const filled = st.filled.totalSz;
      const remaining = Math.max(0, Number(formatSize(size - filled, asset.szDecimals)));
      return { status: remaining > 0 ? 'partial' : 'filled', orderIds: [String(st.filled.oid)], filledSize: filled, remainingSize: remaining };
    }
    if (typeof st === 'object' && 'resting' in st) {
      return { status: 'accepted', orderIds: [String(st.resting.oid)], filledSize: 0, remainingSize: size };
    }
    return { status: 'accepted', orderIds: [], filledSize: 0, remainingSize: size };
  }

  /** The close order sent under a cloid, as an answer (what filled, what did not), or null when the venue has none. */
  private async placedClose(cloid: `0x${string}`): Promise<ActionResult | null> {
    const raw = await this.info('orderStatus', (c) => info.orderStatus(c, { user: this.user, oid: cloid }));
    const r = this.parse(() => validate('orderStatus', PlacedOrderSchema, raw));
    if (r.status !== 'order') return null;
    const o = r.order.order;
    // An IOC order is done once answered: what is left of it did not fill and is not open any more.
    const left = Number(o.sz);
    const filled = Math.max(0, Number(o.origSz) - left);
    return { status: left > 0 ? (filled > 0 ? 'partial' : 'accepted') : 'filled', orderIds: [String(o.oid)], filledSize: filled, remainingSize: left };
  }

  async cancelOrders(req: CancelOrdersRequest): Promise<ActionResult> {
    const cfg = this.trading();
    const dexes = req.symbol ? [splitCoin(req.symbol).dex] : await this.listDexes();
    const cancels: { a: number; o: number }[] = [];
    for (const dex of dexes) {
      const raw = await this.info('frontendOpenOrders', (c) => info.frontendOpenOrders(c, dex ? { user: this.user, dex } : { user: this.user }));
      const orders = this.parse(() => normalizeFrontendOpenOrders(raw, { ...this.ctx(), positionSizes: { ...allOnes(raw), ...this.positionSizes() } }));
      for (const o of orders) {
        if (req.symbol && o.symbol !== req.symbol) continue;
        if (req.orderIds && !req.orderIds.includes(o.orderId)) continue;
        const { a } = await this.asset(o.symbol);
        cancels.push({ a, o: Number(o.orderId) });
      }
    }
    if (cancels.length === 0) return { status: 'noop', orderIds: [], filledSize: 0, remainingSize: 0 };
    const statuses = await this.act(() => ex.cancel(cfg, { cancels }));
    const done: string[] = [];
    const errors: string[] = [];
    statuses.forEach((st, i) => {
      const c = cancels[i];
      if (!c) return;
      if (st === 'success') done.push(String(c.o));
      else if (typeof st === 'object' && 'error' in st && !/never placed, already canceled, or filled/i.test(st.error)) errors.push(st.error);
    });
    if (done.length === 0 && errors.length > 0) throw mapVenueText(errors[0]!);
    return { status: done.length > 0 ? 'accepted' : 'noop', orderIds: done, filledSize: 0, remainingSize: 0 };
  }

  placeProtectiveStop(req: ProtectiveStopRequest): Promise<ActionResult> {
    return this.idempotent_(`stop:${req.clientOrderId}`, () => this.stop(req));
  }

  private async stop(req: ProtectiveStopRequest): Promise<ActionResult> {
    const cfg = this.trading();
    if (!(req.stopPrice > 0) || !Number.isFinite(req.stopPrice)) {
      throw new InvalidOrderError(`hyperliquid: stop price must be positive, got ${req.stopPrice}`, { venue: 'hyperliquid' });
    }
    const { a, info: asset } = await this.asset(req.symbol);
    const pos = await this.freshPosition(req.symbol);
    if (!pos || pos.side !== req.side) return { status: 'noop', orderIds: [], filledSize: 0, remainingSize: 0 };
    const isBuy = pos.side === 'short';
    const size = formatSize(Math.abs(pos.size), asset.szDecimals);
    // Formatted without trailing zeros: a "1800.0" trigger price signs differently from the "1800" the venue hashes.
    const triggerPx = formatPrice(req.stopPrice, asset.szDecimals, 'nearest');
    const limit = formatPrice(isBuy ? req.stopPrice * (1 + STOP_SLIPPAGE) : req.stopPrice * (1 - STOP_SLIPPAGE), asset.szDecimals, isBuy ? 'down' : 'up');
    const statuses = await this.act(() =>
      ex.order(cfg, {
        orders: [
          {
            a,
            b: isBuy,
            p: limit,
            s: size,
            r: true,
            t: { trigger: { isMarket: true, triggerPx, tpsl: 'sl' } },
            c: cloidOf(this.accountId, req.clientOrderId),
          },
        ],
        // positionTpsl: the stop follows the position's size as it changes.
        grouping: 'positionTpsl',
      }),
    );
    const st = statuses[0];
    if (st === undefined) throw new BadPayloadError('hyperliquid: order response without a status', { venue: 'hyperliquid', issues: ['statuses: empty'] });
    if (typeof st === 'object' && 'error' in st) throw mapVenueText(st.error);
    const oid = typeof st === 'object' && 'resting' in st ? String(st.resting.oid) : typeof st === 'object' && 'filled' in st ? String(st.filled.oid) : null;
    if (oid) {
      const cloid = cloidOf(this.accountId, req.clientOrderId);
      this.knownOrders.set(oid, {
        venue: 'hyperliquid',
        accountId: this.accountId,
        orderId: oid,
        clientOrderId: cloid,
        symbol: req.symbol,
        side: isBuy ? 'buy' : 'sell',
        type: 'stop_market',
        price: null,
        stopPrice: Number(triggerPx),
        size: Number(size),
        filled: 0,
        reduceOnly: true,
        positionSide: null,
        time: this.now(),
        strategyId: this.strategyOf(cloid, req.symbol),
      });
    }
    return { status: 'accepted', orderIds: oid ? [oid] : [], filledSize: 0, remainingSize: 0 };
  }

  /**
   * scheduleCancel: cancels every open order of the account (protective stops too; it is not per symbol and not
   * position-aware) unless refreshed. The venue wants it at least 5 s ahead and fires it at most 10 times a day.
   */
  async setDeadManSwitch(req: { timeoutMs: number | null; symbol?: string }): Promise<void> {
    const cfg = this.trading();
    if (req.timeoutMs !== null && !(req.timeoutMs >= SCHEDULE_CANCEL_MIN_MS)) {
      throw new InvalidOrderError(`hyperliquid: scheduleCancel must be at least ${SCHEDULE_CANCEL_MIN_MS} ms ahead, got ${req.timeoutMs}`, { venue: 'hyperliquid' });
    }
    // The venue checks "5 s ahead" on arrival: pad the minimum by the request's travel time.
    const time = req.timeoutMs === null ? undefined : Math.round(this.now() + Math.max(req.timeoutMs, SCHEDULE_CANCEL_MIN_MS + SCHEDULE_CANCEL_MARGIN_MS));
    await this.act(() => (time === undefined ? ex.scheduleCancel(cfg) : ex.scheduleCancel(cfg, { time })));
  }

  /** For tests and the docs: the last per-dex states the streams delivered. */
  lastState(): { account: AccountSnapshot; positions: Position[] } | null {
    return this.dexStates.size ? mergeDexStates([...this.dexStates.values()], this.ctx()) : null;
  }
}

/** Position TP/SL orders show size 0; for a cancel any positive size will do (only the oid matters). */
function allOnes(raw: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (Array.isArray(raw)) for (const o of raw) if (o && typeof o === 'object' && typeof (o as { coin?: unknown }).coin === 'string') out[(o as { coin: string }).coin] = 1;
  return out;
}

export const createHyperliquidAdapter = (config: AdapterConfig, options?: HyperliquidAdapterOptions): HyperliquidAdapter =>
  new HyperliquidAdapter(config, options);
