/**
 * Which findings become desktop notifications. Tiered: notices never notify; warnings, criticals and emergencies do.
 * Deduplicated: the same key at the same or a lower severity stays quiet for a cooldown, so a value flapping around a
 * limit notifies once; an escalation (warning -> critical) always notifies. Rate-limited: at most `maxPerWindow`
 * notifications per window, warnings only: criticals and emergencies always get through (and count in the window),
 * because the caller offers a finding once, when it appears, so one dropped here would never be shown. Warnings held
 * back are counted and come out as one summary once the window has room (releaseHeld). State is plain data (persisted).
 */
export type NotifySeverity = 'notice' | 'warning' | 'critical' | 'emergency';
const RANK: Record<NotifySeverity, number> = { notice: 0, warning: 1, critical: 2, emergency: 3 };

export interface NotifyPolicySettings {
  cooldownMs: number;
  windowMs: number;
  maxPerWindow: number;
}
export const DEFAULT_NOTIFY_POLICY: NotifyPolicySettings = { cooldownMs: 5 * 60_000, windowMs: 60_000, maxPerWindow: 5 };

export interface NotifyState {
  /** Per dedupe key: the last severity notified and when. */
  last: Record<string, { severity: NotifySeverity; at: number }>;
  /** Times of recent notifications, for the rate limit. */
  recent: number[];
  /** Warnings the rate limit held back since the last summary: how many, and the first one's title. */
  held?: { count: number; title: string };
}
export const emptyNotifyState = (): NotifyState => ({ last: {}, recent: [] });

export type NotifyDecision =
  | { show: true; state: NotifyState }
  | { show: false; state: NotifyState; why: 'tier' | 'duplicate' | 'rate_limited' };

export function decideNotification(
  state: NotifyState,
  item: { key: string; severity: NotifySeverity; title?: string },
  now: number,
  settings: NotifyPolicySettings = DEFAULT_NOTIFY_POLICY,
): NotifyDecision {
  if (item.severity === 'notice') return { show: false, state, why: 'tier' };
  const prev = state.last[item.key];
  const escalation = !prev || RANK[item.severity] > RANK[prev.severity];
  if (!escalation && now - prev.at < settings.cooldownMs) return { show: false, state, why: 'duplicate' };
  const recent = state.recent.filter((t) => now - t < settings.windowMs);
  if (item.severity === 'warning' && recent.length >= settings.maxPerWindow) {
    const held = { count: (state.held?.count ?? 0) + 1, title: state.held?.title ?? item.title ?? '' };
    return { show: false, state: { ...state, recent, held }, why: 'rate_limited' };
  }
  return {
    show: true,
    state: { ...state, last: { ...state.last, [item.key]: { severity: item.severity, at: now } }, recent: [...recent, now] },
  };
}

/**
 * The warnings the rate limit held back, as one notification once the window has room again (it counts in the
 * window). Null when none are held or the window is still full.
 */
export function releaseHeld(
  state: NotifyState,
  now: number,
  settings: NotifyPolicySettings = DEFAULT_NOTIFY_POLICY,
): { summary: { title: string; message: string }; state: NotifyState } | null {
  const held = state.held;
  if (!held) return null;
  const recent = state.recent.filter((t) => now - t < settings.windowMs);
  if (recent.length >= settings.maxPerWindow) return null;
  const n = held.count;
  const summary = {
    title: `${n} more warning${n === 1 ? '' : 's'} not shown`,
    message: `Too many warnings at once to show each${held.title ? `; the first: ${held.title}` : ''}. The Activity log lists ${n === 1 ? 'it' : 'them all'}.`,
  };
  return { summary, state: { last: state.last, recent: [...recent, now] } };
}

/** Forget keys whose cooldown is long over, so the state does not grow without bound. */
export function pruneNotifyState(state: NotifyState, now: number, settings: NotifyPolicySettings = DEFAULT_NOTIFY_POLICY): NotifyState {
  const last = Object.fromEntries(Object.entries(state.last).filter(([, v]) => now - v.at < settings.cooldownMs * 4));
  return { ...state, last, recent: state.recent.filter((t) => now - t < settings.windowMs) };
}
