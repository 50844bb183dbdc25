/**
 * The venue-neutral simulator core: one HTTP server and one `ws` WebSocketServer on 127.0.0.1, dispatching
 * /<venue>/... to that venue's module and /control/... to the control API. Faults (status codes, delay, malformed
 * bodies and frames, stalls, drops, clock skew) and replayed payloads are applied here, so every venue gets them alike.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import { createFaultState, FaultPatchSchema, MALFORMED_BODY, takeHttpFault, type MalformedScope } from './faults';
import { readBody, sendJson, sendText } from './http-util';
import {
  DEFAULT_SYMBOLS,
  PriceEngine,
  type PriceEngineOptions,
  type PriceSource,
  type SimVenue,
  type SymbolSpec,
} from './price-engine';
import type { FaultState, SimContext, VenueModule } from './venue';

export const VENUES = ['binance', 'hyperliquid'] as const;
const VenueSchema = z.enum(VENUES);

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_CANDLES = resolve(
  process.env.RINGFENCE_FIXTURES ?? resolve(here, '..', '..', '..', 'shared', 'fixtures'),
  'market',
  'XRP_USDT_USDT-5m-futures.json',
);

export interface ReplayEntry {
  venue: SimVenue;
  method: string | null;
  /** Venue-relative path without the query, e.g. /fapi/v3/positionRisk or /info. */
  path: string;
  /** For POST bodies such as Hyperliquid's {"type": "..."}: every listed key must equal the request's. */
  bodyMatch: Record<string, unknown> | null;
  status: number;
  body: string;
  /** Remaining uses; null = forever. */
  remaining: number | null;
}

export interface WeightReport {
  total: number;
  /** Simulated time span the total covers (ms). */
  simElapsedMs: number;
  /** Weight per simulated minute, oldest first (at most the last 1,440 minutes). */
  perMinute: { minute: number; weight: number }[];
  maxPerMinute: number;
  calls: number;
}

class WeightCounter {
  total = 0;
  calls = 0;
  since: number;
  private readonly buckets = new Map<number, number>();
  constructor(now: number) {
    this.since = now;
  }
  add(weight: number, simNow: number): void {
    this.total += weight;
    this.calls += 1;
    const minute = Math.floor(simNow / 60_000) * 60_000;
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + weight);
    if (this.buckets.size > 1440) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }
  report(simNow: number): WeightReport {
    const perMinute = [...this.buckets.entries()].map(([minute, weight]) => ({ minute, weight }));
    return {
      total: this.total,
      simElapsedMs: Math.max(0, simNow - this.since),
      perMinute,
      maxPerMinute: perMinute.reduce((m, b) => Math.max(m, b.weight), 0),
      calls: this.calls,
    };
  }
}

/** SimContext plus what the core and the control API need. */
export class SimCore implements SimContext {
  readonly faults: FaultState = createFaultState();
  malformedScope: MalformedScope = 'any';
  skewMs = 0;
  readonly prices: PriceEngine;
  replay: ReplayEntry[] = [];
  /** Every venue request with its final status (faulted ones too), newest last, at most 2,000. */
  readonly requests: { venue: SimVenue; method: string; path: string; status: number; time: number }[] = [];
  private weights: Record<SimVenue, WeightCounter>;

  constructor(prices: PriceEngine) {
    this.prices = prices;
    this.weights = { binance: new WeightCounter(prices.now()), hyperliquid: new WeightCounter(prices.now()) };
  }

