/**
 * Public trades from Binance: the aggTrades payload into domain trades, the window read (paging back from the window's
 * end, its caps) and the simulator's GET /fapi/v1/aggTrades (parameters, limit, weight), end to end through the adapter.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AGG_TRADES_LIMIT, readTradeWindow, type AggTradesRead } from '../../../../lib/exchanges/binance/agg-trades';
import { BinanceAdapter } from '../../../../lib/exchanges/binance/adapter';
import { normalizeAggTrades, type AggTrade } from '../../../../lib/exchanges/binance/normalize';
import { BadPayloadError } from '../../../../lib/exchanges/errors';
import { SimControl } from '../../../simulator/control-client';
import { createSimulator, type Simulator } from '../../../simulator/server';
import { TAPE_MS } from '../../../simulator/binance/market-data';

describe('normalizeAggTrades', () => {
  it('maps the fields exactly; m (buyer is maker) means a sell aggressor', () => {
    const raw = [
      { a: 26129, p: '3401.25', q: '4.704', f: 27781, l: 27783, T: 1_700_000_000_123, m: true },
      { a: 26130, p: '3401.50', q: '0.010', f: 27784, l: 27784, T: 1_700_000_000_456, m: false },
    ];
    expect(normalizeAggTrades(raw)).toEqual([
      { id: 26129, time: 1_700_000_000_123, price: 3401.25, size: 4.704, side: 'sell' },
      { id: 26130, time: 1_700_000_000_456, price: 3401.5, size: 0.01, side: 'buy' },
    ]);
  });

  it('rejects a bad payload with a clear error', () => {
    expect(() => normalizeAggTrades({ code: -1121 })).toThrow(BadPayloadError);
    expect(() => normalizeAggTrades([{ a: 1, p: 'abc', q: '1', T: 1, m: true }])).toThrow(/binance aggTrades: malformed payload \(0\.p: expected a decimal string/);
    // A zero size cannot be a trade (domain check).
    expect(() => normalizeAggTrades([{ a: 1, p: '10', q: '0', T: 1, m: false }])).toThrow(/binance trade \(domain\): malformed payload/);
  });
});

/** A fake venue: trade ids 0..n-1, one every `gap` ms from time 0, answering as Binance's aggTrades does. */
function fakeVenue(n: number, gap: number) {
  const calls: Parameters<AggTradesRead>[0][] = [];
  const trade = (id: number): AggTrade => ({ id, time: id * gap, price: 100 + (id % 7), size: 1, side: id % 2 ? 'buy' : 'sell' });
  const read: AggTradesRead = async (p) => {
    calls.push(p);
    expect(p.limit).toBeLessThanOrEqual(AGG_TRADES_LIMIT);
    let first: number;
    if (p.fromId !== undefined) first = p.fromId;
    else if (p.startTime !== undefined) first = Math.ceil(p.startTime / gap);
    else first = Math.max(0, n - p.limit);
    const out: AggTrade[] = [];
    for (let id = first; id < Math.min(n, first + p.limit); id++) out.push(trade(id));
    return out;
  };
  return { read, calls };
}

describe('readTradeWindow', () => {
  it('reads a whole window back from its end: every trade in [start, end), oldest first', async () => {
    const v = fakeVenue(50_000, 1_000);
    const w = await readTradeWindow(v.read, { symbol: 'ETHUSDT', start: 40_000_000, end: 42_500_000 });
    expect(w.complete).toBe(true);
    expect(w.trades).toHaveLength(2_500);
    expect(w.trades[0]!.time).toBe(40_000_000);
    expect(w.trades.at(-1)!.time).toBe(42_499_000);
    expect(w.from).toBe(40_000_000);
    // One call finds the end (id 42,500), then pages of 1000 ids back: 41,500, 40,500, 39,500 (passes the start).
    expect(v.calls).toEqual([
      { startTime: 42_500_000, limit: 1 },
      { fromId: 41_500, limit: 1000 },
      { fromId: 40_500, limit: 1000 },
      { fromId: 39_500, limit: 1000 },
    ]);
    expect(w.calls).toBe(4);
  });

  it('stops at the caps and says how much of the window the trades cover', async () => {
    const v = fakeVenue(50_000, 1_000);
    const w = await readTradeWindow(v.read, { symbol: 'ETHUSDT', start: 0, end: 45_000_000, maxCalls: 3 });
    expect(w.complete).toBe(false);
    expect(w.trades).toHaveLength(3_000);
    expect(w.calls).toBe(4);
    expect(w.from).toBe(42_000_000);
    const t = await readTradeWindow(fakeVenue(50_000, 1_000).read, { symbol: 'ETHUSDT', start: 0, end: 45_000_000, maxTrades: 2_500 });
    expect(t).toMatchObject({ complete: false, from: 42_500_000, calls: 4 });
    expect(t.trades).toHaveLength(2_500);
    // The default caps: 10 pages, 10,000 trades.
    const d = await readTradeWindow(fakeVenue(50_000, 1_000).read, { symbol: 'ETHUSDT', start: 0, end: 45_000_000 });
    expect(d).toMatchObject({ complete: false, calls: 11, from: 35_000_000 });
    expect(d.trades).toHaveLength(10_000);
  });

  it('a window reaching past the latest trade starts from the latest page; the first trade ever ends the read', async () => {
    const v = fakeVenue(1_500, 1_000);
    const w = await readTradeWindow(v.read, { symbol: 'ETHUSDT', start: 0, end: 10_000_000 });
    expect(w).toMatchObject({ complete: true, from: 0, calls: 3 });
    expect(w.trades).toHaveLength(1_500);
    expect(v.calls).toEqual([{ startTime: 10_000_000, limit: 1 }, { limit: 1000 }, { fromId: 0, limit: 500 }]);
    const none = await readTradeWindow(fakeVenue(0, 1_000).read, { symbol: 'X', start: 0, end: 5 });
    expect(none).toEqual({ trades: [], from: 0, to: 5, complete: true, calls: 2 });
  });
});

