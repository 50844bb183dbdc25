/**
 * The order guard on both exchange pages (issue 6 part 3): submit clicks and Enter are checked at click time against
 * the pushed risk state; warnings and blocks stop the page's own handlers and show a dialog; "Place anyway" lets
 * exactly the next click through; each override policy; coin switches; passive when the layout is unknown or no
 * account is set up; and the audit log has every verdict and override.
 *
 * The replicas have no scripts: each test adds the page's own handlers from the page's world (window.__rf counts
 * them), after the content script, as a page's bundle would: a click handler on every button, a submit handler on
 * the form, a capture-phase click listener on window and keydown on document, and a bubbling one on the app root
 * (where React listens).
 */
import type { BrowserContext, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimControl } from '../simulator/control-client';
import type { Simulator } from '../simulator/server';
import { ROOT, serveFixture } from './browser';
import { expect, openExtensionPage, screenshot, test } from './fixtures';
import { addBinanceAccount, auditLog, PASSPHRASE, send, simBinanceAccount, startSimulator } from './loop-support';

const BINANCE = 'https://www.binance.com/en/futures/BTCUSDT';
const HYPERLIQUID = 'https://app.hyperliquid.xyz/trade/BTC';
const SUBMIT = { binance: 'Buy/Long', hyperliquid: 'Place Order' } as const;

let sim: Simulator;
let c: SimControl;
test.beforeAll(async () => {
  ({ sim, c } = await startSimulator());
  await c.setPrice('binance', 'BTCUSDT', 97_000);
  await c.setPrice('hyperliquid', 'BTC', 97_000);
});
test.afterAll(() => sim.close());

interface GuardState {
  risk: { trading: string; guard: { accounts: { key: string }[]; settings: { policy: Record<string, string>; countdownSec: number } } | null };
}
const state = (p: Page) => send<GuardState>(p, 'state.get', {});

let hlSeq = 0;
/** An account of the venue at the simulator, in the given mode, with its data in the pushed guard state. */
async function setUp(context: BrowserContext, extensionId: string, venue: 'binance' | 'hyperliquid', mode: 'monitor' | 'guard' | 'enforce' = 'guard') {
  const options = await openExtensionPage(context, extensionId, 'options.html#activity');
  let id: string;
  if (venue === 'binance') {
    id = await addBinanceAccount(options, sim, await simBinanceAccount(c), 'Desk', mode);
  } else {
    hlSeq += 1;
    const address = `0x${String(hlSeq).padStart(2, '0').repeat(20)}`;
    await c.venue('hyperliquid', 'createAccount', { address, balance: 10_000 });
    await send(options, 'vault.create', { passphrase: PASSPHRASE });
    const row = await send<{ id: string }>(options, 'account.add', {
      venue: 'hyperliquid',
      label: 'HL desk',
      address,
      network: 'custom',
      restUrl: `${sim.url}/hyperliquid`,
      wsUrl: `${sim.wsUrl}/hyperliquid/ws`,
      mode,
    });
    id = row.id;
  }
  await expect.poll(async () => (await state(options)).risk.guard?.accounts.some((a) => a.key === id), { timeout: 30_000 }).toBe(true);
  return { options, id };
}

const WATCH = `(() => {
  const c = (window.__rf = { clicks: [], submits: 0, windowCapture: 0, documentEnter: 0, root: 0 });
  const submitText = /^(buy\\/long|sell\\/short|place order)$/i;
  for (const b of document.querySelectorAll('button')) b.addEventListener('click', () => submitText.test(b.textContent.trim()) && c.clicks.push(b.textContent.trim()));
  for (const f of document.querySelectorAll('form')) f.addEventListener('submit', () => c.submits++);
  window.addEventListener('click', (e) => e.target.closest && e.target.closest('button') && c.windowCapture++, true);
  document.addEventListener('keydown', (e) => e.key === 'Enter' && c.documentEnter++, true);
  (document.getElementById('root') || document.getElementById('__APP')).addEventListener('click', () => c.root++);
})()`;
interface Counts {
  clicks: string[];
  submits: number;
  windowCapture: number;
  documentEnter: number;
  root: number;
}
const counts = (p: Page) => p.evaluate('window.__rf') as Promise<Counts>;

