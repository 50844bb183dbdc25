/**
 * The background risk loop in Chromium: the service worker connects to the simulator, evaluates every push and acts.
 * Issue 5's end-to-end cases (a)-(g).
 */
import type { SimControl } from '../simulator/control-client';
import type { BrowserContext, Page } from '@playwright/test';
import type { Simulator } from '../simulator/server';
import { expect, openExtensionPage, screenshot, test } from './fixtures';
import {
  accountRisk,
  addBinanceAccount,
  addHyperliquidAccount,
  auditLog,
  auditOf,
  notifications,
  orderPosts,
  send,
  simBinanceAccount,
  simPositions,
  simTrades,
  startSimulator,
  stopServiceWorkers,
  swEval,
  updateSettings,
  viewState,
} from './loop-support';

let sim: Simulator;
let c: SimControl;
test.beforeAll(async () => {
  ({ sim, c } = await startSimulator());
});
test.afterAll(() => sim.close());

/** A 10,000 USDT simulator account with a BTCUSDT long from 60,000, added in enforce mode and live; returns its page and id. */
async function liveWithLong(context: BrowserContext, extensionId: string, label: string, amount: number, leverage: number) {
  await c.setPrice('binance', 'BTCUSDT', 60_000);
  const acct = await simBinanceAccount(c);
  await c.venue('binance', 'setPosition', { apiKey: acct.apiKey, symbol: 'BTCUSDT', amount, entryPrice: 60_000, leverage });
  const page = await openExtensionPage(context, extensionId, 'options.html#activity');
  const id = await addBinanceAccount(page, sim, acct, label, 'enforce');
  await expect.poll(async () => (await accountRisk(page, id))?.status, { timeout: 30_000 }).toBe('live');
  return { acct, page, id };
}

test('(a) a price path pushes a position past its drawdown limit: notification, close order at the simulator, audit entry', async ({ context, extensionId }) => {
  test.setTimeout(90_000);
  await c.setPrice('binance', 'BTCUSDT', 60_000);
  const acct = await simBinanceAccount(c);
  await c.venue('binance', 'setPosition', { apiKey: acct.apiKey, symbol: 'BTCUSDT', amount: 0.08, entryPrice: 60_000, leverage: 10 });
  const page = await openExtensionPage(context, extensionId, 'options.html#activity');
  const id = await addBinanceAccount(page, sim, acct, 'Drawdown', 'enforce');
  await expect.poll(async () => (await viewState(page)).risk.accounts.find((a) => a.key === id)?.status, { timeout: 30_000 }).toBe('live');
  await expect.poll(async () => (await viewState(page)).risk.accounts.find((a) => a.key === id)?.positions.length).toBe(1);

  await c.clearRequests();
  // 10x long: -8% is 80% of the margin, past the full-close tier (150% of the 50% limit).
  await c.setPrice('binance', 'BTCUSDT', 55_200);
  await expect.poll(() => simPositions(c, acct.apiKey), { timeout: 20_000 }).toEqual([]);
  const orders = (await c.requests('binance')).filter((r) => r.method === 'POST' && /\/fapi\/v1\/order$/.test(r.path.split('?')[0]!));
  expect(orders.length).toBeGreaterThanOrEqual(1);
  await expect.poll(async () => (await auditLog(page)).map((e) => e.kind)).toContain('action.done');
  const log = await auditLog(page);
  expect(log.find((e) => e.kind === 'risk.finding' && e.message.includes('BTCUSDT long: down'))).toBeTruthy();
  expect(log.find((e) => e.kind === 'action.close')?.message).toMatch(/^Drawdown: closing all of BTCUSDT long \(0\.08\)\./);
  const shown = await notifications(page);
  expect(Object.keys(shown).length).toBeGreaterThanOrEqual(1);
  await page.reload();
  await screenshot(page, 'loop-a-activity');
});

/** The manual strategy's kill switch (-$50 by default) would fire on these losses too: out of the way for (b) and (d). */
const wideManualKillSwitch = (s: Record<string, any>) => {
  s.strategyDefaults.maxDrawdownUsd = 5_000;
};

