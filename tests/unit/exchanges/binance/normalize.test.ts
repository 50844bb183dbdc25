/** Hand-made Binance payloads for the cases the real samples do not show: isolated, hedge, multi-assets, no liquidation. */
import { describe, expect, it } from 'vitest';
import { BadPayloadError } from '../../../../lib/exchanges/errors';
import {
  algoOrderId,
  normalizeAccount,
  normalizeAlgoOrder,
  normalizeAlgoUpdate,
  normalizeOrderTradeUpdate,
  normalizePositionRisk,
  normalizeSymbolConfig,
  normalizeUserTrades,
} from '../../../../lib/exchanges/binance/normalize';

const ctx = { accountId: 'a1', now: 1_700_000_000_000 };

const v3 = (over: Record<string, unknown>) => ({
  symbol: 'BTCUSDT',
  positionSide: 'BOTH',
  positionAmt: '0.500',
  entryPrice: '59000.0',
  breakEvenPrice: '59000.0',
  markPrice: '60000.0',
  unRealizedProfit: '500.00000000',
  liquidationPrice: '39156.6',
  isolatedMargin: '0.00000000',
  notional: '30000.00000000',
  marginAsset: 'USDT',
  isolatedWallet: '0',
  initialMargin: '1500.00000000',
  maintMargin: '120.00000000',
  updateTime: 1_700_000_000_123,
  ...over,
});

const settings = normalizeSymbolConfig([
  { symbol: 'BTCUSDT', marginType: 'CROSSED', isAutoAddMargin: false, leverage: 20, maxNotionalValue: '1000000' },
  { symbol: 'ETHUSDT', marginType: 'ISOLATED', isAutoAddMargin: false, leverage: 10, maxNotionalValue: '1000000' },
]);

describe('binance normalizePositionRisk (v3)', () => {
  it('takes leverage and margin mode from symbolConfig', () => {
    const [p] = normalizePositionRisk([v3({})], { ...ctx, settings });
    expect(p).toMatchObject({ leverage: 20, marginMode: 'cross', liquidationPrice: 39156.6, marginUsed: 1500, notional: 30000, unrealizedPnl: 500 });
  });

  it('an isolated short: signed size, |notional|, isolated from symbolConfig', () => {
    const [p] = normalizePositionRisk(
      [v3({ symbol: 'ETHUSDT', positionAmt: '-2.000', entryPrice: '3000', markPrice: '3100', unRealizedProfit: '-200', notional: '-6200', isolatedMargin: '400', isolatedWallet: '600', initialMargin: '620', liquidationPrice: '3280.5' })],
      { ...ctx, settings },
    );
    expect(p).toMatchObject({ side: 'short', size: -2, notional: 6200, marginMode: 'isolated', leverage: 10, unrealizedPnl: -200, liquidationPrice: 3280.5 });
  });

  it('without symbolConfig: isolated shows as isolatedMargin > 0 and leverage = |notional| / initialMargin', () => {
    const [p] = normalizePositionRisk([v3({ isolatedMargin: '2000', isolatedWallet: '1500', initialMargin: '3000' })], ctx);
    expect(p).toMatchObject({ marginMode: 'isolated', leverage: 10 });
  });

  it('liquidationPrice "0" means none', () => {
    const [p] = normalizePositionRisk([v3({ liquidationPrice: '0' })], { ...ctx, settings });
    expect(p!.liquidationPrice).toBeNull();
  });

  it('hedge mode: a long and a short on one symbol, both marked hedged', () => {
    const ps = normalizePositionRisk(
      [
        v3({ positionSide: 'LONG', positionAmt: '1.000', notional: '60000', unRealizedProfit: '1000', initialMargin: '3000' }),
        v3({ positionSide: 'SHORT', positionAmt: '-0.500', notional: '-30000', unRealizedProfit: '-500', liquidationPrice: '0' }),
        v3({ positionSide: 'LONG', positionAmt: '0.000', symbol: 'ETHUSDT' }),
      ],
      { ...ctx, settings },
    );
    expect(ps.map((p) => [p.side, p.size, p.hedged, p.liquidationPrice])).toEqual([
      ['long', 1, true, 39156.6],
      ['short', -0.5, true, null],
    ]);
  });

  it('no leverage anywhere is a BadPayloadError naming the symbol', () => {
    const bad = () => normalizePositionRisk([v3({ initialMargin: undefined })], ctx);
    expect(bad).toThrow(BadPayloadError);
    expect(bad).toThrow(/BTCUSDT/);
  });

  it('a malformed decimal is a BadPayloadError with the path of the issue', () => {
    try {
      normalizePositionRisk([v3({ entryPrice: 'abc' })], { ...ctx, settings });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BadPayloadError);
      expect((e as BadPayloadError).issues.join()).toContain('0.entryPrice');
    }
  });

  it('a non-array answer is a BadPayloadError', () => {
    expect(() => normalizePositionRisk({ code: -1000 }, ctx)).toThrow(BadPayloadError);
  });
});

