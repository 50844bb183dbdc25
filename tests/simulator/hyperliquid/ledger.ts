/**
 * The simulated Hyperliquid clearinghouse: accounts, positions, orders and fills, with the venue's arithmetic.
 *
 * Cross margin is kept the way the venue reports it: a raw USD balance (totalRawUsd) plus signed position
 * notionals, so accountValue = rawUsd + sum(szi x mark) and a fill simply moves szi x price between the two.
 * An isolated position has its own rawUsd (margin minus borrowed notional: negative for a long), so its equity
 * and marginUsed are rawUsd + szi x mark. Maintenance margin rate = 1 / (2 x maxLeverage).
 * Each HIP-3 dex is its own clearinghouse with its own balance.
 */

export interface AssetSpec {
  /** `BTC` on the main dex, `flx:TSLA` on a builder dex. */
  name: string;
  szDecimals: number;
  maxLeverage: number;
}

export interface SimPosition {
  coin: string;
  szi: number;
  entryPx: number;
  leverage: number;
  isolated: boolean;
  /** Isolated only: margin minus szi x entry. */
  rawUsd: number;
  cumFunding: number;
}

export interface DexBook {
  /** Cross raw USD (collateral minus the signed notional bought). */
  rawUsd: number;
  positions: Map<string, SimPosition>;
  /** Leverage setting per coin for new positions. */
  leverage: Map<string, { value: number; isolated: boolean }>;
}

export interface SimOrder {
  oid: number;
  user: string;
  coin: string;
  dex: string;
  asset: number;
  side: 'B' | 'A';
  limitPx: string;
  sz: number;
  origSz: number;
  reduceOnly: boolean;
  cloid: string | null;
  timestamp: number;
  tif: 'Gtc' | 'Ioc' | 'Alo' | 'FrontendMarket' | null;
  trigger: { triggerPx: number; isMarket: boolean; tpsl: 'tp' | 'sl' } | null;
  isPositionTpsl: boolean;
}

export interface RawFill {
  coin: string;
  px: string;
  sz: string;
  side: 'B' | 'A';
  time: number;
  startPosition: string;
  dir: string;
  closedPnl: string;
  hash: string;
  oid: number;
  crossed: boolean;
  fee: string;
  tid: number;
  feeToken: string;
  cloid?: string;
  twapId: null;
}

/** One userNonFundingLedgerUpdates entry as the venue writes it (delta fields vary by type). */
export interface RawLedgerUpdate {
  time: number;
  hash: string;
  delta: { type: string } & Record<string, unknown>;
}

export interface SimAccount {
  address: string;
  agents: Map<string, string>;
  dexes: Map<string, DexBook>;
  orders: Map<number, SimOrder>;
  fills: RawFill[];
  /** Non-funding ledger (deposits, withdrawals, transfers), oldest first. */
  ledgerUpdates: RawLedgerUpdate[];
  /** The last nonces used by each signer (the venue keeps the 100 highest). */
  nonces: Map<string, number[]>;
  scheduledCancel: number | null;
  scheduledTriggers: { day: number; count: number };
}

/** Decimal string without float noise or trailing zeros ("-0" never appears). */
export function num(v: number, decimals = 8): string {
  const s = v.toFixed(decimals);
  const t = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  return t === '-0' ? '0' : t;
}

export const newBook = (balance = 0): DexBook => ({ rawUsd: balance, positions: new Map(), leverage: new Map() });

export interface PositionView {
  p: SimPosition;
  mark: number;
  value: number;
  upnl: number;
  marginUsed: number;
  mmr: number;
}

export class Ledger {
  constructor(
    private readonly markOf: (coin: string) => number | undefined,
    private readonly specOf: (coin: string) => AssetSpec | undefined,
  ) {}

  private view(p: SimPosition): PositionView {
    const mark = this.markOf(p.coin) ?? p.entryPx;
    const value = Math.abs(p.szi) * mark;
    const upnl = p.szi * (mark - p.entryPx);
    const spec = this.specOf(p.coin);
    const mmr = 1 / (2 * (spec?.maxLeverage ?? 20));
    const marginUsed = p.isolated ? p.rawUsd + p.szi * mark : value / p.leverage;
    return { p, mark, value, upnl, marginUsed, mmr };
  }

