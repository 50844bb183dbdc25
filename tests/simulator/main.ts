/**
 * `npm run simulator [-- --port 7070 --speed 1 --source candles|generated|manual --quiet]`: both venues on 127.0.0.1.
 * Stops on Ctrl-C, or by itself when the price engine's tick bound is reached (24 h at 1 s ticks by default).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createSimulator } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '7070' },
    speed: { type: 'string', default: '1' },
    source: { type: 'string', default: 'candles' },
    quiet: { type: 'boolean', default: false },
  },
});
const Args = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  speed: z.coerce.number().positive().max(10_000),
  source: z.enum(['candles', 'generated', 'manual']),
  quiet: z.boolean(),
});
const parsed = Args.safeParse(values);
if (!parsed.success) {
  console.error(`simulator: bad arguments: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
const args = parsed.data;
const sim = await createSimulator({
  port: args.port,
  prices: { speed: args.speed, source: args.source },
  log: args.quiet ? undefined : (line) => console.log(line),
});
console.log(`Ringfence exchange simulator on ${sim.url} (prices: ${sim.ctx.prices.pathOrigin}, speed x${args.speed})`);
console.log(`  Binance REST      ${sim.url}/binance        (fapi: ${sim.url}/binance/fapi/v1/...)`);
console.log(`  Binance WS        ${sim.wsUrl}/binance/ws`);
console.log(`  Hyperliquid REST  ${sim.url}/hyperliquid    (POST /info, /exchange)`);
console.log(`  Hyperliquid WS    ${sim.wsUrl}/hyperliquid/ws`);
console.log(`  Control API       ${sim.url}/control/state  (see docs/simulator.md)`);

const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// The price engine's timer is unref'd; this keeps the CLI alive until a signal or the tick bound.
const keepAlive = setInterval(() => {
  if (sim.ctx.prices.tickCount >= 86_400) stop();
}, 60_000);
process.on('exit', () => clearInterval(keepAlive));
