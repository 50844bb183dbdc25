/**
 * The local exchange simulator with both venues: createSimulator({ port: 0 }) in tests, `npm run simulator` by hand.
 * The core (core.ts) knows no venue; this file only plugs the two venue modules in.
 */
import { createBinanceModule } from './binance/index';
import { createSimulatorCore, type Simulator, type SimulatorCoreOptions } from './core';
import { createHyperliquidModule } from './hyperliquid/index';

export type SimulatorOptions = SimulatorCoreOptions;
export type { Simulator };

export function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return createSimulatorCore({ binance: createBinanceModule, hyperliquid: createHyperliquidModule }, options);
}
