/**
 * Live Binance account state between REST snapshots: pure functions over an immutable value.
 *
 * A REST snapshot gives Binance's exact numbers. Pushes then carry wallet balances (ACCOUNT_UPDATE, without unrealized
 * PnL) and marks; from those the account is moved by the change since the snapshot, with Binance's formulas:
 * unRealizedProfit = positionAmt x (mark - entryPrice), initial margin = |positionAmt| x mark / leverage,
 * marginBalance = walletBalance + unrealizedProfit. So right after a snapshot the numbers are Binance's own, and after
 * a push they move as Binance's do. Liquidation prices come only from REST (the adapter refreshes after a position
 * change); until then a changed position shows none rather than a stale one.
 */
import { MANUAL_STRATEGY, type AccountSnapshot, type CashFlow, type MarginMode, type Position } from '../../domain/types';
import type { ValuesBeforeFlow } from '../types';
import { USD_STABLES, type AccountUpdate, type NormalizedAccount, type SymbolSetting } from './normalize';

export interface LivePosition {
  symbol: string;
  positionSide: 'BOTH' | 'LONG' | 'SHORT';
  amount: number;
  entryPrice: number;
  leverage: number;
  marginMode: MarginMode;
  liquidationPrice: number | null;
  /** Mark of the last REST answer; used until a mark push arrives. */
  restMark: number | null;
  updatedAt: number;
  strategyId: string;
}

interface Baseline {
  equity: number;
  walletBalance: number;
  availableBalance: number;
  marginUsed: number;
  unrealizedPnl: number;
  /** The same sums as `now`, computed from the snapshot's marks, so that deltas start at exactly zero. */
  formulaUnrealizedPnl: number;
  crossUnrealizedPnl: number;
  crossInitialMargin: number;
  initialMargin: number;
  wallets: Record<string, number>;
}

export interface LiveState {
  accountId: string;
  baseline: Baseline;
  wallets: Record<string, number>;
  positions: ReadonlyMap<string, LivePosition>;
  marks: ReadonlyMap<string, { price: number; time: number }>;
  settings: ReadonlyMap<string, SymbolSetting>;
  time: number;
}

export const positionKey = (symbol: string, positionSide: string) => `${symbol}:${positionSide}`;

/**
 * Wallet changes in these assets move the USD totals one for one; others need a REST refresh to be valued. The same set
 * values cash flows 1:1 (normalize.ts), so a flow and the balance that shows it agree.
 */
const STABLE = USD_STABLES;

function markOf(state: Pick<LiveState, 'marks'>, p: LivePosition): number | null {
  return state.marks.get(p.symbol)?.price ?? p.restMark;
}

function sums(state: Pick<LiveState, 'marks' | 'positions'>) {
  let upnl = 0;
  let crossUpnl = 0;
  let im = 0;
  let crossIm = 0;
  for (const p of state.positions.values()) {
    const mark = markOf(state, p);
    if (mark === null) continue;
    const u = p.amount * (mark - p.entryPrice);
    const m = (Math.abs(p.amount) * mark) / p.leverage;
    upnl += u;
    im += m;
    if (p.marginMode === 'cross') {
      crossUpnl += u;
      crossIm += m;
    }
  }
  return { upnl, crossUpnl, im, crossIm };
}

/** A normalised position as live state: Binance's position side (BOTH in one-way mode) and the REST numbers. */
export function livePosition(p: Position): LivePosition {
  return {
    symbol: p.symbol,
    positionSide: p.hedged ? (p.side === 'long' ? 'LONG' : 'SHORT') : 'BOTH',
    amount: p.size,
    entryPrice: p.entryPrice,
    leverage: p.leverage,
    marginMode: p.marginMode,
    liquidationPrice: p.liquidationPrice,
    restMark: p.markPrice,
    updatedAt: p.updatedAt,
    strategyId: p.strategyId,
  };
}

/** A fresh state from a REST snapshot (account + open positions + symbol settings). */
export function fromSnapshot(
  acc: NormalizedAccount,
  positions: Position[],
  settings: ReadonlyMap<string, SymbolSetting>,
  marks: ReadonlyMap<string, { price: number; time: number }> = new Map(),
): LiveState {
  const map = new Map<string, LivePosition>();
  for (const p of positions) {
    const live = livePosition(p);
    map.set(positionKey(live.symbol, live.positionSide), live);
  }
  // The REST marks are the baseline's marks: later pushes move the numbers from there.
  const restMarks = new Map(marks);
  for (const p of positions) if (p.markPrice !== null) restMarks.set(p.symbol, { price: p.markPrice, time: p.updatedAt });
  const base = sums({ positions: map, marks: restMarks });
  return {
    accountId: acc.account.accountId,
    baseline: {
      equity: acc.account.equity,
      walletBalance: acc.account.walletBalance,
      availableBalance: acc.account.availableBalance,
      marginUsed: acc.account.marginUsed,
      unrealizedPnl: acc.account.unrealizedPnl,
      formulaUnrealizedPnl: base.upnl,
      crossUnrealizedPnl: base.crossUpnl,
      crossInitialMargin: base.crossIm,
      initialMargin: base.im,
      wallets: { ...acc.wallets },
    },
    wallets: { ...acc.wallets },
    positions: map,
    marks: restMarks,
    settings,
    time: acc.account.time,
  };
}

export function applyMark(state: LiveState, symbol: string, price: number, time: number): LiveState {
  const marks = new Map(state.marks);
  marks.set(symbol, { price, time });
  return { ...state, marks, time: Math.max(state.time, time) };
}

