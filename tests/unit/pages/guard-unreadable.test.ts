// @vitest-environment happy-dom
/**
 * An order the page does not let the guard read, on a HALTED account: read from the fixture pages with the adapters,
 * then judged by guardVerdict. Unless it is recognisably an exit, it meets the halt (no override) and the dialog says
 * what could not be read.
 */
import { describe, expect, it } from 'vitest';
import type { AccountRisk, RiskView } from '@/lib/messaging/risk-view';
import { emptyRiskView } from '@/lib/messaging/risk-view';
import { binanceAdapter } from '@/lib/pages/binance/adapter';
import { guardVerdict, type GuardVerdict } from '@/lib/pages/guard-verdict';
import { hyperliquidAdapter } from '@/lib/pages/hyperliquid/adapter';
import type { OrderReading, PageAdapter, SubmitClick, Venue } from '@/lib/pages/types';
import type { AccountView } from '@/lib/risk/context';
import { buildEnvelope } from '@/lib/risk/envelope';
import { closedBreaker, type ScopeState } from '@/lib/risk/state';
import { account, MIN, NOW, settings } from '../risk/fixtures';
import { FIXTURE_URLS } from './fixture-urls';
import { loadFixture } from './load-fixture';

/** The one account of `venue`, HALTED by a break (guard.policy.tradingState: never). */
function halted(venue: Venue, accountId: string): RiskView {
  const key = `${venue}:${accountId}`;
  const st = settings({});
  const scopes: Record<string, ScopeState> = {
    [key]: {
      scope: { kind: 'account', venue, accountId },
      trading: 'HALTED',
      since: NOW - MIN,
      holds: [{ id: 'manual', rule: 'manual', level: 'HALTED', release: NOW + 30 * MIN, reason: { code: 'manual_halt', kind: 'break', until: NOW + 30 * MIN }, since: NOW - MIN }],
      breaker: closedBreaker(NOW - MIN),
    },
  };
  const view: AccountView = { account: account({ venue, accountId }), positions: [], openOrders: [], receivedAt: NOW - 1000, feedError: null };
  const ga = buildEnvelope({ key, mode: 'guard', view, summary: { at: NOW, riskScore: 0, losingStreak: 0, lastLoss: null }, scopes, settings: st, strategies: [], marks: { BTCUSDT: 97_000, BTC: 97_000 }, recentOrders: [], strategyId: 'manual' });
  const acct: AccountRisk = {
    key, venue, accountId, label: accountId, mode: 'guard', canTrade: true, status: 'live', statusText: null, equity: 10_000, walletBalance: 10_000, dayPnl: 0, dayLossPct: 0,
    dailyWarnPct: 1, dailyLimitPct: 2, drawdownPct: 0, drawdownLimitPct: 15, exposurePct: 0, exposureLimitPct: 50, riskScore: 0, trading: 'HALTED', tradingReason: null,
    breaker: 'CLOSED', coolingUntil: null, positions: [], openOrders: 0, receivedAt: NOW,
  };
  return { ...emptyRiskView(), accounts: [acct], guard: JSON.parse(JSON.stringify({ settings: st.guard, accounts: [ga] })) as RiskView['guard'] };
}

function button(doc: Document, text: string): Element {
  const b = [...doc.querySelectorAll('button, [role=button]')].find((e) => e.textContent?.trim() === text);
  if (!b) throw new Error(`no button ${text}`);
  return b;
}

/** Clicks `label` on the fixture (after `edit`), reads the form and judges the order on the halted account. */
function judge(adapter: PageAdapter, fixture: string, label: string, edit: (doc: Document) => void, href = FIXTURE_URLS[fixture]!): { reading: OrderReading; v: GuardVerdict } {
  const doc = loadFixture(fixture);
  edit(doc);
  const c = adapter.classifyClick(button(doc, label)) as SubmitClick;
  expect(c?.kind).toBe('submit');
  const reading = adapter.readOrder(doc, { href, click: c });
  const accountId = adapter.venue === 'binance' ? 'main' : '0xabc';
  return { reading, v: guardVerdict({ venue: adapter.venue, reading, risk: halted(adapter.venue, accountId), now: NOW }) };
}

const sizeBox = (value: string) => (doc: Document) => {
  (doc.querySelector('input[id^="unitAmount-"]') as HTMLInputElement).value = value;
};
const HALT = (who: string) => `block|Account ${who} is halted: only exits and cancels pass.`;
const UNREAD = (what: string) => `warn|Ringfence could not read the order's ${what} from the page, so it cannot check this order.`;
const lines = (v: GuardVerdict) => v.reasons.map((r) => `${r.level}|${r.text}`);

describe('an unreadable order on a HALTED account', () => {
  it.each([
    ['a comma-decimal size "1,500"', '1,500'],
    ['the % slider\'s "25%" left in the size box', '25%'],
  ])('Binance, %s: blocked, no override, naming the halt and the size', (_what, value) => {
    const { reading, v } = judge(binanceAdapter, 'binance-futures', 'Buy/Long', sizeBox(value));
    expect(reading).toMatchObject({ size: null, reduceOnly: false });
    expect(v).toMatchObject({ decision: 'block', policy: 'never', account: 'binance:main' });
    expect(lines(v)).toEqual([HALT('main (binance)'), UNREAD('size')]);
  });

  it('Hyperliquid on /trade with no coin in the URL: blocked, no override, naming the symbol', () => {
    const { reading, v } = judge(hyperliquidAdapter, 'hyperliquid-trade', 'Place Order', () => undefined, 'https://app.hyperliquid.xyz/trade');
    expect(reading).toMatchObject({ symbol: null, side: 'buy', size: 0.01 });
    expect(v).toMatchObject({ decision: 'block', policy: 'never' });
    expect(lines(v)).toEqual([HALT('0xabc (hyperliquid)'), UNREAD('symbol')]);
  });

  it('Hyperliquid with a side toggle that shows no single selected side: blocked, no override, naming the side', () => {
    const both = (doc: Document) => {
      for (const b of doc.querySelectorAll('button[aria-pressed]')) b.setAttribute('aria-pressed', 'true');
    };
    const { reading, v } = judge(hyperliquidAdapter, 'hyperliquid-trade', 'Place Order', both);
    expect(reading).toMatchObject({ symbol: 'BTC', side: null, size: 0.01 });
    expect(v).toMatchObject({ decision: 'block', policy: 'never' });
    expect(lines(v)).toEqual([HALT('0xabc (hyperliquid)'), UNREAD('side (buy or sell)')]);
  });

  it('recognisably an exit (reduce-only ticked, a hedge-mode close): only the plain confirmation', () => {
    const ro = judge(binanceAdapter, 'binance-futures-market', 'Sell/Short', sizeBox('25%'));
    expect(ro.reading).toMatchObject({ size: null, reduceOnly: true });
    expect(ro.v).toMatchObject({ decision: 'warn', policy: null });
    expect(lines(ro.v)).toEqual([UNREAD('size')]);
    const close = judge(binanceAdapter, 'binance-futures-zh-cn', '平多', sizeBox('1,500'));
    expect(close.reading).toMatchObject({ size: null, positionMode: 'hedge', reduceOnly: true });
    expect(close.v).toMatchObject({ decision: 'warn', policy: null });
  });
});
