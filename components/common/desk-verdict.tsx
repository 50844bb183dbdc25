import type { RiskView } from '@/lib/messaging/risk-view';
import type { Verdict } from '@/lib/ui/risk-format';
import { Cooling, type OptionsLink } from './account-card';
import { BadgeChip, TradingChip } from './risk-chips';
import './risk.css';

/**
 * The answer to "am I safe right now?": the worst trading state, the toolbar badge, why, and the countdown of a
 * break in force. The verdict comes from lib/ui deskVerdict (the parent computes it, to share `until` with the cards).
 */
export function DeskVerdict({ risk, verdict: v, now, link }: { risk: RiskView; verdict: Verdict; now: number; link: OptionsLink }) {
  const until = v.until !== null && v.until > now ? v.until : null;
  return (
    <section class={`rf-verdict rf-tone--${v.tone}`} data-testid="rf-verdict" data-tone={v.tone} aria-labelledby="rf-verdict-title">
      <div class="rf-verdict-head">
        <h2 id="rf-verdict-title" class="rf-verdict-title" data-testid="rf-verdict-title">
          {v.title}
        </h2>
        {risk.accounts.length > 0 ? (
          <span class="rf-chips">
            <TradingChip trading={risk.trading} />
            <BadgeChip badge={risk.badge} />
          </span>
        ) : null}
      </div>
      <p class="rf-verdict-detail" data-testid="rf-verdict-detail">
        {v.detail}
        {v.next ? (
          <>
            {' '}
            {v.target ? (
              <a {...link(v.target)} data-testid="rf-verdict-next">
                {v.next}
              </a>
            ) : (
              v.next
            )}
          </>
        ) : null}
      </p>
      {until !== null ? <Cooling until={until} now={now} testId="rf-verdict-cooling" /> : null}
    </section>
  );
}
