/**
 * The executor: a protective close leaves before anything is written about it; a stronger close takes over a weaker
 * one; partial fills, rate limits and lost answers.
 */
import { describe, expect, it, vi } from 'vitest';
import type { AuditFn } from '@/lib/background/audit-fn';
import { createExecutor, MAX_ATTEMPTS } from '@/lib/background/supervisor/executor';
import { NetworkError, RateLimitError } from '@/lib/exchanges/errors';
import type { ExchangeAdapter } from '@/lib/exchanges/types';
import { FakeAdapter } from '../helpers/fake-adapter';

const ACCOUNT = 'binance:main';

function rig() {
  const log: string[] = [];
  const adapter = new FakeAdapter({ accountId: 'main', credentials: { venue: 'binance', apiKey: 'k', apiSecret: 's' } } as never);
  adapter.positions = [adapter.position('BTCUSDT', 'long', 0.08, 60_000, 55_200)];
  const close = adapter.closePosition.bind(adapter);
  adapter.closePosition = (req) => {
    log.push(`send ${req.clientOrderId}`);
    return close(req);
  };
  const audit: AuditFn = async (kind) => {
    log.push(kind);
    return undefined;
  };
  const executor = createExecutor({
    audit,
    adapterOf: (account) => (account === ACCOUNT ? (adapter as ExchangeAdapter) : null),
    sizeOf: (_a, symbol, side) => adapter.positions.find((p) => p.symbol === symbol && p.side === side)?.size ?? 0,
    sleep: async () => undefined,
  });
  return { log, adapter, executor };
}

describe('executor', () => {
  it('sends the close before it writes the close to the audit log, then records the outcome', async () => {
    const { log, executor } = rig();
    await executor.close({ id: 'close|a', account: ACCOUNT, label: 'Main', symbol: 'BTCUSDT', side: 'long', fraction: 1, reason: null, origin: 'engine' });
    expect(log).toEqual([expect.stringMatching(/^send rf-[0-9a-f]{16}-1$/), 'action.close', 'action.done']);
  });

  it('a close that fails for good is announced before its failure is recorded', async () => {
    const { log, adapter, executor } = rig();
    adapter.closePosition = async () => {
      log.push('send');
      throw new Error('refused');
    };
    await executor.close({ id: 'close|b', account: ACCOUNT, label: 'Main', symbol: 'BTCUSDT', side: 'long', fraction: 1, reason: null, origin: 'engine' });
    expect(log).toEqual(['send', 'action.close', 'action.failed']);
  });
});

/** A rig on a position of `size`: `stream` is the size the supervisor reports (null: the venue's own, as it changes). */
function sized(symbol: string, size: number, stream: number | null = null, pauses: (ms: number) => Promise<void> = async () => undefined) {
  const log: string[] = [];
  const sleeps: number[] = [];
  const adapter = new FakeAdapter({ accountId: 'main', credentials: { venue: 'binance', apiKey: 'k', apiSecret: 's' } } as never);
  adapter.positions = [adapter.position(symbol, 'long', size, 60_000, 60_000)];
  const executor = createExecutor({
    audit: async (kind, _s, msg) => void log.push(`${kind}: ${msg}`),
    adapterOf: (account) => (account === ACCOUNT ? (adapter as ExchangeAdapter) : null),
    sizeOf: (_a, s, side) => stream ?? adapter.positions.find((p) => p.symbol === s && p.side === side)?.size ?? 0,
    sleep: (ms) => {
      sleeps.push(Math.round(ms));
      return pauses(ms);
    },
    random: () => 0.5,
  });
  return { log, sleeps, adapter, executor };
}
const order = (id: string, fraction: number, symbol = 'BTCUSDT') => ({ id, account: ACCOUNT, label: 'Main', symbol, side: 'long' as const, fraction, reason: null, origin: 'engine' });

