/**
 * Carries out the closes and cancels the engine (or the user) asks for, through the adapters. Every action:
 * - is idempotent: one run per position at a time, and client order ids derived from the action id. A send that got
 *   an answer is followed (if anything is left) by one under a new id; a send whose outcome is unknown (no answer, a
 *   refusal) is sent again under the same id, so the adapter finds the order if it arrived and never closes twice;
 * - gives way to a stronger request: a close of a larger share of the same position (a flatten while a partial close
 *   runs) takes over once the running send is answered, instead of joining the weaker one;
 * - is retried with backoff until the exchange confirms, partial fills included: what the last answer says is still to
 *   close is sent again (sized from the venue's answers, never from a streamed size that may lag the fill). The
 *   venue's Retry-After is respected; a close is never given up while the venue is only rate limiting;
 * - is recorded in the audit log with its outcome, failures loudly.
 */
import type { PositionSide } from '../../domain/types';
import { backoffDelay, type BackoffOptions } from '../../exchanges/common/backoff';
import { ExchangeError, RateLimitError } from '../../exchanges/errors';
import type { ActionResult, ExchangeAdapter } from '../../exchanges/types';
import { formatReason, qty, type RiskReason } from '../../risk';
import type { AuditFn } from '../audit-fn';
import { afterTask } from '../next-task';

/** Worst price a protective close accepts, % from the mark: wide enough to fill in a fast market, capped. */
export const CLOSE_SLIPPAGE_PCT = 2;
/** Sends a close (or cancel) gets before it is given up: failed sends other than rate limits, or partly filled ones. */
export const MAX_ATTEMPTS = 8;
export const ACTION_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 10_000, factor: 2, jitter: 0.2 };

export interface CloseOrder {
  /** The engine's action id (or a user action's): the client order ids derive from it. */
  id: string;
  account: string;
  label: string;
  symbol: string;
  side: PositionSide;
  /** Share of the position to close now, (0, 1]. */
  fraction: number;
  reason: RiskReason | null;
  /** Who asked: 'engine', 'halt', 'user'. */
  origin: string;
}

/**
 * How a close ended. done: the position is flat or at the target (or was already); failed: given up (recorded);
 * superseded: a larger close of the same position took over; stopped: the executor was stopped.
 */
export interface CloseOutcome {
  status: 'done' | 'failed' | 'superseded' | 'stopped';
  /** Base units filled by this close. */
  filled: number;
}

export interface CancelOrder {
  id: string;
  account: string;
  label: string;
  /** Only these; undefined: every open order of the account. */
  orderIds?: string[];
  reason: RiskReason | null;
  origin: string;
}

export interface ExecutorDeps {
  audit: AuditFn;
  adapterOf: (account: string) => ExchangeAdapter | null;
  /** The live size of a position (0 when flat): whether there is anything to close. */
  sizeOf: (account: string, symbol: string, side: PositionSide) => number;
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
  onFailure?: (what: string, message: string) => void;
}

