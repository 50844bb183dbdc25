/** Market watch: a candle still forming on the venue is never fed as closed when our clock runs ahead of the venue's. */
import { describe, expect, it } from 'vitest';
import type { Candle, CandleInterval } from '../../../lib/domain/market';
import { INTERVAL_MS } from '../../../lib/domain/market';
import type { ExchangeAdapter } from '../../../lib/exchanges/types';
import { createMarketWatch } from '../../../lib/background/market-watch';
import { RegimeTracker } from '../../../lib/market/summary';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

/** Candle i closes at 100 + (i % 7) + ...; while forming (venue time) its close is the open and its range tiny. */
function candle(interval: CandleInterval, i: number, venueNow: number): Candle {
  const step = INTERVAL_MS[interval];
  const t = T0 + i * step;
  const c = 100 + (i % 7) + (i % 3) * 0.37;
  if (t + step > venueNow) return { time: t, open: c - 0.5, high: c - 0.4, low: c - 0.6, close: c - 0.5, volume: 1 };
  return { time: t, open: c - 0.5, high: c + 1 + (i % 5), low: c - 1, close: c, volume: 10 };
}

async function walk(lagMs: number) {
  const start = T0 + 40 * 86_400_000 + 30 * 60_000;
  let now = start;
  const adapter = {
    venue: 'binance',
    async fetchCandles(_symbol: string, interval: CandleInterval, since?: number, limit = 500) {
      const venueNow = now - lagMs;
      const step = INTERVAL_MS[interval];
      const forming = Math.floor((venueNow - T0) / step);
      const from = since === undefined ? Math.max(0, forming - limit + 1) : Math.ceil((since - T0) / step);
      const out: Candle[] = [];
      for (let i = from; i <= forming && out.length < limit; i++) out.push(candle(interval, i, venueNow));
      return out;
    },
  } as unknown as ExchangeAdapter;
  const w = createMarketWatch({ now: () => now, adapterFor: () => adapter, targets: () => [{ venue: 'binance', symbol: 'BTCUSDT', book: false }], changed: () => {}, log: () => {} });
  await w.refresh();
  // Two hours in 5 s steps (the refresh timer); each close is asked for at boundary + 5 s by our clock.
  for (let k = 0; k < 2 * 720; k++) {
    now += 5_000;
    await w.refresh();
  }
  const got = w.view()[0]!.regime!;
  const ref = new RegimeTracker('1h');
  const last = Math.floor((got.time - T0) / HOUR);
  // The same candles, final: from the first of the 300 fetched at the start to the last fed.
  const first = Math.floor((start - lagMs - T0) / HOUR) - 299;
  ref.feed(Array.from({ length: last - first + 1 }, (_, k) => candle('1h', first + k, Infinity)));
  return { got, ref: ref.summary()!, now };
}

describe('market watch: venue clock behind ours', () => {
  it.each([0, 10_000, 45_000])('venue %i ms behind: the regime equals one fed the final candles, and is current', async (lag) => {
    const { got, ref, now } = await walk(lag);
    expect(got).toEqual(ref);
    // The last closed hour is fed within a minute of its close, not an hour later.
    expect(got.time).toBe(Math.floor((now - lag - 60_000) / HOUR) * HOUR - HOUR);
  });
});
