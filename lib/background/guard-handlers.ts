/**
 * The order guard's audit trail: each warning, block and override a page's guard reports becomes one audit entry
 * (guard.warn / guard.block / guard.override). The page decides on its own, synchronously, at click time; the
 * background re-checks the same order with its own order.check for the record only (`background` in the entry's data).
 */
import type { OrderIntent } from '../domain/types';
import { orderWord } from '../pages/guard-intent';
import type { GuardVerdictReport } from '../messaging/guard-requests';
import type { Sender } from '../messaging/sender';
import { RequestError } from '../messaging/router';
import type { AuditFn } from './audit-fn';
import type { Supervisor } from './supervisor/supervisor';

const VENUE = { binance: 'Binance', hyperliquid: 'Hyperliquid' } as const;
const POLICY = { confirm: 'a confirmation', never: 'no override', countdown: 'the countdown', typed: 'the typed phrase' } as const;

/** Reports a page may send per minute; a page stuck in a loop cannot flood the log. */
export const GUARD_REPORTS_PER_MINUTE = 60;

export interface GuardHandlerDeps {
  audit: AuditFn;
  /** The background's own pre-trade check (order.check), for the record; absent in tests that do not need it. */
  supervisor?: Pick<Supervisor, 'check'>;
  now?: () => number;
}

/** One line for the log: what the guard did, to which order, and why. */
export function guardMessage(r: GuardVerdictReport): string {
  const what = r.intent
    ? `${orderWord(r.button, r.intent.side)} ${num(r.intent.size)}${r.intent.sizeUnit === 'quote' ? ' (quote)' : ''} ${r.intent.symbol}`
    : `${r.button || 'an order'} on ${r.symbol ?? '(no symbol)'}`;
  const where = `${VENUE[r.venue]}${r.account ? ` (${r.account})` : ''}`;
  const shown = r.reasons.filter((x) => x.level === r.decision).map((x) => x.text);
  const why = (shown.length ? shown : r.reasons.map((x) => x.text)).join(' ');
  if (r.overridden) return `Guard override of a ${r.decision} on ${what}, ${where}, through ${POLICY[r.policy]}: ${why}`;
  return `Guard ${r.decision === 'block' ? 'blocked' : 'warned about'} ${what}, ${where}${r.mode === 'monitor' ? ' (monitor mode)' : ''}: ${why}`;
}

const num = (v: number) => String(Number(v.toPrecision(8)));

export function guardHandlers({ audit, supervisor, now = Date.now }: GuardHandlerDeps) {
  const recent = new Map<number, number[]>();
  /** Reports left out per tab since its last recorded one: said in the log when the tab is recorded again. */
  const dropped = new Map<number, number>();
  return {
    'guard.verdict': async (r: GuardVerdictReport, sender: Sender): Promise<{ recorded: boolean }> => {
      if (sender.class !== 'content') throw new RequestError('forbidden', 'Only a page guard reports verdicts.');
      if (sender.page.venue !== r.venue) throw new RequestError('forbidden', `A ${VENUE[sender.page.venue]} page cannot report a ${VENUE[r.venue]} verdict.`);
      if (r.account !== null && !r.account.startsWith(`${r.venue}:`)) throw new RequestError('invalid_data', `Account "${r.account}" is not a ${VENUE[r.venue]} account.`);
      const t = now();
      const tab = sender.tabId;
      const times = (recent.get(tab) ?? []).filter((x) => t - x < 60_000);
      if (times.length >= GUARD_REPORTS_PER_MINUTE) {
        recent.set(tab, times);
        dropped.set(tab, (dropped.get(tab) ?? 0) + 1);
        return { recorded: false };
      }
      times.push(t);
      recent.set(tab, times);
      const missed = dropped.get(tab) ?? 0;
      if (missed > 0) {
        dropped.delete(tab);
        await audit('guard.dropped', 'warning', `${missed} guard report${missed === 1 ? '' : 's'} from a ${VENUE[r.venue]} tab not recorded: more than ${GUARD_REPORTS_PER_MINUTE} a minute.`, { tabId: tab, dropped: missed });
      }

      let background: string | null = null;
      if (supervisor && r.intent) {
        try {
          const c = await supervisor.check(r.intent as OrderIntent);
          background = c.result?.decision ?? 'unchecked';
        } catch {
          background = 'unchecked';
        }
      }
      const kind = r.overridden ? 'guard.override' : r.decision === 'block' ? 'guard.block' : 'guard.warn';
      const severity = r.overridden || r.decision === 'block' ? 'warning' : 'notice';
      const rule = r.reasons.find((x) => x.level === r.decision && x.rule)?.rule ?? r.reasons.find((x) => x.rule)?.rule ?? undefined;
      await audit(
        kind,
        severity,
        guardMessage(r),
        {
          venue: r.venue,
          symbol: r.symbol,
          pageSymbol: sender.page.symbol,
          tabId: sender.tabId,
          decision: r.decision,
          policy: r.policy,
          overridden: r.overridden,
          trigger: r.trigger,
          button: r.button,
          mode: r.mode,
          reasons: r.reasons,
          intent: r.intent,
          background,
        },
        { ...(r.account ? { account: r.account } : {}), strategyId: r.intent?.strategyId ?? 'manual', ...(rule ? { rule } : {}) },
      );
      return { recorded: true };
    },
  };
}
