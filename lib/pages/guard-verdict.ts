/**
 * The order guard's verdict, computed synchronously at click time in the content script from the risk state the
 * background last pushed (ViewState.risk.guard): the account's envelope (lib/risk/envelope.ts), which holds everything
 * lib/risk validate() needs but the order, with the reasons that do not depend on the order already formatted. Here
 * the order is added with validate()'s own arithmetic, in its order: the verdict, the reasons' texts and what would
 * pass are validate()'s and the formatter's exactly (tests/unit/pages/guard-envelope.test.ts). Then the guard's own
 * checks (stale or missing account data: with stale data only an order the exchange keeps from opening counts as an
 * exit without the positions) and the account's mode (monitor never blocks). An order the page does not let it read
 * (no symbol, side or size) that is not reduce-only or a hedge-mode close still meets every block that does not
 * depend on the order (a halt, a killed strategy, stale data...), with that block's override policy. Pure: `now` is an input.
 */
import type { OrderIntent, Position } from '../domain/types';
import type { AccountRisk, GuardAccount, RiskView } from '../messaging/risk-view';
import { exceeds, reaches } from '../risk/compare';
import { num, pct, usd } from '../risk/format';
import { baseAsset } from '../risk/keys';
import { maxQtyForAbsAfter, orderEffect } from '../risk/orders';
import { roundDownToStep } from '../risk/sizing';
import type { GuardSettings, OverridePolicy } from '../risk/settings';
import type { LeverageCapSource, RuleId } from '../risk/types';
import type { Decision } from '../risk/validate';
import { intentFromReading, isExitOnly, type IntentGap } from './guard-intent';
import { DEFAULT_GUARD_SETTINGS, policyFor, type BlockCategory } from './guard-override';
import type { OrderReading, Venue } from './types';

export type EnforcementMode = AccountRisk['mode'];

export interface GuardReason {
  level: 'block' | 'warn';
  /** A RiskReason code, or the guard's own: no_account_data, order_unreadable. */
  code: string;
  /** The kind of block, for the override policy (set on warnings too: what it would be in guard mode). */
  category: BlockCategory;
  /** The risk rule behind it, when there is one (audit refs). */
  rule: RuleId | null;
  /** One sentence (lib/risk/format, or the guard's own). */
  text: string;
  /** Why a scope is halted or reducing: the hold's own reason, when it says more. */
  detail: string | null;
}

export interface GuardVerdict {
  decision: Decision;
  /** Why the guard did not check the order at all (no account of the venue, no state yet); null when it did. */
  passive: string | null;
  reasons: GuardReason[];
  /** The account checked against (`venue:accountId`), its label and mode. */
  account: string | null;
  accountLabel: string | null;
  mode: EnforcementMode | null;
  /** How the mode changed the verdict (monitor), in words. */
  note: string | null;
  intent: OrderIntent | null;
  increasesRisk: boolean;
  /** What would pass instead (blocks): the largest base size and notional at the largest leverage allowed. */
  allowed: { maxSize: number; maxNotional: number; maxLeverage: number; capSource: LeverageCapSource } | null;
  /** The override a block offers (the strictest of its categories); null for allow and warn. */
  policy: OverridePolicy | null;
  /** The guard settings in force (countdown, phrase). */
  guard: GuardSettings;
}

export interface GuardInput {
  venue: Venue;
  reading: OrderReading;
  /** The latest pushed risk picture; null before the first push. */
  risk: RiskView | null;
  now: number;
  /** The account the page shows (the panel's choice, `venue:accountId`); null or gone: the first of the venue. */
  account?: string | null;
}

export const VENUE_NAME: Record<Venue, string> = { binance: 'Binance', hyperliquid: 'Hyperliquid' };
export const MONITOR_NOTE = 'Monitor mode: Ringfence warns but does not block.';

const passive = (text: string, guard: GuardSettings): GuardVerdict => ({
  decision: 'allow',
  passive: text,
  reasons: [],
  account: null,
  accountLabel: null,
  mode: null,
  note: null,
  intent: null,
  increasesRisk: false,
  allowed: null,
  policy: null,
  guard,
});

/**
 * The account a page is about, for the panel and the guard alike: the one chosen in the panel's account picker
 * (`chosen`, its key) while it exists, else the first of the venue by key (localeCompare: the background's order of
 * the accounts, and its order.check's pick when an order names no account). The guard's intent names the account, so the background re-checks the same one.
 */
