/**
 * A hold the user asks for ("Take a break", "Flatten everything"): the counterpart of manualReset. Pure, like the
 * rest of the engine: the state in, the next state and the event recording it out.
 */
import { scopeKey } from './keys';
import type { RiskSettings } from './settings';
import { closedBreaker, deriveTrading, type Hold, type RiskEvent, type RiskState } from './state';
import type { GateScope, RiskReason, TradingState } from './types';

export interface ManualHold {
  scope: GateScope;
  level: Exclude<TradingState, 'ACTIVE'>;
  /** An instant (a break of N minutes) or 'manual' (until someone resets the scope). */
  release: number | 'manual';
  reason: RiskReason;
}

/** The hold id a manual hold uses: one per scope, so asking again replaces it (a longer break extends it). */
export const MANUAL_HOLD_ID = 'manual';

export function addManualHold(state: RiskState, hold: ManualHold, settings: RiskSettings, now: number): { nextState: RiskState; events: RiskEvent[] } {
  const key = scopeKey(hold.scope);
  const prev = state.scopes[key];
  const others = (prev?.holds ?? []).filter((h) => h.id !== MANUAL_HOLD_ID);
  const old = prev?.holds.find((h) => h.id === MANUAL_HOLD_ID);
  // A break never shortens one already running: the later end wins, and 'manual' outlasts any instant.
  const release = old && (old.release === 'manual' || (typeof old.release === 'number' && hold.release !== 'manual' && old.release > hold.release)) ? old.release : hold.release;
  const h: Hold = { id: MANUAL_HOLD_ID, rule: 'manual', level: hold.level, release, reason: hold.reason, since: old?.since ?? now };
  const holds = [...others, h];
  const breaker = prev?.breaker ?? closedBreaker(now);
  const from = prev?.trading ?? 'ACTIVE';
  const to = deriveTrading(holds, breaker);
  const events: RiskEvent[] = [];
  if (to !== from) events.push({ kind: 'trading_state', at: now, scope: hold.scope, from, to, cause: 'hold_added', reason: hold.reason, settings });
  return {
    nextState: { ...state, scopes: { ...state.scopes, [key]: { scope: hold.scope, trading: to, since: to !== from ? now : (prev?.since ?? now), holds, breaker } } },
    events,
  };
}