/** Opens a trading page with the page's own handlers in place, once the guard has the account's data. */
async function tradingPage(context: BrowserContext, url: string, ready = 'ready'): Promise<Page> {
  const page = await context.newPage();
  // Tall enough that the Ringfence panel (bottom right) does not cover the order form's button.
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(url);
  await expect(page.locator('[data-ringfence="guard"]')).toHaveAttribute('data-guard', ready, { timeout: 20_000 });
  await page.evaluate(WATCH);
  return page;
}

const dialog = (p: Page) => p.getByTestId('rf-guard-dialog');
const reasons = (p: Page) => p.getByTestId('rf-guard-reason');
/** Sets a button's text, as the page does when the user picks another leverage. */
const setText = (p: Page, from: string, to: string) =>
  p.evaluate(([a, b]) => [...document.querySelectorAll('button')].find((x) => x.textContent!.trim() === a)!.textContent = b, [from, to] as const);

test('Binance: allow passes untouched, a warning stops the click, and "Place anyway" lets exactly the next click through', async ({ context, extensionId }) => {
  test.setTimeout(90_000);
  const { options } = await setUp(context, extensionId, 'binance');
  const page = await tradingPage(context, BINANCE);
  const buy = page.getByRole('button', { name: 'Buy/Long', exact: true });

  // Warn: no stop loss. Nothing of the page ran, not even its own capture listener on window.
  await buy.click();
  await expect(dialog(page)).toHaveAttribute('data-decision', 'warn');
  await expect(dialog(page)).toHaveAttribute('data-policy', 'confirm');
  await expect(reasons(page)).toHaveText(['WARNNo stop loss on this order, so its risk cannot be measured.']);
  await expect(page.getByTestId('rf-guard-order')).toContainText('Buy/Long 0.01 BTC on BTCUSDT, limit 97000, 20x');
  expect(await counts(page)).toEqual({ clicks: [], submits: 0, windowCapture: 0, documentEnter: 0, root: 0 });
  await expect(dialog(page)).toHaveCSS('background-color', 'rgb(24, 26, 32)'); // Binance's palette
  await screenshot(page, 'guard-binance-warn');
  // The dialog covers the page: the button cannot be clicked again behind it.
  await page.getByTestId('rf-guard-override').click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(page.getByTestId('rf-guard-hint')).toContainText('Override armed: click “Buy/Long” again within');

  await buy.click();
  await expect(page.getByTestId('rf-guard-hint')).toHaveCount(0);
  expect(await counts(page)).toMatchObject({ clicks: ['Buy/Long'], submits: 1, windowCapture: 1, root: 1 });

  // One shot: the click after it is checked again.
  await buy.click();
  await expect(dialog(page)).toHaveAttribute('data-decision', 'warn');
  expect((await counts(page)).clicks).toEqual(['Buy/Long']);
  await page.getByTestId('rf-guard-cancel').click();
  await expect(dialog(page)).toHaveCount(0);

  // Allow: a reduce-only order can only shrink a position; the page's handlers run as if the guard were not there.
  await page.evaluate(() => document.querySelectorAll('[role=checkbox]')[1]!.setAttribute('aria-checked', 'true'));
  await buy.click();
  await expect.poll(async () => (await counts(page)).clicks).toEqual(['Buy/Long', 'Buy/Long']);
  await expect(dialog(page)).toHaveCount(0);

  await expect.poll(async () => (await auditLog(options)).filter((e) => e.kind.startsWith('guard.')).map((e) => e.kind)).toEqual(['guard.warn', 'guard.override', 'guard.warn']);
  const log = await auditLog(options);
  expect(log.find((e) => e.kind === 'guard.warn')!.message).toMatch(
    /^Guard warned about Buy\/Long 0\.01 BTCUSDT, Binance \(binance:[\w-]+\): No stop loss on this order, so its risk cannot be measured\.$/,
  );
  expect(log.find((e) => e.kind === 'guard.override')).toMatchObject({ severity: 'warning' });
  expect(log.find((e) => e.kind === 'guard.override')!.message).toMatch(/^Guard override of a warn on Buy\/Long 0\.01 BTCUSDT, .* through a confirmation: No stop loss/);
});

