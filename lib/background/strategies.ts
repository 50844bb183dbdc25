/** The strategy table's requests: every change is validated whole, applied atomically and recorded in the audit log. */
import type { AttributionRule } from '../domain/attribution';
import { applyStrategyPatch, type NewStrategy, type StrategyPatch } from '../domain/strategies';
import type { Strategy } from '../domain/types';
import { RequestError } from '../messaging/router';
import type { RiskSettings } from '../risk/settings';
import type { EnforcementMode, RingfenceDb } from '../store/db';
import { diffValues } from '../store/settings';
import type { AuditFn } from './audit-fn';
import { lockEnd, lockRefusal, refuseWhileLocked, type Loosening } from './settings';

export interface StrategyDeps {
  db: RingfenceDb;
  audit: AuditFn;
  /** The table changed: views re-read it. */
  changed: () => void;
  now?: () => number;
  /** A kill switch was reset: the risk loop clears the strategy's halt (an explicit, recorded event). */
  onKillReset?: (strategyId: string) => Promise<void>;
  /** What a strategy missing from the table trades with: a new row must not be looser while the settings are locked. */
  defaults: () => Promise<RiskSettings['strategyDefaults']>;
}

export const ATTRIBUTION_KEY = 'attribution';
export const STRATEGY_MODES_KEY = 'strategy-modes';

/** A new strategy's score before it has traded: neutral. */
export const NEW_STRATEGY_SCORE = 50;
const money = (n: number) => `${n < 0 ? '-' : ''}$${Math.abs(n).toFixed(2)}`;

type Limits = Pick<Strategy, 'symbol' | 'enabled' | 'riskPerTradePct' | 'stopLossUsd' | 'maxDrawdownUsd'>;
/** The first way `after` is looser than `before`: a higher limit, enabled, or a symbol widened (null is any symbol). */
export function strategyLoosening(id: string, before: Limits, after: Limits): Loosening | undefined {
  for (const k of ['riskPerTradePct', 'stopLossUsd', 'maxDrawdownUsd', 'enabled', 'symbol'] as const) {
    const [from, to] = [before[k], after[k]];
    if (k === 'symbol' ? from !== null && to !== from : Number(to) > Number(from)) return { what: `Strategy ${id} ${k}`, from, to };
  }
  return undefined;
}
/** Enforcement modes from weakest to strongest: a change to a weaker one loosens. */
export const MODE_RANK: Record<EnforcementMode, number> = { monitor: 0, guard: 1, enforce: 2 };

