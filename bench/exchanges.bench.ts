/**
 * REST weight of steady monitoring (issue 4 budget: <= 10% of each venue's budget): 2 accounts watching 10 symbols for
 * 10 simulated minutes, counted by the simulator as each venue counts it. The simulator runs at 60x (one simulated
 * minute per real second) and the adapters' timers are scaled by the same factor, so ten simulated minutes take ten
 * real seconds. Start-up (the first snapshot, exchangeInfo, listenKey) is excluded: the window opens once both
 * accounts are connected and watching. Budgets: Binance 2,400 weight / min, Hyperliquid 1,200 / min.
 */
import { WebSocket as NodeWebSocket } from 'ws';
import { BinanceAdapter } from '../lib/exchanges/binance/adapter';
import { HyperliquidAdapter } from '../lib/exchanges/hyperliquid/adapter';
import type { ExchangeAdapter } from '../lib/exchanges/types';
import { SimControl } from '../tests/simulator/control-client';
import { createSimulator } from '../tests/simulator/server';
import { defineBenchmark, round, type Figure } from './harness';

const SPEED = 60;
const SIM_MINUTES = 10;
const SYMBOLS = ['BTC', 'ETH', 'SOL', 'XRP', 'BNB', 'DOGE', 'ADA', 'AVAX', 'LINK', 'LTC'];
const BUDGET = { binance: 2400, hyperliquid: 1200 } as const;

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default defineBenchmark({
  figures: ['exchanges.rest_weight_share.binance', 'exchanges.rest_weight_share.hyperliquid'],
  async run() {
    // The Hyperliquid library needs a global WebSocket; Node 20 has none.
    const g = globalThis as { WebSocket?: unknown };
    if (typeof g.WebSocket === 'undefined') g.WebSocket = NodeWebSocket;

    const sim = await createSimulator({ port: 0, prices: { source: 'generated', speed: SPEED, tickMs: 250, seed: 11 } });
    const c = new SimControl(sim.url);
    const adapters: ExchangeAdapter[] = [];
    try {
      // The bench measures usage, not the simulator's own limiter.
      await c.venue('binance', 'setLimits', { weightPerMinute: null });
      for (let i = 0; i < 2; i++) {
        const apiKey = `bench-key-${i}-aaaaaaaa`;
        const apiSecret = `bench-secret-${i}-bbbbbbbb`;
        await c.venue('binance', 'createAccount', { apiKey, apiSecret, balances: { USDT: 50_000 } });
        for (const [j, coin] of ['BTC', 'ETH', 'SOL'].entries()) {
          const price = (await c.state()).prices.find((p) => p.venue === 'binance' && p.symbol === `${coin}USDT`)!.price;
          await c.venue('binance', 'setPosition', { apiKey, symbol: `${coin}USDT`, amount: j % 2 === 0 ? 1 : -1, entryPrice: price });
        }
        adapters.push(
          new BinanceAdapter(
            {
              accountId: `bench-binance-${i}`,
              endpoints: { network: 'custom', restUrl: `${sim.url}/binance`, wsUrl: `${sim.wsUrl}/binance/ws` },
              credentials: { venue: 'binance', apiKey, apiSecret },
            },
            { resyncIntervalMs: 300_000 / SPEED, listenKeyKeepAliveMs: 1_800_000 / SPEED },
          ),
        );
        const address = `0x${String(i + 1).padStart(40, 'b')}` as const;
        await c.venue('hyperliquid', 'createAccount', { address, balance: 50_000 });
        adapters.push(
          new HyperliquidAdapter({
            accountId: `bench-hyperliquid-${i}`,
            endpoints: { network: 'custom', restUrl: `${sim.url}/hyperliquid`, wsUrl: `${sim.wsUrl}/hyperliquid/ws` },
            credentials: { venue: 'hyperliquid', address },
          }),
        );
      }
      for (const a of adapters) {
        await a.connect();
        await a.watchMarks(a.venue === 'binance' ? SYMBOLS.map((s) => `${s}USDT`) : SYMBOLS);
      }
      await wait(500);
      await c.resetWeight();
      // Ten simulated minutes, with one trade per account every two simulated minutes (on Binance a position change
      // costs one positionRisk refresh).
      for (let minute = 0; minute < SIM_MINUTES; minute++) {
        if (minute % 2 === 1) {
          for (let i = 0; i < 2; i++) {
            await c.venue('binance', 'trade', { apiKey: `bench-key-${i}-aaaaaaaa`, symbol: 'BTCUSDT', side: minute % 4 === 1 ? 'BUY' : 'SELL', quantity: 0.01 });
            const address = `0x${String(i + 1).padStart(40, 'b')}`;
            await c.venue('hyperliquid', 'trade', { address, coin: 'BTC', side: minute % 4 === 1 ? 'buy' : 'sell', size: 0.01 });
          }
        }
        await wait(60_000 / SPEED);
      }
      const figs: Figure[] = [];
      for (const venue of ['binance', 'hyperliquid'] as const) {
        const w = await c.weight(venue);
        const minutes = Math.max(SIM_MINUTES, w.simElapsedMs / 60_000);
        figs.push({ name: `exchanges.rest_weight_share.${venue}`, value: round(w.total / (BUDGET[venue] * minutes), 4), unit: 'fraction', n: 1 });
      }
      return figs;
    } finally {
      for (const a of adapters) await a.disconnect().catch(() => undefined);
      await sim.close();
    }
  },
});
