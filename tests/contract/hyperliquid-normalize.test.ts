/**
 * Hyperliquid normalisation against real recorded payloads (../shared/fixtures/real/hyperliquid, read in place).
 * Recordings are dispatched by the request they answer (`request.body.type`), not by file name: several files
 * named after one test hold another request (the SDK's cassettes record a `meta` call first).
 */
import { readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { z } from 'zod';
import {
  normalizeAllMids,
  normalizeCandles,
  normalizeClearinghouseState,
  normalizeFrontendOpenOrders,
  normalizeL2Book,
  normalizeLedgerUpdates,
  normalizeMeta,
  normalizeOpenOrders,
  normalizeUserFills,
} from '../../lib/exchanges/hyperliquid/normalize';
import { describeFixtures, fixturePath, hasFixtures, readFixtureJson } from './fixtures';

const RecordingSchema = z.object({
  request: z.object({ body: z.object({ type: z.string() }).passthrough() }),
  response_status: z.number(),
  response: z.unknown(),
});
type Recording = z.infer<typeof RecordingSchema> & { file: string };

function recordings(): Recording[] {
  if (!hasFixtures) return [];
  const out: Recording[] = [];
  for (const file of readdirSync(fixturePath('real', 'hyperliquid')).filter((f) => f.endsWith('.json'))) {
    // A recording of another shape is not ours to judge here: it is simply not dispatched.
    const r = RecordingSchema.safeParse(readFixtureJson('real', 'hyperliquid', file));
    if (r.success) out.push({ ...r.data, file });
  }
  return out;
}
const all = recordings();
const ofType = (type: string) => all.filter((r) => r.request.body.type === type && r.response_status === 200);
const ctx = { accountId: 'acct-1', now: 1_700_000_000_000 };

/** The raw position fields, read with a schema of the test's own so the check does not reuse the code under test. */
const RawPos = z.object({
  position: z.object({
    coin: z.string(),
    szi: z.string(),
    entryPx: z.string(),
    positionValue: z.string(),
    unrealizedPnl: z.string(),
    marginUsed: z.string(),
    liquidationPx: z.string().nullable(),
    leverage: z.object({ type: z.string(), value: z.number() }),
  }),
});

describeFixtures('hyperliquid normalize: real payloads', () => {
  it('finds the recordings it dispatches on', () => {
    for (const type of ['clearinghouseState', 'userFills', 'userFillsByTime', 'openOrders', 'frontendOpenOrders', 'allMids', 'l2Book', 'candleSnapshot', 'meta']) {
      expect(ofType(type).length, type).toBeGreaterThan(0);
    }
  });

  it('clearinghouseState: every position keeps the numbers Hyperliquid reports', () => {
    for (const rec of ofType('clearinghouseState')) {
      const raw = z.object({ assetPositions: z.array(RawPos) }).passthrough().parse(rec.response);
      const { positions, account } = normalizeClearinghouseState(rec.response, ctx);
      expect(positions).toHaveLength(raw.assetPositions.length);
      raw.assetPositions.forEach(({ position: r }, i) => {
        const p = positions[i]!;
        expect(p.symbol).toBe(r.coin);
        expect(p.size).toBe(Number(r.szi));
        expect(p.side).toBe(Number(r.szi) > 0 ? 'long' : 'short');
        expect(p.entryPrice).toBe(Number(r.entryPx));
        expect(p.notional).toBe(Number(r.positionValue));
        expect(p.unrealizedPnl).toBe(Number(r.unrealizedPnl));
        expect(p.marginUsed).toBe(Number(r.marginUsed));
        expect(p.leverage).toBe(r.leverage.value);
        expect(p.marginMode).toBe(r.leverage.type);
        expect(p.liquidationPrice).toBe(r.liquidationPx === null ? null : Number(r.liquidationPx));
        // The mark is positionValue / |szi|; uPnL = szi x (mark - entry) holds to the venue's rounding.
        expect(p.markPrice).not.toBeNull();
        expect(p.size * (p.markPrice! - p.entryPrice)).toBeCloseTo(p.unrealizedPnl, 4);
      });
      const summary = z
        .object({ marginSummary: z.object({ accountValue: z.string(), totalMarginUsed: z.string() }), withdrawable: z.string() })
        .parse(rec.response);
      expect(account.equity).toBe(Number(summary.marginSummary.accountValue));
      expect(account.marginUsed).toBe(Number(summary.marginSummary.totalMarginUsed));
      expect(account.availableBalance).toBe(Number(summary.withdrawable));
      expect(account.walletBalance + account.unrealizedPnl).toBeCloseTo(account.equity, 6);
    }
  });

  it('clearinghouseState 2023-03-27: the recorded account, with a null liquidation price kept null', () => {
    const rec = all.find((r) => r.file === 'pysdk_get_user_state.json');
    expect(rec).toBeDefined();
    const { account, positions } = normalizeClearinghouseState(rec!.response, ctx);
    expect(account.equity).toBe(1182.312496);
    expect(account.availableBalance).toBe(1010.57173);
    expect(account.marginUsed).toBe(171.740766);
    const btc = positions.find((p) => p.symbol === 'BTC')!;
    expect(btc).toMatchObject({ side: 'short', size: -0.00785, entryPrice: 26951, leverage: 20, liquidationPrice: 173198.69592357 });
    expect(btc.markPrice).toBeCloseTo(211.64542 / 0.00785, 6);
    expect(positions.find((p) => p.symbol === 'ETH')!.liquidationPrice).toBeNull();
  });

  it('userFills and userFillsByTime: every perp fill, closedPnl as realized PnL, unique trade ids', () => {
    for (const rec of [...ofType('userFills'), ...ofType('userFillsByTime')]) {
      const raw = z.array(z.object({ coin: z.string(), px: z.string(), sz: z.string(), side: z.string(), closedPnl: z.string(), fee: z.string(), oid: z.number() })).parse(rec.response);
      const fills = normalizeUserFills(rec.response, ctx);
      expect(fills).toHaveLength(raw.filter((f) => !f.coin.startsWith('@') && !f.coin.includes('/')).length);
      expect(new Set(fills.map((f) => f.tradeId)).size).toBe(fills.length);
      fills.forEach((f, i) => {
        const r = raw[i]!;
        expect(f).toMatchObject({ symbol: r.coin, price: Number(r.px), size: Number(r.sz), realizedPnl: Number(r.closedPnl), fee: Number(r.fee), orderId: String(r.oid), feeAsset: 'USDC' });
        expect(f.side).toBe(r.side === 'B' ? 'buy' : 'sell');
      });
    }
  });

  it('openOrders: limit orders with size and price as recorded', () => {
    for (const rec of ofType('openOrders')) {
      const raw = z.array(z.object({ oid: z.number(), limitPx: z.string(), sz: z.string() })).parse(rec.response);
      const orders = normalizeOpenOrders(rec.response, ctx);
      expect(orders).toHaveLength(raw.length);
      orders.forEach((o, i) => {
        expect(o).toMatchObject({ orderId: String(raw[i]!.oid), price: Number(raw[i]!.limitPx), size: Number(raw[i]!.sz), type: 'limit', filled: 0 });
      });
    }
  });

  it('frontendOpenOrders: trigger orders carry their trigger price, children are not double counted', () => {
    const rec = ofType('frontendOpenOrders')[0]!;
    const orders = normalizeFrontendOpenOrders(rec.response, ctx);
    expect(orders.map((o) => o.type).sort()).toEqual(['limit', 'stop_market', 'take_profit_market']);
    const stop = orders.find((o) => o.type === 'stop_market')!;
    expect(stop).toMatchObject({ stopPrice: 9.995, price: null, reduceOnly: true, side: 'sell', size: 12.5 });
    expect(orders.find((o) => o.type === 'limit')).toMatchObject({ price: 10, stopPrice: null, reduceOnly: false });
  });

  it('userNonFundingLedgerUpdates: the recorded ledger gives the perp cash flows of its user', () => {
    const recs = ofType('userNonFundingLedgerUpdates');
    expect(recs.map((r) => r.file).sort()).toEqual([
      'pysdk_user_non_funding_ledger_updates_with_end_time.json',
      'pysdk_user_non_funding_ledger_updates_without_end_time.json',
    ]);
    const user = z.object({ user: z.string() }).parse(recs[0]!.request.body).user;
    const flowsOf = (file: string) => normalizeLedgerUpdates(recs.find((r) => r.file === file)!.response, { accountId: 'acct-1', user });
    // The window with an end time is empty on the venue.
    expect(flowsOf('pysdk_user_non_funding_ledger_updates_with_end_time.json')).toEqual([]);
    const flows = flowsOf('pysdk_user_non_funding_ledger_updates_without_end_time.json');
    // Five entries: two deposits, two transfers out of perp to spot, and a spot transfer (no perp flow).
    expect(flows.map((f) => [f.kind, f.amount, f.time])).toEqual([
      ['deposit', 2703997.45, 1731999196516],
      ['accountClassTransfer', -12, 1732834706761],
      ['accountClassTransfer', -2684105.01, 1732865846906],
      ['deposit', 1099994.98, 1732867345893],
    ]);
    for (const f of flows) expect(f).toMatchObject({ venue: 'hyperliquid', accountId: 'acct-1', asset: 'USDC' });
    expect(flows[1]!.id).toBe('0x1ddfe341d6a65a05392a0417f410fd014100a311417ccf11da13fcddea1429c9:1732834706761:accountClassTransfer:-12');
    expect(new Set(flows.map((f) => f.id)).size).toBe(flows.length);
  });

  it('allMids, l2Book, candleSnapshot and meta normalise without loss', () => {
    for (const rec of ofType('allMids')) {
      const raw = z.record(z.string(), z.string()).parse(rec.response);
      const marks = normalizeAllMids(rec.response, ctx.now);
      expect(marks).toHaveLength(Object.keys(raw).filter((k) => !k.startsWith('@') && !k.includes('/')).length);
      for (const m of marks) expect(m.price).toBe(Number(raw[m.symbol]));
    }
    for (const rec of ofType('l2Book')) {
      const book = normalizeL2Book(rec.response, ctx.now);
      expect(book.bids.length).toBeGreaterThan(0);
      // Bids descend, asks ascend, and the book is not crossed.
      for (let i = 1; i < book.bids.length; i++) expect(book.bids[i]![0]).toBeLessThan(book.bids[i - 1]![0]);
      for (let i = 1; i < book.asks.length; i++) expect(book.asks[i]![0]).toBeGreaterThan(book.asks[i - 1]![0]);
      expect(book.bids[0]![0]).toBeLessThan(book.asks[0]![0]);
      expect(normalizeL2Book(rec.response, ctx.now, 5).bids).toHaveLength(Math.min(5, book.bids.length));
    }
    for (const rec of ofType('candleSnapshot')) {
      const candles = normalizeCandles(rec.response);
      expect(candles.length).toBe((rec.response as unknown[]).length);
      for (const c of candles) expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
    }
    for (const rec of ofType('meta')) {
      const assets = normalizeMeta(rec.response);
      expect(assets.find((a) => a.name === 'BTC')).toMatchObject({ index: 0, szDecimals: 5 });
    }
  });
});
