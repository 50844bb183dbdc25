/**
 * Where the in-page panel sits and whether it is collapsed: the geometry of dragging (clamped to the viewport) and the
 * stored placement, per site, in the extension's own storage (never the page's localStorage, which the site reads).
 * Pure. The panel is anchored to the viewport corner nearest its centre, so a panel docked bottom-right stays there
 * when it collapses to a pill, grows, or the window is resized.
 */
import type { Venue } from '../pages/match';

export interface Size {
  w: number;
  h: number;
}
export interface Point {
  x: number;
  y: number;
}
/** The panel's top-left corner in viewport pixels. */
export interface Box {
  left: number;
  top: number;
}
/** Distance in px from the `h` edge and from the `v` edge of the viewport. */
export interface Anchor {
  h: 'left' | 'right';
  v: 'top' | 'bottom';
  x: number;
  y: number;
}
export interface PanelPlace extends Anchor {
  collapsed: boolean;
  /** The account chosen when several of this venue exist (null: the first). */
  account: string | null;
}

/** The smallest gap kept between the panel and a viewport edge. */
export const EDGE_GAP = 8;
/** A press that moves less than this (px) is a click, not a drag. */
export const DRAG_THRESHOLD = 4;
export const DEFAULT_PLACE: PanelPlace = { h: 'right', v: 'bottom', x: 16, y: 16, collapsed: false, account: null };

/** The storage.local key of a site's placement. */
export const placeKey = (venue: Venue) => `ringfence.panel.${venue}`;

const clamp1 = (v: number, size: number, view: number, gap: number): number => {
  const max = view - size - gap;
  // A panel larger than the viewport keeps its top / left edge visible.
  if (max < gap) return gap;
  return Math.min(max, Math.max(gap, Number.isFinite(v) ? v : gap));
};

/** Moves a box the least needed to keep it inside the viewport, `gap` px from every edge. */
export function clampBox(box: Box, size: Size, view: Size, gap = EDGE_GAP): Box {
  return { left: clamp1(box.left, size.w, view.w, gap), top: clamp1(box.top, size.h, view.h, gap) };
}

/** The box's anchor: the viewport corner nearest its centre, and its distances from that corner's edges. */
export function anchorOf(box: Box, size: Size, view: Size): Anchor {
  const h = box.left + size.w / 2 < view.w / 2 ? 'left' : 'right';
  const v = box.top + size.h / 2 < view.h / 2 ? 'top' : 'bottom';
  const round = (n: number) => Math.max(0, Math.round(n));
  return {
    h,
    v,
    x: round(h === 'left' ? box.left : view.w - box.left - size.w),
    y: round(v === 'top' ? box.top : view.h - box.top - size.h),
  };
}

/** Where a box of `size` anchored at `anchor` sits, kept inside the viewport. */
export function boxOf(anchor: Anchor, size: Size, view: Size, gap = EDGE_GAP): Box {
  const left = anchor.h === 'left' ? anchor.x : view.w - anchor.x - size.w;
  const top = anchor.v === 'top' ? anchor.y : view.h - anchor.y - size.h;
  return clampBox({ left, top }, size, view, gap);
}

/** The box after the pointer moved from `from` to `to` during a drag that started with the box at `start`. */
export function dragBox(start: Box, from: Point, to: Point, size: Size, view: Size, gap = EDGE_GAP): Box {
  return clampBox({ left: start.left + (to.x - from.x), top: start.top + (to.y - from.y) }, size, view, gap);
}

/** True once the pointer has moved far enough for a press to count as a drag. */
export const isDrag = (from: Point, to: Point) => Math.abs(to.x - from.x) >= DRAG_THRESHOLD || Math.abs(to.y - from.y) >= DRAG_THRESHOLD;

const distance = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 100_000;
/**
 * The stored placement's fields, each a check of its own (plain checks, no schema library: this runs in the content
 * scripts). Each is read on its own and falls back to its default, so one bad value (an older version, a hand edit)
 * does not throw the rest away; unknown keys are dropped.
 */
export const StoredPlaceShape: Record<keyof PanelPlace, (v: unknown) => boolean> = {
  h: (v) => v === 'left' || v === 'right',
  v: (v) => v === 'top' || v === 'bottom',
  x: distance,
  y: distance,
  collapsed: (v) => typeof v === 'boolean',
  account: (v) => v === null || (typeof v === 'string' && v.length <= 200),
};

/** A stored placement, or the default when there is none or it is not an object. */
export function parsePlace(raw: unknown): PanelPlace {
  const out: Record<string, unknown> = { ...DEFAULT_PLACE };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out as unknown as PanelPlace;
  for (const [key, ok] of Object.entries(StoredPlaceShape)) {
    const v = (raw as Record<string, unknown>)[key];
    if (ok(v)) out[key] = v;
  }
  return out as unknown as PanelPlace;
}
