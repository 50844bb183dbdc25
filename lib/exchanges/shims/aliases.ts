/**
 * Bundler aliases for the extension build (wxt.config.ts: vite resolve.alias): ccxt's Node-only and unused imports
 * go to small shims, which keeps the binanceusdm class well under 190 KB gzip instead of pulling undici, protobufjs,
 * the zkLink WASM glue, Starknet and other exchanges' signature curves and fflate into the service worker. Node (vitest, tsx) never sees these aliases.
 */
import { fileURLToPath } from 'node:url';

const shim = (name: string) => fileURLToPath(new URL(`./${name}.ts`, import.meta.url));

export const exchangeAliases: { find: RegExp; replacement: string }[] = [
  { find: /^ws$/, replacement: shim('ws') },
  { find: /^(crypto|undici|node:http|node:https|node:zlib|protobufjs\/minimal(\.js)?)$/, replacement: shim('empty') },
  { find: /^@scure\/starknet$/, replacement: shim('unused') },
  { find: /^fflate$/, replacement: shim('unused') },
  // Paths inside ccxt's own tree, matched by their relative specifiers.
  { find: /^.*static_dependencies\/zklink\/zklink-sdk-web\.js$/, replacement: shim('unused') },
  { find: /^.*static_dependencies\/dydx-v4-client\/.*$/, replacement: shim('unused') },
  { find: /^.*\/functions\/starknet\.js$/, replacement: shim('unused') },
  { find: /^.*protobuf\/mexc\/compiled\.cjs$/, replacement: shim('empty') },
];

/**
 * Modules only other exchanges use, dropped where ccxt imports them (and only there): Ringfence's own Hyperliquid
 * signer (lib/exchanges/hyperliquid/signer.ts) imports the same '@noble/curves/secp256k1.js' and must get the real one.
 */
export const ccxtCurvesPlugin = {
  name: 'ringfence-ccxt-curves',
  enforce: 'pre' as const,
  resolveId(source: string, importer: string | undefined) {
    // zod's JSON-schema generation, imported only by classic zod's schemas (see shims/zod-json-schema.ts).
    if (importer?.includes('/node_modules/zod/v4/classic/') && /\/core\/(json-schema-processors|to-json-schema)\.js$/.test(source)) return shim('zod-json-schema');
    if (!importer?.includes('/node_modules/ccxt/')) return null;
    if (/^@noble\/curves\/(secp256k1|ed25519|nist)\.js$/.test(source)) return shim('unused');
    // Ethereum ABI / EIP-712 encoding and msgpack: for DEX exchanges (binanceusdm signs with HMAC, never calls them).
    if (/^\.\/(functions\/ethabi|msgpack)\.js$/.test(source)) return shim('unused');
    return null;
  },
};
