import type { Signal } from '@preact/signals';
import type { RefObject } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { anchorOf, boxOf, dragBox, isDrag, type Box, type PanelPlace, type Point, type Size } from '@/lib/ui/panel-place';

const viewport = (): Size => ({ w: document.documentElement.clientWidth || innerWidth, h: document.documentElement.clientHeight || innerHeight });
const sizeOf = (el: HTMLElement): Size => ({ w: el.offsetWidth, h: el.offsetHeight });

function put(el: HTMLElement, box: Box): void {
  // The stylesheet's right / bottom place it before the first run; with left / top set they would fix its size.
  el.style.right = 'auto';
  el.style.bottom = 'auto';
  el.style.left = `${box.left}px`;
  el.style.top = `${box.top}px`;
}

/**
 * Keeps the panel where its placement says, inside the viewport: after every render that changes the placement, when
 * its own size changes (collapse, a section appearing) and when the window is resized. Written to the element's
 * style directly: moving the panel never re-renders it.
 */
export function usePlacement(ref: RefObject<HTMLElement>, place: Signal<PanelPlace>): void {
  const p = place.value;
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const apply = () => {
      if (el.dataset.dragging !== undefined) return;
      put(el, boxOf(place.peek(), sizeOf(el), viewport()));
    };
    apply();
    const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(apply) : null;
    ro?.observe(el);
    addEventListener('resize', apply);
    return () => {
      ro?.disconnect();
      removeEventListener('resize', apply);
    };
  }, [p.h, p.v, p.x, p.y, p.collapsed]);
}

export interface DragHandlers {
  onPointerDown: (e: PointerEvent) => void;
  onPointerMove: (e: PointerEvent) => void;
  onPointerUp: (e: PointerEvent) => void;
  onPointerCancel: (e: PointerEvent) => void;
  /** True right after a press that moved the panel: the click that follows is not a click. */
  consumeDrag: () => boolean;
}

const INTERACTIVE = 'button:not([data-drag]),select,input,textarea,a,summary,label';

/**
 * Pointer handlers for a drag handle: a press that moves at least DRAG_THRESHOLD px moves the panel (clamped to the
 * viewport, written straight to its style); on release the new spot is anchored to the nearest corner and saved.
 * Presses on controls inside the handle stay clicks.
 */
export function useDrag(ref: RefObject<HTMLElement>, place: Signal<PanelPlace>, onPlace: (p: PanelPlace) => void): DragHandlers {
  const st = useRef<{ id: number; from: Point; start: Box; size: Size; view: Size; moved: boolean } | null>(null);
  const dragged = useRef(false);
  const finish = (e: PointerEvent, commit: boolean) => {
    const s = st.current;
    const el = ref.current;
    if (!s || s.id !== e.pointerId || !el) return;
    st.current = null;
    delete el.dataset.dragging;
    if (!s.moved) return;
    dragged.current = true;
    const box = dragBox(s.start, s.from, { x: e.clientX, y: e.clientY }, s.size, s.view);
    if (commit) onPlace({ ...place.peek(), ...anchorOf(box, s.size, s.view) });
    else put(el, boxOf(place.peek(), s.size, s.view));
  };
  return {
    onPointerDown(e) {
      const el = ref.current;
      if (!el || e.button !== 0 || !e.isPrimary) return;
      const target = e.target as Element | null;
      if (target?.closest(INTERACTIVE)) return;
      dragged.current = false;
      const r = el.getBoundingClientRect();
      st.current = { id: e.pointerId, from: { x: e.clientX, y: e.clientY }, start: { left: r.left, top: r.top }, size: sizeOf(el), view: viewport(), moved: false };
      (e.currentTarget as Element).setPointerCapture?.(e.pointerId);
    },
    onPointerMove(e) {
      const s = st.current;
      const el = ref.current;
      if (!s || s.id !== e.pointerId || !el) return;
      const to = { x: e.clientX, y: e.clientY };
      if (!s.moved) {
        if (!isDrag(s.from, to)) return;
        s.moved = true;
        el.dataset.dragging = '';
      }
      e.preventDefault();
      put(el, dragBox(s.start, s.from, to, s.size, s.view));
    },
    onPointerUp: (e) => finish(e, true),
    onPointerCancel: (e) => finish(e, false),
    consumeDrag() {
      const d = dragged.current;
      dragged.current = false;
      return d;
    },
  };
}