  now(): number {
    return Date.now() + this.skewMs;
  }
  mark(venue: SimVenue, symbol: string): number | undefined {
    return this.prices.mark(venue, symbol);
  }
  symbols(venue: SimVenue): { symbol: string; price: number }[] {
    return this.prices.symbols(venue).map((s) => ({ symbol: s.symbol, price: s.price }));
  }
  onTick(listener: (venue: SimVenue, symbol: string, price: number) => void): () => void {
    return this.prices.onTick(listener);
  }
  addWeight(venue: SimVenue, weight: number): void {
    this.weights[venue].add(weight, this.prices.now());
  }
  weight(venue: SimVenue): WeightReport {
    return this.weights[venue].report(this.prices.now());
  }
  resetWeight(): void {
    this.weights = { binance: new WeightCounter(this.prices.now()), hyperliquid: new WeightCounter(this.prices.now()) };
  }
  /** Consumes one malformed body/frame if the scope allows it. */
  takeMalformed(kind: 'rest' | 'ws'): boolean {
    if (this.faults.malformed <= 0) return false;
    if (this.malformedScope !== 'any' && this.malformedScope !== kind) return false;
    this.faults.malformed -= 1;
    return true;
  }
  clearFaults(): void {
    Object.assign(this.faults, createFaultState());
    this.malformedScope = 'any';
    this.skewMs = 0;
  }
}

export interface SimulatorCoreOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  prices?: Partial<Omit<PriceEngineOptions, 'symbols'>> & { symbols?: SymbolSpec[] };
  /** Print one line per request (the CLI turns it on). */
  log?: (line: string) => void;
  /**
   * Called as each venue request arrives (headers read, before its body and any fault), with `at` =
   * performance.now() in this process: benchmarks time what reaches the venue (the request log's `time` is when
   * the answer finished).
   */
  onVenueRequest?: (r: { venue: SimVenue; method: string; path: string; at: number }) => void;
}

export interface Simulator {
  /** http://127.0.0.1:<port> */
  url: string;
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  port: number;
  ctx: SimCore;
  venues: Record<SimVenue, VenueModule>;
  close(): Promise<void>;
}

export type VenueFactories = Record<SimVenue, (ctx: SimContext) => VenueModule>;

const PriceBody = z.object({ venue: VenueSchema, symbol: z.string().min(1), price: z.number().positive() }).strict();
const MovesBody = z
  .object({
    moves: z
      .array(
        z
          .object({
            venue: VenueSchema,
            symbol: z.string().min(1),
            to: z.number().positive(),
            overMs: z.number().nonnegative().max(86_400_000),
          })
          .strict(),
      )
      .max(1000),
  })
  .strict();
const ClockBody = z.object({ speed: z.number().positive().max(10_000).optional(), paused: z.boolean().optional() }).strict();
const TickBody = z.object({ count: z.number().int().positive().max(10_000).default(1) }).strict();
const SymbolBody = z.object({ venue: VenueSchema, symbol: z.string().min(1), price: z.number().positive() }).strict();
const ReplayBody = z
  .object({
    entries: z
      .array(
        z
          .object({
            venue: VenueSchema,
            method: z.enum(['GET', 'POST', 'PUT', 'DELETE']).nullable().default(null),
            path: z.string().startsWith('/'),
            bodyMatch: z.record(z.string(), z.unknown()).nullable().default(null),
            status: z.number().int().min(100).max(599).default(200),
            body: z.string(),
            times: z.number().int().nonnegative().default(0),
          })
          .strict(),
      )
      .max(10_000),
  })
  .strict();
const PushBody = z
  .object({
    venue: VenueSchema,
    frames: z.array(z.string()).max(10_000),
    /** Only sockets whose path starts with this (venue-relative, e.g. /ws/private). */
    pathPrefix: z.string().optional(),
  })
  .strict();
const DropBody = z.object({ venue: VenueSchema.optional() }).strict();