export function guardAccount(risk: RiskView, venue: Venue, chosen: string | null = null): AccountRisk | null {
  let best: AccountRisk | null = null;
  for (const a of risk.accounts) {
    if (a.venue !== venue) continue;
    if (chosen !== null && a.key === chosen) return a;
    if (best === null || a.key.localeCompare(best.key) < 0) best = a;
  }
  return best;
}

/**
 * Whether the guard can check this venue's orders now: waiting (no state pushed yet: passive), no-account (none of
 * the venue: passive), no-data (an account without data yet: risk-increasing orders block) or ready.
 */
export function guardReadiness(risk: RiskView | null, venue: Venue, chosen: string | null = null): 'waiting' | 'no-account' | 'no-data' | 'ready' {
  if (!risk) return 'waiting';
  const acct = guardAccount(risk, venue, chosen);
  if (!acct) return 'no-account';
  return risk.guard?.accounts.some((a) => a.key === acct.key) ? 'ready' : 'no-data';
}

export function guardVerdict({ venue, reading, risk, now, account: chosen = null }: GuardInput): GuardVerdict {
  const g: GuardSettings = risk?.guard?.settings ?? DEFAULT_GUARD_SETTINGS;
  if (!risk) return passive('Ringfence has no risk state from its background yet: this order is not checked.', g);
  const acct = guardAccount(risk, venue, chosen);
  if (!acct) return passive(`No ${VENUE_NAME[venue]} account is set up in Ringfence: this order is not checked.`, g);
  const ga: GuardAccount | undefined = risk.guard?.accounts.find((a) => a.key === acct.key);
  const mode = ga?.mode ?? acct.mode;

  const built = intentFromReading(reading, acct.accountId);
  const reasons: GuardReason[] = [];
  let intent: OrderIntent | null = null;
  let increasesRisk = true;
  let allowed: GuardVerdict['allowed'] = null;
  const stale = ga && ga.receivedAt !== null ? staleReason(ga, ga.receivedAt, now) : null;

  if (!built.ok) {
    const unread = reason('warn', 'order_unreadable', 'other', null, unreadableText(built.missing));
    if (reading.reduceOnly) {
      // Reduce-only ticked, or a hedge-mode close: the exchange itself keeps it from opening, and exits always pass.
      increasesRisk = false;
    } else if (!ga || ga.receivedAt === null) {
      reasons.push(noDataReason(acct, venue));
    } else {
      // It may add risk: what blocks every order that adds risk, whatever its size, blocks it too (a halt, an open
      // breaker, a killed strategy, the symbol's own state when the symbol was read, stale data).
      if (stale) reasons.push(stale(false));
      for (const gates of [ga.pre, reading.symbol ? own(ga.symbols, reading.symbol) : undefined, ga.post]) {
        for (const x of gates ?? []) reasons.push(reason(x.level, x.code, x.category, x.rule as RuleId | null, x.text, x.detail));
      }
    }
    reasons.push(unread);
  } else if (!ga || ga.receivedAt === null) {
    // Nothing to check against: only an order that can only shrink a position passes.
    intent = built.intent;
    increasesRisk = !isExitOnly(intent);
    if (increasesRisk) reasons.push(noDataReason(acct, venue));
  } else {
    intent = built.intent;
    // Stale data: the positions may have changed (closed, liquidated) since, so only an order the exchange itself
    // keeps from opening (reduce-only, a hedge-mode close) counts as an exit without them.
    const result = check(ga, intent, now, stale !== null && !isExitOnly(intent));
    increasesRisk = result.increasesRisk;
    reasons.push(...result.reasons);
    // The order cannot be checked against what the account holds now.
    if (increasesRisk && stale) reasons.unshift(stale(result.assumedOpen));
    allowed = result.allowed;
  }

  let note: string | null = null;
  if (mode === 'monitor' && reasons.some((r) => r.level === 'block')) {
    for (const r of reasons) r.level = 'warn';
    note = MONITOR_NOTE;
  }
  let decision: Decision = 'allow';
  for (const r of reasons) {
    if (r.level === 'block') {
      decision = 'block';
      break;
    }
    decision = 'warn';
  }
  const blockCats = reasons.filter((r) => r.level === 'block').map((r) => r.category);
  return {
    decision,
    passive: null,
    reasons,
    account: acct.key,
    accountLabel: acct.label,
    mode,
    note,
    intent,
    increasesRisk,
    allowed: decision === 'block' ? allowed : null,
    policy: decision === 'block' ? policyFor(blockCats, g) : null,
    guard: g,
  };
}

