/**
 * Words and shapes for the live risk picture (ViewState.risk) in the popup and the options Overview. Pure, and free
 * of lib/risk but for its two-line limit comparison: the popup bundle stays small. Every number leaves here with its
 * unit ($, %, x); unknown is '—'.
 */
import type { AccountRisk, FeedStatus, RiskView, TradingStateView } from '../messaging/risk-view';
import { exceeds, reaches } from '../risk/compare';

export const DASH = '—';

type Maybe = number | null | undefined;
const known = (v: Maybe): v is number => typeof v === 'number' && Number.isFinite(v);
const grouped = (s: string) => s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Money in USD(T): "$1,234.56", "-$12.30"; a loss that rounds to zero reads "$0.00". */
export function money(v: Maybe): string {
  if (!known(v)) return DASH;
  const r = Math.round(v * 100) / 100;
  const [int, dec] = Math.abs(r).toFixed(2).split('.');
  return `${r < 0 ? '-' : ''}$${grouped(int!)}.${dec}`;
}

/** Money with its sign always shown, for profit and loss: "+$12.30", "-$12.30", "$0.00". */
export function signedMoney(v: Maybe): string {
  if (!known(v)) return DASH;
  const r = Math.round(v * 100) / 100;
  return r > 0 ? `+${money(r)}` : money(r);
}

/** A price: thousands grouped, up to 8 significant digits, so "$97,312.5" and "$0.00012345" both read right. */
export function price(v: Maybe): string {
  if (!known(v)) return DASH;
  const s = String(Number(Math.abs(v).toPrecision(8)));
  if (s.includes('e')) return `${v < 0 ? '-' : ''}$${s}`;
  const [int, dec] = s.split('.');
  return `${v < 0 ? '-' : ''}$${grouped(int!)}${dec ? `.${dec}` : ''}`;
}

/** A percentage with up to `dp` decimals, trailing zeros dropped: "1.5%", "0%", "12.35%". */
export function percent(v: Maybe, dp = 2): string {
  if (!known(v)) return DASH;
  const r = Math.round(v * 10 ** dp) / 10 ** dp;
  return `${Object.is(r, -0) ? 0 : r}%`;
}

/** A position's size in base units, unsigned (the side says the direction): 8 significant digits. */
export function baseSize(v: Maybe): string {
  if (!known(v)) return DASH;
  return String(Number(Math.abs(v).toPrecision(8)));
}

/** Leverage: "10x", "2.5x". */
export function leverage(v: Maybe): string {
  if (!known(v) || v <= 0) return DASH;
  return `${Math.round(v * 100) / 100}x`;
}

