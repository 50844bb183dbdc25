/**
 * Runs `f` in the next task. A service worker's setTimeout(0) is that; Node's waits at least 1 ms, which would sit in
 * every breach-to-close path the tests and benchmarks run there, so Node's setImmediate is used where it exists.
 */
export const nextTask: (f: () => void) => void =
  typeof setImmediate === 'function' ? (f) => void setImmediate(f) : (f) => void setTimeout(f, 0);

/** Resolves in the next task: work after it runs once what the current task started (an order's send) is out. */
export const afterTask = (): Promise<void> => new Promise((resolve) => nextTask(resolve));
