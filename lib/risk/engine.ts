/**
 * The engine: evaluate(views, history, state, settings, now) runs every enabled rule over every account in one call
 * and turns the findings into commands and the next state.
 *
 * - Deterministic: the output depends only on the arguments (no clock, no randomness, insertion-ordered records).
 * - Idempotent: evaluating the same input again with the returned state asks for nothing new, because every command
 *   is recorded in state.issued and not repeated while it is pending (a close is pending until the position's size
 *   changes or engine.pendingTimeoutSec passes; an alert until its finding goes away).
 * - Trading state per scope comes from holds and the circuit breaker (state.ts); every change is an event.
 */
import type { Fill, OpenOrder, Position, Strategy } from '../domain/types';
import {
  buildAccountContext,
  fillsByAccount,
  effectiveStrategy,
  type AccountContext,
  type AccountView,
  type EffectiveStrategy,
  type EvaluationHistory,
  type PortfolioContext,
} from './context';
import { accountKey, gateScopeOf, positionKey, scopeKey } from './keys';
import { isProtectiveOrder } from './orders';
import { RULES, type AccountRule } from './rules';
import type { RiskSettings } from './settings';
import {
  closedBreaker,
  deriveTrading,
  tradingRank,
  type AccountSummary,
  type Breaker,
  type Hold,
  type Issued,
  type RiskEvent,
  type RiskState,
  type ScopeState,
  type SymbolTrails,
} from './state';
import type { EngineAction, Finding, GateScope, RiskReason } from './types';

/** One shared empty list, so accounts without fills hit the trades memo too. */
const NO_FILLS: readonly Fill[] = Object.freeze([]);

export interface EvaluationResult {
  findings: Finding[];
  actions: EngineAction[];
  events: RiskEvent[];
  nextState: RiskState;
}

/*
 * Memo of the composite string keys the engine builds for every finding and open order on every evaluation (alert
 * and cancel keys): a trie over the key's parts, so a key seen before is looked up part by part instead of being
 * concatenated again. Each string is built by the same template from the same parts, so the keys are unchanged;
 * the memo only saves the allocation. Bounded: dropped between evaluations once it grows large.
 */
class KeyNode {
  kids: Map<string, KeyNode> | null = null;
  value: string | undefined = undefined;
}
let keyRoot = new KeyNode();
let keyNodes = 0;
const KEY_NODES_MAX = 50_000;

function keyStep(n: KeyNode, part: string): KeyNode {
  const kids = (n.kids ??= new Map());
  let k = kids.get(part);
  if (k === undefined) {
    kids.set(part, (k = new KeyNode()));
    keyNodes++;
  }
  return k;
}

/** `alert|${scopeKey(scope)}|${rule}:${severity}`, memoised. */
function alertKey(f: Finding): string {
  const sc = f.scope;
  let n = keyStep(keyStep(keyStep(keyRoot, 'alert'), f.rule), f.severity);
  n = keyStep(n, sc.kind);
  if (sc.kind === 'strategy') n = keyStep(n, sc.strategyId);
  else {
    n = keyStep(keyStep(n, sc.venue), sc.accountId);
    if (sc.kind === 'symbol' || sc.kind === 'position') n = keyStep(n, sc.symbol);
    if (sc.kind === 'position') n = keyStep(n, sc.side);
  }
  return (n.value ??= `alert|${scopeKey(sc)}|${f.rule}:${f.severity}`);
}

/** `cancel|${accountKey}|${orderId}`, memoised. */
function cancelKey(acct: string, orderId: string): string {
  const n = keyStep(keyStep(keyStep(keyRoot, 'cancel'), acct), orderId);
  return (n.value ??= `cancel|${acct}|${orderId}`);
}

/** The account key a gate scope belongs to; null for strategies (they span accounts). */
function scopeAccount(scope: GateScope): string | null {
  return scope.kind === 'strategy' ? null : accountKey(scope.venue, scope.accountId);
}

interface ScopeWork {
  scope: GateScope;
  /** Holds asked for this round, by rule (condition holds are replaced, others added once). */
  holds: Map<string, Omit<Hold, 'since'>>;
  breach: Finding | null;
}

