/**
 * The engine: evaluate(views, history, state, settings, now) runs every enabled rule over every account in one call
 * and turns the findings into commands and the next state.
 *
 * - Deterministic: the output depends only on the arguments (no clock, no randomness, insertion-ordered records).
 * - Idempotent: evaluating the same input again with the returned state asks for nothing new, because every command
 *   is recorded in state.issued and not repeated while it is pending (a close is pending until the position's size
 *   changes or engine.pendingTimeoutSec passes; an alert until its finding goes away).
 * - Trading state per scope comes from holds and the circuit breaker (state.ts); every change is an event.
 * - The next state shares what did not change with the previous one (records, entries, holds): neither may be mutated.
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
import { isProtectiveOrder, oneWayExits } from './orders';
import { RULES, type AccountRule } from './rules';
import { strategyStandings } from './rules/strategy-kill-switch';
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

/**
 * A record of the next state (issued, scopes) built against the previous state's record: while every write repeats
 * the previous record's next entry (same key, same object, same order) nothing is copied, and when the writes cover
 * the whole previous record it is returned as is. Between ticks these records rarely change, so the state is shared
 * instead of rebuilt (less garbage, and a live set that stays in the old generation).
 */
class NextRecord<V> {
  /** Entries written so far, while they are the previous record's first `matched` entries. */
  private matched = 0;
  private out: Record<string, V> | null = null;

  constructor(
    private readonly prev: Readonly<Record<string, V>>,
    /** Object.keys(prev). */
    readonly prevKeys: readonly string[],
  ) {}

  get(key: string): V | undefined {
    if (this.out !== null) return this.out[key];
    // The next previous key is not written yet; a key the previous record lacks is not written either.
    if (this.prevKeys[this.matched] === key || this.prev[key] === undefined) return undefined;
    return this.copy()[key];
  }

  /** Whether prevKeys[i] has been written. */
  wrote(i: number): boolean {
    return this.out === null ? i < this.matched : this.out[this.prevKeys[i]!] !== undefined;
  }

  set(key: string, value: V): void {
    if (this.out === null) {
      if (this.prevKeys[this.matched] === key && this.prev[key] === value) {
        this.matched++;
        return;
      }
      this.copy();
    }
    this.out![key] = value;
  }

  result(): Record<string, V> {
    if (this.out === null && this.matched === this.prevKeys.length) return this.prev as Record<string, V>;
    return this.copy();
  }

  private copy(): Record<string, V> {
    if (this.out === null) {
      const out: Record<string, V> = {};
      for (let i = 0; i < this.matched; i++) {
        const k = this.prevKeys[i]!;
        out[k] = this.prev[k]!;
      }
      this.out = out;
    }
    return this.out;
  }
}

/** Same own keys with the same values (Object.is): flat records such as reasons; nested objects must be identical. */
function sameFlat(a: object, b: object): boolean {
  if (a === b) return true;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (!Object.is(x[k], y[k]) || !hasOwn(y, k)) return false;
    n++;
  }
  for (const _ in y) n--;
  return n === 0;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Number of own enumerable keys (small records only). */
function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/** The account key a gate scope belongs to; null for strategies (they span accounts). */
function scopeAccount(scope: GateScope): string | null {
  return scope.kind === 'strategy' ? null : accountKey(scope.venue, scope.accountId);
}

interface ScopeWork {
  scope: GateScope;
  /** Holds asked for this round, by rule (condition holds are replaced, others added once). */
  holds: Map<string, Omit<Hold, 'since'> | typeof TAKEN>;
  breach: Finding | null;
}

/** Marks a hold asked for that a held one already covers (a delete would shrink, i.e. reallocate, the Map). */
const TAKEN = null;

/*
 * The effective strategy lookup for a strategy table and settings, memoised by the table's identity (like the fills:
 * the background hands in a fresh array when the table changes and never mutates one it passed).
 */
const strategyLookups = new WeakMap<readonly Strategy[], { settings: RiskSettings; lookup: (id: string) => EffectiveStrategy }>();

function strategyLookup(rows: readonly Strategy[], settings: RiskSettings): (id: string) => EffectiveStrategy {
  const hit = strategyLookups.get(rows);
  if (hit && hit.settings === settings) return hit.lookup;
  const table = new Map<string, Strategy>();
  for (const row of rows) table.set(row.strategyId, row);
  const memo = new Map<string, EffectiveStrategy>();
  const lookup = (id: string) => {
    let st = memo.get(id);
    if (!st) memo.set(id, (st = effectiveStrategy(id, table, settings)));
    return st;
  };
  strategyLookups.set(rows, { settings, lookup });
  return lookup;
}