describe('binance normalizeAccount', () => {
  const account = (over: Record<string, unknown>) => ({
    totalInitialMargin: '1500.0',
    totalMaintMargin: '120.0',
    totalWalletBalance: '10000.0',
    totalUnrealizedProfit: '500.0',
    totalMarginBalance: '10500.0',
    totalPositionInitialMargin: '1500.0',
    totalOpenOrderInitialMargin: '0.0',
    totalCrossWalletBalance: '10000.0',
    totalCrossUnPnl: '500.0',
    availableBalance: '9000.0',
    maxWithdrawAmount: '9000.0',
    assets: [{ asset: 'USDT', walletBalance: '10000.0', updateTime: 0 }],
    positions: [],
    ...over,
  });

  it('equity is marginBalance = wallet + uPnL; marginUsed is the initial margin', () => {
    const n = normalizeAccount(account({}), ctx);
    expect(n.account).toMatchObject({ equity: 10500, walletBalance: 10000, availableBalance: 9000, marginUsed: 1500, unrealizedPnl: 500, time: ctx.now });
  });

  it('multi-assets mode: takes the USD-valued totals, never the sum of per-asset balances', () => {
    const n = normalizeAccount(
      account({
        totalWalletBalance: '16000.0',
        totalMarginBalance: '16500.0',
        assets: [
          { asset: 'USDT', walletBalance: '10000.0', updateTime: 5 },
          { asset: 'BTC', walletBalance: '0.1', updateTime: 7 },
        ],
      }),
      ctx,
    );
    expect(n.account.walletBalance).toBe(16000);
    expect(n.account.equity).toBe(16500);
    expect(n.wallets).toEqual({ USDT: 10000, BTC: 0.1 });
    expect(n.account.time).toBe(7);
  });

  it('a missing total is a BadPayloadError', () => {
    expect(() => normalizeAccount(account({ totalMarginBalance: undefined }), ctx)).toThrow(BadPayloadError);
  });
});