/** The stale-data block when the account's data is older than its limit, else null; `assumedOpen` adds why an exit of the last known positions does not pass. */
function staleReason(ga: GuardAccount, received: number, now: number): ((assumedOpen: boolean) => GuardReason) | null {
  const limit = ga.staleAfterSec;
  if (!(now - received > limit * 1000)) return null;
  const seconds = (now - received) / 1000;
  const text = `No fresh data for ${plural(Math.floor(seconds), 'second')} (limit ${num(limit)})${ga.feedError ? `: ${ga.feedError}` : ''}.`;
  return (assumedOpen) => reason('block', 'stale_data', 'staleData', 'stale-data', assumedOpen ? `${text} ${STALE_EXIT}` : text);
}

/** Said when an order would only close a position as last known, but the data is stale. */
export const STALE_EXIT = 'The positions may have changed since, so only reduce-only orders and closes pass as exits.';

function noDataReason(acct: AccountRisk, venue: Venue): GuardReason {
  const status = acct.statusText ?? acct.status;
  return {
    level: 'block',
    code: 'no_account_data',
    category: 'staleData',
    rule: 'stale-data',
    text: `${acct.label}: no account data from ${VENUE_NAME[venue]} yet (${status}), so orders that add risk are blocked until it arrives.`,
    detail: null,
  };
}

const GAP: Record<IntentGap, string> = { symbol: 'symbol', side: 'side (buy or sell)', size: 'size' };

function unreadableText(missing: IntentGap[]): string {
  const what = missing.map((m) => GAP[m]);
  const list = what.length > 1 ? `${what.slice(0, -1).join(', ')} and ${what.at(-1)}` : what[0]!;
  return `Ringfence could not read the order's ${list} from the page, so it cannot check this order.`;
}

const reason = (level: 'block' | 'warn', code: string, category: BlockCategory, rule: RuleId | null, text: string, detail: string | null = null): GuardReason => ({
  level,
  code,
  category,
  rule,
  text,
  detail,
});

/** lib/risk/format's plural: "1 second", "3 seconds". */
const plural = (n: number, one: string) => `${num(n)} ${n === 1 ? one : `${one}s`}`;
const own = <T>(r: Record<string, T>, k: string): T | undefined => (Object.prototype.hasOwnProperty.call(r, k) ? r[k] : undefined);

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const WINDOW = { minute: 'last minute', hour: 'last hour', day: 'last 24 hours' } as const;

interface CheckResult {
  reasons: GuardReason[];
  increasesRisk: boolean;
  /** The order would only shrink a position as last known, but was checked as opening from flat (stale data). */
  assumedOpen: boolean;
  allowed: GuardVerdict['allowed'];
}

/**
 * lib/risk validate() on the envelope: its checks in its order and with its arithmetic (so every number, and every
 * sentence lib/risk/format would write, comes out the same); the reasons that do not depend on the order come
 * precomputed. Exits and cancels always pass.
 */
