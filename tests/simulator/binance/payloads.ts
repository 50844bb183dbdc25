/** Raw Binance USD-M payloads built from the simulator's state, in the field layout the real venue sends. */
import type { BinanceEngine, SimAccount, SimAlgo, SimOrder, SimPosition, SimTrade } from './engine';
import { fmt, type SymbolInfo } from './market';

const M = 8; // money decimals

export function exchangeInfo(symbols: SymbolInfo[], now: number) {
  return {
    timezone: 'UTC',
    serverTime: now,
    futuresType: 'U_MARGINED',
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
    ],
    exchangeFilters: [],
    assets: [
      { asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' },
      { asset: 'USDC', marginAvailable: true, autoAssetExchange: '-10000' },
      { asset: 'BTC', marginAvailable: true, autoAssetExchange: '-0.10000000' },
    ],
    symbols: symbols.map((s) => ({
      symbol: s.symbol,
      pair: s.symbol,
      contractType: 'PERPETUAL',
      deliveryDate: 4133404800000,
      onboardDate: 1569398400000,
      status: 'TRADING',
      maintMarginPercent: '2.5000',
      requiredMarginPercent: '5.0000',
      baseAsset: s.baseAsset,
      quoteAsset: s.quoteAsset,
      marginAsset: 'USDT',
      pricePrecision: s.pricePrecision,
      quantityPrecision: s.quantityPrecision,
      baseAssetPrecision: 8,
      quotePrecision: 8,
      underlyingType: 'COIN',
      underlyingSubType: [],
      settlePlan: 0,
      triggerProtect: '0.0500',
      liquidationFee: '0.012500',
      marketTakeBound: '0.05',
      maxMoveOrderLimit: 10000,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: fmt(s.tickSize, s.pricePrecision), maxPrice: '10000000', tickSize: fmt(s.tickSize, s.pricePrecision) },
        { filterType: 'LOT_SIZE', stepSize: fmt(s.stepSize, s.quantityPrecision), maxQty: '1000000', minQty: fmt(s.minQty, s.quantityPrecision) },
        { filterType: 'MARKET_LOT_SIZE', stepSize: fmt(s.stepSize, s.quantityPrecision), maxQty: '100000', minQty: fmt(s.minQty, s.quantityPrecision) },
        { filterType: 'MAX_NUM_ORDERS', limit: 200 },
        { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 200 },
        { filterType: 'MIN_NOTIONAL', notional: String(s.minNotional) },
        { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
      ],
      orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
      timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
    })),
  };
}

export function leverageBrackets(symbols: SymbolInfo[]) {
  return symbols.map((s) => ({
    symbol: s.symbol,
    notionalCoef: 1.0,
    brackets: s.brackets.map((b) => ({
      bracket: b.bracket,
      initialLeverage: b.initialLeverage,
      notionalCap: b.notionalCap,
      notionalFloor: b.notionalFloor,
      maintMarginRatio: b.maintMarginRatio,
      cum: b.cum,
    })),
  }));
}

const px = (info: SymbolInfo | undefined, v: number) => fmt(v, info ? info.pricePrecision : 2);

function assetRows(eng: BinanceEngine, acc: SimAccount) {
  return [...acc.wallets.keys()].map((a) => {
    const r = eng.assetRow(acc, a);
    return {
      asset: a,
      walletBalance: fmt(r.walletBalance, M),
      unrealizedProfit: fmt(r.unrealizedProfit, M),
      marginBalance: fmt(r.marginBalance, M),
      maintMargin: fmt(r.maintMargin, M),
      initialMargin: fmt(r.initialMargin, M),
      positionInitialMargin: fmt(r.positionInitialMargin, M),
      openOrderInitialMargin: fmt(r.openOrderInitialMargin, M),
      crossWalletBalance: fmt(r.crossWalletBalance, M),
      crossUnPnl: fmt(r.crossUnPnl, M),
      availableBalance: fmt(r.availableBalance, M),
      maxWithdrawAmount: fmt(r.maxWithdrawAmount, M),
      marginAvailable: true,
      updateTime: acc.updateTime,
    };
  });
}