describe('binance orders', () => {
  const algo = {
    algoId: 3358,
    clientAlgoId: 'rf-stop-1',
    algoType: 'CONDITIONAL',
    orderType: 'STOP_MARKET',
    symbol: 'BTCUSDT',
    side: 'SELL',
    positionSide: 'BOTH',
    timeInForce: 'GTC',
    quantity: '0.500',
    algoStatus: 'NEW',
    triggerPrice: '55000.0',
    price: '0.0',
    closePosition: false,
    reduceOnly: true,
    createTime: 1,
    updateTime: 1,
  };

  it('algo orders get their own id space and carry the trigger as stopPrice', () => {
    const n = normalizeAlgoOrder(algo, ctx);
    expect(n?.order).toMatchObject({ orderId: algoOrderId(3358), type: 'stop_market', stopPrice: 55000, price: null, size: 0.5, reduceOnly: true });
  });

  it('a close-all algo order takes its size from the position, and is dropped without one', () => {
    const closeAll = { ...algo, quantity: '0', closePosition: true };
    expect(normalizeAlgoOrder(closeAll, { ...ctx, positionSize: () => 0.25 })?.order.size).toBe(0.25);
    expect(normalizeAlgoOrder(closeAll, ctx)).toBeNull();
  });

  it('ALGO_UPDATE FINISHED is a filled (no longer open) order', () => {
    const u = normalizeAlgoUpdate(
      { e: 'ALGO_UPDATE', T: 5, E: 6, o: { caid: 'c', aid: 7, at: 'CONDITIONAL', o: 'STOP_MARKET', s: 'BTCUSDT', S: 'SELL', ps: 'BOTH', f: 'GTC', q: '0.1', X: 'FINISHED', tp: '50000', p: '0', cp: false, R: true } },
      ctx,
    );
    expect(u.status).toBe('filled');
    expect(u.order?.orderId).toBe('algo:7');
  });

  it('an unknown order status is a BadPayloadError', () => {
    const push = { e: 'ORDER_TRADE_UPDATE', T: 1, E: 1, o: { s: 'BTCUSDT', c: 'x', S: 'BUY', o: 'MARKET', q: '1', p: '0', ap: '0', sp: '0', x: 'NEW', X: 'WEIRD', i: 1, l: '0', z: '0', L: '0', T: 1, t: 0, R: false, ps: 'BOTH', rp: '0' } };
    expect(() => normalizeOrderTradeUpdate(push, ctx)).toThrow(BadPayloadError);
  });
});

describe('binance fills: closing', () => {
  const trade = (o: Record<string, unknown>) => ({
    e: 'ORDER_TRADE_UPDATE',
    T: 1,
    E: 1,
    o: { s: 'BTCUSDT', c: 'x', S: 'SELL', o: 'MARKET', q: '0.1', p: '0', ap: '60000', sp: '0', x: 'TRADE', X: 'FILLED', i: 1, l: '0.1', z: '0.1', L: '60000', n: '2.4', N: 'USDT', T: 1, t: 9, R: false, ps: 'BOTH', rp: '0', ...o },
  });
  const closing = (o: Record<string, unknown>) => normalizeOrderTradeUpdate(trade(o), ctx).fill!.closing;

  it('ORDER_TRADE_UPDATE: reduce-only or close-position, or the side traded against in hedge mode', () => {
    // A break-even close (rp 0) of a reduce-only order is a close.
    expect(closing({ R: true })).toBe(true);
    expect(closing({ cp: true })).toBe(true);
    expect(closing({ ps: 'LONG', S: 'SELL' })).toBe(true);
    expect(closing({ ps: 'SHORT', S: 'BUY' })).toBe(true);
    expect(closing({ ps: 'LONG', S: 'BUY' })).toBe(false);
    // One-way without the flag: Binance does not say (the engine goes by the realized PnL).
    expect(closing({})).toBeUndefined();
    expect('closing' in normalizeOrderTradeUpdate(trade({}), ctx).fill!).toBe(false);
  });

  it('userTrades: the side traded against in hedge mode; one-way rows do not say', () => {
    const row = { symbol: 'BTCUSDT', id: 5, orderId: 6, side: 'SELL', price: '60000', qty: '0.1', realizedPnl: '0', commission: '2.4', commissionAsset: 'USDT', time: 1 };
    const [hedge, oneWay, old] = normalizeUserTrades([{ ...row, positionSide: 'LONG' }, { ...row, id: 7, positionSide: 'BOTH' }, { ...row, id: 8 }], ctx);
    expect(hedge!.closing).toBe(true);
    expect(oneWay!.closing).toBeUndefined();
    expect(old!.closing).toBeUndefined();
  });
});
