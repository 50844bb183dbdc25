/** Hand-made Hyperliquid payloads for the cases the real recordings lack: isolated, HIP-3, builder fees, bad input. */
import { describe, expect, it } from 'vitest';
import { BadPayloadError } from '../../../../lib/exchanges/errors';
import {
  mergeDexStates,
  normalizeAllMidsEvent,
  normalizeCandles,
  normalizeClearinghouseState,
  normalizeClearinghouseStateEvent,
  normalizeFrontendOpenOrders,
  normalizeL2Book,
  normalizeMetaAndAssetCtxs,
  normalizeOrderUpdates,
  normalizePerpDexs,
  normalizeUserFills,
  normalizeUserFillsEvent,
  splitCoin,
} from '../../../../lib/exchanges/hyperliquid/normalize';

const ctx = { accountId: 'hl-1', now: 1_750_000_000_000 };
const summary = (accountValue: string, totalMarginUsed: string, totalNtlPos = '0', totalRawUsd = '0') => ({
  accountValue,
  totalMarginUsed,
  totalNtlPos,
  totalRawUsd,
});

/** One cross long and one isolated long whose rawUsd is negative (margin 100 minus 1,000 borrowed notional). */
const state = {
  marginSummary: summary('1095', '197.5', '2050', '-955'),
  crossMarginSummary: summary('1000', '100', '1000', '0'),
  crossMaintenanceMarginUsed: '10',
  withdrawable: '897.5',
  time: 1_750_000_000_500,
  assetPositions: [
    {
      type: 'oneWay',
      position: {
        coin: 'ETH',
        szi: '0.5',
        leverage: { type: 'cross', value: 10 },
        entryPx: '1900',
        positionValue: '1000',
        unrealizedPnl: '50',
        returnOnEquity: '0.5263157895',
        liquidationPx: null,
        marginUsed: '100',
        maxLeverage: 25,
        cumFunding: { allTime: '1', sinceOpen: '1', sinceChange: '1' },
      },
    },
    {
      type: 'oneWay',
      position: {
        coin: 'SOL',
        szi: '10',
        leverage: { type: 'isolated', value: 10, rawUsd: '-900' },
        entryPx: '100',
        positionValue: '1050',
        unrealizedPnl: '50',
        returnOnEquity: '0.5',
        liquidationPx: '92.105263',
        marginUsed: '150',
        maxLeverage: 20,
        cumFunding: { allTime: '0', sinceOpen: '0', sinceChange: '0' },
      },
    },
  ],
};

