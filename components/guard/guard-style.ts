/**
 * The guard layer's stylesheet, as a string put into its own shadow root (not the content script's CSS file, which
 * WXT loads into the panel's root asynchronously: the verdict must paint in the click's frame). Colours follow each
 * site's dark theme (data-venue on the layer). Imported `?inline`, so the build minifies it like any stylesheet.
 */
import css from './guard-style.css?inline';

export const GUARD_CSS: string = css;
