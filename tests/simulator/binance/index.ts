/**
 * Binance USD-M futures venue module for the simulator: the REST endpoints and websocket streams the adapter uses,
 * with Binance's authentication, error codes, request weights and field layouts (see docs/simulator.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { sendJson } from '../http-util';
import type { SimContext, VenueModule } from '../venue';
import { totalParams, verifySignature } from './auth';
import {
  BinanceEngine,
  BinanceReject,
  type AlgoType,
  type EngineEvent,
  type PositionSideRaw,
  type SideRaw,
  type SimAccount,
} from './engine';
import { makeSymbolInfo, type SymbolInfo } from './market';
import * as P from './payloads';
import { aggTrades, klines, depth } from './market-data';

type Auth = 'none' | 'key' | 'signed';

interface Req {
  params: URLSearchParams;
  acc: SimAccount | null;
  now: number;
}

interface Route {
  auth: Auth;
  /** Trading endpoints: a read-only key gets -2015. */
  trade?: boolean;
  weight: (p: URLSearchParams) => number;
  handler: (r: Req) => unknown;
}

const w = (n: number) => () => n;
const bySymbol = (withSym: number, without: number) => (p: URLSearchParams) => (p.get('symbol') ? withSym : without);
const byLimit = (table: [number, number][], fallback: number) => (p: URLSearchParams) => {
  const limit = Number(p.get('limit') ?? '500');
  return table.find(([max]) => limit <= max)?.[1] ?? fallback;
};

interface PrivateSocket {
  socket: WebSocket;
  streams: Set<string>;
  account: SimAccount | null;
  /** /stream?streams=... wraps each event as {stream, data}. */
  combined: boolean;
}

const Num = z.coerce.number().finite();
const CreateAccount = z
  .object({
    apiKey: z.string().min(8),
    apiSecret: z.string().min(8),
    balances: z.record(z.string(), z.number().nonnegative()).default({ USDT: 10_000 }),
    dualSidePosition: z.boolean().default(false),
    multiAssetsMargin: z.boolean().default(false),
    canTrade: z.boolean().default(true),
    slippageBps: z.number().nonnegative().max(1000).default(0),
    takerFee: z.number().nonnegative().max(0.01).default(0.0005),
    makerFee: z.number().min(-0.001).max(0.01).default(0.0002),
  })
  .strict();
const SetPosition = z
  .object({
    apiKey: z.string(),
    symbol: z.string(),
    positionSide: z.enum(['BOTH', 'LONG', 'SHORT']).default('BOTH'),
    amount: z.number().finite(),
    entryPrice: z.number().positive(),
    leverage: z.number().int().min(1).max(125).optional(),
    marginType: z.enum(['CROSSED', 'ISOLATED']).optional(),
    /** Isolated only; default notional / leverage at entry. */
    isolatedWallet: z.number().nonnegative().optional(),
  })
  .strict();
const SetBalance = z.object({ apiKey: z.string(), asset: z.string().min(1), walletBalance: z.number().finite() }).strict();
/** amount: + a deposit, - a withdrawal (never 0). */
const Transfer = z
  .object({
    apiKey: z.string(),
    amount: z.number().finite().refine((v) => v !== 0, 'amount must not be 0'),
    asset: z.string().min(1).default('USDT'),
    /** The income type GET /fapi/v1/income lists it under. */
    incomeType: z.enum(['TRANSFER', 'INTERNAL_TRANSFER']).default('TRANSFER'),
    /** History: `count` such transfers, the first at `time`, then every `everyMs`; the wallet changes, nothing is pushed. */
    time: z.number().int().nonnegative().optional(),
    count: z.number().int().min(1).max(10_000).default(1),
    everyMs: z.number().int().nonnegative().default(0),
  })
  .strict();
const SetLeverage = z
  .object({ apiKey: z.string(), symbol: z.string(), leverage: z.number().int().min(1).max(125), marginType: z.enum(['CROSSED', 'ISOLATED']).optional() })
  .strict();
const SetMode = z.object({ apiKey: z.string(), dualSidePosition: z.boolean().optional(), multiAssetsMargin: z.boolean().optional(), canTrade: z.boolean().optional() }).strict();
const Trade = z
  .object({
    apiKey: z.string(),
    symbol: z.string(),
    side: z.enum(['BUY', 'SELL']),
    quantity: z.number().positive(),
    type: z.enum(['MARKET', 'LIMIT']).default('MARKET'),
    price: z.number().positive().optional(),
    positionSide: z.enum(['BOTH', 'LONG', 'SHORT']).default('BOTH'),
    reduceOnly: z.boolean().default(false),
    clientOrderId: z.string().optional(),
    /** History for backfill tests: `count` such trades, the first at `time` (default now), then every `everyMs`. */
    time: z.number().int().nonnegative().optional(),
    count: z.number().int().min(1).max(10_000).default(1),
    everyMs: z.number().int().nonnegative().default(0),
  })
  .strict();
const ByKey = z.object({ apiKey: z.string() }).strict();
const Slippage = z.object({ apiKey: z.string(), bps: z.number().nonnegative().max(1000) }).strict();
/** maxQty null: unlimited again. */
const FillCap = z.object({ apiKey: z.string(), maxQty: z.number().positive().finite().nullable() }).strict();
const Limits = z.object({ weightPerMinute: z.number().int().positive().nullable() }).strict();

const WEIGHT_LIMIT_DEFAULT = 2400;
/** userTrades: the longest startTime..endTime span. */
const TRADE_SPAN_MS = 7 * 86_400_000;


