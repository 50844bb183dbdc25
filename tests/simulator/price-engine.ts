/**
 * Price engine: one mark price per (venue, symbol), driven by real candles (../shared/fixtures/market when present),
 * a generated random walk, or only by scripted moves. Time is simulated: each real tick advances it by
 * tickMs x speed, so a test or benchmark can run ten simulated minutes in ten real seconds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { seededRandom } from '../support/seeded-random';

export type SimVenue = 'binance' | 'hyperliquid';
export type PriceSource = 'candles' | 'generated' | 'manual';

export interface SymbolSpec {
  venue: SimVenue;
  symbol: string;
  price: number;
}

export interface PriceEngineOptions {
  symbols: SymbolSpec[];
  source: PriceSource;
  /** Candle file ([[openTimeMs, open, high, low, close, volume], ...]); used when source is 'candles' and it exists. */
  candlesFile?: string;
  /** Real milliseconds between ticks. */
  tickMs: number;
  /** Simulated milliseconds per real millisecond (1 = real time). */
  speed: number;
  seed: number;
  /** Hard bound on the number of ticks, so the loop stops by itself. */
  maxTicks: number;
  /** Simulated start time (ms). */
  startTime: number;
}

export interface ScriptedMove {
  venue: SimVenue;
  symbol: string;
  to: number;
  /** Simulated milliseconds the move takes (0 = jump). */
  overMs: number;
}

type TickListener = (venue: SimVenue, symbol: string, price: number) => void;

interface SymbolState {
  spec: SymbolSpec;
  /** Offset into the shared path so symbols do not move in lockstep. */
  offset: number;
  anchorPrice: number;
  anchorT: number;
  price: number;
  ramp: { from: number; to: number; start: number; end: number } | null;
}

const CandleFileSchema = z.array(z.array(z.number()).min(5)).min(2);

/** A relative price path (path[0] = 1) with a fixed simulated step between points. */
interface Path {
  points: number[];
  stepMs: number;
  origin: 'candles' | 'generated' | 'flat';
}


export function loadCandlePath(file: string): Path | null {
  if (!existsSync(file)) return null;
  const parsed = CandleFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) return null;
  const rows = parsed.data;
  const first = rows[0]!;
  const second = rows[1]!;
  const closes = rows.map((r) => r[4]!).filter((c) => c > 0);
  if (closes.length < 2) return null;
  const base = closes[0]!;
  return { points: closes.map((c) => c / base), stepMs: Math.max(1000, second[0]! - first[0]!), origin: 'candles' };
}

/** Geometric random walk, one point per simulated minute, about 0.15% per step. */
export function generatedPath(seed: number, length = 2000): Path {
  const rand = seededRandom(seed);
  const points = [1];
  for (let i = 1; i < length; i++) {
    const shock = (rand() + rand() + rand() - 1.5) * 0.003;
    points.push(points[i - 1]! * (1 + shock));
  }
  return { points, stepMs: 60_000, origin: 'generated' };
}

/** Path value at a fractional index; the path is walked forth and back so it never runs out. */
function pathAt(path: Path, index: number): number {
  const n = path.points.length;
  const period = 2 * (n - 1);
  let i = index % period;
  if (i < 0) i += period;
  if (i > n - 1) i = period - i;
  const lo = Math.floor(i);
  const hi = Math.min(n - 1, lo + 1);
  const frac = i - lo;
  return path.points[lo]! * (1 - frac) + path.points[hi]! * frac;
}

const roundPrice = (p: number) => Number(p.toPrecision(8));

export class PriceEngine {
  private readonly states = new Map<string, SymbolState>();
  private readonly listeners = new Set<TickListener>();
  private path: Path;
  private simNow: number;
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private paused = false;
  private opts: PriceEngineOptions;

  constructor(opts: PriceEngineOptions) {
    this.opts = opts;
    this.simNow = opts.startTime;
    this.path = this.buildPath(opts);
    opts.symbols.forEach((s, i) => this.addSymbol(s, i));
  }

  get source(): PriceSource {
    return this.opts.source;
  }
  get pathOrigin(): Path['origin'] {
    return this.path.origin;
  }
  get speed(): number {
    return this.opts.speed;
  }
  get tickMs(): number {
    return this.opts.tickMs;
  }
  get isPaused(): boolean {
    return this.paused;
  }
  get tickCount(): number {
    return this.ticks;
  }
  /** Simulated time (ms). */
  now(): number {
    return this.simNow;
  }

  private buildPath(opts: PriceEngineOptions): Path {
    if (opts.source === 'manual') return { points: [1, 1], stepMs: 60_000, origin: 'flat' };
    if (opts.source === 'candles' && opts.candlesFile) {
      const p = loadCandlePath(opts.candlesFile);
      if (p) return p;
    }
    return generatedPath(opts.seed);
  }

