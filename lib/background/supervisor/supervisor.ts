/**
 * The background risk loop. It loads accounts and settings from IndexedDB, runs one adapter per account, folds every
 * push into the live picture, runs the engine on each change, writes the resulting state before acting on it, and
 * carries out what the engine asks for according to each account's (or strategy's) enforcement mode:
 *   monitor: alerts only;   guard: alerts, and the pages block risk-increasing orders;
 *   enforce: also cancels risk-increasing orders and reduces or closes positions through the API; while an account
 *            is HALTED, a position opened or enlarged from anywhere else is closed back to its size at the halt (or
 *            the smaller size it was seen at since; nothing after a flatten).
 * Free of chrome.*: the entry point passes notifications, the badge and alarms in as functions.
 */
import { z } from 'zod';
import {
  applyFillToBook,
  attributeStrategy,
  AttributionRulesSchema,
  bookKey,
  describeShares,
  positionOwner,
  reconcileBook,
  type AttributionRule,
  type PositionBook,
  type PositionBooks,
} from '../../domain/attribution';
import { MANUAL_STRATEGY, type AccountSnapshot, type CashFlow, type Fill, type InstrumentRules, type OrderIntent, type Position, type Strategy, type Venue } from '../../domain/types';
import { backoffDelay } from '../../exchanges/common/backoff';
import { ExchangeError } from '../../exchanges/errors';
import type { AdapterFactory } from '../../exchanges/factory';
import type { AdapterEvent, BinanceCredentials, ExchangeAdapter, HyperliquidCredentials } from '../../exchanges/types';
import { emptyRiskView, type RiskView } from '../../messaging/risk-view';
import {
  accountKey,
  describeEvent,
  evaluate,
  formatReason,
  manualReset,
  periodBounds,
  protectiveOrders,
  recordCashFlow,
  type FlowBefore,
  scopeKey,
  scopeName,
  usd,
  validate,
  type AccountView,
  type EngineAction,
  type EvaluationHistory,
  type Finding,
  type GateScope,
  type LossPeriod,
  type PeriodStartValue,
  type RiskEvent,
  type RiskReason,
  type RiskSettings,
  type RiskState,
  type ValidationResult,
} from '../../risk';
import { GUARD_STRATEGY } from '../../pages/guard-intent';
import { withMeasuredGroups } from '../../risk/correlation-groups';
import { baseAsset } from '../../risk/keys';
import { addManualHold } from '../../risk/manual-hold';
import type { AccountRow, EnforcementMode, RingfenceDb } from '../../store/db';
import { saveFills } from '../../store/fills';
import { appendSnapshot, downsampleSnapshots } from '../../store/snapshots';
import type { AuditFn } from '../audit-fn';
import { ATTRIBUTION_KEY, STRATEGY_MODES_KEY } from '../strategies';
import type { Badge } from '../badge';
import { afterTask, nextTask } from '../next-task';
import { decideNotification, pruneNotifyState, releaseHeld } from '../notify-policy';
import { createExecutor } from './executor';
import { accountViewOf, applyEvent, markSymbols, newLiveAccount, type LiveAccount } from './live-account';
import {
  ensurePeriodStarts,
  loadExtras,
  loadPeriodStarts,
  loadPositionBooks,
  loadRiskState,
  saveExtras,
  saveOrders,
  savePositionBooks,
  savePositions,
  saveRiskState,
  type SupervisorExtras,
} from './persist';
import { buildRiskView } from './risk-view';

/** Equity curve resolution: at most one stored snapshot per account this often. */
export const SNAPSHOT_EVERY_MS = 10_000;
/**
 * Longest the first measurement of an account waits for the deposits and withdrawals made while it was not followed:
 * without them a withdrawal reads as a loss (a halt, and a flatten in enforce mode), so a slow venue or a busy worker at
 * wake (several reads at once) is waited for rather than measured without them.
 */
export const MISSED_FLOWS_WAIT_MS = 10_000;
/** Stored positions whose only change is the mark (and what follows from it) are rewritten at most this often. */
export const POSITION_MARKS_EVERY_MS = 5_000;
/** Fills kept in memory for the engine (losing streak, overtrading, revenge trades): the last week. */
const FILL_WINDOW_MS = 8 * 86_400_000;
const FRESHNESS_TICK_MS = 1_000;
const RECONNECT = { initialMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0.2 };
/** A catch-up after a gap is tried this often before the next reconnect has to do it. */
const CATCH_UP_ATTEMPTS = 6;
/** Fills are asked for from this long before the feed was lost (the venue's clock may be off; ids deduplicate). */
const CATCH_UP_MARGIN_MS = 60_000;
/** Fee assets valued 1:1 in dollars; a fee in any other asset is valued at a mark of that asset, or left out and said so. */
const USD_FEE_ASSETS: ReadonlySet<string> = new Set(['USDT', 'USDC', 'FDUSD', 'BUSD', 'USD']);

export interface DesktopNotification {
  id: string;
  title: string;
  message: string;
  severity: 'warning' | 'critical' | 'emergency';
  auditId: number | null;
}

export interface SupervisorDeps {
  db: RingfenceDb;
  now: () => number;
  makeAdapter: AdapterFactory;
  /** The account's secret from the vault; null when the vault is locked; throws what the vault reports otherwise. */
  secretOf: (row: AccountRow) => Promise<string | null>;
  /**
   * True the first time a problem (an account that cannot get its key) is reported since the vault last locked or
   * unlocked, so each is announced once per lock, across worker restarts. Absent: once per supervisor.
   */
  noticeOnce?: (key: string) => Promise<boolean>;
  audit: AuditFn;
  /** The risk settings in force. */
  settings: () => Promise<RiskSettings>;
  /** The market watch: ATR % per symbol and measured correlation groups for the engine. */
  market?: { atrPct(): Record<string, number>; correlated(threshold: number, assetOf: (symbol: string) => string): string[][] };
  /** The view state changed (risk picture, strategies table). */
  changed: (what: 'risk' | 'strategies') => void;
  notify?: (n: DesktopNotification) => void;
  setBadge?: (b: Badge) => void;
  /** Wakes the worker at this instant (chrome.alarms): cooling-off ends, breaks, period starts. null clears it. */
  wakeAt?: (when: number | null) => void;
  /** Milliseconds since the worker started (performance.now in a worker): recorded with the first evaluation. */
  uptime?: () => number;
  sleep?: (ms: number) => Promise<void>;
  log: (line: string) => void;
}

