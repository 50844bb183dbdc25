/**
 * The one place ccxt is imported: only the binanceusdm REST class, never the whole ccxt bundle (1.31 MB gzip) nor
 * its pro (websocket) subclass: the adapter reads raw frames through the base class's generic websocket client, so
 * pro's watch* parsers (about 16 KB gzip) would be dead weight in the service worker. ccxt's package exports only '.',
 * so the class is reached by its file path; Node (tests, tsx) and the extension bundler both resolve it, and
 * wxt.config.ts aliases ccxt's Node-only imports to lib/exchanges/shims.
 */
import BinanceUsdmRest from '../../../node_modules/ccxt/js/src/binanceusdm.js';

export { BinanceUsdmRest };
