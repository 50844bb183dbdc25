import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
// Node-only and unused ccxt imports -> small shims in the extension bundle (see lib/exchanges/shims/aliases.ts).
import { ccxtCurvesPlugin, exchangeAliases } from './lib/exchanges/shims/aliases';

// Modes: production (stores), e2e and development (tests, demo and the local simulator on 127.0.0.1).
const LOCAL_HOSTS = ['http://127.0.0.1/*', 'ws://127.0.0.1/*'];
// The venues' REST APIs, mainnet and testnet: the service worker calls them across origins (websockets need none).
export const VENUE_HOSTS = [
  'https://fapi.binance.com/*',
  'https://testnet.binancefuture.com/*',
  'https://api.hyperliquid.xyz/*',
  'https://api.hyperliquid-testnet.xyz/*',
];

export default defineConfig({
  manifestVersion: 3,
  // Parallel work (several builds and browser runs at once) can build into separate folders.
  outDir: process.env.RINGFENCE_OUT_DIR ?? '.output',
  vite: () => ({ plugins: [preact(), ccxtCurvesPlugin], resolve: { alias: [...exchangeAliases] }, build: { sourcemap: Boolean(process.env.RINGFENCE_SOURCEMAP) } }),
  zip: { artifactTemplate: '{{name}}-{{version}}-{{browser}}.zip' },
  manifest: ({ mode, browser }) => ({
    name: 'Ringfence',
    description:
      'Risk desk for Binance USD-M futures and Hyperliquid: loss limits, leverage caps and pre-order guards.',
    // Each permission is justified in docs/permissions.md; tests/unit/manifest.test.ts keeps the two in step.
    permissions: ['storage', 'alarms', 'notifications'],
    host_permissions: mode === 'production' ? VENUE_HOSTS : [...VENUE_HOSTS, ...LOCAL_HOSTS],
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            // Ringfence sends nothing to us: data stays in the browser and goes only to the user's own exchanges.
            gecko: { id: 'ringfence@ringfence.dev', strict_min_version: '128.0', data_collection_permissions: { required: ['none'] } },
          },
        }
      : {}),
  }),
});
