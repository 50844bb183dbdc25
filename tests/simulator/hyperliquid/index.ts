/**
 * The Hyperliquid venue of the simulator: POST /info, POST /exchange (signed L1 actions, verified as the venue
 * does) and the websocket at /hyperliquid/ws (subscribe / unsubscribe / post / ping, and pushes). The core applies
 * HTTP faults, delays, malformed bodies and frames, stalls and clock skew; this module honours rejectOrders and
 * counts info weight through ctx.addWeight.
 *
 * Fills happen at the mark (ctx.mark) plus or minus a configurable slippage; there is no order book matching.
 * Resting limit and trigger orders fill or trigger on price ticks. Liquidation prices are computed and reported,
 * but the simulator never liquidates by itself (a test scripts that if it needs it).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { z } from 'zod';
import type { SimContext, VenueModule } from '../venue';
import { type AssetSpec, type DexBook, Ledger, newBook, num, type RawFill, type RawLedgerUpdate, type SimAccount, type SimOrder } from './ledger';
import { ExchangeBodySchema, recoverL1Signer } from './signing';
import { levelFactor, syntheticCandles } from '../market-series';

const addr = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/)
  .transform((s) => s.toLowerCase());

/** Default main-dex universe (order = asset index), matching the price engine's default symbols. */
export const DEFAULT_UNIVERSE: AssetSpec[] = [
  { name: 'BTC', szDecimals: 5, maxLeverage: 40 },
  { name: 'ETH', szDecimals: 4, maxLeverage: 25 },
  { name: 'SOL', szDecimals: 2, maxLeverage: 20 },
  { name: 'XRP', szDecimals: 0, maxLeverage: 20 },
  { name: 'BNB', szDecimals: 3, maxLeverage: 10 },
  { name: 'DOGE', szDecimals: 0, maxLeverage: 10 },
  { name: 'ADA', szDecimals: 0, maxLeverage: 10 },
  { name: 'AVAX', szDecimals: 2, maxLeverage: 10 },
  { name: 'LINK', szDecimals: 1, maxLeverage: 10 },
  { name: 'LTC', szDecimals: 2, maxLeverage: 10 },
];

/** Info weights: these cost 2, userRole 60, everything else 20 (+1 per 20 fills / 60 candles returned). */
const LIGHT = new Set(['clearinghouseState', 'l2Book', 'allMids', 'orderStatus', 'spotClearinghouseState', 'exchangeStatus']);
const weightOf = (type: string, items: number) =>
  LIGHT.has(type)
    ? 2
    : type === 'userRole'
      ? 60
      : type === 'userFills' || type === 'userFillsByTime' || type === 'historicalOrders'
        ? 20 + Math.floor(items / 20)
        : type === 'candleSnapshot'
          ? 20 + Math.floor(items / 60)
          : 20;

const MIN_ORDER_USD = 10;
const SCHEDULE_MIN_AHEAD_MS = 5_000;
const SCHEDULE_MAX_PER_DAY = 10;
const NONCE_PAST_MS = 2 * 86_400_000;
const NONCE_FUTURE_MS = 86_400_000;
const FILLS_MAX = 10_000;
const LEDGER_MAX = 10_000;
/** Entries per userNonFundingLedgerUpdates answer (the venue's cap on time-range info requests). */
const LEDGER_PAGE = 500;
/** The counterparty a scripted transfer names when the test gives none. */
const OTHER_PARTY = '0x000000000000000000000000000000000000dead';
const DESERIALIZE_ERROR = 'Failed to deserialize the JSON body into the target type';

// ---------------------------------------------------------------------------------------------------------------
// Request schemas
// ---------------------------------------------------------------------------------------------------------------

const userReq = { user: addr };
/** l2Book's aggregation: 2 to 5 significant figures (null: full precision); a mantissa of 2 or 5 only at 5. */
const l2Aggregation = {
  nSigFigs: z.union([z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).nullish(),
  mantissa: z.union([z.literal(2), z.literal(5)]).nullish(),
};
const InfoSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('clearinghouseState'), ...userReq, dex: z.string().optional() }),
  z.object({ type: z.literal('openOrders'), ...userReq, dex: z.string().optional() }),
  z.object({ type: z.literal('frontendOpenOrders'), ...userReq, dex: z.string().optional() }),
  z.object({ type: z.literal('userFills'), ...userReq, aggregateByTime: z.boolean().optional() }),
  z.object({
    type: z.literal('userFillsByTime'),
    ...userReq,
    startTime: z.number().int().nonnegative(),
    endTime: z.number().int().nonnegative().nullish(),
    aggregateByTime: z.boolean().optional(),
    reversed: z.boolean().optional(),
  }),
  z.object({ type: z.literal('allMids'), dex: z.string().optional() }),
  z.object({ type: z.literal('meta'), dex: z.string().optional() }),
  z.object({ type: z.literal('metaAndAssetCtxs'), dex: z.string().optional() }),
  z.object({ type: z.literal('perpDexs') }),
  z.object({ type: z.literal('l2Book'), coin: z.string(), ...l2Aggregation }),
  z.object({
    type: z.literal('candleSnapshot'),
    req: z.object({ coin: z.string(), interval: z.string(), startTime: z.number().int().nonnegative(), endTime: z.number().int().nonnegative().nullish() }),
  }),
  z.object({ type: z.literal('orderStatus'), ...userReq, oid: z.union([z.number().int(), z.string()]) }),
  z.object({ type: z.literal('userRole'), ...userReq }),
  z.object({
    type: z.literal('userNonFundingLedgerUpdates'),
    ...userReq,
    startTime: z.number().int().nonnegative().optional(),
    endTime: z.number().int().nonnegative().nullish(),
  }),
  z.object({ type: z.literal('extraAgents'), ...userReq }),
]);
type InfoReq = z.infer<typeof InfoSchema>;

const decStr = z.string().regex(/^\d+(\.\d+)?$/);
const OrderWire = z.object({
  a: z.number().int().nonnegative(),
  b: z.boolean(),
  p: decStr,
  s: decStr,
  r: z.boolean(),
  t: z.union([
    z.object({ limit: z.object({ tif: z.enum(['Gtc', 'Ioc', 'Alo', 'FrontendMarket']) }) }),
    z.object({ trigger: z.object({ isMarket: z.boolean(), triggerPx: decStr, tpsl: z.enum(['tp', 'sl']) }) }),
  ]),
  c: z.string().regex(/^0x[0-9a-fA-F]{32}$/).optional(),
});
const ActionSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('order'),
    orders: z.array(OrderWire).min(1).max(1000),
    grouping: z.union([z.enum(['na', 'normalTpsl', 'positionTpsl']), z.object({ p: z.number() })]).optional(),
    builder: z.object({ b: z.string(), f: z.number() }).optional(),
  }),
  z.object({ type: z.literal('cancel'), cancels: z.array(z.object({ a: z.number().int().nonnegative(), o: z.number().int().nonnegative() })).min(1).max(1000) }),
  z.object({
    type: z.literal('cancelByCloid'),
    cancels: z.array(z.object({ asset: z.number().int().nonnegative(), cloid: z.string() })).min(1).max(1000),
  }),
  z.object({ type: z.literal('scheduleCancel'), time: z.number().int().nonnegative().optional() }),
  z.object({ type: z.literal('noop') }),
]);
type Action = z.infer<typeof ActionSchema>;

const SubSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('clearinghouseState'), user: addr, dex: z.string().optional() }),
  z.object({ type: z.literal('userFills'), user: addr, aggregateByTime: z.boolean().optional() }),
  z.object({ type: z.literal('orderUpdates'), user: addr }),
  z.object({ type: z.literal('userNonFundingLedgerUpdates'), user: addr }),
  z.object({ type: z.literal('allMids'), dex: z.string().optional() }),
  z.object({ type: z.literal('l2Book'), coin: z.string(), ...l2Aggregation }),
]);
type Sub = z.infer<typeof SubSchema>;
const WsMessageSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('subscribe'), subscription: z.unknown() }),
  z.object({ method: z.literal('unsubscribe'), subscription: z.unknown() }),
  z.object({ method: z.literal('ping') }),
  z.object({
    method: z.literal('post'),
    id: z.number().int(),
    request: z.object({ type: z.enum(['info', 'action']), payload: z.unknown() }),
  }),
]);

// ---------------------------------------------------------------------------------------------------------------
// Control schemas
// ---------------------------------------------------------------------------------------------------------------

const PositionInput = z
  .object({
    coin: z.string().min(1),
    szi: z.number().finite(),
    entryPx: z.number().positive(),
    leverage: z.number().positive().max(100).default(10),
    isolated: z.boolean().default(false),
    margin: z.number().positive().optional(),
  })
  .strict();
const Control = {
  createAccount: z
    .object({
      address: addr,
      agents: z.array(addr).max(10).default([]),
      balance: z.number().nonnegative().default(10_000),
      /** Collateral per HIP-3 dex (each dex is its own clearinghouse). */
      dexBalances: z.record(z.string(), z.number().nonnegative()).default({}),
    })
    .strict(),
  approveAgent: z.object({ address: addr, agent: addr, name: z.string().default('') }).strict(),
  setPositions: z.object({ address: addr, dex: z.string().default(''), positions: z.array(PositionInput).max(100) }).strict(),
  setBalance: z.object({ address: addr, dex: z.string().default(''), balance: z.number() }).strict(),
  trade: z
    .object({
      address: addr,
      coin: z.string().min(1),
      side: z.enum(['buy', 'sell']),
      size: z.number().positive(),
      price: z.number().positive().optional(),
    })
    .strict(),
  addDex: z.object({ name: z.string().regex(/^[a-z0-9]{1,8}$/), collateral: z.string().default('USDC') }).strict(),
  addAsset: z
    .object({ dex: z.string().default(''), name: z.string().min(1), szDecimals: z.number().int().min(0).max(8), maxLeverage: z.number().int().positive().max(100) })
    .strict(),
  configure: z
    .object({
      slippageBps: z.number().nonnegative().max(1000).optional(),
      takerFeeBps: z.number().min(-10).max(100).optional(),
      /** Largest size one IOC / market order fills per coin (more stays unfilled): scripts partial closes. */
      maxFillSize: z.record(z.string(), z.number().positive()).optional(),
      testnet: z.boolean().optional(),
    })
    .strict(),
  account: z.object({ address: addr }).strict(),
  push: z.object({ address: addr }).strict(),
  ledger: z.preprocess(
    // `user` is accepted for `address` (the name the venue's own requests use).
    (v) => (v && typeof v === 'object' && 'user' in v && !('address' in v) ? (({ user, ...rest }) => ({ ...rest, address: user }))(v as Record<string, unknown>) : v),
    z
      .object({
        address: addr,
        /** Signed change of the main-dex perp balance before any fee: + in, - out. */
        usdc: z.number().finite().refine((v) => v !== 0, 'usdc is never 0'),
        /** Default: deposit when usdc > 0, withdraw when < 0. */
        type: z.enum(['deposit', 'withdraw', 'accountClassTransfer', 'internalTransfer', 'subAccountTransfer', 'vaultDeposit', 'vaultWithdraw']).optional(),
        /** withdraw / internalTransfer out: taken from the balance on top of |usdc|. */
        fee: z.number().nonnegative().default(0),
        /** internalTransfer / subAccountTransfer: the other side (default a fixed address). */
        counterparty: addr.optional(),
        /** Vault address for vaultDeposit / vaultWithdraw. */
        vault: addr.optional(),
        /** Push the new clearinghouseState before the ledger entry (the order the adapter must cope with). */
        stateFirst: z.boolean().default(false),
        /** false: the entry is only in the info answer, never pushed on the websocket. */
        pushLedger: z.boolean().default(true),
        /** Real time (ms) between the first push and the second: a client cannot get both in one read. */
        gapMs: z.number().int().min(0).max(10_000).default(0),
        /** History: `count` such entries (each a movement of `usdc`), the first stamped `time` (default now), then every `everyMs`. */
        count: z.number().int().min(1).max(5_000).default(1),
        time: z.number().int().nonnegative().optional(),
        everyMs: z.number().int().nonnegative().default(0),
      })
      .strict(),
  ),
};

interface Client {
  socket: WebSocket;
  subs: Map<string, Sub>;
}

export interface HyperliquidSimConfig {
  slippageBps: number;
  takerFeeBps: number;
  maxFillSize: Record<string, number>;
  testnet: boolean;
}

/**
 * The venue's tick rule, written independently of the adapter's formatter so one cannot hide the other's bug:
 * integers always pass; otherwise at most 6 - szDecimals decimals and 5 significant figures.
 */
export function validTick(p: string, szDecimals: number): boolean {
  const v = Number(p);
  if (!(v > 0)) return false;
  if (Number.isInteger(v)) return true;
  const decimals = (p.split('.')[1] ?? '').replace(/0+$/, '').length;
  return decimals <= 6 - szDecimals && Number(v.toPrecision(5)) === v;
}
export const validLot = (s: string, szDecimals: number) => (s.split('.')[1] ?? '').replace(/0+$/, '').length <= szDecimals;

/**
 * Writes a response without content-length (chunked): the core may swap the body for a malformed one after the
 * headers are written, and a fixed length would then leave the client waiting for bytes that never come.
 */
function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
  res.end(text);
}

