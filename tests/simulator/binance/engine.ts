/**
 * Accounts, positions, orders, algo orders and fills of the simulated Binance USD-M venue, with PnL, margin and
 * liquidation price computed as Binance documents them. Pure state: the REST and websocket layers call into it and
 * push the events it returns.
 */
import { bracketFor, isStepMultiple, round, type SymbolInfo } from './market';

export type PositionSideRaw = 'BOTH' | 'LONG' | 'SHORT';
export type SideRaw = 'BUY' | 'SELL';

export interface SimPosition {
  symbol: string;
  positionSide: PositionSideRaw;
  /** Signed: short < 0. */
  amt: number;
  entry: number;
  /** Isolated positions only: margin set aside for this position. */
  isolatedWallet: number;
  /** Accumulated realized PnL (ACCOUNT_UPDATE `cr`). */
  realized: number;
  updateTime: number;
}

export interface SimOrder {
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: SideRaw;
  type: 'MARKET' | 'LIMIT';
  price: number;
  qty: number;
  executed: number;
  avgPrice: number;
  cumQuote: number;
  reduceOnly: boolean;
  closePosition: boolean;
  positionSide: PositionSideRaw;
  timeInForce: string;
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED';
  time: number;
  updateTime: number;
}

export type AlgoType = 'STOP_MARKET' | 'TAKE_PROFIT_MARKET' | 'STOP' | 'TAKE_PROFIT' | 'TRAILING_STOP_MARKET';

export interface SimAlgo {
  algoId: number;
  clientAlgoId: string;
  symbol: string;
  side: SideRaw;
  positionSide: PositionSideRaw;
  orderType: AlgoType;
  quantity: number;
  triggerPrice: number;
  price: number;
  reduceOnly: boolean;
  closePosition: boolean;
  workingType: string;
  status: 'NEW' | 'CANCELED' | 'TRIGGERED' | 'FINISHED' | 'EXPIRED' | 'REJECTED';
  createTime: number;
  updateTime: number;
  triggerTime: number;
  actualOrderId: number | null;
  avgPrice: number;
  executedQty: number;
}

export interface SimTrade {
  id: number;
  orderId: number;
  symbol: string;
  side: SideRaw;
  price: number;
  qty: number;
  realizedPnl: number;
  quoteQty: number;
  commission: number;
  commissionAsset: string;
  time: number;
  positionSide: PositionSideRaw;
  buyer: boolean;
  maker: boolean;
}

export interface SimTransfer {
  tranId: number;
  incomeType: 'TRANSFER' | 'INTERNAL_TRANSFER';
  asset: string;
  /** Signed: + into the futures wallet, - out of it. */
  income: number;
  /** The ACCOUNT_UPDATE push's T for the same transfer. */
  time: number;
}

export interface SimAccount {
  apiKey: string;
  secret: string;
  /** A read-only key: trading endpoints answer -2015. */
  canTrade: boolean;
  dualSidePosition: boolean;
  multiAssetsMargin: boolean;
  /** Cross wallet per asset (isolated wallets live on the positions). */
  wallets: Map<string, number>;
  symbolConfig: Map<string, { leverage: number; marginType: 'CROSSED' | 'ISOLATED' }>;
  positions: Map<string, SimPosition>;
  orders: Map<number, SimOrder>;
  algos: Map<number, SimAlgo>;
  trades: SimTrade[];
  /** Transfers into / out of the futures wallet (the `transfer` control action), oldest first: GET /fapi/v1/income. */
  transfers: SimTransfer[];
  listenKey: string | null;
  listenKeyExpiresAt: number;
  /** Dead-man's switch deadlines per symbol (ms). */
  countdowns: Map<string, { deadline: number; countdownTime: number }>;
  slippageBps: number;
  /**
   * The most one MARKET / IOC / FOK order fills at once (thin liquidity); null: unlimited. A MARKET or IOC order fills
   * up to it and the rest expires; a FOK order larger than it expires unfilled.
   */
  fillCap: number | null;
  takerFee: number;
  makerFee: number;
  updateTime: number;
}