function totalsRow(eng: BinanceEngine, acc: SimAccount) {
  const t = eng.totals(acc);
  return {
    totalInitialMargin: fmt(t.totalInitialMargin, M),
    totalMaintMargin: fmt(t.totalMaintMargin, M),
    totalWalletBalance: fmt(t.totalWalletBalance, M),
    totalUnrealizedProfit: fmt(t.totalUnrealizedProfit, M),
    totalMarginBalance: fmt(t.totalMarginBalance, M),
    totalPositionInitialMargin: fmt(t.totalPositionInitialMargin, M),
    totalOpenOrderInitialMargin: fmt(t.totalOpenOrderInitialMargin, M),
    totalCrossWalletBalance: fmt(t.totalCrossWalletBalance, M),
    totalCrossUnPnl: fmt(t.totalCrossUnPnl, M),
    availableBalance: fmt(t.availableBalance, M),
    maxWithdrawAmount: fmt(t.maxWithdrawAmount, M),
  };
}

/** GET /fapi/v3/account: totals, assets, and only the positions that are open. */
export function accountV3(eng: BinanceEngine, acc: SimAccount, sym: (s: string) => SymbolInfo | undefined) {
  return {
    ...totalsRow(eng, acc),
    assets: assetRows(eng, acc),
    positions: eng.openPositions(acc).map((p) => {
      const m = eng.metrics(acc, p);
      return {
        symbol: p.symbol,
        positionSide: p.positionSide,
        positionAmt: fmt(p.amt, sym(p.symbol)?.quantityPrecision ?? 3),
        unrealizedProfit: fmt(m.unrealized, M),
        isolatedMargin: fmt(m.isolated ? p.isolatedWallet + m.unrealized : 0, M),
        notional: fmt(m.notional, M),
        isolatedWallet: fmt(m.isolated ? p.isolatedWallet : 0, M),
        initialMargin: fmt(m.initialMargin, M),
        maintMargin: fmt(m.maintMargin, M),
        updateTime: p.updateTime,
      };
    }),
  };
}

/** GET /fapi/v2/account: the older layout, with every symbol's leverage and margin type in positions[]. */
export function accountV2(eng: BinanceEngine, acc: SimAccount, symbols: SymbolInfo[]) {
  const sides = acc.dualSidePosition ? (['LONG', 'SHORT'] as const) : (['BOTH'] as const);
  return {
    feeTier: 0,
    feeBurn: false,
    canTrade: acc.canTrade,
    canDeposit: true,
    canWithdraw: true,
    updateTime: 0,
    multiAssetsMargin: acc.multiAssetsMargin,
    tradeGroupId: -1,
    ...totalsRow(eng, acc),
    assets: assetRows(eng, acc),
    positions: symbols.flatMap((s) =>
      sides.map((side) => {
        const p = eng.position(acc, s.symbol, side);
        const m = eng.metrics(acc, p);
        const cfg = eng.config(acc, s.symbol);
        return {
          symbol: s.symbol,
          initialMargin: fmt(m.initialMargin, M),
          maintMargin: fmt(m.maintMargin, M),
          unrealizedProfit: fmt(p.amt === 0 ? 0 : m.unrealized, M),
          positionInitialMargin: fmt(m.initialMargin, M),
          openOrderInitialMargin: '0',
          leverage: String(cfg.leverage),
          isolated: cfg.marginType === 'ISOLATED',
          entryPrice: px(s, p.entry),
          breakEvenPrice: px(s, p.entry),
          maxNotional: '250000',
          positionSide: side,
          positionAmt: fmt(p.amt, s.quantityPrecision),
          notional: fmt(m.notional, M),
          isolatedWallet: fmt(m.isolated ? p.isolatedWallet : 0, M),
          updateTime: p.updateTime,
          bidNotional: '0',
          askNotional: '0',
        };
      }),
    ),
  };
}

