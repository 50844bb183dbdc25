/**
 * The Market view, loaded when first opened: lib/market and lightweight-charts live in their own chunk, so the rest of
 * the options page (and the popup, which shares its code) does not carry them.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { RuntimeLike } from '@/lib/messaging/client';
import type { ViewState } from '@/lib/messaging/protocol';

type Props = { state: ViewState; runtime: RuntimeLike };
let module: Promise<ComponentType<Props>> | null = null;

export function MarketLoader(props: Props) {
  const [View, setView] = useState<ComponentType<Props> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    module ??= import('./market-section').then((m) => m.MarketSection);
    module.then(
      (c) => setView(() => c),
      (e: unknown) => {
        module = null;
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  }, []);
  if (error) {
    return (
      <p class="rf-error" role="alert">
        The Market view could not load: {error}
      </p>
    );
  }
  return View ? <View {...props} /> : <p class="rf-empty">Loading the Market view…</p>;
}
