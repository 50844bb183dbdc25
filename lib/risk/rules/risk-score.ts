/** Risk score (score.ts): notice, warning, and at the emergency threshold the account goes reduce-only. */
import { reaches } from '../compare';
import { ALERT, accountScope, finding, type AccountRule } from './rule';

export const riskScoreRule: AccountRule = {
  id: 'risk-score',
  level: 'account',
  evaluate(ctx, s) {
    const { noticeAt, warningAt, emergencyAt } = s.account.riskScore;
    const score = ctx.metrics.riskScore;
    if (!reaches(score, noticeAt)) return [];
    const [severity, threshold] =
      reaches(score, emergencyAt) ? (['emergency', emergencyAt] as const) : reaches(score, warningAt) ? (['warning', warningAt] as const) : (['notice', noticeAt] as const);
    return [
      finding('risk-score', accountScope(ctx), severity, { code: 'risk_score', score, threshold }, severity === 'emergency' ? { kind: 'reduce_only' } : ALERT, {
        value: score,
        limit: emergencyAt,
        usedPct: (score / emergencyAt) * 100,
      }),
    ];
  },
};
