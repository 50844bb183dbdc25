import type { ComponentChildren } from 'preact';
import type { AccountRisk, RiskView, TradingStateView } from '@/lib/messaging/risk-view';
import { BREAKER_HELP, BREAKER_LABEL, TRADING_LABEL, TRADING_TONE, type Tone } from '@/lib/ui/risk-format';
import './risk.css';

export function Chip({ tone, children, title, testId, data }: { tone: Tone; children: ComponentChildren; title?: string; testId?: string; data?: Record<string, string> }) {
  return (
    <span class={`rf-chip rf-chip--${tone}`} title={title} data-testid={testId} {...data}>
      {children}
    </span>
  );
}

/** ACTIVE / REDUCING / HALTED, in words and colour. */
export function TradingChip({ trading, reason, testId = 'rf-trading' }: { trading: TradingStateView; reason?: string | null; testId?: string }) {
  return (
    <Chip tone={TRADING_TONE[trading]} title={reason ?? `Trading state: ${TRADING_LABEL[trading]}`} testId={testId} data={{ 'data-trading': trading }}>
      <span class="rf-sr">Trading state: </span>
      {trading}
    </Chip>
  );
}

export function BreakerChip({ breaker }: { breaker: AccountRisk['breaker'] }) {
  return (
    <Chip tone={breaker === 'CLOSED' ? 'none' : breaker === 'OPEN' ? 'bad' : 'warn'} title={BREAKER_HELP[breaker]} testId="rf-breaker" data={{ 'data-breaker': breaker }}>
      {BREAKER_LABEL[breaker]}
    </Chip>
  );
}

const BADGE_TONE: Record<string, Tone> = { OK: 'ok', WARN: 'warn', HALT: 'bad', KILL: 'bad', STALE: 'warn', '': 'none' };

/** The toolbar badge's word (OK, WARN, HALT, KILL, STALE), as the toolbar shows it. */
export function BadgeChip({ badge }: { badge: RiskView['badge'] }) {
  if (!badge.text) return null;
  return (
    <Chip tone={BADGE_TONE[badge.text] ?? 'none'} title={badge.title} testId="rf-badge" data={{ 'data-badge': badge.text }}>
      <span class="rf-sr">Badge: </span>
      {badge.text}
    </Chip>
  );
}
