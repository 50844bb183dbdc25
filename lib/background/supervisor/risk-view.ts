/** Builds the risk picture the views show from the supervisor's live data and the engine's last result. Pure. */
import type { InstrumentRules, Strategy } from '../../domain/types';
import type { AccountRisk, FindingView, GuardAccount, GuardView, PositionView, RiskView } from '../../messaging/risk-view';
import {
  accountKey,
  formatReason,
  periodLoss,
  protectiveOrders,
  scopeKey,
  severityRank,
  tradingRank,
  type Finding,
  type PeriodStartValue,
  type RiskSettings,
  type RiskState,
  type ScopeState,
  type TradingState,
} from '../../risk';
import { badgeFor } from '../badge';
import { GUARD_STRATEGY } from '../../pages/guard-intent';
import { buildEnvelope } from '../../risk/envelope';
import { periodBounds } from '../../risk/periods';
import { accountViewOf, type LiveAccount } from './live-account';

export interface RiskViewInput {
  live: LiveAccount[];
  state: RiskState;
  findings: readonly Finding[];
  settings: RiskSettings;
  strategies: readonly Strategy[];
  /** Per account key: the value at the trading day's start. */
  dayStarts: Record<string, PeriodStartValue | undefined>;
  evaluatedAt: number | null;
  now: number;
  /** ATR % per symbol (the market watch), as the pre-trade check reads it. */
  atrPct: Record<string, number>;
  /** The venues' trading rules known so far, by `venue:symbol` (null: asked, not known). */
  instruments: ReadonlyMap<string, InstrumentRules | null>;
}

const round = (v: number, dp = 2) => Math.round(v * 10 ** dp) / 10 ** dp;
/** Decimals kept of a % measured against a limit. */
const PCT_DP = 9;

function scopeReason(sc: ScopeState | undefined): string | null {
  if (!sc || sc.trading === 'ACTIVE') return null;
  const hold = sc.holds.find((h) => h.level === sc.trading) ?? sc.holds[0];
  const r = hold?.reason ?? sc.breaker.reason;
  return r ? formatReason(r) : null;
}

/**
 * When the scope trades normally again, if that is known: the latest end of its timed holds and of an open breaker.
 * null while any hold lasts until a manual reset or while its condition does: the breaker's end is not the end then.
 */
function resumesAt(sc: ScopeState | undefined, now: number): number | null {
  if (!sc || sc.trading === 'ACTIVE') return null;
  let until = 0;
  for (const h of sc.holds) {
    if (typeof h.release !== 'number') return null;
    until = Math.max(until, h.release);
  }
  if (sc.breaker.state === 'OPEN') {
    if (sc.breaker.until === null) return null;
    until = Math.max(until, sc.breaker.until);
  }
  return until > now ? until : null;
}

