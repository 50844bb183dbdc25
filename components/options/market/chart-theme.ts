/**
 * Chart colours from the page's theme variables (components/common/theme.css), read when a chart is built and again
 * when the system switches between light and dark, so canvases follow the same palette as the HTML around them.
 */
import { withAlpha, type TrendPalette, type VolatilityPalette } from '@/lib/ui/market-view';

export interface ChartTheme {
  dark: boolean;
  bg: string;
  surface: string;
  border: string;
  text: string;
  muted: string;
  accent: string;
  ok: string;
  bad: string;
  warn: string;
  vwap: string;
  band: string;
  trend: TrendPalette;
  volatility: VolatilityPalette;
  profile: { value: string; outside: string; poc: string };
  levels: { poc: string; vah: string; val: string; zoneBid: string; zoneAsk: string };
}

const DARK = '(prefers-color-scheme: dark)';

export function readTheme(root: Element = document.documentElement): ChartTheme {
  const css = getComputedStyle(root);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const dark = matchMedia(DARK).matches;
  const ok = v('--rf-ok', '#03a66d');
  const bad = v('--rf-bad', '#cf304a');
  const warn = v('--rf-warn', '#c99400');
  const accent = v('--rf-accent', '#c99400');
  const muted = v('--rf-muted', '#5e6673');
  // A blue that reads on both backgrounds, apart from the green/red of candles and the yellow of the profile.
  const vwap = dark ? '#60a5fa' : '#2563eb';
  const violet = dark ? '#a78bfa' : '#7c3aed';
  return {
    dark,
    bg: v('--rf-bg', '#ffffff'),
    surface: v('--rf-surface', '#f5f5f5'),
    border: v('--rf-border', '#e0e3e7'),
    text: v('--rf-text', '#1e2329'),
    muted,
    accent,
    ok,
    bad,
    warn,
    vwap,
    band: vwap,
    trend: {
      unknown: withAlpha(muted, 0.12),
      strong_down: bad,
      weak_down: withAlpha(bad, 0.45),
      ranging: withAlpha(muted, 0.4),
      weak_up: withAlpha(ok, 0.45),
      strong_up: ok,
    },
    volatility: {
      unknown: withAlpha(muted, 0.12),
      low: withAlpha(vwap, 0.45),
      medium: withAlpha(violet, 0.55),
      high: warn,
    },
    profile: { value: withAlpha(accent, dark ? 0.46 : 0.42), outside: withAlpha(muted, dark ? 0.28 : 0.22), poc: withAlpha(accent, 0.85) },
    levels: { poc: accent, vah: violet, val: violet, zoneBid: ok, zoneAsk: bad },
  };
}

/** Calls `on` whenever the system theme flips; returns the unsubscribe. */
export function onThemeChange(on: () => void): () => void {
  const mq = matchMedia(DARK);
  mq.addEventListener('change', on);
  return () => mq.removeEventListener('change', on);
}