  /** The numbers clearinghouseState reports for one dex (as numbers; the wire format is built from them). */
  summary(book: DexBook): {
    views: PositionView[];
    crossValue: number;
    crossMarginUsed: number;
    crossNtl: number;
    crossMaint: number;
    accountValue: number;
    totalMarginUsed: number;
    totalNtl: number;
    totalRawUsd: number;
    withdrawable: number;
  } {
    const views = [...book.positions.values()].map((p) => this.view(p));
    const cross = views.filter((v) => !v.p.isolated);
    const iso = views.filter((v) => v.p.isolated);
    const crossValue = book.rawUsd + cross.reduce((a, v) => a + v.p.szi * v.mark, 0);
    const crossMarginUsed = cross.reduce((a, v) => a + v.marginUsed, 0);
    const crossNtl = cross.reduce((a, v) => a + v.value, 0);
    const crossMaint = cross.reduce((a, v) => a + v.value * v.mmr, 0);
    const accountValue = crossValue + iso.reduce((a, v) => a + v.marginUsed, 0);
    const totalMarginUsed = crossMarginUsed + iso.reduce((a, v) => a + v.marginUsed, 0);
    const totalNtl = views.reduce((a, v) => a + v.value, 0);
    const totalRawUsd = book.rawUsd + iso.reduce((a, v) => a + v.p.rawUsd, 0);
    return {
      views,
      crossValue,
      crossMarginUsed,
      crossNtl,
      crossMaint,
      accountValue,
      totalMarginUsed,
      totalNtl,
      totalRawUsd,
      withdrawable: Math.max(0, accountValue - totalMarginUsed),
    };
  }

  /**
   * Liquidation price, holding every other price still. Cross: the price where the cross account value meets the
   * cross maintenance margin; isolated: where the position's own equity meets its maintenance margin.
   */
  liquidationPx(v: PositionView, s: ReturnType<Ledger['summary']>): number | null {
    const { szi } = v.p;
    const abs = Math.abs(szi);
    let px: number;
    if (v.p.isolated) {
      px = -v.p.rawUsd / (szi - abs * v.mmr);
    } else {
      const otherMaint = s.crossMaint - v.value * v.mmr;
      const rest = s.crossValue - szi * v.mark; // cross value without this position's notional
      px = (otherMaint - rest) / (szi - abs * v.mmr);
    }
    return Number.isFinite(px) && px > 0 ? px : null;
  }

  /** clearinghouseState as the venue sends it. */
  clearinghouseState(book: DexBook, now: number): unknown {
    const s = this.summary(book);
    const ms = (accountValue: number, ntl: number, raw: number, used: number) => ({
      accountValue: num(accountValue, 6),
      totalNtlPos: num(ntl, 6),
      totalRawUsd: num(raw, 6),
      totalMarginUsed: num(used, 6),
    });
    return {
      marginSummary: ms(s.accountValue, s.totalNtl, s.totalRawUsd, s.totalMarginUsed),
      crossMarginSummary: ms(s.crossValue, s.crossNtl, book.rawUsd, s.crossMarginUsed),
      crossMaintenanceMarginUsed: num(s.crossMaint, 6),
      withdrawable: num(s.withdrawable, 6),
      assetPositions: s.views.map((v) => {
        const liq = this.liquidationPx(v, s);
        const spec = this.specOf(v.p.coin);
        const initial = (Math.abs(v.p.szi) * v.p.entryPx) / v.p.leverage;
        return {
          type: 'oneWay',
          position: {
            coin: v.p.coin,
            szi: num(v.p.szi, spec?.szDecimals ?? 8),
            leverage: v.p.isolated
              ? { type: 'isolated', value: v.p.leverage, rawUsd: num(v.p.rawUsd, 6) }
              : { type: 'cross', value: v.p.leverage },
            entryPx: num(v.p.entryPx, 6),
            positionValue: num(v.value, 6),
            unrealizedPnl: num(v.upnl, 6),
            returnOnEquity: num(initial > 0 ? v.upnl / initial : 0, 8),
            liquidationPx: liq === null ? null : num(liq, 6),
            marginUsed: num(v.marginUsed, 6),
            maxLeverage: spec?.maxLeverage ?? 20,
            cumFunding: { allTime: num(v.p.cumFunding, 6), sinceOpen: num(v.p.cumFunding, 6), sinceChange: '0' },
          },
        };
      }),
      time: now,
    };
  }

