/**
 * Browser stand-in for the `ws` package: ccxt's WsClient uses the platform WebSocket outside Node, so only the
 * import has to resolve. Used by the extension bundle only (see aliases.ts); Node tests use the real `ws`.
 */
const PlatformWebSocket = (globalThis as { WebSocket?: unknown }).WebSocket;
export default PlatformWebSocket;
export function createWebSocketStream(): never {
  throw new Error('createWebSocketStream is Node-only');
}
