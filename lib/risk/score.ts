/**
 * Risk score 0-100: a weighted sum of six utilisations, each clamped to 0..1.
 *
 *   score = 25 x drawdownUse + 25 x dailyLossUse + 20 x exposureUse + 10 x leverageUse + 10 x concentration + 10 x volatilityUse
 *
 * drawdownUse   = drawdown from peak / peak-drawdown emergency %
 * dailyLossUse  = daily loss / daily-loss emergency % (0 while the day is in profit or unmeasured)
 * exposureUse   = gross notional / equity / exposure limit %
 * leverageUse   = notional-weighted position leverage / normal leverage cap
 * concentration = Herfindahl index of notional by base asset (1 = one asset, 0 = flat)
 * volatilityUse = notional-weighted ATR % / high-volatility ATR %
 *
 * Every weight is positive and clamping is monotone, so the score never falls when an input rises.
 */
import { RISK_LEVELS, type RiskLevel, type RiskSettings } from './settings';

export interface RiskScoreInputs {
  drawdownUse: number;
  dailyLossUse: number;
  exposureUse: number;
  leverageUse: number;
  concentration: number;
  volatilityUse: number;
}

export const RISK_SCORE_WEIGHTS: Readonly<RiskScoreInputs> = {
  drawdownUse: 25,
  dailyLossUse: 25,
  exposureUse: 20,
  leverageUse: 10,
  concentration: 10,
  volatilityUse: 10,
};

const clamp01 = (v: number) => (v > 1 ? 1 : v > 0 ? v : 0); // NaN -> 0

export function riskScore(i: RiskScoreInputs): number {
  const w = RISK_SCORE_WEIGHTS;
  const s =
    w.drawdownUse * clamp01(i.drawdownUse) +
    w.dailyLossUse * clamp01(i.dailyLossUse) +
    w.exposureUse * clamp01(i.exposureUse) +
    w.leverageUse * clamp01(i.leverageUse) +
    w.concentration * clamp01(i.concentration) +
    w.volatilityUse * clamp01(i.volatilityUse);
  return Math.round(s * 10) / 10;
}

/** Score bands: below 20 MINIMAL, 20-40 LOW, 40-60 MEDIUM, 60-80 HIGH, 80 and above CRITICAL. */
export function riskLevelFor(score: number): RiskLevel {
  const i = Math.min(RISK_LEVELS.length - 1, Math.max(0, Math.floor(score / 20)));
  return RISK_LEVELS[i]!;
}

export function riskLevelLimits(score: number, settings: RiskSettings) {
  return settings.leverage.riskLevels[riskLevelFor(score)];
}