/**
 * One evaluation's working state and its steps after the rules ran. Methods rather than closures (none built per
 * call), and small ones: a rarely taken path that deoptimizes costs its own step, not the whole evaluation.
 */
class Round {
  readonly issued: NextRecord<Issued>;
  readonly actions: EngineAction[] = [];
  readonly events: RiskEvent[] = [];
  readonly work = new Map<string, ScopeWork>();
  readonly evaluated = new Set<string>();
  /** Whether the strategy (portfolio) rules ran: strategy scopes are only re-evaluated then. */
  readonly strategyRulesRan: boolean;
  readonly timeout: number;
  /** Entries in the scopes record advanceScopes returned. */
  scopeCount = 0;
  /** `account|strategy|symbol`: a strategy's orders on a symbol outside its Symbol column, to cancel. */
  symbolBans: Map<string, RiskReason> | null = null;
  /** Positions a full close was asked for this round (built on the first close). */
  private closing: Set<string> | null = null;
  private byKey: Map<string, Position> | null = null;
  private fresh: Set<Position> | null = null;

  constructor(
    readonly contexts: readonly AccountContext[],
    readonly state: RiskState,
    readonly settings: RiskSettings,
    readonly now: number,
  ) {
    this.issued = new NextRecord<Issued>(state.issued, Object.keys(state.issued));
    for (const c of contexts) this.evaluated.add(c.key);
    let ran = false;
    for (const r of RULES) if (r.level === 'portfolio' && !settings.rules.disabled.includes(r.id)) ran = true;
    this.strategyRulesRan = ran;
    this.timeout = settings.engine.pendingTimeoutSec * 1000;
  }

  /** Positions by key, built on first use: only closes and pending closes need them. */
  positionsByKey(): Map<string, Position> {
    if (!this.byKey) {
      const byKey = new Map<string, Position>();
      for (const ctx of this.contexts) for (const p of ctx.positions) byKey.set(positionKey(p.venue, p.accountId, p.symbol, p.side), p);
      this.byKey = byKey;
    }
    return this.byKey;
  }

  /**
   * A position without a trail of its own (context.ts): new since the last evaluation, or one that replaced an earlier
   * position on its symbol and side. The close and partial-close markers of that earlier position are not its own.
   * Built on first use: only closes and pending closes ask.
   */
  isNew(p: Position): boolean {
    if (!this.fresh) {
      const fresh = new Set<Position>();
      for (const ctx of this.contexts) for (let i = 0; i < ctx.positions.length; i++) if (ctx.trails[i] === undefined) fresh.add(ctx.positions[i]!);
      this.fresh = fresh;
    }
    return this.fresh.has(p);
  }

  workFor(scope: GateScope): ScopeWork {
    const k = scopeKey(scope);
    let w = this.work.get(k);
    if (!w) this.work.set(k, (w = { scope, holds: new Map(), breach: null }));
    return w;
  }