/** Time left until `until`: "0:42", "14:59", "3:04:05" (h:mm:ss), "2 d 3 h"; "0:00" once past. */
export function countdown(until: number, now: number): string {
  const s = Math.max(0, Math.ceil((until - now) / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h}:${pad(m)}:${pad(s % 60)}`;
  return `${m}:${pad(s % 60)}`;
}

/** "15:30" in the user's locale, 24-hour; with the weekday when it is not today ("Tue 09:00"). */
export function untilTime(ts: number, now: number): string {
  const t = new Date(ts);
  const hm = t.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return t.toDateString() === new Date(now).toDateString() ? hm : `${t.toLocaleDateString(undefined, { weekday: 'short' })} ${hm}`;
}

export type Tone = 'ok' | 'warn' | 'bad' | 'none';

/**
 * Where the warning mark sits when the view gives none: 80% of the limit, the engine's default for warning tiers
 * (settings tiers.warnAtPct).
 */
export const DEFAULT_WARN_SHARE = 0.8;

export interface LimitMeter {
  /** The value in % (null: unknown). Losses below zero (a day in profit) count as 0 used. */
  value: number | null;
  limit: number;
  /** The warning level in %. */
  warn: number;
  /** value / limit, clamped to 0..1 (0 when unknown). */
  fill: number;
  /** warn / limit, clamped to 0..1: where the bar's warning mark sits. */
  warnAt: number;
  tone: Tone;
  /** "1.2% of 2%" or "— of 2%". */
  text: string;
}

/**
 * A value against its limit, with the warning level (defaults to DEFAULT_WARN_SHARE of the limit), compared as the
 * rules compare (lib/risk/compare): loss limits are hit when reached, the exposure limit only when exceeded (`over`).
 * A value under the limit never reads as the limit: 1.9996 of 2 shows "1.99% of 2%", not "2% of 2%".
 */
export function limitMeter(value: Maybe, limit: number, warn?: Maybe, over: 'reaches' | 'exceeds' = 'reaches'): LimitMeter {
  const lim = known(limit) && limit > 0 ? limit : 0;
  const w = known(warn) && warn > 0 ? warn : lim * DEFAULT_WARN_SHARE;
  const clamp = (x: number) => (x > 1 ? 1 : x > 0 ? x : 0);
  const v = known(value) ? Math.max(0, value) : null;
  const hit = v !== null && (over === 'exceeds' ? exceeds(v, lim) : reaches(v, lim));
  const tone: Tone = v === null || lim === 0 ? 'none' : hit ? 'bad' : reaches(v, w) ? 'warn' : 'ok';
  const shown = v !== null && !hit && percent(v) === percent(lim) && v < lim ? Math.floor(v * 100) / 100 : v;
  return {
    value: v,
    limit: lim,
    warn: w,
    fill: v === null || lim === 0 ? 0 : clamp(v / lim),
    warnAt: lim === 0 ? 0 : clamp(w / lim),
    tone,
    text: `${percent(shown)} of ${percent(lim)}`,
  };
}

/**
 * Risk score bands, as lib/risk riskLevelFor (below 20 Minimal, 20-40 Low, 40-60 Medium, 60-80 High, 80+ Critical);
 * a test keeps the two in step.
 */
export const RISK_LEVEL_NAMES = ['Minimal', 'Low', 'Medium', 'High', 'Critical'] as const;
export function riskLevelName(score: number): (typeof RISK_LEVEL_NAMES)[number] {
  return RISK_LEVEL_NAMES[Math.min(4, Math.max(0, Math.floor(score / 20)))]!;
}
/** The score as a meter against 100, warning from 60 (High), over from 80 (Critical). */
export function riskScoreMeter(score: Maybe): LimitMeter & { level: string } {
  const m = limitMeter(score, 80, 60);
  const v = known(score) ? Math.max(0, Math.min(100, score)) : null;
  return {
    ...m,
    fill: v === null ? 0 : v / 100,
    warnAt: 0.6,
    text: v === null ? DASH : `${Math.round(v)} / 100`,
    level: v === null ? '' : riskLevelName(v),
  };
}

export const TRADING_LABEL: Record<TradingStateView, string> = {
  ACTIVE: 'Active',
  REDUCING: 'Reduce-only',
  HALTED: 'Halted',
};
export const TRADING_TONE: Record<TradingStateView, Tone> = { ACTIVE: 'ok', REDUCING: 'warn', HALTED: 'bad' };

export const BREAKER_LABEL: Record<AccountRisk['breaker'], string> = {
  CLOSED: 'Breaker closed',
  OPEN: 'Breaker open',
  HALF_OPEN: 'Breaker half-open',
};
export const BREAKER_HELP: Record<AccountRisk['breaker'], string> = {
  CLOSED: 'The circuit breaker is closed: orders pass the usual checks.',
  OPEN: 'The circuit breaker tripped: nothing new opens until it cools off or you reset it.',
  HALF_OPEN: 'The circuit breaker is probing: new positions open at reduced size until a clean interval passes.',
};

export const FEED_LABEL: Record<FeedStatus, string> = {
  connecting: 'Connecting',
  live: 'Live',
  stale: 'Stale',
  reconnecting: 'Reconnecting',
  locked: 'Vault locked',
  error: 'Not connected',
  stopped: 'Stopped',
};

/** Where a next step is done: a section of the options page. */
export type NextStepTarget = 'accounts' | 'overview' | null;
export interface Advice {
  tone: Tone;
  text: string;
  /** What to do about it, and where. */
  next: string | null;
  target: NextStepTarget;
}

/** What a feed that is not live means, and what to do next. null when live, unless live with a caveat. */
export function feedAdvice(a: Pick<AccountRisk, 'status' | 'statusText'>): Advice | null {
  const why = a.statusText ? ` ${a.statusText}` : '';
  switch (a.status) {
    case 'live':
      // Data flows, but with a caveat the background spells out (monitored only: the key vault is locked).
      return a.statusText ? { tone: 'warn', text: a.statusText, next: null, target: null } : null;
    case 'locked':
      return {
        tone: 'bad',
        text: 'The key vault is locked: this account is not monitored.',
        next: 'Unlock the vault in Options > Accounts.',
        target: 'accounts',
      };
    case 'error':
      return {
        tone: 'bad',
        text: `Not connected to the exchange.${why}`,
        next: 'Check the API key, network and endpoint in Options > Accounts.',
        target: 'accounts',
      };
    case 'stale':
      return {
        tone: 'warn',
        text: `Numbers may be out of date.${why}`,
        next: 'Ringfence keeps trying; check your internet connection.',
        target: null,
      };
    case 'reconnecting':
      return { tone: 'warn', text: `Connection lost, reconnecting…${why}`, next: 'Numbers shown are the last received.', target: null };
    case 'connecting':
      return { tone: 'none', text: 'Connecting to the exchange…', next: null, target: null };
    case 'stopped':
      return {
        tone: 'warn',
        text: `Monitoring is stopped for this account.${why}`,
        next: 'Start it again in Options > Accounts.',
        target: 'accounts',
      };
  }
}

/** What today's loss is a share of, per account.lossBasis (as the daily-loss rule's reason words it). */
export function lossBaseText(basis: AccountRisk['lossBasis']): string {
  switch (basis) {
    case 'balance':
      return "the day's starting wallet balance (realized PnL only)";
    case 'balance_minus_equity':
      return "the day's starting wallet balance, against equity now";
    default:
      return "the day's starting equity";
  }
}

/** Today's profit or loss, with the loss as % of the day's start: "-$12.30 (0.12%)", "+$40.00". */
export function dayPnlText(a: Pick<AccountRisk, 'dayPnl' | 'dayLossPct'>): string {
  if (!known(a.dayPnl)) return DASH;
  // A share that rounds to 0% says nothing ("-$0.10 (-0%)"): left out.
  const pct = known(a.dayLossPct) && percent(Math.abs(a.dayLossPct)) !== '0%' ? ` (${a.dayLossPct > 0 ? '-' : '+'}${percent(Math.abs(a.dayLossPct))})` : '';
  return `${signedMoney(a.dayPnl)}${pct}`;
}

export const pnlTone = (v: Maybe): 'pos' | 'neg' | '' => (!known(v) ? '' : v > 0.004 ? 'pos' : v < -0.004 ? 'neg' : '');

/** The one-line answer to "am I safe right now?" for the whole desk. */
export interface Verdict {
  tone: Tone;
  title: string;
  detail: string;
  /** What to do next, in words, and where (rendered as a link when the view has one); null when nothing to do. */
  next: string | null;
  target: NextStepTarget;
  /** The latest end of a break or cooling-off in force on a halted account, for a countdown. */
  until: number | null;
}

export interface VerdictOptions {
  /** How a halt without an end is lifted, from where the verdict is read (default: in Options > Overview). */
  resetHint?: { next: string; target: NextStepTarget };
}

/** "Main", "Main, HL": account labels in a sentence. */
export const labelsOf = (accounts: readonly Pick<AccountRisk, 'label'>[]) => accounts.map((a) => a.label).join(', ');

export function deskVerdict(risk: RiskView, connection: 'connecting' | 'live' | 'lost', opts: VerdictOptions = {}): Verdict {
  const none = { until: null, next: null, target: null };
  if (risk.accounts.length === 0) {
    return { tone: 'none', title: 'No account connected', detail: 'Add an exchange account to see your risk here.', ...none };
  }
  const stale = connection === 'lost' ? ' (Lost contact with the background: reconnecting; figures may be old.)' : '';
  const halted = risk.accounts.filter((a) => a.trading === 'HALTED');
  if (halted.length > 0) {
    // The reasons are on the account cards; here: who, and until when (a countdown) or how it ends.
    const until = halted.every((a) => a.coolingUntil !== null) ? Math.max(...halted.map((a) => a.coolingUntil!)) : null;
    // A halted account in monitor mode blocks nothing: the guard only warns there (lib/pages/guard-verdict).
    const blocking = halted.filter((a) => a.mode !== 'monitor');
    const warnOnly = halted.filter((a) => a.mode === 'monitor');
    const who = [
      blocking.length === 0 ? '' : blocking.length === risk.accounts.length ? 'Nothing new opens on any account.' : `Nothing new opens on ${labelsOf(blocking)}.`,
      warnOnly.length === 0 ? '' : `${labelsOf(warnOnly)} ${warnOnly.length === 1 ? 'is' : 'are'} in monitor mode: orders there only get a warning.`,
    ].filter(Boolean).join(' ');
    const hint = opts.resetHint ?? { next: 'Reset it in Options > Overview when you are ready.', target: 'overview' as const };
    return { tone: 'bad', title: 'Trading halted', detail: `${who}${stale}`, until, ...(until === null ? hint : { next: null, target: null }) };
  }
  // Below a halt, every problem in one short sentence each (the cards have the details); the title is the worst,
  // in the toolbar badge's order: a killed strategy, then accounts not live, then held symbols, then reduce-only, then
  // warnings.
  const issues: { tone: Tone; title: string; text: string; target?: NextStepTarget }[] = [];
  const killed = risk.strategies.filter((s) => s.killed);
  if (killed.length > 0) issues.push({ tone: 'bad', title: 'Strategy stopped', text: `Kill switch fired: ${killed.map((s) => s.strategyId).join(', ')}.` });
  const notLive = risk.accounts.filter((a) => a.status !== 'live');
  if (notLive.length > 0) {
    const locked = notLive.every((a) => a.status === 'locked');
    issues.push({
      tone: 'warn',
      title: locked ? 'Vault locked' : 'Not all accounts live',
      text: notLive.map((a) => `${a.label}: ${FEED_SHORT[a.status]}.`).join(' '),
      ...(notLive.some((a) => a.status === 'locked') ? { target: 'accounts' as const } : {}),
    });
  }
  // A symbol held by its own state after a breach on it (its cooling-off finding is only a notice): not all clear.
  const held = risk.accounts.flatMap((a) => (a.symbols ?? []).filter((x) => x.trading !== 'ACTIVE').map((x) => ({ ...x, label: a.label })));
  const haltedSymbols = held.filter((x) => x.trading === 'HALTED');
  if (held.length > 0) {
    const text = held.map((x) => (x.trading === 'HALTED' ? `${x.symbol} halted on ${x.label}.` : `Only exits pass on ${x.symbol} (${x.label}).`)).join(' ');
    const names = [...new Set((haltedSymbols.length > 0 ? haltedSymbols : held).map((x) => x.symbol))].join(', ');
    issues.push({ tone: 'warn', title: haltedSymbols.length > 0 ? `${names} halted` : `${names} reduce-only`, text });
  }
  const reducing = risk.accounts.filter((a) => a.trading === 'REDUCING');
  if (reducing.length > 0) issues.push({ tone: 'warn', title: 'Reduce-only', text: `Only exits pass on ${reducing.map((a) => a.label).join(', ')}.` });
  const warn = risk.findings.find((f) => f.severity !== 'notice');
  if (warn && reducing.length === 0) issues.push({ tone: 'warn', title: 'Warning', text: warn.text });
  const first = issues[0];
  if (first) {
    const unlock = issues.some((i) => i.target === 'accounts');
    return {
      tone: first.tone,
      title: first.title,
      detail: `${issues.map((i) => i.text).join(' ')}${stale}`,
      until: null,
      next: unlock ? 'Unlock the vault in Options > Accounts.' : null,
      target: unlock ? 'accounts' : null,
    };
  }
  return { tone: connection === 'lost' ? 'warn' : 'ok', title: 'All limits clear', detail: `Every account is within its limits.${stale}`, ...none };
}

/** A feed that is not live, in a few words, for the desk verdict. */
const FEED_SHORT: Record<FeedStatus, string> = {
  connecting: 'connecting',
  live: 'live',
  stale: 'no fresh data',
  reconnecting: 'reconnecting',
  locked: 'vault locked, not monitored',
  error: 'not connected',
  stopped: 'monitoring stopped',
};

/** The account a finding is about, by label ("Main", or the key when unknown); null for desk-wide findings. */
export function findingAccountLabel(key: string | null, accounts: readonly Pick<AccountRisk, 'key' | 'label'>[]): string | null {
  if (key === null) return null;
  return accounts.find((a) => a.key === key)?.label ?? key;
}
