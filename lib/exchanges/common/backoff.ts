/** Reconnect and retry delays shared by the adapters: exponential, capped, with jitter so clients do not stampede. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** 0..1: the share of each delay that is random. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 };

/** Delay before attempt `attempt` (1-based); `floorMs` (a venue's Retry-After) is never undercut. */
export function backoffDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, floorMs = 0, random: () => number = Math.random): number {
  const n = Math.max(1, Math.min(attempt, 30));
  const base = Math.min(opts.maxMs, opts.initialMs * opts.factor ** (n - 1));
  const jittered = base * (1 - opts.jitter) + base * opts.jitter * random();
  return Math.max(floorMs, Math.round(jittered));
}

/** A sleep that an AbortSignal cuts short (resolves early; callers re-check their own state). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
