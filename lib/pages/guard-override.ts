/**
 * The order guard's override rules, pure: which kind of block allows which override (settings `guard.policy`), the
 * dialog's override state (countdown, typed phrase), and the one-shot pass that lets exactly the user's next click
 * on the same button through. Time is an input; nothing here touches the page.
 */
import type { GuardSettings, OverridePolicy } from '../risk/settings';

export type { OverridePolicy };

/** Kinds of block, each with its own override policy (settings guard.policy.<category>). */
export const BLOCK_CATEGORIES = ['tradingState', 'killedStrategy', 'coolingOff', 'leverageCap', 'sizeCap', 'staleData', 'other'] as const;
export type BlockCategory = (typeof BLOCK_CATEGORIES)[number];

/** lib/risk settings' guard defaults, repeated here so the content scripts need not parse the schema (a test keeps them equal). */
export const DEFAULT_GUARD_SETTINGS: GuardSettings = {
  policy: {
    tradingState: 'never',
    killedStrategy: 'never',
    coolingOff: 'never',
    leverageCap: 'typed',
    sizeCap: 'typed',
    staleData: 'countdown',
    other: 'typed',
  },
  countdownSec: 10,
  phrase: 'OVERRIDE',
};

/** Strictest first: one "never" among the blocks means no override at all. */
const STRICTNESS: Record<OverridePolicy, number> = { never: 2, typed: 1, countdown: 0 };

/** The override a block offers: the strictest policy among the categories of its block reasons. */
export function policyFor(categories: readonly BlockCategory[], g: GuardSettings): OverridePolicy {
  let out: OverridePolicy | null = null;
  for (const c of categories) {
    const p = g.policy[c] ?? 'never';
    if (out === null || STRICTNESS[p] > STRICTNESS[out]) out = p;
  }
  return out ?? g.policy.other;
}

/** What the dialog is asking for. warn: a plain confirmation; block: the policy's override. */
export interface OverrideState {
  decision: 'warn' | 'block';
  /** null for a warning. */
  policy: OverridePolicy | null;
  /** When the dialog opened (ms). */
  openedAt: number;
  countdownSec: number;
  phrase: string;
  /** What the user has typed so far (typed policy). */
  typed: string;
}

export interface OverrideStatus {
  /** Whether the dialog shows an override control at all ("never" shows none). */
  offered: boolean;
  /** Whether "Place anyway" can be pressed now. */
  enabled: boolean;
  /** Countdown policy: whole seconds left (0 once enabled); null otherwise. */
  secondsLeft: number | null;
  /** Typed policy: the phrase to type; null otherwise. */
  phrase: string | null;
}

export function overrideStatus(s: OverrideState, now: number): OverrideStatus {
  if (s.decision === 'warn') return { offered: true, enabled: true, secondsLeft: null, phrase: null };
  switch (s.policy) {
    case 'countdown': {
      const left = Math.max(0, Math.ceil((s.openedAt + s.countdownSec * 1000 - now) / 1000));
      return { offered: true, enabled: left === 0, secondsLeft: left, phrase: null };
    }
    case 'typed':
      return { offered: true, enabled: s.typed.trim() === s.phrase, secondsLeft: null, phrase: s.phrase };
    default:
      return { offered: false, enabled: false, secondsLeft: null, phrase: null };
  }
}

/** How long an override stays good for: the user's next click on the button must come within this time. */
export const PASS_MS = 10_000;

/** A button as the pass sees it (an Element in the page; anything with isConnected in tests). */
export interface ButtonLike {
  readonly isConnected: boolean;
}

/** One override, good for exactly one click on the same button for the same order, until it expires. */
export interface Pass {
  button: ButtonLike;
  /** The button's label: a re-rendered button (the old one gone from the page) with the same label still counts. */
  label: string;
  /** intentKey() of the order the user overrode. */
  key: string;
  expiresAt: number;
}

export const armPass = (button: ButtonLike, label: string, key: string, now: number, ttlMs = PASS_MS): Pass => ({
  button,
  label,
  key,
  expiresAt: now + ttlMs,
});

export interface PassCheck {
  /** Let this click through untouched. */
  allow: boolean;
  /** The pass from now on: consumed (null) by the click it lets through, dropped when expired or when the order changed. */
  next: Pass | null;
}

/**
 * Checks a submit click against the pass. The click on the same button for the same order consumes it; a click on
 * that button for a changed order voids it (the new order is checked afresh); a click on another button leaves it.
 */
export function takePass(pass: Pass | null, click: { button: ButtonLike; label: string; key: string }, now: number): PassCheck {
  if (!pass) return { allow: false, next: null };
  if (now >= pass.expiresAt) return { allow: false, next: null };
  const same = pass.button === click.button || (!pass.button.isConnected && pass.label === click.label);
  if (!same) return { allow: false, next: pass };
  if (pass.key !== click.key) return { allow: false, next: null };
  return { allow: true, next: null };
}

/** Whether a pass is still waiting for its click (for keydown: Enter on a passed order may go on to its click). */
export function passCovers(pass: Pass | null, click: { button: ButtonLike; label: string; key: string }, now: number): boolean {
  return takePass(pass, click, now).allow;
}
