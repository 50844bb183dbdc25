import { computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import { browser } from 'wxt/browser';
import type { Venue } from '@/lib/pages/match';
import { DEFAULT_PLACE, parsePlace, placeKey, type PanelPlace } from '@/lib/ui/panel-place';

/** The part of extension storage this needs (browser.storage.local; a fake in tests). */
export interface PlaceStorage {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<unknown>;
}

/**
 * This site's stored panel placement, read once per tab at document_start and shared by the panel and the order
 * guard: its `account` is the account the page is about (the panel's account picker), so the panel shows and the
 * guard checks orders against the same account.
 */
export interface PagePlace {
  /** The placement; the default until the stored one is read. */
  place: Signal<PanelPlace>;
  /** The account chosen in the panel (`venue:accountId`, null: the first of the venue); undefined until read. */
  account: ReadonlySignal<string | null | undefined>;
  /** Settles when the stored placement was read (or could not be: the default). */
  ready: Promise<void>;
  /** Shows and stores a new placement (the page cannot read extension storage). */
  save(next: PanelPlace): void;
}

export function loadPagePlace(venue: Venue, store: PlaceStorage = browser.storage.local as unknown as PlaceStorage): PagePlace {
  const place = signal<PanelPlace>({ ...DEFAULT_PLACE });
  const loaded = signal(false);
  const key = placeKey(venue);
  let edited = false;
  const ready = (async () => {
    try {
      const got = await store.get(key);
      // A choice made before the read finished wins over the stored one.
      if (!edited) place.value = parsePlace(got[key]);
    } catch {
      // Storage unavailable (the extension was reloaded under the page): the default spot and the first account.
    }
    loaded.value = true;
  })();
  return {
    place,
    account: computed(() => (loaded.value ? place.value.account : undefined)),
    ready,
    save(next) {
      edited = true;
      place.value = next;
      loaded.value = true;
      store.set({ [key]: next }).catch(() => undefined);
    },
  };
}
