/**
 * An in-memory exchange adapter for the risk loop's unit tests: the test sets the account and positions, pushes
 * events, and sees every close and cancel the loop sends. Closes fill at once (or partly, with `fillCap`).
 */
import type { AccountSnapshot, CashFlow, Fill, InstrumentRules, OpenOrder, Position, PositionSide, Venue } from '@/lib/domain/types';
import { RateLimitError } from '@/lib/exchanges/errors';
import type { ActionResult, AdapterConfig, AdapterEvent, Capabilities, ClosePositionRequest, ExchangeAdapter, VenueSnapshot } from '@/lib/exchanges/types';

export interface SentClose extends ClosePositionRequest {
  sizeBefore: number;
}

export class FakeAdapter implements ExchangeAdapter {
  readonly venue: Venue;
  readonly accountId: string;
  readonly capabilities: Capabilities;
  account: AccountSnapshot;
  positions: Position[] = [];
  orders: OpenOrder[] = [];
  closes: SentClose[] = [];
  cancels: { symbol?: string; orderIds?: string[] }[] = [];
  /** Largest size one close fills (the rest is reported as remaining). */
  fillCap = Infinity;
  /** The next N closes fail with a 429. */
  failNext = 0;
  connected = false;
  /** The venue's history of deposits and withdrawals (fetchCashFlows answers from it), and the `since` of each read. */
  cashFlowHistory: CashFlow[] = [];
  cashFlowReads: number[] = [];
  /** fetchCashFlows fails with this, or (a number) answers only after that many ms. */
  cashFlowFault: Error | number | null = null;
  private listeners = new Set<(e: AdapterEvent) => void>();

  constructor(readonly config: AdapterConfig, opts: { equity?: number; trading?: boolean } = {}) {
    this.venue = config.credentials.venue;
    this.accountId = config.accountId;
    this.capabilities = {
      trading: opts.trading ?? true,
      userStream: true,
      markPriceStream: true,
      hedgeMode: true,
      multiAssetsMode: false,
      builderDexes: false,
      conditionalOrders: true,
      deadManSwitch: true,
      orderBook: false,
      candles: false,
      trades: false,
    };
    const equity = opts.equity ?? 10_000;
    this.account = { venue: this.venue, accountId: this.accountId, equity, walletBalance: equity, availableBalance: equity, marginUsed: 0, unrealizedPnl: 0, time: 0 };
  }

  position(symbol: string, side: PositionSide, size: number, entry: number, mark: number, leverage = 10): Position {
    const signed = side === 'long' ? Math.abs(size) : -Math.abs(size);
    return {
      venue: this.venue,
      accountId: this.accountId,
      symbol,
      side,
      size: signed,
      hedged: false,
      entryPrice: entry,
      markPrice: mark,
      leverage,
      marginMode: 'cross',
      liquidationPrice: null,
      unrealizedPnl: (mark - entry) * signed,
      notional: Math.abs(size) * mark,
      marginUsed: (Math.abs(size) * mark) / leverage,
      openedAt: this.config.now?.() ?? 0,
      strategyId: 'manual',
      updatedAt: 0,
    };
  }

  emit(e: AdapterEvent) {
    for (const l of this.listeners) l(e);
  }
  /** Pushes the account and the position set (what a venue push does). */
  push(time: number) {
    this.account = { ...this.account, time, unrealizedPnl: this.positions.reduce((s, p) => s + p.unrealizedPnl, 0) };
    this.account = { ...this.account, equity: this.account.walletBalance + this.account.unrealizedPnl };
    this.emit({ type: 'account', account: this.account });
    this.emit({ type: 'positions', positions: this.positions, time });
  }

  async connect() {
    this.connected = true;
    this.emit({ type: 'connection', state: 'open' });
    this.push(this.account.time);
  }
  async disconnect() {
    this.connected = false;
  }
  async snapshot(): Promise<VenueSnapshot> {
    return { account: this.account, positions: this.positions, openOrders: this.orders, time: this.account.time };
  }
  subscribe(listener: (event: AdapterEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async watchMarks() {}
  async fetchFills(): Promise<Fill[]> {
    return [];
  }
  async fetchCashFlows(since: number): Promise<CashFlow[]> {
    this.cashFlowReads.push(since);
    const fault = this.cashFlowFault;
    if (fault instanceof Error) throw fault;
    if (typeof fault === 'number') await new Promise((r) => setTimeout(r, fault));
    return this.cashFlowHistory.filter((f) => f.time >= since);
  }
  async fetchCandles() {
    return [];
  }
  async fetchOrderBook(): Promise<never> {
    throw new Error('no book');
  }
  /** Binance-like BTC rules for every symbol: 0.001 lots, $100 minimum, 125x. */
  async instrument(symbol: string): Promise<InstrumentRules | null> {
    return { venue: this.venue, symbol, lotStep: 0.001, tickSize: 0.1, minNotional: 100, maxLeverage: 125 };
  }
  async closePosition(req: ClosePositionRequest): Promise<ActionResult> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new RateLimitError('fake: 429', { venue: this.venue, retryAfterMs: 5 });
    }
    const i = this.positions.findIndex((p) => p.symbol === req.symbol && p.side === req.side);
    if (i < 0) return { status: 'noop', orderIds: [], filledSize: 0, remainingSize: 0 };
    const p = this.positions[i]!;
    this.closes.push({ ...req, sizeBefore: Math.abs(p.size) });
    const want = Math.abs(p.size) * req.fraction;
    const filled = Math.min(want, this.fillCap);
    const left = Math.abs(p.size) - filled;
    const t = this.account.time;
    if (left <= 1e-12) this.positions.splice(i, 1);
    else this.positions[i] = this.position(p.symbol, p.side, left, p.entryPrice, p.markPrice ?? p.entryPrice, p.leverage);
    // The venue pushes the new position set right after the fill.
    queueMicrotask(() => this.push(t));
    return { status: want - filled > 1e-12 ? 'partial' : 'filled', orderIds: [`o${this.closes.length}`], filledSize: filled, remainingSize: want - filled };
  }
  async cancelOrders(req: { symbol?: string; orderIds?: string[] }): Promise<ActionResult> {
    this.cancels.push(req);
    const ids = req.orderIds ?? this.orders.map((o) => o.orderId);
    this.orders = this.orders.filter((o) => !ids.includes(o.orderId));
    return { status: ids.length ? 'accepted' : 'noop', orderIds: ids, filledSize: 0, remainingSize: 0 };
  }
  async placeProtectiveStop(): Promise<ActionResult> {
    return { status: 'accepted', orderIds: [], filledSize: 0, remainingSize: 0 };
  }
  deadMan: (number | null)[] = [];
  async setDeadManSwitch(req: { timeoutMs: number | null }) {
    this.deadMan.push(req.timeoutMs);
  }
  stats() {
    return { badPayloads: 0, reconnects: 0, lastMessageAt: null, restWeightUsed: 0 };
  }
}