describe('executor: a stronger close, partial fills, rate limits, lost answers', () => {
  it('a close of the whole position asked while a partial close of it retries takes over and closes everything', async () => {
    // The first pause (the partial close's, after a refusal) lasts until something cuts it short.
    let paused = 0;
    const { log, adapter, executor } = sized('BTCUSDT', 10, null, () => (++paused === 1 ? new Promise<void>(() => {}) : Promise.resolve()));
    adapter.failNext = 2; // refused twice (429)
    const partial = executor.close(order('partial|1', 0.5));
    await vi.waitFor(() => expect(paused).toBe(1));
    const all = executor.close({ ...order('flatten|2', 1), origin: 'user' });
    expect(await partial).toEqual({ status: 'superseded', filled: 0 });
    expect(await all).toEqual({ status: 'done', filled: 10 });
    expect(adapter.positions).toEqual([]);
    expect(adapter.closes.map((c) => c.fraction)).toEqual([1]);
    expect(log).toEqual([
      'action.close: Main: closing 50% of BTCUSDT long (10).',
      'action.retry: Main: closing BTCUSDT long failed (fake: 429); retrying with backoff.',
      'action.superseded: Main: BTCUSDT long: a larger close takes over (0 filled so far).',
      'action.close: Main: closing all of BTCUSDT long (10).',
      'action.retry: Main: closing BTCUSDT long failed (fake: 429); retrying with backoff.',
      'action.done: Main: BTCUSDT long closed (10 filled).',
    ]);
  });

  it('a smaller or equal close asked while one runs joins it', async () => {
    const { adapter, executor } = sized('BTCUSDT', 10);
    const all = executor.close(order('close|1', 1));
    const half = executor.close(order('partial|2', 0.5));
    expect(await half).toBe(await all);
    expect(adapter.closes).toHaveLength(1);
  });

  it('a partial close filled in parts sends what the answers say is left, not a share of a streamed size that lags', async () => {
    // The stream still says 10 after each fill; the venue fills at most 3 per order inside the price cap.
    const { log, adapter, executor } = sized('BTCUSDT', 10, 10);
    adapter.fillCap = 3;
    expect(await executor.close(order('partial|1', 0.5))).toEqual({ status: 'done', filled: 5 });
    expect(adapter.positions[0]!.size).toBeCloseTo(5, 9);
    expect(adapter.closes.map((c) => [c.sizeBefore, c.size])).toEqual([
      [10, undefined],
      [7, 2],
    ]);
    expect(log.at(-1)).toBe('action.done: Main: BTCUSDT long reduced (5 filled).');
  });

  it('a close refused by a rate limit waits for its Retry-After however often it comes, records it once, and is not given up', async () => {
    const { log, sleeps, adapter, executor } = sized('BTCUSDT', 1);
    const close = adapter.closePosition.bind(adapter);
    let refusals = 0;
    // A 418 ban of ten minutes, answered in 30 s steps: more refusals than MAX_ATTEMPTS.
    adapter.closePosition = async (req) => {
      if (refusals < MAX_ATTEMPTS + 12) {
        refusals++;
        throw new RateLimitError('binance: banned (HTTP 418)', { venue: 'binance', code: 418, retryAfterMs: 30_000 });
      }
      return close(req);
    };
    expect(await executor.close(order('close|1', 1))).toEqual({ status: 'done', filled: 1 });
    expect(sleeps).toHaveLength(MAX_ATTEMPTS + 12);
    expect(sleeps.every((ms) => ms >= 30_000)).toBe(true);
    expect(log).toEqual([
      'action.close: Main: closing all of BTCUSDT long (1).',
      'action.retry: Main: closing BTCUSDT long failed (binance: banned (HTTP 418)); retrying with backoff.',
      'action.done: Main: BTCUSDT long closed (1 filled).',
    ]);
  });

  it('a send with no answer goes again under the same client order id; after an answer, the next send gets a new one', async () => {
    const { adapter, executor } = sized('BTCUSDT', 1);
    adapter.fillCap = 0.6;
    const close = adapter.closePosition.bind(adapter);
    const ids: string[] = [];
    adapter.closePosition = async (req) => {
      ids.push(req.clientOrderId);
      if (ids.length === 1) throw new NetworkError('binance: socket hang up', { venue: 'binance' });
      return close(req);
    };
    expect(await executor.close(order('close|1', 1))).toEqual({ status: 'done', filled: 1 });
    expect(ids).toHaveLength(3);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[1]);
    expect(ids.map((id) => id.slice(-2))).toEqual(['-1', '-1', '-2']);
  });
});