export function balanceRows(eng: BinanceEngine, acc: SimAccount) {
  return [...acc.wallets.keys()].map((a) => {
    const r = eng.assetRow(acc, a);
    return {
      accountAlias: 'SgsR',
      asset: a,
      balance: fmt(r.walletBalance, M),
      crossWalletBalance: fmt(r.crossWalletBalance, M),
      crossUnPnl: fmt(r.crossUnPnl, M),
      availableBalance: fmt(r.availableBalance, M),
      maxWithdrawAmount: fmt(r.maxWithdrawAmount, M),
      marginAvailable: true,
      updateTime: acc.updateTime,
    };
  });
}

/** GET /fapi/v3/positionRisk: open positions only, no leverage or margin type (those are in symbolConfig). */
export function positionRiskV3(eng: BinanceEngine, acc: SimAccount, sym: (s: string) => SymbolInfo | undefined, symbol?: string) {
  return eng
    .openPositions(acc)
    .filter((p) => !symbol || p.symbol === symbol)
    .map((p) => {
      const info = sym(p.symbol);
      const m = eng.metrics(acc, p);
      return {
        symbol: p.symbol,
        positionSide: p.positionSide,
        positionAmt: fmt(p.amt, info?.quantityPrecision ?? 3),
        entryPrice: px(info, p.entry),
        breakEvenPrice: px(info, p.entry),
        markPrice: px(info, m.mark),
        unRealizedProfit: fmt(m.unrealized, M),
        liquidationPrice: m.liquidationPrice > 0 ? px(info, m.liquidationPrice) : '0',
        isolatedMargin: fmt(m.isolated ? p.isolatedWallet + m.unrealized : 0, M),
        notional: fmt(m.notional, M),
        marginAsset: 'USDT',
        isolatedWallet: fmt(m.isolated ? p.isolatedWallet : 0, M),
        initialMargin: fmt(m.initialMargin, M),
        maintMargin: fmt(m.maintMargin, M),
        positionInitialMargin: fmt(m.initialMargin, M),
        openOrderInitialMargin: '0',
        adl: 0,
        bidNotional: '0',
        askNotional: '0',
        updateTime: p.updateTime,
      };
    });
}

/** GET /fapi/v2/positionRisk: every symbol (and side), with leverage and margin type. */
export function positionRiskV2(eng: BinanceEngine, acc: SimAccount, symbols: SymbolInfo[], symbol?: string) {
  const sides = acc.dualSidePosition ? (['LONG', 'SHORT'] as const) : (['BOTH'] as const);
  return symbols
    .filter((s) => !symbol || s.symbol === symbol)
    .flatMap((s) =>
      sides.map((side) => {
        const p = eng.position(acc, s.symbol, side);
        const m = eng.metrics(acc, p);
        const cfg = eng.config(acc, s.symbol);
        return {
          symbol: s.symbol,
          positionAmt: fmt(p.amt, s.quantityPrecision),
          entryPrice: px(s, p.entry),
          breakEvenPrice: px(s, p.entry),
          markPrice: px(s, m.mark),
          unRealizedProfit: fmt(p.amt === 0 ? 0 : m.unrealized, M),
          liquidationPrice: p.amt !== 0 && m.liquidationPrice > 0 ? px(s, m.liquidationPrice) : '0',
          leverage: String(cfg.leverage),
          maxNotionalValue: '250000',
          marginType: cfg.marginType === 'ISOLATED' ? 'isolated' : 'cross',
          isolatedMargin: fmt(m.isolated && p.amt !== 0 ? p.isolatedWallet + m.unrealized : 0, M),
          isAutoAddMargin: 'false',
          positionSide: side,
          notional: fmt(m.notional, M),
          isolatedWallet: fmt(m.isolated ? p.isolatedWallet : 0, M),
          updateTime: p.updateTime,
        };
      }),
    );
}

export function symbolConfig(eng: BinanceEngine, acc: SimAccount, symbols: SymbolInfo[], symbol?: string) {
  return symbols
    .filter((s) => !symbol || s.symbol === symbol)
    .map((s) => {
      const cfg = eng.config(acc, s.symbol);
      return { symbol: s.symbol, marginType: cfg.marginType, isAutoAddMargin: false, leverage: cfg.leverage, maxNotionalValue: '250000' };
    });
}