test('Binance: blocks with each override policy (typed, countdown, never) and what would pass', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  const { options } = await setUp(context, extensionId, 'binance');
  const page = await tradingPage(context, BINANCE);
  const buy = page.getByRole('button', { name: 'Buy/Long', exact: true });

  // Typed (the default for a leverage above the cap).
  await setText(page, 'Cross 20x', 'Cross 50x');
  await buy.click();
  await expect(dialog(page)).toHaveAttribute('data-decision', 'block');
  await expect(dialog(page)).toHaveAttribute('data-policy', 'typed');
  await expect(reasons(page).first()).toHaveText('BLOCKLeverage 50x is above the leverage mode cap of 20x.');
  await expect(page.getByTestId('rf-guard-allowed')).toHaveText('What would pass: up to 0.02061 BTC ($1,999.17) at up to 20x (the leverage mode cap).');
  const place = page.getByTestId('rf-guard-override');
  await expect(place).toBeDisabled();
  await page.getByTestId('rf-guard-phrase').fill('override');
  await expect(place).toBeDisabled();
  await screenshot(page, 'guard-binance-block-typed');
  await page.getByTestId('rf-guard-phrase').fill('OVERRIDE');
  await expect(place).toBeEnabled();
  await place.click();
  await buy.click();
  await expect.poll(async () => (await counts(page)).clicks).toEqual(['Buy/Long']);

  // Countdown: the policy from the settings, pushed to the page.
  await send(options, 'settings.save', { value: { guard: { policy: { leverageCap: 'countdown' }, countdownSec: 2 } } });
  await expect.poll(async () => (await state(options)).risk.guard?.settings.policy.leverageCap).toBe('countdown');
  await expect.poll(async () => {
    await buy.click();
    const p = await dialog(page).getAttribute('data-policy');
    if (p !== 'countdown') await page.getByTestId('rf-guard-cancel').click();
    return p;
  }).toBe('countdown');
  await expect(place).toBeDisabled();
  await expect(place).toHaveText(/^Place anyway \([12] s\)$/);
  await expect(page.getByTestId('rf-guard-policy')).toContainText('you can place it anyway in');
  await screenshot(page, 'guard-binance-block-countdown');
  await expect(place).toBeEnabled({ timeout: 4_000 });
  await expect(place).toHaveText('Place anyway');
  await place.click();
  await buy.click();
  await expect.poll(async () => (await counts(page)).clicks).toEqual(['Buy/Long', 'Buy/Long']);

  // Never: a break halts the account; no override is offered, and nothing would pass.
  await send(options, 'risk.break', { minutes: 30 });
  await expect.poll(async () => (await state(options)).risk.trading).toBe('HALTED');
  await setText(page, 'Cross 50x', 'Cross 20x');
  await expect.poll(async () => {
    await buy.click();
    const p = await dialog(page).getAttribute('data-policy');
    if (p !== 'never') await page.getByTestId('rf-guard-cancel').click();
    return p;
  }).toBe('never');
  await expect(page.getByTestId('rf-guard-override')).toHaveCount(0);
  await expect(reasons(page).first()).toContainText(/^BLOCKAccount [\w-]+ \(binance\) is halted: only exits and cancels pass\.Taking a break: nothing opens until \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/);
  await expect(reasons(page).first()).toHaveAttribute('data-category', 'tradingState');
  await expect(page.getByTestId('rf-guard-allowed')).toHaveText('Nothing that opens or adds passes now: only reduce-only orders and closes do.');
  await expect(page.getByTestId('rf-guard-policy')).toContainText('This block cannot be overridden here');
  await screenshot(page, 'guard-binance-block-never');
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toHaveCount(0);
  expect((await counts(page)).clicks).toEqual(['Buy/Long', 'Buy/Long']);

  const log = (await auditLog(options)).filter((e) => e.kind.startsWith('guard.')).reverse();
  expect(log.map((e) => e.kind)).toEqual(expect.arrayContaining(['guard.block', 'guard.override']));
  expect(log.filter((e) => e.kind === 'guard.override').map((e) => /through (the typed phrase|the countdown)/.exec(e.message)?.[1])).toEqual(['the typed phrase', 'the countdown']);
  expect(log.find((e) => e.kind === 'guard.block')!.message).toMatch(/^Guard blocked Buy\/Long 0\.01 BTCUSDT, Binance \(binance:[\w-]+\): Leverage 50x is above the leverage mode cap of 20x\.$/);
  expect(log.at(-1)!.message).toContain('is halted: only exits and cancels pass. Taking a break');
});

