// @vitest-environment happy-dom
/**
 * The order guard end to end in happy-dom on the binance-futures fixture: installGuard with a fake push channel, real
 * clicks and keys. The account it checks is the one the panel shows; Enter on a focused button is that button; when
 * its content script is invalidated, a notice says the tab is no longer guarded.
 */
import { signal } from '@preact/signals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { browser } from 'wxt/browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { checkWhenLost, GUARD_OFF_TEXT } from '@/components/guard/guard-off';
import { installGuard } from '@/components/guard/install-guard';
import { loadPagePlace, type PlaceStorage } from '@/components/panel/page-place';
import { createPanelStore } from '@/components/panel/panel-store';
import type { ViewState } from '@/lib/messaging/protocol';
import { emptyRiskView, type AccountRisk, type RiskView } from '@/lib/messaging/risk-view';
import { binanceAdapter } from '@/lib/pages/binance/adapter';
import type { TradingPage } from '@/lib/pages/match';
import type { ConnectionStatus } from '@/lib/ui/live-view';
import type { AccountView } from '@/lib/risk/context';
import { buildEnvelope } from '@/lib/risk/envelope';
import { closedBreaker, type ScopeState } from '@/lib/risk/state';
import { DEFAULT_PLACE, placeKey, type PanelPlace } from '@/lib/ui/panel-place';
import { account, MIN, position, settings } from '../risk/fixtures';
import { FIXTURE_DIR } from './load-fixture';

type Positions = AccountView['positions'];

function accountRisk(accountId: string, label: string, trading: AccountRisk['trading'], now: number): AccountRisk {
  return {
    key: `binance:${accountId}`, venue: 'binance', accountId, label, mode: 'guard', canTrade: true, status: 'live', statusText: null, equity: 10_000, walletBalance: 10_000,
    dayPnl: 0, dayLossPct: 0, dailyWarnPct: 1, dailyLimitPct: 2, drawdownPct: 0, drawdownLimitPct: 15, exposurePct: 0, exposureLimitPct: 50, riskScore: 0, trading,
    tradingReason: null, breaker: 'CLOSED', coolingUntil: null, positions: [], openOrders: 0, receivedAt: now,
  };
}

/** Binance accounts as the background pushes them: `halted` ones HALTED by a break, the others ACTIVE. */
function state(now: number, accounts: { id: string; label: string; halted: boolean; positions?: Positions }[]): ViewState {
  const st = settings({});
  const envelopes = accounts.map((a) => {
    const key = `binance:${a.id}`;
    const scopes: Record<string, ScopeState> = a.halted
      ? {
          [key]: {
            scope: { kind: 'account', venue: 'binance', accountId: a.id },
            trading: 'HALTED',
            since: now - MIN,
            holds: [{ id: 'manual', rule: 'manual', level: 'HALTED', release: now + 30 * MIN, reason: { code: 'manual_halt', kind: 'break', until: now + 30 * MIN }, since: now - MIN }],
            breaker: closedBreaker(now - MIN),
          },
        }
      : {};
    const view: AccountView = { account: account({ accountId: a.id, time: now }), positions: a.positions ?? [], openOrders: [], receivedAt: now - 1000, feedError: null };
    return buildEnvelope({ key, mode: 'guard', view, summary: { at: now, riskScore: 0, losingStreak: 0, lastLoss: null }, scopes, settings: st, strategies: [], marks: { BTCUSDT: 97_000 }, recentOrders: [], strategyId: 'manual' });
  });
  const risk: RiskView = {
    ...emptyRiskView(),
    accounts: accounts.map((a) => accountRisk(a.id, a.label, a.halted ? 'HALTED' : 'ACTIVE', now)),
    guard: JSON.parse(JSON.stringify({ settings: st.guard, accounts: envelopes })) as RiskView['guard'],
  };
  return { rev: 1, workerStartedAt: 1, pages: [], audit: { count: 0, recent: [] }, risk } as unknown as ViewState;
}

const contexts: ContentScriptContext[] = [];
afterEach(() => {
  for (const c of contexts.splice(0)) if (!c.signal.aborted) c.abort();
  document.documentElement.innerHTML = '<head></head><body></body>';
});

