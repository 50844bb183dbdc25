/**
 * Which exchange trading page a URL is, and the symbol it shows. Pure: used by the content scripts (to mount or
 * unmount on in-page navigation) and by the background (to check that a content-script sender is on a trading page).
 */
export type Venue = 'binance' | 'hyperliquid';

export interface TradingPage {
  venue: Venue;
  /** Binance: the contract symbol (BTCUSDT). Hyperliquid: the coin (BTC, or xyz:NAME on a builder dex); null on /trade. */
  symbol: string | null;
}

export const BINANCE_ORIGIN = 'https://www.binance.com';
export const HYPERLIQUID_ORIGIN = 'https://app.hyperliquid.xyz';

// Locales look like en, zh-CN, es-LA, pt-BR. USD-M symbols are upper-case (BTCUSDT, 1000PEPEUSDT, BTCUSDT_250627);
// lower-case segments under /futures/ are other pages (funding-history, trading-rules), not trading pages.
const BINANCE_PATH = /^\/(?:[a-z]{2}(?:-[A-Za-z]{2,4})?\/)?futures\/([A-Z0-9]{2,30}(?:_[0-9]{6})?)\/?$/;
// Perp coins: BTC, kPEPE, or a builder-dex coin dex:NAME. Spot pairs (/trade/HYPE/USDC) are not perp pages.
const HYPERLIQUID_PATH = /^\/trade(?:\/([^/]+))?\/?$/;
const HYPERLIQUID_COIN = /^(?:[a-z0-9]{1,16}:)?[A-Za-z0-9]{1,20}$/;

export function matchTradingPage(href: string): TradingPage | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.origin === BINANCE_ORIGIN) {
    const m = BINANCE_PATH.exec(url.pathname);
    return m?.[1] ? { venue: 'binance', symbol: m[1] } : null;
  }
  if (url.origin === HYPERLIQUID_ORIGIN) {
    const m = HYPERLIQUID_PATH.exec(url.pathname);
    if (!m) return null;
    if (m[1] === undefined) return { venue: 'hyperliquid', symbol: null };
    let coin: string;
    try {
      coin = decodeURIComponent(m[1]);
    } catch {
      return null;
    }
    return HYPERLIQUID_COIN.test(coin) ? { venue: 'hyperliquid', symbol: coin } : null;
  }
  return null;
}

/** Manifest match patterns; matchTradingPage narrows them further at run time. */
export const CONTENT_MATCHES: Record<Venue, string[]> = {
  binance: ['https://www.binance.com/*/futures/*', 'https://www.binance.com/futures/*'],
  hyperliquid: ['https://app.hyperliquid.xyz/trade*'],
};
