import { onRevision } from './on-revision';
import { signal } from '@preact/signals';
import type { NewStrategy, StrategyPatch } from '../domain/strategies';
import type { Strategy } from '../domain/types';
import { request, type RuntimeLike } from '../messaging/client';
import type { Result } from '../messaging/protocol';
import {
  strategiesList,
  strategyCreate,
  strategyResetKill,
  strategySetEnabled,
  strategyUpdate,
} from '../messaging/strategy-requests';

/** The options page's copy of the strategy table: re-read whenever the pushed revision of the table moves. */
export function createStrategiesFeed(runtime: RuntimeLike) {
  const rows = signal<Strategy[] | null>(null);
  const error = signal<string | null>(null);
  let inflight = 0;

  const refresh = async () => {
    const mine = ++inflight;
    const res = await request(runtime, strategiesList, {});
    if (mine !== inflight) return; // a newer read is under way
    if (res.ok) {
      rows.value = res.data;
      error.value = null;
    } else error.value = res.error.message;
  };
  /** Error message, or null when done. */
  const run = async <T>(p: Promise<Result<T>>): Promise<string | null> => {
    const res = await p;
    if (!res.ok) return res.error.issues?.length ? `${res.error.message} ${res.error.issues.join('; ')}` : res.error.message;
    await refresh();
    return null;
  };

  return {
    rows,
    error,
    onRev: onRevision(refresh),
    create: (s: NewStrategy) => run(request(runtime, strategyCreate, s)),
    update: (ids: string[], patch: StrategyPatch) => run(request(runtime, strategyUpdate, { ids, patch })),
    setEnabled: (ids: string[], enabled: boolean) => run(request(runtime, strategySetEnabled, { ids, enabled })),
    resetKill: (strategyId: string) => run(request(runtime, strategyResetKill, { strategyId })),
  };
}
export type StrategiesFeed = ReturnType<typeof createStrategiesFeed>;