/** Takes a live enforce-mode account to HALTED by a daily loss past the emergency level; its losing position is closed. */
async function haltByDailyLoss(page: Page, id: string, apiKey: string) {
  await expect.poll(async () => (await accountRisk(page, id))?.status, { timeout: 30_000 }).toBe('live');
  // The trading day's start value is fixed by the first snapshot: wait for it before losing.
  await expect.poll(async () => (await accountRisk(page, id))?.dayLossPct, { timeout: 15_000 }).toBe(0);
  // A long bought at 63,000 with the mark at 60,000: -$300, 3% of the day's $10,000 start (emergency at 2%).
  await c.venue('binance', 'setPosition', { apiKey, symbol: 'BTCUSDT', amount: 0.1, entryPrice: 63_000, leverage: 10 });
  await expect.poll(async () => (await accountRisk(page, id))?.trading, { timeout: 20_000 }).toBe('HALTED');
  // flattenOnEmergency: the losing position is closed.
  await expect.poll(() => simPositions(c, apiKey), { timeout: 20_000 }).toEqual([]);
  await expect.poll(async () => (await auditOf(page, 'action.done')).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
}

test('(b) daily loss past the emergency level halts the account; a position opened at the venue afterwards is closed', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  await c.setPrice('binance', 'BTCUSDT', 60_000);
  const acct = await simBinanceAccount(c);
  const hlAddress = '0x' + 'b5'.repeat(20);
  await c.venue('hyperliquid', 'createAccount', { address: hlAddress, balance: 25_000 });
  const page = await openExtensionPage(context, extensionId, 'options.html#activity');
  await updateSettings(page, wideManualKillSwitch);
  const id = await addBinanceAccount(page, sim, acct, 'Main', 'enforce');
  const hl = await addHyperliquidAccount(page, sim, hlAddress, 'HL watch');
  expect(hl).toBe(`hyperliquid:${hlAddress}`);

  await haltByDailyLoss(page, id, acct.apiKey);
  const halted = (await accountRisk(page, id))!;
  expect(halted.tradingReason).toMatch(/^Daily loss [\d.]+% of the .* limit 2%\.$/);
  const log = await auditLog(page, 500);
  // The account's own transition (the position's symbol may be halted by its drawdown breaker as well).
  const accountStates = log.filter((e) => e.kind === 'risk.trading_state' && e.message.startsWith('Account main (binance): ')).map((e) => e.message);
  const toHalted = accountStates.filter((m) => m.includes(' -> HALTED. '));
  expect(toHalted).toEqual([expect.stringMatching(/^Account main \(binance\): trading (ACTIVE|REDUCING) -> HALTED\. Daily loss [\d.]+% .* limit 2%\.$/)]);
  // The position's exposure (0.1 BTC, about 62% of equity, limit 50%) can be seen one evaluation before the loss when
  // the position and the balance arrive in separate updates: reduce-only first, then halted. Nothing else.
  for (const m of accountStates.filter((x) => !toHalted.includes(x)))
    expect(m).toMatch(/^Account main \(binance\): trading ACTIVE -> REDUCING\. Total exposure is \d+% of equity, limit 50%\.$/);
  expect(log.find((e) => e.kind === 'action.close')?.message).toMatch(/^Main: closing all of BTCUSDT long \(0\.1\)\./);
  expect((await viewState(page)).risk.badge.text).toBe('HALT');

  // The read-only Hyperliquid account is in the same picture, live, with its equity, and not halted by Binance's loss.
  await expect.poll(async () => (await accountRisk(page, hl))?.status, { timeout: 30_000 }).toBe('live');
  const hlRisk = (await accountRisk(page, hl))!;
  expect(hlRisk).toMatchObject({ venue: 'hyperliquid', trading: 'ACTIVE', equity: 25_000 });

  // While HALTED, a position opened from the phone app is closed by Ringfence.
  await c.clearRequests();
  const closesBefore = (await auditOf(page, 'action.close')).length;
  const donesBefore = (await auditOf(page, 'action.done')).length;
  const phone = await c.venue<{ orderId: number; status: string }>('binance', 'trade', { apiKey: acct.apiKey, symbol: 'BTCUSDT', side: 'BUY', quantity: 0.01 });
  expect(phone.status).toBe('FILLED');
  await expect.poll(() => simPositions(c, acct.apiKey), { timeout: 20_000 }).toEqual([]);
  // The venue saw the phone's buy, then Ringfence's sell of the same size.
  const last2 = (await simTrades(c, acct.apiKey)).slice(-2).map((t) => [t.side, t.qty]);
  expect(last2).toEqual([
    ['BUY', '0.010'],
    ['SELL', '0.010'],
  ]);
  expect(await orderPosts(c)).toHaveLength(1);
  await expect.poll(async () => (await auditOf(page, 'action.done')).length, { timeout: 15_000 }).toBe(donesBefore + 1);
  const closes = await auditOf(page, 'action.close');
  expect(closes.length).toBe(closesBefore + 1);
  expect(closes[0]!.message).toMatch(/^Main: closing all of BTCUSDT long \(0\.01\)\./);
  expect((await auditOf(page, 'action.done'))[0]!.message).toBe('Main: BTCUSDT long closed (0.01 filled).');
  // Still halted: the day's loss stands.
  expect((await accountRisk(page, id))!.trading).toBe('HALTED');
});

