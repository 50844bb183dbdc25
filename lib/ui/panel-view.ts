/**
 * What the in-page panel shows, as flat view models of display strings: one per section, so a push re-renders only
 * the sections whose strings changed (the panel keeps the previous model when the new one is shallowly equal).
 * Pure and free of lib/risk: the numbers are the background's, the words come from risk-format.
 */
import type { Venue } from '../pages/match';
import type { ConnectionStatus } from './live-view';
import type { AccountRisk, FeedStatus, FindingView, PositionView, RiskView, TradingStateView } from '../messaging/risk-view';
import {
  baseSize,
  DASH,
  dayPnlText,
  FEED_LABEL,
  leverage,
  limitMeter,
  money,
  percent,
  pnlTone,
  price,
  riskScoreMeter,
  signedMoney,
  TRADING_LABEL,
  TRADING_TONE,
  type LimitMeter,
  type Tone,
} from './risk-format';

/** lib/domain MANUAL_STRATEGY (kept here as a literal so the content scripts do not pull in the domain schemas). */
export const MANUAL_STRATEGY = 'manual';

/** A bar's fill or mark position as a CSS length: "42.5%"; fractions outside 0..1 are clamped. */
export function barPct(fraction: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  return `${Math.round(f * 1000) / 10}%`;
}

export interface MeterVm {
  label: string;
  /** "0.5% of 5%", "12 / 100". */
  text: string;
  tone: Tone;
  /** Fill width ("42.5%"). */
  fill: string;
  /** Where the warning mark sits ("80%"), null when there is no mark to show. */
  mark: string | null;
  /** 0..100, for aria-valuenow. */
  now: number;
  /** For screen readers: "Today's loss: 0.5% of 2%, warning at 1.5%". */
  spoken: string;
}

export function meterVm(label: string, m: LimitMeter & { level?: string }): MeterVm {
  const level = m.level ? ` ${m.level}` : '';
  return {
    label,
    text: `${m.text}${level}`,
    tone: m.tone,
    fill: barPct(m.fill),
    mark: m.warnAt > 0 && m.warnAt < 1 ? barPct(m.warnAt) : null,
    now: Math.round(m.fill * 100),
    spoken: m.value === null ? `${label}: unknown` : `${label}: ${m.text}${m.level ? level : `, warning at ${percent(m.warn)}`}`,
  };
}

/** The accounts of this venue (keys are `<venue>:<accountId>`), in the background's order. */
export function venueAccounts(accounts: readonly AccountRisk[], venue: Venue): AccountRisk[] {
  return accounts.filter((a) => a.key.startsWith(`${venue}:`));
}

export interface AccountOption {
  key: string;
  label: string;
}
export const accountOptions = (list: readonly AccountRisk[]): AccountOption[] => list.map((a) => ({ key: a.key, label: a.label }));

export interface SummaryVm {
  equity: string;
  dayPnl: string;
  dayTone: 'pos' | 'neg' | '';
  day: MeterVm;
  drawdown: MeterVm;
  exposure: MeterVm;
  score: MeterVm;
}

export function summaryVm(a: AccountRisk): SummaryVm {
  return {
    equity: money(a.equity),
    dayPnl: dayPnlText(a),
    dayTone: pnlTone(a.dayPnl),
    day: meterVm("Today's loss", limitMeter(a.dayLossPct, a.dailyLimitPct, a.dailyWarnPct)),
    drawdown: meterVm('Drawdown', limitMeter(a.drawdownPct, a.drawdownLimitPct, a.drawdownWarnPct)),
    exposure: meterVm('Exposure', limitMeter(a.exposurePct, a.exposureLimitPct, a.exposureWarnPct, 'exceeds')),
    score: meterVm('Risk score', riskScoreMeter(a.riskScore)),
  };
}

export interface StatusVm {
  trading: TradingStateView;
  tone: Tone;
  /** "Halted", "Reduce-only", "Active". */
  label: string;
  /** The symbol when the state shown is that symbol's own (stricter than the account's), else null. */
  scope: string | null;
  /** Why trading is not ACTIVE, in words (null when ACTIVE or unknown). */
  reason: string | null;
  /** When trading is back to normal, for the countdown (null when no time ends it). */
  until: number | null;
  /** How a halt that no time ends is lifted (null otherwise). */
  reset: string | null;
  /** What is wrong with the feed and what to do (null when live). */
  feed: string | null;
  feedTone: Tone;
}