export interface AccountUpdateResult {
  state: LiveState;
  /** Positions whose size changed: their liquidation price needs a REST refresh. */
  changed: string[];
  /** A wallet in a non-stable asset moved: the USD totals need a REST refresh (multi-assets mode). */
  needsAccountRefresh: boolean;
}

export function applyAccountUpdate(state: LiveState, upd: AccountUpdate, strategyOf?: (symbol: string) => string): AccountUpdateResult {
  const wallets = { ...state.wallets };
  let needsAccountRefresh = false;
  for (const w of upd.wallets) {
    if (!STABLE.has(w.asset) && wallets[w.asset] !== w.walletBalance) needsAccountRefresh = true;
    wallets[w.asset] = w.walletBalance;
  }
  const positions = new Map(state.positions);
  const changed: string[] = [];
  for (const d of upd.positions) {
    const key = positionKey(d.symbol, d.positionSide);
    const prev = positions.get(key);
    if (d.amount === 0) {
      if (prev) changed.push(key);
      positions.delete(key);
      continue;
    }
    const setting = state.settings.get(d.symbol);
    const sameSize = prev !== undefined && prev.amount === d.amount;
    if (!sameSize) changed.push(key);
    positions.set(key, {
      symbol: d.symbol,
      positionSide: d.positionSide,
      amount: d.amount,
      entryPrice: d.entryPrice,
      leverage: prev?.leverage ?? setting?.leverage ?? 20,
      marginMode: d.marginMode,
      liquidationPrice: sameSize ? prev.liquidationPrice : null,
      restMark: prev?.restMark ?? null,
      updatedAt: upd.time,
      strategyId: prev?.strategyId ?? strategyOf?.(d.symbol) ?? MANUAL_STRATEGY,
    });
  }
  return { state: { ...state, wallets, positions, time: Math.max(state.time, upd.time) }, changed, needsAccountRefresh };
}

/** The account as Binance would show it now: the snapshot's numbers moved by what changed since. */
export function accountOf(state: LiveState): AccountSnapshot {
  const now = sums(state);
  const b = state.baseline;
  let walletDelta = 0;
  for (const [asset, v] of Object.entries(state.wallets)) {
    if (STABLE.has(asset)) walletDelta += v - (b.wallets[asset] ?? 0);
  }
  const upnlDelta = now.upnl - b.formulaUnrealizedPnl;
  const walletBalance = b.walletBalance + walletDelta;
  const unrealizedPnl = b.unrealizedPnl + upnlDelta;
  return {
    venue: 'binance',
    accountId: state.accountId,
    walletBalance,
    unrealizedPnl,
    equity: walletBalance + unrealizedPnl,
    availableBalance: b.availableBalance + walletDelta + (now.crossUpnl - b.crossUnrealizedPnl) - (now.crossIm - b.crossInitialMargin),
    marginUsed: Math.max(0, b.marginUsed + (now.im - b.initialMargin)),
    time: state.time,
  };
}

/**
 * The account's values right before each of an ACCOUNT_UPDATE's cash flows (in the update's order), from the account
 * with that update applied. That account shows the flows whatever came before it, a REST refresh that already held the
 * new balance included (then the update changes nothing), so the values before are its totals less the flows from that
 * one on. The previous snapshot cannot tell: one read after the transfer may already show it. Only stablecoin flows
 * move the totals one for one (accountOf); a flow in another asset, in the totals only after a REST refresh, gets none.
 */
export function valuesBeforeFlows(after: AccountSnapshot, flows: readonly CashFlow[]): (ValuesBeforeFlow | undefined)[] {
  let rest = 0;
  for (const f of flows) if (STABLE.has(f.asset)) rest += f.amount;
  return flows.map((f) => {
    if (!STABLE.has(f.asset)) return undefined;
    const before = { equity: after.equity - rest, walletBalance: after.walletBalance - rest };
    rest -= f.amount;
    return before;
  });
}

export function positionsOf(state: LiveState): Position[] {
  const out: Position[] = [];
  for (const p of state.positions.values()) {
    const mark = markOf(state, p);
    const notional = mark === null ? Math.abs(p.amount) * p.entryPrice : Math.abs(p.amount) * mark;
    out.push({
      venue: 'binance',
      accountId: state.accountId,
      symbol: p.symbol,
      side: p.positionSide === 'LONG' ? 'long' : p.positionSide === 'SHORT' ? 'short' : p.amount >= 0 ? 'long' : 'short',
      size: p.amount,
      hedged: p.positionSide !== 'BOTH',
      entryPrice: p.entryPrice,
      markPrice: mark,
      leverage: p.leverage,
      marginMode: p.marginMode,
      liquidationPrice: p.liquidationPrice,
      unrealizedPnl: mark === null ? 0 : p.amount * (mark - p.entryPrice),
      notional,
      marginUsed: notional / p.leverage,
      openedAt: null,
      strategyId: p.strategyId,
      updatedAt: Math.max(p.updatedAt, state.marks.get(p.symbol)?.time ?? 0),
    });
  }
  return out;
}

/** Size of a position (signed), for close-all orders that carry no quantity. */
export function positionSize(state: LiveState, symbol: string, side: 'long' | 'short' | null): number | undefined {
  for (const p of state.positions.values()) {
    if (p.symbol !== symbol) continue;
    if (side === null || (side === 'long' ? p.amount > 0 : p.amount < 0)) return p.amount;
  }
  return undefined;
}