  /** Initial margin an order would lock if it opens `size` at `px`. */
  marginFor(book: DexBook, coin: string, size: number, px: number): number {
    const lev = this.leverageOf(book, coin).value;
    return (size * px) / lev;
  }

  leverageOf(book: DexBook, coin: string): { value: number; isolated: boolean } {
    const p = book.positions.get(coin);
    if (p) return { value: p.leverage, isolated: p.isolated };
    const set = book.leverage.get(coin);
    if (set) return set;
    return { value: Math.min(20, this.specOf(coin)?.maxLeverage ?? 20), isolated: false };
  }

  /**
   * Executes a fill: moves size between the position and the raw balance, realizes closedPnl on the closed part
   * (fees excluded, as the venue reports it), charges the fee to the cross balance.
   */
  execute(
    book: DexBook,
    coin: string,
    isBuy: boolean,
    size: number,
    px: number,
    feeRate: number,
  ): { closedPnl: number; fee: number; startPosition: number; dir: string } {
    const signed = isBuy ? size : -size;
    const lev = this.leverageOf(book, coin);
    const existing = book.positions.get(coin);
    const start = existing?.szi ?? 0;
    const closing = start !== 0 && Math.sign(signed) !== Math.sign(start) ? Math.min(size, Math.abs(start)) : 0;
    const opening = size - closing;
    const entry = existing?.entryPx ?? px;
    const closedPnl = closing * (px - entry) * Math.sign(start);
    const fee = size * px * feeRate;
    const p: SimPosition = existing ?? { coin, szi: 0, entryPx: px, leverage: lev.value, isolated: lev.isolated, rawUsd: 0, cumFunding: 0 };

    if (closing > 0) {
      if (p.isolated) {
        const k = closing / Math.abs(start);
        const released = k * (p.rawUsd + start * px);
        book.rawUsd += released;
        p.rawUsd = (1 - k) * p.rawUsd;
      } else {
        book.rawUsd += closing * Math.sign(start) * px;
      }
      p.szi = start + closing * -Math.sign(start);
    }
    if (opening > 0) {
      const dirSign = Math.sign(signed);
      const before = Math.abs(p.szi);
      p.entryPx = before > 0 && Math.sign(p.szi) === dirSign ? (before * p.entryPx + opening * px) / (before + opening) : px;
      if (p.isolated) {
        const margin = (opening * px) / p.leverage;
        book.rawUsd -= margin;
        p.rawUsd += margin - dirSign * opening * px;
      } else {
        book.rawUsd -= dirSign * opening * px;
      }
      p.szi += dirSign * opening;
    }
    book.rawUsd -= fee;
    if (Math.abs(p.szi) < 1e-12) book.positions.delete(coin);
    else book.positions.set(coin, p);

    const end = p.szi;
    let dir: string;
    if (start === 0 || (Math.sign(start) === Math.sign(signed) && closing === 0)) dir = isBuy ? 'Open Long' : 'Open Short';
    else if (opening > 0 && Math.abs(end) > 1e-12) dir = start > 0 ? 'Long > Short' : 'Short > Long';
    else dir = start > 0 ? 'Close Long' : 'Close Short';
    return { closedPnl, fee, startPosition: start, dir };
  }

  /** Sets a position directly (control API), keeping the account value at the entry price unchanged. */
  setPosition(book: DexBook, p: { coin: string; szi: number; entryPx: number; leverage: number; isolated: boolean; margin?: number }): void {
    const old = book.positions.get(p.coin);
    if (old) {
      if (old.isolated) book.rawUsd += old.rawUsd + old.szi * old.entryPx;
      else book.rawUsd += old.szi * old.entryPx;
      book.positions.delete(p.coin);
    }
    if (p.szi === 0) return;
    if (p.isolated) {
      const margin = p.margin ?? (Math.abs(p.szi) * p.entryPx) / p.leverage;
      book.rawUsd -= margin;
      book.positions.set(p.coin, { coin: p.coin, szi: p.szi, entryPx: p.entryPx, leverage: p.leverage, isolated: true, rawUsd: margin - p.szi * p.entryPx, cumFunding: 0 });
    } else {
      book.rawUsd -= p.szi * p.entryPx;
      book.positions.set(p.coin, { coin: p.coin, szi: p.szi, entryPx: p.entryPx, leverage: p.leverage, isolated: false, rawUsd: 0, cumFunding: 0 });
    }
  }
}
