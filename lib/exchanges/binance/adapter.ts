/**
 * Binance USD-M futures adapter: REST snapshot, user-data stream (listenKey kept alive), mark price stream (1 s),
 * reconnect + resubscribe with backoff, reduce-only closes with a slippage cap, cancels, protective stops through the
 * algo-order endpoint, and the countdownCancelAll dead-man's switch. See docs/exchanges-binance.md.
 *
 * Steady state costs little REST weight: positions, orders and balances arrive as pushes; a full REST resync runs
 * every resyncIntervalMs (and after each reconnect), plus one positionRisk call after a position change for Binance's
 * own liquidation price.
 */
import { z } from 'zod';
import type { Candle, CandleInterval, OrderBook } from '../../domain/market';
import { CandleIntervalSchema } from '../../domain/market';
import { MANUAL_STRATEGY, type CashFlow, type Fill, type InstrumentRules, type OpenOrder, type Position, type PositionSide } from '../../domain/types';
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffOptions } from '../common/backoff';
import { ProbeGate } from '../common/probe-gate';
import {
  BadPayloadError,
  ClockSkewError,
  ExchangeUnavailableError,
  InvalidOrderError,
  NetworkError,
  RateLimitError,
  type ExchangeError,
} from '../errors';
import type {
  ActionResult,
  AdapterConfig,
  AdapterEvent,
  AdapterStats,
  Capabilities,
  ClosePositionRequest,
  ConnectionState,
  ExchangeAdapter,
  OrderStatus,
  CancelOrdersRequest,
  ProtectiveStopRequest,
  VenueSnapshot,
  TradesRequest,
  TradeWindow,
} from '../types';
import { readTradeWindow } from './agg-trades';
import { BinanceBadBody, BinanceHttpFailure, RingfenceBinanceUsdm, type BinanceRest } from './client';
import { mapBinanceError, parseErrorBody, toExchangeError } from './errors';
import {
  attributeFills,
  CASH_FLOW_INCOME_TYPES,
  cashFlowsOf,
  incomeFlows,
  type IncomeRow,
  parseIncomeRows,
  eventTypeOf,
  listenKeyOf,
  normalizeAccount,
  normalizeAccountUpdate,
  normalizeAlgoOrder,
  normalizeAlgoUpdate,
  normalizeAllOrders,
  normalizeDepth,
  normalizeExchangeInfo,
  normalizeAggTrades,
  normalizeKlines,
  normalizeMarkPriceUpdate,
  normalizeOpenAlgoOrders,
  normalizeOpenOrders,
  normalizeOrder,
  normalizeOrderTradeUpdate,
  normalizePositionRisk,
  normalizeSymbolConfig,
  normalizeUserTrades,
  type NormalizeContext,
  type OrderContext,
  type SymbolSetting,
} from './normalize';
import { accountOf, applyAccountUpdate, applyMark, fromSnapshot, livePosition, positionKey, positionsOf, positionSize, valuesBeforeFlows, type LiveState } from './state';

export interface BinanceAdapterOptions {
  /** Full REST resync cadence (a safety net: pushes carry the changes). */
  resyncIntervalMs?: number;
  /** listenKey keep-alive (PUT) cadence; Binance keys live 60 min. */
  listenKeyKeepAliveMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** Extra attempts for reads that hit a rate limit, a network error or an unavailable venue. */
  readRetries?: number;
  /** Longest a read waits for a rate-limit ban to lift before it fails. */
  maxReadWaitMs?: number;
  /** Debounce of the REST refresh that follows a position change. */
  refreshDebounceMs?: number;
  recvWindow?: number;
  /** ccxt's client-side throttle, ms per unit of request weight (ccxt's default for Binance: 50). */
  rateLimitMs?: number;
}

const DEFAULTS = {
  resyncIntervalMs: 300_000,
  listenKeyKeepAliveMs: 30 * 60_000,
  readRetries: 3,
  maxReadWaitMs: 15_000,
  refreshDebounceMs: 150,
  recvWindow: 10_000,
};

const EndpointsSchema = z.discriminatedUnion('network', [
  z.object({ network: z.literal('mainnet') }).loose(),
  z.object({ network: z.literal('testnet') }).loose(),
  z
    .object({
      network: z.literal('custom'),
      restUrl: z.url({ protocol: /^https?$/ }),
      wsUrl: z.url({ protocol: /^wss?$/ }),
    })
    .loose(),
]);
const CredentialsSchema = z.object({ venue: z.literal('binance'), apiKey: z.string().min(1), apiSecret: z.string().min(1) });
/** Binance accepts client order ids matching ^[.A-Z:/a-z0-9_-]{1,36}$. */
const ClientOrderId = z.string().regex(/^[.A-Z:/a-z0-9_-]{1,36}$/, 'client order id: 1-36 of A-Z a-z 0-9 . : / _ -');
const SymbolId = z.string().regex(/^[A-Z0-9]{2,30}$/, 'symbol like BTCUSDT');
const CloseSchema = z.object({
  symbol: SymbolId,
  side: z.enum(['long', 'short']),
  fraction: z.number().gt(0).lte(1),
  size: z.number().positive().finite().optional(),
  maxSlippagePct: z.number().gt(0).lte(50),
  clientOrderId: ClientOrderId,
});
const StopSchema = z.object({ symbol: SymbolId, side: z.enum(['long', 'short']), stopPrice: z.number().positive().finite(), clientOrderId: ClientOrderId });
const DeadManSchema = z.object({ timeoutMs: z.number().int().min(1000).max(3_600_000).nullable(), symbol: SymbolId.optional() });

const CAPABILITIES: Capabilities = {
  trading: true,
  userStream: true,
  markPriceStream: true,
  hedgeMode: true,
  multiAssetsMode: true,
  builderDexes: false,
  conditionalOrders: true,
  deadManSwitch: true,
  orderBook: true,
  candles: true,
  trades: true,
};

const DEPTH_LIMITS = [5, 10, 20, 50, 100, 500, 1000];
/**
 * allOrders: rows per page (Binance's maximum), and the most pages read to attribute one symbol's backfilled trades
 * (reading stops once every trade's order is found).
 */
const ALL_ORDERS_LIMIT = 1000;
const ALL_ORDERS_PAGES = 200;
/** userTrades: rows per page (Binance's maximum), the longest startTime..endTime span, how far back it answers. */
const TRADE_LIMIT = 1000;
const TRADE_WINDOW_MS = 7 * 86_400_000;
const TRADE_HISTORY_MS = 180 * 86_400_000;
/** Pages read per symbol and catch-up: 6 months of empty windows is 26; the rest is for busy bots. */
const TRADE_PAGES = 200;
/** income: rows per page (Binance's maximum) and pages read per income type and call (50,000 transfers). */
const INCOME_LIMIT = 1000;
const INCOME_PAGES = 50;
const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