export function strategyHandlers({ db, audit, changed, now = Date.now, onKillReset, defaults }: StrategyDeps) {
  const readModes = async (): Promise<Record<string, EnforcementMode>> => {
    const v = (await db.settings.get(STRATEGY_MODES_KEY))?.value;
    return v && typeof v === 'object' ? (v as Record<string, EnforcementMode>) : {};
  };
  const readRules = async (): Promise<AttributionRule[]> => {
    const v = (await db.settings.get(ATTRIBUTION_KEY))?.value;
    return Array.isArray(v) ? (v as AttributionRule[]) : [];
  };

  /** Loads every id or fails naming the first missing one; the transform must accept all rows or nothing is saved. */
  const modify = async (ids: string[], change: (row: Strategy) => Strategy, kind: string) => {
    const unique = [...new Set(ids)];
    // Read before the transaction (it covers the table only); a lock can be extended but never shortened.
    const until = await lockEnd(db, now);
    const transform = (row: Strategy) => {
      const next = change(row);
      const l = until === null ? undefined : strategyLoosening(row.strategyId, row, next);
      if (l) throw lockRefusal(until!, l);
      return next;
    };
    const { before, after } = await db.transaction('rw', db.strategies, async () => {
      const rows = await db.strategies.bulkGet(unique);
      const missing = unique.find((_, i) => !rows[i]);
      if (missing) throw new RequestError('invalid_data', `No strategy "${missing}".`);
      const before = rows as Strategy[];
      const after = before.map(transform);
      await db.strategies.bulkPut(after);
      return { before, after };
    });
    for (let i = 0; i < after.length; i++) {
      const changes = diffValues(before[i], after[i]);
      if (changes.length === 0) continue;
      const list = changes.map((c) => `${c.path} ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`).join(', ');
      await audit(kind, 'notice', `Strategy ${after[i]!.strategyId} changed: ${list}.`, { changes }, { strategyId: after[i]!.strategyId });
    }
    changed();
    return after;
  };

  return {
    'strategies.list': () => db.strategies.orderBy('strategyId').toArray(),
    'strategy.create': async (data: NewStrategy & Omit<Strategy, 'killed' | 'totalPnl' | 'score'>) => {
      const row: Strategy = { ...data, killed: false, totalPnl: 0, score: NEW_STRATEGY_SCORE };
      const contradiction = applyStrategyPatch(row, {});
      if (!contradiction.ok) throw new RequestError('invalid_data', contradiction.message);
      // Without a row the strategy trades with the defaults: the new row is compared with those.
      await refuseWhileLocked(db, now, async () => strategyLoosening(row.strategyId, { ...(await defaults()), symbol: null }, row));
      await db.transaction('rw', db.strategies, async () => {
        if (await db.strategies.get(row.strategyId)) {
          throw new RequestError('invalid_data', `A strategy "${row.strategyId}" exists already.`);
        }
        await db.strategies.add(row);
      });
      await audit('strategy.created', 'notice', `Strategy ${row.strategyId} added (source ${row.source}).`, undefined, { strategyId: row.strategyId });
      changed();
      return row;
    },
    'strategy.update': ({ ids, patch }: { ids: string[]; patch: StrategyPatch }) =>
      modify(
        ids,
        (row) => {
          const res = applyStrategyPatch(row, patch);
          if (!res.ok) throw new RequestError('invalid_data', res.message);
          return res.row;
        },
        'strategy.updated',
      ),
    'strategy.setEnabled': ({ ids, enabled }: { ids: string[]; enabled: boolean }) =>
      modify(ids, (row) => ({ ...row, enabled }), enabled ? 'strategy.enabled' : 'strategy.disabled'),
    'strategy.resetKill': async ({ strategyId }: { strategyId: string }) => {
      // An explicit, recorded event: the kill state and the strategy's running PnL start again from zero.
      await refuseWhileLocked(db, now, async () => ((await db.strategies.get(strategyId))?.killed ? { what: `Strategy ${strategyId} killed`, from: true, to: false } : undefined));
      const { was, next } = await db.transaction('rw', db.strategies, async () => {
        const row = await db.strategies.get(strategyId);
        if (!row) throw new RequestError('invalid_data', `No strategy "${strategyId}".`);
        if (!row.killed) throw new RequestError('invalid_data', `Strategy ${strategyId} is not killed: nothing to reset.`);
        const next: Strategy = { ...row, killed: false, totalPnl: 0 };
        await db.strategies.put(next);
        return { was: row.totalPnl, next };
      });
      await onKillReset?.(strategyId);
      await audit('strategy.kill_reset', 'warning', `Kill switch of ${strategyId} reset by the user (total PnL was ${money(was)}).`, { totalPnlBefore: was }, { strategyId });
      changed();
      return next;
    },
    'attribution.get': () => readRules(),
    'attribution.save': async ({ rules }: { rules: AttributionRule[] }) => {
      const before = await readRules();
      const show = (r: AttributionRule) => `${r.clientOrderIdPrefix ? `id ${r.clientOrderIdPrefix}*` : 'any id'}${r.symbol ? ` on ${r.symbol}` : ''} -> ${r.strategyId}`;
      // Any change can move trades to another budget (a fresh, unkilled strategy, or manual): none while locked.
      await refuseWhileLocked(db, now, () => {
        const i = [...before, ...rules].findIndex((_, i) => JSON.stringify(before[i]) !== JSON.stringify(rules[i]));
        const rule = (r: AttributionRule | undefined) => r && show(r);
        return i < 0 ? undefined : { what: `Attribution rule ${i + 1}`, from: rule(before[i]), to: rule(rules[i]) };
      });
      await db.settings.put({ key: ATTRIBUTION_KEY, value: rules, updatedAt: now() });
      await audit('attribution.changed', 'notice', `Attribution rules changed (${before.length} -> ${rules.length}): ${rules.length ? rules.map(show).join('; ') : 'none (every trade is manual)'}.`, { before, after: rules });
      changed();
      return rules;
    },
    'strategy.modes': () => readModes(),
    'strategy.setMode': async ({ ids, mode }: { ids: string[]; mode: EnforcementMode | null }) => {
      const modes = { ...(await readModes()) };
      // No override (null) is the mode of whichever account the strategy trades on, one added later too: as a source
      // it may be enforce, as a target monitor. So only null -> enforce and monitor -> null pass while locked.
      await refuseWhileLocked(db, now, () => {
        const id = ids.find((i) => (mode ? MODE_RANK[mode] : 0) < (modes[i] ? MODE_RANK[modes[i]] : 2));
        return id === undefined ? undefined : { what: `Strategy ${id} mode`, from: modes[id] ?? 'account', to: mode ?? 'account' };
      });
      for (const id of ids) {
        if (mode === null) delete modes[id];
        else modes[id] = mode;
      }
      await db.settings.put({ key: STRATEGY_MODES_KEY, value: modes, updatedAt: now() });
      await audit('strategy.mode', 'notice', `Enforcement mode of ${ids.join(', ')}: ${mode ?? "the account's mode"}.`, { ids, mode });
      changed();
      return modes;
    },
  };
}