class ControlError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function parseJson(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new ControlError('control body is not valid JSON');
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new ControlError(`invalid control body: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

interface TrackedSocket {
  socket: WebSocket;
  venue: SimVenue;
  path: string;
}

export async function createSimulatorCore(factories: VenueFactories, options: SimulatorCoreOptions = {}): Promise<Simulator> {
  const log = options.log ?? (() => {});
  const priceOpts: PriceEngineOptions = {
    symbols: options.prices?.symbols ?? DEFAULT_SYMBOLS,
    source: options.prices?.source ?? 'candles',
    candlesFile: options.prices?.candlesFile ?? DEFAULT_CANDLES,
    tickMs: options.prices?.tickMs ?? 1000,
    speed: options.prices?.speed ?? 1,
    seed: options.prices?.seed ?? 42,
    // 24 hours of 1 s ticks by default: the loop always ends.
    maxTicks: options.prices?.maxTicks ?? 86_400,
    startTime: options.prices?.startTime ?? Date.now(),
  };
  const prices = new PriceEngine(priceOpts);
  const ctx = new SimCore(prices);
  const venues: Record<SimVenue, VenueModule> = {
    binance: factories.binance(ctx),
    hyperliquid: factories.hyperliquid(ctx),
  };
  const sockets = new Set<TrackedSocket>();

  const dropSockets = (venue?: SimVenue) => {
    for (const t of [...sockets]) {
      if (!venue || t.venue === venue) t.socket.terminate();
    }
    for (const v of VENUES) if (!venue || v === venue) venues[v].dropConnections();
  };

  async function control(method: string, path: string, query: URLSearchParams, body: string): Promise<unknown> {
    const parts = path.split('/').filter(Boolean); // ['control', ...]
    const [, head, action] = parts;
    if (head === 'binance' || head === 'hyperliquid') {
      if (!action) throw new ControlError(`missing action: POST /control/${head}/<action>`);
      try {
        return await venues[head].control(action, parseJson(body));
      } catch (e) {
        if (e instanceof ControlError) throw e;
        throw new ControlError(e instanceof Error ? e.message : String(e));
      }
    }
    const route = `${method} /${parts.slice(1).join('/')}`;
    switch (route) {
      case 'GET /state':
        return {
          prices: prices.symbols().map((s) => ({ venue: s.venue, symbol: s.symbol, price: prices.mark(s.venue, s.symbol) })),
          simNow: prices.now(),
          source: prices.source,
          path: prices.pathOrigin,
          speed: prices.speed,
          paused: prices.isPaused,
          faults: ctx.faults,
          malformedScope: ctx.malformedScope,
          clockSkewMs: ctx.skewMs,
          sockets: { binance: [...sockets].filter((s) => s.venue === 'binance').length, hyperliquid: [...sockets].filter((s) => s.venue === 'hyperliquid').length },
          replay: ctx.replay.length,
        };
      case 'POST /reset':
        ctx.clearFaults();
        ctx.replay = [];
        ctx.requests.length = 0;
        prices.reset();
        ctx.resetWeight();
        dropSockets();
        for (const v of VENUES) venues[v].reset();
        return { ok: true };
      case 'POST /faults': {
        const patch = parseWith(FaultPatchSchema, parseJson(body));
        if (patch.http) ctx.faults.http.push(...patch.http.map((h) => ({ ...h })));
        if (patch.delayMs !== undefined) ctx.faults.delayMs = patch.delayMs;
        if (patch.stalled !== undefined) ctx.faults.stalled = patch.stalled;
        if (patch.malformed !== undefined) ctx.faults.malformed = patch.malformed;
        if (patch.malformedScope !== undefined) ctx.malformedScope = patch.malformedScope;
        if (patch.rejectOrders !== undefined) ctx.faults.rejectOrders = patch.rejectOrders;
        if (patch.clockSkewMs !== undefined) ctx.skewMs = patch.clockSkewMs;
        return { faults: ctx.faults, malformedScope: ctx.malformedScope, clockSkewMs: ctx.skewMs };
      }
      case 'POST /faults/clear':
        ctx.clearFaults();
        return { ok: true };
      case 'POST /drop': {
        const { venue } = parseWith(DropBody, parseJson(body));
        const n = [...sockets].filter((s) => !venue || s.venue === venue).length;
        dropSockets(venue);
        return { dropped: n };
      }
      case 'POST /price': {
        const p = parseWith(PriceBody, parseJson(body));
        try {
          prices.setPrice(p.venue, p.symbol, p.price);
        } catch (e) {
          throw new ControlError((e as Error).message);
        }
        return { ok: true };
      }
      case 'POST /moves': {
        const m = parseWith(MovesBody, parseJson(body));
        try {
          m.moves.forEach((mv) => prices.move(mv));
        } catch (e) {
          throw new ControlError((e as Error).message);
        }
        return { ok: true };
      }
      case 'POST /symbols': {
        const s = parseWith(SymbolBody, parseJson(body));
        if (prices.mark(s.venue, s.symbol) !== undefined) throw new ControlError(`symbol ${s.venue}:${s.symbol} exists`);
        prices.addSymbol(s);
        return { ok: true };
      }
      case 'POST /clock': {
        prices.setClock(parseWith(ClockBody, parseJson(body)));
        return { speed: prices.speed, paused: prices.isPaused, simNow: prices.now() };
      }
      case 'POST /tick': {
        const { count } = parseWith(TickBody, parseJson(body));
        for (let i = 0; i < count; i++) prices.tick();
        return { simNow: prices.now() };
      }
      case 'GET /weight': {
        const v = VenueSchema.safeParse(query.get('venue'));
        if (!v.success) throw new ControlError('weight needs ?venue=binance|hyperliquid');
        return ctx.weight(v.data);
      }
      case 'GET /requests': {
        const v = query.get('venue');
        return { requests: ctx.requests.filter((r) => !v || r.venue === v) };
      }
      case 'POST /requests/clear':
        ctx.requests.length = 0;
        return { ok: true };
      case 'POST /weight/reset':
        ctx.resetWeight();
        return { ok: true };
      case 'POST /replay': {
        const r = parseWith(ReplayBody, parseJson(body));
        ctx.replay.push(
          ...r.entries.map((e) => ({
            venue: e.venue,
            method: e.method,
            path: e.path,
            bodyMatch: e.bodyMatch,
            status: e.status,
            body: e.body,
            remaining: e.times === 0 ? null : e.times,
          })),
        );
        return { entries: ctx.replay.length };
      }
      case 'POST /replay/clear':
        ctx.replay = [];
        return { ok: true };
      case 'POST /push': {
        const p = parseWith(PushBody, parseJson(body));
        let sent = 0;
        for (const t of sockets) {
          if (t.venue !== p.venue || (p.pathPrefix && !t.path.startsWith(p.pathPrefix))) continue;
          for (const f of p.frames) t.socket.send(f);
          sent += 1;
        }
        return { sockets: sent };
      }
      default:
        throw new ControlError(`unknown control route: ${route}`, 404);
    }
  }

  function matchReplay(venue: SimVenue, method: string, path: string, body: string): ReplayEntry | null {
    for (const e of ctx.replay) {
      if (e.venue !== venue || e.path !== path || (e.method && e.method !== method)) continue;
      if (e.remaining !== null && e.remaining <= 0) continue;
      if (e.bodyMatch) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          continue;
        }
        if (typeof parsed !== 'object' || parsed === null) continue;
        const rec = parsed as Record<string, unknown>;
        if (!Object.entries(e.bodyMatch).every(([k, v]) => JSON.stringify(rec[k]) === JSON.stringify(v))) continue;
      }
      if (e.remaining !== null) e.remaining -= 1;
      return e;
    }
    return null;
  }

  /** Replaces what a venue writes with a malformed body when that fault is armed (status kept, length fixed). */
  function wrapMalformed(res: ServerResponse): void {
    if (!ctx.takeMalformed('rest')) return;
    const length = String(Buffer.byteLength(MALFORMED_BODY));
    const writeHead = res.writeHead.bind(res) as (status: number, headers: Record<string, string>) => ServerResponse;
    const end = res.end.bind(res) as (body: string) => ServerResponse;
    res.writeHead = ((status: number) => writeHead(status, { 'content-type': 'application/json', 'content-length': length })) as typeof res.writeHead;
    res.end = (() => {
      if (!res.headersSent) {
        res.removeHeader('content-length');
        res.setHeader('content-length', length);
      }
      return end(MALFORMED_BODY);
    }) as typeof res.end;
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (options.onVenueRequest) {
      const v = VenueSchema.safeParse(path.split('/')[1] ?? '');
      if (v.success) options.onVenueRequest({ venue: v.data, method, path: path.slice(v.data.length + 1) || '/', at: arrivedAt });
    }
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      return sendJson(res, 413, { error: 'request body too large' });
    }
    if (path.startsWith('/control/')) {
      try {
        const out = await control(method, path, url.searchParams, body);
        return sendJson(res, 200, out ?? { ok: true });
      } catch (e) {
        const status = e instanceof ControlError ? e.status : 500;
        return sendJson(res, status, { error: e instanceof Error ? e.message : String(e) });
      }
    }
    const seg = path.split('/')[1] ?? '';
    const venueParse = VenueSchema.safeParse(seg);
    if (!venueParse.success) return sendJson(res, 404, { error: `unknown path ${path}` });
    const venue = venueParse.data;
    const rest = path.slice(venue.length + 1) || '/';
    log(`${method} ${path}${url.search}`);
    res.on('finish', () => {
      ctx.requests.push({ venue, method, path: rest, status: res.statusCode, time: Date.now() });
      if (ctx.requests.length > 2000) ctx.requests.splice(0, ctx.requests.length - 2000);
    });

    if (ctx.faults.delayMs > 0) await new Promise((r) => setTimeout(r, ctx.faults.delayMs));
    const fault = takeHttpFault(ctx.faults, path);
    if (fault) {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSec !== undefined) headers['retry-after'] = String(fault.retryAfterSec);
      const text = fault.body ?? venues[venue].faultBody?.(fault.status) ?? JSON.stringify({ error: `injected ${fault.status}` });
      return sendText(res, fault.status, text, { 'content-type': text.startsWith('{') ? 'application/json' : 'text/plain', ...headers });
    }
    const replayed = matchReplay(venue, method, rest, body);
    if (replayed) {
      return sendText(res, replayed.status, replayed.body, { 'content-type': 'application/json' });
    }
    wrapMalformed(res);
    try {
      const handled = await venues[venue].http(req, res, rest, body);
      if (!handled && !res.headersSent) sendJson(res, 404, { error: `unknown ${venue} path ${rest}` });
    } catch (e) {
      if (!res.headersSent) sendJson(res, 500, { error: e instanceof Error ? e.message : String(e) });
      else res.end();
    }
  }

  const server: Server = createServer((req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(e) });
    });
  });
  const wss = new WebSocketServer({ noServer: true });

  /** Every frame a venue sends goes through here: stall, malformed and delay faults apply to both venues alike. */
  function patchSend(socket: WebSocket): void {
    const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
    (socket as unknown as { send: (data: unknown, ...rest: unknown[]) => void }).send = (data, ...rest) => {
      if (ctx.faults.stalled) return;
      const payload = ctx.takeMalformed('ws') ? MALFORMED_BODY : data;
      const go = () => {
        if (socket.readyState === WebSocket.OPEN) send(payload, ...rest);
      };
      if (ctx.faults.delayMs > 0) setTimeout(go, ctx.faults.delayMs);
      else go();
    };
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const seg = url.pathname.split('/')[1] ?? '';
    const venueParse = VenueSchema.safeParse(seg);
    // Any path under the venue: Binance clients rewrite their base into /market/ws, /public/ws and /private/ws.
    if (!venueParse.success) {
      socket.write('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    const venue = venueParse.data;
    wss.handleUpgrade(req, socket, head, (ws) => {
      const path = url.pathname.slice(venue.length + 1) + url.search;
      const tracked: TrackedSocket = { socket: ws, venue, path };
      sockets.add(tracked);
      ws.on('close', () => sockets.delete(tracked));
      ws.on('error', () => sockets.delete(tracked));
      patchSend(ws);
      log(`WS ${url.pathname}${url.search}`);
      if (!venues[venue].ws(ws, path, req)) ws.close(4404, 'unknown stream path');
    });
  });

  const port = await new Promise<number>((resolvePort, reject) => {
    server.once('error', reject);
    // Loopback only: the simulator never listens on a public interface.
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePort((server.address() as AddressInfo).port));
  });
  prices.start();

  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    ctx,
    venues,
    async close() {
      if (closed) return;
      closed = true;
      prices.stop();
      dropSockets();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export type { PriceSource, SimVenue, SymbolSpec };
