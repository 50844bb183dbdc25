/** The registry: every rule the engine runs, in evaluation order. RULE_IDS (types.ts) must match it exactly. */
import { accountDrawdown } from './account-drawdown';
import { consecutiveLosses } from './consecutive-losses';
import { coolingOff } from './cooling-off';
import { dailyLoss } from './daily-loss';
import { liquidationDistance } from './liquidation-distance';
import { minimumBalance } from './minimum-balance';
import { monthlyLoss } from './monthly-loss';
import { overtrading } from './overtrading';
import { positionCount } from './position-count';
import { positionDrawdown } from './position-drawdown';
import { positionStopLoss } from './position-stop-loss';
import { revengeTrading } from './revenge-trading';
import { riskScoreRule } from './risk-score';
import type { Rule } from './rule';
import { staleData } from './stale-data';
import { strategyKillSwitch } from './strategy-kill-switch';
import { strategyLimits } from './strategy-limits';
import { timeInTrade } from './time-in-trade';
import { totalExposure } from './total-exposure';
import { trailingStop } from './trailing-stop';
import { weeklyLoss } from './weekly-loss';

export const RULES: readonly Rule[] = [
  positionDrawdown,
  positionStopLoss,
  trailingStop,
  timeInTrade,
  liquidationDistance,
  accountDrawdown,
  dailyLoss,
  weeklyLoss,
  monthlyLoss,
  totalExposure,
  positionCount,
  minimumBalance,
  strategyKillSwitch,
  strategyLimits,
  consecutiveLosses,
  coolingOff,
  revengeTrading,
  overtrading,
  staleData,
  riskScoreRule,
];

export type { AccountRule, PortfolioRule, Rule } from './rule';
