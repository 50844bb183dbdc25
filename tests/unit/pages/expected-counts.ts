/**
 * The registries' expected counts, as the registry test reads them: per venue the fixture pages and, per field,
 * how many elements it matches on each.
 */
import type { SelectorRegistry } from '@/lib/pages/registry';
import { BINANCE_REGISTRY } from '@/lib/pages/binance/registry';
import { HYPERLIQUID_REGISTRY } from '@/lib/pages/hyperliquid/registry';
import { BINANCE_COUNTS, BINANCE_FIXTURES } from './binance-counts';
import { HYPERLIQUID_COUNTS, HYPERLIQUID_FIXTURES } from './hyperliquid-counts';

/** One number per fixture, in the venue's fixture order (a tuple, so a missing count is a type error). */
export type CountsOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: number };

export interface VenueCounts {
  registry: SelectorRegistry<string>;
  /** Fixture page names (file names without .html), in the order of every field's counts. */
  fixtures: readonly string[];
  counts: Readonly<Record<string, readonly number[]>>;
}

export const VENUE_COUNTS: readonly VenueCounts[] = [
  { registry: BINANCE_REGISTRY, fixtures: BINANCE_FIXTURES, counts: BINANCE_COUNTS },
  { registry: HYPERLIQUID_REGISTRY, fixtures: HYPERLIQUID_FIXTURES, counts: HYPERLIQUID_COUNTS },
];

/** A field's expected count on one fixture page. */
export function expectedCount(v: VenueCounts, field: string, fixture: string): number | undefined {
  const i = v.fixtures.indexOf(fixture);
  return i < 0 ? undefined : v.counts[field]?.[i];
}
