import type { ComponentChildren } from 'preact';
import type { AccountRisk } from '@/lib/messaging/risk-view';
import { VENUE_LABEL } from '@/lib/ui/format';
import {
  countdown,
  dayPnlText,
  feedAdvice,
  FEED_LABEL,
  limitMeter,
  lossBaseText,
  money,
  pnlTone,
  riskScoreMeter,
  untilTime,
  type NextStepTarget,
} from '@/lib/ui/risk-format';
import { Meter } from './limit-meter';
import { PositionsTable } from './positions-table';
import { BreakerChip, Chip, TradingChip } from './risk-chips';
import './risk.css';

/** Where a link to a section of the options page goes: a new tab from the popup, the same page in the options. */
export type OptionsLink = (section: Exclude<NextStepTarget, null>) => { href: string; target?: string; rel?: string };

const MODE_LABEL: Record<AccountRisk['mode'], string> = { monitor: 'monitor', guard: 'guard', enforce: 'enforce' };
const MODE_HELP: Record<AccountRisk['mode'], string> = {
  monitor: 'Monitor: Ringfence warns, never blocks or acts.',
  guard: 'Guard: Ringfence blocks risky orders on the trading page.',
  enforce: 'Enforce: Ringfence also reduces or closes positions itself.',
};

/** A break or cooling-off in force: the time left, live. */
export function Cooling({ until, now, testId = 'rf-account-cooling' }: { until: number; now: number; testId?: string }) {
  return (
    <p class="rf-cooling" data-testid={testId}>
      Trading resumes in{' '}
      <strong class="rf-countdown" data-testid="rf-countdown">
        {countdown(until, now)}
      </strong>{' '}
      <span class="rf-muted">
        (at <time dateTime={new Date(until).toISOString()}>{untilTime(until, now)}</time>)
      </span>
    </p>
  );
}

/**
 * One account's live risk: trading state and breaker, feed health with the next step, equity and today's PnL, the
 * limits as bars, open positions. `wide` adds prices, leverage and strategy columns (options Overview).
 */
export function AccountCard({
  account: a,
  now,
  link,
  wide = false,
  deskUntil = null,
  children,
}: {
  account: AccountRisk;
  now: number;
  link: OptionsLink;
  wide?: boolean;
  /** The end the desk verdict already counts down to: the card does not repeat the same countdown. */
  deskUntil?: number | null;
  children?: ComponentChildren;
}) {
  const advice = feedAdvice(a);
  const headId = `rf-acct-${a.key.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  const cooling = a.coolingUntil !== null && a.coolingUntil > now && a.coolingUntil !== deskUntil ? a.coolingUntil : null;
  return (
    <article
      class={`rf-card${wide ? ' rf-card--wide' : ''} rf-card--${a.trading.toLowerCase()}`}
      data-testid="rf-account"
      data-account={a.key}
      data-trading={a.trading}
      data-status={a.status}
      aria-labelledby={headId}
    >
      <header class="rf-card-head">
        <h3 id={headId} class="rf-card-title">
          {a.label}
          <span class="rf-muted rf-card-sub">
            {' '}
            {VENUE_LABEL[a.venue]} · <span title={MODE_HELP[a.mode]}>{MODE_LABEL[a.mode]}</span>
            {a.canTrade || a.status !== 'live' ? '' : ' · read-only'}
          </span>
        </h3>
        <div class="rf-chips">
          <TradingChip trading={a.trading} reason={a.tradingReason} testId="rf-account-trading" />
          <BreakerChip breaker={a.breaker} />
          {a.status !== 'live' ? (
            <Chip tone={advice?.tone ?? 'none'} testId="rf-account-feed" data={{ 'data-status': a.status }}>
              {FEED_LABEL[a.status]}
            </Chip>
          ) : null}
        </div>
      </header>
      {advice ? (
        <p class={`rf-advice rf-tone--${advice.tone}`} data-testid="rf-account-advice">
          {advice.text}
          {advice.next ? (
            <>
              {' '}
              {advice.target ? (
                <a {...link(advice.target)} data-testid="rf-account-next">
                  {advice.next}
                </a>
              ) : (
                advice.next
              )}
            </>
          ) : null}
        </p>
      ) : null}
      {a.trading !== 'ACTIVE' && a.tradingReason ? (
        <p class="rf-reason" data-testid="rf-account-reason">
          {a.tradingReason}
        </p>
      ) : null}
      {cooling !== null ? <Cooling until={cooling} now={now} /> : null}
      {(a.symbols ?? []).length > 0 ? (
        <ul class="rf-symbol-states" data-testid="rf-symbol-states" aria-label="Symbols not trading normally">
          {(a.symbols ?? []).map((s) => (
            <li key={s.symbol} data-symbol={s.symbol}>
              <strong>{s.symbol}</strong> {s.trading === 'HALTED' ? 'halted' : 'reduce-only'}
              {s.until !== null && s.until > now ? ` for ${countdown(s.until, now)}` : ''}
              {s.reason ? `: ${s.reason}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {a.equity === null && a.status !== 'live' && a.positions.length === 0 ? null : (
        <Figures a={a} wide={wide} />
      )}
      {children}
    </article>
  );
}

const warnAt = (pct: number | undefined) => (pct === undefined ? '' : ` Warning at ${pct}%.`);

/** Equity, today, the limits as bars and the positions (left out while an account has sent no data at all). */
function Figures({ a, wide }: { a: AccountRisk; wide: boolean }) {
  return (
    <>
      <dl class="rf-figures">
        <div>
          <dt>Equity</dt>
          <dd data-testid="rf-account-equity">{money(a.equity)}</dd>
        </div>
        <div>
          <dt>Today</dt>
          <dd data-testid="rf-account-daypnl" class={`rf-${pnlTone(a.dayPnl)}`}>
            {dayPnlText(a)}
          </dd>
        </div>
        {wide ? (
          <>
            <div>
              <dt>Wallet balance</dt>
              <dd>{money(a.walletBalance)}</dd>
            </div>
            <div>
              <dt>Open orders</dt>
              <dd data-testid="rf-account-orders">
                {a.openOrders} order{a.openOrders === 1 ? '' : 's'}
              </dd>
            </div>
          </>
        ) : null}
      </dl>
      <div class="rf-meters">
        <Meter
          label="Daily loss"
          meter={limitMeter(a.dayLossPct, a.dailyLimitPct, a.dailyWarnPct)}
          testId="rf-meter-daily"
          hint={`Today's loss as % of ${lossBaseText(a.lossBasis)}. Warning at ${a.dailyWarnPct}%, emergency limit ${a.dailyLimitPct}%.`}
        />
        <Meter
          label="Drawdown"
          meter={limitMeter(a.drawdownPct, a.drawdownLimitPct, a.drawdownWarnPct)}
          testId="rf-meter-drawdown"
          hint={`Down from the equity peak.${warnAt(a.drawdownWarnPct)} Emergency limit ${a.drawdownLimitPct}%.`}
        />
        <Meter
          label="Exposure"
          meter={limitMeter(a.exposurePct, a.exposureLimitPct, a.exposureWarnPct, 'exceeds')}
          testId="rf-meter-exposure"
          hint={`Gross position value as % of equity.${warnAt(a.exposureWarnPct)} Limit ${a.exposureLimitPct}%.`}
        />
        <Meter label="Risk score" meter={riskScoreMeter(a.riskScore)} testId="rf-meter-score" hint="0-100: drawdown, daily loss, exposure, leverage, concentration and volatility together." />
      </div>
      <PositionsTable positions={a.positions} label={a.label} wide={wide} />
    </>
  );
}
