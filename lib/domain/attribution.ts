/**
 * Strategy attribution: which strategy a fill, order or position belongs to. Rules are tried in order; the first that
 * matches wins; nothing matching means 'manual'. A rule matches on a client order id prefix (Binance
 * newClientOrderId, Hyperliquid cloid), a symbol, or both (both must then match).
 */
import { z } from 'zod';
import { MANUAL_STRATEGY, type Fill, type Position, type PositionSide } from './types';

export const AttributionRuleSchema = z
  .object({
    strategyId: z.string().trim().min(1, 'strategyId must not be empty').max(64),
    /** Case-sensitive prefix of the client order id; null: any. */
    clientOrderIdPrefix: z.string().min(1).max(36).nullable().default(null),
    /** Exact symbol (BTCUSDT, BTC, dex:NAME); null: any. */
    symbol: z.string().min(1).max(40).nullable().default(null),
  })
  .strict()
  .refine((r) => r.clientOrderIdPrefix !== null || r.symbol !== null, {
    message: 'A rule needs a client order id prefix, a symbol, or both (otherwise it would catch every trade).',
  });
export type AttributionRule = z.infer<typeof AttributionRuleSchema>;

export const AttributionRulesSchema = z.array(AttributionRuleSchema).max(500);

export function attributeStrategy(
  rules: readonly AttributionRule[],
  clientOrderId: string | null,
  symbol: string,
): string {
  for (const r of rules) {
    if (r.symbol !== null && r.symbol !== symbol) continue;
    if (r.clientOrderIdPrefix !== null && !(clientOrderId ?? '').startsWith(r.clientOrderIdPrefix)) continue;
    return r.strategyId;
  }
  return MANUAL_STRATEGY;
}

/*
 * Positions. The venues report a position without the orders that built it, so a position's strategy comes from the
 * attributed fills: per account and `symbol:side` (hedge mode holds both sides), the base size each strategy's fills
 * put into the position. The book is kept by the background (persisted with the fills, so it survives a restart) and
 * reconciled with the positions the venue reports.
 *
 * - An opening fill adds its size to its own strategy's share (buy: long, sell: short).
 * - A closing fill takes its size out of the position it closes: the closing strategy's own share first, then the
 *   others pro rata. Its realized PnL and fee are booked to the position's strategy (a close by hand, by another bot
 *   or by Ringfence books to the strategy whose position it closed). What it fills beyond the position (a one-way flip)
 *   opens the other side for the closing strategy.
 * - A position belongs to the strategy holding the larger share. What the venue reports beyond the book (a position
 *   opened before Ringfence followed the account, or fills it never saw) counts as a share of the strategy the symbol
 *   rules give with no client order id ('manual' without a symbol rule). On a tie, the strategy that put its share in
 *   first keeps it.
 */

/** One position's shares: strategy -> base size, in the order the strategies joined. */
export interface PositionShares {
  shares: Record<string, number>;
  /** Hedge mode (from the venue's position): a close never opens the other side. */
  hedged: boolean;
  /** When a fill last changed it (local clock): a position not seen yet is kept for POSITION_BOOK_GRACE_MS. */
  at: number;
}
/** Per `symbol:side`. */
export type PositionBook = Record<string, PositionShares>;
/** Per account key. */
export type PositionBooks = Record<string, PositionBook>;

/** A fill may arrive before or after the position push that shows it: book entries wait this long for the venue to agree. */
export const POSITION_BOOK_GRACE_MS = 15_000;
/** Shares below this share of the position are dropped (float residue of pro-rata reductions). */
const DUST = 1e-9;

export const PositionSharesSchema = z
  .object({ shares: z.record(z.string(), z.number().finite().nonnegative()), hedged: z.boolean(), at: z.number().finite() })
  .strict();
export const PositionBooksSchema = z.record(z.string(), z.record(z.string(), PositionSharesSchema));

export const bookKey = (symbol: string, side: PositionSide) => `${symbol}:${side}`;
const sumOf = (s: Record<string, number>) => {
  let n = 0;
  for (const k in s) n += s[k]!;
  return n;
};

/**
 * The strategy a position of |size| belongs to: the larger share, the part the book does not explain counting for
 * `fallback` (the symbol rules' strategy). Ties go to the strategy that joined first.
 */
export function positionOwner(entry: PositionShares | undefined, size: number, fallback: string): string {
  const candidates = new Map<string, number>();
  let known = 0;
  if (entry) for (const id in entry.shares) if (entry.shares[id]! > 0) candidates.set(id, entry.shares[id]!), (known += entry.shares[id]!);
  const unknown = Math.abs(size) - known;
  if (unknown > DUST * Math.abs(size)) candidates.set(fallback, (candidates.get(fallback) ?? 0) + unknown);
  let best = fallback;
  let bestSize = 0;
  for (const [id, v] of candidates) if (v > bestSize) (best = id), (bestSize = v);
  return best;
}