export function evaluate(
  views: readonly AccountView[],
  history: EvaluationHistory,
  state: RiskState,
  settings: RiskSettings,
  now: number,
): EvaluationResult {
  // ---- Context ----
  if (keyNodes > KEY_NODES_MAX) {
    keyRoot = new KeyNode();
    keyNodes = 0;
  }
  const table = new Map<string, Strategy>();
  for (const row of history.strategies) table.set(row.strategyId, row);
  const memo = new Map<string, EffectiveStrategy>();
  const strategy = (id: string) => {
    let st = memo.get(id);
    if (!st) memo.set(id, (st = effectiveStrategy(id, table, settings)));
    return st;
  };
  const fills = fillsByAccount(history.fills);
  const contexts: AccountContext[] = views.map((v) =>
    buildAccountContext(v, fills.get(accountKey(v.account.venue, v.account.accountId)) ?? NO_FILLS, history, strategy, state, settings, now),
  );
  const evaluated = new Set(contexts.map((c) => c.key));
  const portfolio: PortfolioContext = { now, accounts: contexts, strategies: history.strategies, strategy, state };

  // ---- Rules ----
  const disabled = new Set(settings.rules.disabled);
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (disabled.has(rule.id) || (rule.level === 'account' && rule.stage)) continue;
    if (rule.level === 'account')
      for (const ctx of contexts) {
        const out = rule.evaluate(ctx, settings);
        for (let i = 0; i < out.length; i++) findings.push(out[i]!);
      }
    else {
      const out = rule.evaluate(portfolio, settings);
      for (let i = 0; i < out.length; i++) findings.push(out[i]!);
    }
  }

  // ---- Trackers ----
  const peaks = { ...state.peaks };
  const trails: Record<string, Record<string, SymbolTrails>> = { ...state.trails };
  const accounts: Record<string, AccountSummary> = { ...state.accounts };
  // Built on first use: only closes and pending closes need positions by key.
  let byKey: Map<string, Position> | null = null;
  const positionsByKey = () => {
    if (!byKey) {
      byKey = new Map();
      for (const ctx of contexts) for (const p of ctx.positions) byKey.set(positionKey(p.venue, p.accountId, p.symbol, p.side), p);
    }
    return byKey;
  };
  for (const ctx of contexts) {
    peaks[ctx.key] = ctx.metrics.peakEquity;
    trails[ctx.key] = nextTrails(ctx, state.trails[ctx.key], now);
    let lastLoss: AccountSummary['lastLoss'] = null;
    for (let i = ctx.closedTrades.length - 1; i >= 0; i--) {
      const t = ctx.closedTrades[i]!;
      if (t.pnl < 0) {
        lastLoss = { time: t.time, symbol: t.symbol, notional: t.notional };
        break;
      }
    }
    accounts[ctx.key] = { at: now, riskScore: ctx.metrics.riskScore, losingStreak: ctx.metrics.losingStreak, lastLoss };
  }

  // ---- Findings -> holds, breaches, commands ----
  const issuedPrev = state.issued;
  const issued: Record<string, Issued> = {};
  const actions: EngineAction[] = [];
  const work = new Map<string, ScopeWork>();
  const workFor = (scope: GateScope) => {
    const k = scopeKey(scope);
    let w = work.get(k);
    if (!w) work.set(k, (w = { scope, holds: new Map(), breach: null }));
    return w;
  };
  const timeout = settings.engine.pendingTimeoutSec * 1000;
  const closing = new Set<string>();

  const requestClose = (p: Position, full: boolean, pct: number, reason: RiskReason) => {
    const pk = positionKey(p.venue, p.accountId, p.symbol, p.side);
    const size = Math.abs(p.size);
    const acct = accountKey(p.venue, p.accountId);
    if (full) {
      if (closing.has(pk)) return;
      closing.add(pk);
      const key = `close|${pk}|`;
      const prev = issuedPrev[key];
      // Pending: same size and not timed out. A changed size means the last close (partly) executed: ask for the rest.
      if (prev && prev.size === size && now - prev.at < timeout) {
        issued[key] = prev;
        return;
      }
      issued[key] = { account: acct, at: now, size, done: false };
      actions.push({ kind: 'close_position', id: `${key}@${now}`, venue: p.venue, accountId: p.accountId, symbol: p.symbol, side: p.side, size, pct: 100, reason });
      return;
    }
    // A full close asked for now, or still pending, makes a partial close moot.
    if (closing.has(pk)) return;
    const pendingClose = issuedPrev[`close|${pk}|`];
    if (pendingClose && pendingClose.size === size && now - pendingClose.at < timeout) return;
    // One partial close per position while it lives: once its size changed, the next tier is the full close.
    const key = `partial|${pk}|`;
    if (issued[key]) return;
    const prev = issuedPrev[key];
    if (prev && (prev.done || prev.size !== size)) {
      issued[key] = prev.done ? prev : { ...prev, done: true };
      return;
    }
    if (prev && now - prev.at < timeout) {
      issued[key] = prev;
      return;
    }
    issued[key] = { account: acct, at: now, size, done: false };
    actions.push({ kind: 'partial_close', id: `${key}@${now}`, venue: p.venue, accountId: p.accountId, symbol: p.symbol, side: p.side, size: (size * pct) / 100, pct, reason });
  };

  const positionsIn = (scope: GateScope): Position[] => {
    const out: Position[] = [];
    for (const ctx of contexts)
      for (const p of ctx.positions) {
        if (scope.kind === 'strategy' ? p.strategyId === scope.strategyId : p.venue === scope.venue && p.accountId === scope.accountId && (scope.kind === 'account' || p.symbol === scope.symbol))
          out.push(p);
      }
    return out;
  };

  const alert = (f: Finding) => {
    const key = alertKey(f);
    if (issued[key]) return;
    issued[key] = issuedPrev[key] ?? { account: scopeAccount(gateScopeOf(f.scope)), at: now, size: null, done: false };
    if (!issuedPrev[key]) actions.push({ kind: 'alert', id: `${key}@${now}`, finding: f });
  };

  // Partial closes wait until every full close of this evaluation is known.
  const partials: [Position, number, RiskReason][] = [];
  for (let fi = 0; fi < findings.length; fi++) {
    const f = findings[fi]!;
    const a = f.action;
    // Only holds, halts, cooling-offs and breaches act on the gate scope: alerts and closes do not need it.
    const gateOrNull = a.kind === 'reduce_only' || a.kind === 'halt' || a.kind === 'cooling_off' || f.breach ? gateScopeOf(f.scope) : null;
    const gate = gateOrNull as GateScope; // read only on the paths above
    switch (a.kind) {
      case 'alert':
        alert(f);
        break;
      case 'partial_close':
      case 'close_position': {
        if (f.scope.kind !== 'position') break;
        const p = positionsByKey().get(scopeKey(f.scope));
        if (!p) break;
        if (a.kind === 'close_position') requestClose(p, true, 100, f.reason);
        else partials.push([p, a.pct, f.reason]);
        break;
      }
      case 'reduce_only':
        workFor(gate).holds.set(f.rule, { id: f.rule, rule: f.rule, level: 'REDUCING', release: 'condition', reason: f.reason });
        break;
      case 'halt':
        workFor(gate).holds.set(f.rule, { id: f.rule, rule: f.rule, level: 'HALTED', release: a.until, reason: f.reason });
        if (a.flatten) for (const p of positionsIn(gate)) requestClose(p, true, 100, f.reason);
        break;
      case 'cooling_off': {
        // Once per occurrence: the marker lives while the finding does, so a lasting finding does not re-extend it.
        const key = `cool|${scopeKey(gate)}|${f.rule}`;
        const prev = issuedPrev[key];
        issued[key] = prev ?? { account: scopeAccount(gate), at: now, size: null, done: false };
        if (!prev) workFor(gate).holds.set(`${f.rule}#cool`, { id: `${f.rule}#cool`, rule: f.rule, level: 'HALTED', release: now + a.minutes * 60_000, reason: f.reason });
        break;
      }
      case 'cancel_orders':
        break; // Cancels follow from the trading state below, for every scope that is not ACTIVE.
    }
    if (f.breach) {
      const w = workFor(gate);
      w.breach ??= f;
    }
  }

  for (const [p, pct, reason] of partials) requestClose(p, false, pct, reason);

  // ---- Scopes: holds, breakers, trading state ----
  const events: RiskEvent[] = [];
  const scopes: Record<string, ScopeState> = {};
  const keys = new Set<string>([...Object.keys(state.scopes), ...work.keys()]);
  const strategyRulesRan = RULES.some((r) => r.level === 'portfolio' && !disabled.has(r.id));
  const cooling = settings.behaviour.coolingOffMin * 60_000;
  const clean = settings.behaviour.cleanIntervalMin * 60_000;

  for (const key of keys) {
    const prev = state.scopes[key];
    const w = work.get(key);
    const scope = (prev?.scope ?? w?.scope)!;
    const acct = scopeAccount(scope);
    // Scopes of accounts not in this evaluation keep their state untouched (their rules did not run).
    if (prev && (acct === null ? !strategyRulesRan : !evaluated.has(acct))) {
      scopes[key] = prev;
      continue;
    }
    const holds: Hold[] = [];
    let added: Hold | null = null;
    let released: Hold | null = null;
    for (const h of prev?.holds ?? []) {
      const want = w?.holds.get(h.id);
      if (h.release === 'condition') {
        if (want && want.release === 'condition') {
          holds.push({ ...want, since: h.since });
          w!.holds.delete(h.id);
        } else released ??= h;
      } else if (h.release === 'manual' || h.release > now) {
        // A lasting finding does not stack a second timed or manual hold on the one in force.
        holds.push(h);
        if (want) w!.holds.delete(h.id);
      } else released ??= h;
    }
    if (w)
      for (const want of w.holds.values()) {
        if (typeof want.release === 'number' && want.release <= now) continue;
        const h: Hold = { ...want, since: now };
        holds.push(h);
        added ??= h;
      }

    const breaker = advanceBreaker(prev?.breaker ?? closedBreaker(now), w?.breach ?? null, now, cooling, clean, (from, to, cause, reason) =>
      events.push({ kind: 'breaker', at: now, scope, from, to, cause, reason, settings }),
    );
    const from = prev?.trading ?? 'ACTIVE';
    const to = deriveTrading(holds, breaker);
    let since = prev?.since ?? now;
    if (to !== from) {
      since = now;
      const up = tradingRank(to) > tradingRank(from);
      const reason = up ? (added?.reason ?? breaker.reason) : (released?.reason ?? prev?.breaker.reason ?? null);
      const cause = up ? (added ? 'hold_added' : 'breaker') : released ? 'hold_released' : 'breaker';
      events.push({ kind: 'trading_state', at: now, scope, from, to, cause, reason, settings });
      actions.push({
        kind: 'set_trading_state',
        id: `state|${key}|${to}@${now}`,
        scope,
        state: to,
        reason,
      });
    }
    // ACTIVE with a closed breaker and no holds is the default: not stored, so the state stays small.
    if (to === 'ACTIVE' && holds.length === 0 && breaker.state === 'CLOSED') continue;
    scopes[key] = { scope, trading: to, since, holds, breaker };
  }

  // ---- Rules that report the state after this evaluation's transitions (alerts only) ----
  const after = RULES.filter((r) => r.level === 'account' && r.stage === 'after-transitions' && !disabled.has(r.id));
  if (after.length > 0) {
    const updated: RiskState = { ...state, scopes };
    for (const rule of after)
      for (const ctx of contexts)
        for (const f of (rule as AccountRule).evaluate({ ...ctx, state: updated }, settings)) {
          findings.push(f);
          if (f.action.kind === 'alert') alert(f);
        }
  }

  // ---- Cancels: risk-increasing open orders in every scope that is not ACTIVE ----
  const cancelReason = new Map<string, { orders: string[]; reason: RiskReason; venue: OpenOrder['venue']; accountId: string }>();
  const notActive = (k: string) => {
    const s = scopes[k];
    return s && s.trading !== 'ACTIVE' ? s : undefined;
  };
  for (const ctx of contexts) {
    if (Object.keys(scopes).length === 0) break;
    for (const o of ctx.view.openOrders) {
      if (isProtectiveOrder(o)) continue;
      // Account, then symbol, then strategy (keys as keys.ts builds them).
      const sc = notActive(ctx.key) ?? notActive(`${ctx.key}:${o.symbol}`) ?? notActive(`strategy:${o.strategyId}`);
      if (!sc) continue;
      const key = cancelKey(ctx.key, o.orderId);
      const prev = issuedPrev[key];
      if (prev && now - prev.at < timeout) {
        issued[key] = prev;
        continue;
      }
      issued[key] = { account: ctx.key, at: now, size: null, done: false };
      let group = cancelReason.get(ctx.key);
      const reason: RiskReason = sc.holds[0]?.reason ?? sc.breaker.reason ?? { code: 'trading_state', scope: sc.scope, state: sc.trading as 'REDUCING' | 'HALTED' };
      if (!group) cancelReason.set(ctx.key, (group = { orders: [], reason, venue: o.venue, accountId: o.accountId }));
      group.orders.push(o.orderId);
    }
  }
  for (const [acct, g] of cancelReason)
    actions.push({ kind: 'cancel_orders', id: `cancel|${acct}@${now}`, venue: g.venue, accountId: g.accountId, orderIds: g.orders, reason: g.reason });

  // ---- Carry over what is still pending ----
  for (const key in issuedPrev) {
    if (issued[key]) continue;
    const v = issuedPrev[key]!;
    if (v.account !== null ? !evaluated.has(v.account) : !strategyRulesRan) {
      issued[key] = v; // not evaluated this round
      continue;
    }
    const bar = key.indexOf('|');
    const tag = key.slice(0, bar);
    if (tag === 'close' || tag === 'partial') {
      // Kept while the position lives: a partial that executed stays done; a close stays pending until it times out.
      const p = positionsByKey().get(key.slice(bar + 1, key.indexOf('|', bar + 1)));
      if (p && (v.done || (tag === 'partial' && v.size !== Math.abs(p.size)) || now - v.at < timeout))
        issued[key] = tag === 'partial' && v.size !== Math.abs(p.size) && !v.done ? { ...v, done: true } : v;
    }
    // Alerts and cooling markers end with their finding; cancels are re-checked above.
  }

  return {
    findings,
    actions,
    events,
    nextState: { version: 1, scopes, peaks, trails, issued, accounts, strategyBaselines: state.strategyBaselines },
  };
}

