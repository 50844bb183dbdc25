/**
 * Position sizing as pure functions with guard clauses: degenerate inputs give size 0 and a reason, never NaN.
 * Sizes are base-asset quantities rounded down to the instrument's lot step.
 */
import { ATR } from 'technicalindicators';
import type { Candle } from '../domain/market';
import type { InstrumentRules, Position, PositionSide } from '../domain/types';
import { baseAsset } from './keys';
import { riskLevelFor } from './score';
import type { RiskSettings } from './settings';
import type { RiskReason } from './types';

export interface SizeResult {
  /** Base-asset quantity, lot-step rounded; 0 with a reason when nothing can be sized. */
  size: number;
  reason: RiskReason | null;
}

const bad = (v: number) => !Number.isFinite(v) || v <= 0;
const zero = (reason: RiskReason): SizeResult => ({ size: 0, reason });

/** Fixed fractional: risk $ (riskPct of equity) divided by the stop distance. */
export function fixedFractionalSize(i: { equity: number; riskPct: number; entry: number; stop: number; side?: PositionSide }): SizeResult {
  if (!(i.equity > 0)) return zero({ code: 'equity_unusable', equity: Number.isFinite(i.equity) ? i.equity : 0 });
  if (bad(i.entry)) return zero({ code: 'invalid_sizing_input', field: 'entry' });
  if (bad(i.stop)) return zero({ code: 'invalid_sizing_input', field: 'stop' });
  if (bad(i.riskPct)) return zero({ code: 'invalid_sizing_input', field: 'riskPct' });
  if (i.entry === i.stop) return zero({ code: 'stop_equals_entry', price: i.entry });
  if (i.side && (i.side === 'long') !== i.stop < i.entry) return zero({ code: 'stop_wrong_side', side: i.side, entry: i.entry, stop: i.stop });
  return { size: (i.equity * i.riskPct) / 100 / Math.abs(i.entry - i.stop), reason: null };
}

export interface KellyInput {
  /** Share of winning trades, 0..1. */
  winRate: number;
  /** Average win / average loss (both positive). */
  payoffRatio: number;
  samples: number;
}

/** Win rate, payoff ratio and sample count from closed-trade PnLs (zero-PnL trades are ignored). */
export function kellyInputFromPnls(pnls: readonly number[]): KellyInput {
  let wins = 0;
  let losses = 0;
  let winSum = 0;
  let lossSum = 0;
  for (const p of pnls) {
    if (p > 0) (wins++, (winSum += p));
    else if (p < 0) (losses++, (lossSum -= p));
  }
  const n = wins + losses;
  const payoff = wins > 0 && losses > 0 ? winSum / wins / (lossSum / losses) : wins > 0 ? Infinity : 0;
  return { winRate: n > 0 ? wins / n : 0, payoffRatio: payoff, samples: n };
}

/**
 * Half-Kelly fraction of equity to risk: (W - (1 - W) / R) / 2, shrunk toward zero by n / (n + shrinkSamples) for small
 * samples, capped at maxFraction; 0 below minSamples (never used on too little data) or without an edge.
 */
export function halfKelly(k: KellyInput, s: RiskSettings): { fraction: number; reason: RiskReason | null } {
  const { minSamples, shrinkSamples, maxFraction } = s.sizing.kelly;
  if (!(k.samples >= minSamples)) return { fraction: 0, reason: { code: 'kelly_sample_too_small', samples: Math.max(0, k.samples || 0), minSamples } };
  if (!(k.winRate >= 0 && k.winRate <= 1) || !(k.payoffRatio > 0)) return { fraction: 0, reason: { code: 'kelly_no_edge', kelly: 0 } };
  const full = Number.isFinite(k.payoffRatio) ? k.winRate - (1 - k.winRate) / k.payoffRatio : k.winRate;
  if (!(full > 0)) return { fraction: 0, reason: { code: 'kelly_no_edge', kelly: full } };
  const shrink = k.samples / (k.samples + shrinkSamples);
  return { fraction: Math.min(maxFraction, (full / 2) * shrink), reason: null };
}