const floorStep = (v: number, step: number) => Math.floor(v / step + 1e-9) * step;
const ceilStep = (v: number, step: number) => Math.ceil(v / step - 1e-9) * step;
/** Decimal text with no float noise: steps like 0.001 give 3 places. */
const decimals = (step: number) => Math.max(0, Math.min(12, Math.round(-Math.log10(step))));
const fmtStep = (v: number, step: number) => v.toFixed(decimals(step));

type RestName = keyof BinanceRest;

/** Request weight Binance counts per call (GET openOrders without a symbol costs 40). */
function weightOf(name: RestName, params: Record<string, unknown>): number {
  switch (name) {
    case 'fapiPrivateV3GetAccount':
    case 'fapiPrivateV3GetPositionRisk':
    case 'fapiPrivateGetSymbolConfig':
    case 'fapiPrivateGetUserTrades':
    case 'fapiPrivateGetAllOrders':
      return 5;
    case 'fapiPrivateGetOpenOrders':
    case 'fapiPrivateGetOpenAlgoOrders':
      return params.symbol ? 1 : 40;
    case 'fapiPrivatePostCountdownCancelAll':
      return 10;
    case 'fapiPrivateGetIncome':
      return 30;
    case 'fapiPublicGetDepth': {
      const l = Number(params.limit ?? 500);
      return l <= 50 ? 2 : l <= 100 ? 5 : l <= 500 ? 10 : 20;
    }
    case 'fapiPublicGetAggTrades':
      return 20;
    case 'fapiPublicGetKlines': {
      const l = Number(params.limit ?? 500);
      return l < 100 ? 1 : l < 500 ? 2 : l <= 1000 ? 5 : 10;
    }
    default:
      return 1;
  }
}

export class BinanceAdapter implements ExchangeAdapter {
  readonly venue = 'binance' as const;
  readonly accountId: string;
  readonly capabilities: Capabilities = CAPABILITIES;

  private readonly ex: RingfenceBinanceUsdm;
  private readonly opts: typeof DEFAULTS & { backoff: BackoffOptions };
  private readonly now: () => number;
  private readonly strategyOf: (cid: string | null, symbol: string) => string;
  private readonly listeners = new Set<(e: AdapterEvent) => void>();