export function createBinanceModule(ctx: SimContext): VenueModule & { faultBody(status: number): string } {
  const symbols = new Map<string, SymbolInfo>();
  const syncSymbols = () => {
    // Symbols come from the price engine; any symbol it knows for Binance is listed.
    for (const s of ctx.symbols?.('binance') ?? []) {
      if (!symbols.has(s.symbol)) symbols.set(s.symbol, makeSymbolInfo(s.symbol, s.price));
    }
  };
  syncSymbols();
  const sym = (s: string) => {
    if (!symbols.has(s)) syncSymbols();
    return symbols.get(s);
  };
  let idSeq = 1_000_000;
  // Set while the control API places a trade in the past (history for backfill tests).
  let pastTime: number | null = null;
  const engine = new BinanceEngine({ mark: (s) => ctx.mark('binance', s), symbol: sym, now: () => pastTime ?? ctx.now(), nextId: () => ++idSeq });
  const accounts = new Map<string, SimAccount>();
  const listenKeys = new Map<string, string>(); // listenKey -> apiKey
  const sockets = new Set<PrivateSocket>();
  const requestLog: { method: string; path: string; params: string; weight: number; status: number }[] = [];
  let weightLimit: number | null = WEIGHT_LIMIT_DEFAULT;
  let window = { minute: 0, used: 0 };
  let tickCount = 0;

  const accountOf = (apiKey: string) => {
    const a = accounts.get(apiKey);
    if (!a) throw new Error(`no account with apiKey ${apiKey}`);
    return a;
  };
  const allSymbols = () => {
    syncSymbols();
    return [...symbols.values()];
  };

  // ---------- websocket pushes ----------

  const send = (s: PrivateSocket, stream: string, payload: unknown) => {
    s.socket.send(JSON.stringify(s.combined ? { stream, data: payload } : payload));
  };
  const pushPrivate = (acc: SimAccount, payload: unknown) => {
    for (const s of sockets) if (s.account === acc) send(s, acc.listenKey ?? '', payload);
  };
  const pushEvents = (acc: SimAccount, events: EngineEvent[], at?: number) => {
    const now = at ?? ctx.now();
    for (const e of events) {
      if (e.kind === 'order') pushPrivate(acc, P.orderTradeUpdate(e.order, e.execType, e.trade, sym(e.order.symbol), now));
      else if (e.kind === 'algo') pushPrivate(acc, P.algoUpdate(e.algo, sym(e.algo.symbol), now));
      else pushPrivate(acc, P.accountUpdate(engine, acc, e.reason, e.positions, e.assets, sym, now, e.balanceChange));
    }
  };

  ctx.onTick((venue, symbol, price) => {
    if (venue !== 'binance') return;
    tickCount += 1;
    const now = ctx.now();
    const lower = symbol.toLowerCase();
    const info = sym(symbol);
    // The engine emits one tick per symbol; a 3 s stream gets every third of them.
    const every3 = Math.floor(tickCount / Math.max(1, symbols.size)) % 3 === 0;
    const payload = P.markPriceUpdate(symbol, price, info, now);
    for (const s of sockets) {
      if (s.streams.has(`${lower}@markprice@1s`)) send(s, `${lower}@markPrice@1s`, payload);
      else if (s.streams.has(`${lower}@markprice`) && every3) send(s, `${lower}@markPrice`, payload);
      if (s.streams.has('!markprice@arr@1s')) send(s, '!markPrice@arr@1s', [payload]);
    }
    for (const acc of accounts.values()) {
      const events = engine.onMark(acc, symbol, price);
      if (events.length) pushEvents(acc, events);
      if (acc.listenKey && now > acc.listenKeyExpiresAt) {
        const key = acc.listenKey;
        pushPrivate(acc, { e: 'listenKeyExpired', E: now, listenKey: key });
        for (const s of sockets) if (s.account === acc) s.socket.close(1000, 'listenKey expired');
        listenKeys.delete(key);
        acc.listenKey = null;
      }
    }
  });

  // ---------- REST ----------

  const reqSymbol = (p: URLSearchParams, required = true): string | undefined => {
    const s = p.get('symbol') ?? undefined;
    if (!s) {
      if (required) throw new BinanceReject(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
      return undefined;
    }
    if (!sym(s)) throw new BinanceReject(-1121, 'Invalid symbol.');
    return s;
  };
  const reqNum = (p: URLSearchParams, name: string): number => {
    const v = p.get(name);
    const n = v === null ? NaN : Number(v);
    if (!Number.isFinite(n)) throw new BinanceReject(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
    return n;
  };
  const bool = (p: URLSearchParams, name: string) => (p.get(name) ?? '').toLowerCase() === 'true';
  const side = (p: URLSearchParams): SideRaw => {
    const s = (p.get('side') ?? '').toUpperCase();
    if (s !== 'BUY' && s !== 'SELL') throw new BinanceReject(-1102, "Mandatory parameter 'side' was not sent, was empty/null, or malformed.");
    return s;
  };
  const mustAcc = (r: Req) => {
    if (!r.acc) throw new BinanceReject(-2015, 'Invalid API-key, IP, or permissions for action.', 401);
    return r.acc;
  };
  // A history read's account, symbol (required), startTime / endTime (open by default), limit (500 by default, 1000 at
  // most) and the id to read from (`idParam`), if given.
  const historyQuery = (r: Req, idParam: 'fromId' | 'orderId') => {
    const p = r.params;
    const fromId = p.get(idParam);
    return {
      acc: mustAcc(r),
      s: reqSymbol(p)!,
      start: Number(p.get('startTime') ?? '0'),
      end: Number(p.get('endTime') ?? String(Number.MAX_SAFE_INTEGER)),
      limit: Math.min(1000, Number(p.get('limit') ?? '500')),
      fromId: fromId === null ? null : Number(fromId),
    };
  };
  const takeReject = () => {
    const rj = ctx.faults.rejectOrders;
    if (!rj || rj.count <= 0) return;
    rj.count -= 1;
    if (rj.count <= 0) ctx.faults.rejectOrders = null;
    throw new BinanceReject(Number(rj.code), rj.message);
  };
  const findOrder = (acc: SimAccount, p: URLSearchParams) => {
    const id = p.get('orderId');
    const cid = p.get('origClientOrderId');
    const o = id ? acc.orders.get(Number(id)) : [...acc.orders.values()].reverse().find((x) => x.clientOrderId === cid);
    if (!o) throw new BinanceReject(-2013, 'Order does not exist.');
    return o;
  };
  const findAlgo = (acc: SimAccount, p: URLSearchParams) => {
    const id = p.get('algoId');
    const cid = p.get('clientAlgoId');
    const a = id ? acc.algos.get(Number(id)) : [...acc.algos.values()].find((x) => x.clientAlgoId === cid);
    if (!a) throw new BinanceReject(-2013, 'Order does not exist.');
    return a;
  };

  const CONDITIONAL = new Set(['STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET']);

  const routes: Record<string, Route> = {
    'GET /fapi/v1/ping': { auth: 'none', weight: w(1), handler: () => ({}) },
    'GET /fapi/v1/time': { auth: 'none', weight: w(1), handler: (r) => ({ serverTime: r.now }) },
    'GET /fapi/v1/exchangeInfo': { auth: 'none', weight: w(1), handler: (r) => P.exchangeInfo(allSymbols(), r.now) },
    'GET /fapi/v1/premiumIndex': {
      auth: 'none',
      weight: w(1),
      handler: (r) => {
        const one = reqSymbol(r.params, false);
        const rows = allSymbols()
          .filter((s) => !one || s.symbol === one)
          .map((s) => {
            const m = ctx.mark('binance', s.symbol) ?? 0;
            const pp = s.pricePrecision + 1;
            return {
              symbol: s.symbol,
              markPrice: m.toFixed(pp),
              indexPrice: (m * 0.9999).toFixed(pp),
              estimatedSettlePrice: (m * 0.9999).toFixed(pp),
              lastFundingRate: '0.00010000',
              interestRate: '0.00010000',
              nextFundingTime: Math.ceil(r.now / 28_800_000) * 28_800_000,
              time: r.now,
            };
          });
        return one ? rows[0] : rows;
      },
    },
    'GET /fapi/v1/klines': {
      auth: 'none',
      weight: byLimit([[99, 1], [499, 2], [1000, 5]], 10),
      handler: (r) => {
        const s = reqSymbol(r.params)!;
        return klines(s, sym(s)!, ctx.mark('binance', s) ?? 1, r.params, r.now);
      },
    },
    'GET /fapi/v1/aggTrades': {
      auth: 'none',
      weight: w(20),
      handler: (r) => {
        const s = reqSymbol(r.params)!;
        return aggTrades(s, sym(s)!, ctx.mark('binance', s) ?? 1, r.params, r.now);
      },
    },
    'GET /fapi/v1/depth': {
      auth: 'none',
      weight: byLimit([[50, 2], [100, 5], [500, 10]], 20),
      handler: (r) => {
        const s = reqSymbol(r.params)!;
        return depth(s, sym(s)!, ctx.mark('binance', s) ?? 1, Number(r.params.get('limit') ?? '500'), r.now);
      },
    },
    'GET /fapi/v1/leverageBracket': {
      auth: 'signed',
      weight: w(1),
      handler: (r) => {
        const one = reqSymbol(r.params, false);
        return P.leverageBrackets(allSymbols().filter((s) => !one || s.symbol === one));
      },
    },
    'GET /fapi/v3/account': { auth: 'signed', weight: w(5), handler: (r) => P.accountV3(engine, mustAcc(r), sym) },
    'GET /fapi/v2/account': { auth: 'signed', weight: w(5), handler: (r) => P.accountV2(engine, mustAcc(r), allSymbols()) },
    'GET /fapi/v2/balance': { auth: 'signed', weight: w(5), handler: (r) => P.balanceRows(engine, mustAcc(r)) },
    'GET /fapi/v3/balance': { auth: 'signed', weight: w(5), handler: (r) => P.balanceRows(engine, mustAcc(r)) },
    'GET /fapi/v3/positionRisk': { auth: 'signed', weight: w(5), handler: (r) => P.positionRiskV3(engine, mustAcc(r), sym, reqSymbol(r.params, false)) },
    'GET /fapi/v2/positionRisk': { auth: 'signed', weight: w(5), handler: (r) => P.positionRiskV2(engine, mustAcc(r), allSymbols(), reqSymbol(r.params, false)) },
    'GET /fapi/v1/symbolConfig': { auth: 'signed', weight: w(5), handler: (r) => P.symbolConfig(engine, mustAcc(r), allSymbols(), reqSymbol(r.params, false)) },
    'GET /fapi/v1/positionSide/dual': { auth: 'signed', weight: w(30), handler: (r) => ({ dualSidePosition: mustAcc(r).dualSidePosition }) },
    'GET /fapi/v1/multiAssetsMargin': { auth: 'signed', weight: w(30), handler: (r) => ({ multiAssetsMargin: mustAcc(r).multiAssetsMargin }) },
    'GET /fapi/v1/userTrades': {
      auth: 'signed',
      weight: w(5),
      // Binance: symbol required; oldest first, 500 rows by default and 1000 at most; startTime..endTime spans at most
      // 7 days (one of them alone: the 7 days from or to it; neither: the last 7 days, its newest rows); fromId (a
      // trade id to read from, without a time limit) cannot come with either time.
      handler: (r) => {
        const { acc, s, limit, fromId } = historyQuery(r, 'fromId');
        const p = r.params;
        const startTime = p.get('startTime');
        const endTime = p.get('endTime');
        if (fromId !== null && (startTime !== null || endTime !== null)) throw new BinanceReject(-1128, 'Combination of optional parameters invalid.');
        const rows = acc.trades.filter((t) => t.symbol === s);
        if (fromId !== null) return rows.filter((t) => t.id >= fromId).slice(0, limit).map((t) => P.tradeRow(t, sym(t.symbol)));
        const end = endTime !== null ? Number(endTime) : startTime !== null ? Number(startTime) + TRADE_SPAN_MS - 1 : ctx.now();
        const start = startTime !== null ? Number(startTime) : end - TRADE_SPAN_MS + 1;
        if (end - start >= TRADE_SPAN_MS) throw new BinanceReject(-1127, 'More than 168 hours between startTime and endTime.');
        const inSpan = rows.filter((t) => t.time >= start && t.time <= end);
        return (startTime === null ? inSpan.slice(-limit) : inSpan.slice(0, limit)).map((t) => P.tradeRow(t, sym(t.symbol)));
      },
    },
    'GET /fapi/v1/income': {
      auth: 'signed',
      weight: w(30),
      // Binance: oldest first; incomeType optional (all types); startTime / endTime inclusive (neither: the last 7 days);
      // limit 100 by default, 1000 at most. Rows: the transfers the `transfer` control action made, and for each trade
      // its REALIZED_PNL (when not 0) and COMMISSION rows.
      handler: (r) => {
        const acc = mustAcc(r);
        const p = r.params;
        const type = p.get('incomeType');
        const limit = Math.min(1000, Math.max(1, Number(p.get('limit') ?? '100')));
        const startTime = p.get('startTime');
        const endTime = p.get('endTime');
        const start = startTime !== null ? Number(startTime) : endTime === null ? r.now - 7 * 86_400_000 : 0;
        const end = endTime !== null ? Number(endTime) : Number.MAX_SAFE_INTEGER;
        if (!Number.isFinite(start) || !Number.isFinite(end)) throw new BinanceReject(-1100, 'Illegal characters found in a parameter.');
        const rows = [
          ...acc.transfers.map((t) => ({ symbol: '', incomeType: t.incomeType, income: t.income, asset: t.asset, time: t.time, tranId: t.tranId, tradeId: '' })),
          ...acc.trades.flatMap((t) => [
            ...(t.realizedPnl !== 0
              ? [{ symbol: t.symbol, incomeType: 'REALIZED_PNL', income: t.realizedPnl, asset: 'USDT', time: t.time, tranId: t.id * 2, tradeId: String(t.id) }]
              : []),
            ...(t.commission !== 0
              ? [{ symbol: t.symbol, incomeType: 'COMMISSION', income: -t.commission, asset: t.commissionAsset, time: t.time, tranId: t.id * 2 + 1, tradeId: String(t.id) }]
              : []),
          ]),
        ]
          .filter((x) => (type === null || x.incomeType === type) && x.time >= start && x.time <= end)
          .sort((x, y) => x.time - y.time || x.tranId - y.tranId);
        return rows.slice(0, limit).map(P.incomeRow);
      },
    },
    'GET /fapi/v1/openOrders': {
      auth: 'signed',
      weight: bySymbol(1, 40),
      handler: (r) => engine.openOrders(mustAcc(r), reqSymbol(r.params, false)).map((o) => P.orderRow(o, sym(o.symbol))),
    },
    'GET /fapi/v1/allOrders': {
      auth: 'signed',
      weight: w(5),
      // Binance: symbol required; from orderId on when given, else the most recent; startTime/endTime on the order
      // time; limit 500 by default, 1000 at most; oldest first.
      handler: (r) => {
        const { acc, s, start, end, limit, fromId } = historyQuery(r, 'orderId');
        const rows = [...acc.orders.values()]
          .filter((o) => o.symbol === s && o.time >= start && o.time <= end && (fromId === null || o.orderId >= fromId))
          .sort((a, b) => a.orderId - b.orderId);
        return (fromId === null ? rows.slice(-limit) : rows.slice(0, limit)).map((o) => P.orderRow(o, sym(o.symbol)));
      },
    },
    'GET /fapi/v1/order': {
      auth: 'signed',
      weight: w(1),
      handler: (r) => {
        const o = findOrder(mustAcc(r), r.params);
        return P.orderRow(o, sym(o.symbol));
      },
    },
    'POST /fapi/v1/order': {
      auth: 'signed',
      trade: true,
      weight: w(1),
      handler: (r) => {
        const acc = mustAcc(r);
        const type = (r.params.get('type') ?? '').toUpperCase();
        if (CONDITIONAL.has(type)) {
          throw new BinanceReject(-4120, 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.');
        }
        const symbol = reqSymbol(r.params)!;
        const s = side(r.params);
        if (type !== 'MARKET' && type !== 'LIMIT') throw new BinanceReject(-1116, 'Invalid orderType.');
        if (acc.dualSidePosition && r.params.has('reduceOnly')) throw new BinanceReject(-1106, "Parameter 'reduceOnly' sent when not required.");
        takeReject();
        const { order, events } = engine.placeOrder(acc, {
          symbol,
          side: s,
          type,
          qty: reqNum(r.params, 'quantity'),
          price: type === 'LIMIT' ? reqNum(r.params, 'price') : null,
          positionSide: engine.resolveSide(acc, r.params.get('positionSide') ?? undefined),
          reduceOnly: bool(r.params, 'reduceOnly'),
          clientOrderId: r.params.get('newClientOrderId'),
          timeInForce: r.params.get('timeInForce') ?? 'GTC',
        });
        // The answer leaves first, the pushes follow, as on the venue.
        setImmediate(() => pushEvents(acc, events));
        // ACK (the default) answers as accepted; RESULT answers with the final state of a MARKET / IOC order.
        const first = events[0];
        const accepted = first && first.kind === 'order' ? first.order : order;
        return P.orderRow(r.params.get('newOrderRespType') === 'RESULT' ? order : accepted, sym(symbol));
      },
    },
    'DELETE /fapi/v1/order': {
      auth: 'signed',
      trade: true,
      weight: w(1),
      handler: (r) => {
        const acc = mustAcc(r);
        reqSymbol(r.params);
        const o = findOrder(acc, r.params);
        if (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED') throw new BinanceReject(-2011, 'Unknown order sent.');
        const ev = engine.cancelOrder(acc, o);
        setImmediate(() => pushEvents(acc, [ev]));
        return P.orderRow(o, sym(o.symbol));
      },
    },
    'DELETE /fapi/v1/allOpenOrders': {
      auth: 'signed',
      trade: true,
      weight: w(1),
      handler: (r) => {
        const acc = mustAcc(r);
        const s = reqSymbol(r.params)!;
        const events = engine.cancelAll(acc, s, 'orders');
        setImmediate(() => pushEvents(acc, events));
        return { code: 200, msg: 'The operation of cancel all open order is done.' };
      },
    },
    'POST /fapi/v1/algoOrder': {
      auth: 'signed',
      trade: true,
      weight: w(1),
      handler: (r) => {
        const acc = mustAcc(r);
        if ((r.params.get('algoType') ?? '') !== 'CONDITIONAL') throw new BinanceReject(-1102, "Mandatory parameter 'algoType' was not sent, was empty/null, or malformed.");
        const symbol = reqSymbol(r.params)!;
        const type = (r.params.get('type') ?? '').toUpperCase();
        if (!CONDITIONAL.has(type)) throw new BinanceReject(-1116, 'Invalid orderType.');
        const s = side(r.params);
        const closePosition = bool(r.params, 'closePosition');
        if (acc.dualSidePosition && r.params.has('reduceOnly')) throw new BinanceReject(-1106, "Parameter 'reduceOnly' sent when not required.");
        takeReject();
        const { algo, events } = engine.placeAlgo(acc, {
          symbol,
          side: s,
          positionSide: engine.resolveSide(acc, r.params.get('positionSide') ?? undefined),
          orderType: type as AlgoType,
          quantity: closePosition ? 0 : reqNum(r.params, 'quantity'),
          triggerPrice: reqNum(r.params, 'triggerPrice'),
          price: Number(r.params.get('price') ?? '0') || 0,
          reduceOnly: bool(r.params, 'reduceOnly'),
          closePosition,
          workingType: r.params.get('workingType') ?? 'CONTRACT_PRICE',
          clientAlgoId: r.params.get('clientAlgoId'),
        });
        setImmediate(() => pushEvents(acc, events));
        return P.algoRow(algo, sym(symbol));
      },
    },
    'DELETE /fapi/v1/algoOrder': {
      auth: 'signed',
      trade: true,
      weight: w(1),
      handler: (r) => {
        const acc = mustAcc(r);
        const a = findAlgo(acc, r.params);
        if (a.status !== 'NEW') throw new BinanceReject(-20124, 'Invalid algo id or it has been completed.');
        const ev = engine.cancelAlgo(acc, a);
        setImmediate(() => pushEvents(acc, [ev]));
        return { algoId: a.algoId, clientAlgoId: a.clientAlgoId, code: '200', msg: 'success' };
      },
    },
    'GET /fapi/v1/algoOrder': {
      auth: 'signed',
      weight: w(1),
      handler: (r) => {
        const a = findAlgo(mustAcc(r), r.params);
        return P.algoRow(a, sym(a.symbol));
      },
    },
    'GET /fapi/v1/openAlgoOrders': {
      auth: 'signed',
      weight: bySymbol(1, 40),
      handler: (r) => engine.openAlgos(mustAcc(r), reqSymbol(r.params, false)).map((a) => P.algoRow(a, sym(a.symbol))),
    },
    'DELETE /fapi/v1/algoOpenOrders': {
      auth: 'signed',
      trade: true,
      weight: w(1),
      handler: (r) => {
        const acc = mustAcc(r);
        const s = reqSymbol(r.params)!;
        const events = engine.cancelAll(acc, s, 'algos');
        setImmediate(() => pushEvents(acc, events));
        return { code: 200, msg: 'The operation of cancel all open order is done.' };
      },
    },
    'POST /fapi/v1/countdownCancelAll': {
      auth: 'signed',
      trade: true,
      weight: w(10),
      handler: (r) => {
        const acc = mustAcc(r);
        const s = reqSymbol(r.params)!;
        const t = reqNum(r.params, 'countdownTime');
        if (t < 0) throw new BinanceReject(-1102, "Mandatory parameter 'countdownTime' was not sent, was empty/null, or malformed.");
        if (t === 0) acc.countdowns.delete(s);
        else acc.countdowns.set(s, { deadline: r.now + t, countdownTime: t });
        return { symbol: s, countdownTime: String(t) };
      },
    },
    'POST /fapi/v1/leverage': {
      auth: 'signed',
      trade: true,
      weight: w(1),
      handler: (r) => {
        const acc = mustAcc(r);
        const s = reqSymbol(r.params)!;
        const lev = reqNum(r.params, 'leverage');
        if (!Number.isInteger(lev) || lev < 1 || lev > 125) throw new BinanceReject(-4028, 'Leverage is not valid');
        engine.config(acc, s).leverage = lev;
        return { leverage: lev, maxNotionalValue: '250000', symbol: s };
      },
    },
    'POST /fapi/v1/marginType': {
      auth: 'signed',
      trade: true,
      weight: w(1),
      handler: (r) => {
        const acc = mustAcc(r);
        const s = reqSymbol(r.params)!;
        const mt = (r.params.get('marginType') ?? '').toUpperCase();
        if (mt !== 'ISOLATED' && mt !== 'CROSSED') throw new BinanceReject(-1102, "Mandatory parameter 'marginType' was not sent, was empty/null, or malformed.");
        const cfg = engine.config(acc, s);
        if (cfg.marginType === mt) throw new BinanceReject(-4046, 'No need to change margin type.');
        if (engine.openPositions(acc).some((p) => p.symbol === s)) throw new BinanceReject(-4048, 'Margin type cannot be changed if there exists position.');
        cfg.marginType = mt;
        return { code: 200, msg: 'success' };
      },
    },
    'POST /fapi/v1/positionSide/dual': {
      auth: 'signed',
      trade: true,
      weight: w(1),
      handler: (r) => {
        const acc = mustAcc(r);
        const want = bool(r.params, 'dualSidePosition');
        if (want === acc.dualSidePosition) throw new BinanceReject(-4059, 'No need to change position side.');
        if (engine.openPositions(acc).length > 0 || engine.openOrders(acc).length > 0) throw new BinanceReject(-4068, 'Position side cannot be changed if there exists position.');
        acc.dualSidePosition = want;
        return { code: 200, msg: 'success' };
      },
    },
    'POST /fapi/v1/multiAssetsMargin': {
      auth: 'signed',
      trade: true,
      weight: w(1),
      handler: (r) => {
        const acc = mustAcc(r);
        acc.multiAssetsMargin = bool(r.params, 'multiAssetsMargin');
        return { code: 200, msg: 'success' };
      },
    },
    'POST /fapi/v1/listenKey': {
      auth: 'key',
      weight: w(1),
      handler: (r) => {
        const acc = mustAcc(r);
        // Binance returns the same key while it is valid and extends it.
        if (!acc.listenKey) {
          acc.listenKey = randomBytes(32).toString('hex');
          listenKeys.set(acc.listenKey, acc.apiKey);
        }
        acc.listenKeyExpiresAt = r.now + 60 * 60_000;
        return { listenKey: acc.listenKey };
      },
    },
    'PUT /fapi/v1/listenKey': {
      auth: 'key',
      weight: w(1),
      handler: (r) => {
        const acc = mustAcc(r);
        if (!acc.listenKey) throw new BinanceReject(-1125, 'This listenKey does not exist.');
        acc.listenKeyExpiresAt = r.now + 60 * 60_000;
        return { listenKey: acc.listenKey };
      },
    },
    'DELETE /fapi/v1/listenKey': {
      auth: 'key',
      weight: w(1),
      handler: (r) => {
        const acc = mustAcc(r);
        if (acc.listenKey) listenKeys.delete(acc.listenKey);
        acc.listenKey = null;
        for (const s of sockets) if (s.account === acc) s.socket.close(1000, 'listenKey deleted');
        return {};
      },
    },
  };

  const reply = (res: ServerResponse, status: number, body: unknown, used: number, headers: Record<string, string> = {}) =>
    sendJson(res, status, body, { 'x-mbx-used-weight-1m': String(used), ...headers });

  async function http(req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<boolean> {
    const method = (req.method ?? 'GET').toUpperCase();
    const route = routes[`${method} ${path}`];
    if (!route) return false;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = totalParams(url.search, body);
    const params = new URLSearchParams(raw);
    const now = ctx.now();
    // Request weight: counted for every call that reaches the venue, answered or not.
    const weight = route.weight(params);
    ctx.addWeight('binance', weight);
    const minute = Math.floor(Date.now() / 60_000);
    if (window.minute !== minute) window = { minute, used: 0 };
    window.used += weight;
    const log = (status: number) => {
      requestLog.push({ method, path, params: raw.replace(/signature=[0-9a-f]+/i, 'signature=...'), weight, status });
      if (requestLog.length > 1000) requestLog.splice(0, requestLog.length - 1000);
    };
    if (weightLimit !== null && window.used > weightLimit) {
      log(429);
      const retry = 60 - Math.floor((Date.now() / 1000) % 60);
      const msg = `Too many requests; current limit of IP(127.0.0.1) request weight per minute is ${weightLimit}. Please use WebSocket Streams for live updates to avoid polling the API.`;
      reply(res, 429, { code: -1003, msg }, window.used, { 'retry-after': String(retry) });
      return true;
    }
    try {
      let acc: SimAccount | null = null;
      if (route.auth !== 'none') {
        const key = req.headers['x-mbx-apikey'];
        const apiKey = Array.isArray(key) ? key[0] : key;
        if (!apiKey) throw new BinanceReject(-2014, 'API-key format invalid.', 401);
        acc = accounts.get(apiKey) ?? null;
        if (!acc) throw new BinanceReject(-2015, 'Invalid API-key, IP, or permissions for action, request ip: 127.0.0.1', 401);
        if (route.auth === 'signed') verifySignature(raw, acc.secret, now);
        if (route.trade && !acc.canTrade) throw new BinanceReject(-2015, 'Invalid API-key, IP, or permissions for action, request ip: 127.0.0.1', 401);
      }
      const out = route.handler({ params, acc, now });
      log(200);
      reply(res, 200, out, window.used);
    } catch (e) {
      if (e instanceof BinanceReject) {
        log(e.httpStatus);
        reply(res, e.httpStatus, { code: e.code, msg: e.msg }, window.used);
      } else throw e;
    }
    return true;
  }

  // ---------- websockets ----------

  function ws(socket: WebSocket, path: string): boolean {
    const url = new URL(path, 'http://127.0.0.1');
    const parts = url.pathname.split('/').filter(Boolean);
    // Accepted: /ws, /ws/<streams or listenKey>, /market/ws, /public/ws, /private/ws?listenKey=, /stream?streams=a/b
    const head = parts.join('/');
    // ccxt appends a connection index: /market/ws/0.
    const category = /^(market|public|private)\/ws(\/\d+)?$/.test(head);
    const okPath = head === 'ws' || head === 'stream' || category || (parts[0] === 'ws' && parts.length >= 2);
    if (!okPath) return false;
    const entry: PrivateSocket = { socket, streams: new Set(), account: null, combined: parts[0] === 'stream' };
    const key = url.searchParams.get('listenKey') ?? (parts[0] === 'ws' && parts[1] && listenKeys.has(parts[1]) ? parts[1] : null);
    if (head.startsWith('private/') && !key) return false;
    if (key) {
      const apiKey = listenKeys.get(key);
      const acc = apiKey ? accounts.get(apiKey) : undefined;
      if (!acc) {
        socket.close(4001, 'invalid listenKey');
        return true;
      }
      entry.account = acc;
    } else if (parts[0] === 'ws' && parts.length >= 2) {
      for (const s of parts.slice(1).join('/').split('/')) entry.streams.add(s.toLowerCase());
    }
    for (const s of (url.searchParams.get('streams') ?? '').split('/').filter(Boolean)) entry.streams.add(s.toLowerCase());
    sockets.add(entry);
    socket.on('close', () => sockets.delete(entry));
    socket.on('message', (data) => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        socket.send(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' } }));
        return;
      }
      const parsed = z
        .object({ method: z.enum(['SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS']), params: z.array(z.string()).optional(), id: z.union([z.number(), z.string()]).nullable() })
        .safeParse(msg);
      if (!parsed.success) {
        socket.send(JSON.stringify({ error: { code: 2, msg: 'Invalid request: unknown method or params' }, id: null }));
        return;
      }
      const { method, params = [], id } = parsed.data;
      if (method === 'SUBSCRIBE') params.forEach((p) => entry.streams.add(p.toLowerCase()));
      if (method === 'UNSUBSCRIBE') params.forEach((p) => entry.streams.delete(p.toLowerCase()));
      const result = method === 'LIST_SUBSCRIPTIONS' ? [...entry.streams] : null;
      socket.send(JSON.stringify({ result, id }));
    });
    return true;
  }

  // ---------- control ----------

  const parse = <T>(schema: z.ZodType<T>, payload: unknown): T => {
    const r = schema.safeParse(payload);
    if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    return r.data;
  };
  const knownSymbol = (s: string) => {
    if (!sym(s)) throw new Error(`unknown symbol ${s}`);
    return s;
  };

  async function control(action: string, payload: unknown): Promise<unknown> {
    switch (action) {
      case 'createAccount': {
        const a = parse(CreateAccount, payload);
        if (accounts.has(a.apiKey)) throw new Error(`account ${a.apiKey} exists`);
        const acc: SimAccount = {
          apiKey: a.apiKey,
          secret: a.apiSecret,
          canTrade: a.canTrade,
          dualSidePosition: a.dualSidePosition,
          multiAssetsMargin: a.multiAssetsMargin,
          wallets: new Map(Object.entries(a.balances)),
          symbolConfig: new Map(),
          positions: new Map(),
          orders: new Map(),
          algos: new Map(),
          trades: [],
          transfers: [],
          listenKey: null,
          listenKeyExpiresAt: 0,
          countdowns: new Map(),
          slippageBps: a.slippageBps,
          fillCap: null,
          takerFee: a.takerFee,
          makerFee: a.makerFee,
          updateTime: ctx.now(),
        };
        if (!acc.wallets.has('USDT')) acc.wallets.set('USDT', 0);
        accounts.set(a.apiKey, acc);
        return { apiKey: a.apiKey };
      }
      case 'setPosition': {
        const a = parse(SetPosition, payload);
        const acc = accountOf(a.apiKey);
        knownSymbol(a.symbol);
        if ((a.positionSide === 'BOTH') === acc.dualSidePosition) throw new Error(`positionSide ${a.positionSide} does not match the account's mode`);
        if (a.positionSide === 'LONG' && a.amount < 0) throw new Error('a LONG position has amount >= 0');
        if (a.positionSide === 'SHORT' && a.amount > 0) throw new Error('a SHORT position has amount <= 0');
        const cfg = engine.config(acc, a.symbol);
        if (a.leverage) cfg.leverage = a.leverage;
        if (a.marginType) cfg.marginType = a.marginType;
        const p = engine.position(acc, a.symbol, a.positionSide);
        p.amt = a.amount;
        p.entry = a.amount === 0 ? 0 : a.entryPrice;
        p.isolatedWallet = cfg.marginType === 'ISOLATED' ? a.isolatedWallet ?? (Math.abs(a.amount) * a.entryPrice) / cfg.leverage : 0;
        p.updateTime = ctx.now();
        pushEvents(acc, [{ kind: 'account', reason: 'ORDER', positions: [{ ...p }], assets: ['USDT'] }]);
        return { ok: true };
      }
      case 'setBalance': {
        const a = parse(SetBalance, payload);
        const acc = accountOf(a.apiKey);
        acc.wallets.set(a.asset, a.walletBalance);
        acc.updateTime = ctx.now();
        pushEvents(acc, [{ kind: 'account', reason: 'DEPOSIT', positions: [], assets: [a.asset] }]);
        return { ok: true };
      }
      case 'transfer': {
        // A deposit into / withdrawal out of the futures wallet (from spot, a sub-account...): a cash flow, not PnL.
        const a = parse(Transfer, payload);
        const acc = accountOf(a.apiKey);
        if (a.amount < 0) {
          // Binance refuses to move out more than the asset's maxWithdrawAmount (free of margin and losses).
          const max = engine.assetRow(acc, a.asset).maxWithdrawAmount;
          if (-a.amount > max + 1e-9) throw new Error(`insufficient balance: withdrawal of ${-a.amount} ${a.asset} exceeds the ${max} available to withdraw`);
        }
        const history = a.time !== undefined || a.count > 1;
        if (a.amount < 0 && history && -a.amount * a.count > (acc.wallets.get(a.asset) ?? 0) + 1e-9) throw new Error(`insufficient balance for ${a.count} withdrawals of ${-a.amount} ${a.asset}`);
        // One time for the push's T and the income row, as Binance stamps both.
        const now = ctx.now();
        for (let k = 0; k < a.count; k++) {
          acc.transfers.push({ tranId: ++idSeq, incomeType: a.incomeType, asset: a.asset, income: a.amount, time: (a.time ?? now) + k * a.everyMs });
        }
        if (a.time !== undefined) acc.transfers.sort((x, y) => x.time - y.time || x.tranId - y.tranId);
        const walletBalance = (acc.wallets.get(a.asset) ?? 0) + a.amount * a.count;
        acc.wallets.set(a.asset, walletBalance);
        acc.updateTime = now;
        if (!history) {
          pushEvents(acc, [{ kind: 'account', reason: a.amount > 0 ? 'DEPOSIT' : 'WITHDRAW', positions: [], assets: [a.asset], balanceChange: { [a.asset]: a.amount } }], now);
        }
        return { asset: a.asset, walletBalance: engine.assetRow(acc, a.asset).walletBalance, time: a.time ?? now };
      }
      case 'setLeverage': {
        const a = parse(SetLeverage, payload);
        const acc = accountOf(a.apiKey);
        const cfg = engine.config(acc, knownSymbol(a.symbol));
        cfg.leverage = a.leverage;
        if (a.marginType) cfg.marginType = a.marginType;
        return { ok: true };
      }
      case 'setMode': {
        const a = parse(SetMode, payload);
        const acc = accountOf(a.apiKey);
        if (a.dualSidePosition !== undefined) acc.dualSidePosition = a.dualSidePosition;
        if (a.multiAssetsMargin !== undefined) acc.multiAssetsMargin = a.multiAssetsMargin;
        if (a.canTrade !== undefined) acc.canTrade = a.canTrade;
        return { ok: true };
      }
      case 'trade': {
        // An order the user placed elsewhere (the exchange's own page): fills and pushes as any order does.
        const a = parse(Trade, payload);
        const acc = accountOf(a.apiKey);
        const symbol = knownSymbol(a.symbol);
        let last: ReturnType<typeof engine.placeOrder>['order'] | null = null;
        for (let k = 0; k < a.count; k++) {
          pastTime = a.time === undefined ? null : a.time + k * a.everyMs;
          try {
            const { order, events } = engine.placeOrder(acc, {
              symbol,
              side: a.side,
              type: a.type,
              qty: a.quantity,
              price: a.price ?? null,
              positionSide: a.positionSide as PositionSideRaw,
              reduceOnly: a.reduceOnly,
              clientOrderId: a.clientOrderId === undefined ? null : a.count === 1 ? a.clientOrderId : `${a.clientOrderId}-${k}`,
              timeInForce: 'GTC',
            });
            pushEvents(acc, events);
            last = order;
          } finally {
            pastTime = null;
          }
        }
        return P.orderRow(last!, sym(last!.symbol));
      }
      case 'account': {
        const { apiKey } = parse(ByKey, payload);
        const acc = accountOf(apiKey);
        return {
          account: P.accountV3(engine, acc, sym),
          positionRisk: P.positionRiskV3(engine, acc, sym),
          openOrders: engine.openOrders(acc).map((o) => P.orderRow(o, sym(o.symbol))),
          openAlgoOrders: engine.openAlgos(acc).map((x) => P.algoRow(x, sym(x.symbol))),
          trades: acc.trades.map((t) => P.tradeRow(t, sym(t.symbol))),
          countdowns: Object.fromEntries(acc.countdowns),
          listenKey: acc.listenKey,
          privateSockets: [...sockets].filter((s) => s.account === acc).length,
        };
      }
      case 'setSlippage': {
        const a = parse(Slippage, payload);
        accountOf(a.apiKey).slippageBps = a.bps;
        return { ok: true };
      }
      case 'setFillCap': {
        const a = parse(FillCap, payload);
        accountOf(a.apiKey).fillCap = a.maxQty;
        return { maxQty: a.maxQty };
      }
      case 'setLimits': {
        weightLimit = parse(Limits, payload).weightPerMinute;
        return { weightPerMinute: weightLimit };
      }
      case 'expireListenKey': {
        const { apiKey } = parse(ByKey, payload);
        accountOf(apiKey).listenKeyExpiresAt = 0;
        return { ok: true };
      }
      case 'requests':
        return { requests: requestLog.slice() };
      case 'clearRequests':
        requestLog.length = 0;
        return { ok: true };
      case 'streams':
        return { sockets: [...sockets].map((s) => ({ private: s.account !== null, streams: [...s.streams] })) };
      default:
        throw new Error(`unknown binance control action: ${action}`);
    }
  }

  return {
    venue: 'binance',
    http,
    ws,
    control,
    dropConnections() {
      for (const s of sockets) s.socket.terminate();
      sockets.clear();
    },
    reset() {
      for (const s of sockets) s.socket.terminate();
      sockets.clear();
      accounts.clear();
      listenKeys.clear();
      requestLog.length = 0;
      weightLimit = WEIGHT_LIMIT_DEFAULT;
      window = { minute: 0, used: 0 };
    },
    faultBody(status: number): string {
      if (status === 429) {
        return JSON.stringify({ code: -1003, msg: 'Too many requests; current limit of IP(127.0.0.1) request weight per minute is 2400. Please use WebSocket Streams for live updates to avoid polling the API.' });
      }
      if (status === 418) {
        return JSON.stringify({ code: -1003, msg: `Way too many requests; IP(127.0.0.1) banned until ${ctx.now() + 120_000}. Please use WebSocket Streams for live updates to avoid bans.` });
      }
      if (status === 503) return JSON.stringify({ code: -1001, msg: 'Internal error; unable to process your request. Please try again.' });
      if (status >= 500) return '<html><body><h1>502 Bad Gateway</h1></body></html>';
      if (status === 401) return JSON.stringify({ code: -2015, msg: 'Invalid API-key, IP, or permissions for action, request ip: 127.0.0.1' });
      return JSON.stringify({ code: -1000, msg: 'An unknown error occured while processing the request.' });
    },
  };
}

