import { describe, expect, it } from 'vitest';
import {
  anchorOf,
  boxOf,
  clampBox,
  DEFAULT_PLACE,
  dragBox,
  EDGE_GAP,
  isDrag,
  parsePlace,
  placeKey,
} from '@/lib/ui/panel-place';

const view = { w: 1280, h: 720 };
const size = { w: 312, h: 400 };

describe('clampBox', () => {
  it('leaves a box inside the viewport alone', () => {
    expect(clampBox({ left: 100, top: 50 }, size, view)).toEqual({ left: 100, top: 50 });
  });
  it('pulls a box back EDGE_GAP px inside each edge', () => {
    expect(clampBox({ left: -50, top: -10 }, size, view)).toEqual({ left: EDGE_GAP, top: EDGE_GAP });
    expect(clampBox({ left: 2000, top: 900 }, size, view)).toEqual({ left: 1280 - 312 - EDGE_GAP, top: 720 - 400 - EDGE_GAP });
  });
  it('keeps the top-left corner visible when the box is larger than the viewport', () => {
    expect(clampBox({ left: 300, top: 300 }, { w: 2000, h: 1000 }, view)).toEqual({ left: EDGE_GAP, top: EDGE_GAP });
  });
  it('puts a non-finite coordinate at the top / left edge', () => {
    expect(clampBox({ left: Number.NaN, top: Number.POSITIVE_INFINITY }, size, view)).toEqual({ left: EDGE_GAP, top: EDGE_GAP });
  });
});

describe('anchorOf / boxOf', () => {
  it('anchors to the corner nearest the centre, with distances from its edges', () => {
    expect(anchorOf({ left: 952, top: 304 }, size, view)).toEqual({ h: 'right', v: 'bottom', x: 16, y: 16 });
    expect(anchorOf({ left: 20, top: 30 }, size, view)).toEqual({ h: 'left', v: 'top', x: 20, y: 30 });
    expect(anchorOf({ left: 20, top: 300 }, size, view)).toEqual({ h: 'left', v: 'bottom', x: 20, y: 20 });
  });
  it('round-trips a box through its anchor', () => {
    for (const box of [
      { left: 952, top: 304 },
      { left: 20, top: 30 },
      { left: 500, top: 100 },
    ]) {
      expect(boxOf(anchorOf(box, size, view), size, view)).toEqual(box);
    }
  });
  it('keeps the corner when the size changes (collapse to a pill)', () => {
    const a = anchorOf({ left: 952, top: 304 }, size, view); // bottom-right, 16 / 16
    expect(boxOf(a, { w: 260, h: 32 }, view)).toEqual({ left: 1280 - 16 - 260, top: 720 - 16 - 32 });
  });
  it('places the default bottom-right and clamps an anchor that no longer fits (smaller window)', () => {
    expect(boxOf(DEFAULT_PLACE, size, view)).toEqual({ left: 952, top: 304 });
    expect(boxOf({ h: 'left', v: 'top', x: 1200, y: 600 }, size, { w: 800, h: 600 })).toEqual({ left: 800 - 312 - EDGE_GAP, top: 600 - 400 - EDGE_GAP });
  });
});

describe('dragBox / isDrag', () => {
  it('moves the box with the pointer, clamped to the viewport', () => {
    expect(dragBox({ left: 952, top: 304 }, { x: 1000, y: 320 }, { x: 500, y: 120 }, size, view)).toEqual({ left: 452, top: 104 });
    expect(dragBox({ left: 952, top: 304 }, { x: 1000, y: 320 }, { x: -400, y: -400 }, size, view)).toEqual({ left: EDGE_GAP, top: EDGE_GAP });
    expect(dragBox({ left: 100, top: 100 }, { x: 0, y: 0 }, { x: 5000, y: 5000 }, size, view)).toEqual({ left: 960, top: 312 });
  });
  it('counts a press as a drag from 4 px of movement on either axis', () => {
    expect(isDrag({ x: 10, y: 10 }, { x: 13, y: 12 })).toBe(false);
    expect(isDrag({ x: 10, y: 10 }, { x: 14, y: 10 })).toBe(true);
    expect(isDrag({ x: 10, y: 10 }, { x: 10, y: 6 })).toBe(true);
  });
});

describe('parsePlace', () => {
  it('reads a stored placement', () => {
    expect(parsePlace({ h: 'left', v: 'top', x: 40, y: 60, collapsed: true, account: 'binance:desk' })).toEqual({
      h: 'left',
      v: 'top',
      x: 40,
      y: 60,
      collapsed: true,
      account: 'binance:desk',
    });
  });
  it('gives the default for nothing stored or a non-object', () => {
    for (const raw of [undefined, null, 'right', 42, []]) expect(parsePlace(raw)).toEqual(DEFAULT_PLACE);
  });
  it('replaces each bad field by its default, keeping the good ones', () => {
    expect(parsePlace({ h: 'middle', v: 'top', x: -5, y: Number.POSITIVE_INFINITY, collapsed: 'yes', account: 7 })).toEqual({
      ...DEFAULT_PLACE,
      v: 'top',
    });
    expect(parsePlace({ x: 30 })).toEqual({ ...DEFAULT_PLACE, x: 30 });
  });
  it('drops unknown keys', () => {
    expect(parsePlace({ ...DEFAULT_PLACE, width: 900 })).toEqual(DEFAULT_PLACE);
  });
  it('keys the storage per site', () => {
    expect(placeKey('binance')).toBe('ringfence.panel.binance');
    expect(placeKey('hyperliquid')).toBe('ringfence.panel.hyperliquid');
  });
});