function check(e: GuardAccount, intent: OrderIntent, now: number, unsure: boolean): CheckResult {
  const reasons: GuardReason[] = [];
  // The symbol's own leverage cap where its ATR % or the venue's maximum lowers it, and its trading rules when known.
  const c = own(e.caps, intent.symbol) ?? e;
  const lot = own(e.lots, intent.symbol) ?? null;
  const cap = c.cap;
  const price = intent.price ?? intent.stopPrice ?? own(e.marks, intent.symbol) ?? null;
  const qty = price !== null ? (intent.sizeUnit === 'base' ? intent.size : intent.size / price) : intent.sizeUnit === 'base' ? intent.size : Infinity;
  let effect = orderEffect(intent, qty, e.positions as unknown as Position[]);
  // Positions that may be out of date (`unsure`): an order that would only shrink the symbol's position as last
  // known is checked as opening from flat, as it would if that position is gone.
  const assumedOpen = !effect.increases && unsure;
  if (assumedOpen) effect = orderEffect(intent, qty, (e.positions as unknown as Position[]).filter((p) => p.symbol !== intent.symbol));
  if (!effect.increases) return { reasons, increasesRisk: false, assumedOpen: false, allowed: null };

  let maxQty = Infinity;
  let hardStop = false;
  let probe = 1;
  for (const gates of [e.pre, own(e.symbols, intent.symbol), e.post]) {
    if (!gates) continue;
    for (const g of gates) {
      reasons.push(reason(g.level, g.code, g.category, g.rule as RuleId | null, g.text, g.detail));
      if (g.hard) hardStop = true;
      if (g.probe !== null) probe = Math.min(probe, g.probe);
    }
  }

  // The strategy's Symbol column.
  const only = e.strategySymbol;
  if (only !== null && only.symbol !== intent.symbol) {
    // The formatter's text written out, as for every reason here: formatReason would bring all reason texts into the page.
    const text = `Strategy ${only.strategyId} trades only ${only.symbol}, not ${intent.symbol}.`;
    reasons.push(reason('block', 'strategy_symbol', 'killedStrategy', 'strategy-limits', text));
    hardStop = true;
  }

  // Duplicate and rate checks on the orders this account sent.
  let minute = 0;
  let hour = 0;
  let day = 0;
  let dupAge = -1;
  for (const o of e.recentOrders) {
    const age = now - o.time;
    if (age < 0 || age >= DAY_MS) continue;
    day++;
    if (age < HOUR_MS) hour++;
    if (age < 60_000) minute++;
    if (age <= e.duplicateWindowSec * 1000 && o.symbol === intent.symbol && o.side === intent.side && Math.abs(o.size - qty) <= 1e-9 * Math.max(1, qty))
      dupAge = dupAge < 0 ? age : Math.min(dupAge, age);
  }
  if (dupAge >= 0) {
    const text = `The same order was sent ${plural(Math.floor(dupAge / 1000), 'second')} ago (window ${plural(e.duplicateWindowSec, 'second')}).`;
    reasons.push(reason('block', 'duplicate_order', 'other', null, text));
    hardStop = true;
  }
  const rate = (window: keyof typeof WINDOW, orders: number, limit: number) => {
    if (orders < limit) return;
    reasons.push(reason('block', 'order_rate', 'other', 'overtrading', `${plural(orders, 'order')} in the ${WINDOW[window]}, limit ${num(limit)}.`));
    hardStop = true;
  };
  rate('minute', minute, e.maxOrdersPerMinute);
  rate('hour', hour, e.maxTradesPerHour);
  rate('day', day, e.maxTradesPerDay);

  // A new position beyond the count limit.
  if (effect.before === 0 && e.positionCountText !== null) {
    reasons.push(reason('block', 'position_count', 'other', 'position-count', e.positionCountText));
    hardStop = true;
  }

  // Leverage: the order's, else the position's, else checked at the cap (and said so).
  let leverage = intent.leverage ?? effect.legLeverage;
  if (leverage === null) {
    leverage = cap;
    reasons.push(reason('warn', 'leverage_unknown', 'leverageCap', null, c.leverageUnknownText));
  } else if (leverage > cap) reasons.push(reason('block', 'leverage_cap', 'leverageCap', null, `Leverage ${num(leverage)}${c.capTail}`));
  const sizingLeverage = Math.min(leverage, cap);

  const equity = e.equity;
  if (price === null) {
    reasons.push(reason('block', 'price_unknown', 'other', null, `${intent.symbol}: no price to value this order, so it cannot be checked.`));
    hardStop = true;
  } else if (e.equityText !== null) {
    reasons.push(reason('block', 'equity_unusable', 'other', null, e.equityText));
    hardStop = true;
  } else {
    const notional = qty * price;
    const absAfter = Math.abs(effect.after);

    const capUsd = (e.capBase * probe) / 100;
    const marginAfter = (absAfter * price) / sizingLeverage;
    if (exceeds(marginAfter, capUsd)) reasons.push(reason('block', 'position_size_cap', 'sizeCap', null, `Margin ${usd(marginAfter)} is above the per-trade cap of ${usd(capUsd)}.`));
    maxQty = Math.min(maxQty, maxQtyForAbsAfter(effect, (capUsd * sizingLeverage) / price));

    const others = e.gross - effect.legNotional;
    const exposureAfter = ((others + absAfter * price) / equity) * 100;
    const exposure = (level: 'block' | 'warn', limitPct: number, warning: boolean) =>
      reasons.push(reason(level, 'projected_exposure', 'sizeCap', 'total-exposure', `After this order total exposure would be ${pct(exposureAfter)} of equity, ${warning ? 'warning at' : 'limit'} ${pct(limitPct)}.`));
    // The same comparisons as validate() (lib/risk/compare.ts): a value exactly at the warning level warns.
    if (exceeds(exposureAfter, e.exposureLimitPct)) exposure('block', e.exposureLimitPct, false);
    else if (reaches(exposureAfter, e.exposureWarningPct)) exposure('warn', e.exposureWarningPct, true);
    maxQty = Math.min(maxQty, maxQtyForAbsAfter(effect, ((equity * e.exposureLimitPct) / 100 - others) / price));

    // Correlated positions count together against the symbol limit.
    const asset = baseAsset(intent.symbol);
    const group = e.groups.find((g) => g.assets.includes(asset));
    const groupName = group ? group.name : asset;
    const groupOthers = (group ? group.notional : (own(e.assets, asset) ?? 0)) - effect.legNotional;
    const groupAfter = ((groupOthers + absAfter * price) / equity) * 100;
    if (exceeds(groupAfter, e.symbolLimitPct))
      reasons.push(reason('block', 'symbol_exposure', 'sizeCap', 'total-exposure', `After this order ${groupName} exposure would be ${pct(groupAfter)} of equity, limit ${pct(e.symbolLimitPct)}.`));
    maxQty = Math.min(maxQty, maxQtyForAbsAfter(effect, ((equity * e.symbolLimitPct) / 100 - groupOthers) / price));

    // Risk at the stop: the loss if the protective stop fills, against both budgets.
    const stop = intent.stopLoss ?? null;
    if (stop === null) reasons.push(reason('warn', 'no_stop_loss', 'other', null, 'No stop loss on this order, so its risk cannot be measured.'));
    else {
      const perUnit = Math.abs(price - stop);
      const lossAtStop = qty * perUnit;
      const riskBudget = (equity * e.maxLossAtStopPct) / 100;
      if (exceeds(lossAtStop, riskBudget))
        reasons.push(reason('block', 'risk_per_trade', 'sizeCap', null, `Loss at the stop would be ${usd(lossAtStop)}, risk per trade allows ${usd(riskBudget)}.`));
      if (exceeds(lossAtStop, e.stopLossUsd))
        reasons.push(reason('block', 'stop_loss_per_trade', 'sizeCap', null, `Loss at the stop would be ${usd(lossAtStop)}, the strategy's stop loss is ${usd(e.stopLossUsd)}.`));
      if (perUnit > 0) maxQty = Math.min(maxQty, Math.min(riskBudget, e.stopLossUsd) / perUnit);
    }

    // Re-entry soon after a loss with a larger size: a warning.
    const loss = e.lastLoss;
    if (loss && loss.notional > 0 && now - loss.time <= e.revengeWindowMin * 60_000 && notional > loss.notional * e.revengeSizeMultiple) {
      const minutes = (now - loss.time) / 60_000;
      const text = `${intent.symbol}: this order comes ${plural(Math.floor(minutes), 'minute')} after a loss, at ${num(notional / loss.notional)}x its size.`;
      reasons.push(reason('warn', 'revenge_entry', 'other', 'revenge-trading', text));
    }

    const min = lot?.minNotional ?? 0;
    if (notional < min) reasons.push(reason('block', 'below_min_notional', 'other', null, `Order value ${usd(notional)} is below the exchange minimum ${usd(min)}.`));
  }

  if (hardStop || price === null || !Number.isFinite(maxQty)) maxQty = 0;
  if (lot) maxQty = roundDownToStep(maxQty, lot.lotStep);
  if (price !== null && lot && maxQty * price < lot.minNotional) maxQty = 0;
  maxQty = Math.max(0, maxQty);
  return {
    reasons,
    increasesRisk: true,
    assumedOpen,
    allowed: { maxSize: maxQty, maxNotional: price !== null ? maxQty * price : 0, maxLeverage: cap, capSource: c.capSource },
  };
}