test('(c) a strategy kill switch fires on a losing trade and is reset from the options page', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  await c.setPrice('binance', 'BTCUSDT', 60_000);
  const acct = await simBinanceAccount(c);
  const page = await openExtensionPage(context, extensionId, 'options.html#strategies');
  await page.setViewportSize({ width: 1280, height: 800 });
  // Orders whose client id starts with "bota-" belong to strategy bot-a, which may lose $20 in all.
  await send(page, 'attribution.save', { rules: [{ strategyId: 'bot-a', clientOrderIdPrefix: 'bota-', symbol: null }] });
  await send(page, 'strategy.create', { source: 'e2e bot', strategyId: 'bot-a', maxDrawdownUsd: 20, stopLossUsd: 5 });
  // Monitor mode: Ringfence records and alerts; the trades below are the bot's own.
  const id = await addBinanceAccount(page, sim, acct, 'Bots', 'monitor');
  await expect.poll(async () => (await accountRisk(page, id))?.status, { timeout: 30_000 }).toBe('live');

  // The bot buys at 60,000 and sells at 57,000: -$30 realized (plus fees) against its -$20 kill switch.
  await c.venue('binance', 'trade', { apiKey: acct.apiKey, symbol: 'BTCUSDT', side: 'BUY', quantity: 0.01, clientOrderId: 'bota-open-1' });
  // The opening fill is the bot's (its client id): its running PnL is the fee so far.
  const botPnl = async () => (await send<{ strategyId: string; totalPnl: number }[]>(page, 'strategies.list', {})).find((s) => s.strategyId === 'bot-a')?.totalPnl;
  await expect.poll(botPnl, { timeout: 15_000 }).toBeCloseTo(-0.3, 6);
  await c.setPrice('binance', 'BTCUSDT', 57_000);
  await c.venue('binance', 'trade', { apiKey: acct.apiKey, symbol: 'BTCUSDT', side: 'SELL', quantity: 0.01, reduceOnly: true, clientOrderId: 'bota-close-1' });
  expect(await simPositions(c, acct.apiKey)).toEqual([]);

  const row = page.locator('[data-strategy="bot-a"]');
  await expect(row.getByTestId('rf-strategy-status')).toHaveText('Killed', { timeout: 20_000 });
  const killed = (await send<{ strategyId: string; killed: boolean; totalPnl: number }[]>(page, 'strategies.list', {})).find((s) => s.strategyId === 'bot-a')!;
  expect(killed.killed).toBe(true);
  // -$30 realized and two taker fees (0.05% of $600 and of $570).
  expect(killed.totalPnl).toBeCloseTo(-30 - 0.3 - 0.285, 6);
  await expect.poll(async () => (await viewState(page)).risk.strategies, { timeout: 10_000 }).toEqual([expect.objectContaining({ strategyId: 'bot-a', trading: 'HALTED', killed: true })]);
  const state = await viewState(page);
  expect(state.risk.badge.text).toBe('KILL');
  // The account itself is not halted: only the strategy is.
  expect(state.risk.accounts.find((a) => a.key === id)?.trading).toBe('ACTIVE');
  expect((await auditOf(page, 'strategy.killed'))[0]?.message).toMatch(/^Kill switch: strategy bot-a stopped\./);
  await screenshot(page, 'loop-c-strategy-killed');

  // Reset from the table, with its confirmation.
  await row.getByRole('button', { name: 'Reset kill switch' }).click();
  const confirm = row.getByRole('group', { name: 'Confirm reset of bot-a' });
  await expect(confirm).toContainText('Reset the kill switch and total PnL of bot-a?');
  await confirm.getByRole('button', { name: 'Confirm reset' }).click();
  await expect(row.getByTestId('rf-strategy-status')).toHaveText('Active');
  await expect(row.getByRole('button', { name: 'Reset kill switch' })).toHaveCount(0);

  const reset = (await send<{ strategyId: string; killed: boolean; totalPnl: number }[]>(page, 'strategies.list', {})).find((s) => s.strategyId === 'bot-a')!;
  expect(reset).toMatchObject({ killed: false, totalPnl: 0 });
  expect((await auditOf(page, 'strategy.kill_reset'))[0]?.message).toBe('Kill switch of bot-a reset by the user (total PnL was -$30.59).');
  await expect.poll(async () => (await viewState(page)).risk.strategies, { timeout: 10_000 }).toEqual([]);
  // And it stays active over the next evaluations (the loop must not re-halt it from a stale table).
  const resetAt = Date.now();
  await expect.poll(async () => ((await viewState(page)).risk.evaluatedAt ?? 0) - resetAt, { timeout: 15_000 }).toBeGreaterThanOrEqual(2_000);
  expect((await viewState(page)).risk.strategies).toEqual([]);
  expect((await viewState(page)).risk.badge.text).not.toBe('KILL');
  const stored = await send<{ strategyId: string; killed: boolean }[]>(page, 'strategies.list', {});
  expect(stored.find((s) => s.strategyId === 'bot-a')?.killed).toBe(false);
});

