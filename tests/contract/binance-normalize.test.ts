/**
 * The Binance normaliser against real payloads (../shared/fixtures/real/binance): every number must be the one Binance
 * sent. Runs when the fixtures folder exists; says it was skipped otherwise.
 */
import { expect, it } from 'vitest';
import { BadPayloadError } from '../../lib/exchanges/errors';
import {
  attributeFills,
  cashFlowsOf,
  eventTypeOf,
  normalizeAccount,
  normalizeAccountUpdate,
  normalizeAllOrders,
  normalizeBalances,
  normalizeDepth,
  normalizeExchangeInfo,
  normalizeKlines,
  normalizeMarkPriceUpdate,
  normalizeOrder,
  normalizeOrderTradeUpdate,
  normalizePositionRisk,
  normalizePremiumIndex,
  normalizeSymbolConfig,
  normalizeUserTrades,
} from '../../lib/exchanges/binance/normalize';
import { describeFixtures, readFixtureJson } from './fixtures';

const fx = (name: string) => readFixtureJson('real', 'binance', `nautilus_${name}.json`);
const ctx = { accountId: 'acc-1', now: 1_700_000_000_000 };

describeFixtures('binance normalize: real payloads', () => {
  it('/fapi/v2/account -> account snapshot with Binance totals', () => {
    const n = normalizeAccount(fx('account_info_v2'), ctx);
    expect(n.account).toEqual({
      venue: 'binance',
      accountId: 'acc-1',
      equity: 23.72469206,
      walletBalance: 23.72469206,
      availableBalance: 23.72469206,
      marginUsed: 0,
      unrealizedPnl: 0,
      time: 1625474304765,
    });
    expect(n.wallets).toEqual({ USDT: 23.72469206 });
    expect(n.multiAssetsMargin).toBe(false);
  });

  it('/fapi/v2/balance -> per-asset balances', () => {
    expect(normalizeBalances(fx('balance'))).toEqual([
      { asset: 'USDT', walletBalance: 122.12345678, crossWalletBalance: 122.12345678, crossUnPnl: 0, availableBalance: 122.12345678, time: 1617939110373 },
    ]);
  });

  it('positionRisk -> position with uPnL, notional, leverage, liquidation price as reported', () => {
    const [p, ...rest] = normalizePositionRisk(fx('position_risk'), ctx);
    expect(rest).toHaveLength(0);
    expect(p).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'long',
      size: 0.001,
      hedged: false,
      entryPrice: 50000,
      markPrice: 51000,
      leverage: 20,
      marginMode: 'cross',
      liquidationPrice: 45000,
      unrealizedPnl: 1,
      notional: 51,
      updatedAt: 1625474304765,
      strategyId: 'manual',
    });
    // |notional| / leverage: Binance's initial margin.
    expect(p!.marginUsed).toBeCloseTo(2.55, 10);
  });

  it('/fapi/v1/symbolConfig -> leverage and margin mode per symbol', () => {
    const s = normalizeSymbolConfig(fx('http_futures_account_symbol_config'));
    expect(s.get('ETHUSDT')).toEqual({ leverage: 20, marginMode: 'cross' });
    expect(s.get('BTCUSDT')).toEqual({ leverage: 25, marginMode: 'isolated' });
  });

  it('/fapi/v1/userTrades -> fills with fee and realized PnL', () => {
    const fills = normalizeUserTrades(fx('http_futures_account_trades'), ctx);
    expect(fills).toHaveLength(2);
    expect(fills[1]).toEqual({
      venue: 'binance',
      accountId: 'acc-1',
      tradeId: '82357629',
      symbol: 'ETHUSDT',
      side: 'buy',
      price: 2779,
      size: 0.005,
      fee: 0.005558,
      feeAsset: 'USDT',
      realizedPnl: -0.00325,
      time: 1645930333910,
      orderId: '831238690',
      clientOrderId: null,
      strategyId: 'manual',
    });
  });

  it('/fapi/v1/userTrades with the client ids of their orders (allOrders rows: the order object) -> attributed fills', () => {
    // allOrders answers a list of the same order object as POST /fapi/v1/order.
    const orders = normalizeAllOrders([fx('order_response'), { ...(fx('order_response') as object), orderId: 831238690, clientOrderId: 'grid7-42' }]);
    expect(orders).toEqual([
      { orderId: '12345678', clientOrderId: 'testOrder123' },
      { orderId: '831238690', clientOrderId: 'grid7-42' },
    ]);
    const ids = new Map(orders.map((o) => [o.orderId, o.clientOrderId!]));
    const strategyOf = (cid: string | null) => (cid?.startsWith('grid7-') ? 'grid7' : 'manual');
    const fills = attributeFills(normalizeUserTrades(fx('http_futures_account_trades'), { ...ctx, strategyOf }), { ...ctx, strategyOf }, ids);
    expect(fills[1]).toMatchObject({ orderId: '831238690', clientOrderId: 'grid7-42', strategyId: 'grid7' });
    expect(() => normalizeAllOrders([{ orderId: 1 }])).toThrow(BadPayloadError);
  });

  it('ACCOUNT_UPDATE -> wallet balance (no uPnL) and hedge/isolated position deltas', () => {
    const u = normalizeAccountUpdate(fx('account_update'));
    expect(u.reason).toBe('ORDER');
    expect(u.time).toBe(1564745798939);
    expect(u.wallets).toEqual([{ asset: 'USDT', walletBalance: 122624.12345678, crossWalletBalance: 100.12345678, balanceChange: 50.12345678 }]);
    expect(u.positions).toHaveLength(3);
    expect(u.positions[1]).toEqual({
      symbol: 'BTCUSDT',
      positionSide: 'LONG',
      amount: 20,
      entryPrice: 6563.6,
      unrealizedPnl: 2850.212,
      marginMode: 'isolated',
      isolatedWallet: 13200.70726908,
    });
    expect(u.positions[2]!.amount).toBe(-10);
  });

  it('ACCOUNT_UPDATE for an ORDER (with a non-zero bc) is trading, not a cash flow', () => {
    const u = normalizeAccountUpdate(fx('account_update'));
    expect(u.reason).toBe('ORDER');
    expect(u.wallets[0]!.balanceChange).not.toBe(0);
    expect(cashFlowsOf(u, ctx.accountId, () => 1)).toEqual([]);
  });

  it('ORDER_TRADE_UPDATE NEW (trailing stop) -> open order, no fill', () => {
    const u = normalizeOrderTradeUpdate(fx('order_update_new'), ctx);
    expect(u.status).toBe('new');
    expect(u.fill).toBeNull();
    expect(u.order).toMatchObject({ orderId: '8886774', clientOrderId: 'TEST', side: 'buy', type: 'stop_market', price: null, stopPrice: 7103.04, size: 0.001, filled: 0, positionSide: 'long' });
  });

  it('ORDER_TRADE_UPDATE TRADE -> fill with fee and realized PnL', () => {
    const u = normalizeOrderTradeUpdate(fx('order_update_trade'), ctx);
    expect(u.status).toBe('partially_filled');
    expect(u.fill).toMatchObject({ tradeId: '12345678', orderId: '8886774', price: 7100.5, size: 0.001, fee: 0.01, feeAsset: 'USDT', realizedPnl: 12.34, clientOrderId: 'TEST', side: 'buy' });
  });

  it('ORDER_TRADE_UPDATE CALCULATED (liquidation) -> a fill too', () => {
    const u = normalizeOrderTradeUpdate(fx('order_update_calculated'), ctx);
    expect(u.status).toBe('filled');
    expect(u.fill).toMatchObject({ tradeId: '12345999', price: 9910.12, size: 0.014, fee: 0.06937084, realizedPnl: -5.67, clientOrderId: 'autoclose-1234567890', side: 'sell' });
  });

  it('POST /fapi/v1/order answer -> order', () => {
    const n = normalizeOrder(fx('order_response'), ctx);
    expect(n?.status).toBe('new');
    expect(n?.order).toMatchObject({ orderId: '12345678', clientOrderId: 'testOrder123', type: 'limit', price: 50000, stopPrice: null, size: 0.001, filled: 0, positionSide: null, reduceOnly: false });
  });

  it('markPriceUpdate stream and premiumIndex -> mark prices', () => {
    expect(normalizeMarkPriceUpdate(fx('mark_price_stream'))).toEqual({ venue: 'binance', symbol: 'BTCUSDT', price: 11794.15, time: 1562305380000 });
    expect(normalizePremiumIndex(fx('http_futures_market_premium_index'))).toEqual([
      { venue: 'binance', symbol: 'BTCUSDT', price: 11793.63104562, time: 1597370495002 },
    ]);
  });

  it('klines, depth and exchangeInfo -> candles, book, trading rules', () => {
    expect(normalizeKlines(fx('http_futures_market_klines'))).toEqual([
      { time: 1499040000000, open: 0.0163479, high: 0.8, low: 0.015758, close: 0.015771, volume: 148976.11427815 },
    ]);
    expect(normalizeDepth(fx('http_futures_market_depth'), 'BTCUSDT', 0)).toEqual({ symbol: 'BTCUSDT', time: 1589436922972, bids: [[4, 431]], asks: [[4.000002, 12]] });
    const rules = normalizeExchangeInfo(fx('http_futures_market_exchange_info'));
    expect(rules.find((r) => r.symbol === 'BTCUSDT')).toEqual({ venue: 'binance', symbol: 'BTCUSDT', lotStep: 0.001, tickSize: 0.1, minNotional: 10, maxLeverage: null });
  });

  it('market-wide pushes the adapter does not consume are told apart by their event type', () => {
    const kinds = ['book_ticker_stream', 'depth_update_stream', 'kline_stream_open', 'liquidation_stream', 'ticker_stream', 'trade_lite'].map((n) => eventTypeOf(fx(n)));
    expect(kinds).toEqual(['bookTicker', 'depthUpdate', 'kline', 'forceOrder', '24hrTicker', 'TRADE_LITE']);
  });

  it('a real payload cut in half is a BadPayloadError, not a crash', () => {
    const broken = { ...(fx('position_risk') as Record<string, unknown>[])[0], positionAmt: undefined };
    expect(() => normalizePositionRisk([broken], ctx)).toThrow(BadPayloadError);
  });
});