/** Average true range (technicalindicators' Wilder ATR) of the last candles, as % of the last close; null if too few. */
export function atrPercent(candles: readonly Candle[], period = 14): number | null {
  if (candles.length <= period) return null;
  const values = ATR.calculate({
    high: candles.map((c) => c.high),
    low: candles.map((c) => c.low),
    close: candles.map((c) => c.close),
    period,
  });
  const last = values[values.length - 1];
  const close = candles[candles.length - 1]!.close;
  return last === undefined ? null : (last / close) * 100;
}

/**
 * Volatility factor 1.0 (ATR % at or below lowAtrPct) down to minFactor (0.3, at or above highAtrPct), linear between.
 * Unknown volatility counts as calm (1.0): the leverage cap, not the size, handles missing data.
 */
export function volatilityFactor(atrPct: number | null, s: RiskSettings): number {
  const { lowAtrPct, highAtrPct, minFactor } = s.sizing.volatility;
  if (atrPct === null || !Number.isFinite(atrPct) || atrPct <= lowAtrPct) return 1;
  if (atrPct >= highAtrPct) return minFactor;
  return 1 - ((atrPct - lowAtrPct) / (highAtrPct - lowAtrPct)) * (1 - minFactor);
}

/** min(balance / $1000, 1): small accounts trade smaller. */
export function balanceFactor(balance: number, s: RiskSettings): number {
  if (!(balance > 0)) return 0;
  return Math.min(1, balance / s.sizing.balanceReferenceUsd);
}

/** The risk level's base size, % of equity as margin. */
export const baseSizePct = (riskScore: number, s: RiskSettings) => s.leverage.riskLevels[riskLevelFor(riskScore)].baseSizePct;

const decimals = (step: number) => {
  const t = step.toExponential().split('e');
  const mant = (t[0]!.split('.')[1] ?? '').length;
  return Math.max(0, mant - Number(t[1]));
};
/** Rounds a quantity down to a whole number of steps (with a tolerance for binary floating point). */
export function roundDownToStep(v: number, step: number): number {
  if (!(v > 0) || !(step > 0)) return 0;
  const n = Math.floor(v / step + 1e-9);
  return Number((n * step).toFixed(decimals(step)));
}
/** Rounds a price to the tick: 'down' for a buy limit or a long's stop, 'up' for the other side, or 'nearest'. */
export function roundToTick(price: number, tick: number, mode: 'down' | 'up' | 'nearest' = 'nearest'): number {
  if (!(price > 0) || !(tick > 0)) return price;
  const x = price / tick;
  const n = mode === 'down' ? Math.floor(x + 1e-9) : mode === 'up' ? Math.ceil(x - 1e-9) : Math.round(x);
  return Number((n * tick).toFixed(decimals(tick)));
}

/** The correlation group of a symbol (its base asset when in no group), by settings.account.correlationGroups. */
export function correlationGroup(symbol: string, s: RiskSettings): { name: string; assets: ReadonlySet<string> } {
  const a = baseAsset(symbol);
  for (const g of s.account.correlationGroups) {
    const set = new Set(g.map((x) => x.toUpperCase()));
    if (set.has(a)) return { name: g.join('+'), assets: set };
  }
  return { name: a, assets: new Set([a]) };
}

/** Gross notional of the positions in the symbol's correlation group: correlated positions count together. */
export function groupNotional(symbol: string, positions: readonly Position[], s: RiskSettings): { name: string; notional: number } {
  const g = correlationGroup(symbol, s);
  let n = 0;
  for (const p of positions) if (p.size !== 0 && g.assets.has(baseAsset(p.symbol))) n += p.notional;
  return { name: g.name, notional: n };
}

export interface PositionSizeInput {
  symbol: string;
  side: PositionSide;
  equity: number;
  walletBalance: number;
  entry: number;
  /** Protective stop; null sizes by margin only. */
  stop: number | null;
  leverage: number;
  riskScore: number;
  atrPct: number | null;
  /** The strategy's risk per trade, % of equity as margin. */
  riskPerTradePct: number;
  /** The trade record for half-Kelly; null to size without it. */
  kelly: KellyInput | null;
  instrument: InstrumentRules | null;
  /** The account's open positions (for the exposure caps). */
  positions: readonly Position[];
}

export interface PositionSizeResult extends SizeResult {
  /** Entry and stop on the instrument's tick: the entry to the nearest tick, the stop away from the entry. */
  entry: number;
  stop: number | null;
  notional: number;
  margin: number;
  limitedBy: 'margin' | 'risk' | 'exposure' | 'symbol_exposure' | null;
  factors: { baseSizePct: number; volatility: number; balance: number; kellyFraction: number | null };
}