test('(d) the service worker stopped while HALTED comes back with the same state and repeats no action', async ({ context, extensionId, sw }) => {
  test.setTimeout(120_000);
  await c.setPrice('binance', 'BTCUSDT', 60_000);
  const acct = await simBinanceAccount(c);
  const page = await openExtensionPage(context, extensionId, 'options.html#activity');
  await updateSettings(page, wideManualKillSwitch);
  const id = await addBinanceAccount(page, sim, acct, 'Restart', 'enforce');
  await c.clearRequests();
  await haltByDailyLoss(page, id, acct.apiKey);

  const before = (await accountRisk(page, id))!;
  expect(before.trading).toBe('HALTED');
  expect(before.coolingUntil).toBeGreaterThan(Date.now());
  const storedRisk = () => swEval<RiskStateLike>(worker(), `ringfence.db.meta.get('risk.state').then((r) => r.value)`);
  const worker = () => context.serviceWorkers()[0] ?? sw;
  // Settled: the close's losing fill has been stored and evaluated (a losing streak of one).
  await expect.poll(async () => (await storedRisk()).accounts[id]?.losingStreak, { timeout: 15_000 }).toBe(1);
  const riskBefore = await storedRisk();
  expect(riskBefore.scopes[id]).toMatchObject({ trading: 'HALTED' });
  const ordersBefore = (await orderPosts(c)).length;
  const closesBefore = (await auditOf(page, 'action.close')).length;
  const startsBefore = (await auditOf(page, 'worker.started')).length;
  const haltsBefore = (await auditOf(page, 'risk.trading_state')).length;
  const originBefore = await swEval<number>(sw, 'performance.timeOrigin');
  const startedAtBefore = (await viewState(page)).workerStartedAt;
  expect(ordersBefore).toBeGreaterThanOrEqual(1);
  expect(closesBefore).toBe(1);
  expect((await c.state()).sockets.binance).toBeGreaterThan(0);

  // Stop the worker as Chrome does to an idle one (no extension page open, or it would reconnect at once).
  await page.close();
  await stopServiceWorkers(context);
  // Really gone: its websockets to the venue closed.
  await expect.poll(async () => (await c.state()).sockets.binance, { timeout: 15_000 }).toBe(0);

  // Wake it: an extension page connects and asks for the state.
  const view = await openExtensionPage(context, extensionId, 'options.html#activity');
  await expect.poll(() => swEval<number>(worker(), 'performance.timeOrigin'), { timeout: 15_000 }).not.toBe(originBefore);
  expect((await viewState(view)).workerStartedAt).toBeGreaterThan(startedAtBefore);
  expect((await auditOf(view, 'worker.started')).length).toBe(startsBefore + 1);

  // The new worker restores, reconnects and evaluates for a few seconds.
  await expect.poll(async () => (await accountRisk(view, id))?.status, { timeout: 30_000 }).toBe('live');
  await expect.poll(async () => (await viewState(view)).risk.evaluatedAt, { timeout: 15_000 }).not.toBeNull();
  const firstEval = (await viewState(view)).risk.evaluatedAt!;
  await expect.poll(async () => ((await viewState(view)).risk.evaluatedAt ?? 0) - firstEval, { timeout: 15_000 }).toBeGreaterThanOrEqual(2_000);

  const after = (await accountRisk(view, id))!;
  expect(after.trading).toBe('HALTED');
  expect(after.coolingUntil).toBe(before.coolingUntil);
  expect(after.breaker).toBe(before.breaker);
  const riskAfter = await storedRisk();
  expect(withoutTimes(riskAfter)).toEqual(withoutTimes(riskBefore));
  // No close or cancel sent again, no state transition recorded again.
  expect((await orderPosts(c)).length).toBe(ordersBefore);
  expect((await c.requests('binance')).filter((r) => r.method === 'DELETE')).toEqual([]);
  expect((await auditOf(view, 'action.close')).length).toBe(closesBefore);
  expect((await auditOf(view, 'action.cancel')).length).toBe(0);
  expect((await auditOf(view, 'risk.trading_state')).length).toBe(haltsBefore);
});