/** The fixture page at its URL, with a guard installed on it. */
function setup(st: ViewState, ...chosenArg: [string | null | undefined] | []) {
  const chosen = chosenArg.length ? chosenArg[0] : null;
  (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL('https://www.binance.com/en/futures/BTCUSDT');
  const html = readFileSync(join(FIXTURE_DIR, 'binance-futures.html'), 'utf8');
  document.documentElement.innerHTML = new DOMParser().parseFromString(html, 'text/html').documentElement.innerHTML;
  const ctx = new ContentScriptContext('binance');
  contexts.push(ctx);
  const live = { state: signal<ViewState | null>(st), send: () => undefined };
  const account = signal<string | null | undefined>(chosen);
  installGuard(ctx, binanceAdapter, live, account);
  return { ctx, live, account };
}

const button = (text: string) => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === text)!;
const guardHost = () => document.querySelector('[data-ringfence="guard"]');
const dialog = () => guardHost()?.shadowRoot?.querySelector('[data-testid="rf-guard-dialog"]') ?? null;
const closeDialog = () => (guardHost()?.shadowRoot?.querySelector('[data-testid="rf-guard-cancel"]') as HTMLButtonElement | null)?.click();
/** Dispatches a click on the button; true when the guard stopped it. */
function click(text: string): boolean {
  const e = new MouseEvent('click', { bubbles: true, cancelable: true });
  button(text).dispatchEvent(e);
  return e.defaultPrevented;
}
/** Enter with the button focused; true when the guard stopped it. */
function enterOn(text: string): boolean {
  const e = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
  button(text).dispatchEvent(e);
  return e.defaultPrevented;
}

describe('installGuard: Enter on a focused button', () => {
  it('HALTED with a 0.01 BTC long: Enter on Sell/Short (a close) passes, Enter on Buy/Long is blocked', () => {
    const now = Date.now();
    setup(state(now, [{ id: 'main', label: 'Main', halted: true, positions: [position({ symbol: 'BTCUSDT', side: 'long', size: 0.01, entryPrice: 97_000, markPrice: 97_000 })] }]));
    expect(enterOn('Sell/Short')).toBe(false);
    expect(dialog()).toBeNull();
    expect(enterOn('Buy/Long')).toBe(true);
    expect(dialog()?.getAttribute('data-trigger')).toBe('enter');
    expect(dialog()?.getAttribute('data-policy')).toBe('never');
  });
});

describe('installGuard: the account the panel shows', () => {
  const two = (now: number) =>
    state(now, [
      { id: 'a-main', label: 'A main', halted: false },
      { id: 'b-sub', label: 'B sub', halted: true },
    ]);

  it('checks against the chosen account and names it in the dialog; follows the choice when it changes', () => {
    const now = Date.now();
    const { account } = setup(two(now), 'binance:b-sub');
    expect(guardHost()?.getAttribute('data-guard')).toBe('ready');
    expect(click('Buy/Long')).toBe(true);
    expect(dialog()?.getAttribute('data-decision')).toBe('block');
    expect(dialog()?.getAttribute('data-policy')).toBe('never');
    expect(dialog()?.querySelector('[data-testid="rf-guard-order"]')?.textContent).toContain(' · B sub (guard mode)');
    closeDialog();
    // A main is active: only the missing stop loss is left to confirm.
    account.value = 'binance:a-main';
    expect(click('Buy/Long')).toBe(true);
    expect(dialog()?.getAttribute('data-decision')).toBe('warn');
    expect(dialog()?.querySelector('[data-testid="rf-guard-order"]')?.textContent).toContain(' · A main (guard mode)');
    closeDialog();
    account.value = 'binance:b-sub';
    expect(click('Buy/Long')).toBe(true);
    expect(dialog()?.getAttribute('data-decision')).toBe('block');
  });

  it('waits (checks nothing, says so on its host) until the stored choice is read', () => {
    const { account } = setup(two(Date.now()), undefined);
    expect(guardHost()?.getAttribute('data-guard')).toBe('waiting');
    expect(click('Buy/Long')).toBe(false);
    account.value = 'binance:b-sub';
    expect(guardHost()?.getAttribute('data-guard')).toBe('ready');
    expect(click('Buy/Long')).toBe(true);
  });

  it('the panel store shows the account the guard checks', () => {
    const now = Date.now();
    const live = { state: signal<ViewState | null>(two(now)) };
    const page = signal<TradingPage>({ venue: 'binance', symbol: 'BTCUSDT' });
    const place = signal<PanelPlace>({ ...DEFAULT_PLACE, account: 'binance:b-sub' });
    const store = createPanelStore(live, page, place);
    expect(store.accountKey.value).toBe('binance:b-sub');
    expect(store.account.value?.trading).toBe('HALTED');
    place.value = { ...place.value, account: 'binance:gone' };
    expect(store.accountKey.value).toBe('binance:a-main');
  });

  it('with no choice, the panel and the guard both take the first account in the background\'s order (by key, localeCompare)', () => {
    const now = Date.now();
    const st = state(now, [
      { id: 'alt', label: 'alt', halted: false },
      { id: 'Main', label: 'Main', halted: true },
    ]);
    const store = createPanelStore({ state: signal<ViewState | null>(st) }, signal<TradingPage>({ venue: 'binance', symbol: 'BTCUSDT' }), signal<PanelPlace>({ ...DEFAULT_PLACE }));
    expect(store.accountKey.value).toBe('binance:alt');
    setup(st);
    expect(click('Buy/Long')).toBe(true);
    expect(dialog()?.getAttribute('data-decision')).toBe('warn');
    expect(dialog()?.querySelector('[data-testid="rf-guard-order"]')?.textContent).toContain(' · alt (guard mode)');
  });
});