  private running = false;
  private abort = new AbortController();
  private state: LiveState | null = null;
  private settings = new Map<string, SymbolSetting>();
  private rules = new Map<string, InstrumentRules>();
  private openOrders = new Map<string, OpenOrder>();
  private markSymbols: string[] = [];
  private marketUrl: string | null = null;
  private userUrl: string | null = null;
  private listenKey: string | null = null;
  private keyVerified = false;
  private restBlockedUntil = 0;
  private readonly gate = new ProbeGate();
  private timers: ReturnType<typeof setTimeout>[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private loops: Promise<void>[] = [];
  private marketLoopRunning = false;
  private subscribeId = 0;
  private readonly actions = new Map<string, Promise<ActionResult>>();
  /** Client order ids of closes sent without an answer: sent again, the order is looked up first (it may be there). */
  private readonly unanswered = new Set<string>();
  private deadManSymbols = new Set<string>();
  private fillSymbols = new Set<string>();
  private readonly st: AdapterStats = { badPayloads: 0, reconnects: 0, lastMessageAt: null, restWeightUsed: 0 };

  constructor(config: AdapterConfig, options: BinanceAdapterOptions = {}) {
    const creds = CredentialsSchema.safeParse(config.credentials);
    if (!creds.success) throw new Error('binance adapter: credentials need venue "binance", apiKey and apiSecret');
    const ep = EndpointsSchema.safeParse(config.endpoints);
    if (!ep.success) {
      throw new Error(`binance adapter: bad endpoints (${ep.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
    }
    this.accountId = config.accountId;
    this.now = config.now ?? Date.now;
    this.strategyOf = config.strategyOf ?? (() => MANUAL_STRATEGY);
    this.opts = { ...DEFAULTS, ...options, backoff: { ...DEFAULT_BACKOFF, ...options.backoff } };
    const urls =
      ep.data.network === 'custom'
        ? (() => {
            const rest = ep.data.restUrl.replace(/\/+$/, '');
            return {
              api: {
                fapiPublic: `${rest}/fapi/v1`,
                fapiPublicV2: `${rest}/fapi/v2`,
                fapiPublicV3: `${rest}/fapi/v3`,
                fapiPrivate: `${rest}/fapi/v1`,
                fapiPrivateV2: `${rest}/fapi/v2`,
                fapiPrivateV3: `${rest}/fapi/v3`,
                fapiData: `${rest}/futures/data`,
                // ccxt rewrites a base ending in /ws into /market/ws, /public/ws and /private/ws.
                ws: { future: ep.data.wsUrl.replace(/\/+$/, '') },
              },
            };
          })()
        : undefined;
    this.ex = new RingfenceBinanceUsdm({
      apiKey: creds.data.apiKey,
      secret: creds.data.apiSecret,
      // ccxt's client-side bucket (1 token, 50 ms per weight, idle time never credited) delayed every close by
      // ~100 ms and a cold start by seconds; the adapter counts the weight itself and obeys 429/418 Retry-After.
      // rateLimitMs (tests) switches ccxt's throttle back on.
      enableRateLimit: options.rateLimitMs !== undefined,
      // Outside Node (service worker, page) the platform fetch, never ccxt's Node-only undici path (shimmed there).
      ...(isNode ? {} : { fetchImplementation: globalThis.fetch.bind(globalThis) }),
      ...(options.rateLimitMs !== undefined ? { rateLimit: options.rateLimitMs } : {}),
      ...(urls ? { urls } : {}),
      options: {
        defaultType: 'future',
        // A futures-only client: no /sapi wallet calls.
        fetchCurrencies: false,
        fetchMargins: false,
        recvWindow: this.opts.recvWindow,
      },
    });
    if (ep.data.network === 'testnet') this.ex.setSandboxMode(true);
    this.ex.rfHooks = { onMessage: (url, message) => this.onWsMessage(url, message) };
  }

  // ---------- events ----------

  subscribe(listener: (event: AdapterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: AdapterEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A listener's bug must not stop the stream.
      }
    }
  }

  private connection(state: ConnectionState, reason?: string): void {
    this.emit(reason === undefined ? { type: 'connection', state } : { type: 'connection', state, reason });
  }

  private badPayload(e: BadPayloadError): void {
    this.st.badPayloads += 1;
    this.emit({ type: 'error', error: e });
  }

  stats(): AdapterStats {
    return { ...this.st };
  }

  // ---------- REST ----------

  private ctx(): NormalizeContext {
    return { accountId: this.accountId, now: this.now(), strategyOf: this.strategyOf };
  }

  private orderCtx(): OrderContext {
    const s = this.state;
    return { ...this.ctx(), positionSize: (symbol, side) => (s ? positionSize(s, symbol, side) : undefined) };
  }

  private mapFailure(e: unknown, trading: boolean): ExchangeError {
    if (e instanceof BinanceHttpFailure) {
      const { code, msg } = parseErrorBody(e.body);
      return mapBinanceError({ httpStatus: e.httpStatus, code, msg, retryAfterSec: e.retryAfterSec, trading, keyVerified: this.keyVerified, now: this.now() }, e);
    }
    if (e instanceof BinanceBadBody) {
      return new BadPayloadError('binance: response body is not JSON', { venue: 'binance', issues: [e.body.slice(0, 80)], cause: e });
    }
    return toExchangeError(e);
  }

  /**
   * One REST call with Binance's etiquette: waits out (or, for trading, refuses during) a rate-limit ban, then lets
   * one read go first and the others follow its answer (ProbeGate); resyncs the clock on -1021 and tries once more;
   * retries reads with backoff on 429/418, network and 5xx failures.
   */
  private async rest(name: RestName, params: Record<string, unknown> = {}, mode: 'read' | 'act' | 'trade' = 'read'): Promise<unknown> {
    const trading = mode === 'trade';
    // Reads made for an action (the fresh position before a close) fail fast too: an action never waits out a ban,
    // nor for a probe (it goes as soon as the ban ends).
    const failFast = mode !== 'read';
    const retries = failFast ? 0 : this.opts.readRetries;
    let clockResynced = false;
    for (let attempt = 1; ; attempt++) {
      const done = await this.gate.enter(
        () => this.restBlockedUntil - this.now(),
        (ms) => sleep(ms, this.abort.signal),
        (wait) => {
          if (failFast || wait > this.opts.maxReadWaitMs) {
            throw new RateLimitError(`binance: request weight limit hit, blocked for ${Math.ceil(wait / 1000)} s more`, { venue: 'binance', retryAfterMs: wait });
          }
        },
        !failFast,
      );
      this.st.restWeightUsed += weightOf(name, params);
      let e: ExchangeError;
      try {
        const out = await this.ex.rest()[name](params);
        this.gate.clear();
        done();
        if (!trading && name.startsWith('fapiPrivate') && !name.includes('ListenKey')) this.keyVerified = true;
        return out;
      } catch (raw) {
        e = this.mapFailure(raw, trading);
      }
      if (e instanceof RateLimitError) {
        const pause = backoffDelay(attempt, this.opts.backoff, e.retryAfterMs ?? 0);
        this.restBlockedUntil = Math.max(this.restBlockedUntil, this.now() + pause);
        this.gate.limit();
      } else if (!(e instanceof NetworkError)) {
        // The venue answered: whatever else is wrong, it is not limiting.
        this.gate.clear();
      }
      done();
      if (e instanceof BadPayloadError) this.badPayload(e);
      if (e instanceof ClockSkewError && !clockResynced) {
        clockResynced = true;
        // A -1021 rejection never executed: safe to retry after learning the server's clock.
        await this.ex.loadTimeDifference().catch(() => undefined);
        continue;
      }
      const transient = e instanceof RateLimitError || e instanceof NetworkError || e instanceof ExchangeUnavailableError;
      if (!transient || attempt > retries || !this.running) throw e;
      if (!(e instanceof RateLimitError)) await sleep(backoffDelay(attempt, this.opts.backoff), this.abort.signal);
    }
  }

  private async loadRules(): Promise<void> {
    if (this.rules.size > 0) return;
    const raw = await this.rest('fapiPublicGetExchangeInfo');
    try {
      for (const r of normalizeExchangeInfo(raw)) this.rules.set(r.symbol, r);
    } catch (e) {
      if (e instanceof BadPayloadError) this.badPayload(e);
      throw e;
    }
  }

  async instrument(symbol: string): Promise<InstrumentRules | null> {
    await this.loadRules();
    return this.rules.get(symbol) ?? null;
  }

  private async ruleOf(symbol: string): Promise<InstrumentRules> {
    await this.loadRules();
    const r = this.rules.get(symbol);
    if (!r) throw new InvalidOrderError(`binance: unknown symbol ${symbol}`, { venue: 'binance', code: -1121 });
    return r;
  }

  /** Validates with a normaliser; a bad payload is counted and rethrown, the last good state stays. */
  private norm<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof BadPayloadError) this.badPayload(e);
      throw e;
    }
  }

  async snapshot(): Promise<VenueSnapshot> {
    // Concurrently: a cold start waits for one round trip, not five.
    const [accRaw, posRaw, cfgRaw, ordRaw, algoRaw] = await Promise.all([
      this.rest('fapiPrivateV3GetAccount'),
      this.rest('fapiPrivateV3GetPositionRisk'),
      this.rest('fapiPrivateGetSymbolConfig'),
      this.rest('fapiPrivateGetOpenOrders'),
      this.rest('fapiPrivateGetOpenAlgoOrders'),
    ]);
    const { acc, positions, orders } = this.norm(() => {
      const settings = normalizeSymbolConfig(cfgRaw);
      const acc = normalizeAccount(accRaw, this.ctx());
      const positions = normalizePositionRisk(posRaw, { ...this.ctx(), settings });
      this.settings = settings;
      const provisional = fromSnapshot(acc, positions, settings);
      const octx: OrderContext = { ...this.ctx(), positionSize: (s, side) => positionSize(provisional, s, side) };
      const orders = [...normalizeOpenOrders(ordRaw, octx), ...normalizeOpenAlgoOrders(algoRaw, octx)];
      return { acc, positions, orders };
    });
    // Marks seen on the stream after the snapshot's own stay the fresher ones.
    this.state = fromSnapshot(acc, positions, this.settings, this.state?.marks);
    this.openOrders = new Map(orders.map((o) => [o.orderId, o]));
    const snap: VenueSnapshot = { account: accountOf(this.state), positions: positionsOf(this.state), openOrders: orders, time: this.now() };
    this.emit({ type: 'account', account: snap.account });
    this.emit({ type: 'positions', positions: snap.positions, time: snap.time });
    return snap;
  }

  /** After a position change: Binance's own numbers (liquidation price) for the positions, debounced. */
  private scheduleRefresh(account: boolean): void {
    if (this.refreshTimer || !this.running) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refreshPositions(account).catch((e: unknown) => this.emit({ type: 'error', error: toExchangeError(e) }));
    }, this.opts.refreshDebounceMs);
  }

  private async refreshPositions(account: boolean): Promise<void> {
    if (!this.state) return;
    if (account) {
      await this.snapshot();
      return;
    }
    const posRaw = await this.rest('fapiPrivateV3GetPositionRisk');
    const positions = this.norm(() => normalizePositionRisk(posRaw, { ...this.ctx(), settings: this.settings }));
    const s = this.state;
    if (!s) return;
    const next = new Map(s.positions);
    const seen = new Set<string>();
    for (const p of positions) {
      const live = livePosition(p);
      const key = positionKey(live.symbol, live.positionSide);
      seen.add(key);
      const prev = next.get(key);
      // A push may be newer than this read, and the strategy was attributed from the order that opened it.
      next.set(key, { ...live, updatedAt: Math.max(live.updatedAt, prev?.updatedAt ?? 0), strategyId: prev?.strategyId ?? live.strategyId });
    }
    for (const k of [...next.keys()]) if (!seen.has(k)) next.delete(k);
    this.state = { ...s, positions: next };
    this.emit({ type: 'positions', positions: positionsOf(this.state), time: this.now() });
  }

  // ---------- lifecycle ----------

  async connect(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.connection('connecting');
    try {
      // In Node, plain ws:// (the simulator) needs ccxt's agent; browsers and service workers use native WebSocket.
      if (isNode) await this.ex.loadHttpProxyAgent();
      // Rules, the snapshot and the listen key do not depend on each other: fetched together.
      const [, , key] = await Promise.all([this.loadRules(), this.snapshot(), this.rest('fapiPrivatePostListenKey')]);
      this.listenKey = listenKeyOf(key);
    } catch (e) {
      this.running = false;
      // The message of the error made from it: a raw one may hold a URL with the listen key.
      const err = toExchangeError(e);
      this.connection('closed', err.message);
      throw err;
    }
    this.userDialed = false;
    let resolveOpen = () => {};
    const opened = new Promise<void>((r) => (resolveOpen = r));
    this.userOpen = { promise: opened, resolve: resolveOpen };
    this.loops.push(this.userLoop());
    if (this.markSymbols.length > 0) this.startMarketLoop();
    // Pushes count from here: wait (boundedly) for the user stream, which keeps retrying in the background anyway.
    await Promise.race([opened, sleep(10_000, this.abort.signal)]);
    this.every(this.opts.resyncIntervalMs, () => this.resync());
    this.every(this.opts.listenKeyKeepAliveMs, () => this.keepAlive());
  }

  private every(ms: number, f: () => Promise<void>): void {
    const tick = () => {
      if (!this.running) return;
      void f()
        .catch((e: unknown) => this.emit({ type: 'error', error: toExchangeError(e) }))
        .finally(() => {
          if (this.running) this.timers.push(setTimeout(tick, ms));
        });
    };
    this.timers.push(setTimeout(tick, ms));
  }

  private async resync(): Promise<void> {
    await this.snapshot();
  }

  private async keepAlive(): Promise<void> {
    try {
      await this.rest('fapiPrivatePutListenKey', this.listenKey ? { listenKey: this.listenKey } : {});
    } catch (e) {
      // An expired key (-1125): the user loop reconnects with a new one.
      if (this.userUrl) await this.ex.dropClient(this.userUrl);
      throw e;
    }
  }

  async disconnect(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.abort.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    await this.ex.close().catch(() => undefined);
    await Promise.allSettled(this.loops);
    this.loops = [];
    this.marketLoopRunning = false;
    this.connection('closed');
  }

  // ---------- streams ----------

  /**
   * Keeps one stream open: dial, wait for the socket, then read until it fails; on failure back off and dial again.
   * `onOpen` runs after every (re)connect (subscribe, resync).
   */
  private async streamLoop(urlOf: () => Promise<string>, onOpen: (url: string, reconnect: boolean) => Promise<void>, name: string): Promise<void> {
    let attempt = 0;
    let opened = false;
    while (this.running) {
      let url: string | null = null;
      try {
        url = await urlOf();
        const first = this.ex.watch(url, name === 'user' ? 'rf:user' : 'rf:market') as Promise<unknown>;
        first.catch(() => undefined);
        await this.ex.wsClient(url).connected;
        const reconnect = opened;
        opened = true;
        attempt = 0;
        await onOpen(url, reconnect);
        if (reconnect) this.connection('open', `${name} stream reconnected`);
        await first;
        while (this.running) await this.ex.watch(url, name === 'user' ? 'rf:user' : 'rf:market');
      } catch (e) {
        if (!this.running) break;
        attempt += 1;
        this.st.reconnects += 1;
        const err = toExchangeError(e);
        this.connection('reconnecting', `${name} stream: ${err.message}`);
        if (url) await this.ex.dropClient(url);
        await sleep(backoffDelay(attempt, this.opts.backoff, err.retryAfterMs ?? 0), this.abort.signal);
      }
    }
  }

  private userOpen: { promise: Promise<void>; resolve: () => void } | null = null;
  private userDialed = false;

  private userLoop(): Promise<void> {
    return this.streamLoop(
      async () => {
        // connect() fetched the first key; every redial asks again: Binance returns the same key while it is valid
        // (and extends it), or a new one after it expired.
        if (!this.listenKey || this.userDialed) this.listenKey = listenKeyOf(await this.rest('fapiPrivatePostListenKey'));
        this.userDialed = true;
        this.userUrl = this.ex.getPrivateWsUrl('future', this.listenKey);
        return this.userUrl;
      },
      async (_url, reconnect) => {
        if (!reconnect) {
          this.connection('open');
          this.userOpen?.resolve();
          return;
        }
        // Pushes may have been missed while the stream was down.
        await this.snapshot().catch((e: unknown) => this.emit({ type: 'error', error: toExchangeError(e) }));
      },
      'user',
    );
  }

  private startMarketLoop(): void {
    if (this.marketLoopRunning || !this.running) return;
    this.marketLoopRunning = true;
    const loop = this.streamLoop(
      async () => {
        this.marketUrl = String(this.ex.getWsUrl('future', 'market'));
        return this.marketUrl;
      },
      async (url) => {
        await this.sendSubscription(url, 'SUBSCRIBE', this.markSymbols);
      },
      'market',
    ).finally(() => {
      this.marketLoopRunning = false;
    });
    this.loops.push(loop);
  }

  private async sendSubscription(url: string, method: 'SUBSCRIBE' | 'UNSUBSCRIBE', symbols: string[]): Promise<void> {
    if (symbols.length === 0) return;
    this.subscribeId += 1;
    await this.ex.wsClient(url).send({ method, params: symbols.map((s) => `${s.toLowerCase()}@markPrice@1s`), id: this.subscribeId });
  }

  async watchMarks(symbols: string[]): Promise<void> {
    const wanted = [...new Set(symbols.map((s) => SymbolId.parse(s)))].sort();
    const prev = this.markSymbols;
    this.markSymbols = wanted;
    if (!this.running) return;
    if (!this.marketLoopRunning) {
      if (wanted.length > 0) this.startMarketLoop();
      return;
    }
    const url = this.marketUrl;
    if (!url) return;
    // Live socket: send the difference; a reconnect subscribes the whole current set.
    const client = (this.ex as unknown as { clients: Record<string, unknown> }).clients[url];
    if (!client) return;
    await this.sendSubscription(url, 'UNSUBSCRIBE', prev.filter((s) => !wanted.includes(s))).catch(() => undefined);
    await this.sendSubscription(url, 'SUBSCRIBE', wanted.filter((s) => !prev.includes(s))).catch(() => undefined);
  }

  private onWsMessage(url: string, message: unknown): void {
    this.st.lastMessageAt = this.now();
    if (typeof message === 'string') {
      // ccxt hands over frames it could not parse as JSON.
      this.badPayload(new BadPayloadError('binance: websocket frame is not JSON', { venue: 'binance', issues: [message.slice(0, 80)] }));
      return;
    }
    const payload = typeof message === 'object' && message !== null && 'stream' in message && 'data' in message ? (message as { data: unknown }).data : message;
    try {
      if (url.includes('listenKey=')) this.onUserMessage(payload);
      else this.onMarketMessage(payload);
    } catch (e) {
      if (e instanceof BadPayloadError) this.badPayload(e);
      else this.emit({ type: 'error', error: toExchangeError(e) });
    }
  }

  private onMarketMessage(payload: unknown): void {
    const items = Array.isArray(payload) ? payload : [payload];
    for (const item of items) {
      const type = eventTypeOf(item);
      if (type !== 'markPriceUpdate') {
        // Subscription acks ({"result": null, "id": n}) and other streams.
        if (type === null && typeof item === 'object' && item !== null && 'result' in item) continue;
        if (type === null) throw new BadPayloadError('binance: market frame without an event type', { venue: 'binance', issues: ['e: missing'] });
        continue;
      }
      const mark = normalizeMarkPriceUpdate(item);
      this.emit({ type: 'mark', mark });
      if (!this.state) continue;
      this.state = applyMark(this.state, mark.symbol, mark.price, mark.time);
      if ([...this.state.positions.values()].some((p) => p.symbol === mark.symbol)) {
        this.emit({ type: 'positions', positions: positionsOf(this.state), time: mark.time });
        this.emit({ type: 'account', account: accountOf(this.state) });
      }
    }
  }

  private onUserMessage(payload: unknown): void {
    const type = eventTypeOf(payload);
    switch (type) {
      case 'ACCOUNT_UPDATE': {
        const upd = normalizeAccountUpdate(payload);
        if (!this.state) return;
        // Non-stable assets are valued at the mark of their USDT perpetual, when one is known.
        const marks = this.state.marks;
        const flows = cashFlowsOf(upd, this.accountId, (asset) => marks.get(`${asset}USDT`)?.price);
        // Positions get the symbol rules' strategy here; the background gives each the strategy whose fills built it.
        const r = applyAccountUpdate(this.state, upd, (s) => this.strategyOf(null, s));
        this.state = r.state;
        const account = accountOf(this.state);
        const befores = valuesBeforeFlows(account, flows);
        // Flows first: the engine must know of a withdrawal before it sees the lower balance, or it reads it as a loss.
        flows.forEach((flow, i) => {
          const before = befores[i];
          this.emit(before ? { type: 'cashflow', flow, before } : { type: 'cashflow', flow });
        });
        this.emit({ type: 'positions', positions: positionsOf(this.state), time: upd.time });
        this.emit({ type: 'account', account });
        if (r.needsAccountRefresh) this.scheduleRefresh(true);
        else if (r.changed.length > 0) this.scheduleRefresh(false);
        return;
      }
      case 'ORDER_TRADE_UPDATE': {
        const u = normalizeOrderTradeUpdate(payload, this.orderCtx());
        this.trackOrder(u.order, u.status);
        if (u.fill) {
          this.fillSymbols.add(u.fill.symbol);
          this.emit({ type: 'fill', fill: u.fill });
        }
        return;
      }
      case 'ALGO_UPDATE': {
        const u = normalizeAlgoUpdate(payload, this.orderCtx());
        this.trackOrder(u.order, u.status);
        return;
      }
      case 'ACCOUNT_CONFIG_UPDATE': {
        // Leverage changed on the exchange's page: {"ac": {"s": "BTCUSDT", "l": 25}}.
        const cfg = z.object({ ac: z.object({ s: z.string(), l: z.number().positive() }).loose() }).loose().safeParse(payload);
        if (cfg.success && this.state) {
          const prev = this.settings.get(cfg.data.ac.s);
          this.settings = new Map(this.settings).set(cfg.data.ac.s, { leverage: cfg.data.ac.l, marginMode: prev?.marginMode ?? 'cross' });
          const positions = new Map(this.state.positions);
          for (const [k, p] of positions) if (p.symbol === cfg.data.ac.s) positions.set(k, { ...p, leverage: cfg.data.ac.l });
          this.state = { ...this.state, positions, settings: this.settings };
          this.emit({ type: 'positions', positions: positionsOf(this.state), time: this.now() });
        }
        return;
      }
      case 'listenKeyExpired':
        this.listenKey = null;
        if (this.userUrl) void this.ex.dropClient(this.userUrl);
        return;
      case null:
        throw new BadPayloadError('binance: user-data frame without an event type', { venue: 'binance', issues: ['e: missing'] });
      default:
        // TRADE_LITE, MARGIN_CALL, STRATEGY_UPDATE...: nothing the risk desk needs that another push does not carry.
        return;
    }
  }

  private trackOrder(order: OpenOrder | null, status: OrderStatus): void {
    if (!order) return;
    if (status === 'new' || status === 'partially_filled') this.openOrders.set(order.orderId, order);
    else this.openOrders.delete(order.orderId);
    this.emit({ type: 'order', order, status });
  }

  // ---------- history ----------

  async fetchFills(since: number, symbol?: string): Promise<Fill[]> {
    const symbols = symbol
      ? [SymbolId.parse(symbol)]
      : [...new Set([...(this.state ? [...this.state.positions.values()].map((p) => p.symbol) : []), ...[...this.openOrders.values()].map((o) => o.symbol), ...this.fillSymbols, ...this.markSymbols])];
    const out: Fill[] = [];
    for (const s of symbols) {
      const trades = await this.userTrades(s, since);
      const ids = trades.length > 0 ? await this.clientOrderIds(s, trades) : null;
      out.push(...(ids && ids.size > 0 ? this.norm(() => attributeFills(trades, this.ctx(), ids)) : trades));
    }
    return out.sort((a, b) => a.time - b.time);
  }

  /**
   * Transfers into and out of the futures wallet from `since` on, oldest first: GET /fapi/v1/income (weight 30), once
   * per cash-flow income type (TRANSFER, INTERNAL_TRANSFER), startTime = since, limit 1000. Binance answers oldest
   * first, both times inclusive, and only the last three months. A full page continues from its newest row's time,
   * inclusive, rows deduplicated by tranId (unique per income type), so rows sharing that millisecond are neither lost
   * nor doubled; a full page all within one millisecond cannot move on and ends that type's read (bounded:
   * INCOME_PAGES). Valued as the stream values them (normalize.ts incomeFlows): USD stablecoins 1:1, another asset's
   * outflow at the mark of its USDT perpetual known here (none before connect: then left out), its inflows left out.
   * The id is the stream's (`${time}:${asset}:${income}`), so a transfer seen on both is recorded once when Binance
   * stamps the push and the row with the same time. Emits nothing and changes no live state.
   */
  async fetchCashFlows(since: number): Promise<CashFlow[]> {
    // The income types are read side by side: a cold start waits for this before it measures the account.
    const perType = await Promise.all(CASH_FLOW_INCOME_TYPES.map((incomeType) => this.incomeRows(incomeType, since)));
    const rows = perType.flat().sort((a, b) => a.time - b.time);
    const marks = this.state?.marks;
    return this.norm(() => incomeFlows(rows, this.accountId, (asset) => marks?.get(`${asset}USDT`)?.price));
  }

  /** One income type's rows from `since` on, paged (see fetchCashFlows). */
  private async incomeRows(incomeType: string, since: number): Promise<IncomeRow[]> {
    const rows: IncomeRow[] = [];
    const seen = new Set<string>();
    let start = Math.max(0, Math.floor(since));
    for (let page = 0; page < INCOME_PAGES; page++) {
      const raw = await this.rest('fapiPrivateGetIncome', { incomeType, startTime: start, limit: INCOME_LIMIT });
      const got = this.norm(() => parseIncomeRows(raw));
      for (const r of got) {
        if (seen.has(r.tranId)) continue;
        seen.add(r.tranId);
        rows.push(r);
      }
      if (got.length < INCOME_LIMIT) break;
      const newest = got.reduce((m, r) => Math.max(m, r.time), start);
      if (newest <= start) break;
      start = newest;
    }
    return rows;
  }

  /**
   * One symbol's trades from `since` on, oldest first. userTrades answers at most 1,000 rows, oldest first, for a
   * startTime..endTime span of at most 7 days, and only for the last 6 months. So: 7-day windows from `since` (or 6
   * months ago) until the one that reaches now; a full page continues from its last row's time, inclusive (trades
   * sharing that millisecond are deduplicated by id, never skipped); a full page within one millisecond continues by
   * trade id. Without this a gap of over 7 days, or over 1,000 trades, lost every later fill.
   * Bounded (TRADE_PAGES): what is left is fetched by the next catch-up, which starts from the newest stored fill.
   */
  private async userTrades(symbol: string, since: number): Promise<Fill[]> {
    const now = this.now();
    const byId = new Map<string, Fill>();
    let start = Math.max(0, Math.floor(since), now - TRADE_HISTORY_MS);
    let fromId: number | null = null;
    for (let page = 0; page < TRADE_PAGES && start <= now; page++) {
      const params: Record<string, unknown> =
        fromId === null ? { symbol, startTime: start, endTime: start + TRADE_WINDOW_MS - 1, limit: TRADE_LIMIT } : { symbol, fromId, limit: TRADE_LIMIT };
      const raw = await this.rest('fapiPrivateGetUserTrades', params);
      const rows = this.norm(() => normalizeUserTrades(raw, this.ctx()));
      for (const f of rows) byId.set(f.tradeId, f);
      const last = rows[rows.length - 1];
      if (rows.length < TRADE_LIMIT || !last) {
        // A short page by id is the newest trade there is; by time, the end of this window.
        if (fromId !== null) break;
        start += TRADE_WINDOW_MS;
      } else if (last.time > start) {
        start = last.time;
        fromId = null;
      } else {
        fromId = Number(last.tradeId) + 1;
      }
    }
    return [...byId.values()].sort((a, b) => a.time - b.time || Number(a.tradeId) - Number(b.tradeId));
  }

  /**
   * The client order ids of the orders behind `trades` (userTrades has none): the open orders known here, then
   * allOrders from the oldest order on (ids grow per symbol), a page of 1000 at a time. Without them a bot's trades
   * fetched after a gap would count as manual. A failure is reported and leaves those trades to the symbol rules:
   * the fills are never held back for their attribution.
   */
  private async clientOrderIds(symbol: string, trades: Fill[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const o of this.openOrders.values()) if (o.symbol === symbol && o.clientOrderId) ids.set(o.orderId, o.clientOrderId);
    const wanted = new Set(trades.map((t) => t.orderId).filter((id) => !ids.has(id)));
    // A loop, not Math.min(...ids): a long gap can bring more ids than a call takes arguments.
    let from = Infinity;
    for (const id of wanted) from = Math.min(from, Number(id));
    try {
      for (let page = 0; page < ALL_ORDERS_PAGES && wanted.size > 0 && Number.isSafeInteger(from); page++) {
        const raw = await this.rest('fapiPrivateGetAllOrders', { symbol, orderId: from, limit: ALL_ORDERS_LIMIT });
        const rows = this.norm(() => normalizeAllOrders(raw));
        for (const o of rows) {
          wanted.delete(o.orderId);
          if (o.clientOrderId) ids.set(o.orderId, o.clientOrderId);
        }
        if (rows.length < ALL_ORDERS_LIMIT) break;
        from = Math.max(...rows.map((o) => Number(o.orderId))) + 1;
      }
    } catch (e) {
      this.emit({ type: 'error', error: toExchangeError(e) });
    }
    return ids;
  }

  async fetchCandles(symbol: string, interval: CandleInterval, since?: number, limit = 500): Promise<Candle[]> {
    const params: Record<string, unknown> = { symbol: SymbolId.parse(symbol), interval: CandleIntervalSchema.parse(interval), limit: Math.min(1500, Math.max(1, limit)) };
    if (since !== undefined) params.startTime = since;
    const raw = await this.rest('fapiPublicGetKlines', params);
    return this.norm(() => normalizeKlines(raw));
  }

  async fetchOrderBook(symbol: string, depth = 20): Promise<OrderBook> {
    const s = SymbolId.parse(symbol);
    const limit = DEPTH_LIMITS.find((l) => l >= depth) ?? 1000;
    const raw = await this.rest('fapiPublicGetDepth', { symbol: s, limit });
    const book = this.norm(() => normalizeDepth(raw, s, this.now()));
    return { ...book, bids: book.bids.slice(0, depth), asks: book.asks.slice(0, depth) };
  }

  /** A window's public trades (GET /fapi/v1/aggTrades, weight 20 a call), newest first, up to the request's caps. */
  async fetchTrades(req: TradesRequest): Promise<TradeWindow> {
    const symbol = SymbolId.parse(req.symbol);
    return readTradeWindow(async (params) => {
      const raw = await this.rest('fapiPublicGetAggTrades', { symbol, ...params });
      return this.norm(() => normalizeAggTrades(raw));
    }, req);
  }

  // ---------- actions ----------

  private async freshPosition(symbol: string, side: PositionSide): Promise<Position | null> {
    const raw = await this.rest('fapiPrivateV3GetPositionRisk', { symbol }, 'act');
    const list = this.norm(() => normalizePositionRisk(raw, { ...this.ctx(), settings: this.settings }));
    return list.find((p) => p.symbol === symbol && p.side === side) ?? null;
  }

  private once(key: string, f: () => Promise<ActionResult>): Promise<ActionResult> {
    const prior = this.actions.get(key);
    if (prior) return prior;
    const p = f();
    this.actions.set(key, p);
    // A failed attempt may be tried again with the same id.
    p.catch(() => this.actions.delete(key));
    if (this.actions.size > 1000) {
      const first = this.actions.keys().next().value;
      if (first !== undefined) this.actions.delete(first);
    }
    return p;
  }

  closePosition(req: ClosePositionRequest): Promise<ActionResult> {
    const r = CloseSchema.safeParse(req);
    if (!r.success) return Promise.reject(new InvalidOrderError(`binance close: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { venue: 'binance' }));
    return this.once(`close:${r.data.clientOrderId}`, () => this.doClose(r.data));
  }

  private async doClose(req: z.infer<typeof CloseSchema>): Promise<ActionResult> {
    // The streamed position first (no round trip before acting); the venue's own answer if the order is refused.
    const known = this.state ? (positionsOf(this.state).find((p) => p.symbol === req.symbol && p.side === req.side) ?? null) : null;
    if (known) {
      try {
        return await this.sendClose(req, known);
      } catch (e) {
        // -2022 "ReduceOnly Order is rejected": the streamed size was stale (the position shrank); ask the venue.
        if (!(e instanceof InvalidOrderError) || e.code !== -2022) throw e;
      }
    }
    return this.sendClose(req, await this.freshPosition(req.symbol, req.side));
  }

  private async sendClose(req: z.infer<typeof CloseSchema>, pos: Position | null): Promise<ActionResult> {
    const rule = await this.ruleOf(req.symbol);
    if (!pos || pos.size === 0) return { status: 'noop', orderIds: [], filledSize: 0, remainingSize: 0 };
    const size = Math.abs(pos.size);
    let qty: number;
    if (req.size !== undefined && req.size < size) {
      // What an earlier answer left to close: that much (reduce-only orders need no minimum notional), never all.
      qty = floorStep(req.size, rule.lotStep);
      if (qty < rule.lotStep) return { status: 'noop', orderIds: [], filledSize: 0, remainingSize: 0 };
    } else {
      qty = req.fraction >= 1 || req.size !== undefined ? size : floorStep(size * req.fraction, rule.lotStep);
      // Below one lot nothing smaller can be sent: close it all. A one-way close is reduce-only, which Binance exempts
      // from the minimum notional ("unless you choose reduce only"), so a small share stays a small share (closing
      // back $60 added to a halted position must not close all of it); a hedge-mode close carries no such flag.
      const belowMin = pos.hedged && rule.minNotional > 0 && qty * (pos.markPrice ?? pos.entryPrice) < rule.minNotional;
      if (qty < rule.lotStep || (belowMin && req.fraction < 1)) qty = size;
    }
    const mark = pos.markPrice ?? this.state?.marks.get(req.symbol)?.price ?? pos.entryPrice;
    const closingSide = pos.side === 'long' ? 'SELL' : 'BUY';
    // Market with a cap = a marketable limit IOC at mark -/+ the cap: it takes liquidity like a market order and
    // never fills beyond the worst price; what cannot fill inside the cap expires and is reported as remaining.
    const limit = closingSide === 'SELL' ? ceilStep(mark * (1 - req.maxSlippagePct / 100), rule.tickSize) : floorStep(mark * (1 + req.maxSlippagePct / 100), rule.tickSize);
    const params: Record<string, unknown> = {
      symbol: req.symbol,
      side: closingSide,
      type: 'LIMIT',
      timeInForce: 'IOC',
      quantity: fmtStep(qty, rule.lotStep),
      price: fmtStep(limit, rule.tickSize),
      newClientOrderId: req.clientOrderId,
      newOrderRespType: 'RESULT',
    };
    if (pos.hedged) params.positionSide = pos.side === 'long' ? 'LONG' : 'SHORT';
    else params.reduceOnly = 'true';
    // A send under this id got no answer before: if that order reached Binance, its outcome is this one's.
    let raw: unknown = this.unanswered.has(req.clientOrderId) ? await this.placedOrder(req.symbol, req.clientOrderId) : null;
    if (raw === null) {
      try {
        raw = await this.rest('fapiPrivatePostOrder', params, 'trade');
      } catch (e) {
        // No answer, or a 5xx (Binance: "execution status unknown"): look the order up by its id before anyone sends
        // it again.
        if (!(e instanceof NetworkError) && !(e instanceof ExchangeUnavailableError)) throw e;
        this.unanswered.add(req.clientOrderId);
        raw = await this.placedOrder(req.symbol, req.clientOrderId);
        // Binance has no such order (-2013): it was not placed. The error stands, retryable: the order is sent again
        // (same id, looked up first again, in case it arrives late).
        if (raw === null) throw e;
      }
    }
    this.unanswered.delete(req.clientOrderId);
    const n = this.norm(() => normalizeOrder(raw, this.orderCtx()));
    if (!n) throw new BadPayloadError('binance close: order answer without a quantity', { venue: 'binance', issues: ['origQty'] });
    const filled = n.order.filled;
    // What this action set out to close and did not (an IOC leftover outside the cap): from the order's own quantity,
    // which for an order found by its id is what was sent then, not what this call would send now.
    const remaining = Math.max(0, n.order.size - filled);
    const status: ActionResult['status'] = remaining <= rule.lotStep / 2 ? 'filled' : filled > 0 ? 'partial' : n.status === 'new' ? 'accepted' : 'partial';
    return { status, orderIds: [n.order.orderId], filledSize: filled, remainingSize: remaining <= rule.lotStep / 2 ? 0 : remaining };
  }

  /** The order sent under a client order id, or null when Binance has none (-2013: it was never placed). */
  private async placedOrder(symbol: string, clientOrderId: string): Promise<unknown> {
    try {
      return await this.rest('fapiPrivateGetOrder', { symbol, origClientOrderId: clientOrderId }, 'act');
    } catch (e) {
      if (e instanceof InvalidOrderError && e.code === -2013) return null;
      throw e;
    }
  }

  async cancelOrders(req: CancelOrdersRequest): Promise<ActionResult> {
    const symbol = req.symbol === undefined ? undefined : SymbolId.parse(req.symbol);
    const ordRaw = await this.rest('fapiPrivateGetOpenOrders', symbol ? { symbol } : {}, 'act');
    const algoRaw = await this.rest('fapiPrivateGetOpenAlgoOrders', symbol ? { symbol } : {}, 'act');
    const open = this.norm(() => [...normalizeOpenOrders(ordRaw, this.orderCtx()), ...normalizeOpenAlgoOrders(algoRaw, this.orderCtx())]);
    if (req.orderIds) return this.cancelListed(open, new Set(req.orderIds));
    const symbols = symbol ? [symbol] : [...new Set(open.map((o) => o.symbol))];
    for (const s of symbols) {
      const has = (algo: boolean) => open.some((o) => o.symbol === s && o.orderId.startsWith('algo:') === algo);
      if (has(false) || symbol) await this.rest('fapiPrivateDeleteAllOpenOrders', { symbol: s }, 'trade');
      if (has(true) || symbol) await this.rest('fapiPrivateDeleteAlgoOpenOrders', { symbol: s }, 'trade');
    }
    const ids = open.map((o) => o.orderId);
    return { status: ids.length ? 'accepted' : 'noop', orderIds: ids, filledSize: 0, remainingSize: 0 };
  }

  /** Cancels only the listed orders that are still open (one by one, so protective stops on the symbol stay). */
  private async cancelListed(open: OpenOrder[], ids: Set<string>): Promise<ActionResult> {
    const done: string[] = [];
    for (const o of open) {
      if (!ids.has(o.orderId)) continue;
      try {
        if (o.orderId.startsWith('algo:')) await this.rest('fapiPrivateDeleteAlgoOrder', { algoId: o.orderId.slice(5) }, 'trade');
        else await this.rest('fapiPrivateDeleteOrder', { symbol: o.symbol, orderId: o.orderId }, 'trade');
        done.push(o.orderId);
      } catch (e) {
        // Filled or cancelled between the listing and the cancel: nothing left to do for it.
        if (e instanceof InvalidOrderError && (e.code === -2011 || e.code === -20124)) continue;
        throw e;
      }
    }
    return { status: done.length ? 'accepted' : 'noop', orderIds: done, filledSize: 0, remainingSize: 0 };
  }

  placeProtectiveStop(req: ProtectiveStopRequest): Promise<ActionResult> {
    const r = StopSchema.safeParse(req);
    if (!r.success) return Promise.reject(new InvalidOrderError(`binance stop: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { venue: 'binance' }));
    return this.once(`stop:${r.data.clientOrderId}`, () => this.doStop(r.data));
  }

  private async doStop(req: z.infer<typeof StopSchema>): Promise<ActionResult> {
    const rule = await this.ruleOf(req.symbol);
    const pos = await this.freshPosition(req.symbol, req.side);
    if (!pos || pos.size === 0) return { status: 'noop', orderIds: [], filledSize: 0, remainingSize: 0 };
    const closingSide = pos.side === 'long' ? 'SELL' : 'BUY';
    // Rounded away from the mark so the stop never sits closer than asked.
    const trigger = closingSide === 'SELL' ? floorStep(req.stopPrice, rule.tickSize) : ceilStep(req.stopPrice, rule.tickSize);
    // STOP_MARKET on /fapi/v1/order is rejected (-4120) since 2025-12-09: conditional orders go to the algo endpoint.
    const params: Record<string, unknown> = {
      algoType: 'CONDITIONAL',
      symbol: req.symbol,
      side: closingSide,
      type: 'STOP_MARKET',
      quantity: fmtStep(Math.abs(pos.size), rule.lotStep),
      triggerPrice: fmtStep(trigger, rule.tickSize),
      workingType: 'MARK_PRICE',
      clientAlgoId: req.clientOrderId,
    };
    if (pos.hedged) params.positionSide = pos.side === 'long' ? 'LONG' : 'SHORT';
    else params.reduceOnly = 'true';
    const raw = await this.rest('fapiPrivatePostAlgoOrder', params, 'trade');
    const n = this.norm(() => normalizeAlgoOrder(raw, this.orderCtx()));
    if (n) this.trackOrder(n.order, n.status);
    return { status: 'accepted', orderIds: n ? [n.order.orderId] : [], filledSize: 0, remainingSize: 0 };
  }

  async setDeadManSwitch(req: { timeoutMs: number | null; symbol?: string }): Promise<void> {
    const r = DeadManSchema.safeParse(req);
    if (!r.success) throw new InvalidOrderError(`binance dead-man's switch: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { venue: 'binance' });
    const { timeoutMs, symbol } = r.data;
    // countdownCancelAll works per symbol: without one, every symbol with open orders or positions is armed.
    const targets = symbol
      ? [symbol]
      : timeoutMs === null
        ? [...this.deadManSymbols]
        : [...new Set([...this.openOrders.values()].map((o) => o.symbol).concat(this.state ? [...this.state.positions.values()].map((p) => p.symbol) : []))];
    for (const s of targets) {
      await this.rest('fapiPrivatePostCountdownCancelAll', { symbol: s, countdownTime: timeoutMs ?? 0 }, 'trade');
      if (timeoutMs === null) this.deadManSymbols.delete(s);
      else this.deadManSymbols.add(s);
    }
  }
}

export const createBinanceAdapter = (config: AdapterConfig, options?: BinanceAdapterOptions): BinanceAdapter => new BinanceAdapter(config, options);
