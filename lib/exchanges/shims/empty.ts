/**
 * Empty stand-in for Node-only modules (crypto, node:http, node:zlib, undici, protobufjs/minimal) that ccxt imports but
 * never calls in a browser or service worker: the browser code paths use fetch, WebSocket and @noble hashes.
 */
const empty: Record<string, never> = {};
export default empty;