  /** Findings -> holds, breaches, commands. */
  apply(findings: readonly Finding[]): void {
    const { issued, now } = this;
    const issuedPrev = this.state.issued;
    // Partial closes wait until every full close of this evaluation is known.
    let partials: Finding[] | null = null;
    let partialPositions: Position[] | null = null;
    for (let fi = 0; fi < findings.length; fi++) {
      const f = findings[fi]!;
      const a = f.action;
      // Only holds, halts, cooling-offs and breaches act on the gate scope: alerts and closes do not need it.
      const gateOrNull = a.kind === 'reduce_only' || a.kind === 'halt' || a.kind === 'cooling_off' || f.breach ? gateScopeOf(f.scope) : null;
      const gate = gateOrNull as GateScope; // read only on the paths above
      switch (a.kind) {
        case 'alert':
          this.alert(f);
          break;
        case 'partial_close':
        case 'close_position': {
          if (f.scope.kind !== 'position') break;
          const p = this.positionsByKey().get(scopeKey(f.scope));
          if (!p) break;
          if (a.kind === 'close_position') this.requestClose(p, true, 100, f.reason);
          else {
            (partials ??= []).push(f);
            (partialPositions ??= []).push(p);
          }
          break;
        }
        case 'reduce_only':
          this.workFor(gate).holds.set(f.rule, { id: f.rule, rule: f.rule, level: 'REDUCING', release: 'condition', reason: f.reason });
          break;
        case 'halt':
          this.workFor(gate).holds.set(f.rule, { id: f.rule, rule: f.rule, level: 'HALTED', release: a.until, reason: f.reason });
          if (a.flatten) for (const p of this.positionsIn(gate)) this.requestClose(p, true, 100, f.reason);
          break;
        case 'cooling_off': {
          // Once per occurrence: the marker lives while the finding does, so a lasting finding does not re-extend it.
          const key = `cool|${scopeKey(gate)}|${f.rule}`;
          const prev = issuedPrev[key];
          issued.set(key, prev ?? { account: scopeAccount(gate), at: now, size: null, done: false });
          if (!prev) this.workFor(gate).holds.set(`${f.rule}#cool`, { id: `${f.rule}#cool`, rule: f.rule, level: 'HALTED', release: now + a.minutes * 60_000, reason: f.reason });
          break;
        }
        case 'cancel_orders':
          // Cancels follow from the trading state below, for every scope that is not ACTIVE; and for a strategy limited
          // to another symbol, its orders on this one (strategy-limits.ts).
          if (f.reason.code === 'strategy_symbol' && f.scope.kind === 'symbol')
            (this.symbolBans ??= new Map()).set(`${accountKey(f.scope.venue, f.scope.accountId)}|${f.reason.strategyId}|${f.scope.symbol}`, f.reason);
          break;
      }
      if (f.breach) {
        const w = this.workFor(gate);
        w.breach ??= f;
      }
    }
    if (partials && partialPositions)
      for (let i = 0; i < partials.length; i++) {
        const f = partials[i]!;
        this.requestClose(partialPositions[i]!, false, (f.action as { pct: number }).pct, f.reason);
      }
  }

  requestClose(p: Position, full: boolean, pct: number, reason: RiskReason): void {
    const { issued, now, timeout } = this;
    const closing = (this.closing ??= new Set());
    const issuedPrev = this.state.issued;
    const pk = positionKey(p.venue, p.accountId, p.symbol, p.side);
    const size = Math.abs(p.size);
    const acct = accountKey(p.venue, p.accountId);
    // Markers left by an earlier position on this symbol and side are not this one's.
    const own = !this.isNew(p);
    if (full) {
      if (closing.has(pk)) return;
      closing.add(pk);
      const key = `close|${pk}|`;
      const prev = own ? issuedPrev[key] : undefined;
      // Pending: same size and not timed out. A changed size means the last close (partly) executed: ask for the rest.
      if (prev && prev.size === size && now - prev.at < timeout) {
        issued.set(key, prev);
        return;
      }
      issued.set(key, { account: acct, at: now, size, done: false });
      this.actions.push({ kind: 'close_position', id: `${key}@${now}`, venue: p.venue, accountId: p.accountId, symbol: p.symbol, side: p.side, size, pct: 100, reason });
      return;
    }
    // A full close asked for now, or still pending, makes a partial close moot.
    if (closing.has(pk)) return;
    const pendingClose = own ? issuedPrev[`close|${pk}|`] : undefined;
    if (pendingClose && pendingClose.size === size && now - pendingClose.at < timeout) return;
    // One partial close per position while it lives: once its size changed, the next tier is the full close.
    const key = `partial|${pk}|`;
    if (issued.get(key)) return;
    const prev = own ? issuedPrev[key] : undefined;
    if (prev && (prev.done || prev.size !== size)) {
      issued.set(key, prev.done ? prev : { ...prev, done: true });
      return;
    }
    if (prev && now - prev.at < timeout) {
      issued.set(key, prev);
      return;
    }
    issued.set(key, { account: acct, at: now, size, done: false });
    this.actions.push({ kind: 'partial_close', id: `${key}@${now}`, venue: p.venue, accountId: p.accountId, symbol: p.symbol, side: p.side, size: (size * pct) / 100, pct, reason });
  }

