/** The risk loop's requests: the pre-trade check and the user's own actions (break, flatten, reset). */
import { formatReason } from '../risk';
import type { OrderIntent } from '../domain/types';
import type { Verdict } from '../messaging/risk-requests';
import { RequestError } from '../messaging/router';
import type { Supervisor } from './supervisor/supervisor';

export function riskHandlers({ supervisor }: { supervisor: Supervisor }) {
  return {
    'order.check': async ({ intent }: { intent: OrderIntent }): Promise<Verdict> => {
      const c = await supervisor.check(intent);
      const r = c.result;
      return {
        decision: r?.decision ?? 'allow',
        reasons: r ? r.reasons.map((x) => ({ level: x.level, code: x.reason.code, text: formatReason(x.reason) })) : [],
        increasesRisk: r?.increasesRisk ?? false,
        allowed: r ? { maxSize: r.allowed.maxSize, maxNotional: r.allowed.maxNotional, maxLeverage: r.allowed.maxLeverage } : null,
        account: c.account,
        mode: c.mode,
        note: c.note,
      };
    },
    'risk.break': ({ minutes }: { minutes: number }) => supervisor.takeBreak(minutes),
    'risk.flatten': () => supervisor.flatten(),
    'risk.reset': async (data: { kind: 'account'; account: string } | { kind: 'strategy'; strategyId: string }) => {
      if (data.kind === 'strategy') {
        await supervisor.reset({ kind: 'strategy', strategyId: data.strategyId }, 'the user');
      } else {
        const [venue, ...rest] = data.account.split(':');
        if (venue !== 'binance' && venue !== 'hyperliquid') throw new RequestError('invalid_data', `No account "${data.account}".`);
        await supervisor.reset({ kind: 'account', venue, accountId: rest.join(':') }, 'the user');
      }
      // The reset itself is recorded by the loop as a manual_reset event.
      return { ok: true as const };
    },
  };
}