describe('normalizeClearinghouseState', () => {
  it('copies cross and isolated numbers as reported; equity comes from marginSummary, not crossMarginSummary', () => {
    const { account, positions, extras } = normalizeClearinghouseState(state, ctx);
    expect(account).toEqual({
      venue: 'hyperliquid',
      accountId: 'hl-1',
      equity: 1095,
      walletBalance: 995,
      availableBalance: 897.5,
      marginUsed: 197.5,
      unrealizedPnl: 100,
      time: 1_750_000_000_500,
    });
    const [eth, sol] = positions;
    expect(eth).toMatchObject({ symbol: 'ETH', side: 'long', size: 0.5, marginMode: 'cross', leverage: 10, notional: 1000, markPrice: 2000, liquidationPrice: null, marginUsed: 100, hedged: false, strategyId: 'manual' });
    expect(sol).toMatchObject({ symbol: 'SOL', marginMode: 'isolated', leverage: 10, notional: 1050, markPrice: 105, liquidationPrice: 92.105263, marginUsed: 150 });
    expect(extras.SOL).toEqual({ returnOnEquity: 0.5, isolatedRawUsd: -900 });
  });

  it('a short has a negative size; a zero-size leftover is dropped; time falls back to ctx.now', () => {
    const s = {
      ...state,
      time: undefined,
      assetPositions: [
        { type: 'oneWay', position: { ...state.assetPositions[0]!.position, szi: '-0.5', unrealizedPnl: '-50' } },
        { type: 'oneWay', position: { ...state.assetPositions[0]!.position, coin: 'BTC', szi: '0.0' } },
      ],
    };
    const { positions, account } = normalizeClearinghouseState(s, ctx);
    expect(positions).toHaveLength(1);
    expect(positions[0]).toMatchObject({ side: 'short', size: -0.5, updatedAt: ctx.now });
    expect(account.time).toBe(ctx.now);
  });

  it('HIP-3 dex: coins keep (or get) the dex prefix; merged account sums every clearinghouse', () => {
    const dexRaw = {
      ...state,
      marginSummary: summary('500', '50'),
      withdrawable: '450',
      assetPositions: [{ type: 'oneWay', position: { ...state.assetPositions[0]!.position, coin: 'flx:TSLA', unrealizedPnl: '5' } }],
    };
    const main = normalizeClearinghouseState(state, ctx);
    const flx = normalizeClearinghouseState(dexRaw, ctx, 'flx');
    expect(flx.positions[0]!.symbol).toBe('flx:TSLA');
    const unprefixed = normalizeClearinghouseState({ ...dexRaw, assetPositions: [{ type: 'oneWay', position: { ...dexRaw.assetPositions[0]!.position, coin: 'TSLA' } }] }, ctx, 'flx');
    expect(unprefixed.positions[0]!.symbol).toBe('flx:TSLA');
    const merged = mergeDexStates([main, flx], ctx);
    expect(merged.account).toMatchObject({ equity: 1595, availableBalance: 1347.5, marginUsed: 247.5, unrealizedPnl: 105 });
    expect(merged.positions.map((p) => p.symbol)).toEqual(['ETH', 'SOL', 'flx:TSLA']);
    expect(splitCoin('flx:TSLA')).toEqual({ dex: 'flx', coin: 'flx:TSLA' });
    expect(splitCoin('BTC')).toEqual({ dex: '', coin: 'BTC' });
  });

  it('websocket event: reads dex and user', () => {
    const e = normalizeClearinghouseStateEvent({ dex: '', user: '0x' + 'AB'.repeat(20), clearinghouseState: state }, ctx);
    expect(e.user).toBe('0x' + 'ab'.repeat(20));
    expect(e.positions).toHaveLength(2);
  });

  it.each([
    ['a missing marginSummary', { ...state, marginSummary: undefined }],
    ['a number where a decimal string belongs', { ...state, withdrawable: 897.5 }],
    ['a non-numeric decimal', { ...state, withdrawable: 'NaN' }],
    ['an unknown leverage type', { ...state, assetPositions: [{ type: 'oneWay', position: { ...state.assetPositions[0]!.position, leverage: { type: 'portfolio', value: 3 } } }] }],
    ['an entry price of 0 (breaks the domain model)', { ...state, assetPositions: [{ type: 'oneWay', position: { ...state.assetPositions[0]!.position, entryPx: '0' } }] }],
    ['null', null],
  ])('rejects %s with BadPayloadError', (_name, raw) => {
    expect(() => normalizeClearinghouseState(raw, ctx)).toThrow(BadPayloadError);
  });

  it('BadPayloadError names the payload and the path of the first issue', () => {
    try {
      normalizeClearinghouseState({ ...state, withdrawable: 12 }, ctx);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BadPayloadError);
      const err = e as BadPayloadError;
      expect(err.message).toMatch(/^hyperliquid clearinghouseState: malformed payload \(withdrawable: /);
      expect(err.issues[0]).toMatch(/^withdrawable:/);
      expect(err.venue).toBe('hyperliquid');
      expect(err.retryable).toBe(false);
    }
  });
});

const fill = {
  coin: 'ETH',
  px: '2000.5',
  sz: '0.1',
  side: 'A',
  time: 1_750_000_000_000,
  startPosition: '0.3',
  dir: 'Close Long',
  closedPnl: '10.05',
  hash: '0x' + '1'.repeat(64),
  oid: 42,
  crossed: true,
  fee: '0.09',
  builderFee: '0.01',
  tid: 777,
  feeToken: 'USDC',
  cloid: '0x' + 'c'.repeat(32),
  twapId: null,
};

describe('normalizeUserFills', () => {
  it('fee adds builderFee; closedPnl (before fees) is the realized PnL; cloid drives attribution', () => {
    const [f] = normalizeUserFills([fill], { ...ctx, strategyOf: (c, s) => (c ? `bot-${s}` : 'manual') });
    expect(f).toEqual({
      venue: 'hyperliquid',
      accountId: 'hl-1',
      tradeId: '777',
      symbol: 'ETH',
      side: 'sell',
      price: 2000.5,
      size: 0.1,
      fee: 0.1,
      feeAsset: 'USDC',
      realizedPnl: 10.05,
      time: 1_750_000_000_000,
      orderId: '42',
      clientOrderId: '0x' + 'c'.repeat(32),
      strategyId: 'bot-ETH',
      closing: true,
    });
  });

  it('closing: the fill trades against the position it started from, whatever its PnL', () => {
    const closing = (over: Partial<typeof fill>) => normalizeUserFills([{ ...fill, ...over }], ctx)[0]!.closing;
    // A long closed at exactly its entry price: no PnL, still a close.
    expect(closing({ side: 'A', startPosition: '0.3', dir: 'Close Long', closedPnl: '0.0' })).toBe(true);
    expect(closing({ side: 'B', startPosition: '-0.3', dir: 'Close Short', closedPnl: '0.0' })).toBe(true);
    expect(closing({ side: 'A', startPosition: '0.05', dir: 'Long > Short' })).toBe(true);
    expect(closing({ side: 'B', startPosition: '0.0', dir: 'Open Long', closedPnl: '0.0' })).toBe(false);
    expect(closing({ side: 'A', startPosition: '-0.3', dir: 'Open Short', closedPnl: '0.0' })).toBe(false);
  });

  it('keeps a non-USDC fee token and a maker rebate; drops spot fills', () => {
    const fills = normalizeUserFills(
      [
        { ...fill, coin: 'xyz:NVDA', feeToken: 'USDE', fee: '-0.02', builderFee: undefined, dir: 'Open Short' },
        { ...fill, coin: '@107', dir: 'Buy', tid: 1 },
        { ...fill, coin: 'PURR/USDC', dir: 'Sell', tid: 2 },
      ],
      ctx,
    );
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ symbol: 'xyz:NVDA', fee: -0.02, feeAsset: 'USDE' });
  });

  it('websocket: flags the snapshot', () => {
    const e = normalizeUserFillsEvent({ user: '0x' + '1'.repeat(40), fills: [fill], isSnapshot: true }, ctx);
    expect(e.isSnapshot).toBe(true);
    expect(normalizeUserFillsEvent({ user: '0x' + '1'.repeat(40), fills: [] }, ctx).isSnapshot).toBe(false);
  });

  it('rejects a fill with a bad side', () => {
    expect(() => normalizeUserFills([{ ...fill, side: 'S' }], ctx)).toThrow(BadPayloadError);
  });
});

