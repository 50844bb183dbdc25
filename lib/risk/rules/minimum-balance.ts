/** Minimum wallet balance: below it nothing opens (exits still pass) until the balance is back. */
import { accountScope, finding, type AccountRule } from './rule';

export const minimumBalance: AccountRule = {
  id: 'minimum-balance',
  level: 'account',
  evaluate(ctx, s) {
    const min = s.account.minBalanceUsd;
    const bal = ctx.account.walletBalance;
    if (bal >= min) return [];
    return [
      finding(
        'minimum-balance',
        accountScope(ctx),
        'critical',
        { code: 'minimum_balance', balance: bal, minimum: min },
        { kind: 'halt', until: 'condition', flatten: false },
        { value: bal, limit: min, usedPct: min > 0 ? (bal / min) * 100 : 0 },
      ),
    ];
  },
};
