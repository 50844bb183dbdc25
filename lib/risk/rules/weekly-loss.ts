/** Weekly loss: one limit (account.weeklyLossPct); the warning sits at tiers.warnAtPct of it. */
import { periodLossFindings } from './period-loss';
import type { AccountRule } from './rule';

export const weeklyLoss: AccountRule = {
  id: 'weekly-loss',
  level: 'account',
  evaluate: (ctx, s) =>
    periodLossFindings('weekly-loss', ctx, s, 'weekly', (s.account.weeklyLossPct * s.tiers.warnAtPct) / 100, s.account.weeklyLossPct),
};