test('Binance: Enter in the order form is stopped before the page sees it; a coin switch is checked with the new symbol', async ({ context, extensionId }) => {
  test.setTimeout(90_000);
  const { options } = await setUp(context, extensionId, 'binance');
  const page = await tradingPage(context, BINANCE);
  const size = page.locator('input[id^="unitAmount-"]');

  await size.focus();
  await page.keyboard.press('Enter');
  await expect(dialog(page)).toHaveAttribute('data-trigger', 'enter');
  expect(await counts(page)).toEqual({ clicks: [], submits: 0, windowCapture: 0, documentEnter: 0, root: 0 });
  await page.getByTestId('rf-guard-override').click();
  await expect(page.getByTestId('rf-guard-hint')).toContainText('press Enter or click “Buy/Long” again');
  await size.focus();
  await page.keyboard.press('Enter');
  // The browser's implicit submit clicks the form's default button: the page gets its Enter, click and submit.
  await expect.poll(() => counts(page)).toMatchObject({ clicks: ['Buy/Long'], submits: 1, documentEnter: 1 });

  // The exchange switches coins with pushState, without a reload.
  await page.evaluate(() => history.pushState({}, '', '/en/futures/ETHUSDT'));
  await page.getByRole('button', { name: 'Buy/Long', exact: true }).click();
  await expect(dialog(page)).toHaveAttribute('data-symbol', 'ETHUSDT');
  await expect(page.getByTestId('rf-guard-order')).toContainText('ETHUSDT');
  await page.getByTestId('rf-guard-cancel').click();
  await expect.poll(async () => (await auditLog(options)).find((e) => e.kind === 'guard.warn')?.message).toMatch(/^Guard warned about Buy\/Long 0\.01 ETHUSDT, Binance/);
  const kinds = (await auditLog(options)).filter((e) => e.kind.startsWith('guard.'));
  expect(kinds.map((e) => e.kind)).toEqual(['guard.warn', 'guard.override', 'guard.warn']);
});

