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
  transform(code: string, id: string) {
    return BINANCE_CLASS.test(id) ? { code: dropErrorTable(keepFuturesApi(code)), map: null } : null;
  },
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

const BINANCE_CLASS = /\/node_modules\/ccxt\/js\/src\/binance\.js$/;

/**
 * ccxt's binance.js describes every Binance API (spot, margin, wallet, coin-M, options, portfolio margin) in one table
 * its constructor turns into methods; Ringfence calls only USD-M futures endpoints (lib/exchanges/binance/client.ts
 * BinanceRest, all `fapi…`). The other sections are dropped from the extension bundle (about 6 KB gzip of the
 * background). The table is found by ccxt's generated indentation; a layout this does not recognise fails the build
 * rather than shipping a half-cut table.
 */
export function keepFuturesApi(code: string): string {
  const lines = code.split('\n');
  const start = lines.findIndex((l) => l === "            'api': {");
  if (start < 0) throw new Error('ringfence-ccxt-curves: binance.js API table not found (ccxt layout changed?)');
  const out = lines.slice(0, start + 1);
  const kept: string[] = [];
  let i = start + 1;
  for (; i < lines.length && !/^ {12}\},?$/.test(lines[i]!); i++) {
    const open = /^ {16}'(\w+)': \{$/.exec(lines[i]!);
    if (!open) {
      out.push(lines[i]!);
      continue;
    }
    let end = i + 1;
    while (end < lines.length && !/^ {16}\},?$/.test(lines[end]!)) end++;
    if (end >= lines.length) throw new Error(`ringfence-ccxt-curves: binance.js API section ${open[1]} has no end`);
    if (open[1]!.startsWith('fapi')) {
      out.push(...lines.slice(i, end + 1));
      kept.push(open[1]!);
    }
    i = end;
  }
  if (i >= lines.length || !kept.includes('fapiPublic') || !kept.includes('fapiPrivate'))
    throw new Error('ringfence-ccxt-curves: binance.js API table not recognised (ccxt layout changed?)');
  return [...out, ...lines.slice(i)].join('\n');
}

/**
 * binance.js's table of venue error codes to ccxt exception classes (spot, futures, options, portfolio margin) is read
 * only by its handleErrors, which Ringfence's client overrides (lib/exchanges/binance/client.ts: failures are thrown
 * raw and mapped in the adapter); so the table is emptied in the extension bundle.
 */
export function dropErrorTable(code: string): string {
  const lines = code.split('\n');
  const start = lines.findIndex((l) => l === "            'exceptions': {");
  let end = start + 1;
  while (start >= 0 && end < lines.length && !/^ {12}\},?$/.test(lines[end]!)) end++;
  if (start < 0 || end >= lines.length) throw new Error('ringfence-ccxt-curves: binance.js error table not found (ccxt layout changed?)');
  return [...lines.slice(0, start), `            'exceptions': {}${lines[end]!.endsWith(',') ? ',' : ''}`, ...lines.slice(end + 1)].join('\n');
}