  positionsIn(scope: GateScope): Position[] {
    const out: Position[] = [];
    for (const ctx of this.contexts)
      for (const p of ctx.positions) {
        if (scope.kind === 'strategy' ? p.strategyId === scope.strategyId : p.venue === scope.venue && p.accountId === scope.accountId && (scope.kind === 'account' || p.symbol === scope.symbol))
          out.push(p);
      }
    return out;
  }

  alert(f: Finding): void {
    const key = alertKey(f);
    if (this.issued.get(key)) return;
    const prev = this.state.issued[key];
    this.issued.set(key, prev ?? { account: scopeAccount(gateScopeOf(f.scope)), at: this.now, size: null, done: false });
    if (!prev) this.actions.push({ kind: 'alert', id: `${key}@${this.now}`, finding: f });
  }

  /** Scopes: holds, breakers, trading state. */
  advanceScopes(): Record<string, ScopeState> {
    const { work, now, settings, events, actions } = this;
    const prevScopes = this.state.scopes;
    const keys = Object.keys(prevScopes);
    const next = new NextRecord<ScopeState>(prevScopes, keys.slice());
    if (work.size > 0) for (const k of work.keys()) if (!hasOwn(prevScopes, k)) keys.push(k);
    const cooling = settings.behaviour.coolingOffMin * 60_000;
    const clean = settings.behaviour.cleanIntervalMin * 60_000;

    for (const key of keys) {
      const prev = prevScopes[key];
      const w = work.get(key);
      const scope = (prev?.scope ?? w?.scope)!;
      const acct = scopeAccount(scope);
      // Scopes of accounts not in this evaluation keep their state untouched (their rules did not run).
      if (prev && (acct === null ? !this.strategyRulesRan : !this.evaluated.has(acct))) {
        next.set(key, prev);
        this.scopeCount++;
        continue;
      }
      const holds: Hold[] = [];
      let added: Hold | null = null;
      let released: Hold | null = null;
      const prevHolds = prev?.holds ?? [];
      for (let i = 0; i < prevHolds.length; i++) {
        const h = prevHolds[i]!;
        const want = w?.holds.get(h.id);
        if (h.release === 'condition') {
          if (want && want.release === 'condition') {
            // The same hold as before is kept as is (it is what the copy would equal).
            holds.push(sameHold(h, want) ? h : { ...want, since: h.since });
            w!.holds.set(h.id, TAKEN);
          } else released ??= h;
        } else if (h.release === 'manual' || h.release > now) {
          // A lasting finding does not stack a second timed or manual hold on the one in force.
          holds.push(h);
          if (want) w!.holds.set(h.id, TAKEN);
        } else released ??= h;
      }
      if (w && w.holds.size > 0)
        for (const want of w.holds.values()) {
          if (want === TAKEN) continue;
          if (typeof want.release === 'number' && want.release <= now) continue;
          const h: Hold = { ...want, since: now };
          holds.push(h);
          added ??= h;
        }

      const breaker = advanceBreaker(prev?.breaker ?? closedBreaker(now), w?.breach ?? null, now, cooling, clean, events, scope, settings);
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
      this.scopeCount++;
      next.set(
        key,
        prev && prev.scope === scope && prev.trading === to && Object.is(prev.since, since) && prev.breaker === breaker && prev.holds != null && sameList(prev.holds, holds) && keyCount(prev) === 5
          ? prev
          : { scope, trading: to, since, holds, breaker },
      );
    }
    return next.result();
  }

  /** Rules that report the state after this evaluation's transitions (alerts only). */
  afterTransitions(scopes: Record<string, ScopeState>, findings: Finding[]): void {
    const { state, settings } = this;
    let updated: RiskState | null = null;
    for (const rule of RULES) {
      if (rule.level !== 'account' || rule.stage !== 'after-transitions' || settings.rules.disabled.includes(rule.id)) continue;
      // Unchanged scopes: the state before is the state after, so the contexts serve as they are.
      updated ??= scopes === state.scopes ? state : { ...state, scopes };
      for (const ctx of this.contexts) {
        const out = (rule as AccountRule).evaluate(updated === state ? ctx : { ...ctx, state: updated }, settings);
        for (let i = 0; i < out.length; i++) {
          const f = out[i]!;
          findings.push(f);
          if (f.action.kind === 'alert') this.alert(f);
        }
      }
    }
  }