export interface BookedFill {
  /** The strategy the fill's realized PnL and fee are booked to. */
  bookTo: string;
  /** The position key the fill changed, and whether it is now held by more than one strategy. */
  key: string;
  shared: boolean;
}

/**
 * Applies one fill to an account's book (mutating it) and says which strategy its PnL is booked to. `live` gives the
 * position the venue reports now for a key (|size|, 0 when none) and whether the account trades in hedge mode;
 * `fallback` the symbol rules' strategy.
 */
export function applyFillToBook(
  book: PositionBook,
  f: Fill,
  live: { size(key: string): number; hedged: boolean },
  fallback: string,
  at: number,
): BookedFill {
  const own = bookKey(f.symbol, f.side === 'buy' ? 'long' : 'short');
  const opp = bookKey(f.symbol, f.side === 'buy' ? 'short' : 'long');
  const entry = book[opp];
  const held = entry ? sumOf(entry.shares) : 0;
  const liveOpp = live.size(opp);
  // The venue says whether the fill closed; where it does not (Binance one-way mode without the reduce-only flag),
  // a fill against a position held on the other side, or one that realized PnL, closes.
  const closes = f.closing ?? (held > 0 || liveOpp > 0 || f.realizedPnl !== 0);
  if (!closes) {
    add(book, own, f.strategyId, f.size, live.hedged, at);
    return { bookTo: f.strategyId, key: own, shared: isShared(book[own]) };
  }
  const bookTo = positionOwner(entry, Math.max(liveOpp, held), fallback);
  const take = Math.min(f.size, held);
  if (entry && take > 0) {
    reduce(entry, f.strategyId, take);
    entry.at = at;
    if (sumOf(entry.shares) <= DUST * Math.max(held, 1e-12)) delete book[opp];
  }
  const rest = f.size - take;
  // Beyond the position the book knew: a one-way flip opens the other side, unless the venue still shows more on the
  // closed side than the book knew (the fill closed part of what the book does not explain).
  const hedged = entry?.hedged ?? live.hedged;
  if (rest > DUST * f.size && held > 0 && !hedged && liveOpp <= held * (1 + 1e-9)) {
    add(book, own, f.strategyId, rest, false, at);
    return { bookTo, key: own, shared: isShared(book[own]) };
  }
  return { bookTo, key: opp, shared: isShared(book[opp]) };
}

function add(book: PositionBook, key: string, id: string, size: number, hedged: boolean, at: number) {
  const e = (book[key] ??= { shares: {}, hedged, at });
  e.shares[id] = (e.shares[id] ?? 0) + size;
  e.at = at;
}

/** Takes `size` out of the shares: `closer`'s own first, then the others pro rata. */
function reduce(e: PositionShares, closer: string, size: number) {
  let left = size;
  const mine = e.shares[closer] ?? 0;
  if (mine > 0) {
    const t = Math.min(mine, left);
    e.shares[closer] = mine - t;
    left -= t;
  }
  const others = sumOf(e.shares);
  if (left > 0 && others > 0) {
    const k = Math.max(0, 1 - left / others);
    for (const id in e.shares) e.shares[id] = e.shares[id]! * k;
  }
  const total = sumOf(e.shares);
  for (const id in e.shares) if (e.shares[id]! <= DUST * Math.max(total, size)) delete e.shares[id];
}

function isShared(e: PositionShares | undefined): boolean {
  if (!e) return false;
  let n = 0;
  for (const id in e.shares) if (e.shares[id]! > 0) n++;
  return n > 1;
}

/**
 * Reconciles an account's book with the positions the venue reports (mutating it): an entry whose position is not
 * there (closed by a fill Ringfence did not see, liquidated) is dropped, and one larger than its position is scaled
 * down to it, once POSITION_BOOK_GRACE_MS has passed since a fill last changed it (the push may lag the fill, or lead
 * it). Returns whether anything changed.
 */
export function reconcileBook(book: PositionBook, positions: readonly Position[], at: number): boolean {
  let changed = false;
  const live = new Map<string, Position>();
  for (const p of positions) if (p.size !== 0) live.set(bookKey(p.symbol, p.side), p);
  for (const key of Object.keys(book)) {
    const e = book[key]!;
    const p = live.get(key);
    if (p && e.hedged !== p.hedged) (e.hedged = p.hedged), (changed = true);
    if (at - e.at < POSITION_BOOK_GRACE_MS) continue;
    if (!p) {
      delete book[key];
      changed = true;
      continue;
    }
    const size = Math.abs(p.size);
    const total = sumOf(e.shares);
    if (total > size * (1 + 1e-9)) {
      const k = size / total;
      for (const id in e.shares) e.shares[id] = e.shares[id]! * k;
      changed = true;
    }
  }
  return changed;
}

/** The shares of a position, largest first, for the texts ("gridA 0.3, manual 0.1"). */
export function describeShares(e: PositionShares | undefined): string {
  if (!e) return '';
  return Object.entries(e.shares)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([id, v]) => `${id} ${Number(v.toPrecision(6))}`)
    .join(', ');
}