function accountRisk(l: LiveAccount, inp: RiskViewInput): AccountRisk {
  const { settings: s, state, now } = inp;
  const key = l.row.id;
  const sc = state.scopes[key];
  const acct = l.account;
  const equity = acct?.equity ?? null;
  // Today as the daily-loss rule measures it (same basis, start, flows and period), not a figure of its own: deposits
  // and withdrawals since the start are not PnL, so the dollars leave them out.
  const start = inp.dayStarts[key];
  const day = acct && start ? periodLoss('daily', start, periodBounds(now, s.account.dayStart).daily.start, acct, s.account.lossBasis, state.cashFlows[key]) : null;
  const dayPnl = day && day.startValue !== null ? day.current - (day.startValue + day.netFlows) : null;
  // Only floating-point noise is rounded off (far inside the rules' tolerance, lib/risk/compare): the meters compare
  // these with the limits as the rules do, and 1.9996 rounded to 3 places is a 2% the rule did not hit.
  // `|| 0`: no change is 0, not -0.
  const dayLossPct = day && day.lossPct !== null ? round(day.lossPct, PCT_DP) || 0 : null;
  const peak = state.peaks[key];
  const drawdownPct = equity !== null && peak !== undefined && peak > 0 ? round(Math.max(0, ((peak - equity) / peak) * 100), PCT_DP) : null;
  let gross = 0;
  for (const p of l.positions) gross += Math.abs(p.notional);
  const exposurePct = equity !== null && equity > 0 ? round((gross / equity) * 100, PCT_DP) : null;
  // The stops that protect a position: reduce-only or hedge closes, and one-way stops placed without the flag that can
  // only reduce it (the same set a halt keeps).
  const orders = [...l.orders.values()];
  const guarding = protectiveOrders(orders, l.positions);
  const stops = orders.filter((o) => guarding.has(o) && o.stopPrice !== null);
  const positions: PositionView[] = l.positions.map((p) => {
    const mark = p.markPrice;
    // The protective stop nearest the mark on the closing side.
    const closing = p.side === 'long' ? 'sell' : 'buy';
    const mine = stops.filter((o) => o.symbol === p.symbol && o.side === closing && (o.positionSide === null || o.positionSide === p.side));
    const stopPrice = mine.length === 0 || mark === null ? null : mine.reduce((best, o) => (Math.abs(o.stopPrice! - mark) < Math.abs(best - mark) ? o.stopPrice! : best), mine[0]!.stopPrice!);
    return {
      symbol: p.symbol,
      side: p.side,
      size: p.size,
      entryPrice: p.entryPrice,
      markPrice: mark,
      unrealizedPnl: p.unrealizedPnl,
      leverage: p.leverage,
      liquidationPrice: p.liquidationPrice,
      stopPrice,
      stopDistancePct: stopPrice !== null && mark !== null ? round((Math.abs(mark - stopPrice) / mark) * 100) : null,
      liqDistancePct: p.liquidationPrice !== null && mark !== null ? round((Math.abs(mark - p.liquidationPrice) / mark) * 100) : null,
      strategyId: p.strategyId,
    };
  });
  const stale = l.status === 'live' && l.receivedAt !== null && now - l.receivedAt > s.data.staleAfterSec * 1000;
  return {
    key,
    venue: l.row.venue,
    accountId: l.row.accountId,
    label: l.row.label,
    mode: l.row.mode,
    canTrade: Boolean(l.adapter?.capabilities.trading),
    status: stale ? 'stale' : l.status,
    statusText: stale ? `No fresh data for ${Math.floor((now - l.receivedAt!) / 1000)} s.` : l.statusText,
    equity,
    walletBalance: acct?.walletBalance ?? null,
    dayPnl: dayPnl === null ? null : round(dayPnl),
    dayLossPct,
    lossBasis: s.account.lossBasis,
    dailyWarnPct: s.account.dailyLoss.warningPct,
    dailyLimitPct: s.account.dailyLoss.emergencyPct,
    drawdownPct,
    drawdownWarnPct: s.account.peakDrawdown.warningPct,
    drawdownLimitPct: s.account.peakDrawdown.emergencyPct,
    exposurePct,
    exposureWarnPct: s.account.exposure.warningPct,
    exposureLimitPct: s.account.exposure.limitPct,
    riskScore: state.accounts[key]?.riskScore ?? null,
    trading: sc?.trading ?? 'ACTIVE',
    tradingReason: scopeReason(sc),
    breaker: sc?.breaker.state ?? 'CLOSED',
    coolingUntil: resumesAt(sc, now),
    needsReset: sc?.holds.some((h) => h.release === 'manual') ?? false,
    positions,
    symbols: symbolStates(l, inp),
    openOrders: l.orders.size,
    receivedAt: l.receivedAt,
  };
}