  /**
   * Cancels: risk-increasing open orders in every scope that is not ACTIVE. Orders that can only reduce are kept:
   * reduce-only, the closing side in hedge mode, and one-way exits without the flag (orders.ts oneWayExits).
   */
  cancelOrders(scopes: Record<string, ScopeState>): void {
    const { issued, now, timeout } = this;
    const issuedPrev = this.state.issued;
    let cancelReason: Map<string, { orders: string[]; reason: RiskReason; venue: OpenOrder['venue']; accountId: string }> | null = null;
    for (const ctx of this.contexts) {
      const orders = ctx.view.openOrders;
      // Built for the account on the first order it would cancel.
      let exits: Set<OpenOrder> | null = null;
      for (let i = 0; i < orders.length; i++) {
        const o = orders[i]!;
        if (isProtectiveOrder(o)) continue;
        // Account, then symbol, then strategy (keys as keys.ts builds them).
        const sc = notActive(scopes, ctx.key) ?? notActive(scopes, `${ctx.key}:${o.symbol}`) ?? notActive(scopes, `strategy:${o.strategyId}`);
        const ban = sc || !this.symbolBans ? undefined : this.symbolBans.get(`${ctx.key}|${o.strategyId}|${o.symbol}`);
        if (!sc && !ban) continue;
        if (o.positionSide === null && (exits ??= oneWayExits(orders, ctx.positions)).has(o)) continue;
        const key = cancelKey(ctx.key, o.orderId);
        const prev = issuedPrev[key];
        if (prev && now - prev.at < timeout) {
          issued.set(key, prev);
          continue;
        }
        issued.set(key, { account: ctx.key, at: now, size: null, done: false });
        cancelReason ??= new Map();
        let group = cancelReason.get(ctx.key);
        const reason: RiskReason = sc ? (sc.holds[0]?.reason ?? sc.breaker.reason ?? { code: 'trading_state', scope: sc.scope, state: sc.trading as 'REDUCING' | 'HALTED' }) : ban!;
        if (!group) cancelReason.set(ctx.key, (group = { orders: [], reason, venue: o.venue, accountId: o.accountId }));
        group.orders.push(o.orderId);
      }
    }
    if (cancelReason)
      for (const [acct, g] of cancelReason)
        this.actions.push({ kind: 'cancel_orders', id: `cancel|${acct}@${now}`, venue: g.venue, accountId: g.accountId, orderIds: g.orders, reason: g.reason });
  }

  /** Carry over what is still pending. */
  carryOver(): void {
    const { issued, now, timeout } = this;
    const issuedPrev = this.state.issued;
    const prevKeys = issued.prevKeys;
    for (let i = 0; i < prevKeys.length; i++) {
      if (issued.wrote(i)) continue;
      const key = prevKeys[i]!;
      const v = issuedPrev[key]!;
      if (v.account !== null ? !this.evaluated.has(v.account) : !this.strategyRulesRan) {
        issued.set(key, v); // not evaluated this round
        continue;
      }
      const bar = key.indexOf('|');
      const close = tagIs(key, bar, 'close');
      const partial = !close && tagIs(key, bar, 'partial');
      if (close || partial) {
        // Kept while the position lives: a partial that executed stays done; a close stays pending until it times out.
        // Dropped when the position there now is a new one (it did not inherit the earlier position's trail).
        const p = this.positionsByKey().get(key.slice(bar + 1, key.indexOf('|', bar + 1)));
        if (p && !this.isNew(p) && (v.done || (partial && v.size !== Math.abs(p.size)) || now - v.at < timeout))
          issued.set(key, partial && v.size !== Math.abs(p.size) && !v.done ? { ...v, done: true } : v);
      }
      // Alerts and cooling markers end with their finding; cancels are re-checked above.
    }
  }
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
  const strategy = strategyLookup(history.strategies, settings);
  const fills = fillsByAccount(history.fills);
  const contexts: AccountContext[] = [];
  for (const v of views)
    contexts.push(buildAccountContext(v, fills.get(accountKey(v.account.venue, v.account.accountId)) ?? NO_FILLS, history, strategy, state, settings, now));

  // ---- Rules ----
  const portfolio: PortfolioContext = { now, accounts: contexts, strategies: history.strategies, strategy, state };
  const findings = runRules(contexts, portfolio, settings);

  // ---- Findings -> holds, breaches, commands; scopes; cancels ----
  const round = new Round(contexts, state, settings, now);
  round.apply(findings);
  const scopes = round.advanceScopes();
  round.afterTransitions(scopes, findings);
  // Nothing to cancel while every scope is ACTIVE (none stored).
  if (round.scopeCount > 0 || round.symbolBans) round.cancelOrders(scopes);
  round.carryOver();