describe('loadPagePlace: the stored choice the panel and the guard share', () => {
  const fake = (stored: unknown, fail = false) => {
    const writes: Record<string, unknown>[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const storage: PlaceStorage = {
      get: async (key) => {
        await gate;
        if (fail) throw new Error('Extension context invalidated.');
        return { [key]: stored };
      },
      set: async (items) => void writes.push(items),
    };
    return { storage, writes, release };
  };

  it('is undefined until read, then the stored account', async () => {
    const f = fake({ ...DEFAULT_PLACE, account: 'binance:b-sub' });
    const p = loadPagePlace('binance', f.storage);
    expect(p.account.value).toBeUndefined();
    f.release();
    await p.ready;
    expect(p.account.value).toBe('binance:b-sub');
    expect(p.place.value.account).toBe('binance:b-sub');
  });

  it('the first account when nothing is stored or storage fails; a choice saved meanwhile wins and is stored', async () => {
    const none = fake(undefined);
    const p = loadPagePlace('binance', none.storage);
    none.release();
    await p.ready;
    expect(p.account.value).toBeNull();
    const broken = fake(undefined, true);
    const q = loadPagePlace('binance', broken.storage);
    broken.release();
    await q.ready;
    expect(q.account.value).toBeNull();
    const late = fake({ ...DEFAULT_PLACE, account: 'binance:a-main' });
    const r = loadPagePlace('binance', late.storage);
    r.save({ ...DEFAULT_PLACE, account: 'binance:b-sub' });
    late.release();
    await r.ready;
    expect(r.account.value).toBe('binance:b-sub');
    expect(late.writes).toEqual([{ [placeKey('binance')]: { ...DEFAULT_PLACE, account: 'binance:b-sub' } }]);
  });
});

describe('installGuard: invalidated under an open page', () => {
  const halted = (now: number) => state(now, [{ id: 'main', label: 'Main', halted: true }]);
  const notice = () => document.querySelector('[data-ringfence="guard-off"]');

  it('leaves a notice that the tab is no longer guarded until it is reloaded', () => {
    const { ctx } = setup(halted(Date.now()));
    expect(click('Buy/Long')).toBe(true);
    expect(notice()).toBeNull();
    ctx.notifyInvalidated();
    expect(guardHost()).toBeNull();
    const n = notice()?.shadowRoot?.querySelector('[data-testid="rf-guard-off"]');
    expect(n?.getAttribute('role')).toBe('alert');
    expect(n?.textContent).toBe(`Ringfence guard off on Binance${GUARD_OFF_TEXT}`);
    expect(GUARD_OFF_TEXT).toBe('Ringfence is off in this tab: the extension was updated or reloaded, so orders here are no longer checked. Reload the page to turn the order guard back on.');
    // What the notice warns about: the order is not stopped any more.
    expect(click('Buy/Long')).toBe(false);
  });

  it("the same when a page script fires WXT's \"newer script started\" event; a real newer script clears it", () => {
    setup(halted(Date.now()));
    // What any script in the page's main world can do: the event name is <extension id>:<entrypoint>:wxt:content-script-started.
    const started = (ContentScriptContext as unknown as { SCRIPT_STARTED_MESSAGE_TYPE: string }).SCRIPT_STARTED_MESSAGE_TYPE;
    document.dispatchEvent(new CustomEvent(started, { detail: { contentScriptName: 'binance', messageId: 'page' } }));
    expect(guardHost()).toBeNull();
    expect(notice()).not.toBeNull();
    const ctx = new ContentScriptContext('binance');
    contexts.push(ctx);
    installGuard(ctx, binanceAdapter, { state: signal<ViewState | null>(halted(Date.now())), send: () => undefined }, signal(null));
    expect(notice()).toBeNull();
    expect(click('Buy/Long')).toBe(true);
  });

  it('an extension reload drops the link to the background: the guard then finds out at once and leaves the notice', () => {
    const { ctx } = setup(halted(Date.now()));
    const status = signal<ConnectionStatus>('live');
    checkWhenLost(ctx, status);
    const runtime = browser.runtime as unknown as { id: string | undefined };
    const id = runtime.id;
    try {
      status.value = 'lost'; // a dropped port while the extension is still there: a reconnect, nothing else
      expect(guardHost()).not.toBeNull();
      runtime.id = undefined; // what an orphaned content script sees after the extension is reloaded
      status.value = 'live';
      status.value = 'lost';
      expect(guardHost()).toBeNull();
      expect(notice()).not.toBeNull();
    } finally {
      runtime.id = id;
    }
  });
});