/**
 * The account's trails after this evaluation: the best price so far per position. The previous record is returned as
 * is when nothing changed (the common case between price extremes), so the state is not rebuilt on every tick.
 */
function nextTrails(ctx: AccountContext, prev: Record<string, SymbolTrails> | undefined, now: number): Record<string, SymbolTrails> {
  const bestOf = (start: number, p: Position) =>
    p.markPrice === null ? start : p.side === 'long' ? Math.max(start, p.markPrice) : Math.min(start, p.markPrice);
  if (prev) {
    let same = true;
    for (const p of ctx.positions) {
      const old = prev[p.symbol]?.[p.side];
      if (!old || bestOf(old.best, p) !== old.best) {
        same = false;
        break;
      }
    }
    if (same) {
      let n = 0;
      for (const s in prev) n += (prev[s]!.long ? 1 : 0) + (prev[s]!.short ? 1 : 0);
      if (n === ctx.positions.length) return prev;
    }
  }
  const next: Record<string, SymbolTrails> = {};
  for (const p of ctx.positions) {
    const old = prev?.[p.symbol]?.[p.side];
    const best = bestOf(old ? old.best : p.entryPrice, p);
    // Unchanged entries are shared with the previous state (it is never mutated).
    (next[p.symbol] ??= {})[p.side] = old && old.best === best ? old : { best, firstSeen: old ? old.firstSeen : now };
  }
  return next;
}

function advanceBreaker(
  b: Breaker,
  breach: Finding | null,
  now: number,
  cooling: number,
  clean: number,
  emit: (from: Breaker['state'], to: Breaker['state'], cause: 'breach' | 'cooling_elapsed' | 'clean_interval', reason: RiskReason | null) => void,
): Breaker {
  let cur = b;
  if (cur.state === 'OPEN' && cur.until !== null && now >= cur.until) {
    emit('OPEN', 'HALF_OPEN', 'cooling_elapsed', cur.reason);
    cur = { ...cur, state: 'HALF_OPEN', since: now, until: null };
  }
  if (cur.state === 'HALF_OPEN' && !breach && now - Math.max(cur.since, cur.lastBreachAt ?? 0) >= clean) {
    emit('HALF_OPEN', 'CLOSED', 'clean_interval', cur.reason);
    cur = closedBreaker(now);
  }
  if (breach && cur.state !== 'OPEN') {
    emit(cur.state, 'OPEN', 'breach', breach.reason);
    cur = { state: 'OPEN', since: now, until: now + cooling, lastBreachAt: now, reason: breach.reason };
  }
  return cur;
}