test('Binance: passive on an unrecognised layout and without an account of the venue', async ({ context, extensionId }) => {
  test.setTimeout(90_000);
  // No account: the guard stays passive (the panel says there is no account).
  const bare = await tradingPage(context, BINANCE, 'no-account');
  await bare.getByRole('button', { name: 'Buy/Long', exact: true }).click();
  await expect.poll(async () => (await counts(bare)).clicks).toEqual(['Buy/Long']);
  await expect(dialog(bare)).toHaveCount(0);
  await expect(bare.getByTestId('rf-panel-empty')).toHaveAttribute('data-reason', 'no-account');
  await bare.close();

  await setUp(context, extensionId, 'binance');
  // A redesign the adapter does not know: the size field is gone, the Buy/Long button is still there.
  const html = readFileSync(join(ROOT, 'tests', 'fixtures', 'pages', 'binance-futures.html'), 'utf8')
    .replace('id="unitAmount-38"', 'id="qty-38"')
    .replace('<div class="bn-textField-prefix">Size</div>', '<div class="bn-textField-prefix">Qty</div>');
  await context.route(BINANCE, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  const page = await tradingPage(context, BINANCE);
  await expect(page.getByTestId('rf-detection')).toHaveAttribute('data-status', 'unrecognised');
  await page.getByRole('button', { name: 'Buy/Long', exact: true }).click();
  await expect.poll(async () => (await counts(page)).clicks).toEqual(['Buy/Long']);
  await expect(dialog(page)).toHaveCount(0);
});

test('Hyperliquid: warn, typed and never blocks, Enter, reduce-only, with the audit', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  const { options } = await setUp(context, extensionId, 'hyperliquid');
  const page = await tradingPage(context, HYPERLIQUID);
  const place = page.getByRole('button', { name: 'Place Order', exact: true });

  await place.click();
  await expect(dialog(page)).toHaveAttribute('data-decision', 'warn');
  await expect(reasons(page)).toHaveText(['WARNNo stop loss on this order, so its risk cannot be measured.']);
  await expect(page.getByTestId('rf-guard-order')).toContainText('Buy 0.01 BTC, limit 97000, 20x · HL desk (guard mode)');
  expect(await counts(page)).toEqual({ clicks: [], submits: 0, windowCapture: 0, documentEnter: 0, root: 0 });
  await expect(dialog(page)).toHaveCSS('background-color', 'rgb(15, 26, 31)'); // Hyperliquid's palette
  await screenshot(page, 'guard-hyperliquid-warn');
  await page.getByTestId('rf-guard-override').click();
  await place.click();
  await expect.poll(() => counts(page)).toMatchObject({ clicks: ['Place Order'], submits: 1, root: 1 });

  // Leverage above the cap: typed override.
  await setText(page, '20x', '40x');
  await place.click();
  await expect(dialog(page)).toHaveAttribute('data-policy', 'typed');
  await expect(reasons(page).first()).toHaveText('BLOCKLeverage 40x is above the leverage mode cap of 20x.');
  await screenshot(page, 'guard-hyperliquid-block-typed');
  await page.getByTestId('rf-guard-phrase').fill('OVERRIDE');
  await page.getByTestId('rf-guard-phrase').press('Enter');
  await expect(dialog(page)).toHaveCount(0);
  await place.click();
  await expect.poll(async () => (await counts(page)).clicks).toEqual(['Place Order', 'Place Order']);

  // Enter in the size field, blocked. (The Enter typed in the dialog's phrase box above reached the page's capture
  // listener on document: a page sees the keys typed into an overlay; only its own form's Enter is stopped.)
  const before = await counts(page);
  await page.locator('input').nth(1).focus();
  await page.keyboard.press('Enter');
  await expect(dialog(page)).toHaveAttribute('data-trigger', 'enter');
  await page.getByTestId('rf-guard-cancel').click();
  expect(await counts(page)).toEqual(before);

  // A break: never.
  await send(options, 'risk.break', { minutes: 30 });
  await expect.poll(async () => (await state(options)).risk.trading).toBe('HALTED');
  await setText(page, '40x', '20x');
  await expect.poll(async () => {
    await place.click();
    const p = await dialog(page).getAttribute('data-policy');
    if (p !== 'never') await page.getByTestId('rf-guard-cancel').click();
    return p;
  }).toBe('never');
  await expect(reasons(page).first()).toContainText(/^BLOCKAccount 0x[0-9a-f]+ \(hyperliquid\) is halted/);
  await screenshot(page, 'guard-hyperliquid-block-never');
  await page.getByTestId('rf-guard-cancel').click();

  // Reduce-only always passes.
  await page.getByLabel('Reduce Only').check();
  await place.click();
  await expect.poll(async () => (await counts(page)).clicks).toEqual(['Place Order', 'Place Order', 'Place Order']);
  await expect(dialog(page)).toHaveCount(0);

  await expect
    .poll(async () => (await auditLog(options)).filter((e) => e.kind.startsWith('guard.')).map((e) => e.kind).reverse())
    .toEqual(['guard.warn', 'guard.override', 'guard.block', 'guard.override', 'guard.block', 'guard.block']);
  const log = await auditLog(options);
  expect(log.find((e) => e.kind === 'guard.warn')!.message).toMatch(/^Guard warned about Buy 0\.01 BTC, Hyperliquid \(hyperliquid:0x[0-9a-f]+\): No stop loss/);
});

test('Hyperliquid in monitor mode: what would block only warns', async ({ context, extensionId }) => {
  test.setTimeout(90_000);
  await setUp(context, extensionId, 'hyperliquid', 'monitor');
  await serveFixture(context, HYPERLIQUID, 'hyperliquid-trade');
  const page = await tradingPage(context, HYPERLIQUID);
  await setText(page, '20x', '50x');
  await page.getByRole('button', { name: SUBMIT.hyperliquid, exact: true }).click();
  await expect(dialog(page)).toHaveAttribute('data-decision', 'warn');
  await expect(reasons(page).first()).toHaveText('WARNLeverage 50x is above the leverage mode cap of 20x.');
  await expect(page.getByTestId('rf-guard-note')).toHaveText('Monitor mode: Ringfence warns but does not block.');
  await page.getByTestId('rf-guard-override').click();
  await page.getByRole('button', { name: SUBMIT.hyperliquid, exact: true }).click();
  await expect.poll(async () => (await counts(page)).clicks).toEqual(['Place Order']);
});