  return {
    findings,
    actions: round.actions,
    events: round.events,
    nextState: {
      version: 1,
      scopes,
      peaks: nextPeaks(contexts, state.peaks),
      trails: nextTrailRecords(contexts, state.trails, now),
      issued: round.issued.result(),
      accounts: nextAccounts(contexts, state.accounts, now),
      strategyBaselines: state.strategyBaselines,
      strategyPeaks: nextStrategyPeaks(portfolio, state.strategyPeaks ?? {}),
      cashFlows: state.cashFlows,
    },
  };
}

/** Every enabled rule over every account (account rules) or over all of them (portfolio rules), in registry order. */
function runRules(contexts: readonly AccountContext[], portfolio: PortfolioContext, settings: RiskSettings): Finding[] {
  const disabled = settings.rules.disabled;
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (disabled.includes(rule.id) || (rule.level === 'account' && rule.stage)) continue;
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
  return findings;
}

// The trackers below copy their record on the first change only: an unchanged record is the previous state's own.

function nextPeaks(contexts: readonly AccountContext[], prev: Record<string, number>): Record<string, number> {
  let peaks = prev;
  for (const ctx of contexts) {
    const k = ctx.key;
    const peak = ctx.metrics.peakEquity;
    if (!hasOwn(peaks, k) || !Object.is(peaks[k], peak)) {
      if (peaks === prev) peaks = { ...prev };
      peaks[k] = peak;
    }
  }
  return peaks;
}

/** The strategies' high-water marks after this evaluation (strategy-kill-switch.ts); the previous record when none rose. */
function nextStrategyPeaks(portfolio: PortfolioContext, prev: Record<string, number>): Record<string, number> {
  let peaks = prev;
  for (const [id, { peak }] of strategyStandings(portfolio)) {
    if (peak <= 0 || Object.is(prev[id], peak)) continue;
    if (peaks === prev) peaks = { ...prev };
    peaks[id] = peak;
  }
  return peaks;
}

function nextTrailRecords(
  contexts: readonly AccountContext[],
  prev: Record<string, Record<string, SymbolTrails>>,
  now: number,
): Record<string, Record<string, SymbolTrails>> {
  let trails = prev;
  for (const ctx of contexts) {
    const k = ctx.key;
    const trail = nextTrails(ctx, prev[k], now);
    if (!hasOwn(trails, k) || trails[k] !== trail) {
      if (trails === prev) trails = { ...prev };
      trails[k] = trail;
    }
  }
  return trails;
}

function nextAccounts(contexts: readonly AccountContext[], prev: Record<string, AccountSummary>, now: number): Record<string, AccountSummary> {
  let accounts = prev;
  for (const ctx of contexts) {
    const k = ctx.key;
    const was = prev[k];
    let lastLoss: AccountSummary['lastLoss'] = null;
    for (let i = ctx.closedTrades.length - 1; i >= 0; i--) {
      const t = ctx.closedTrades[i]!;
      if (t.pnl < 0) {
        const l = was?.lastLoss;
        lastLoss = l && Object.is(l.time, t.time) && l.symbol === t.symbol && Object.is(l.notional, t.notional) && keyCount(l) === 3 ? l : { time: t.time, symbol: t.symbol, notional: t.notional };
        break;
      }
    }
    const { riskScore, losingStreak } = ctx.metrics;
    const summary: AccountSummary =
      was && Object.is(was.at, now) && Object.is(was.riskScore, riskScore) && Object.is(was.losingStreak, losingStreak) && was.lastLoss === lastLoss && keyCount(was) === 4
        ? was
        : { at: now, riskScore, losingStreak, lastLoss };
    if (!hasOwn(accounts, k) || accounts[k] !== summary) {
      if (accounts === prev) accounts = { ...prev };
      accounts[k] = summary;
    }
  }
  return accounts;
}

/** The scope's state when it is not ACTIVE. */
function notActive(scopes: Readonly<Record<string, ScopeState>>, k: string): ScopeState | undefined {
  const s = scopes[k];
  return s && s.trading !== 'ACTIVE' ? s : undefined;
}