export function orderRow(o: SimOrder, info: SymbolInfo | undefined) {
  const pp = info?.pricePrecision ?? 2;
  const qp = info?.quantityPrecision ?? 3;
  return {
    orderId: o.orderId,
    symbol: o.symbol,
    status: o.status,
    clientOrderId: o.clientOrderId,
    price: fmt(o.price, pp),
    avgPrice: fmt(o.avgPrice, pp),
    origQty: fmt(o.qty, qp),
    executedQty: fmt(o.executed, qp),
    cumQuote: fmt(o.cumQuote, M),
    timeInForce: o.timeInForce,
    type: o.type,
    reduceOnly: o.reduceOnly,
    closePosition: o.closePosition,
    side: o.side,
    positionSide: o.positionSide,
    stopPrice: '0',
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: o.type,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: 0,
    time: o.time,
    updateTime: o.updateTime,
  };
}

export function algoRow(a: SimAlgo, info: SymbolInfo | undefined) {
  const pp = info?.pricePrecision ?? 2;
  const qp = info?.quantityPrecision ?? 3;
  return {
    algoId: a.algoId,
    clientAlgoId: a.clientAlgoId,
    algoType: 'CONDITIONAL',
    orderType: a.orderType,
    symbol: a.symbol,
    side: a.side,
    positionSide: a.positionSide,
    timeInForce: 'GTC',
    quantity: fmt(a.quantity, qp),
    algoStatus: a.status,
    triggerPrice: fmt(a.triggerPrice, pp),
    price: fmt(a.price, pp),
    icebergQuantity: null,
    selfTradePreventionMode: 'EXPIRE_MAKER',
    workingType: a.workingType,
    priceMatch: 'NONE',
    closePosition: a.closePosition,
    priceProtect: false,
    reduceOnly: a.reduceOnly,
    createTime: a.createTime,
    updateTime: a.updateTime,
    triggerTime: a.triggerTime,
    goodTillDate: 0,
  };
}

export function tradeRow(t: SimTrade, info: SymbolInfo | undefined) {
  return {
    symbol: t.symbol,
    id: t.id,
    orderId: t.orderId,
    side: t.side,
    price: fmt(t.price, info?.pricePrecision ?? 2),
    qty: fmt(t.qty, info?.quantityPrecision ?? 3),
    realizedPnl: fmt(t.realizedPnl, M),
    marginAsset: 'USDT',
    quoteQty: fmt(t.quoteQty, M),
    commission: fmt(t.commission, M),
    commissionAsset: t.commissionAsset,
    time: t.time,
    positionSide: t.positionSide,
    buyer: t.buyer,
    maker: t.maker,
  };
}

// ---------- websocket events ----------

export function orderTradeUpdate(o: SimOrder, execType: string, trade: SimTrade | null, info: SymbolInfo | undefined, now: number) {
  const pp = info?.pricePrecision ?? 2;
  const qp = info?.quantityPrecision ?? 3;
  return {
    e: 'ORDER_TRADE_UPDATE',
    T: now,
    E: now,
    o: {
      s: o.symbol,
      c: o.clientOrderId,
      S: o.side,
      o: o.type,
      f: o.timeInForce,
      q: fmt(o.qty, qp),
      p: fmt(o.price, pp),
      ap: fmt(o.avgPrice, pp),
      sp: '0',
      x: execType,
      X: o.status,
      i: o.orderId,
      l: fmt(trade ? trade.qty : 0, qp),
      z: fmt(o.executed, qp),
      L: fmt(trade ? trade.price : 0, pp),
      N: 'USDT',
      n: fmt(trade ? trade.commission : 0, M),
      T: o.updateTime,
      t: trade ? trade.id : 0,
      b: '0',
      a: '0',
      m: trade ? trade.maker : false,
      R: o.reduceOnly,
      wt: 'CONTRACT_PRICE',
      ot: o.type,
      ps: o.positionSide,
      cp: o.closePosition,
      rp: fmt(trade ? trade.realizedPnl : 0, M),
      pP: false,
      si: 0,
      ss: 0,
      V: 'EXPIRE_MAKER',
      pm: 'NONE',
      gtd: 0,
    },
  };
}

