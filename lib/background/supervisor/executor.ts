/**
 * Carries out the closes and cancels the engine (or the user) asks for, through the adapters. Every action:
 * - is idempotent: one run per position at a time, and client order ids derived from the action id, so a retried
 *   send never doubles a close (the adapters look an order up by its id when an answer was lost);
 * - is retried with backoff (the venue's Retry-After respected) until the exchange confirms, partial fills included:
 *   what is left of a close is closed again until the position is flat;
 * - is recorded in the audit log with its outcome, failures loudly.
 */
import type { PositionSide } from '../../domain/types';
import { backoffDelay, type BackoffOptions } from '../../exchanges/common/backoff';
import { ExchangeError } from '../../exchanges/errors';
import type { ExchangeAdapter } from '../../exchanges/types';
import { formatReason, qty, type RiskReason } from '../../risk';
import type { AuditFn } from '../audit-fn';
import { afterTask } from '../next-task';

/** Worst price a protective close accepts, % from the mark: wide enough to fill in a fast market, capped. */
export const CLOSE_SLIPPAGE_PCT = 2;
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
  /** The live size of a position (0 when flat), to know when a close is done. */
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

export function createExecutor(deps: ExecutorDeps) {
  const { audit } = deps;
  const running = new Map<string, Promise<void>>();

  const retryable = (e: unknown) => e instanceof ExchangeError && e.retryable;
  const waitFor = (attempt: number, e: unknown) =>
    deps.sleep(backoffDelay(attempt, ACTION_BACKOFF, e instanceof ExchangeError ? (e.retryAfterMs ?? 0) : 0, deps.random));

  async function close(o: CloseOrder): Promise<void> {
    const adapter = deps.adapterOf(o.account);
    const refs = { account: o.account };
    const name = `${o.symbol} ${o.side}`;
    if (!adapter) {
      await audit('action.failed', 'critical', `${o.label}: could not close ${name}: the account is not connected.${why(o.reason)}`, { actionId: o.id }, refs);
      deps.onFailure?.(o.id, `Could not close ${name} on ${o.label}: not connected.`);
      return;
    }
    const startSize = Math.abs(deps.sizeOf(o.account, o.symbol, o.side));
    if (startSize === 0) return;
    // A partial close aims at a target size; a full close at flat.
    const target = o.fraction >= 1 ? 0 : startSize * (1 - o.fraction);
    // Recorded while the order goes out, not before: the write starts a task later, once the send (microtasks up to
    // the socket write) is out, so it never delays a protective close.
    const announced = afterTask().then(() => audit(
      'action.close',
      'warning',
      `${o.label}: closing ${o.fraction >= 1 ? 'all of' : `${Math.round(o.fraction * 100)}% of`} ${name} (${qty(startSize)}).${why(o.reason)}`,
      { actionId: o.id, origin: o.origin, symbol: o.symbol, side: o.side, size: startSize, fraction: o.fraction },
      refs,
    ));
    let filled = 0;
    const orderIds: string[] = [];
    /** Sends until the target size is reached; false when it gave up (recorded as a failure). */
    const send = async (): Promise<boolean> => {
      for (let attempt = 1; ; attempt++) {
        const live = Math.abs(deps.sizeOf(o.account, o.symbol, o.side));
        const left = live - target;
        if (live === 0 || left <= live * 1e-9) return true;
        const fraction = target === 0 ? 1 : Math.min(1, left / live);
        try {
          const r = await adapter.closePosition({
            symbol: o.symbol,
            side: o.side,
            fraction,
            maxSlippagePct: CLOSE_SLIPPAGE_PCT,
            clientOrderId: clientOrderIdOf(o.id, attempt),
          });
          filled += r.filledSize;
          orderIds.push(...r.orderIds);
          if (r.status === 'noop' || r.remainingSize <= 0) return true;
          // Partly filled inside the price cap: the rest is sent again, under a new id, after a short pause.
          await announced;
          await audit('action.partial', 'notice', `${o.label}: ${name} close partly filled (${qty(r.filledSize)}); ${qty(r.remainingSize)} left, sending again.`, { actionId: o.id, attempt }, refs);
        } catch (e) {
          await announced;
          if (!retryable(e) || attempt >= MAX_ATTEMPTS) {
            await audit('action.failed', 'critical', `${o.label}: could not close ${name}: ${errText(e)}`, { actionId: o.id, attempt, filled }, refs);
            deps.onFailure?.(o.id, `Could not close ${name} on ${o.label}: ${errText(e)}`);
            return false;
          }
          if (attempt === 1 || attempt % 3 === 0)
            await audit('action.retry', 'notice', `${o.label}: closing ${name} failed (${errText(e)}); retrying with backoff.`, { actionId: o.id, attempt }, refs);
        }
        if (attempt >= MAX_ATTEMPTS) {
          await audit('action.failed', 'critical', `${o.label}: ${name} is still open after ${attempt} attempts to close it.`, { actionId: o.id, filled }, refs);
          deps.onFailure?.(o.id, `${name} on ${o.label} is still open after ${attempt} attempts.`);
          return false;
        }
        await waitFor(attempt, null);
      }
    };
    const ok = await send();
    await announced;
    if (ok) await audit('action.done', 'notice', `${o.label}: ${name} ${target === 0 ? 'closed' : 'reduced'} (${qty(filled)} filled).`, { actionId: o.id, filled, orderIds }, refs);
  }

  async function cancel(c: CancelOrder): Promise<void> {
    const adapter = deps.adapterOf(c.account);
    const refs = { account: c.account };
    const what = c.orderIds ? `${c.orderIds.length} risk-increasing order${c.orderIds.length === 1 ? '' : 's'}` : 'every open order';
    if (!adapter) {
      await audit('action.failed', 'critical', `${c.label}: could not cancel ${what}: the account is not connected.`, { actionId: c.id }, refs);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await adapter.cancelOrders(c.orderIds ? { orderIds: c.orderIds } : {});
        await audit('action.cancel', 'notice', `${c.label}: cancelled ${r.orderIds.length} of ${what}.${why(c.reason)}`, { actionId: c.id, origin: c.origin, orderIds: r.orderIds }, refs);
        return;
      } catch (e) {
        if (!retryable(e) || attempt >= MAX_ATTEMPTS) {
          await audit('action.failed', 'critical', `${c.label}: could not cancel ${what}: ${errText(e)}`, { actionId: c.id, attempt }, refs);
          deps.onFailure?.(c.id, `Could not cancel orders on ${c.label}: ${errText(e)}`);
          return;
        }
        await waitFor(attempt, e);
      }
    }
  }

  /** One run per key at a time: a second request while one runs joins it instead of sending again. */
  const once = (key: string, f: () => Promise<void>): Promise<void> => {
    const cur = running.get(key);
    if (cur) return cur;
    const p = f()
      .catch((e: unknown) => audit('action.failed', 'critical', `Action ${key} failed unexpectedly: ${errText(e)}`))
      .then(() => undefined)
      .finally(() => running.delete(key));
    running.set(key, p);
    return p;
  };

  return {
    close: (o: CloseOrder) => once(`close|${o.account}:${o.symbol}:${o.side}`, () => close(o)),
    cancel: (c: CancelOrder) => once(`cancel|${c.account}|${c.orderIds ? c.orderIds.join(',') : '*'}`, () => cancel(c)),
    /** Whether a close of this position is running. */
    closing: (account: string, symbol: string, side: PositionSide) => running.has(`close|${account}:${symbol}:${side}`),
    /** Resolves when nothing is running (tests, shutdown). */
    idle: async () => {
      while (running.size > 0) await Promise.all([...running.values()]);
    },
  };
}
export type Executor = ReturnType<typeof createExecutor>;