describe('orders', () => {
  const base = { coin: 'ETH', side: 'A', limitPx: '1800', sz: '0.0', oid: 9, timestamp: 1, origSz: '0.0', cloid: null };
  it('a position TP/SL (size 0) takes the position size; without one it is left out', () => {
    const raw = [{ ...base, triggerCondition: 'Price below 1850', isTrigger: true, triggerPx: '1850', isPositionTpsl: true, reduceOnly: true, orderType: 'Stop Market', tif: null, children: [] }];
    expect(normalizeFrontendOpenOrders(raw, { ...ctx, positionSizes: { ETH: 0.5 } })[0]).toMatchObject({ size: 0.5, stopPrice: 1850, type: 'stop_market', price: null });
    expect(normalizeFrontendOpenOrders(raw, ctx)).toEqual([]);
  });

  it('orderUpdates: maps the venue statuses', () => {
    const u = (status: string, sz = '0.5') => ({ order: { ...base, sz, origSz: '1' }, status, statusTimestamp: 2 });
    const out = normalizeOrderUpdates([u('open', '1'), u('open'), u('filled', '0'), u('canceled'), u('scheduledCancel'), u('reduceOnlyCanceled'), u('perpMarginRejected'), u('tickRejected')], ctx);
    expect(out.map((x) => x.status)).toEqual(['new', 'partially_filled', 'filled', 'canceled', 'canceled', 'canceled', 'rejected', 'rejected']);
    expect(out[2]!.order).toMatchObject({ size: 1, filled: 1 });
  });
});

describe('market data', () => {
  it('allMids event: only watched symbols, spot skipped', () => {
    const marks = normalizeAllMidsEvent({ mids: { BTC: '100000.5', '@1': '3', ETH: '2000' } }, 5, new Set(['BTC', '@1']));
    expect(marks).toEqual([{ venue: 'hyperliquid', symbol: 'BTC', price: 100000.5, time: 5 }]);
  });

  it('metaAndAssetCtxs pairs each asset with its context; mismatched lengths are a bad payload', () => {
    const meta = { universe: [{ name: 'BTC', szDecimals: 5, maxLeverage: 40 }, { name: 'ETH', szDecimals: 4, maxLeverage: 25 }] };
    const c = { markPx: '100', midPx: null, oraclePx: '99.9', funding: '0.0000125', openInterest: '1', prevDayPx: '98', dayNtlVlm: '1', premium: null, impactPxs: null, dayBaseVlm: '1' };
    const assets = normalizeMetaAndAssetCtxs([meta, [c, { ...c, markPx: '2000', midPx: '2000.5' }]]);
    expect(assets[1]).toMatchObject({ name: 'ETH', index: 1, szDecimals: 4, markPx: 2000, midPx: 2000.5 });
    expect(assets[0]!.midPx).toBeNull();
    expect(() => normalizeMetaAndAssetCtxs([meta, [c]])).toThrow(BadPayloadError);
  });

  it('perpDexs: index 0 is the main dex', () => {
    expect(normalizePerpDexs([null, { name: 'flx', fullName: 'Felix' }])).toEqual(['', 'flx']);
  });

  it('l2Book and candles: bad levels and bad candles are rejected', () => {
    expect(() => normalizeL2Book({ coin: 'BTC', levels: [[{ px: 'x', sz: '1', n: 1 }], []] }, 1)).toThrow(BadPayloadError);
    expect(() => normalizeCandles([{ t: 1, T: 2, s: 'BTC', i: '1m', o: '0', c: '1', h: '1', l: '1', v: '1', n: 1 }])).toThrow(BadPayloadError);
    expect(normalizeCandles([{ t: 1, T: 2, s: 'BTC', i: '1m', o: '1', c: '2', h: '3', l: '0.5', v: '10', n: 1 }])).toEqual([{ time: 1, open: 1, high: 3, low: 0.5, close: 2, volume: 10 }]);
  });
});
