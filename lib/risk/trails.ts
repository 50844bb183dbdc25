/**
 * Which position a stored trail (best price, first seen: the trailing stop and the time in trade) belongs to. Trails
 * are kept per symbol and side, so a position closed and another opened on the same symbol and side while Ringfence
 * was not evaluating would otherwise inherit the old one's best price and age: a new long at 64,000 closed at once
 * by the trail of an old long that reached 66,000, and three days in trade from its first minute.
 *
 * A trail stores the entry price and |size| it last saw. It was last seen when its account was last evaluated
 * (state.accounts[key].at): every evaluation rewrites the account's trails for exactly the positions it sees. The
 * position now is the same one when:
 * - its entry price is unchanged (reducing keeps the entry price on both venues; a gap changes nothing), or
 * - it was seen within the evaluation gap allowance (the stale-data threshold) and its size did not shrink: an add
 *   (averaging) moves the entry, and must not restart the time in trade, or averaging down a loser would evade it.
 * Otherwise (the entry changed after a gap, or the size shrank while the entry changed) it is a new position and its
 * trail starts afresh. A flip changes the side, so it never meets the other side's trail.
 * A trail stored before the entry and size were kept belongs to the position only when the account was seen within
 * the allowance (Ringfence kept following it, e.g. across an update); after a gap it starts afresh.
 */
import type { Position } from '../domain/types';
import { LIMIT_TOLERANCE } from './compare';
import type { Trail } from './state';

export function ownTrail(t: Trail | undefined, p: Position, lastSeen: number | undefined, now: number, gapMs: number): Trail | undefined {
  if (t === undefined) return undefined;
  const followed = lastSeen !== undefined && now - lastSeen <= gapMs;
  if (t.entry === undefined || t.size === undefined) return followed ? t : undefined;
  if (Math.abs(t.entry - p.entryPrice) <= Math.abs(t.entry) * LIMIT_TOLERANCE) return t;
  return followed && Math.abs(p.size) >= t.size ? t : undefined;
}