export function createHyperliquidModule(ctx: SimContext): VenueModule {
  const dexes = new Map<string, { collateral: string; universe: AssetSpec[] }>();
  const accounts = new Map<string, SimAccount>();
  const agentOwner = new Map<string, string>();
  const clients = new Set<Client>();
  const timers = new Set<NodeJS.Timeout>();
  let config: HyperliquidSimConfig;
  let nextOid: number;
  let nextTid: number;
  const calls = new Map<string, number>();

  function init(): void {
    dexes.clear();
    dexes.set('', { collateral: 'USDC', universe: DEFAULT_UNIVERSE.map((a) => ({ ...a })) });
    accounts.clear();
    agentOwner.clear();
    for (const t of timers) clearTimeout(t);
    timers.clear();
    calls.clear();
    config = { slippageBps: 5, takerFeeBps: 4.5, maxFillSize: {}, testnet: false };
    nextOid = 1_000_000;
    nextTid = 5_000_000;
  }
  init();

  const dexOfCoin = (coin: string) => (coin.includes(':') ? coin.slice(0, coin.indexOf(':')) : '');
  const specOf = (coin: string) => dexes.get(dexOfCoin(coin))?.universe.find((a) => a.name === coin);
  const markOf = (coin: string) => ctx.mark('hyperliquid', coin);
  const ledger = new Ledger(markOf, specOf);
  const dexIndex = (dex: string) => [...dexes.keys()].indexOf(dex);

  /** Asset id: the main dex index, or 100000 + dexIndex x 10000 + index on a HIP-3 dex. */
  function assetOf(a: number): { dex: string; spec: AssetSpec } | null {
    if (a < 100_000) {
      const spec = dexes.get('')!.universe[a];
      return spec ? { dex: '', spec } : null;
    }
    const di = Math.floor((a - 100_000) / 10_000);
    const dex = [...dexes.keys()][di];
    if (!dex) return null;
    const spec = dexes.get(dex)!.universe[(a - 100_000) % 10_000];
    return spec ? { dex, spec } : null;
  }
  function assetIdOf(coin: string): number {
    const dex = dexOfCoin(coin);
    const i = dexes.get(dex)?.universe.findIndex((a) => a.name === coin) ?? -1;
    return dex ? 100_000 + dexIndex(dex) * 10_000 + i : i;
  }

  function account(address: string): SimAccount {
    let acc = accounts.get(address);
    if (!acc) {
      acc = {
        address,
        agents: new Map(),
        dexes: new Map([['', newBook(0)]]),
        orders: new Map(),
        fills: [],
        ledgerUpdates: [],
        nonces: new Map(),
        scheduledCancel: null,
        scheduledTriggers: { day: 0, count: 0 },
      };
      accounts.set(address, acc);
    }
    return acc;
  }
  function book(acc: SimAccount, dex: string): DexBook {
    let b = acc.dexes.get(dex);
    if (!b) {
      b = newBook(0);
      acc.dexes.set(dex, b);
    }
    return b;
  }
  const emptyState = () => ledger.clearinghouseState(newBook(0), ctx.now());

  // -------------------------------------------------------------------------------------------------------------
  // Pushes
  // -------------------------------------------------------------------------------------------------------------

  const send = (c: Client, channel: string, data: unknown) => {
    if (c.socket.readyState === WebSocket.OPEN) c.socket.send(JSON.stringify({ channel, data }));
  };
  const subKey = (s: Sub) => JSON.stringify(s);

  function pushState(address: string, dex?: string): void {
    const acc = accounts.get(address);
    for (const c of clients) {
      for (const s of c.subs.values()) {
        if (s.type !== 'clearinghouseState' || s.user !== address) continue;
        const d = s.dex ?? '';
        if (dex !== undefined && d !== dex) continue;
        const state = acc?.dexes.has(d) ? ledger.clearinghouseState(acc.dexes.get(d)!, ctx.now()) : emptyState();
        send(c, 'clearinghouseState', { dex: d, user: address, clearinghouseState: state });
      }
    }
  }
  function pushLedger(address: string, updates: RawLedgerUpdate[]): void {
    for (const c of clients) {
      for (const s of c.subs.values()) {
        if (s.type === 'userNonFundingLedgerUpdates' && s.user === address) send(c, 'userNonFundingLedgerUpdates', { user: address, nonFundingLedgerUpdates: updates });
      }
    }
  }
  function pushFills(address: string, fills: RawFill[]): void {
    for (const c of clients) {
      for (const s of c.subs.values()) {
        if (s.type === 'userFills' && s.user === address) send(c, 'userFills', { user: address, fills });
      }
    }
  }
  const wireOrder = (o: SimOrder) => ({
    coin: o.coin,
    side: o.side,
    limitPx: o.limitPx,
    sz: num(o.sz),
    oid: o.oid,
    timestamp: o.timestamp,
    origSz: num(o.origSz),
    ...(o.cloid ? { cloid: o.cloid } : {}),
    ...(o.reduceOnly ? { reduceOnly: true } : {}),
  });
  function pushOrder(o: SimOrder, status: string): void {
    for (const c of clients) {
      for (const s of c.subs.values()) {
        if (s.type === 'orderUpdates' && s.user === o.user) send(c, 'orderUpdates', [{ order: wireOrder(o), status, statusTimestamp: ctx.now() }]);
      }
    }
  }
  function mids(dex: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const a of dexes.get(dex)?.universe ?? []) {
      const m = markOf(a.name);
      if (m !== undefined) out[a.name] = num(m, 8);
    }
    return out;
  }
  function pushMids(dexSet: Set<string>): void {
    for (const c of clients) {
      for (const s of c.subs.values()) {
        if (s.type !== 'allMids') continue;
        const d = s.dex ?? '';
        if (dexSet.has(d)) send(c, 'allMids', d ? { dex: d, mids: mids(d) } : { mids: mids(d) });
      }
    }
  }

  // Ticks are coalesced: one flush per event-loop turn, however many symbols moved.
  let dirtyDexes = new Set<string>();
  let flushScheduled = false;
  function flush(): void {
    flushScheduled = false;
    const moved = dirtyDexes;
    dirtyDexes = new Set();
    pushMids(moved);
    for (const acc of accounts.values()) {
      for (const d of acc.dexes.keys()) if (moved.has(d) && acc.dexes.get(d)!.positions.size > 0) pushState(acc.address, d);
    }
  }
  // Registered for the module's whole life, which is the simulator's (the core stops the price engine on close).
  ctx.onTick((venue, symbol) => {
    if (venue !== 'hyperliquid') return;
    const dex = dexOfCoin(symbol);
    if (!dexes.has(dex)) return;
    checkRestingOrders(symbol);
    dirtyDexes.add(dex);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  });

  // -------------------------------------------------------------------------------------------------------------
  // Trading
  // -------------------------------------------------------------------------------------------------------------

  function recordFill(acc: SimAccount, o: SimOrder, isBuy: boolean, size: number, px: number): RawFill {
    const b = book(acc, o.dex);
    const r = ledger.execute(b, o.coin, isBuy, size, px, config.takerFeeBps / 10_000);
    const spec = specOf(o.coin);
    const fill: RawFill = {
      coin: o.coin,
      px: num(px, 8),
      sz: num(size, spec?.szDecimals ?? 8),
      side: isBuy ? 'B' : 'A',
      time: ctx.now(),
      startPosition: num(r.startPosition, spec?.szDecimals ?? 8),
      dir: r.dir,
      closedPnl: num(r.closedPnl, 6),
      hash: `0x${randomBytes(32).toString('hex')}`,
      oid: o.oid,
      crossed: true,
      fee: num(r.fee, 6),
      tid: nextTid++,
      feeToken: dexes.get(o.dex)?.collateral ?? 'USDC',
      ...(o.cloid ? { cloid: o.cloid } : {}),
      twapId: null,
    };
    acc.fills.push(fill);
    if (acc.fills.length > FILLS_MAX) acc.fills.splice(0, acc.fills.length - FILLS_MAX);
    return fill;
  }

  /** Fill price: the mark moved against the taker by the configured slippage. */
  const takerPx = (mark: number, isBuy: boolean) => mark * (1 + ((isBuy ? 1 : -1) * config.slippageBps) / 10_000);

  function afterTrade(acc: SimAccount, dex: string, fills: RawFill[]): void {
    if (fills.length) pushFills(acc.address, fills);
    pushState(acc.address, dex);
  }

  type Status = { resting: { oid: number; cloid?: string } } | { filled: { totalSz: string; avgPx: string; oid: number; cloid?: string } } | { error: string };

  function placeOrder(acc: SimAccount, w: z.infer<typeof OrderWire>, grouping: string): Status {
    const asset = assetOf(w.a);
    if (!asset) return { error: `Asset ${w.a} is out of range.` };
    const { dex, spec } = asset;
    const tag = ` asset=${w.a}`;
    if (ctx.faults.rejectOrders && ctx.faults.rejectOrders.count > 0) {
      const r = ctx.faults.rejectOrders;
      r.count -= 1;
      if (r.count <= 0) ctx.faults.rejectOrders = null;
      return { error: r.message };
    }
    const trigger = 'trigger' in w.t ? w.t.trigger : null;
    if (!validTick(w.p, spec.szDecimals) || (trigger && !validTick(trigger.triggerPx, spec.szDecimals))) {
      return { error: `Price must be divisible by tick size.${tag}` };
    }
    if (!validLot(w.s, spec.szDecimals)) return { error: `Order has invalid size.${tag}` };
    const size = Number(w.s);
    const positionTpsl = grouping === 'positionTpsl';
    if (size === 0 && !positionTpsl) return { error: `Order has zero size.${tag}` };
    if (w.c && [...acc.orders.values()].some((o) => o.cloid === w.c)) return { error: `Duplicate cloid.${tag}` };
    const mark = markOf(spec.name);
    if (mark === undefined) return { error: `No liquidity available for market order.${tag}` };
    const b = book(acc, dex);
    const pos = b.positions.get(spec.name);
    const limitPx = Number(w.p);
    const o: SimOrder = {
      oid: nextOid++,
      user: acc.address,
      coin: spec.name,
      dex,
      asset: w.a,
      side: w.b ? 'B' : 'A',
      limitPx: w.p,
      sz: size,
      origSz: size,
      reduceOnly: w.r,
      cloid: w.c ?? null,
      timestamp: ctx.now(),
      tif: 'limit' in w.t ? w.t.limit.tif : null,
      trigger: trigger ? { triggerPx: Number(trigger.triggerPx), isMarket: trigger.isMarket, tpsl: trigger.tpsl } : null,
      isPositionTpsl: positionTpsl && trigger !== null,
    };
    const increases = !pos || Math.sign(pos.szi) === (w.b ? 1 : -1);
    if (w.r && increases) return { error: `Reduce only order would increase position.${tag}` };

    if (trigger) {
      if (positionTpsl && !pos) return { error: `Invalid TP/SL price.${tag}` };
      acc.orders.set(o.oid, o);
      pushOrder(o, 'open');
      return { resting: { oid: o.oid, ...(o.cloid ? { cloid: o.cloid } : {}) } };
    }

    const px = takerPx(mark, w.b);
    const marketable = w.b ? limitPx >= px : limitPx <= px;
    if (o.tif === 'Alo' && marketable) return { error: `Post only order would have immediately matched, bbo was ${num(mark)}@${num(mark)}.${tag}` };
    if (!marketable) {
      if (o.tif === 'Ioc' || o.tif === 'FrontendMarket') return { error: `Order could not immediately match against any resting orders.${tag}` };
      if (!w.r) {
        const s = ledger.summary(b);
        if (ledger.marginFor(b, spec.name, size, limitPx) > s.withdrawable) return { error: `Insufficient margin to place order.${tag}` };
        if (size * limitPx < MIN_ORDER_USD) return { error: `Order must have minimum value of $10.${tag}` };
      }
      acc.orders.set(o.oid, o);
      pushOrder(o, 'open');
      return { resting: { oid: o.oid, ...(o.cloid ? { cloid: o.cloid } : {}) } };
    }
    let qty = Math.min(size, config.maxFillSize[spec.name] ?? Number.POSITIVE_INFINITY);
    if (w.r && pos) qty = Math.min(qty, Math.abs(pos.szi));
    if (!w.r) {
      if (size * px < MIN_ORDER_USD) return { error: `Order must have minimum value of $10.${tag}` };
      const opening = pos && !increases ? Math.max(0, qty - Math.abs(pos.szi)) : qty;
      if (ledger.marginFor(b, spec.name, opening, px) > ledger.summary(b).withdrawable) return { error: `Insufficient margin to place order.${tag}` };
    }
    const fill = recordFill(acc, o, w.b, qty, px);
    o.sz = Math.max(0, size - qty);
    if (o.sz > 0 && o.tif === 'Gtc') {
      acc.orders.set(o.oid, o);
      pushOrder(o, 'open');
    } else {
      pushOrder(o, o.sz > 0 ? 'canceled' : 'filled');
    }
    afterTrade(acc, dex, [fill]);
    return { filled: { totalSz: num(qty, spec.szDecimals), avgPx: num(px, 8), oid: o.oid, ...(o.cloid ? { cloid: o.cloid } : {}) } };
  }

  /** Resting limits fill and triggers fire when the mark crosses them. */
  function checkRestingOrders(coin: string): void {
    const mark = markOf(coin);
    if (mark === undefined) return;
    for (const acc of accounts.values()) {
      const touched: RawFill[] = [];
      for (const o of [...acc.orders.values()]) {
        if (o.coin !== coin) continue;
        const isBuy = o.side === 'B';
        const b = book(acc, o.dex);
        const pos = b.positions.get(coin);
        if (o.trigger) {
          // Stop loss: a sell stop fires at or below its price, a buy stop at or above; take profit the other way.
          const t = o.trigger.triggerPx;
          const fires = (o.trigger.tpsl === 'sl') === !isBuy ? mark <= t : mark >= t;
          if (!fires) continue;
          acc.orders.delete(o.oid);
          pushOrder(o, 'triggered');
          const want = o.isPositionTpsl || o.sz === 0 ? Math.abs(pos?.szi ?? 0) : o.sz;
          const qty = o.reduceOnly ? Math.min(want, Math.abs(pos?.szi ?? 0)) : want;
          const px = o.trigger.isMarket ? takerPx(mark, isBuy) : Number(o.limitPx);
          if (qty <= 0 || (o.reduceOnly && pos && Math.sign(pos.szi) === (isBuy ? 1 : -1))) {
            pushOrder(o, 'reduceOnlyCanceled');
            continue;
          }
          touched.push(recordFill(acc, o, isBuy, qty, px));
          o.sz = 0;
          pushOrder(o, 'filled');
        } else {
          const limit = Number(o.limitPx);
          if (isBuy ? mark > limit : mark < limit) continue;
          let qty = o.sz;
          if (o.reduceOnly) {
            if (!pos || Math.sign(pos.szi) === (isBuy ? 1 : -1)) {
              acc.orders.delete(o.oid);
              pushOrder(o, 'reduceOnlyCanceled');
              continue;
            }
            qty = Math.min(qty, Math.abs(pos.szi));
          }
          acc.orders.delete(o.oid);
          touched.push(recordFill(acc, o, isBuy, qty, limit));
          o.sz = 0;
          pushOrder(o, 'filled');
        }
      }
      if (touched.length) afterTrade(acc, dexOfCoin(coin), touched);
    }
  }

  function cancelAllOf(acc: SimAccount, status: string): number {
    let n = 0;
    for (const o of [...acc.orders.values()]) {
      acc.orders.delete(o.oid);
      pushOrder(o, status);
      n += 1;
    }
    return n;
  }

  function armScheduledCancel(acc: SimAccount, time: number): void {
    acc.scheduledCancel = time;
    const t = setTimeout(
      () => {
        timers.delete(t);
        if (acc.scheduledCancel !== time) return;
        acc.scheduledCancel = null;
        const day = Math.floor(ctx.now() / 86_400_000);
        if (acc.scheduledTriggers.day !== day) acc.scheduledTriggers = { day, count: 0 };
        acc.scheduledTriggers.count += 1;
        cancelAllOf(acc, 'scheduledCancel');
      },
      Math.max(0, time - ctx.now()),
    );
    // Never keeps a test process alive.
    t.unref();
    timers.add(t);
  }

  // -------------------------------------------------------------------------------------------------------------
  // /info
  // -------------------------------------------------------------------------------------------------------------

  function frontendOrder(o: SimOrder) {
    const tr = o.trigger;
    const type = tr ? `${tr.tpsl === 'sl' ? 'Stop' : 'Take Profit'} ${tr.isMarket ? 'Market' : 'Limit'}` : 'Limit';
    return {
      ...wireOrder(o),
      cloid: o.cloid,
      reduceOnly: o.reduceOnly,
      sz: o.isPositionTpsl ? '0.0' : num(o.sz),
      origSz: o.isPositionTpsl ? '0.0' : num(o.origSz),
      triggerCondition: tr ? `Price ${(o.side === 'A') === (tr.tpsl === 'sl') ? 'below' : 'above'} ${num(tr.triggerPx)}` : 'N/A',
      isTrigger: tr !== null,
      triggerPx: tr ? num(tr.triggerPx) : '0.0',
      children: [],
      isPositionTpsl: o.isPositionTpsl,
      orderType: type,
      tif: tr ? null : o.tif,
    };
  }

  function candles(coin: string, interval: string, start: number, end: number): unknown[] {
    const step = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '4h': 14_400_000, '1d': 86_400_000 }[interval];
    const mark = markOf(coin);
    if (!step || mark === undefined) return [];
    const first = Math.ceil(start / step) * step;
    const last = Math.floor(Math.min(end, ctx.now()) / step) * step;
    // The price engine keeps no history per venue: the shared synthetic series, ending at the mark. Bounded at 5,000.
    // Prices as Hyperliquid writes them: at most 5 significant figures and 6 - szDecimals decimals.
    const maxDecimals = 6 - (specOf(coin)?.szDecimals ?? 0);
    const px = (x: number) => num(x, Math.max(0, Math.min(maxDecimals, 4 - Math.floor(Math.log10(Math.abs(x) || 1)))));
    return syntheticCandles(coin, step, first, last, mark, 5_000).map((k) => ({
      t: k.t,
      T: k.t + step - 1,
      s: coin,
      i: interval,
      o: px(k.o),
      c: px(k.c),
      h: px(k.h),
      l: px(k.l),
      v: num(k.v, 4),
      n: 20 + Math.round(k.v),
    }));
  }

  function info(req: InfoReq): unknown {
    const now = ctx.now();
    switch (req.type) {
      case 'clearinghouseState': {
        const acc = accounts.get(req.user);
        const d = req.dex ?? '';
        if (d && !dexes.has(d)) return null;
        return acc?.dexes.has(d) ? ledger.clearinghouseState(acc.dexes.get(d)!, now) : emptyState();
      }
      case 'openOrders':
      case 'frontendOpenOrders': {
        const acc = accounts.get(req.user);
        const d = req.dex ?? '';
        const orders = [...(acc?.orders.values() ?? [])].filter((o) => o.dex === d).sort((a, b) => b.timestamp - a.timestamp);
        return req.type === 'openOrders' ? orders.map(wireOrder) : orders.map(frontendOrder);
      }
      case 'userFills':
        return [...(accounts.get(req.user)?.fills ?? [])].reverse().slice(0, 2_000);
      case 'userFillsByTime': {
        const end = req.endTime ?? Number.POSITIVE_INFINITY;
        return (accounts.get(req.user)?.fills ?? []).filter((f) => f.time >= req.startTime && f.time <= end).slice(0, 2_000);
      }
      case 'allMids':
        return mids(req.dex ?? '');
      case 'meta':
      case 'metaAndAssetCtxs': {
        const d = dexes.get(req.dex ?? '');
        if (!d) return null;
        const meta = { universe: d.universe.map((a) => ({ name: a.name, szDecimals: a.szDecimals, maxLeverage: a.maxLeverage, marginTableId: a.maxLeverage })), marginTables: [], collateralToken: 0 };
        if (req.type === 'meta') return meta;
        const ctxs = d.universe.map((a) => {
          const m = num(markOf(a.name) ?? 0, 8);
          return { prevDayPx: m, dayNtlVlm: '0.0', markPx: m, midPx: m, funding: '0.0000125', openInterest: '0.0', premium: '0.0', oraclePx: m, impactPxs: [m, m], dayBaseVlm: '0.0' };
        });
        return [meta, ctxs];
      }
      case 'perpDexs':
        return [...dexes.entries()].map(([name, d]) => (name ? { name, fullName: name, deployer: '0x' + '0'.repeat(40), oracleUpdater: null, collateral: d.collateral } : null));
      case 'l2Book': {
        const mark = markOf(req.coin);
        const spec = specOf(req.coin);
        if (mark === undefined || !spec) return null;
        const tick = mark * 0.0001;
        const pxDecimals = 6 - spec.szDecimals;
        const level = (i: number, side: 1 | -1) => ({
          px: Number(num(mark + side * tick * (i + 1), pxDecimals)),
          sz: (1 + i) * levelFactor(req.coin, side === -1 ? 'bid' : 'ask', i),
          n: 1 + (i % 3),
        });
        // The resting book: one level a tick (1 bp) apart, out to 5% of the mark.
        const resting = (side: 1 | -1) => Array.from({ length: 500 }, (_, i) => level(i, side));
        // nSigFigs aggregates levels into buckets of that many significant figures (mantissa 2 or 5 makes the last one
        // a step of 2 or 5 at 5 figures): bids rounded down, asks up, so the buckets never cross. 20 levels a side.
        const aggregate = (levels: { px: number; sz: number; n: number }[], side: 1 | -1) => {
          if (!req.nSigFigs) return levels.slice(0, 20);
          const out: { px: number; sz: number; n: number }[] = [];
          for (const l of levels) {
            const step = 10 ** (Math.floor(Math.log10(l.px)) + 1 - req.nSigFigs) * (req.nSigFigs === 5 && req.mantissa ? req.mantissa : 1);
            const px = Number(((side === -1 ? Math.floor(l.px / step + 1e-9) : Math.ceil(l.px / step - 1e-9)) * step).toPrecision(12));
            const last = out[out.length - 1];
            if (last && last.px === px) {
              last.sz += l.sz;
              last.n += l.n;
            } else if (out.length === 20) break;
            else out.push({ ...l, px });
          }
          return out;
        };
        const wire = (levels: { px: number; sz: number; n: number }[]) => levels.map((l) => ({ px: num(l.px, pxDecimals), sz: num(l.sz, spec.szDecimals), n: l.n }));
        return { coin: req.coin, time: now, levels: [wire(aggregate(resting(-1), -1)), wire(aggregate(resting(1), 1))] };
      }
      case 'candleSnapshot':
        return candles(req.req.coin, req.req.interval, req.req.startTime, req.req.endTime ?? now);
      case 'orderStatus': {
        const o = accounts.get(req.user)?.orders.get(Number(req.oid));
        return o ? { status: 'order', order: { order: frontendOrder(o), status: 'open', statusTimestamp: o.timestamp } } : { status: 'unknownOid' };
      }
      case 'userRole': {
        if (accounts.has(req.user)) return { role: 'user' };
        return agentOwner.has(req.user) ? { role: 'agent', data: { user: agentOwner.get(req.user) } } : { role: 'missing' };
      }
      case 'userNonFundingLedgerUpdates': {
        const start = req.startTime ?? 0;
        const end = req.endTime ?? Number.POSITIVE_INFINITY;
        // The venue answers a time-range request with at most 500 entries, oldest first (its info endpoint docs).
        return (accounts.get(req.user)?.ledgerUpdates ?? []).filter((u) => u.time >= start && u.time <= end).slice(0, LEDGER_PAGE);
      }
      case 'extraAgents':
        return [...(accounts.get(req.user)?.agents.entries() ?? [])].map(([address, name]) => ({ name, address, validUntil: now + 86_400_000 * 180 }));
    }
  }

  function handleInfo(raw: unknown): { status: number; body: unknown } {
    const parsed = InfoSchema.safeParse(raw);
    if (!parsed.success) return { status: 422, body: DESERIALIZE_ERROR };
    calls.set(parsed.data.type, (calls.get(parsed.data.type) ?? 0) + 1);
    const out = info(parsed.data);
    ctx.addWeight('hyperliquid', weightOf(parsed.data.type, Array.isArray(out) ? out.length : 0));
    return { status: 200, body: out };
  }

  // -------------------------------------------------------------------------------------------------------------
  // /exchange
  // -------------------------------------------------------------------------------------------------------------

  const err = (response: string) => ({ status: 200, body: { status: 'err', response } });
  const ok = (type: string, statuses?: unknown[]) => ({
    status: 200,
    body: { status: 'ok', response: statuses ? { type, data: { statuses } } : { type } },
  });

  async function handleExchange(raw: unknown): Promise<{ status: number; body: unknown }> {
    const body = ExchangeBodySchema.safeParse(raw);
    if (!body.success) return { status: 422, body: DESERIALIZE_ERROR };
    const action = ActionSchema.safeParse(body.data.action);
    if (!action.success) return { status: 422, body: DESERIALIZE_ERROR };
    const rawAction = (raw as { action: Record<string, unknown> }).action;
    const signer = await recoverL1Signer(body.data, rawAction, config.testnet);
    if (!signer) return err('Invalid signature: could not recover the signer');
    const user = accounts.has(signer) ? signer : agentOwner.get(signer);
    if (!user) return err(`User or API Wallet ${signer} does not exist.`);
    const acc = account(user);
    const now = ctx.now();
    const nonce = body.data.nonce;
    // The venue accepts nonces within (now - 2 days, now + 1 day) and never the same nonce twice per signer.
    if (nonce < now - NONCE_PAST_MS || nonce > now + NONCE_FUTURE_MS) {
      return err(`Invalid nonce: nonce ${nonce} is too far from the current time ${now}`);
    }
    const used = acc.nonces.get(signer) ?? [];
    if (used.includes(nonce)) return err('Invalid nonce: duplicate nonce');
    if (used.length >= 100 && nonce < Math.min(...used)) return err('Invalid nonce: nonce too low');
    used.push(nonce);
    if (used.length > 100) used.splice(used.indexOf(Math.min(...used)), 1);
    acc.nonces.set(signer, used);
    if (body.data.expiresAfter != null && body.data.expiresAfter < now) return err(`Action expired at ${body.data.expiresAfter}`);
    if (body.data.vaultAddress) return err('Vault trading is not supported by the simulator');
    return runAction(acc, action.data);
  }

  function runAction(acc: SimAccount, a: Action): { status: number; body: unknown } {
    switch (a.type) {
      case 'order': {
        const grouping = typeof a.grouping === 'string' ? a.grouping : 'na';
        return ok('order', a.orders.map((w) => placeOrder(acc, w, grouping)));
      }
      case 'cancel':
        return ok(
          'cancel',
          a.cancels.map((c) => {
            const o = acc.orders.get(c.o);
            if (!o || o.asset !== c.a) return { error: `Order was never placed, already canceled, or filled. asset=${c.a}` };
            acc.orders.delete(o.oid);
            pushOrder(o, 'canceled');
            return 'success';
          }),
        );
      case 'cancelByCloid':
        return ok(
          'cancel',
          a.cancels.map((c) => {
            const o = [...acc.orders.values()].find((x) => x.cloid === c.cloid.toLowerCase() && x.asset === c.asset);
            if (!o) return { error: `Order was never placed, already canceled, or filled. asset=${c.asset}` };
            acc.orders.delete(o.oid);
            pushOrder(o, 'canceled');
            return 'success';
          }),
        );
      case 'scheduleCancel': {
        if (a.time === undefined) {
          acc.scheduledCancel = null;
          return ok('default');
        }
        if (a.time < ctx.now() + SCHEDULE_MIN_AHEAD_MS) return err('Scheduled cancel time too early, must be at least 5 seconds after current time.');
        const day = Math.floor(ctx.now() / 86_400_000);
        if (acc.scheduledTriggers.day === day && acc.scheduledTriggers.count >= SCHEDULE_MAX_PER_DAY) {
          return err('Too many scheduled cancel triggers today (limit 10).');
        }
        armScheduledCancel(acc, a.time);
        return ok('default');
      }
      case 'noop':
        return ok('default');
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Websocket
  // -------------------------------------------------------------------------------------------------------------

  function initialPush(c: Client, s: Sub): void {
    switch (s.type) {
      case 'clearinghouseState': {
        const acc = accounts.get(s.user);
        const d = s.dex ?? '';
        send(c, 'clearinghouseState', { dex: d, user: s.user, clearinghouseState: acc?.dexes.has(d) ? ledger.clearinghouseState(acc.dexes.get(d)!, ctx.now()) : emptyState() });
        return;
      }
      case 'userFills':
        send(c, 'userFills', { user: s.user, fills: [...(accounts.get(s.user)?.fills ?? [])].reverse().slice(0, 2_000), isSnapshot: true });
        return;
      case 'allMids':
        send(c, 'allMids', s.dex ? { dex: s.dex, mids: mids(s.dex) } : { mids: mids('') });
        return;
      case 'l2Book':
        send(c, 'l2Book', info({ type: 'l2Book', coin: s.coin, nSigFigs: s.nSigFigs, mantissa: s.mantissa }));
        return;
      case 'userNonFundingLedgerUpdates':
        send(c, 'userNonFundingLedgerUpdates', { user: s.user, nonFundingLedgerUpdates: accounts.get(s.user)?.ledgerUpdates ?? [], isSnapshot: true });
        return;
      case 'orderUpdates':
        return;
    }
  }

  async function onMessage(c: Client, text: string): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      send(c, 'error', `Invalid message: ${text.slice(0, 100)}`);
      return;
    }
    const m = WsMessageSchema.safeParse(raw);
    if (!m.success) {
      send(c, 'error', `Invalid message: ${text.slice(0, 200)}`);
      return;
    }
    const msg = m.data;
    switch (msg.method) {
      case 'ping':
        send(c, 'pong', undefined);
        return;
      case 'subscribe':
      case 'unsubscribe': {
        const s = SubSchema.safeParse(msg.subscription);
        if (!s.success) {
          send(c, 'error', `Invalid subscription ${JSON.stringify(msg.subscription)}`);
          return;
        }
        const key = subKey(s.data);
        if (msg.method === 'subscribe') {
          if (c.subs.has(key)) {
            send(c, 'error', `Already subscribed: ${JSON.stringify(msg.subscription)}`);
            return;
          }
          c.subs.set(key, s.data);
          send(c, 'subscriptionResponse', { method: 'subscribe', subscription: msg.subscription });
          initialPush(c, s.data);
        } else {
          if (!c.subs.delete(key)) {
            send(c, 'error', `Already unsubscribed: ${JSON.stringify(msg.subscription)}`);
            return;
          }
          send(c, 'subscriptionResponse', { method: 'unsubscribe', subscription: msg.subscription });
        }
        return;
      }
      case 'post': {
        const r = msg.request.type === 'info' ? handleInfo(msg.request.payload) : await handleExchange(msg.request.payload);
        if (r.status !== 200) {
          send(c, 'post', { id: msg.id, response: { type: 'error', payload: String(r.body) } });
          return;
        }
        const payload = msg.request.type === 'info' ? { type: 'info', payload: { type: 'info', data: r.body } } : { type: 'action', payload: r.body };
        send(c, 'post', { id: msg.id, response: payload });
        return;
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Control
  // -------------------------------------------------------------------------------------------------------------

  function parse<T extends z.ZodType>(schema: T, payload: unknown, action: string): z.output<T> {
    const r = schema.safeParse(payload);
    if (!r.success) throw new Error(`hyperliquid ${action}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    return r.data;
  }
  function existing(address: string, action: string): SimAccount {
    const acc = accounts.get(address);
    if (!acc) throw new Error(`hyperliquid ${action}: no account ${address} (createAccount first)`);
    return acc;
  }
  const requireDex = (dex: string, action: string) => {
    if (!dexes.has(dex)) throw new Error(`hyperliquid ${action}: unknown dex "${dex}" (addDex first)`);
  };

  /** The venue's ledger entry for a scripted cash movement, and the perp balance change it makes. */
  function ledgerEntry(user: string, p: z.output<typeof Control.ledger>): { update: RawLedgerUpdate; change: number } {
    const inflow = p.usdc > 0;
    const usdc = Math.abs(p.usdc);
    const type = p.type ?? (inflow ? 'deposit' : 'withdraw');
    const fee = !inflow && (type === 'withdraw' || type === 'internalTransfer') ? p.fee : 0;
    const other = p.counterparty ?? OTHER_PARTY;
    const vault = p.vault ?? OTHER_PARTY;
    const need = (ok: boolean, what: string) => {
      if (!ok) throw new Error(`hyperliquid ledger: ${type} ${what}`);
    };
    let delta: RawLedgerUpdate['delta'];
    switch (type) {
      case 'deposit':
        need(inflow, 'needs usdc > 0');
        delta = { type, usdc: num(usdc, 6) };
        break;
      case 'withdraw':
        need(!inflow, 'needs usdc < 0');
        delta = { type, usdc: num(usdc, 6), nonce: ctx.now(), fee: num(fee, 6) };
        break;
      case 'accountClassTransfer':
        delta = { type, usdc: num(usdc, 6), toPerp: inflow };
        break;
      case 'internalTransfer':
        delta = { type, usdc: num(usdc, 6), user: inflow ? other : user, destination: inflow ? user : other, fee: num(fee, 6) };
        break;
      case 'subAccountTransfer':
        delta = { type, usdc: num(usdc, 6), user: inflow ? other : user, destination: inflow ? user : other };
        break;
      case 'vaultDeposit':
        need(!inflow, 'needs usdc < 0 (money leaves the perp account)');
        delta = { type, vault, usdc: num(usdc, 6) };
        break;
      case 'vaultWithdraw':
        need(inflow, 'needs usdc > 0 (money comes back to the perp account)');
        delta = { type, vault, user, requestedUsd: num(usdc, 6), commission: '0.0', closingCost: '0.0', basis: num(usdc, 6), netWithdrawnUsd: num(usdc, 6) };
        break;
    }
    return { update: { time: ctx.now(), hash: `0x${randomBytes(32).toString('hex')}`, delta }, change: inflow ? usdc : -(usdc + fee) };
  }

  async function control(action: string, payload: unknown): Promise<unknown> {
    switch (action) {
      case 'createAccount': {
        const p = parse(Control.createAccount, payload, action);
        if (accounts.has(p.address)) throw new Error(`hyperliquid createAccount: ${p.address} exists`);
        if (agentOwner.has(p.address)) throw new Error(`hyperliquid createAccount: ${p.address} is already an agent`);
        const acc = account(p.address);
        book(acc, '').rawUsd = p.balance;
        for (const [dex, bal] of Object.entries(p.dexBalances)) {
          requireDex(dex, action);
          book(acc, dex).rawUsd = bal;
        }
        for (const a of p.agents) {
          if (accounts.has(a) || agentOwner.has(a)) throw new Error(`hyperliquid createAccount: agent ${a} is taken`);
          acc.agents.set(a, '');
          agentOwner.set(a, p.address);
        }
        return { address: p.address, agents: p.agents };
      }
      case 'approveAgent': {
        const p = parse(Control.approveAgent, payload, action);
        const acc = existing(p.address, action);
        if (accounts.has(p.agent) || (agentOwner.has(p.agent) && agentOwner.get(p.agent) !== p.address)) {
          throw new Error(`hyperliquid approveAgent: ${p.agent} is taken`);
        }
        acc.agents.set(p.agent, p.name);
        agentOwner.set(p.agent, p.address);
        return { ok: true };
      }
      case 'setPositions': {
        const p = parse(Control.setPositions, payload, action);
        requireDex(p.dex, action);
        const acc = existing(p.address, action);
        const b = book(acc, p.dex);
        for (const pos of p.positions) {
          const spec = specOf(pos.coin);
          if (!spec || dexOfCoin(pos.coin) !== p.dex) throw new Error(`hyperliquid setPositions: ${pos.coin} is not an asset of dex "${p.dex}"`);
          if (pos.leverage > spec.maxLeverage) throw new Error(`hyperliquid setPositions: leverage ${pos.leverage} above ${spec.maxLeverage} for ${pos.coin}`);
          ledger.setPosition(b, pos);
        }
        pushState(p.address, p.dex);
        return ledger.clearinghouseState(b, ctx.now());
      }
      case 'setBalance': {
        const p = parse(Control.setBalance, payload, action);
        requireDex(p.dex, action);
        const b = book(existing(p.address, action), p.dex);
        // The balance is what the account would be worth with no positions: keep the positions' notional.
        const notional = [...b.positions.values()].filter((x) => !x.isolated).reduce((a, x) => a + x.szi * x.entryPx, 0);
        b.rawUsd = p.balance - notional;
        pushState(p.address, p.dex);
        return { ok: true };
      }
      case 'trade': {
        const p = parse(Control.trade, payload, action);
        const acc = existing(p.address, action);
        const spec = specOf(p.coin);
        const mark = markOf(p.coin);
        if (!spec || mark === undefined) throw new Error(`hyperliquid trade: unknown coin ${p.coin} (or no price for it)`);
        const isBuy = p.side === 'buy';
        const o: SimOrder = {
          oid: nextOid++,
          user: acc.address,
          coin: p.coin,
          dex: dexOfCoin(p.coin),
          asset: assetIdOf(p.coin),
          side: isBuy ? 'B' : 'A',
          limitPx: num(p.price ?? mark),
          sz: p.size,
          origSz: p.size,
          reduceOnly: false,
          cloid: null,
          timestamp: ctx.now(),
          tif: 'Ioc',
          trigger: null,
          isPositionTpsl: false,
        };
        const fill = recordFill(acc, o, isBuy, p.size, p.price ?? takerPx(mark, isBuy));
        pushOrder({ ...o, sz: 0 }, 'filled');
        afterTrade(acc, o.dex, [fill]);
        return fill;
      }
      case 'addDex': {
        const p = parse(Control.addDex, payload, action);
        if (dexes.has(p.name)) throw new Error(`hyperliquid addDex: ${p.name} exists`);
        dexes.set(p.name, { collateral: p.collateral, universe: [] });
        return { dexes: [...dexes.keys()] };
      }
      case 'addAsset': {
        const p = parse(Control.addAsset, payload, action);
        requireDex(p.dex, action);
        const name = p.dex && !p.name.startsWith(`${p.dex}:`) ? `${p.dex}:${p.name}` : p.name;
        const d = dexes.get(p.dex)!;
        if (d.universe.some((a) => a.name === name)) throw new Error(`hyperliquid addAsset: ${name} exists`);
        d.universe.push({ name, szDecimals: p.szDecimals, maxLeverage: p.maxLeverage });
        return { name, asset: assetIdOf(name) };
      }
      case 'configure': {
        const p = parse(Control.configure, payload, action);
        config = {
          ...config,
          ...(p.slippageBps !== undefined ? { slippageBps: p.slippageBps } : {}),
          ...(p.takerFeeBps !== undefined ? { takerFeeBps: p.takerFeeBps } : {}),
          ...(p.maxFillSize !== undefined ? { maxFillSize: p.maxFillSize } : {}),
          ...(p.testnet !== undefined ? { testnet: p.testnet } : {}),
        };
        return config;
      }
      case 'account': {
        const p = parse(Control.account, payload, action);
        const acc = existing(p.address, action);
        return {
          address: acc.address,
          agents: [...acc.agents.keys()],
          dexes: Object.fromEntries([...acc.dexes.entries()].map(([d, b]) => [d, ledger.clearinghouseState(b, ctx.now())])),
          orders: [...acc.orders.values()].map(frontendOrder),
          fills: acc.fills.length,
          scheduledCancel: acc.scheduledCancel,
        };
      }
      case 'push': {
        const p = parse(Control.push, payload, action);
        pushState(p.address);
        return { ok: true };
      }
      case 'ledger': {
        const p = parse(Control.ledger, payload, action);
        const acc = existing(p.address, action);
        const made: ReturnType<typeof ledgerEntry>[] = [];
        for (let k = 0; k < p.count; k++) {
          const entry = ledgerEntry(acc.address, p);
          if (p.time !== undefined || k > 0) entry.update.time = (p.time ?? entry.update.time) + k * p.everyMs;
          book(acc, '').rawUsd += entry.change;
          acc.ledgerUpdates.push(entry.update);
          made.push(entry);
        }
        // Kept in time order (history stamped in the past goes before newer entries), as the venue answers.
        if (p.time !== undefined) acc.ledgerUpdates.sort((x, y) => x.time - y.time);
        if (acc.ledgerUpdates.length > LEDGER_MAX) acc.ledgerUpdates.splice(0, acc.ledgerUpdates.length - LEDGER_MAX);
        const updates = made.map((e) => e.update);
        const first = p.stateFirst ? () => pushState(acc.address, '') : () => p.pushLedger && pushLedger(acc.address, updates);
        const second = p.stateFirst ? () => p.pushLedger && pushLedger(acc.address, updates) : () => pushState(acc.address, '');
        first();
        if (p.gapMs > 0) await new Promise((r) => setTimeout(r, p.gapMs));
        second();
        const last = made[made.length - 1]!;
        return { ...last.update, balanceChange: made.reduce((t, e) => t + e.change, 0) };
      }
      case 'calls':
        return Object.fromEntries(calls);
      case 'subscriptions':
        return [...clients].map((c) => [...c.subs.values()]);
      default:
        throw new Error(`unknown hyperliquid control action: ${action}`);
    }
  }

  return {
    venue: 'hyperliquid',
    async http(_req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<boolean> {
      if (path !== '/info' && path !== '/exchange') return false;
      if (_req.method !== 'POST') {
        reply(res, 405, 'Method Not Allowed');
        return true;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(body);
      } catch {
        reply(res, 400, 'Failed to parse the request body as JSON');
        return true;
      }
      const r = path === '/info' ? handleInfo(raw) : await handleExchange(raw);
      reply(res, r.status, typeof r.body === 'string' && r.status !== 200 ? r.body : (r.body ?? null));
      return true;
    },
    ws(socket: WebSocket, path: string): boolean {
      if (!path.startsWith('/ws')) return false;
      const c: Client = { socket, subs: new Map() };
      clients.add(c);
      socket.on('message', (data) => {
        void onMessage(c, data.toString()).catch(() => send(c, 'error', 'internal error'));
      });
      socket.on('close', () => clients.delete(c));
      socket.on('error', () => clients.delete(c));
      return true;
    },
    control,
    dropConnections(): void {
      for (const c of clients) c.socket.terminate();
      clients.clear();
    },
    reset(): void {
      for (const c of clients) c.socket.terminate();
      clients.clear();
      init();
    },
    // The body the core sends with an injected HTTP fault: what the venue's edge answers.
    faultBody: (status: number) => (status === 429 ? 'Too many requests' : status >= 500 ? 'Internal Server Error' : `HTTP ${status}`),
  } as VenueModule & { faultBody: (status: number) => string };
}