describe('simulator GET /fapi/v1/aggTrades and the adapter', () => {
  let sim: Simulator;
  let c: SimControl;
  beforeAll(async () => {
    sim = await createSimulator({ port: 0, prices: { source: 'manual', tickMs: 100 } });
    c = new SimControl(sim.url);
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await c.reset();
    await c.setPrice('binance', 'ETHUSDT', 3_400);
  });
  const get = async (q: Record<string, string>) => {
    const res = await fetch(`${sim.url}/binance/fapi/v1/aggTrades?${new URLSearchParams({ symbol: 'ETHUSDT', ...q })}`);
    return { status: res.status, json: (await res.json()) as never };
  };

  it("answers Binance's parameters with its fields, public, weight 20", async () => {
    await c.resetWeight();
    const latest = await get({ limit: '5' });
    expect(latest.status).toBe(200);
    const rows = latest.json as { a: number; p: string; q: string; f: number; l: number; T: number; m: boolean }[];
    expect(rows).toHaveLength(5);
    expect(Object.keys(rows[0]!).sort()).toEqual(['T', 'a', 'f', 'l', 'm', 'p', 'q']);
    expect(rows.map((r) => r.a)).toEqual([0, 1, 2, 3, 4].map((i) => rows[0]!.a + i));
    expect(rows[4]!.T).toBeLessThanOrEqual(Date.now());
    expect(rows[4]!.T).toBe(rows[4]!.a * TAPE_MS);
    const from = await get({ fromId: String(rows[0]!.a - 10), limit: '3' });
    expect((from.json as { a: number }[]).map((r) => r.a)).toEqual([rows[0]!.a - 10, rows[0]!.a - 9, rows[0]!.a - 8]);
    const t0 = rows[0]!.T - 3_600_000;
    const byTime = (await get({ startTime: String(t0 + 1), endTime: String(t0 + 3_000_000) })).json as { T: number }[];
    expect(byTime[0]!.T).toBe(t0 + TAPE_MS);
    expect(byTime.every((r) => r.T > t0 && r.T <= t0 + 3_000_000)).toBe(true);
    // Deterministic: the same request, the same answer.
    expect((await get({ fromId: String(rows[0]!.a - 10), limit: '3' })).json).toEqual(from.json);
    expect((await c.weight('binance')).total).toBe(4 * 20);
  });

  it('rejects what Binance rejects: limit over 1000, a span over an hour, fromId with times, an unknown symbol', async () => {
    expect(await get({ limit: '1001' })).toMatchObject({ status: 400, json: { code: -1130 } });
    expect(await get({ startTime: '0', endTime: '3600001' })).toMatchObject({ status: 400, json: { code: -1127 } });
    expect(await get({ fromId: '5', startTime: '0' })).toMatchObject({ status: 400, json: { code: -1128 } });
    const res = await fetch(`${sim.url}/binance/fapi/v1/aggTrades?symbol=NOPEUSDT`);
    expect(((await res.json()) as { code: number }).code).toBe(-1121);
  });

  it("the adapter reads a window's tape, counts the weight, and the tape's volume matches the candles'", async () => {
    const a = new BinanceAdapter(
      { accountId: 'trades', endpoints: { network: 'custom', restUrl: `${sim.url}/binance`, wsUrl: `${sim.wsUrl}/binance/ws` }, credentials: { venue: 'binance', apiKey: 'unused-key-xxxxxxxx', apiSecret: 'unused' } },
      { rateLimitMs: 1 },
    );
    const hour = 3_600_000;
    const end = Math.floor(Date.now() / hour) * hour;
    const w = await a.fetchTrades({ symbol: 'ETHUSDT', start: end - 24 * hour, end });
    expect(w).toMatchObject({ complete: true, from: end - 24 * hour, to: end, calls: 2 });
    expect(w.trades).toHaveLength(24 * (hour / TAPE_MS));
    expect(a.stats().restWeightUsed).toBe(40);
    const candles = await a.fetchCandles('ETHUSDT', '1h', end - 24 * hour, 24);
    const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
    const ratio = sum(w.trades.map((t) => t.size)) / sum(candles.map((k) => k.volume));
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.2);
    // The tape stays inside each candle's range.
    for (const k of candles) {
      for (const t of w.trades.filter((x) => x.time >= k.time && x.time < k.time + hour)) {
        expect(t.price).toBeGreaterThanOrEqual(k.low - 0.01);
        expect(t.price).toBeLessThanOrEqual(k.high + 0.01);
      }
    }
    await a.disconnect();
  });
});