const FEED_TONE: Record<FeedStatus, Tone> = { live: 'none', connecting: 'none', stale: 'warn', reconnecting: 'warn', stopped: 'warn', locked: 'bad', error: 'bad' };
/** What to do when the feed is down for a reason only the user can fix. */
const FEED_FIX: Partial<Record<FeedStatus, string>> = {
  locked: 'Unlock the vault in Ringfence options.',
  error: 'Check the account in Ringfence options.',
  stopped: 'Start it again in Ringfence options.',
};

/** "Not connected: Binance refused this key. Check the account in Ringfence options."; null when live. */
export function feedText(a: Pick<AccountRisk, 'status' | 'statusText'>): string | null {
  if (a.status === 'live') return null;
  const fix = FEED_FIX[a.status];
  return `${FEED_LABEL[a.status]}${a.statusText ? `: ${a.statusText.replace(/\.?$/, '.')}` : '.'}${fix ? ` ${fix}` : ''}`;
}

const TRADING_RANK: Record<TradingStateView, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

/**
 * The trading state that applies on a page: the account's, or the page symbol's own when it is stricter (a symbol
 * halted after a breach on it while the rest of the account trades on). The guard blocks on either, so the panel
 * must not say ACTIVE there.
 */
export function pageTrading(
  a: Pick<AccountRisk, 'trading' | 'tradingReason' | 'coolingUntil' | 'symbols'>,
  symbol: string | null,
): { trading: TradingStateView; reason: string | null; until: number | null; scope: string | null } {
  const own = symbol === null ? undefined : a.symbols?.find((x) => x.symbol === symbol);
  if (own && TRADING_RANK[own.trading] > TRADING_RANK[a.trading]) return { trading: own.trading, reason: own.reason, until: own.until, scope: own.symbol };
  return { trading: a.trading, reason: a.trading === 'ACTIVE' ? null : a.tradingReason, until: a.coolingUntil, scope: null };
}

export function statusVm(a: AccountRisk, symbol: string | null = null): StatusVm {
  const t = pageTrading(a, symbol);
  return {
    trading: t.trading,
    tone: TRADING_TONE[t.trading],
    label: TRADING_LABEL[t.trading],
    scope: t.scope,
    reason: t.reason,
    until: t.until,
    reset: t.scope === null && t.trading !== 'ACTIVE' && a.needsReset === true ? 'Stays until you reset trading in Ringfence options.' : null,
    feed: feedText(a),
    feedTone: FEED_TONE[a.status],
  };
}

/** A position's symbol matches the page's (Binance BTCUSDT; Hyperliquid BTC or xyz:NAME). */
export const sameSymbol = (a: string, b: string | null) => b !== null && a.toUpperCase() === b.toUpperCase();

export interface DistanceVm {
  text: string;
  tone: Tone;
}

const FINDING_TONE: Record<FindingView['severity'], Tone> = { notice: 'none', warning: 'warn', critical: 'bad', emergency: 'bad' };

/** The tone of the worst finding of `rule` on this symbol of this account ('none' without one). */
function ruleTone(findings: readonly FindingView[], account: string, symbol: string, rule: string): Tone {
  const f = findings.find((x) => x.rule === rule && x.account === account && x.symbol !== null && sameSymbol(x.symbol, symbol));
  return f ? FINDING_TONE[f.severity] : 'none';
}

/** "$95,000 · 2.06% away"; "No stop order" when the position has none (a warning: nothing limits the loss). */
export function stopText(p: Pick<PositionView, 'stopPrice' | 'stopDistancePct'>, tone: Tone = 'none'): DistanceVm {
  if (p.stopPrice === null) return { text: 'No stop order', tone: tone === 'none' ? 'warn' : tone };
  return { text: p.stopDistancePct === null ? price(p.stopPrice) : `${price(p.stopPrice)} · ${percent(p.stopDistancePct)} away`, tone };
}

/** "$54,300 · 10.2% away"; "None" when the venue reports no liquidation price (e.g. fully covered). */
export function liqText(p: Pick<PositionView, 'liquidationPrice' | 'liqDistancePct'>, tone: Tone = 'none'): DistanceVm {
  if (p.liquidationPrice === null) return { text: 'None', tone };
  return { text: p.liqDistancePct === null ? price(p.liquidationPrice) : `${price(p.liquidationPrice)} · ${percent(p.liqDistancePct)} away`, tone };
}

export interface PositionVm {
  /** symbol:side, unique within an account (hedge mode holds a long and a short). */
  id: string;
  side: 'long' | 'short';
  /** "LONG 0.08 @ $60,000". */
  head: string;
  leverage: string;
  mark: string;
  upnl: string;
  upnlTone: 'pos' | 'neg' | '';
  stop: string;
  stopTone: Tone;
  liq: string;
  liqTone: Tone;
  strategyId: string;
}