export function algoUpdate(a: SimAlgo, info: SymbolInfo | undefined, now: number) {
  const pp = info?.pricePrecision ?? 2;
  const qp = info?.quantityPrecision ?? 3;
  return {
    e: 'ALGO_UPDATE',
    T: now,
    E: now,
    o: {
      caid: a.clientAlgoId,
      aid: a.algoId,
      at: 'CONDITIONAL',
      o: a.orderType,
      s: a.symbol,
      S: a.side,
      ps: a.positionSide,
      f: 'GTC',
      q: fmt(a.quantity, qp),
      X: a.status,
      ai: a.actualOrderId === null ? '' : String(a.actualOrderId),
      ap: fmt(a.avgPrice, pp),
      aq: fmt(a.executedQty, qp),
      act: a.actualOrderId === null ? '0' : 'MARKET',
      tp: fmt(a.triggerPrice, pp),
      p: fmt(a.price, pp),
      V: 'EXPIRE_MAKER',
      wt: a.workingType,
      pm: 'NONE',
      cp: a.closePosition,
      pP: false,
      R: a.reduceOnly,
      tt: a.triggerTime,
      gtd: 0,
      rm: a.status === 'REJECTED' ? 'Reduce Only reject' : '',
    },
  };
}

/** ACCOUNT_UPDATE: wallet balances (no unrealized PnL) and the positions that changed. */
export function accountUpdate(
  eng: BinanceEngine,
  acc: SimAccount,
  reason: string,
  positions: SimPosition[],
  assets: string[],
  sym: (s: string) => SymbolInfo | undefined,
  now: number,
  balanceChange: Record<string, number> = {},
) {
  return {
    e: 'ACCOUNT_UPDATE',
    T: now,
    E: now,
    a: {
      m: reason,
      B: assets.map((a) => {
        const r = eng.assetRow(acc, a);
        // bc: the change that is neither PnL nor commission (a transfer); Binance sends "0" for trades.
        return { a, wb: fmt(r.walletBalance, M), cw: fmt(r.crossWalletBalance, M), bc: fmt(balanceChange[a] ?? 0, M) };
      }),
      P: positions.map((p) => {
        const info = sym(p.symbol);
        const m = eng.metrics(acc, p);
        return {
          s: p.symbol,
          pa: fmt(p.amt, info?.quantityPrecision ?? 3),
          ep: px(info, p.entry),
          bep: px(info, p.entry),
          cr: fmt(p.realized, M),
          up: fmt(p.amt === 0 ? 0 : m.unrealized, M),
          mt: m.isolated ? 'isolated' : 'cross',
          iw: fmt(m.isolated ? p.isolatedWallet : 0, M),
          ps: p.positionSide,
          ma: 'USDT',
        };
      }),
    },
  };
}

export function markPriceUpdate(symbol: string, mark: number, info: SymbolInfo | undefined, now: number) {
  const pp = (info?.pricePrecision ?? 2) + 1;
  return {
    e: 'markPriceUpdate',
    E: now,
    s: symbol,
    p: fmt(mark, pp),
    P: fmt(mark, pp),
    i: fmt(mark * 0.9999, pp),
    r: '0.00010000',
    T: Math.ceil(now / 28_800_000) * 28_800_000,
  };
}

/** GET /fapi/v1/income row (Binance's shape: income a signed decimal string, symbol / tradeId "" when none). */
export function incomeRow(r: { symbol: string; incomeType: string; income: number; asset: string; time: number; tranId: number; tradeId: string }) {
  return { symbol: r.symbol, incomeType: r.incomeType, income: fmt(r.income, M), asset: r.asset, info: r.incomeType, time: r.time, tranId: r.tranId, tradeId: r.tradeId };
}