function symbolStates(l: LiveAccount, inp: RiskViewInput): NonNullable<AccountRisk['symbols']> {
  const out: NonNullable<AccountRisk['symbols']> = [];
  for (const sc of Object.values(inp.state.scopes)) {
    const s = sc.scope;
    if (s.kind !== 'symbol' || s.venue !== l.row.venue || s.accountId !== l.row.accountId || sc.trading === 'ACTIVE') continue;
    out.push({ symbol: s.symbol, trading: sc.trading, reason: scopeReason(sc), until: resumesAt(sc, inp.now) });
  }
  return out.sort((a, b) => a.symbol.localeCompare(b.symbol));
}

function findingView(f: Finding): FindingView {
  const sc = f.scope;
  return {
    severity: f.severity,
    rule: f.rule,
    text: formatReason(f.reason),
    account: sc.kind === 'strategy' ? null : accountKey(sc.venue, sc.accountId),
    symbol: sc.kind === 'position' || sc.kind === 'symbol' ? sc.symbol : null,
  };
}

export function buildRiskView(inp: RiskViewInput): RiskView {
  const accounts = inp.live.map((l) => accountRisk(l, inp)).sort((a, b) => a.key.localeCompare(b.key));
  let trading: TradingState = 'ACTIVE';
  for (const a of accounts) if (tradingRank(a.trading) > tradingRank(trading)) trading = a.trading;
  const strategies: RiskView['strategies'] = [];
  const killed = new Set(inp.strategies.filter((s) => s.killed).map((s) => s.strategyId));
  for (const sc of Object.values(inp.state.scopes)) {
    if (sc.scope.kind !== 'strategy' || sc.trading === 'ACTIVE') continue;
    strategies.push({ strategyId: sc.scope.strategyId, trading: sc.trading, killed: killed.has(sc.scope.strategyId), reason: scopeReason(sc) });
    killed.delete(sc.scope.strategyId);
  }
  for (const id of killed) strategies.push({ strategyId: id, trading: 'HALTED', killed: true, reason: null });
  strategies.sort((a, b) => a.strategyId.localeCompare(b.strategyId));
  const findings = [...inp.findings]
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity))
    .slice(0, 20)
    .map(findingView);
  let worst: 'none' | Finding['severity'] = 'none';
  for (const f of inp.findings) if (worst === 'none' || severityRank(f.severity) > severityRank(worst)) worst = f.severity;
  const badge = badgeFor({
    trading,
    anyKilled: strategies.some((s) => s.killed),
    anyStale: accounts.some((a) => a.status !== 'live'),
    worstSeverity: worst,
    accounts: accounts.length,
    limitedSymbols: accounts.flatMap((a) => a.symbols ?? []),
  });
  return { evaluatedAt: inp.evaluatedAt, trading, badge, accounts, findings, strategies, guard: guardView(inp) };
}

/** The guard's envelope per account with data (lib/risk/envelope.ts): the pages decide on orders from it synchronously. */
function guardView(inp: RiskViewInput): GuardView | null {
  if (inp.live.length === 0) return null;
  const accounts: GuardAccount[] = [];
  for (const l of inp.live) {
    const view = accountViewOf(l);
    if (!view) continue;
    const prefix = `${l.row.venue}:`;
    const instruments: Record<string, InstrumentRules> = {};
    for (const [k, r] of inp.instruments) if (r && k.startsWith(prefix)) instruments[k.slice(prefix.length)] = r;
    accounts.push(
      buildEnvelope({
        key: l.row.id,
        mode: l.row.mode,
        view,
        summary: inp.state.accounts[l.row.id] ?? null,
        scopes: inp.state.scopes,
        settings: inp.settings,
        strategies: inp.strategies,
        marks: Object.fromEntries(l.marks),
        recentOrders: l.recentOrders.slice(-50),
        strategyId: GUARD_STRATEGY,
        atrPct: inp.atrPct,
        instruments,
      }),
    );
  }
  return { settings: inp.settings.guard, accounts };
}

/** Strategy scopes halted by the kill switch, from the state (for marking table rows killed). */
export const strategyScopeKey = (id: string) => scopeKey({ kind: 'strategy', strategyId: id });
