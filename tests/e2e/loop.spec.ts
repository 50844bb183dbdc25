/**
 * The background risk loop in Chromium: the service worker connects to the simulator, evaluates every push and acts.
 * Issue 5's end-to-end cases (a)-(g).
 */
import type { SimControl } from '../simulator/control-client';
import type { Simulator } from '../simulator/server';
import { expect, openExtensionPage, screenshot, test } from './fixtures';
import { addBinanceAccount, auditLog, notifications, simBinanceAccount, simPositions, startSimulator, viewState } from './loop-support';

let sim: Simulator;
let c: SimControl;
test.beforeAll(async () => {
  ({ sim, c } = await startSimulator());
});
test.afterAll(() => sim.close());

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
