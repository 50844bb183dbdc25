import { describe, expect, it } from 'vitest';
import type { Trail } from '../../../lib/risk/state';
import { ownTrail } from '../../../lib/risk/trails';
import { MIN, NOW, position } from './fixtures';

const GAP = 30_000;
const trail: Trail = { best: 110, firstSeen: NOW - 600 * MIN, entry: 100, size: 2 };
const own = (t: Trail, over: Parameters<typeof position>[0], lastSeen: number | undefined) => ownTrail(t, position(over), lastSeen, NOW, GAP) === t;

describe('ownTrail', () => {
  it('is the same position while the entry price is unchanged, after any gap and whatever the size', () => {
    expect(own(trail, { entryPrice: 100, size: 2 }, NOW - 1_000)).toBe(true);
    // Reduced (both venues keep the entry price on a reduce), seen a moment ago or three days ago.
    expect(own(trail, { entryPrice: 100, size: 1 }, NOW - 1_000)).toBe(true);
    expect(own(trail, { entryPrice: 100, size: 1 }, NOW - 3 * 1_440 * MIN)).toBe(true);
    expect(own(trail, { entryPrice: 100, size: 1 }, undefined)).toBe(true);
  });

  it('follows an add (the entry moves, the size grows) while the account is evaluated without a gap', () => {
    // Averaging down: the time in trade must not restart.
    expect(own(trail, { entryPrice: 98, size: 3 }, NOW - 1_000)).toBe(true);
    expect(own(trail, { entryPrice: 98, size: 3 }, NOW - GAP)).toBe(true);
  });

  it('starts afresh when the entry changed after a gap, or the size shrank while the entry changed', () => {
    expect(own(trail, { entryPrice: 98, size: 3 }, NOW - GAP - 1)).toBe(false);
    expect(own(trail, { entryPrice: 98, size: 3 }, undefined)).toBe(false);
    // Closed and reopened smaller between two evaluations.
    expect(own(trail, { entryPrice: 98, size: 1 }, NOW - 1_000)).toBe(false);
  });

  it('keeps a trail stored without entry and size only when the account was seen within the gap', () => {
    const old: Trail = { best: 66_000, firstSeen: NOW - 3 * 1_440 * MIN };
    expect(own(old, { entryPrice: 64_000, size: 0.01 }, NOW - 1_000)).toBe(true);
    expect(own(old, { entryPrice: 64_000, size: 0.01 }, NOW - GAP - 1)).toBe(false);
    expect(own(old, { entryPrice: 64_000, size: 0.01 }, undefined)).toBe(false);
  });

  it('has nothing to say without a trail', () => {
    expect(ownTrail(undefined, position(), NOW, NOW, GAP)).toBeUndefined();
  });
});
