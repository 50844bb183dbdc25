/**
 * The one place ccxt is imported: only the binanceusdm class with websockets (pro), never the whole ccxt bundle
 * (1.31 MB gzip). ccxt's package exports only '.', so the class is reached by its file path; Node (tests, tsx) and
 * the extension bundler both resolve it, and wxt.config.ts aliases ccxt's Node-only imports to lib/exchanges/shims.
 */
import BinanceUsdmPro from '../../../node_modules/ccxt/js/src/pro/binanceusdm.js';

export { BinanceUsdmPro };