const VENUE = { binance: 'Binance', hyperliquid: 'Hyperliquid' } as const;
const StrategyModesSchema = z.record(z.string(), z.enum(['monitor', 'guard', 'enforce']));
const auditSeverity = (s: Finding['severity']) => s;
const findingKey = (f: Finding) => `${f.rule}|${scopeKey(f.scope)}|${f.severity}`;
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createSupervisor(deps: SupervisorDeps) {
  const { db, now, log } = deps;
  /**
   * The audit log, never throwing: a write the browser refuses (storage full, IndexedDB broken) must not stop a close,
   * a notification or the rest of an evaluation; it raises the storage alarm instead (storageFailed).
   */
  const audit: AuditFn = (...args) =>
    deps.audit(...args).catch((e: unknown) => {
      storageFailed(e);
      return undefined;
    });
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const live = new Map<string, LiveAccount>();
  let risk: RiskState;
  let extras: SupervisorExtras;
  let settings: RiskSettings;
  /** The settings as configured; `settings` (what the engine and the guard use) adds measured correlation groups. */
  let configured: RiskSettings;
  let strategies: Strategy[] = [];
  let rules: AttributionRule[] = [];
  let strategyModes: Record<string, EnforcementMode> = {};
  let fills: Fill[] = [];
  /** Per account: each position's shares by strategy, built from the attributed fills (lib/domain/attribution.ts). */
  let books: PositionBooks = {};
  const periodStarts: Record<string, Partial<Record<LossPeriod, PeriodStartValue>>> = {};
  /** Per account: the period starts (daily|weekly|monthly) its stored start values were last read for, and that read. */
  const startsRead = new Map<string, { key: string; done: Promise<void> }>();
  /** Per account: the positions last stored, as their shape without the mark-derived fields, and when. */
  const savedPositions = new Map<string, { shape: string; at: number }>();
  let findings: Finding[] = [];
  let evaluatedAt: number | null = null;
  let firstEvalRecorded = false;
  let stopped = false;
  const lastSnapshotAt = new Map<string, number>();
  const reconnectTimers = new Map<string, ReturnType<typeof setTimeout>>();
  // Nothing is pushed until the picture differs from the empty one every view starts with.
  let lastView = JSON.stringify(emptyRiskView());
  let view: RiskView | null = null;

  const executor = createExecutor({
    audit,
    adapterOf: (k) => live.get(k)?.adapter ?? null,
    sizeOf: (k, symbol, side) => live.get(k)?.positions.find((p) => p.symbol === symbol && p.side === side)?.size ?? 0,
    sleep,
    onFailure: (id, message) => notifyNow(`fail|${id}`, 'critical', 'Ringfence could not act', message, null),
  });

  // ---------- restore ----------

  const loadTables = async () => {
    const [rows, attr, modes] = await Promise.all([db.strategies.toArray(), db.settings.get(ATTRIBUTION_KEY), db.settings.get(STRATEGY_MODES_KEY)]);
    strategies = rows;
    const parsed = AttributionRulesSchema.safeParse(attr?.value ?? []);
    rules = parsed.success ? parsed.data : [];
    // Checked on the way in: a row a broken build wrote means no overrides, not a crash.
    const m = StrategyModesSchema.safeParse(modes?.value ?? {});
    strategyModes = m.success ? m.data : {};
  };

  const effectiveSettings = (): RiskSettings => {
    const above = configured.account.correlationAutoAbove;
    return above === null || !deps.market ? configured : withMeasuredGroups(configured, deps.market.correlated(above, baseAsset));
  };

  /** Everything the loop decides from is read back before anything is answered or evaluated. */
  const ready = (async () => {
    const since = now() - FILL_WINDOW_MS;
    // Independent reads, together (a cold start waits for the slowest, not for their sum).
    const [r, x, c, , recentFills, accounts, b] = await Promise.all([
      loadRiskState(db),
      loadExtras(db),
      deps.settings(),
      loadTables(),
      db.fills.where('time').aboveOrEqual(since).toArray(),
      db.accounts.toArray(),
      loadPositionBooks(db),
    ]);
    risk = r.value;
    if (r.problem) await audit('supervisor.state_unreadable', 'critical', `The stored risk state could not be read (${r.problem}); breakers and holds start afresh.`);
    books = b.value;
    if (b.problem) await audit('supervisor.state_unreadable', 'warning', `The strategies' position shares could not be read (${b.problem}); open positions go to the symbol rules' strategy until new fills show whose they are.`);
    extras = x.value;
    configured = c;
    settings = effectiveSettings();
    fills = recentFills.map(({ key: _k, account: _a, ...f }) => f);
    // The current periods' start values too, so the first evaluation after a restart waits for no read of its own.
    Object.assign(periodStarts, await loadPeriodStarts(db, accounts.map((a) => a.id), periodBounds(now(), settings.account.dayStart)));
  })();
  /** Accounts connect while the restore runs (a cold start) and wait for it here; false: it failed, nothing runs. */
  const restored = ready.then(() => true, () => false);

  // ---------- accounts ----------

  /** The venue's trading rules per symbol (lot, tick, minimum notional), asked once; null while unknown. */
  const instruments = new Map<string, InstrumentRules | null>();
  async function instrumentOf(l: LiveAccount, symbol: string): Promise<InstrumentRules | null> {
    const k = `${l.row.venue}:${symbol}`;
    if (instruments.has(k)) return instruments.get(k)!;
    if (!l.adapter) return null;
    try {
      const r = await l.adapter.instrument(symbol);
      instruments.set(k, r);
      return r;
    } catch (e) {
      // A failed read is asked again next time: sizes are then checked without rounding, never refused for it.
      log(`[ringfence] trading rules ${k}: ${errText(e)}`);
      return null;
    }
  }

  const strategyOf = (cid: string | null, symbol: string) => attributeStrategy(rules, cid, symbol);
  /** The strategy of what the book does not explain (and of orders placed on the page): the symbol rules'. */
  const fallbackOf = (symbol: string) => attributeStrategy(rules, null, symbol);

  /**
   * Gives each of the account's positions the strategy whose fills built it (positionOwner). The adapters attribute
   * positions by the symbol rules only (a position carries no client order id); this is where that is corrected, so
   * the engine, the closes, the modes and the views all see the position's own strategy. Returns whether any changed.
   */
  function attributePositions(l: LiveAccount): boolean {
    const book = books[l.row.id];
    let next: Position[] | null = null;
    l.positions.forEach((p, i) => {
      const id = positionOwner(book?.[bookKey(p.symbol, p.side)], p.size, fallbackOf(p.symbol));
      if (id === p.strategyId) return;
      next ??= l.positions.slice();
      next[i] = { ...p, strategyId: id };
    });
    if (next) l.positions = next;
    return next !== null;
  }

  /** Starts in flight per account: a heartbeat or a retry must not start a second adapter while one is being built. */
  const starting = new Map<string, number>();
  const isStarting = (id: string) => (starting.get(id) ?? 0) > 0;

  /** Per account: whether its adapter was built with the key it has (an account without a key is not in here). */
  const builtWithKey = new Map<string, boolean>();
  /** Per account whose adapter runs without the key it has: why, shown with it while it is live. */
  const keyNotes = new Map<string, string>();
  /** Accounts a sync found starting (the vault may have locked or unlocked under that start): synced again after it. */
  const syncAfterStart = new Set<string>();
  const noticed = new Set<string>();
  const noticeOnce = (key: string): Promise<boolean> =>
    deps.noticeOnce ? deps.noticeOnce(key).catch(() => true) : Promise.resolve(!noticed.has(key) && Boolean(noticed.add(key)));

  async function startAccount(row: AccountRow): Promise<void> {
    starting.set(row.id, (starting.get(row.id) ?? 0) + 1);
    try {
      await startAccountNow(row);
    } finally {
      const n = (starting.get(row.id) ?? 1) - 1;
      if (n > 0) starting.set(row.id, n);
      else {
        starting.delete(row.id);
        if (syncAfterStart.delete(row.id) && !stopped) void syncAccounts();
      }
    }
  }

  /** The account's key: the secret, or null with the vault's error (null error: the vault is locked). */
  async function keyOf(row: AccountRow): Promise<{ secret: string | null; error: string | null }> {
    if (!row.hasSecret) return { secret: null, error: null };
    try {
      return { secret: await deps.secretOf(row), error: null };
    } catch (e) {
      return { secret: null, error: errText(e) };
    }
  }

  /**
   * An account that has a key runs without it (Hyperliquid: monitored only) or not at all (Binance): one audit entry
   * and one desktop notification per account per lock (or per vault error), never silence.
   */
  async function announceNoKey(row: AccountRow, error: string | null) {
    if (!(await noticeOnce(`${row.id}|${error ?? 'locked'}`))) return;
    const name = `${VENUE[row.venue]} account ${row.label}`;
    const binance = row.venue === 'binance';
    const what = binance ? 'not monitored' : 'monitored only';
    const text =
      error === null
        ? binance
          ? `${name} is not monitored: the key vault is locked, so no limit, kill switch or flatten runs on it. Unlock the vault in Options > Accounts.`
          : `${name} is monitored only: the key vault is locked, so Ringfence cannot cancel, reduce or close on it, nor keep its dead-man's switch. Unlock the vault in Options > Accounts.`
        : `${name} is ${what}: its ${binance ? 'API secret' : 'API wallet key'} could not be read from the key vault: ${error}`;
    const severity = error === null ? 'warning' : 'critical';
    const entry = (await audit(error === null ? 'account.vault_locked' : 'account.key_unreadable', severity, text, undefined, { account: row.id })) as { id?: number } | undefined;
    notifyNow(`vault|${row.id}`, severity, `${row.label}: ${what}`, text, entry?.id ?? null);
  }

  async function startAccountNow(row: AccountRow): Promise<void> {
    const l = live.get(row.id) ?? newLiveAccount(row);
    l.row = row;
    live.set(row.id, l);
    const { secret, error } = await keyOf(row);
    if (row.hasSecret) builtWithKey.set(row.id, secret !== null);
    else builtWithKey.delete(row.id);
    keyNotes.delete(row.id);
    if (row.venue === 'binance' && !secret) {
      if (!(await restored)) return;
      if (error === null) {
        l.status = 'locked';
        l.statusText = 'The key vault is locked: unlock it in Options > Accounts to monitor this account.';
      } else {
        l.status = 'error';
        l.statusText = `The API secret could not be read from the key vault: ${error}`;
      }
      publish();
      await announceNoKey(row, error);
      return;
    }
    if (row.hasSecret && !secret) {
      keyNotes.set(
        row.id,
        error === null
          ? 'Monitoring only: the key vault is locked, so Ringfence cannot act on this account. Unlock it in Options > Accounts.'
          : `Monitoring only: the API wallet key could not be read from the key vault: ${error}`,
      );
    }
    const credentials: BinanceCredentials | HyperliquidCredentials =
      row.venue === 'binance'
        ? { venue: 'binance', apiKey: row.publicId, apiSecret: secret! }
        : { venue: 'hyperliquid', address: row.publicId, ...(secret ? { agentKey: secret } : {}) };
    l.status = 'connecting';
    l.statusText = null;
    // A new adapter starts with its own snapshot and fill backfill.
    l.lostAt = null;
    l.fillsCaughtUp = false;
    try {
      const adapter = deps.makeAdapter({
        accountId: row.accountId,
        endpoints: { network: row.network, ...(row.restUrl ? { restUrl: row.restUrl } : {}), ...(row.wsUrl ? { wsUrl: row.wsUrl } : {}) },
        credentials,
        strategyOf,
        now,
      });
      l.adapter = adapter;
      // Built while storage is restored; it connects, and its updates are taken in, only once that is done.
      if (!(await restored)) return void (await stopAdapter(l));
      l.unsubscribe = adapter.subscribe((e) => onEvent(row.id, e));
      // Read alongside connect(): the account is measured once they are known (or the read gave up).
      const missed = readMissedFlows(l, adapter);
      await adapter.connect();
      l.status = 'live';
      l.statusText = keyNotes.get(row.id) ?? null;
      l.attempts = 0;
      if (row.hasSecret && !secret) void announceNoKey(row, error);
      // The first evaluation runs on connect()'s account and positions; the open orders follow in a second one.
      scheduleEval();
      const snap = await adapter.snapshot();
      l.orders = new Map(snap.openOrders.map((o) => [o.orderId, o]));
      await watchMarks(l);
      if (row.deadManSwitchSec !== null) void refreshDeadMan(l, true);
      void catchUp(l, { snapshot: false, since: null }).finally(() => {
        l.fillsCaughtUp = true;
        reconcileBooks(l);
      });
      await missed;
      scheduleEval();
    } catch (e) {
      l.status = 'error';
      l.statusText = `Could not connect: ${errText(e)}`;
      l.feedError = l.statusText;
      await audit('feed.connect_failed', 'warning', `${VENUE[row.venue]} account ${row.label}: ${l.statusText}`, undefined, { account: row.id });
      await stopAdapter(l);
      scheduleReconnect(l);
      publish();
    }
  }

  function scheduleReconnect(l: LiveAccount) {
    if (stopped || reconnectTimers.has(l.row.id)) return;
    l.attempts += 1;
    const t = setTimeout(() => {
      reconnectTimers.delete(l.row.id);
      if (!stopped && live.get(l.row.id) === l && !l.adapter && !isStarting(l.row.id)) void startAccount(l.row);
    }, backoffDelay(l.attempts, RECONNECT));
    reconnectTimers.set(l.row.id, t);
  }

  async function stopAdapter(l: LiveAccount) {
    l.unsubscribe?.();
    l.unsubscribe = null;
    const a = l.adapter;
    l.adapter = null;
    await a?.disconnect().catch(() => undefined);
  }

  async function watchMarks(l: LiveAccount) {
    const symbols = markSymbols(l);
    const joined = symbols.join(',');
    if (!l.adapter || joined === l.watched) return;
    l.watched = joined;
    await l.adapter.watchMarks(symbols).catch((e: unknown) => log(`[ringfence] watchMarks ${l.row.id}: ${errText(e)}`));
  }

  /**
   * The deposits and withdrawals made while Ringfence was not following the account: since it was last measured (the
   * risk state's summary time) at connect, since the outage began after a reconnect. Read before the account is
   * measured again (flowsPending holds it back), so they are recorded before its new balance; ids deduplicate what the
   * stream reported too. Nothing to read for an account never measured. A read that fails or takes longer than
   * MISSED_FLOWS_WAIT_MS lets the account be measured as it is, and says so; its late answer is not used, as the engine
   * may have taken that balance in by then (a deposit counted twice would read as a loss).
   */
  async function readMissedFlows(l: LiveAccount, a: ExchangeAdapter, from?: number): Promise<void> {
    await ready;
    const since = from ?? risk.accounts[l.row.id]?.at;
    if (since === undefined || !a.fetchCashFlows) return;
    l.flowsPending = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), MISSED_FLOWS_WAIT_MS)));
    const read = a.fetchCashFlows(since).then(
      (flows) => ({ flows }),
      (error: unknown) => ({ error }),
    );
    const r = await Promise.race([read, timedOut]);
    clearTimeout(timer);
    l.flowsPending = false;
    if (l.adapter !== a || live.get(l.row.id) !== l) return;
    if (r === 'timeout' || 'error' in r) {
      const why = r === 'timeout' ? `no answer within ${MISSED_FLOWS_WAIT_MS / 1000} s` : errText(r.error);
      void audit(
        'account.cash_flow_unknown',
        'warning',
        `${VENUE[l.row.venue]} account ${l.row.label}: could not read the deposits and withdrawals made while Ringfence was not following the account (${why}); limits measure from the balance as it is.`,
        undefined,
        { account: l.row.id },
      );
    } else for (const flow of r.flows) pendingFlows.push({ key: l.row.id, label: l.row.label, venue: l.row.venue, flow, history: true, before: null, snapshot: null });
    scheduleEval();
  }

  /**
   * Catches up after a gap: a fresh snapshot first (positions and orders; it also tells the adapter which symbols to
   * ask for fills, a symbol traded only during the gap included), then the fills since `since` (null: since the last
   * one stored, or the account's creation: what the worker missed while it was not running). A venue that refuses
   * (a rate limit that outlasts the adapter's own retries) is asked again with backoff: a gap is never left unfilled
   * because one attempt failed. Catch-ups of one account run one after another.
   */
  function catchUp(l: LiveAccount, what: { snapshot: boolean; since: number | null }): Promise<void> {
    const run = async (attempt: number): Promise<void> => {
      const a = l.adapter;
      if (!a || stopped || live.get(l.row.id) !== l) return;
      try {
        if (what.snapshot) {
          if (what.since !== null && attempt === 1) await readMissedFlows(l, a, what.since);
          const s = await a.snapshot();
          l.orders = new Map(s.openOrders.map((o) => [o.orderId, o]));
          scheduleEval();
        }
        let since = what.since;
        if (since === null) {
          // Not last.time + 1: a fill in the same millisecond as the last one stored would be skipped (ids deduplicate).
          const last = await db.fills.where('[account+time]').between([l.row.id, 0], [l.row.id, Infinity]).last();
          since = last ? last.time : 0;
        }
        await recordFills(l, await a.fetchFills(Math.max(l.row.createdAt, since)));
      } catch (e) {
        log(`[ringfence] catch-up ${l.row.id} (attempt ${attempt}): ${errText(e)}`);
        if (attempt >= CATCH_UP_ATTEMPTS || stopped || l.adapter !== a) return;
        await sleep(backoffDelay(attempt, RECONNECT, e instanceof ExchangeError ? (e.retryAfterMs ?? 0) : 0));
        return run(attempt + 1);
      }
    };
    const next = (l.catchingUp ?? Promise.resolve()).then(() => run(1));
    l.catchingUp = next;
    void next.finally(() => {
      if (l.catchingUp === next) l.catchingUp = null;
    });
    return next;
  }

  /** Reconciles running adapters with the accounts table (added, removed, changed, or waiting for the vault). */
  async function syncAccounts(): Promise<void> {
    // Not waiting for the restore: startAccount waits for it before an adapter connects.
    const rows = await db.accounts.toArray();
    const ids = new Set(rows.map((r) => r.id));
    for (const [id, l] of live) {
      if (ids.has(id)) continue;
      live.delete(id);
      // An account added again under the same id starts afresh: its first positions and snapshot are written at once.
      savedPositions.delete(id);
      startsRead.delete(id);
      lastSnapshotAt.delete(id);
      delete periodStarts[id];
      clearTimeout(reconnectTimers.get(id));
      reconnectTimers.delete(id);
      builtWithKey.delete(id);
      keyNotes.delete(id);
      await stopAdapter(l);
    }
    for (const row of rows) {
      const l = live.get(row.id);
      const endpointChanged = l && (l.row.restUrl !== row.restUrl || l.row.wsUrl !== row.wsUrl || l.row.network !== row.network || l.row.hasSecret !== row.hasSecret);
      if (l && !endpointChanged) {
        const armChanged = l.row.deadManSwitchSec !== row.deadManSwitchSec;
        l.row = row;
        if (armChanged) void refreshDeadMan(l, true);
        if (isStarting(row.id)) {
          syncAfterStart.add(row.id);
          continue;
        }
        if ((l.status === 'locked' || l.status === 'error') && !l.adapter && !reconnectTimers.has(row.id)) void startAccount(row);
        else if (l.adapter && (await keyChanged(row)) && live.get(row.id) === l && !isStarting(row.id)) {
          // The vault was unlocked (the adapter runs without the key it can have now) or locked (it runs with a key the
          // vault no longer gives): built again, so what it can do is what the vault allows, and the view says so.
          await stopAdapter(l);
          void startAccount(row);
        }
        continue;
      }
      if (l) await stopAdapter(l);
      void startAccount(row);
    }
    await ready;
    publish();
  }

  /** Whether the vault's answer for the account's key differs from what its running adapter was built with. */
  async function keyChanged(row: AccountRow): Promise<boolean> {
    const built = builtWithKey.get(row.id);
    if (built === undefined || !row.hasSecret) return false;
    return ((await keyOf(row)).secret !== null) !== built;
  }

  // ---------- dead-man's switch ----------

  const deadManAt = new Map<string, number>();
  /** Arms, refreshes or (with no timeout set) disarms the venue's cancel-all countdown; refreshed at a third of it. */
  async function refreshDeadMan(l: LiveAccount, force = false) {
    const a = l.adapter;
    if (!a?.capabilities.deadManSwitch || !a.capabilities.trading || l.status !== 'live') return;
    const sec = l.row.deadManSwitchSec;
    const last = deadManAt.get(l.row.id);
    if (sec === null) {
      if (last === undefined) return;
      deadManAt.delete(l.row.id);
    } else if (!force && last !== undefined && now() - last < (sec * 1000) / 3) return;
    try {
      await a.setDeadManSwitch({ timeoutMs: sec === null ? null : sec * 1000 });
      if (sec !== null) deadManAt.set(l.row.id, now());
    } catch (e) {
      await audit('deadman.failed', 'warning', `${l.row.label}: the dead-man's switch could not be ${sec === null ? 'turned off' : 'refreshed'}: ${errText(e)}`, undefined, { account: l.row.id });
    }
  }

  // ---------- events ----------

  function onEvent(id: string, e: AdapterEvent) {
    const l = live.get(id);
    if (!l || stopped) return;
    const before = l.status;
    const change = applyEvent(l, e, now());
    // A reopened feed clears the status text: an account running without its key keeps saying so.
    if (change === 'connection' && l.status === 'live') l.statusText = keyNotes.get(id) ?? null;
    switch (change) {
      case 'fill':
        if (e.type === 'fill') void recordFills(l, [e.fill]);
        return;
      case 'cashflow':
        // Applied in the next evaluation, before it measures the balance that shows the flow (it came first).
        if (e.type === 'cashflow') pendingFlows.push(liveFlow(l, e.flow, e.before));
        break;
      case 'positions':
        attributePositions(l);
        reconcileBooks(l);
        void persistPositions(l);
        void watchMarks(l);
        break;
      case 'orders':
        void saveOrders(db, id, [...l.orders.values()]).catch((err: unknown) => log(`[ringfence] orders ${id}: ${errText(err)}`));
        void watchMarks(l);
        break;
      case 'account':
        void recordAccount(l);
        break;
      case 'connection':
        if (l.status === 'reconnecting' && before !== 'reconnecting') l.lostAt = now();
        // Every reopened stream (an adapter may run several: Binance's user and market streams) catches up from the
        // start of the outage: pushes may have been missed until this one was back, the fills on the user stream
        // included, even when another stream reopened first.
        if (e.type === 'connection' && e.state === 'open' && l.lostAt !== null) void catchUp(l, { snapshot: true, since: l.lostAt - CATCH_UP_MARGIN_MS });
        if (before !== l.status) {
          if (l.status === 'live' && before === 'reconnecting') {
            void audit('feed.recovered', 'notice', `${VENUE[l.row.venue]} account ${l.row.label}: data flowing again.`, undefined, { account: id });
          } else if (l.status === 'reconnecting') {
            void audit('feed.lost', 'warning', `${VENUE[l.row.venue]} account ${l.row.label}: ${l.feedError ?? 'connection lost'}; reconnecting.`, undefined, { account: id });
          }
        }
        break;
    }
    scheduleEval();
  }

  /**
   * Stores the account's positions. A mark tick of a held symbol changes only the mark-derived fields (mark, PnL,
   * notional, liquidation price): those rows are rewritten at most every POSITION_MARKS_EVERY_MS, by the first tick
   * after it; any other change (a position opened, resized, closed, re-levered or re-attributed) at once. The rows
   * are a record, not a source: a restart takes positions from the venue.
   */
  async function persistPositions(l: LiveAccount) {
    const id = l.row.id;
    const shape = l.positions.map((p) => `${p.symbol}|${p.side}|${p.size}|${p.hedged}|${p.entryPrice}|${p.leverage}|${p.marginMode}|${p.strategyId}`).join(';');
    const t = now();
    const last = savedPositions.get(id);
    if (last && last.shape === shape && t - last.at < POSITION_MARKS_EVERY_MS) return;
    const entry = { shape, at: t };
    savedPositions.set(id, entry);
    await savePositions(db, id, l.positions).catch((e: unknown) => {
      // The next tick writes again; unless a newer write has taken the entry since (it stands for that write).
      if (savedPositions.get(id) === entry) savedPositions.delete(id);
      log(`[ringfence] positions ${id}: ${errText(e)}`);
    });
  }

  async function recordAccount(l: LiveAccount) {
    const snap = l.account;
    if (!snap) return;
    const t = now();
    const id = l.row.id;
    try {
      const bounds = periodBounds(t, settings.account.dayStart);
      // Every mark tick of a held symbol updates the account: the stored starts are read once per set of periods,
      // and an update (or the evaluation) arriving during that read waits for it instead of reading again.
      const key = `${bounds.daily.start}|${bounds.weekly.start}|${bounds.monthly.start}`;
      let read = startsRead.get(id);
      if (read?.key !== key) {
        const fresh = { key, done: ensurePeriodStarts(db, id, snap, bounds, t).then((v) => void (periodStarts[id] = v)) };
        // A failed read is tried again on the next update.
        fresh.done.catch(() => startsRead.get(id) === fresh && startsRead.delete(id));
        startsRead.set(id, fresh);
        read = fresh;
      }
      await read.done;
      const last = lastSnapshotAt.get(id) ?? 0;
      if (t - last >= SNAPSHOT_EVERY_MS) {
        lastSnapshotAt.set(id, t);
        await appendSnapshot(db, snap);
      }
    } catch (e) {
      log(`[ringfence] account ${id}: ${errText(e)}`);
    }
  }

  /**
   * Stores new fills once (by trade id), books each one's PnL net of fees to its strategy (an opening fill to the
   * strategy that placed it, a closing one to the strategy of the position it closed) and updates the position book:
   * the fills, the strategies' totals and the book in one transaction, so a restart finds them agreeing. Batches run
   * one after another, in arrival order (the book depends on the order of the fills).
   */
  let fillChain: Promise<void> = Promise.resolve();
  function recordFills(l: LiveAccount, got: Fill[]): Promise<void> {
    const run = fillChain.then(() => recordFillsNow(l, got));
    fillChain = run.catch(() => undefined);
    return run;
  }

  type Booking = { fresh: Fill[]; book: PositionBook; byStrategy: Map<string, number>; unconverted: { f: Fill; bookTo: string }[]; shared: Set<string> };

  /** The fills applied to a copy of the account's book, and what each strategy is booked. */
  function bookFills(l: LiveAccount, fresh: Fill[], t: number): Booking {
    const book: PositionBook = structuredClone(books[l.row.id] ?? {});
    const sizes = new Map(l.positions.map((p) => [bookKey(p.symbol, p.side), Math.abs(p.size)]));
    const live = { size: (k: string) => sizes.get(k) ?? 0, hedged: l.positions.some((p) => p.hedged) };
    const byStrategy = new Map<string, number>();
    const unconverted: Booking['unconverted'] = [];
    const shared = new Set<string>();
    const ordered = fresh.slice().sort((a, b) => a.time - b.time);
    for (const f of ordered) {
      const r = applyFillToBook(book, f, live, fallbackOf(f.symbol), t);
      const fee = feeUsd(l, f);
      if (fee === null) unconverted.push({ f, bookTo: r.bookTo });
      byStrategy.set(r.bookTo, (byStrategy.get(r.bookTo) ?? 0) + f.realizedPnl - (fee ?? 0));
      if (r.shared) shared.add(r.key);
      else shared.delete(r.key);
    }
    return { fresh, book, byStrategy, unconverted, shared };
  }

  /**
   * A fill's fee in dollars: 1:1 for a USD stablecoin, else at a mark of the fee's asset this worker watches (Binance
   * `${asset}USDT`, Hyperliquid the coin), else null: not valued (never a BNB amount taken as dollars).
   */
  function feeUsd(l: LiveAccount, f: Fill): number | null {
    if (f.fee === 0 || USD_FEE_ASSETS.has(f.feeAsset.toUpperCase())) return f.fee;
    const symbol = l.row.venue === 'binance' ? `${f.feeAsset.toUpperCase()}USDT` : f.feeAsset;
    let price = l.marks.get(symbol);
    if (price === undefined) for (const o of live.values()) if (o.row.venue === l.row.venue && (price = o.marks.get(symbol)) !== undefined) break;
    return price !== undefined && price > 0 ? f.fee * price : null;
  }

  async function recordFillsNow(l: LiveAccount, got: Fill[]) {
    if (got.length === 0) return;
    const t = now();
    const key = l.row.id;
    let b: Booking | null = null;
    let stored = true;
    try {
      await db.transaction('rw', [db.fills, db.strategies, db.meta], async () => {
        const fresh = await saveFills(db, got);
        if (fresh.length === 0) return;
        const booking = bookFills(l, fresh, t);
        for (const [id, pnl] of booking.byStrategy) {
          const row = await db.strategies.get(id);
          if (row) await db.strategies.update(id, { totalPnl: row.totalPnl + pnl });
          else await db.strategies.put(newStrategyRow(id, id === MANUAL_STRATEGY ? MANUAL_STRATEGY : l.row.label, pnl));
        }
        await savePositionBooks(db, { ...books, [key]: booking.book });
        b = booking;
      });
    } catch (e) {
      // Not stored: still counted (streaks, strategy budgets, the book), deduplicated against the fills held in memory.
      // Totals of fills that were not stored stay in memory only: a restart reads those fills again and counts them then.
      storageFailed(e);
      stored = false;
      const held = new Set(fills.map((f) => `${f.venue}|${f.accountId}|${f.tradeId}`));
      const fresh = got.filter((f) => !held.has(`${f.venue}|${f.accountId}|${f.tradeId}`));
      b = fresh.length > 0 ? bookFills(l, fresh, t) : null;
    }
    const booking = b as Booking | null;
    if (!booking) return;
    books = { ...books, [key]: booking.book };
    // A new array, never an in-place push: the engine memoises what it derives from fills (closed trades, losing
    // streak, overtrading) by the array's identity, so a mutated array would hide every fill after the first evaluation.
    const cutoff = now() - FILL_WINDOW_MS;
    fills = fills.concat(booking.fresh);
    if (fills[0]!.time < cutoff) fills = fills.filter((f) => f.time >= cutoff);
    const added = (rows: Strategy[]) => {
      const next = rows.map((r) => (booking.byStrategy.has(r.strategyId) ? { ...r, totalPnl: r.totalPnl + booking.byStrategy.get(r.strategyId)! } : r));
      for (const [id, pnl] of booking.byStrategy) if (!rows.some((r) => r.strategyId === id)) next.push(newStrategyRow(id, id === MANUAL_STRATEGY ? MANUAL_STRATEGY : l.row.label, pnl));
      return next;
    };
    if (!stored) strategies = added(strategies);
    else {
      try {
        strategies = await db.strategies.toArray();
      } catch (e) {
        // The budgets are enforced from memory until the reads work again.
        storageFailed(e);
        strategies = added(strategies);
      }
    }
    if (attributePositions(l)) void persistPositions(l);
    for (const { f, bookTo } of booking.unconverted) {
      void audit(
        'strategy.fee_unconverted',
        'warning',
        `${l.row.label}: the fee of ${f.fee} ${f.feeAsset} on ${f.symbol} (trade ${f.tradeId}) is not in strategy ${bookTo}'s PnL: no ${f.feeAsset} price is known to value it. Its realized PnL is.`,
        { tradeId: f.tradeId, fee: f.fee, feeAsset: f.feeAsset, realizedPnl: f.realizedPnl },
        { account: key, strategyId: bookTo },
      );
    }
    auditShared(l, booking);
    deps.changed('strategies');
    scheduleEval();
  }

  /** Positions held by more than one strategy, said once per set of holders: the larger share takes the position. */
  const sharedSaid = new Map<string, string>();
  function auditShared(l: LiveAccount, booking: Booking) {
    for (const k of booking.shared) {
      const e = booking.book[k];
      const said = `${l.row.id}|${k}`;
      const holders = e ? Object.keys(e.shares).sort().join(',') : '';
      if (!e || sharedSaid.get(said) === holders) continue;
      sharedSaid.set(said, holders);
      const p = l.positions.find((x) => bookKey(x.symbol, x.side) === k);
      const [symbol, side] = [k.slice(0, k.lastIndexOf(':')), k.slice(k.lastIndexOf(':') + 1)];
      const owner = positionOwner(e, p?.size ?? 0, fallbackOf(symbol));
      void audit(
        'strategy.position_shared',
        'notice',
        `${l.row.label}: ${symbol} ${side} is held by more than one strategy (${describeShares(e)}). It counts as ${owner}'s, the larger share: its unrealized PnL, stop loss, mode and kill switch go with ${owner}, and closes book to ${owner}.`,
        { symbol, side, shares: e.shares, owner },
        { account: l.row.id, strategyId: owner },
      );
    }
  }

  /** Drops (or shrinks) book entries the venue no longer shows, once a fill and its push had time to agree. */
  function reconcileBooks(l: LiveAccount) {
    const book = books[l.row.id];
    // Not while missed fills are being read: they may close what the venue no longer shows (and book it).
    if (!book || !l.positionsSeen || !l.fillsCaughtUp || l.catchingUp) return;
    const next = structuredClone(book);
    if (!reconcileBook(next, l.positions, now())) return;
    books = { ...books, [l.row.id]: next };
    attributePositions(l);
    // Queued behind the fills being recorded, so an older book is never written over a newer one.
    const write = fillChain.then(() => savePositionBooks(db, books));
    fillChain = write.then(
      () => undefined,
      (e: unknown) => log(`[ringfence] position book: ${errText(e)}`),
    );
  }

  const newStrategyRow = (id: string, source: string, totalPnl: number): Strategy => {
    const d = settings.strategyDefaults;
    return { source, strategyId: id, symbol: null, enabled: d.enabled, riskPerTradePct: d.riskPerTradePct, stopLossUsd: d.stopLossUsd, maxDrawdownUsd: d.maxDrawdownUsd, killed: false, totalPnl, score: 50 };
  };

  // ---------- evaluation ----------

  // Unchanged state is not written again (the freshness tick evaluates every second).
  let savedRisk = '';
  let savedExtras = '';
  const persistRisk = async () => {
    const json = JSON.stringify(risk);
    if (json === savedRisk) return;
    await saveRiskState(db, risk);
    savedRisk = json;
  };
  const persistExtras = async () => {
    const json = JSON.stringify(extras);
    if (json === savedExtras) return;
    await saveExtras(db, extras);
    savedExtras = json;
  };

  /**
   * Cash flows reported since the last evaluation, in arrival order. history: read from the venue's history after a
   * gap (not pushed as it happened), so it is dated by the venue's time: a period start value taken after it already
   * holds it.
   */
  type PendingFlow = { key: string; label: string; venue: Venue; flow: CashFlow; history: boolean; before: FlowBefore | null; snapshot: AccountSnapshot | null };
  const pendingFlows: PendingFlow[] = [];

  /**
   * A flow pushed as it happened, with the account's values right before it. The venue's own report of the flow gives
   * them when it can (`reported`: Binance's ACCOUNT_UPDATE carries the balance after it). Otherwise: the adapters send
   * a flow before the balance that shows it, so a snapshot held now that is older than the flow does not show it yet
   * (nor the flows already pending against that snapshot, which are added). A flow read from the history after a gap
   * has no such value (its `before` is null), nor has one that arrives after a snapshot as new as itself.
   */
  function liveFlow(l: LiveAccount, flow: CashFlow, reported?: FlowBefore): PendingFlow {
    const snap = l.account;
    let before: FlowBefore | null = reported ?? null;
    // Only a snapshot older than the flow (venue time) surely does not show it yet: one taken at or after it (a REST
    // refresh that landed between the balance change and its push) may, and scaled by it the base would be far off.
    // Without a trusted value the flow shifts the bases by its amount.
    if (!before && snap && snap.time < flow.time) {
      let earlier = 0;
      for (const p of pendingFlows) if (p.key === l.row.id && p.snapshot === snap) earlier += p.flow.amount;
      before = { equity: snap.equity + earlier, walletBalance: snap.walletBalance + earlier };
    }
    return { key: l.row.id, label: l.row.label, venue: l.row.venue, flow, history: false, before, snapshot: snap };
  }

  /**
   * Records the pending cash flows in the risk state: the loss periods and the peak are measured net of them. Runs
   * right before the engine, with no wait in between, so every account balance the engine reads that shows a flow is
   * measured with it (an adapter sends the flow first).
   */
  function takeCashFlows(t: number): PendingFlow[] {
    const recorded = [];
    for (const p of pendingFlows.splice(0)) {
      const r = recordCashFlow(risk, p.key, p.flow, p.history ? Math.min(t, p.flow.time) : t, p.before);
      risk = r.nextState;
      if (r.recorded) recorded.push(p);
    }
    return recorded;
  }

  async function auditCashFlows(flows: PendingFlow[]) {
    for (const { venue, label, key, flow: f, history } of flows) {
      const what = f.amount > 0 ? 'deposit' : 'withdrawal';
      const when = history ? ` made ${new Date(f.time).toISOString().slice(0, 16).replace('T', ' ')} UTC, while Ringfence was not following the account` : '';
      await audit(
        'account.cash_flow',
        'notice',
        `${VENUE[venue]} account ${label}: ${what} of ${usd(Math.abs(f.amount))} (${f.asset}, ${f.kind})${when}. Loss limits and drawdown count it as money moved, not as a gain or loss.`,
        { id: f.id, amount: f.amount, asset: f.asset, kind: f.kind, time: f.time },
        { account: key },
      );
    }
  }

  /** An evaluation is queued for the next task. */
  let evalQueued = false;
  let evaluating: Promise<void> | null = null;
  let dirty = false;

  function scheduleEval() {
    if (stopped) return;
    if (evaluating) {
      dirty = true;
      return;
    }
    // Coalesces a burst (an account and a positions push arrive together) into one evaluation.
    if (evalQueued) return;
    evalQueued = true;
    nextTask(() => {
      evalQueued = false;
      if (stopped) return;
      evaluating = runEvaluation()
        .catch((e: unknown) => log(`[ringfence] evaluation failed: ${errText(e)}`))
        .finally(() => {
          evaluating = null;
          if (dirty) {
            dirty = false;
            scheduleEval();
          }
        });
    });
  }

  const modeOf = (row: AccountRow, strategyId: string | null): EnforcementMode => {
    const s = strategyId ? strategyModes[strategyId] : undefined;
    return s ?? row.mode;
  };

  async function runEvaluation(): Promise<void> {
    await ready;
    const t = now();
    const views: AccountView[] = [];
    const daily = periodBounds(t, settings.account.dayStart).daily.start;
    for (const l of live.values()) {
      const v = accountViewOf(l);
      if (!v) continue;
      // A period start is recorded before the account is first measured against it (no "start missing" finding).
      const start = periodStarts[l.row.id]?.daily;
      if (!start || start.at < daily) await recordAccount(l);
      views.push(v);
    }
    if (views.length === 0) {
      publish();
      return;
    }
    const history: EvaluationHistory = { fills, strategies, periodStarts, atrPct: deps.market?.atrPct() ?? {} };
    const flowsTaken = takeCashFlows(t);
    const r = evaluate(views, history, risk, settings, t);
    risk = r.nextState;
    findings = r.findings;
    evaluatedAt = t;
    const extra = haltCloses(r.actions);
    syncHaltBaselines();
    // Written before anything is sent: after a restart the engine sees what it already asked for. A refused write does
    // not hold the actions back: protecting the account comes first, and the storage alarm says what may be lost.
    await persistRisk().catch(storageFailed);
    if (!firstEvalRecorded) {
      firstEvalRecorded = true;
      const up = deps.uptime?.();
      void audit('supervisor.first_evaluation', 'info', `First risk evaluation: ${views.length} account${views.length === 1 ? '' : 's'}${up !== undefined ? `, ${Math.round(up)} ms after the worker started` : ''}.`, up !== undefined ? { uptimeMs: up } : undefined);
    }
    // The bookkeeping below waits a task when something was sent, so the order leaves before the audit writes run.
    if (act(r.actions, extra) > 0) await afterTask();
    // Each step on its own: one that cannot write does not keep the others (notifications, the view) from running.
    await auditCashFlows(flowsTaken);
    await recordEvents(r.events);
    await recordFindings(r.findings);
    await markKilled(r.findings);
    await persistExtras().catch(storageFailed);
    scheduleWake();
    publish();
  }

  /**
   * The browser refused a write (quota exceeded, disk full, IndexedDB broken). Enforcement goes on from memory; the user
   * is told at once, at critical level (the notification policy limits the repeats), since holds, breakers and the
   * activity log written from now on may not survive a restart.
   */
  function storageFailed(e: unknown): void {
    log(`[ringfence] storage write failed: ${errText(e)}`);
    if (!extras) return;
    notifyNow(
      'storage',
      'critical',
      'Ringfence cannot save its state',
      `The browser refused a write (${errText(e)}). Limits are still enforced while the browser stays open, but halts, cooling-offs and the activity log may be lost if it restarts. Free disk space, or browser storage.`,
      null,
    );
  }

  /**
   * While an account is HALTED, each of its positions has a baseline: its size when the halt began, taken from the
   * first real snapshot of the account's positions (never from the empty list of an account still connecting or
   * waiting for the vault), and lowered whenever the position is seen smaller (closed by hand, reduced by Ringfence):
   * a baseline only ever shrinks while halted, and a Flatten sets it to nothing. Enforce mode closes what a position
   * holds above its baseline (opened or enlarged from a phone, a bot). A Flatten's own positions are closed whatever
   * the mode, and stay to close (persisted, so a restart resumes them) until they are seen flat; then the account's
   * remaining orders (the protective stops kept until then) are cancelled. Baselines and flattens are dropped when
   * the account leaves HALTED.
   */
  function syncHaltBaselines(): void {
    for (const l of live.values()) {
      const key = l.row.id;
      if (risk.scopes[key]?.trading !== 'HALTED') {
        delete extras.haltBaselines[key];
        delete extras.flattening[key];
        flattenCancels.delete(key);
        for (const k of haltSent.keys()) if (k.startsWith(`${key}:`)) haltSent.delete(k);
        continue;
      }
      if (!l.positionsSeen) continue;
      const sizes = new Map(l.positions.map((p) => [`${p.symbol}:${p.side}`, Math.abs(p.size)]));
      const base = extras.haltBaselines[key];
      if (!base) extras.haltBaselines[key] = Object.fromEntries(sizes);
      else
        for (const [pk, was] of Object.entries(base)) {
          const size = sizes.get(pk) ?? 0;
          if (size === 0) delete base[pk];
          else if (size < was) base[pk] = size;
        }
      const pending = extras.flattening[key];
      if (pending === undefined) continue;
      const left = (pending ?? [...sizes.keys()]).filter((pk) => sizes.has(pk));
      extras.flattening[key] = left;
      // The flatten's positions are closed: the next evaluation cancels the orders left.
      if (left.length === 0 && pending?.length !== 0) scheduleEval();
    }
  }

  /** A close of what a position holds above its halt baseline (all of it for a flatten). */
  type HaltClose = { account: string; p: Position; fraction: number; flatten: boolean };
  /** A halt close that filled may be followed by pushes still showing the size it closed from, this long at most. */
  const HALT_SETTLE_MS = 5_000;
  /** A halt close that failed (or filled nothing) is sent again after this backoff, not on every evaluation. */
  const HALT_RETRY = { initialMs: 5_000, maxMs: 300_000, factor: 2, jitter: 0 };
  /**
   * Per `account:symbol:side`: the last halt (or flatten) close sent, to tell a stream that has not caught up with
   * it from a position enlarged again. Dropped once the position is seen back at its baseline.
   */
  const haltSent = new Map<string, { size: number; fraction: number; doneAt: number | null; filled: boolean; failures: number; retryAt: number }>();
  /** Per account: the cancel that ends a flatten (running, or failed and waiting for its retry). */
  const flattenCancels = new Map<string, { running: boolean; failures: number; retryAt: number }>();
  let haltSeq = 0;

  function haltCloses(actions: EngineAction[]): HaltClose[] {
    const t = now();
    finishFlattens(t);
    const out: HaltClose[] = [];
    const closing = new Set(actions.filter((a) => a.kind === 'close_position').map((a) => (a.kind === 'close_position' ? `${accountKey(a.venue, a.accountId)}:${a.symbol}:${a.side}` : '')));
    for (const l of live.values()) {
      const key = l.row.id;
      const base = extras.haltBaselines[key];
      if (risk.scopes[key]?.trading !== 'HALTED' || !base || !l.positionsSeen || !l.adapter?.capabilities.trading) continue;
      const pending = extras.flattening[key];
      // A position seen flat is settled: a later one is compared afresh.
      const open = new Set(l.positions.map((p) => `${key}:${p.symbol}:${p.side}`));
      for (const hk of haltSent.keys()) if (hk.startsWith(`${key}:`) && !open.has(hk)) haltSent.delete(hk);
      for (const p of l.positions) {
        const pk = `${p.symbol}:${p.side}`;
        const hk = `${key}:${pk}`;
        const flatten = pending === null || (pending?.includes(pk) ?? false);
        const was = flatten ? 0 : (base[pk] ?? 0);
        const size = Math.abs(p.size);
        if (size <= was * (1 + 1e-9)) {
          haltSent.delete(hk);
          continue;
        }
        // A close the engine asks for now covers it; one already running is joined, or taken over if this is larger.
        if (closing.has(hk)) continue;
        if (!flatten && modeOf(l.row, p.strategyId) !== 'enforce') continue;
        const fraction = was === 0 ? 1 : (size - was) / size;
        const last = haltSent.get(hk);
        // A close of everything after a partial one (a flatten during a close back) goes at once: the executor hands
        // over to it. A larger partial one waits: a share of a size that is changing could close too much.
        if (last && !(fraction >= 1 && last.fraction < 1)) {
          if (last.doneAt === null || t < last.retryAt) continue;
          // Still the size the last close started from: the pushes have not caught up with its fill yet.
          if (last.filled && Math.abs(size - last.size) <= last.size * 1e-9 && t - last.doneAt < HALT_SETTLE_MS) continue;
        }
        out.push({ account: key, p, fraction, flatten });
      }
    }
    return out;
  }

  /** Sends one halt (or flatten) close, under an id of its own: every close is a new order, its retries are not. */
  function sendHaltClose(x: HaltClose): void {
    const l = live.get(x.account)!;
    const hk = `${x.account}:${x.p.symbol}:${x.p.side}`;
    const rec = { size: Math.abs(x.p.size), fraction: x.fraction, doneAt: null as number | null, filled: false, failures: haltSent.get(hk)?.failures ?? 0, retryAt: 0 };
    haltSent.set(hk, rec);
    const flattenReason: RiskReason = { code: 'manual_halt', kind: 'flatten', until: null };
    void executor
      .close({
        id: `${x.flatten ? 'flatten' : 'halt'}|${hk}@${now()}#${++haltSeq}`,
        account: x.account,
        label: l.row.label,
        symbol: x.p.symbol,
        side: x.p.side,
        fraction: x.fraction,
        reason: x.flatten ? flattenReason : (risk.scopes[x.account]?.holds[0]?.reason ?? null),
        origin: x.flatten ? 'user' : 'halt',
      })
      .then((r) => {
        rec.doneAt = now();
        rec.filled = r.filled > 0;
        if (r.status === 'failed' || (r.status === 'done' && r.filled === 0)) {
          rec.failures += 1;
          rec.retryAt = rec.doneAt + backoffDelay(rec.failures, HALT_RETRY);
        } else rec.failures = 0;
        // Compared again with what the venue reports now.
        scheduleEval();
      });
  }

  /** A flatten whose positions are all closed cancels the account's remaining orders; retried with backoff. */
  function finishFlattens(t: number): void {
    for (const l of live.values()) {
      const key = l.row.id;
      if (extras.flattening[key]?.length !== 0 || !l.adapter?.capabilities.trading) continue;
      const job = flattenCancels.get(key) ?? { running: false, failures: 0, retryAt: 0 };
      flattenCancels.set(key, job);
      if (job.running || t < job.retryAt) continue;
      job.running = true;
      void executor.cancel({ id: `flatten|${key}@${t}#${++haltSeq}`, account: key, label: l.row.label, reason: null, origin: 'user' }).then((ok) => {
        job.running = false;
        if (!ok) {
          job.failures += 1;
          job.retryAt = now() + backoffDelay(job.failures, HALT_RETRY);
          return;
        }
        flattenCancels.delete(key);
        if (extras.flattening[key]?.length === 0) delete extras.flattening[key];
        void persistExtras().catch((e: unknown) => log(`[ringfence] supervisor state: ${errText(e)}`));
      });
    }
  }

  /** Carries out the engine's actions and the halt's closes; returns how many went to the executor. */
  function act(actions: EngineAction[], extra: HaltClose[]): number {
    let sent = 0;
    for (const a of actions) {
      if (a.kind !== 'close_position' && a.kind !== 'partial_close' && a.kind !== 'cancel_orders') continue;
      const k = accountKey(a.venue, a.accountId);
      const l = live.get(k);
      if (!l) continue;
      if (a.kind === 'cancel_orders') {
        const orderIds = a.orderIds.filter((id) => {
          const o = l.orders.get(id);
          return o ? modeOf(l.row, o.strategyId) === 'enforce' : false;
        });
        if (orderIds.length === 0) {
          void skipped(l, a.id, `would cancel ${a.orderIds.length} risk-increasing order${a.orderIds.length === 1 ? '' : 's'}`, a.reason);
          continue;
        }
        void executor.cancel({ id: a.id, account: k, label: l.row.label, orderIds, reason: a.reason, origin: 'engine' });
        sent++;
        continue;
      }
      const p = l.positions.find((x) => x.symbol === a.symbol && x.side === a.side);
      const mode = modeOf(l.row, p?.strategyId ?? null);
      const what = a.kind === 'close_position' ? `would close ${a.symbol} ${a.side}` : `would close ${a.pct}% of ${a.symbol} ${a.side}`;
      if (mode !== 'enforce') {
        void skipped(l, a.id, what, a.reason);
        continue;
      }
      void executor.close({ id: a.id, account: k, label: l.row.label, symbol: a.symbol, side: a.side, fraction: a.kind === 'close_position' ? 1 : a.pct / 100, reason: a.reason, origin: 'engine' });
      sent++;
    }
    for (const x of extra) {
      sendHaltClose(x);
      sent++;
    }
    return sent;
  }

  const skipped = (l: LiveAccount, id: string, what: string, reason: RiskReason) =>
    audit('action.skipped', 'warning', `${l.row.label}: ${what}, but the account is in ${l.row.mode} mode (only enforce mode acts through the API). ${formatReason(reason)}`, { actionId: id, mode: l.row.mode }, { account: l.row.id });

  const refsOfScope = (scope: GateScope | Finding['scope']) =>
    scope.kind === 'strategy' ? { strategyId: scope.strategyId } : { account: accountKey(scope.venue, scope.accountId) };

  // Entries of one evaluation are appended together (one IndexedDB transaction), in order.
  async function recordEvents(events: RiskEvent[]) {
    await Promise.all(
      events.map(async (e) => {
        const reason = 'reason' in e && e.reason ? ` ${formatReason(e.reason)}` : '';
        const sev = e.kind === 'trading_state' ? (e.to === 'HALTED' ? 'critical' : e.to === 'REDUCING' ? 'warning' : 'notice') : e.kind === 'breaker' ? (e.to === 'OPEN' ? 'critical' : 'notice') : 'notice';
        const entry = (await audit(`risk.${e.kind}`, sev, `${describeEvent(e)}${reason}`, { event: { ...e, settings: undefined } }, refsOfScope(e.scope))) as { id?: number } | undefined;
        // A halt always gets through the rate limit (emergency tier): the user must learn that trading stopped.
        if (e.kind === 'trading_state' && e.to === 'HALTED') notifyNow(`state|${scopeKey(e.scope)}`, 'emergency', `${scopeName(e.scope)}: trading halted`, reason.trim() || 'Only exits and cancels pass.', entry?.id ?? null);
      }),
    );
  }

  /** Each finding is recorded once when it appears (and notified by the policy), not on every evaluation it lasts. */
  async function recordFindings(list: Finding[]) {
    const open = new Set(extras.openFindings);
    const next: string[] = [];
    const writes: Promise<void>[] = [];
    for (const f of list) {
      const k = findingKey(f);
      next.push(k);
      if (open.has(k)) continue;
      const text = formatReason(f.reason);
      const where = f.scope.kind === 'strategy' ? `Strategy ${f.scope.strategyId}` : (live.get(accountKey(f.scope.venue, f.scope.accountId))?.row.label ?? f.scope.accountId);
      writes.push(
        (async () => {
          const entry = (await audit('risk.finding', auditSeverity(f.severity), `${where}: ${text}`, { rule: f.rule, value: f.value, limit: f.limit, usedPct: f.usedPct, action: f.action, reason: f.reason }, { ...refsOfScope(f.scope), rule: f.rule })) as
            | { id?: number }
            | undefined;
          if (f.severity !== 'notice') notifyNow(`finding|${f.rule}|${scopeKey(f.scope)}`, f.severity, `${where}: ${checkTitle(f)}`, text, entry?.id ?? null);
        })(),
      );
    }
    await Promise.all(writes);
    extras.openFindings = [...new Set(next)];
  }

  const checkTitle = (f: Finding) => `${f.severity === 'emergency' ? 'EMERGENCY' : f.severity === 'critical' ? 'Critical' : 'Warning'}: ${f.rule.replace(/-/g, ' ')}`;

  function notifyNow(key: string, severity: 'warning' | 'critical' | 'emergency', title: string, message: string, auditId: number | null) {
    const t = now();
    const d = decideNotification(extras.notify, { key, severity, title }, t);
    extras.notify = d.state;
    if (d.show) show(t, key, severity, title, message, auditId);
  }

  function show(t: number, key: string, severity: 'warning' | 'critical' | 'emergency', title: string, message: string, auditId: number | null) {
    const id = `rf-${t}-${Math.abs(hash(key))}`;
    void db.notifications.add({ ts: t, dedupeKey: key, severity, title, message, auditId }).catch(() => undefined);
    deps.notify?.({ id, title, message, severity, auditId });
  }

  /** Warnings the rate limit held back: one summary once the window has room (at the heartbeat). */
  function releaseHeldWarnings() {
    const t = now();
    const r = releaseHeld(extras.notify, t);
    if (!r) return;
    extras.notify = r.state;
    show(t, 'held-warnings', 'warning', r.summary.title, r.summary.message, null);
  }

  /**
   * The kill switch fired: the strategy's row says killed until someone resets it (options page). Only the flag is
   * written, in one transaction with the read of the row: a fill's total or a table edit committed meanwhile stays.
   */
  async function markKilled(list: Finding[]) {
    const fired = list.filter((f) => f.reason.code === 'strategy_kill_switch' && f.breach);
    if (fired.length === 0) return;
    let changedAny = false;
    for (const f of fired) {
      if (f.reason.code !== 'strategy_kill_switch') continue;
      const id = f.reason.strategyId;
      if (strategies.find((s) => s.strategyId === id)?.killed) continue;
      let fresh = true;
      try {
        fresh = await db.transaction('rw', db.strategies, async () => {
          const row = await db.strategies.get(id);
          if (row?.killed) return false;
          if (row) await db.strategies.update(id, { killed: true });
          else await db.strategies.put({ ...newStrategyRow(id, MANUAL_STRATEGY, 0), killed: true });
          return true;
        });
        strategies = await db.strategies.toArray();
      } catch (e) {
        storageFailed(e);
      }
      // Marked in memory too, so a refused write still shows (and keeps) the strategy killed while the worker runs.
      if (!strategies.find((s) => s.strategyId === id)?.killed) {
        const row = strategies.find((s) => s.strategyId === id);
        strategies = row ? strategies.map((r) => (r === row ? { ...r, killed: true } : r)) : [...strategies, { ...newStrategyRow(id, MANUAL_STRATEGY, 0), killed: true }];
      }
      if (!fresh) continue;
      await audit('strategy.killed', 'emergency', `Kill switch: strategy ${id} stopped. ${formatReason(f.reason)}`, { pnl: f.reason.pnl, ...('peak' in f.reason ? { peak: f.reason.peak } : {}) }, { strategyId: id, rule: f.rule });
      changedAny = true;
    }
    if (changedAny) deps.changed('strategies');
  }

  /** Wakes the worker when the next timed hold or breaker ends, so a cooling-off ends on time even if it slept. */
  function scheduleWake() {
    let next: number | null = null;
    const t = now();
    for (const sc of Object.values(risk.scopes)) {
      for (const h of sc.holds) if (typeof h.release === 'number' && h.release > t) next = Math.min(next ?? Infinity, h.release);
      if (sc.breaker.until !== null && sc.breaker.until > t) next = Math.min(next ?? Infinity, sc.breaker.until);
    }
    const bounds = periodBounds(t, settings.account.dayStart);
    next = Math.min(next ?? Infinity, bounds.daily.end);
    deps.wakeAt?.(Number.isFinite(next) ? next : null);
  }

  // ---------- views ----------

  /** `venue:symbol` whose trading rules were asked for on a position's behalf (once each). */
  const rulesAsked = new Set<string>();
  function computeView(): RiskView {
    const dayStarts: Record<string, PeriodStartValue | undefined> = {};
    for (const [k, v] of Object.entries(periodStarts)) dayStarts[k] = v.daily;
    // The trading rules of every open position's symbol, asked in the background (never waited for) so the pages'
    // envelopes have them before the first click; the view is pushed again when they arrive.
    for (const l of live.values()) {
      for (const p of l.positions) {
        const k = `${l.row.venue}:${p.symbol}`;
        if (!l.adapter || instruments.has(k) || rulesAsked.has(k)) continue;
        rulesAsked.add(k);
        void instrumentOf(l, p.symbol).then((r) => {
          if (r && !stopped) publish();
        });
      }
    }
    const atrPct = deps.market?.atrPct() ?? {};
    return buildRiskView({ live: [...live.values()], state: risk, findings, settings, strategies, dayStarts, evaluatedAt, now: now(), atrPct, instruments });
  }

  /** Pushes the risk picture to every view when it changed (and sets the badge). */
  function publish() {
    // Nothing to show before the restore finished.
    if (!settings || !risk) return;
    const v = computeView();
    const json = JSON.stringify(v);
    if (json === lastView) return;
    lastView = json;
    view = v;
    deps.setBadge?.(v.badge);
    deps.changed('risk');
  }

  // ---------- user actions ----------

  async function withState(f: (s: RiskState) => { nextState: RiskState; events: RiskEvent[] }) {
    await ready;
    const r = f(risk);
    risk = r.nextState;
    syncHaltBaselines();
    await persistRisk().catch(storageFailed);
    await recordEvents(r.events);
    scheduleWake();
    publish();
  }

  const accountScope = (l: LiveAccount): GateScope => ({ kind: 'account', venue: l.row.venue, accountId: l.row.accountId });

  let tick: ReturnType<typeof setInterval> | null = null;

  return {
    ready,
    /** Connects every account, and re-evaluates each second so silence (stale data) and expiries show at once. */
    async start() {
      tick ??= setInterval(() => {
        if (live.size > 0) scheduleEval();
        for (const l of live.values()) if (l.row.deadManSwitchSec !== null) void refreshDeadMan(l);
      }, FRESHNESS_TICK_MS);
      await syncAccounts();
    },
    syncAccounts,
    /** Re-reads settings, attribution rules and strategy modes (after a save). */
    async reload() {
      await ready;
      configured = await deps.settings();
    settings = effectiveSettings();
      await loadTables();
      // The symbol rules may have changed: what the book does not explain goes to their strategy.
      for (const l of live.values()) if (attributePositions(l)) void persistPositions(l);
      scheduleEval();
    },
    view: (): RiskView | null => view,
    state: () => risk,
    /** A connected adapter of the venue (for market data), or null. */
    adapterFor(venue: Venue) {
      for (const l of live.values()) if (l.row.venue === venue && l.adapter && l.status === 'live') return l.adapter;
      return null;
    },
    /** Symbols with an open position, per venue. */
    positionSymbols(): { venue: Venue; symbol: string }[] {
      const out = new Map<string, { venue: Venue; symbol: string }>();
      for (const l of live.values()) for (const p of l.positions) if (p.size !== 0) out.set(`${l.row.venue}:${p.symbol}`, { venue: l.row.venue, symbol: p.symbol });
      return [...out.values()];
    },
    /** New market data: the measured correlation groups may have changed; ATR % is read on the next evaluation. */
    async marketChanged() {
      await ready;
      const next = effectiveSettings();
      if (next !== settings && JSON.stringify(next.account.correlationGroups) !== JSON.stringify(settings.account.correlationGroups)) settings = next;
      scheduleEval();
    },
    /** The heartbeat (alarm): re-evaluates (stale data, expired holds), retries dropped accounts, keeps retention. */
    async heartbeat() {
      await ready;
      extras.notify = pruneNotifyState(extras.notify, now());
      releaseHeldWarnings();
      for (const l of live.values()) if (!l.adapter && !reconnectTimers.has(l.row.id) && l.status !== 'locked' && !isStarting(l.row.id)) void startAccount(l.row);
      for (const l of live.values()) if (l.row.deadManSwitchSec !== null) await refreshDeadMan(l);
      await downsampleSnapshots(db, now()).catch(() => undefined);
      scheduleEval();
      publish();
    },
    /** "Take a break": nothing opens on any account until the break ends. */
    async takeBreak(minutes: number) {
      const until = now() + minutes * 60_000;
      await withState((s) => {
        let st = s;
        const events: RiskEvent[] = [];
        for (const l of live.values()) {
          const r = addManualHold(st, { scope: accountScope(l), level: 'HALTED', release: until, reason: { code: 'manual_halt', kind: 'break', until } }, settings, now());
          st = r.nextState;
          events.push(...r.events);
        }
        return { nextState: st, events };
      });
      await audit('user.break', 'warning', `Taking a break for ${minutes} minutes: nothing opens on any account until ${new Date(until).toISOString().slice(0, 16).replace('T', ' ')} UTC.`, { minutes, until });
      return { until };
    },
    /** Emergency: cancel every order and close every position on every account that can trade; halt until reset. */
    async flatten() {
      await ready;
      const t = now();
      await withState((s) => {
        let st = s;
        const events: RiskEvent[] = [];
        for (const l of live.values()) {
          const r = addManualHold(st, { scope: accountScope(l), level: 'HALTED', release: 'manual', reason: { code: 'manual_halt', kind: 'flatten', until: null } }, settings, t);
          st = r.nextState;
          events.push(...r.events);
        }
        return { nextState: st, events };
      });
      const skippedAccounts: string[] = [];
      let positions = 0;
      for (const l of live.values()) {
        if (!l.adapter?.capabilities.trading) {
          skippedAccounts.push(l.row.label);
          continue;
        }
        // Nothing is to stay open: every position is closed (whatever the mode), and while halted a position opened
        // again from elsewhere is closed too (enforce mode). Positions not known yet are closed once they are.
        extras.haltBaselines[l.row.id] = {};
        extras.flattening[l.row.id] = l.positionsSeen ? l.positions.map((p) => `${p.symbol}:${p.side}`) : null;
        positions += l.positions.length;
      }
      // Written before anything is sent: a worker stopped mid-flatten resumes it after the restart. A refused write
      // does not hold the flatten back.
      await persistExtras().catch(storageFailed);
      for (const l of live.values()) {
        if (!l.adapter?.capabilities.trading) continue;
        // Orders that could open or add go now; the stops protecting a position (reduce-only, or one-way exits placed
        // without the flag) stay until the positions are closed, so a close that fails does not leave one unprotected.
        const open = [...l.orders.values()];
        const guarding = protectiveOrders(open, l.positions);
        const entries = open.filter((o) => !guarding.has(o)).map((o) => o.orderId);
        if (entries.length > 0) void executor.cancel({ id: `flatten|${l.row.id}@${t}`, account: l.row.id, label: l.row.label, orderIds: entries, reason: null, origin: 'user' });
      }
      act([], haltCloses([]));
      await audit('user.flatten', 'emergency', `Flatten everything: closing ${positions} position${positions === 1 ? '' : 's'} and cancelling every order; trading halted until reset.${skippedAccounts.length ? ` Read-only, not flattened: ${skippedAccounts.join(', ')}.` : ''}`, { skipped: skippedAccounts });
      return { positions, skipped: skippedAccounts };
    },
    /** Manual reset of an account's or a strategy's holds and breaker (an explicit, recorded event). */
    async reset(scope: GateScope, actor: string, baseline?: number) {
      await ready;
      // A kill switch reset clears the row's killed flag before it gets here: read the table again first, or the next
      // evaluation would see the strategy still killed and halt it again (until someone resets it once more).
      if (scope.kind === 'strategy') strategies = await db.strategies.toArray();
      const l = scope.kind === 'account' ? live.get(accountKey(scope.venue, scope.accountId)) : undefined;
      const base = baseline ?? (scope.kind === 'account' ? l?.account?.equity : undefined);
      await withState((s) => {
        const r = manualReset(s, { scope, actor, note: '', ...(base !== undefined ? { baseline: base } : {}) }, settings, now());
        return { nextState: r.nextState, events: [r.event] };
      });
      if (scope.kind === 'account') delete extras.haltBaselines[accountKey(scope.venue, scope.accountId)];
      await persistExtras().catch(storageFailed);
      scheduleEval();
    },
    /** Pre-trade check of an order from a page: the live account of that venue (or the named one). */
    async check(asked: OrderIntent): Promise<{ account: string | null; mode: EnforcementMode | null; result: ValidationResult | null; note: string | null }> {
      await ready;
      // An order placed on the page carries no bot's client order id: it is judged as the strategy its fills will be
      // booked to, the one the symbol rules give ('manual' without one).
      const pageStrategy = asked.strategyId === GUARD_STRATEGY ? fallbackOf(asked.symbol) : asked.strategyId;
      const intent = pageStrategy === asked.strategyId ? asked : { ...asked, strategyId: pageStrategy };
      const candidates = [...live.values()].filter((l) => l.row.venue === intent.venue && (intent.accountId === null || l.row.accountId === intent.accountId)).sort((a, b) => a.row.id.localeCompare(b.row.id));
      const l = candidates[0];
      if (!l) return { account: null, mode: null, result: null, note: `No ${VENUE[intent.venue]} account is set up in Ringfence: this order is not checked.` };
      const v = accountViewOf(l);
      if (!v) return { account: l.row.id, mode: l.row.mode, result: null, note: `${l.row.label}: no data from ${VENUE[intent.venue]} yet (${l.statusText ?? l.status}).` };
      const strategy = strategies.find((s) => s.strategyId === intent.strategyId) ?? null;
      const instrument = await instrumentOf(l, intent.symbol);
      const result = validate(intent, { view: v, markPrice: l.marks.get(intent.symbol) ?? null, instrument, atrPct: deps.market?.atrPct()[intent.symbol] ?? null, strategy, recentOrders: l.recentOrders }, risk, settings, now());
      const mode = modeOf(l.row, intent.strategyId);
      // Monitor mode never blocks: what would block becomes a warning.
      if (mode === 'monitor' && result.decision === 'block') {
        return { account: l.row.id, mode, result: { ...result, decision: 'warn', reasons: result.reasons.map((r) => ({ ...r, level: 'warn' as const })) }, note: 'Monitor mode: Ringfence warns but does not block.' };
      }
      return { account: l.row.id, mode, result, note: null };
    },
    async stop() {
      stopped = true;
      if (tick) clearInterval(tick);
      for (const t of reconnectTimers.values()) clearTimeout(t);
      reconnectTimers.clear();
      await evaluating;
      // Running closes end after their send in flight (a flatten's are resumed from the stored state next start).
      executor.stop();
      await executor.idle();
      for (const l of live.values()) await stopAdapter(l);
    },
    /** Tests: resolves once no evaluation or action is pending. */
    async settled() {
      for (let i = 0; i < 50; i++) {
        await new Promise((r) => setTimeout(r, 0));
        if (evalQueued || evaluating) {
          await evaluating;
          continue;
        }
        await executor.idle();
        if (!evalQueued && !evaluating) return;
      }
    },
  };
}
export type Supervisor = ReturnType<typeof createSupervisor>;

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
