/**
 * The guard layer's stylesheet, as a string put into its own shadow root (not the content script's CSS file, which
 * WXT loads into the panel's root asynchronously: the verdict must paint in the click's frame). Colours follow each
 * site's dark theme (data-venue on the layer): Binance's in GUARD_CSS, Hyperliquid's in GUARD_CSS_HYPERLIQUID, which
 * only the Hyperliquid page's script imports. Imported `?inline`, so the build minifies them like any stylesheet.
 */
import css from './guard-style.css?inline';
import hyperliquid from './guard-hyperliquid.css?inline';

export const GUARD_CSS: string = css;
export const GUARD_CSS_HYPERLIQUID: string = hyperliquid;