  private key(venue: SimVenue, symbol: string): string {
    return `${venue}:${symbol}`;
  }

  addSymbol(spec: SymbolSpec, index = this.states.size): void {
    if (!(spec.price > 0) || !Number.isFinite(spec.price)) throw new Error(`price of ${spec.symbol} must be > 0`);
    const offset = (index * 137) % Math.max(1, this.path.points.length - 1);
    this.states.set(this.key(spec.venue, spec.symbol), {
      spec,
      offset,
      anchorPrice: spec.price,
      anchorT: this.simNow,
      price: spec.price,
      ramp: null,
    });
  }

  symbols(venue?: SimVenue): SymbolSpec[] {
    return [...this.states.values()].filter((s) => !venue || s.spec.venue === venue).map((s) => s.spec);
  }

  mark(venue: SimVenue, symbol: string): number | undefined {
    return this.states.get(this.key(venue, symbol))?.price;
  }

  onTick(listener: TickListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private factor(s: SymbolState, t: number): number {
    if (this.path.origin === 'flat') return 1;
    return pathAt(this.path, s.offset + (t - this.opts.startTime) / this.path.stepMs);
  }

  private priceAt(s: SymbolState, t: number): number {
    if (s.ramp) {
      if (t >= s.ramp.end) {
        s.anchorPrice = s.ramp.to;
        s.anchorT = s.ramp.end;
        s.ramp = null;
      } else {
        const k = (t - s.ramp.start) / Math.max(1, s.ramp.end - s.ramp.start);
        return s.ramp.from + (s.ramp.to - s.ramp.from) * k;
      }
    }
    return (s.anchorPrice * this.factor(s, t)) / this.factor(s, s.anchorT);
  }

  private require(venue: SimVenue, symbol: string): SymbolState {
    const s = this.states.get(this.key(venue, symbol));
    if (!s) throw new Error(`unknown symbol ${venue}:${symbol}`);
    return s;
  }

  /** Jumps a price now and notifies listeners; the path continues from there. */
  setPrice(venue: SimVenue, symbol: string, price: number): void {
    if (!(price > 0) || !Number.isFinite(price)) throw new Error('price must be a positive number');
    const s = this.require(venue, symbol);
    s.ramp = null;
    s.anchorPrice = price;
    s.anchorT = this.simNow;
    s.price = roundPrice(price);
    this.emit(s);
  }

  move(m: ScriptedMove): void {
    if (m.overMs <= 0) return this.setPrice(m.venue, m.symbol, m.to);
    if (!(m.to > 0)) throw new Error('target price must be > 0');
    const s = this.require(m.venue, m.symbol);
    s.ramp = { from: s.price, to: m.to, start: this.simNow, end: this.simNow + m.overMs };
  }

  setClock(opts: { speed?: number; paused?: boolean }): void {
    if (opts.speed !== undefined) {
      if (!(opts.speed > 0) || opts.speed > 10_000) throw new Error('speed must be in (0, 10000]');
      this.opts = { ...this.opts, speed: opts.speed };
    }
    if (opts.paused !== undefined) this.paused = opts.paused;
  }

  private emit(s: SymbolState): void {
    for (const l of this.listeners) l(s.spec.venue, s.spec.symbol, s.price);
  }

  /** One step: advance simulated time (unless paused), recompute every price, notify listeners. */
  tick(advance = true): void {
    if (advance && !this.paused) this.simNow += this.opts.tickMs * this.opts.speed;
    for (const s of this.states.values()) {
      s.price = roundPrice(this.priceAt(s, this.simNow));
      this.emit(s);
    }
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.ticks += 1;
      if (this.ticks >= this.opts.maxTicks) this.stop();
      this.tick();
    }, this.opts.tickMs);
    // The engine never keeps a process (a test runner) alive by itself.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  reset(): void {
    this.simNow = this.opts.startTime;
    this.paused = false;
    for (const s of this.states.values()) {
      s.anchorPrice = s.spec.price;
      s.anchorT = this.simNow;
      s.price = s.spec.price;
      s.ramp = null;
    }
  }
}

export const DEFAULT_SYMBOLS: SymbolSpec[] = [
  ['BTC', 60000],
  ['ETH', 3000],
  ['SOL', 150],
  ['XRP', 0.6],
  ['BNB', 600],
  ['DOGE', 0.15],
  ['ADA', 0.45],
  ['AVAX', 30],
  ['LINK', 15],
  ['LTC', 80],
].flatMap(([coin, price]) => [
  { venue: 'binance' as const, symbol: `${coin as string}USDT`, price: price as number },
  { venue: 'hyperliquid' as const, symbol: coin as string, price: price as number },
]);
