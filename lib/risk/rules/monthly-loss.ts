/** Monthly loss: one limit (account.monthlyLossPct); the warning sits at tiers.warnAtPct of it. */
import { periodLossFindings } from './period-loss';
import type { AccountRule } from './rule';

export const monthlyLoss: AccountRule = {
  id: 'monthly-loss',
  level: 'account',
  evaluate: (ctx, s) =>
    periodLossFindings('monthly-loss', ctx, s, 'monthly', (s.account.monthlyLossPct * s.tiers.warnAtPct) / 100, s.account.monthlyLossPct),
};