interface RiskStateLike {
  scopes: Record<string, unknown>;
  accounts: Record<string, { at: number; losingStreak: number }>;
  [k: string]: unknown;
}
/** The stored risk state without the per-evaluation timestamp of each account summary. */
const withoutTimes = (s: RiskStateLike) => ({ ...s, accounts: Object.fromEntries(Object.entries(s.accounts).map(([k, v]) => [k, { ...v, at: 0 }])) });

test('(e) the venue goes quiet: STALE and reduce-only; the feed drops and reconnects; trading recovers', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  await c.setPrice('binance', 'BTCUSDT', 60_000);
  const acct = await simBinanceAccount(c);
  const page = await openExtensionPage(context, extensionId, 'options.html#activity');
  await updateSettings(page, (s) => {
    s.data.staleAfterSec = 3;
  });
  const id = await addBinanceAccount(page, sim, acct, 'Feed', 'monitor');
  await expect.poll(async () => (await accountRisk(page, id))?.status, { timeout: 30_000 }).toBe('live');
  await expect.poll(async () => (await viewState(page)).risk.badge.text, { timeout: 10_000 }).toBe('OK');

  try {
    // Frames stop while the sockets stay open: nothing tells Ringfence but the silence.
    await c.faults({ stalled: true });
    await expect.poll(async () => (await accountRisk(page, id))?.status, { timeout: 20_000 }).toBe('stale');
    await expect.poll(async () => (await accountRisk(page, id))?.trading, { timeout: 10_000 }).toBe('REDUCING');
    const quiet = await viewState(page);
    expect(quiet.risk.badge.text).toBe('STALE');
    expect(quiet.risk.accounts.find((a) => a.key === id)?.statusText).toMatch(/^No fresh data for \d+ s\.$/);
    expect(quiet.risk.findings.find((f) => f.rule === 'stale-data' && f.account === id)?.severity).toBe('critical');

    // Then the connection drops too.
    await c.drop('binance');
    await expect.poll(async () => (await auditOf(page, 'feed.lost')).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  } finally {
    await c.clearFaults();
  }
  // The venue is back: the adapter reconnects, data flows, the reduce-only hold lifts by itself.
  await expect.poll(async () => (await auditOf(page, 'feed.recovered')).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  await expect.poll(async () => (await accountRisk(page, id))?.status, { timeout: 20_000 }).toBe('live');
  await expect.poll(async () => (await accountRisk(page, id))?.trading, { timeout: 10_000 }).toBe('ACTIVE');
  await expect.poll(async () => (await viewState(page)).risk.badge.text, { timeout: 10_000 }).toBe('OK');

  const log = await auditLog(page, 500);
  const stale = log.find((e) => e.kind === 'risk.finding' && /^Feed: No fresh data for \d+ seconds? \(limit 3\)/.test(e.message));
  expect(stale?.severity).toBe('critical');
  // Oldest first: reduce-only while blind, active again once data flowed.
  const states = log.filter((e) => e.kind === 'risk.trading_state').map((e) => e.message).reverse();
  expect(states).toHaveLength(2);
  expect(states[0]).toMatch(/trading ACTIVE -> REDUCING\. No fresh data/);
  expect(states[1]).toMatch(/trading REDUCING -> ACTIVE\./);
  expect(log.find((e) => e.kind === 'feed.lost')?.message).toMatch(/^Binance account Feed: .*reconnecting\.$/);
  expect(log.find((e) => e.kind === 'feed.recovered')?.message).toBe('Binance account Feed: data flowing again.');
});

test('(f) a burst of 429s while the feed drops and trades happen: backoff per Retry-After, no fill or position lost', async ({ context, extensionId, sw }) => {
  test.setTimeout(120_000);
  await c.setPrice('binance', 'BTCUSDT', 60_000);
  await c.setPrice('binance', 'ETHUSDT', 3_000);
  const acct = await simBinanceAccount(c);
  const page = await openExtensionPage(context, extensionId, 'options.html#activity');
  // Monitor mode: Ringfence only watches, so every trade below is the simulator's and the user's.
  const id = await addBinanceAccount(page, sim, acct, 'Burst', 'monitor');
  await expect.poll(async () => (await accountRisk(page, id))?.status, { timeout: 30_000 }).toBe('live');
  const trade = (symbol: string, side: 'BUY' | 'SELL', quantity: number, n: number) =>
    c.venue('binance', 'trade', { apiKey: acct.apiKey, symbol, side, quantity, clientOrderId: `burst-${n}` });
  // One trade while all is well.
  await trade('BTCUSDT', 'BUY', 0.01, 1);
  await expect.poll(async () => (await accountRisk(page, id))?.positions.length, { timeout: 15_000 }).toBe(1);

  await c.clearRequests();
  const BURST = 6;
  await c.faults({ http: [{ status: 429, count: BURST, pathPrefix: '/binance/fapi', retryAfterSec: 1 }] });
  // The streams drop: what happens now reaches Ringfence only through REST, which answers 429 for a while.
  await c.drop('binance');
  await trade('ETHUSDT', 'BUY', 0.2, 2);
  await trade('BTCUSDT', 'BUY', 0.005, 3);
  await trade('ETHUSDT', 'SELL', 0.05, 4);
  await expect.poll(async () => (await auditOf(page, 'feed.recovered')).length, { timeout: 45_000 }).toBeGreaterThanOrEqual(1);
  // And a trade after the reconnect, while the tail of the burst may still be answering.
  await trade('BTCUSDT', 'SELL', 0.005, 5);

  const made = await simTrades(c, acct.apiKey);
  expect(made).toHaveLength(5);
  const storedIds = () => swEval<string[]>(sw, `ringfence.db.fills.where('account').equals(${JSON.stringify(id)}).toArray().then((rows) => rows.map((r) => r.tradeId).sort())`);
  await expect.poll(storedIds, { timeout: 30_000 }).toEqual(made.map((t) => String(t.id)).sort());
  const venuePositions = (await simPositions(c, acct.apiKey)).map((p) => ({ symbol: p.symbol, size: p.amount })).sort((a, b) => a.symbol.localeCompare(b.symbol));
  expect(venuePositions).toEqual([
    { symbol: 'BTCUSDT', size: 0.01 },
    { symbol: 'ETHUSDT', size: 0.15 },
  ]);
  await expect
    .poll(async () => (await accountRisk(page, id))?.positions.map((p) => ({ symbol: p.symbol, size: Math.abs(p.size) })).sort((a, b) => a.symbol.localeCompare(b.symbol)), { timeout: 15_000 })
    .toEqual(venuePositions);

  // Every 429 was served (the burst happened), and a refused call was not asked again before Retry-After (1 s): no
  // retry loop hammering the venue. The log has when each answer went out; a call to the same endpoint within 150 ms
  // was already on its way (two flows read positions at once after a reconnect), not a retry.
  const reqs = (await c.requests('binance')).filter((r) => r.path.startsWith('/fapi'));
  const limited = reqs.filter((r) => r.status === 429);
  expect(limited).toHaveLength(BURST);
  const endpoint = (r: { method: string; path: string }) => `${r.method} ${r.path.split('?')[0]}`;
  for (const r of limited) {
    const soon = reqs.filter((x) => endpoint(x) === endpoint(r) && x.time - r.time > 150 && x.time - r.time < 950);
    expect(soon, `${endpoint(r)} asked again before Retry-After`).toEqual([]);
  }
  // The burst took several Retry-After waits to drain, not one tight loop.
  expect(limited[limited.length - 1]!.time - limited[0]!.time).toBeGreaterThanOrEqual(2_000);
  console.log(`(f) ${reqs.length} REST calls after the drop, 429s at +${limited.map((r) => r.time - limited[0]!.time).join(', +')} ms`);
});

test('(g) a close that fills only partly is sent again until the position is flat', async ({ context, extensionId }) => {
  test.setTimeout(90_000);
  const { acct, page, id } = await liveWithLong(context, extensionId, 'Thin', 0.05, 10);
  await expect.poll(async () => (await accountRisk(page, id))?.positions.length, { timeout: 15_000 }).toBe(1);

  // Thin book: each order fills at most 0.02 BTC, the rest of an IOC expires.
  await c.venue('binance', 'setFillCap', { apiKey: acct.apiKey, maxQty: 0.02 });
  await c.clearRequests();
  // -$10 on the position: past its $5 stop loss, so Ringfence closes all of it.
  await c.setPrice('binance', 'BTCUSDT', 59_800);
  await expect.poll(() => simPositions(c, acct.apiKey), { timeout: 30_000 }).toEqual([]);
  await expect.poll(async () => (await auditOf(page, 'action.done')).length, { timeout: 15_000 }).toBe(1);

  // 0.02 + 0.02 + 0.01: three orders, two of them cut short.
  const posts = await orderPosts(c);
  expect(posts).toHaveLength(3);
  const fills = (await simTrades(c, acct.apiKey)).map((t) => t.qty);
  expect(fills).toEqual(['0.020', '0.020', '0.010']);
  const log = await auditLog(page, 500);
  const action = log.filter((e) => e.kind.startsWith('action.')).reverse();
  expect(action.map((e) => e.kind)).toEqual(['action.close', 'action.partial', 'action.partial', 'action.done']);
  expect(action[0]!.message).toMatch(/^Thin: closing all of BTCUSDT long \(0\.05\)\./);
  expect(action[1]!.message).toBe('Thin: BTCUSDT long close partly filled (0.02); 0.03 left, sending again.');
  expect(action[2]!.message).toBe('Thin: BTCUSDT long close partly filled (0.02); 0.01 left, sending again.');
  expect(action[3]!.message).toBe('Thin: BTCUSDT long closed (0.05 filled).');
  await expect.poll(async () => (await accountRisk(page, id))?.positions.length, { timeout: 10_000 }).toBe(0);
  await c.venue('binance', 'setFillCap', { apiKey: acct.apiKey, maxQty: null });
});

test('(h) a withdrawal of 40% of the futures wallet is no loss: the account stays ACTIVE, its position open, the activity log names it', async ({ context, extensionId }) => {
  test.setTimeout(90_000);
  const { acct, page, id } = await liveWithLong(context, extensionId, 'Transfers', 0.02, 5);
  // The day's start value is fixed by the first snapshot (10,000): taken before the withdrawal.
  await expect.poll(async () => (await accountRisk(page, id))?.dayLossPct, { timeout: 15_000 }).toBe(0);

  // Read as PnL, 4,000 out of 10,000 is a 40% daily loss and drawdown: a halt that flattens the position.
  await c.binanceTransfer(acct.apiKey, -4_000);
  await expect.poll(async () => (await auditOf(page, 'account.cash_flow')).map((e) => e.message), { timeout: 15_000 }).toEqual([
    'Binance account Transfers: withdrawal of $4,000.00 (USDT, WITHDRAW). Loss limits and drawdown count it as money moved, not as a gain or loss.',
  ]);
  await expect.poll(async () => (await accountRisk(page, id))?.equity, { timeout: 15_000 }).toBeCloseTo(6_000, 0);
  // Several evaluations later (the freshness tick runs each second), still nothing.
  await page.waitForTimeout(3_000);
  const risk = await accountRisk(page, id);
  expect(risk?.trading).toBe('ACTIVE');
  expect(risk?.dayLossPct).toBeCloseTo(0, 6);
  expect(await simPositions(c, acct.apiKey)).toEqual([{ symbol: 'BTCUSDT', amount: 0.02 }]);
  expect((await auditLog(page)).filter((e) => e.kind === 'action.close')).toEqual([]);
  await page.reload();
  await screenshot(page, 'loop-h-withdrawal');
});

test('(i) a withdrawal made while the service worker is stopped is read from the venue when it wakes: no halt, no close', async ({ context, extensionId, sw }) => {
  test.setTimeout(120_000);
  const { acct, page, id } = await liveWithLong(context, extensionId, 'Asleep', 0.02, 5);
  await expect.poll(async () => (await accountRisk(page, id))?.dayLossPct, { timeout: 15_000 }).toBe(0);
  const worker = () => context.serviceWorkers()[0] ?? sw;
  const originBefore = await swEval<number>(sw, 'performance.timeOrigin');

  await page.close();
  await stopServiceWorkers(context);
  await expect.poll(async () => (await c.state()).sockets.binance, { timeout: 15_000 }).toBe(0);
  // Nobody listening: the venue's push of this withdrawal reaches no one; only its income history keeps it.
  await c.binanceTransfer(acct.apiKey, -4_000);

  const view = await openExtensionPage(context, extensionId, 'options.html#activity');
  await expect.poll(() => swEval<number>(worker(), 'performance.timeOrigin'), { timeout: 15_000 }).not.toBe(originBefore);
  await expect.poll(async () => (await accountRisk(view, id))?.equity, { timeout: 30_000 }).toBeCloseTo(6_000, 0);
  await expect.poll(async () => (await auditOf(view, 'account.cash_flow')).map((e) => e.message), { timeout: 15_000 }).toEqual([
    expect.stringMatching(/^Binance account Asleep: withdrawal of \$4,000\.00 \(USDT, TRANSFER\) made .+ UTC, while Ringfence was not following the account\. /),
  ]);
  const firstEval = (await viewState(view)).risk.evaluatedAt!;
  await expect.poll(async () => ((await viewState(view)).risk.evaluatedAt ?? 0) - firstEval, { timeout: 15_000 }).toBeGreaterThanOrEqual(2_000);
  const risk = await accountRisk(view, id);
  expect(risk?.trading).toBe('ACTIVE');
  expect(risk?.dayLossPct).toBe(0);
  expect(await simPositions(c, acct.apiKey)).toEqual([{ symbol: 'BTCUSDT', amount: 0.02 }]);
  expect(await auditOf(view, 'action.close')).toEqual([]);
});