/** FNV-1a, 32 bit, as 8 hex digits: short stable ids from long action ids. */
function fnv(s: string, seed = 0x811c9dc5): string {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
/** Binance allows 36 characters of [.A-Z:/a-z0-9_-]; Hyperliquid's adapter hashes any id into a cloid. */
export const clientOrderIdOf = (actionId: string, attempt: number) => `rf-${fnv(actionId)}${fnv(actionId, 0x1b873593)}-${attempt}`;

const why = (r: RiskReason | null) => (r ? ` ${formatReason(r)}` : '');
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const positionKey = (account: string, symbol: string, side: PositionSide) => `close|${account}:${symbol}:${side}`;

/** One close in progress. */
interface Run {
  o: CloseOrder;
  /** A larger close of the same position asked to take over: this one stops after the send in flight. */
  superseded: boolean;
  /** Cuts a pause short (superseded, stopped). */
  wake: () => void;
  woken: Promise<void>;
  done: Promise<CloseOutcome>;
}

export function createExecutor(deps: ExecutorDeps) {
  const { audit } = deps;
  const runs = new Map<string, Run>();
  const cancels = new Map<string, Promise<boolean>>();
  let stopped = false;

  const retryable = (e: unknown) => e instanceof ExchangeError && e.retryable;
  const retryAfter = (e: unknown) => (e instanceof ExchangeError ? (e.retryAfterMs ?? 0) : 0);
  const waitFor = (attempt: number, e: unknown) => deps.sleep(backoffDelay(attempt, ACTION_BACKOFF, retryAfter(e), deps.random));

  async function runClose(o: CloseOrder, run: Run): Promise<CloseOutcome> {
    const adapter = deps.adapterOf(o.account);
    const refs = { account: o.account };
    const name = `${o.symbol} ${o.side}`;
    if (!adapter) {
      await audit('action.failed', 'critical', `${o.label}: could not close ${name}: the account is not connected.${why(o.reason)}`, { actionId: o.id }, refs);
      deps.onFailure?.(o.id, `Could not close ${name} on ${o.label}: not connected.`);
      return { status: 'failed', filled: 0 };
    }
    const startSize = Math.abs(deps.sizeOf(o.account, o.symbol, o.side));
    if (startSize === 0) return { status: 'done', filled: 0 };
    const full = o.fraction >= 1;
    // Recorded while the order goes out, not before: the write starts a task later, once the send (microtasks up to
    // the socket write) is out, so it never delays a protective close.
    const announced = afterTask().then(() => audit(
      'action.close',
      'warning',
      `${o.label}: closing ${full ? 'all of' : `${Math.round(o.fraction * 100)}% of`} ${name} (${qty(startSize)}).${why(o.reason)}`,
      { actionId: o.id, origin: o.origin, symbol: o.symbol, side: o.side, size: startSize, fraction: o.fraction },
      refs,
    ));
    const pause = (wait: Promise<void>) => Promise.race([wait, run.woken]);
    let filled = 0;
    const orderIds: string[] = [];
    /** A partial close: what the venue's last answer says is still to close (base units); null before the first answer. */
    let left: number | null = null;
    /** The client order id's sequence: a new one after each answer, the same one after a send with no answer. */
    let seq = 1;
    let failures = 0;
    let answered = 0;
    let limits = 0;
    /** Sends until the target is reached; the outcome (a failure is recorded here). */
    const send = async (): Promise<CloseOutcome['status']> => {
      for (;;) {
        if (run.superseded) return 'superseded';
        if (stopped) return 'stopped';
        if (Math.abs(deps.sizeOf(o.account, o.symbol, o.side)) === 0) return 'done';
        // A full close closes what there is; a partial one its share first, then what the answers say is left: the
        // streamed size may not show the last fill yet, and a share of it would close too much.
        const believed = Math.max(0, startSize - filled);
        const amount: { fraction: number; size?: number } =
          full || left === null ? { fraction: o.fraction } : { fraction: believed > left ? left / believed : 1, size: left };
        let r: ActionResult;
        try {
          r = await adapter.closePosition({
            symbol: o.symbol,
            side: o.side,
            ...amount,
            maxSlippagePct: CLOSE_SLIPPAGE_PCT,
            clientOrderId: clientOrderIdOf(o.id, seq),
          });
        } catch (e) {
          await announced;
          if (e instanceof RateLimitError) {
            // The venue refuses for now: nothing was placed. Sent again (same id) once the limit ends, however long
            // that is; recorded once.
            limits++;
            if (limits === 1) await audit('action.retry', 'notice', `${o.label}: closing ${name} failed (${errText(e)}); retrying with backoff.`, { actionId: o.id, attempt: seq, retryAfterMs: e.retryAfterMs ?? null }, refs);
            await pause(waitFor(limits, e));
            continue;
          }
          failures++;
          if (!retryable(e) || failures >= MAX_ATTEMPTS) {
            await audit('action.failed', 'critical', `${o.label}: could not close ${name}: ${errText(e)}`, { actionId: o.id, attempt: failures, filled }, refs);
            deps.onFailure?.(o.id, `Could not close ${name} on ${o.label}: ${errText(e)}`);
            return 'failed';
          }
          if (failures === 1 || failures % 3 === 0)
            await audit('action.retry', 'notice', `${o.label}: closing ${name} failed (${errText(e)}); retrying with backoff.`, { actionId: o.id, attempt: failures }, refs);
          await pause(waitFor(failures, e));
          continue;
        }
        filled += r.filledSize;
        orderIds.push(...r.orderIds);
        if (r.status === 'noop' || r.remainingSize <= 0) return 'done';
        answered++;
        seq++;
        left = r.remainingSize;
        await announced;
        if (answered >= MAX_ATTEMPTS) {
          await audit('action.failed', 'critical', `${o.label}: ${name} is still open after ${answered} attempts to close it.`, { actionId: o.id, filled }, refs);
          deps.onFailure?.(o.id, `${name} on ${o.label} is still open after ${answered} attempts.`);
          return 'failed';
        }
        // Partly filled inside the price cap: the rest is sent again, under a new id, after a short pause.
        await audit('action.partial', 'notice', `${o.label}: ${name} close partly filled (${qty(r.filledSize)}); ${qty(r.remainingSize)} left, sending again.`, { actionId: o.id, attempt: answered }, refs);
        await pause(waitFor(answered, null));
      }
    };
    const status = await send();
    await announced;
    if (status === 'done') await audit('action.done', 'notice', `${o.label}: ${name} ${full ? 'closed' : 'reduced'} (${qty(filled)} filled).`, { actionId: o.id, filled, orderIds }, refs);
    if (status === 'superseded') await audit('action.superseded', 'notice', `${o.label}: ${name}: a larger close takes over (${qty(filled)} filled so far).`, { actionId: o.id, filled, orderIds }, refs);
    if (status === 'stopped') await audit('action.stopped', 'warning', `${o.label}: ${name}: closing stopped with Ringfence (${qty(filled)} filled).`, { actionId: o.id, filled, orderIds }, refs);
    return { status, filled };
  }

  /**
   * One run per position: a request no larger than the running one joins it; a larger one (a bigger share, or all)
   * takes over: the running close stops after its send in flight, then the larger one starts from what is left.
   */
  function close(o: CloseOrder): Promise<CloseOutcome> {
    const key = positionKey(o.account, o.symbol, o.side);
    const cur = runs.get(key);
    if (cur && o.fraction <= cur.o.fraction) return cur.done;
    let wake!: () => void;
    const woken = new Promise<void>((r) => (wake = r));
    const run: Run = { o, superseded: false, wake, woken, done: Promise.resolve({ status: 'done', filled: 0 }) };
    if (cur) {
      cur.superseded = true;
      cur.wake();
    }
    const before: Promise<unknown> = cur ? cur.done : Promise.resolve();
    run.done = before
      .then(() => runClose(o, run))
      .catch(async (e: unknown): Promise<CloseOutcome> => {
        await audit('action.failed', 'critical', `Action ${key} failed unexpectedly: ${errText(e)}`);
        return { status: 'failed', filled: 0 };
      })
      .finally(() => {
        if (runs.get(key) === run) runs.delete(key);
      });
    runs.set(key, run);
    return run.done;
  }

  /** True once the venue confirmed the cancel. */
  async function cancel(c: CancelOrder): Promise<boolean> {
    const adapter = deps.adapterOf(c.account);
    const refs = { account: c.account };
    const what = c.orderIds ? `${c.orderIds.length} risk-increasing order${c.orderIds.length === 1 ? '' : 's'}` : 'every open order';
    if (!adapter) {
      await audit('action.failed', 'critical', `${c.label}: could not cancel ${what}: the account is not connected.`, { actionId: c.id }, refs);
      return false;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await adapter.cancelOrders(c.orderIds ? { orderIds: c.orderIds } : {});
        await audit('action.cancel', 'notice', `${c.label}: cancelled ${r.orderIds.length} of ${what}.${why(c.reason)}`, { actionId: c.id, origin: c.origin, orderIds: r.orderIds }, refs);
        return true;
      } catch (e) {
        if (!retryable(e) || attempt >= MAX_ATTEMPTS) {
          await audit('action.failed', 'critical', `${c.label}: could not cancel ${what}: ${errText(e)}`, { actionId: c.id, attempt }, refs);
          deps.onFailure?.(c.id, `Could not cancel orders on ${c.label}: ${errText(e)}`);
          return false;
        }
        await waitFor(attempt, e);
      }
    }
  }

  /** One cancel per key at a time: a second request while one runs joins it instead of sending again. */
  const onceCancel = (key: string, f: () => Promise<boolean>): Promise<boolean> => {
    const cur = cancels.get(key);
    if (cur) return cur;
    const p = f()
      .catch(async (e: unknown) => {
        await audit('action.failed', 'critical', `Action ${key} failed unexpectedly: ${errText(e)}`);
        return false;
      })
      .finally(() => cancels.delete(key));
    cancels.set(key, p);
    return p;
  };

  return {
    close,
    cancel: (c: CancelOrder) => onceCancel(`cancel|${c.account}|${c.orderIds ? c.orderIds.join(',') : '*'}`, () => cancel(c)),
    /** No new sends: running closes end after the send in flight (a pause is cut short). */
    stop() {
      stopped = true;
      for (const r of runs.values()) r.wake();
    },
    /** Resolves when nothing is running (tests, shutdown). */
    idle: async () => {
      while (runs.size > 0 || cancels.size > 0) await Promise.all([...[...runs.values()].map((r) => r.done), ...cancels.values()]);
    },
  };
}
export type Executor = ReturnType<typeof createExecutor>;
