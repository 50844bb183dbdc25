/** Market watch under stored analysis settings: the regime follows them, the risk engine's ATR % does not. */
import { describe, expect, it } from 'vitest';
import type { Candle, CandleInterval } from '../../../lib/domain/market';
import { INTERVAL_MS } from '../../../lib/domain/market';
import type { ExchangeAdapter } from '../../../lib/exchanges/types';
import { createMarketWatch } from '../../../lib/background/market-watch';
import { parseMarketSettings } from '../../../lib/market/settings';

const T0 = Date.UTC(2026, 0, 1);
const NOW = T0 + 40 * 86_400_000 + 30 * 60_000;

/** A slow climb with a 7-bar wobble: a small slope that the default thresholds call ranging. */
function venue() {
  const calls: string[] = [];
  const adapter = {
    venue: 'binance',
    async fetchCandles(_symbol: string, interval: CandleInterval, since?: number, limit = 500) {
      calls.push(`${interval} ${since === undefined ? 'latest' : 'since'} ${limit}`);
      const step = INTERVAL_MS[interval];
      const forming = Math.floor((NOW - T0) / step);
      const from = since === undefined ? Math.max(0, forming - limit + 1) : Math.ceil((since - T0) / step);
      const out: Candle[] = [];
      for (let i = from; i <= forming && out.length < limit; i++) {
        const c = 100 + (i % 7) + i * 0.001;
        out.push({ time: T0 + i * step, open: c - 0.5, high: c + 1, low: c - 1, close: c, volume: 10 });
      }
      return out;
    },
  } as unknown as ExchangeAdapter;
  return { adapter, calls };
}

// Any directional move counts as a strong trend.
const EAGER = parseMarketSettings({ trend: { adxStrong: 0, adxWeak: 0, slopeStrongAtr: 1e-9, slopeWeakAtr: 1e-9 } });

function watch(settings?: typeof EAGER) {
  const v = venue();
  let changes = 0;
  const w = createMarketWatch({
    now: () => NOW,
    adapterFor: () => v.adapter,
    targets: () => [{ venue: 'binance', symbol: 'BTCUSDT', book: false }],
    changed: () => changes++,
    log: () => {},
    ...(settings ? { settings } : {}),
  });
  return { w, v, changes: () => changes };
}

describe('market watch settings', () => {
  it('labels the regime with the thresholds it is given at start', async () => {
    const plain = watch();
    await plain.w.refresh();
    expect(plain.w.view()[0]!.regime!.trend).toBe('ranging');
    const eager = watch(EAGER);
    await eager.w.refresh();
    expect(eager.w.view()[0]!.regime!.trend).toMatch(/^strong_(up|down)$/);
  });

  it('new settings rebuild the regime on a fresh window; the ATR % stays', async () => {
    const { w, v, changes } = watch();
    await w.refresh();
    const atr = w.atrPct().BTCUSDT;
    v.calls.length = 0;
    const before = changes();
    w.setSettings(EAGER);
    expect(changes()).toBe(before + 1);
    await w.refresh();
    expect(v.calls).toEqual(['1h latest 300']);
    expect(w.view()[0]!.regime!.trend).toMatch(/^strong_(up|down)$/);
    expect(w.atrPct().BTCUSDT).toBe(atr);
    // The same settings again: nothing rebuilt, nothing fetched.
    v.calls.length = 0;
    w.setSettings(parseMarketSettings(EAGER));
    await w.refresh();
    expect(v.calls).toEqual([]);
  });
});
