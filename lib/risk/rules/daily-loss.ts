/** Daily loss: warning and emergency % of the day's start value (account.dailyLoss). */
import { periodLossFindings } from './period-loss';
import type { AccountRule } from './rule';

export const dailyLoss: AccountRule = {
  id: 'daily-loss',
  level: 'account',
  evaluate: (ctx, s) => periodLossFindings('daily-loss', ctx, s, 'daily', s.account.dailyLoss.warningPct, s.account.dailyLoss.emergencyPct),
};
