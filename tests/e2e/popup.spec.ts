/**
 * The popup ("am I safe right now?") and the options Overview in Chromium, against the exchange simulator: live
 * numbers, a price move, "Take a break", "Flatten everything" with its confirmation, the reset, and the empty state.
 */
import type { Page } from '@playwright/test';
import type { SimControl } from '../simulator/control-client';
import type { Simulator } from '../simulator/server';
import { join } from 'node:path';
import { expect, openExtensionPage, screenshot, SCREENSHOTS, test, unnamedControls } from './fixtures';
import { addBinanceAccount, send, simBinanceAccount, simPositions, startSimulator, viewState } from './loop-support';

let sim: Simulator;
let c: SimControl;
test.beforeAll(async () => {
  ({ sim, c } = await startSimulator());
});
test.afterAll(() => sim.close());

/** The popup's whole length (Chrome shows up to 600 px and scrolls the rest), next to the viewport screenshot. */
async function shotFull(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-full.png`), fullPage: true });
}


async function openPopup(context: Parameters<typeof openExtensionPage>[0], extensionId: string, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const popup = await openExtensionPage(context, extensionId, 'popup.html');
  await popup.emulateMedia({ colorScheme: scheme });
  await popup.setViewportSize({ width: 380, height: 600 });
  return popup;
}

test('without an account the popup says to add one in Options > Accounts, and the link goes there', async ({ context, extensionId }) => {
  const popup = await openPopup(context, extensionId);
  const empty = popup.getByTestId('rf-popup-empty');
  await expect(empty).toBeVisible();
  await expect(empty).toContainText('Options > Accounts');
  await expect(popup.getByTestId('rf-flatten')).toHaveCount(0);
  await screenshot(popup, 'popup-empty-light');
  await popup.emulateMedia({ colorScheme: 'dark' });
  await screenshot(popup, 'popup-empty-dark');

  const [tab] = await Promise.all([context.waitForEvent('page'), popup.getByTestId('rf-popup-add-account').click()]);
  await expect(tab).toHaveURL(/\/options\.html#accounts$/);
  await expect(tab.getByTestId('rf-tab-accounts')).toHaveAttribute('aria-current', 'page');

  const options = await openExtensionPage(context, extensionId, 'options.html#overview');
  await expect(options.getByTestId('rf-overview-empty')).toBeVisible();
});

test('the popup shows the live account, follows a price move, takes a break and flattens everything', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  await c.setPrice('binance', 'BTCUSDT', 60_000);
  const acct = await simBinanceAccount(c, 10_000);
  await c.venue('binance', 'setPosition', { apiKey: acct.apiKey, symbol: 'BTCUSDT', amount: 0.04, entryPrice: 60_000, leverage: 10 });
  const options = await openExtensionPage(context, extensionId, 'options.html#overview');
  const id = await addBinanceAccount(options, sim, acct, 'Main', 'guard');
  const account = async () => (await viewState(options)).risk.accounts.find((a) => a.key === id);
  await expect.poll(async () => (await account())?.status, { timeout: 30_000 }).toBe('live');
  await expect.poll(async () => (await account())?.positions.length).toBe(1);

  const popup = await openPopup(context, extensionId);
  const card = popup.locator(`[data-testid="rf-account"][data-account="${id}"]`);
  await expect(card).toBeVisible();
  await expect(popup.getByTestId('rf-verdict-title')).toHaveText('All limits clear');
  await expect(card.getByTestId('rf-account-trading')).toHaveAttribute('data-trading', 'ACTIVE');
  // The simulator's numbers: $10,000 wallet, 0.04 BTC long from 60,000 at a mark of 60,000.
  await expect(card.getByTestId('rf-account-equity')).toHaveText('$10,000.00');
  const row = card.locator('[data-testid="rf-position"][data-symbol="BTCUSDT"]');
  await expect(row.getByTestId('rf-position-side')).toHaveText('Long');
  await expect(row.getByTestId('rf-position-size')).toHaveText('0.04 · 10x');
  await expect(row.getByTestId('rf-position-upnl')).toHaveText('$0.00');
  await expect(row.getByTestId('rf-position-stop')).toHaveText('—'); // no protective stop at the simulator
  await expect(card.getByTestId('rf-meter-exposure-text')).toHaveText('24% of 50%');

  // A price move reaches the open popup without a reload.
  await c.setPrice('binance', 'BTCUSDT', 60_600);
  await expect(row.getByTestId('rf-position-upnl')).toHaveText('+$24.00', { timeout: 15_000 });
  await expect(card.getByTestId('rf-account-equity')).toHaveText('$10,024.00');
  await expect(card.getByTestId('rf-account-daypnl')).toHaveText('+$24.00 (+0.24%)');
  expect((await account())?.equity).toBeCloseTo(10_024, 2);
  const liq = (await viewState(options)).risk.accounts.find((a) => a.key === id)!.positions[0] as unknown as { liqDistancePct: number | null };
  await expect(row.getByTestId('rf-position-liq')).toHaveText(liq.liqDistancePct === null ? '—' : /^\d+(\.\d+)?%$/);
  await shotFull(popup, 'popup-live-light');
  await popup.emulateMedia({ colorScheme: 'dark' });
  await shotFull(popup, 'popup-live-dark');
  await popup.emulateMedia({ colorScheme: 'light' });
  await expect(card.getByTestId('rf-account-equity')).toHaveText('$10,024.00'); // still, after the screenshots

  await options.setViewportSize({ width: 1280, height: 900 });
  await expect(options.locator(`[data-testid="rf-account"][data-account="${id}"]`).getByTestId('rf-account-equity')).toHaveText('$10,024.00');
  await shotFull(options, 'options-overview-live');

  // Take a break: 15 minutes, every account HALTED, with a countdown.
  await popup.getByLabel('Take a break').selectOption('15m');
  const before = Date.now();
  await popup.getByTestId('rf-break').click();
  await expect(popup.getByTestId('rf-action-result')).toContainText('On a break until');
  await expect(card.getByTestId('rf-account-trading')).toHaveAttribute('data-trading', 'HALTED');
  await expect(popup.getByTestId('rf-verdict-title')).toHaveText('Trading halted');
  await expect(card.getByTestId('rf-account-reason')).toContainText('Taking a break');
  const countdown = popup.getByTestId('rf-verdict-cooling').getByTestId('rf-countdown');
  await expect(countdown).toHaveText(/^1[45]:\d\d$/);
  const first = await countdown.textContent();
  // It ticks. A starved renderer can hold its 1 s timer back for seconds (a CI run on a loaded host saw over 3 s).
  await expect(countdown).not.toHaveText(first!, { timeout: 10_000 });
  const halted = (await viewState(options)).risk;
  expect(halted.trading).toBe('HALTED');
  const cooling = halted.accounts.find((a) => a.key === id)!.coolingUntil!;
  expect(cooling).toBeGreaterThanOrEqual(before + 15 * 60_000 - 1_000);
  expect(cooling).toBeLessThanOrEqual(Date.now() + 15 * 60_000 + 1_000);
  await shotFull(popup, 'popup-break-light');

  // Flatten everything: the first click only asks; the second closes the position at the simulator.
  await popup.getByTestId('rf-flatten').click();
  await expect(popup.getByTestId('rf-flatten-confirm-box')).toContainText('1 open position on 1 account that can trade');
  await expect(popup.getByTestId('rf-flatten-cancel')).toBeFocused();
  await popup.waitForTimeout(500);
  expect(await simPositions(c, acct.apiKey)).toEqual([{ symbol: 'BTCUSDT', amount: 0.04 }]);
  await shotFull(popup, 'popup-flatten-confirm-light');
  await popup.getByTestId('rf-flatten-confirm').click();
  await expect(popup.getByTestId('rf-action-result')).toContainText('Closing 1 position; every open order cancelled.');
  await expect.poll(() => simPositions(c, acct.apiKey), { timeout: 20_000 }).toEqual([]);
  await expect(card.getByTestId('rf-positions-empty')).toBeVisible({ timeout: 15_000 });
  await expect(card.getByTestId('rf-account-trading')).toHaveAttribute('data-trading', 'HALTED');
  expect((await viewState(options)).risk.trading).toBe('HALTED');
  await expect(popup.getByTestId('rf-verdict-next')).toHaveAttribute('href', '/options.html#overview'); // where to reset
  await shotFull(popup, 'popup-flattened-light');
  await popup.emulateMedia({ colorScheme: 'dark' });
  await shotFull(popup, 'popup-flattened-dark');

  // The Overview offers the reset of the halted account, after a confirmation.
  const ocard = options.locator(`[data-testid="rf-account"][data-account="${id}"]`);
  await expect(ocard).toHaveAttribute('data-trading', 'HALTED');
  await expect(options.getByTestId('rf-findings').or(options.getByTestId('rf-findings-empty'))).toBeVisible();
  await shotFull(options, 'options-overview-halted');
  await ocard.getByRole('button', { name: 'Reset trading on Main…' }).click();
  await expect(ocard.getByTestId('rf-account-reset-confirm')).toBeVisible();
  await shotFull(options, 'options-overview-reset-confirm');
  expect((await viewState(options)).risk.trading).toBe('HALTED');
  await ocard.getByTestId('rf-account-reset-confirm').click();
  await expect.poll(async () => (await account())?.trading, { timeout: 15_000 }).toBe('ACTIVE');
  await expect(card.getByTestId('rf-account-trading')).toHaveAttribute('data-trading', 'ACTIVE');
  await expect(ocard.getByTestId('rf-account-reset')).toHaveCount(0);
});

test('the popup and the Overview say what is wrong: a limit breached, an account that cannot connect', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  await c.setPrice('binance', 'ETHUSDT', 3_000);
  const acct = await simBinanceAccount(c, 10_000);
  // 2 ETH at 3,000 on $10,000: 60% exposure, above the 50% limit. Monitor mode: Ringfence only warns.
  await c.venue('binance', 'setPosition', { apiKey: acct.apiKey, symbol: 'ETHUSDT', amount: -2, entryPrice: 3_000, leverage: 5 });
  const options = await openExtensionPage(context, extensionId, 'options.html#overview');
  const id = await addBinanceAccount(options, sim, acct, 'Swing', 'monitor');
  // A key the exchange does not know: the account cannot connect.
  await send(options, 'account.add', {
    venue: 'binance',
    label: 'Old key',
    apiKey: `e2eUnknownKey${'0'.repeat(23)}`,
    apiSecret: `e2eUnknownSecret${'0'.repeat(20)}`,
    network: 'custom',
    restUrl: `${sim.url}/binance`,
    wsUrl: `${sim.wsUrl}/binance/ws`,
    mode: 'monitor',
  });
  await expect.poll(async () => (await viewState(options)).risk.accounts.find((a) => a.key === id)?.positions.length, { timeout: 30_000 }).toBe(1);
  await expect.poll(async () => (await viewState(options)).risk.accounts.find((a) => a.key !== id)?.status, { timeout: 30_000 }).toBe('error');

  const popup = await openPopup(context, extensionId);
  const swing = popup.locator(`[data-testid="rf-account"][data-account="${id}"]`);
  await expect(swing.getByTestId('rf-meter-exposure')).toHaveAttribute('data-tone', 'bad');
  await expect(swing.getByTestId('rf-meter-exposure-text')).toHaveText('60% of 50%');
  const short = swing.locator('[data-testid="rf-position"][data-symbol="ETHUSDT"]');
  await expect(short.getByTestId('rf-position-side')).toHaveText('Short');
  await expect(short.getByTestId('rf-position-size')).toHaveText('2 · 5x');
  const broken = popup.locator('[data-testid="rf-account"][data-status="error"]');
  await expect(broken.getByTestId('rf-account-advice')).toContainText('Not connected to the exchange.');
  await expect(broken.getByTestId('rf-account-next')).toHaveAttribute('href', '/options.html#accounts');
  await expect(broken.getByTestId('rf-account-equity')).toHaveCount(0); // no numbers to show: the card says why instead
  await expect(popup.getByTestId('rf-verdict')).toHaveAttribute('data-tone', 'warn');
  await expect(popup.getByTestId('rf-verdict-detail')).toHaveText('Old key: not connected. Only exits pass on Swing.');
  await expect(popup.getByTestId('rf-popup-findings').locator('li').first()).toBeVisible();
  expect(await unnamedControls(popup)).toEqual([]);
  // Keyboard alone: Tab reaches "Flatten everything…", Enter asks, the focus is on Cancel, Escape backs out.
  await popup.locator('body').focus();
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await popup.keyboard.press('Tab');
    reached = await popup.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'rf-flatten');
  }
  expect(reached, 'Tab reaches Flatten everything').toBe(true);
  await popup.keyboard.press('Enter');
  await expect(popup.getByTestId('rf-flatten-cancel')).toBeFocused();
  expect(await unnamedControls(popup)).toEqual([]);
  await popup.keyboard.press('Escape');
  await expect(popup.getByTestId('rf-flatten')).toBeFocused();
  await shotFull(popup, 'popup-problems-light');
  await popup.emulateMedia({ colorScheme: 'dark' });
  await shotFull(popup, 'popup-problems-dark');

  await options.setViewportSize({ width: 1280, height: 900 });
  const finding = options.getByTestId('rf-findings').locator('li[data-rule="total-exposure"]').first();
  await expect(finding).toContainText('Swing');
  await expect(finding).toHaveAttribute('data-severity', /^(warning|critical|emergency)$/);
  expect(await unnamedControls(options)).toEqual([]);
  await shotFull(options, 'options-overview-problems');
  await options.emulateMedia({ colorScheme: 'dark' });
  await shotFull(options, 'options-overview-problems-dark');
});
