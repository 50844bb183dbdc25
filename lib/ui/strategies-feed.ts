import { onRevision } from './on-revision';
import { signal } from '@preact/signals';
import type { NewStrategy, StrategyPatch } from '../domain/strategies';
import type { Strategy } from '../domain/types';
import { request, type RuntimeLike } from '../messaging/client';
import type { Result } from '../messaging/protocol';
import type { AttributionRule } from '../domain/attribution';
import {
  attributionGet,
  attributionSave,
  strategiesList,
  strategyCreate,
  strategyModes,
  strategyResetKill,
  strategySetEnabled,
  strategySetMode,
  strategyUpdate,
} from '../messaging/strategy-requests';

export type StrategyMode = 'monitor' | 'guard' | 'enforce';

/** The options page's copy of the strategy table: re-read whenever the pushed revision of the table moves. */
export function createStrategiesFeed(runtime: RuntimeLike) {
  const rows = signal<Strategy[] | null>(null);
  const rules = signal<AttributionRule[] | null>(null);
  const modes = signal<Record<string, StrategyMode>>({});
  const error = signal<string | null>(null);
  let inflight = 0;

  const refresh = async () => {
    const mine = ++inflight;
    const [res, r, m] = await Promise.all([request(runtime, strategiesList, {}), request(runtime, attributionGet, {}), request(runtime, strategyModes, {})]);
    if (mine !== inflight) return; // a newer read is under way
    if (r.ok) rules.value = r.data;
    if (m.ok) modes.value = m.data;
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
    rules,
    modes,
    error,
    onRev: onRevision(refresh),
    create: (s: NewStrategy) => run(request(runtime, strategyCreate, s)),
    update: (ids: string[], patch: StrategyPatch) => run(request(runtime, strategyUpdate, { ids, patch })),
    setEnabled: (ids: string[], enabled: boolean) => run(request(runtime, strategySetEnabled, { ids, enabled })),
    resetKill: (strategyId: string) => run(request(runtime, strategyResetKill, { strategyId })),
    saveRules: (list: AttributionRule[]) => run(request(runtime, attributionSave, { rules: list })),
    setMode: (ids: string[], mode: StrategyMode | null) => run(request(runtime, strategySetMode, { ids, mode })),
  };
}
export type StrategiesFeed = ReturnType<typeof createStrategiesFeed>;