/** A Binance business error: code and message exactly as the venue sends them. */
export class BinanceReject extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly httpStatus = 400,
  ) {
    super(msg);
  }
}

export const DEFAULT_LEVERAGE = 20;
/** The largest multiple of step not above v (float noise tolerated). */
const floorToStep = (v: number, step: number) => round(Math.floor(v / step + 1e-9) * step, 12);
export const posKey = (symbol: string, side: PositionSideRaw) => `${symbol}:${side}`;

export interface PositionMetrics {
  mark: number;
  unrealized: number;
  /** Signed, as Binance reports it. */
  notional: number;
  initialMargin: number;
  maintMargin: number;
  liquidationPrice: number;
  isolated: boolean;
  leverage: number;
}

export interface AccountTotals {
  totalWalletBalance: number;
  totalUnrealizedProfit: number;
  totalMarginBalance: number;
  totalPositionInitialMargin: number;
  totalOpenOrderInitialMargin: number;
  totalInitialMargin: number;
  totalMaintMargin: number;
  totalCrossWalletBalance: number;
  totalCrossUnPnl: number;
  availableBalance: number;
  maxWithdrawAmount: number;
}

/** What a state change produced, for the websocket layer to push. */
export type EngineEvent =
  | { kind: 'order'; order: SimOrder; execType: 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED'; trade: SimTrade | null }
  /** balanceChange: ACCOUNT_UPDATE `bc` per asset (deposits, withdrawals); absent: 0, as for trades. */
  | { kind: 'account'; reason: string; positions: SimPosition[]; assets: string[]; balanceChange?: Record<string, number> }
  | { kind: 'algo'; algo: SimAlgo };

export interface EngineDeps {
  mark(symbol: string): number | undefined;
  symbol(symbol: string): SymbolInfo | undefined;
  now(): number;
  nextId(): number;
}

export class BinanceEngine {
  constructor(private readonly deps: EngineDeps) {}

  config(acc: SimAccount, symbol: string) {
    let c = acc.symbolConfig.get(symbol);
    if (!c) {
      c = { leverage: DEFAULT_LEVERAGE, marginType: 'CROSSED' };
      acc.symbolConfig.set(symbol, c);
    }
    return c;
  }

  /** USD value of one unit of a margin asset (multi-assets mode values non-stable assets at their USDT mark). */
  assetPrice(asset: string): number {
    if (asset === 'USDT' || asset === 'USDC' || asset === 'FDUSD' || asset === 'BUSD') return 1;
    return this.deps.mark(`${asset}USDT`) ?? 0;
  }

  /** Assets that count as margin: all of them in multi-assets mode, USDT otherwise. */
  marginAssets(acc: SimAccount): string[] {
    return acc.multiAssetsMargin ? [...acc.wallets.keys()] : ['USDT'];
  }

  crossWalletUsd(acc: SimAccount): number {
    return this.marginAssets(acc).reduce((s, a) => s + (acc.wallets.get(a) ?? 0) * this.assetPrice(a), 0);
  }

  openPositions(acc: SimAccount): SimPosition[] {
    return [...acc.positions.values()].filter((p) => p.amt !== 0);
  }

  private basic(acc: SimAccount, p: SimPosition) {
    const mark = this.deps.mark(p.symbol) ?? p.entry;
    const info = this.deps.symbol(p.symbol);
    const notional = p.amt * mark;
    const cfg = this.config(acc, p.symbol);
    const bracket = info ? bracketFor(info, notional) : { maintMarginRatio: 0.004, cum: 0 };
    const maintMargin = Math.max(0, Math.abs(notional) * bracket.maintMarginRatio - bracket.cum);
    return {
      mark,
      notional,
      unrealized: p.amt * (mark - p.entry),
      initialMargin: Math.abs(notional) / cfg.leverage,
      maintMargin,
      mmr: bracket.maintMarginRatio,
      cum: bracket.cum,
      isolated: cfg.marginType === 'ISOLATED',
      leverage: cfg.leverage,
    };
  }

  /**
   * Binance's liquidation price for one position:
   * LP = (WB - TMM1 + UPNL1 + cum - s*Q*EP) / (Q*MMR - s*Q), with WB the cross wallet (or the isolated wallet),
   * TMM1 / UPNL1 the maintenance margin and unrealized PnL of every other cross position, s = +1 long / -1 short.
   * A result <= 0 means no liquidation price ("0").
   */
  metrics(acc: SimAccount, p: SimPosition): PositionMetrics {
    const b = this.basic(acc, p);
    let wb: number;
    let tmm1 = 0;
    let upnl1 = 0;
    if (b.isolated) {
      wb = p.isolatedWallet;
    } else {
      wb = this.crossWalletUsd(acc);
      for (const o of this.openPositions(acc)) {
        if (o === p) continue;
        const ob = this.basic(acc, o);
        if (ob.isolated) continue;
        tmm1 += ob.maintMargin;
        upnl1 += ob.unrealized;
      }
    }
    const s = p.amt > 0 ? 1 : -1;
    const q = Math.abs(p.amt);
    let liq = 0;
    if (q > 0) {
      const lp = (wb - tmm1 + upnl1 + b.cum - s * q * p.entry) / (q * b.mmr - s * q);
      liq = Number.isFinite(lp) && lp > 0 ? lp : 0;
    }
    return {
      mark: b.mark,
      unrealized: b.unrealized,
      notional: b.notional,
      initialMargin: b.initialMargin,
      maintMargin: b.maintMargin,
      liquidationPrice: liq,
      isolated: b.isolated,
      leverage: b.leverage,
    };
  }

  openOrderMargin(acc: SimAccount): number {
    let sum = 0;
    for (const o of acc.orders.values()) {
      if (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED') continue;
      if (o.reduceOnly) continue;
      sum += ((o.qty - o.executed) * o.price) / this.config(acc, o.symbol).leverage;
    }
    return sum;
  }

  totals(acc: SimAccount): AccountTotals {
    let upnl = 0;
    let crossUpnl = 0;
    let posIm = 0;
    let crossIm = 0;
    let mm = 0;
    let isoWallets = 0;
    for (const p of this.openPositions(acc)) {
      const m = this.basic(acc, p);
      upnl += m.unrealized;
      posIm += m.initialMargin;
      mm += m.maintMargin;
      if (m.isolated) isoWallets += p.isolatedWallet;
      else {
        crossUpnl += m.unrealized;
        crossIm += m.initialMargin;
      }
    }
    const orderIm = this.openOrderMargin(acc);
    const cross = this.crossWalletUsd(acc);
    const wallet = cross + isoWallets;
    const available = cross + crossUpnl - crossIm - orderIm;
    return {
      totalWalletBalance: wallet,
      totalUnrealizedProfit: upnl,
      totalMarginBalance: wallet + upnl,
      totalPositionInitialMargin: posIm,
      totalOpenOrderInitialMargin: orderIm,
      totalInitialMargin: posIm + orderIm,
      totalMaintMargin: mm,
      totalCrossWalletBalance: cross,
      totalCrossUnPnl: crossUpnl,
      availableBalance: available,
      maxWithdrawAmount: Math.max(0, Math.min(available, cross)),
    };
  }

  /** Per-asset view (assets[] of /fapi/v3/account and /fapi/v2/balance). */
  assetRow(acc: SimAccount, asset: string) {
    const cross = acc.wallets.get(asset) ?? 0;
    const isUsdt = asset === 'USDT';
    let iso = 0;
    let upnl = 0;
    let crossUpnl = 0;
    let im = 0;
    let mm = 0;
    if (isUsdt) {
      for (const p of this.openPositions(acc)) {
        const m = this.basic(acc, p);
        upnl += m.unrealized;
        im += m.initialMargin;
        mm += m.maintMargin;
        if (m.isolated) iso += p.isolatedWallet;
        else crossUpnl += m.unrealized;
      }
    }
    const orderIm = isUsdt ? this.openOrderMargin(acc) : 0;
    const wallet = cross + iso;
    const available = acc.multiAssetsMargin && !isUsdt ? cross : cross + crossUpnl - (im - 0) - orderIm;
    return {
      asset,
      walletBalance: wallet,
      unrealizedProfit: upnl,
      marginBalance: wallet + upnl,
      maintMargin: mm,
      initialMargin: im + orderIm,
      positionInitialMargin: im,
      openOrderInitialMargin: orderIm,
      crossWalletBalance: cross,
      crossUnPnl: crossUpnl,
      availableBalance: available,
      maxWithdrawAmount: Math.max(0, Math.min(available, cross)),
    };
  }

  // ---------- positions ----------

  position(acc: SimAccount, symbol: string, side: PositionSideRaw): SimPosition {
    const key = posKey(symbol, side);
    let p = acc.positions.get(key);
    if (!p) {
      p = { symbol, positionSide: side, amt: 0, entry: 0, isolatedWallet: 0, realized: 0, updateTime: 0 };
      acc.positions.set(key, p);
    }
    return p;
  }

  /** Which position an order acts on; rejects a positionSide that does not match the account's mode (-4061). */
  resolveSide(acc: SimAccount, positionSide: string | undefined): PositionSideRaw {
    const ps = (positionSide ?? 'BOTH').toUpperCase();
    if (acc.dualSidePosition) {
      if (ps !== 'LONG' && ps !== 'SHORT') throw new BinanceReject(-4061, "Order's position side does not match user's setting.");
      return ps;
    }
    if (ps !== 'BOTH') throw new BinanceReject(-4061, "Order's position side does not match user's setting.");
    return 'BOTH';
  }

  // ---------- fills ----------

  private slippedPrice(acc: SimAccount, info: SymbolInfo, side: SideRaw, mark: number): number {
    const k = acc.slippageBps / 10_000;
    return round(side === 'BUY' ? mark * (1 + k) : mark * (1 - k), info.pricePrecision);
  }

  /**
   * Executes qty of an order at price against the position it targets; returns the trade. Realized PnL and fees go to
   * the cross wallet of the margin asset; an isolated position's margin moves in and out of its own wallet.
   */
  private execute(acc: SimAccount, order: SimOrder, qty: number, price: number, maker: boolean): SimTrade {
    const now = this.deps.now();
    const p = this.position(acc, order.symbol, order.positionSide);
    const cfg = this.config(acc, order.symbol);
    const signedQty = order.side === 'BUY' ? qty : -qty;
    let realized = 0;
    const before = p.amt;
    if (before !== 0 && Math.sign(signedQty) !== Math.sign(before)) {
      // Reducing (and maybe flipping in one-way mode).
      const closing = Math.min(Math.abs(before), qty);
      realized = closing * (price - p.entry) * Math.sign(before);
      if (cfg.marginType === 'ISOLATED' && before !== 0) {
        const release = (p.isolatedWallet * closing) / Math.abs(before);
        p.isolatedWallet -= release;
        this.credit(acc, release);
      }
      const after = before + signedQty;
      if (Math.abs(after) < 1e-12) {
        p.amt = 0;
        p.entry = 0;
        p.isolatedWallet = 0;
      } else if (Math.sign(after) === Math.sign(before)) {
        p.amt = after;
      } else {
        p.amt = after;
        p.entry = price;
        if (cfg.marginType === 'ISOLATED') this.moveToIsolated(acc, p, (Math.abs(after) * price) / cfg.leverage);
      }
    } else {
      const newAmt = before + signedQty;
      p.entry = (Math.abs(before) * p.entry + qty * price) / Math.abs(newAmt);
      p.amt = newAmt;
      if (cfg.marginType === 'ISOLATED') this.moveToIsolated(acc, p, (qty * price) / cfg.leverage);
    }
    p.amt = round(p.amt, 8);
    p.realized += realized;
    p.updateTime = now;
    const fee = qty * price * (maker ? acc.makerFee : acc.takerFee);
    this.credit(acc, realized - fee);
    order.executed = round(order.executed + qty, 8);
    order.cumQuote += qty * price;
    order.avgPrice = order.cumQuote / order.executed;
    order.status = order.executed >= order.qty - 1e-12 ? 'FILLED' : 'PARTIALLY_FILLED';
    order.updateTime = now;
    const trade: SimTrade = {
      id: this.deps.nextId(),
      orderId: order.orderId,
      symbol: order.symbol,
      side: order.side,
      price,
      qty,
      realizedPnl: realized,
      quoteQty: qty * price,
      commission: fee,
      commissionAsset: 'USDT',
      time: now,
      positionSide: order.positionSide,
      buyer: order.side === 'BUY',
      maker,
    };
    acc.trades.push(trade);
    if (acc.trades.length > 10_000) acc.trades.splice(0, acc.trades.length - 10_000);
    acc.updateTime = now;
    return trade;
  }

  private credit(acc: SimAccount, amount: number): void {
    acc.wallets.set('USDT', (acc.wallets.get('USDT') ?? 0) + amount);
  }

  private moveToIsolated(acc: SimAccount, p: SimPosition, amount: number): void {
    this.credit(acc, -amount);
    p.isolatedWallet += amount;
  }

  /** Checks shared by every new order: symbol, quantity step, min notional, mode, reduce-only, margin. */
  private validate(acc: SimAccount, o: { symbol: string; side: SideRaw; qty: number; positionSide: PositionSideRaw; reduceOnly: boolean; price: number }): number {
    const info = this.deps.symbol(o.symbol);
    if (!info) throw new BinanceReject(-1121, 'Invalid symbol.');
    if (!(o.qty > 0)) throw new BinanceReject(-4003, 'Quantity less than or equal to zero.');
    if (!isStepMultiple(o.qty, info.stepSize)) throw new BinanceReject(-1111, 'Precision is over the maximum defined for this asset.');
    const p = this.position(acc, o.symbol, o.positionSide);
    const reducing =
      o.reduceOnly ||
      (o.positionSide === 'LONG' && o.side === 'SELL') ||
      (o.positionSide === 'SHORT' && o.side === 'BUY');
    if (reducing) {
      const wrongWay = p.amt === 0 || (o.side === 'BUY' ? p.amt > 0 : p.amt < 0);
      if (wrongWay) throw new BinanceReject(-2022, 'ReduceOnly Order is rejected.');
      if (o.positionSide !== 'BOTH' && o.qty > Math.abs(p.amt) + 1e-12) throw new BinanceReject(-2022, 'ReduceOnly Order is rejected.');
      return Math.min(o.qty, Math.abs(p.amt));
    }
    if (o.qty * o.price < info.minNotional) {
      throw new BinanceReject(-4164, `Order's notional must be no smaller than ${info.minNotional} (unless you choose reduce only).`);
    }
    // Opening size beyond what closes the current one-way position needs margin.
    const opening = o.positionSide === 'BOTH' && p.amt !== 0 && Math.sign(p.amt) !== (o.side === 'BUY' ? 1 : -1) ? Math.max(0, o.qty - Math.abs(p.amt)) : o.qty;
    const need = (opening * o.price) / this.config(acc, o.symbol).leverage;
    if (need > 0 && need > this.totals(acc).availableBalance + 1e-9) throw new BinanceReject(-2019, 'Margin is insufficient.');
    return o.qty;
  }

  /** POST /fapi/v1/order for MARKET and LIMIT. */
  placeOrder(
    acc: SimAccount,
    req: { symbol: string; side: SideRaw; type: 'MARKET' | 'LIMIT'; qty: number; price: number | null; positionSide: PositionSideRaw; reduceOnly: boolean; clientOrderId: string | null; timeInForce: string },
  ): { order: SimOrder; events: EngineEvent[] } {
    const info = this.deps.symbol(req.symbol);
    const mark = this.deps.mark(req.symbol);
    if (!info || mark === undefined) throw new BinanceReject(-1121, 'Invalid symbol.');
    const clientOrderId = req.clientOrderId ?? `sim-${this.deps.nextId()}`;
    // Binance: the id must be unique among open orders only.
    for (const o of acc.orders.values()) {
      if (o.clientOrderId === clientOrderId && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED')) {
        throw new BinanceReject(-4116, 'ClientOrderId is duplicated.');
      }
    }
    const execPrice = req.type === 'MARKET' ? this.slippedPrice(acc, info, req.side, mark) : req.price ?? 0;
    const qty = this.validate(acc, { symbol: req.symbol, side: req.side, qty: req.qty, positionSide: req.positionSide, reduceOnly: req.reduceOnly, price: execPrice });
    const now = this.deps.now();
    const order: SimOrder = {
      orderId: this.deps.nextId(),
      clientOrderId,
      symbol: req.symbol,
      side: req.side,
      type: req.type,
      price: req.type === 'LIMIT' ? req.price ?? 0 : 0,
      qty,
      executed: 0,
      avgPrice: 0,
      cumQuote: 0,
      reduceOnly: req.reduceOnly,
      closePosition: false,
      positionSide: req.positionSide,
      timeInForce: req.type === 'MARKET' ? 'GTC' : req.timeInForce,
      status: 'NEW',
      time: now,
      updateTime: now,
    };
    acc.orders.set(order.orderId, order);
    this.trimOrders(acc);
    const events: EngineEvent[] = [{ kind: 'order', order: { ...order }, execType: 'NEW', trade: null }];
    const immediate = req.type === 'MARKET' || req.timeInForce === 'IOC' || req.timeInForce === 'FOK';
    if (immediate) {
      // Liquidity is unlimited at the mark plus slippage: an IOC/FOK limit fills there if that is within its price.
      const takerPrice = this.slippedPrice(acc, info, req.side, mark);
      const within = req.type === 'MARKET' || (req.side === 'BUY' ? takerPrice <= order.price : takerPrice >= order.price);
      if (!within) {
        order.status = 'EXPIRED';
        order.updateTime = now;
        events.push({ kind: 'order', order: { ...order }, execType: 'EXPIRED', trade: null });
        return { order, events };
      }
      // Thin liquidity (setFillCap): at most fillCap fills now, the rest expires; a FOK that cannot fill whole expires.
      const cap = acc.fillCap === null ? qty : Math.min(qty, floorToStep(acc.fillCap, info.stepSize));
      if (cap < qty - 1e-12 && (req.timeInForce === 'FOK' || cap <= 0)) {
        order.status = 'EXPIRED';
        order.updateTime = now;
        events.push({ kind: 'order', order: { ...order }, execType: 'EXPIRED', trade: null });
        return { order, events };
      }
      const trade = this.execute(acc, order, cap, takerPrice, false);
      events.push({ kind: 'order', order: { ...order }, execType: 'TRADE', trade });
      events.push({ kind: 'account', reason: 'ORDER', positions: [{ ...this.position(acc, order.symbol, order.positionSide) }], assets: ['USDT'] });
      if (order.status === 'PARTIALLY_FILLED') {
        order.status = 'EXPIRED';
        order.updateTime = now;
        events.push({ kind: 'order', order: { ...order }, execType: 'EXPIRED', trade: null });
      }
    }
    return { order, events };
  }

  /** A memory bound for long runs: the oldest finished orders go past 20,000 (above the 10,000 trades held). */
  private trimOrders(acc: SimAccount): void {
    if (acc.orders.size <= 20_000) return;
    for (const [id, o] of acc.orders) {
      if (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED') acc.orders.delete(id);
      if (acc.orders.size <= 16_000) break;
    }
  }

  cancelOrder(acc: SimAccount, order: SimOrder): EngineEvent {
    order.status = 'CANCELED';
    order.updateTime = this.deps.now();
    return { kind: 'order', order: { ...order }, execType: 'CANCELED', trade: null };
  }

  openOrders(acc: SimAccount, symbol?: string): SimOrder[] {
    return [...acc.orders.values()].filter((o) => (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED') && (!symbol || o.symbol === symbol));
  }

  openAlgos(acc: SimAccount, symbol?: string): SimAlgo[] {
    return [...acc.algos.values()].filter((a) => a.status === 'NEW' && (!symbol || a.symbol === symbol));
  }

  placeAlgo(
    acc: SimAccount,
    req: { symbol: string; side: SideRaw; positionSide: PositionSideRaw; orderType: AlgoType; quantity: number; triggerPrice: number; price: number; reduceOnly: boolean; closePosition: boolean; workingType: string; clientAlgoId: string | null },
  ): { algo: SimAlgo; events: EngineEvent[] } {
    const info = this.deps.symbol(req.symbol);
    const mark = this.deps.mark(req.symbol);
    if (!info || mark === undefined) throw new BinanceReject(-1121, 'Invalid symbol.');
    if (!(req.triggerPrice > 0)) throw new BinanceReject(-1102, "Mandatory parameter 'triggerPrice' was not sent, was empty/null, or malformed.");
    if (this.openAlgos(acc).length >= 200) throw new BinanceReject(-4045, 'Reach max stop order limit.');
    // A stop that would trigger at once is refused, as Binance does.
    const isStop = req.orderType === 'STOP_MARKET' || req.orderType === 'STOP';
    const immediate = isStop
      ? req.side === 'SELL' ? mark <= req.triggerPrice : mark >= req.triggerPrice
      : req.side === 'SELL' ? mark >= req.triggerPrice : mark <= req.triggerPrice;
    if (immediate) throw new BinanceReject(-2021, 'Order would immediately trigger.');
    if (!req.closePosition) {
      if (!(req.quantity > 0)) throw new BinanceReject(-4003, 'Quantity less than or equal to zero.');
      if (!isStepMultiple(req.quantity, info.stepSize)) throw new BinanceReject(-1111, 'Precision is over the maximum defined for this asset.');
    }
    const clientAlgoId = req.clientAlgoId ?? `sim-algo-${this.deps.nextId()}`;
    if ([...acc.algos.values()].some((a) => a.clientAlgoId === clientAlgoId)) throw new BinanceReject(-20132, 'The client algo id is duplicated.');
    const now = this.deps.now();
    const algo: SimAlgo = {
      algoId: this.deps.nextId(),
      clientAlgoId,
      symbol: req.symbol,
      side: req.side,
      positionSide: req.positionSide,
      orderType: req.orderType,
      quantity: req.closePosition ? 0 : req.quantity,
      triggerPrice: req.triggerPrice,
      price: req.price,
      reduceOnly: req.reduceOnly,
      closePosition: req.closePosition,
      workingType: req.workingType,
      status: 'NEW',
      createTime: now,
      updateTime: now,
      triggerTime: 0,
      actualOrderId: null,
      avgPrice: 0,
      executedQty: 0,
    };
    acc.algos.set(algo.algoId, algo);
    return { algo, events: [{ kind: 'algo', algo: { ...algo } }] };
  }

  cancelAlgo(acc: SimAccount, algo: SimAlgo): EngineEvent {
    algo.status = 'CANCELED';
    algo.updateTime = this.deps.now();
    return { kind: 'algo', algo: { ...algo } };
  }

  /** Cancels every open order and algo order of a symbol (allOpenOrders, algoOpenOrders, countdown expiry). */
  cancelAll(acc: SimAccount, symbol: string, which: 'orders' | 'algos' | 'both'): EngineEvent[] {
    const events: EngineEvent[] = [];
    if (which !== 'algos') for (const o of this.openOrders(acc, symbol)) events.push(this.cancelOrder(acc, o));
    if (which !== 'orders') for (const a of this.openAlgos(acc, symbol)) events.push(this.cancelAlgo(acc, a));
    return events;
  }

  /** On every mark: fill crossing limit orders, trigger algo orders, fire expired countdowns. */
  onMark(acc: SimAccount, symbol: string, mark: number): EngineEvent[] {
    const events: EngineEvent[] = [];
    const now = this.deps.now();
    for (const o of this.openOrders(acc, symbol)) {
      if (o.type !== 'LIMIT') continue;
      const crosses = o.side === 'BUY' ? mark <= o.price : mark >= o.price;
      if (!crosses) continue;
      const p = this.position(acc, o.symbol, o.positionSide);
      let qty = o.qty - o.executed;
      if (o.reduceOnly) {
        const valid = p.amt !== 0 && (o.side === 'BUY' ? p.amt < 0 : p.amt > 0);
        if (!valid) {
          o.status = 'EXPIRED';
          events.push({ kind: 'order', order: { ...o }, execType: 'EXPIRED', trade: null });
          continue;
        }
        qty = Math.min(qty, Math.abs(p.amt));
      }
      const trade = this.execute(acc, o, qty, o.price, true);
      events.push({ kind: 'order', order: { ...o }, execType: 'TRADE', trade });
      events.push({ kind: 'account', reason: 'ORDER', positions: [{ ...p }], assets: ['USDT'] });
    }
    for (const a of this.openAlgos(acc, symbol)) {
      const isStop = a.orderType === 'STOP_MARKET' || a.orderType === 'STOP';
      const hit = isStop ? (a.side === 'SELL' ? mark <= a.triggerPrice : mark >= a.triggerPrice) : a.side === 'SELL' ? mark >= a.triggerPrice : mark <= a.triggerPrice;
      if (!hit) continue;
      a.status = 'TRIGGERED';
      a.triggerTime = now;
      a.updateTime = now;
      const p = this.position(acc, a.symbol, a.positionSide);
      const qty = a.closePosition ? Math.abs(p.amt) : a.quantity;
      const reduces = p.amt !== 0 && (a.side === 'BUY' ? p.amt < 0 : p.amt > 0);
      if ((a.reduceOnly || a.closePosition || a.positionSide !== 'BOTH') && !reduces) {
        a.status = 'EXPIRED';
        events.push({ kind: 'algo', algo: { ...a } });
        continue;
      }
      try {
        const placed = this.placeOrder(acc, {
          symbol: a.symbol,
          side: a.side,
          type: 'MARKET',
          qty: Math.min(qty, Math.abs(p.amt)),
          price: null,
          positionSide: a.positionSide,
          reduceOnly: a.positionSide === 'BOTH' && (a.reduceOnly || a.closePosition),
          clientOrderId: null,
          timeInForce: 'GTC',
        });
        a.actualOrderId = placed.order.orderId;
        a.avgPrice = placed.order.avgPrice;
        a.executedQty = placed.order.executed;
        events.push({ kind: 'algo', algo: { ...a } });
        events.push(...placed.events);
        a.status = 'FINISHED';
        events.push({ kind: 'algo', algo: { ...a } });
      } catch {
        a.status = 'REJECTED';
        events.push({ kind: 'algo', algo: { ...a } });
      }
    }
    const cd = acc.countdowns.get(symbol);
    if (cd && now >= cd.deadline) {
      acc.countdowns.delete(symbol);
      events.push(...this.cancelAll(acc, symbol, 'both'));
    }
    return events;
  }
}