/**
 * The recommended size for a new position:
 *   margin cap   = equity x min(risk-level base %, strategy risk per trade %)      -> qty = margin x leverage / entry
 *   risk cap     = equity x min(maxLossAtStopPct, half-Kelly %) / stop distance   (when a stop is given)
 *   size         = min(margin cap, risk cap) x volatility factor x balance factor
 * then capped by the room left under the total and the symbol-group exposure limits, rounded down to the lot step,
 * and 0 below the minimum notional.
 */
export function positionSize(i: PositionSizeInput, s: RiskSettings): PositionSizeResult {
  const factors = { baseSizePct: baseSizePct(i.riskScore, s), volatility: volatilityFactor(i.atrPct, s), balance: balanceFactor(i.walletBalance, s), kellyFraction: null as number | null };
  const tick = i.instrument?.tickSize;
  // The stop rounds away from the entry, so the risk per unit is never understated.
  const entry = tick ? roundToTick(i.entry, tick) : i.entry;
  const stop = i.stop !== null && tick ? roundToTick(i.stop, tick, i.side === 'long' ? 'down' : 'up') : i.stop;
  const none = (reason: RiskReason): PositionSizeResult => ({ size: 0, entry, stop, notional: 0, margin: 0, reason, limitedBy: null, factors });
  if (!(i.equity > 0)) return none({ code: 'equity_unusable', equity: Number.isFinite(i.equity) ? i.equity : 0 });
  // Checked after rounding: a price below half a tick rounds to 0.
  if (bad(entry)) return none({ code: 'invalid_sizing_input', field: 'entry' });
  if (bad(i.leverage)) return none({ code: 'invalid_sizing_input', field: 'leverage' });
  if (factors.balance === 0) return none({ code: 'equity_unusable', equity: i.walletBalance });

  const marginPct = Math.min(factors.baseSizePct, i.riskPerTradePct);
  let qty = (i.equity * marginPct * i.leverage) / 100 / entry;
  let limitedBy: PositionSizeResult['limitedBy'] = 'margin';

  if (stop !== null) {
    let riskPct = s.sizing.maxLossAtStopPct;
    if (i.kelly) {
      const k = halfKelly(i.kelly, s);
      // Below the minimum sample the record is ignored; a record without an edge means no trade.
      if (k.reason?.code === 'kelly_no_edge') return none(k.reason);
      if (k.reason === null) {
        factors.kellyFraction = k.fraction;
        riskPct = Math.min(riskPct, k.fraction * 100);
      }
    }
    const ff = fixedFractionalSize({ equity: i.equity, riskPct, entry: entry, stop, side: i.side });
    if (ff.reason) return none(ff.reason);
    if (ff.size < qty) (qty = ff.size), (limitedBy = 'risk');
  }
  qty *= factors.volatility * factors.balance;

  // Exposure caps: the room left, at the entry price.
  let gross = 0;
  for (const p of i.positions) if (p.size !== 0) gross += p.notional;
  const totalRoom = (i.equity * s.account.exposure.limitPct) / 100 - gross;
  const group = groupNotional(i.symbol, i.positions, s);
  const groupRoom = (i.equity * s.account.exposure.symbolLimitPct) / 100 - group.notional;
  if (totalRoom <= 0) return none({ code: 'exposure_room_exhausted', group: null });
  if (groupRoom <= 0) return none({ code: 'exposure_room_exhausted', group: group.name });
  if (totalRoom / entry < qty) (qty = totalRoom / entry), (limitedBy = 'exposure');
  if (groupRoom / entry < qty) (qty = groupRoom / entry), (limitedBy = 'symbol_exposure');

  if (i.instrument) {
    const rounded = roundDownToStep(qty, i.instrument.lotStep);
    if (rounded === 0) return none({ code: 'below_lot_step', size: qty, lotStep: i.instrument.lotStep });
    qty = rounded;
    const notional = qty * entry;
    if (notional < i.instrument.minNotional) return none({ code: 'below_min_notional', notional, minNotional: i.instrument.minNotional });
  }
  const notional = qty * entry;
  return { size: qty, entry, stop, notional, margin: notional / i.leverage, reason: null, limitedBy, factors };
}