/** `key.slice(0, bar) === tag` (bar: the first '|'), without slicing. */
function tagIs(key: string, bar: number, tag: string): boolean {
  return bar < 0 ? key.slice(0, bar) === tag : bar === tag.length && key.startsWith(tag);
}

/** A held condition hold equals the copy `{ ...want, since: h.since }` would make. */
function sameHold(h: Hold, want: Omit<Hold, 'since'>): boolean {
  return h.id === want.id && h.rule === want.rule && h.level === want.level && h.release === want.release && sameFlat(h.reason, want.reason) && hasOwn(h, 'since') && keyCount(h) === 6;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The account's trails after this evaluation: the best price so far per position, with the entry and |size| that tie
 * it to the position. The previous record is returned as is when nothing changed (the common case between price
 * extremes), so the state is not rebuilt on every tick.
 */
function nextTrails(ctx: AccountContext, prev: Record<string, SymbolTrails> | undefined, now: number): Record<string, SymbolTrails> {
  const positions = ctx.positions;
  // The best price so far, inline (a helper returning a double would box it on every position).
  if (prev) {
    let same = true;
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      const old = ctx.trails[i]; // prev[p.symbol]?.[p.side], looked up once in the context
      if (!old) {
        same = false;
        break;
      }
      const m = p.markPrice;
      const best = m === null ? old.best : p.side === 'long' ? Math.max(old.best, m) : Math.min(old.best, m);
      if (best !== old.best || old.entry !== p.entryPrice || old.size !== Math.abs(p.size)) {
        same = false;
        break;
      }
    }
    if (same && trailCount(prev) === positions.length) return prev;
  }
  const next: Record<string, SymbolTrails> = {};
  let n = 0;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    // The position's own trail (a trail of an earlier position on this symbol and side is not: context.ts, trails.ts).
    const old = ctx.trails[i];
    const m = p.markPrice;
    const start = old ? old.best : p.entryPrice;
    const best = m === null ? start : p.side === 'long' ? Math.max(start, m) : Math.min(start, m);
    const entry = p.entryPrice;
    const size = Math.abs(p.size);
    const sym = (next[p.symbol] ??= {});
    if (!sym[p.side] && (p.side === 'long' || p.side === 'short')) n++;
    // Unchanged entries are shared with the previous state (it is never mutated).
    sym[p.side] = old && old.best === best && old.entry === entry && old.size === size ? old : { best, firstSeen: old ? old.firstSeen : now, entry, size };
  }
  trailCounts.set(next, n);
  return next;
}

/*
 * Trails per account record, by the record's identity: state records are never mutated, and counting a record of
 * many symbols (kept in dictionary mode) allocates its key list on every evaluation.
 */
const trailCounts = new WeakMap<object, number>();

function trailCount(rec: Record<string, SymbolTrails>): number {
  let n = trailCounts.get(rec);
  if (n === undefined) {
    n = 0;
    for (const s in rec) n += (rec[s]!.long ? 1 : 0) + (rec[s]!.short ? 1 : 0);
    trailCounts.set(rec, n);
  }
  return n;
}

function advanceBreaker(
  b: Breaker,
  breach: Finding | null,
  now: number,
  cooling: number,
  clean: number,
  events: RiskEvent[],
  scope: GateScope,
  settings: RiskSettings,
): Breaker {
  let cur = b;
  if (cur.state === 'OPEN' && cur.until !== null && now >= cur.until) {
    events.push({ kind: 'breaker', at: now, scope, from: 'OPEN', to: 'HALF_OPEN', cause: 'cooling_elapsed', reason: cur.reason, settings });
    cur = { ...cur, state: 'HALF_OPEN', since: now, until: null };
  }
  if (cur.state === 'HALF_OPEN' && !breach && now - Math.max(cur.since, cur.lastBreachAt ?? 0) >= clean) {
    events.push({ kind: 'breaker', at: now, scope, from: 'HALF_OPEN', to: 'CLOSED', cause: 'clean_interval', reason: cur.reason, settings });
    cur = closedBreaker(now);
  }
  if (breach && cur.state !== 'OPEN') {
    events.push({ kind: 'breaker', at: now, scope, from: cur.state, to: 'OPEN', cause: 'breach', reason: breach.reason, settings });
    cur = { state: 'OPEN', since: now, until: now + cooling, lastBreachAt: now, reason: breach.reason };
  }
  return cur;
}