export function positionVm(p: PositionView, account: string, findings: readonly FindingView[]): PositionVm {
  const stop = stopText(p, ruleTone(findings, account, p.symbol, 'position-stop-loss'));
  const liq = liqText(p, ruleTone(findings, account, p.symbol, 'liquidation-distance'));
  return {
    id: `${p.symbol}:${p.side}`,
    side: p.side,
    head: `${p.side.toUpperCase()} ${baseSize(p.size)} @ ${price(p.entryPrice)}`,
    leverage: leverage(p.leverage),
    mark: price(p.markPrice),
    upnl: signedMoney(p.unrealizedPnl),
    upnlTone: pnlTone(p.unrealizedPnl),
    stop: stop.text,
    stopTone: stop.tone,
    liq: liq.text,
    liqTone: liq.tone,
    strategyId: p.strategyId,
  };
}

/** This symbol's positions on the account (two in hedge mode), as view models. */
export function symbolPositions(a: AccountRisk, symbol: string | null, findings: readonly FindingView[]): PositionVm[] {
  return a.positions.filter((p) => sameSymbol(p.symbol, symbol)).map((p) => positionVm(p, a.key, findings));
}

/** "No BTCUSDT position.", plus how many are open on other symbols. */
export function noPositionText(a: AccountRisk, symbol: string | null): string {
  const others = a.positions.filter((p) => !sameSymbol(p.symbol, symbol)).length;
  const head = symbol ? `No ${symbol} position.` : 'No symbol on this page.';
  return others === 0 ? head : `${head} ${others} open on other symbols.`;
}

export interface StrategyVm {
  id: string;
  trading: TradingStateView | 'KILLED';
  tone: Tone;
  text: string;
}

/** The strategy's status: from risk.strategies, which lists only those not trading normally. */
export function strategyVm(strategies: RiskView['strategies'], id: string): StrategyVm {
  const s = strategies.find((x) => x.strategyId === id);
  if (!s) return { id, trading: 'ACTIVE', tone: 'ok', text: 'Trading normally' };
  if (s.killed) return { id, trading: 'KILLED', tone: 'bad', text: s.reason ?? 'Kill switch fired: reset it in Ringfence options.' };
  return { id, trading: s.trading, tone: TRADING_TONE[s.trading], text: s.reason ?? TRADING_LABEL[s.trading] };
}

/** The strategy shown: the first position's on this symbol, else 'manual'. */
export const shownStrategy = (positions: readonly Pick<PositionVm, 'strategyId'>[]) => positions[0]?.strategyId ?? MANUAL_STRATEGY;

export interface PillVm {
  trading: TradingStateView | null;
  tone: Tone;
  dayPnl: string;
  dayTone: 'pos' | 'neg' | '';
  until: number | null;
  /** Why the figures may be old (the background out of reach, or the account's feed not live); null when current. */
  feed: { label: string; tone: Tone; title: string } | null;
}

/** The collapsed panel still says when its figures cannot be trusted: first a lost background, then the feed. */
function pillFeed(a: AccountRisk | null, connection: ConnectionStatus): PillVm['feed'] {
  if (connection === 'lost') return { label: 'Offline', tone: 'bad', title: 'Lost contact with the Ringfence background: figures may be old.' };
  const text = a ? feedText(a) : null;
  return a && text ? { label: FEED_LABEL[a.status], tone: FEED_TONE[a.status], title: text } : null;
}

export function pillVm(a: AccountRisk | null, symbol: string | null = null, connection: ConnectionStatus = 'live'): PillVm {
  const feed = pillFeed(a, connection);
  if (!a) return { trading: null, tone: 'none', dayPnl: DASH, dayTone: '', until: null, feed };
  const t = pageTrading(a, symbol);
  return { trading: t.trading, tone: TRADING_TONE[t.trading], dayPnl: dayPnlText(a), dayTone: pnlTone(a.dayPnl), until: t.until, feed };
}

/** Equal as view models: plain data compared by value, at most `depth` levels deep (models are small and flat). */
export function sameVm(a: unknown, b: unknown, depth = 3): boolean {
  if (Object.is(a, b)) return true;
  if (depth === 0 || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = Object.keys(ra);
  return keys.length === Object.keys(rb).length && keys.every((k) => k in rb && sameVm(ra[k], rb[k], depth - 1));
}
