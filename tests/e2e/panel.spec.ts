/**
 * The in-page risk panel on both fixture pages, fed by the background from the simulator: the account and the
 * symbol's position, live updates, a break with its countdown, dragging (kept across a reload), collapsing, the page
 * removing the panel, and the size calculator reading the form.
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { SimControl } from '../simulator/control-client';
import type { Simulator } from '../simulator/server';
import { serveFixture } from './browser';
import { expect, openExtensionPage, screenshot, test } from './fixtures';
import { addBinanceAccount, PASSPHRASE, send, simBinanceAccount, startSimulator, viewState } from './loop-support';

const BINANCE_BTC = 'https://www.binance.com/en/futures/BTCUSDT';
const HYPERLIQUID_BTC = 'https://app.hyperliquid.xyz/trade/BTC';

let sim: Simulator;
let c: SimControl;
test.beforeAll(async () => {
  ({ sim, c } = await startSimulator());
});
test.afterAll(() => sim.close());

/** Console errors and uncaught exceptions on a page: the panel must cause none. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function liveAccount(options: Page, key: string) {
  await expect.poll(async () => (await viewState(options)).risk.accounts.find((a) => a.key === key)?.status, { timeout: 30_000 }).toBe('live');
}

/** A Binance account at the simulator (monitor mode: nothing is closed) holding 0.08 BTCUSDT long from 60,000 at 10x. */
async function binanceWithPosition(context: BrowserContext, extensionId: string) {
  await c.setPrice('binance', 'BTCUSDT', 60_000);
  const acct = await simBinanceAccount(c, 10_000);
  await c.venue('binance', 'setPosition', { apiKey: acct.apiKey, symbol: 'BTCUSDT', amount: 0.08, entryPrice: 60_000, leverage: 10 });
  const options = await openExtensionPage(context, extensionId, 'options.html');
  const key = await addBinanceAccount(options, sim, acct, 'Desk', 'monitor');
  await liveAccount(options, key);
  return { options, key };
}

let hlCount = 0;
/** A Hyperliquid account at the simulator (read-only) holding 0.1 BTC short from 60,000 at 5x. */
async function hyperliquidWithPosition(context: BrowserContext, extensionId: string) {
  hlCount += 1;
  const address = `0x${String(hlCount).padStart(2, '0').repeat(20)}`;
  await c.setPrice('hyperliquid', 'BTC', 60_000);
  await c.venue('hyperliquid', 'createAccount', { address, balance: 20_000 });
  await c.venue('hyperliquid', 'setPositions', { address, positions: [{ coin: 'BTC', szi: -0.1, entryPx: 60_000, leverage: 5 }] });
  const options = await openExtensionPage(context, extensionId, 'options.html');
  const vault = await send<{ state: string }>(options, 'vault.status', {});
  if (vault.state === 'none') await send(options, 'vault.create', { passphrase: PASSPHRASE });
  const row = await send<{ id: string }>(options, 'account.add', {
    venue: 'hyperliquid',
    label: 'HL desk',
    address,
    network: 'custom',
    restUrl: `${sim.url}/hyperliquid`,
    wsUrl: `${sim.wsUrl}/hyperliquid/ws`,
    mode: 'monitor',
  });
  await liveAccount(options, row.id);
  return { options, key: row.id };
}

test('Binance: equity and the BTCUSDT position from the simulator, live; a break halts with a countdown', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  const { options, key } = await binanceWithPosition(context, extensionId);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(BINANCE_BTC);

  const panel = page.getByTestId('rf-panel');
  await expect(panel.getByTestId('rf-panel-account')).toHaveAttribute('data-account', key);
  await expect(panel.getByTestId('rf-panel-equity')).toHaveText('$10,000.00');
  const pos = panel.getByTestId('rf-panel-position');
  await expect(pos).toHaveAttribute('data-side', 'long');
  await expect(pos.getByTestId('rf-panel-pos-head')).toHaveText('LONG 0.08 @ $60,000');
  await expect(pos.getByTestId('rf-panel-pos-upnl')).toHaveText('$0.00');
  await expect(pos.getByTestId('rf-panel-pos-stop')).toHaveText('No stop order');
  await expect(pos.getByTestId('rf-panel-pos-liq')).toHaveText('None'); // cross margin: the wallet covers it
  await expect(panel.getByTestId('rf-panel-trading')).toHaveAttribute('data-trading', 'ACTIVE');
  await expect(panel.getByTestId('rf-panel-strategy')).toHaveAttribute('data-strategy', 'manual');
  await expect(panel.getByTestId('rf-panel-strategy')).toHaveAttribute('data-trading', 'ACTIVE');
  await expect(panel.getByTestId('rf-panel-meter-exposure-text')).toHaveText(/^48% of \d+%$/); // 0.08 x 60,000 of 10,000

  // A price move reaches the panel without a reload: +1,000 on 0.08 BTC.
  const headNode = await pos.getByTestId('rf-panel-pos-head').elementHandle();
  await c.setPrice('binance', 'BTCUSDT', 61_000);
  await expect(pos.getByTestId('rf-panel-pos-upnl')).toHaveText('+$80.00');
  await expect(pos.getByTestId('rf-panel-pos-mark')).toHaveText('$61,000');
  await expect(panel.getByTestId('rf-panel-equity')).toHaveText('$10,080.00');
  await expect(panel.getByTestId('rf-panel-daypnl')).toHaveText(/^\+\$80\.00/);
  // Updated in place: the position's nodes are the same ones, not a re-created tree.
  expect(await headNode!.evaluate((n) => n.isConnected)).toBe(true);
  // The market watch's line for this symbol: the 1h regime from the venue's candles and the book near the mid.
  const market = panel.getByTestId('rf-panel-market');
  await expect(market).toContainText('1h ', { timeout: 20_000 });
  await expect(market).toContainText('book ', { timeout: 20_000 });
  await expect(panel).toHaveCSS('background-color', 'rgb(24, 26, 32)');
  await expect(panel).toHaveCSS('border-radius', '8px');
  await screenshot(page, 'panel-binance-expanded');

  // A 30-minute break: HALTED, the reason, and a countdown.
  await send(options, 'risk.break', { minutes: 30 });
  await expect(panel.getByTestId('rf-panel-trading')).toHaveAttribute('data-trading', 'HALTED');
  await expect(panel.getByTestId('rf-panel-reason')).toContainText('Taking a break');
  await expect(panel.getByTestId('rf-panel-countdown')).toHaveText(/^Ends in (30:00|29:\d\d) \(/);
  const first = await panel.getByTestId('rf-panel-countdown').locator('b').textContent();
  // It ticks. A starved renderer can hold its 1 s timer back for seconds (a CI run on a loaded host saw over 3 s).
  await expect(panel.getByTestId('rf-panel-countdown').locator('b')).not.toHaveText(first!, { timeout: 10_000 });
  await screenshot(page, 'panel-binance-halted');

  // Collapsed: the pill carries the state, today's PnL and the countdown.
  await panel.getByTestId('rf-panel-collapse').click();
  const pill = panel.getByTestId('rf-panel-pill');
  await expect(pill.getByTestId('rf-panel-pill-trading')).toHaveText('HALTED');
  await expect(pill.getByTestId('rf-panel-pill-pnl')).toHaveText(/^\+\$80\.00/);
  await expect(pill.getByTestId('rf-panel-countdown')).toBeVisible();
  await expect(panel).toBeInViewport({ ratio: 1 });
  await screenshot(page, 'panel-binance-collapsed');
  await pill.click();
  await expect(panel.getByTestId('rf-panel-equity')).toBeVisible();
  expect(errors).toEqual([]);
});

test('Hyperliquid: equity and the BTC position from the simulator, live; expanded and collapsed', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  const { key } = await hyperliquidWithPosition(context, extensionId);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(HYPERLIQUID_BTC);

  const panel = page.getByTestId('rf-panel');
  await expect(panel).toHaveAttribute('data-venue', 'hyperliquid');
  await expect(panel.getByTestId('rf-panel-account')).toHaveAttribute('data-account', key);
  await expect(panel.getByTestId('rf-panel-equity')).toHaveText('$20,000.00');
  const pos = panel.getByTestId('rf-panel-position');
  await expect(pos).toHaveAttribute('data-side', 'short');
  await expect(pos.getByTestId('rf-panel-pos-head')).toHaveText('SHORT 0.1 @ $60,000');
  await expect(pos.getByTestId('rf-panel-pos-liq')).toContainText('away');

  await c.setPrice('hyperliquid', 'BTC', 59_000); // the short gains 100
  await expect(pos.getByTestId('rf-panel-pos-upnl')).toHaveText('+$100.00');
  await expect(panel.getByTestId('rf-panel-equity')).toHaveText('$20,100.00');
  await expect(panel.getByTestId('rf-panel-market')).toContainText('book ', { timeout: 20_000 });
  // Hyperliquid's palette and corners (its own stylesheet, which only this page's script carries).
  await expect(panel).toHaveCSS('background-color', 'rgb(15, 26, 31)');
  await expect(panel).toHaveCSS('border-radius', '10px');
  await screenshot(page, 'panel-hyperliquid-expanded');

  await panel.getByTestId('rf-panel-collapse').click();
  await expect(panel.getByTestId('rf-panel-pill-trading')).toHaveText('ACTIVE');
  await expect(panel).toHaveCSS('border-radius', '999px');
  await expect(panel.getByTestId('rf-panel-pill-pnl')).toHaveText(/^\+\$100\.00/);
  await screenshot(page, 'panel-hyperliquid-collapsed');
  await panel.getByTestId('rf-panel-pill').click();
  await expect(pos.getByTestId('rf-panel-pos-upnl')).toHaveText('+$100.00');
  expect(errors).toEqual([]);
});

test('dragging moves the panel inside the viewport; the spot and the collapsed state survive a reload', async ({ context, sw }) => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(BINANCE_BTC);
  const panel = page.getByTestId('rf-panel');
  await expect(panel.getByTestId('rf-panel-empty')).toContainText('Add one in Ringfence options');
  const view = page.viewportSize()!;
  const before = (await panel.boundingBox())!;
  expect(before.x + before.width).toBeCloseTo(view.width - 16, 0); // docked bottom-right by default
  expect(before.y + before.height).toBeCloseTo(view.height - 16, 0);

  const handle = (await panel.getByTestId('rf-panel-handle').boundingBox())!;
  const grab = { x: handle.x + 60, y: handle.y + handle.height / 2 };
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  await page.mouse.move(grab.x - 500, grab.y - 200, { steps: 8 });
  await page.mouse.up();
  const moved = (await panel.boundingBox())!;
  expect(moved.x).toBeCloseTo(before.x - 500, 0);
  expect(moved.y).toBeCloseTo(before.y - 200, 0);

  // Past the edge: it stops inside the viewport.
  const h2 = (await panel.getByTestId('rf-panel-handle').boundingBox())!;
  await page.mouse.move(h2.x + 60, h2.y + 10);
  await page.mouse.down();
  await page.mouse.move(-400, -400, { steps: 6 });
  await page.mouse.up();
  const clamped = (await panel.boundingBox())!;
  expect(clamped.x).toBeCloseTo(8, 0);
  expect(clamped.y).toBeCloseTo(8, 0);
  await expect(panel).toBeInViewport({ ratio: 1 });

  // Stored in the extension's storage, per site; the page's localStorage stays untouched.
  const stored = await sw.evaluate(() => chrome.storage.local.get('ringfence.panel.binance'));
  expect(stored['ringfence.panel.binance']).toMatchObject({ h: 'left', v: 'top', x: 8, y: 8, collapsed: false });
  expect(await page.evaluate(() => localStorage.length)).toBe(0);

  // Drag it somewhere in the middle, then reload: same spot.
  const h3 = (await panel.getByTestId('rf-panel-handle').boundingBox())!;
  await page.mouse.move(h3.x + 60, h3.y + 10);
  await page.mouse.down();
  await page.mouse.move(h3.x + 60 + 300, h3.y + 10 + 120, { steps: 5 });
  await page.mouse.up();
  const placed = (await panel.boundingBox())!;
  await page.reload();
  await expect(panel.getByTestId('rf-panel-empty')).toBeVisible();
  const after = (await panel.boundingBox())!;
  expect(after.x).toBeCloseTo(placed.x, 0);
  expect(after.y).toBeCloseTo(placed.y, 0);

  // Collapsed, reloaded: still collapsed, at its corner; the pill is draggable and expands on click.
  await panel.getByTestId('rf-panel-collapse').click();
  await expect(panel).toHaveAttribute('data-collapsed', 'true');
  await page.reload();
  await expect(panel).toHaveAttribute('data-collapsed', 'true');
  const pillBox = (await panel.boundingBox())!;
  expect(pillBox.x).toBeCloseTo(placed.x, 0); // anchored top-left: the pill keeps that corner
  expect(pillBox.y).toBeCloseTo(placed.y, 0);
  await page.mouse.move(pillBox.x + 20, pillBox.y + 10);
  await page.mouse.down();
  await page.mouse.move(pillBox.x + 120, pillBox.y + 60, { steps: 4 });
  await page.mouse.up();
  await expect(panel).toHaveAttribute('data-collapsed', 'true'); // a drag is not a click
  const pillMoved = (await panel.boundingBox())!;
  expect(pillMoved.x).toBeCloseTo(pillBox.x + 100, 0);
  await panel.getByTestId('rf-panel-pill').click();
  await expect(panel).toHaveAttribute('data-collapsed', 'false');
  await expect(panel.getByTestId('rf-panel-collapse')).toBeVisible();

  // Hyperliquid keeps its own spot: the default.
  await page.goto(HYPERLIQUID_BTC);
  const hl = (await panel.boundingBox())!;
  expect(hl.x + hl.width).toBeCloseTo(view.width - 16, 0);
  expect(errors).toEqual([]);
});

test('the page removing the panel puts it back, same connection', async ({ context }) => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(BINANCE_BTC);
  const panel = page.getByTestId('rf-panel');
  await expect(page.getByTestId('rf-connection')).toHaveAttribute('data-status', 'live');
  for (let i = 0; i < 3; i++) {
    await page.evaluate(() => document.querySelector('ringfence-panel')?.remove());
    await expect(page.locator('ringfence-panel')).toHaveCount(1);
    await expect(panel).toBeInViewport({ ratio: 1 });
  }
  // A page that re-renders its body's children the React way (replaceChildren without us).
  await page.evaluate(() => document.body.replaceChildren(...[...document.body.children].filter((e) => e.tagName !== 'RINGFENCE-PANEL')));
  await expect(page.locator('ringfence-panel')).toHaveCount(1);
  await expect(page.getByTestId('rf-panel-symbol')).toHaveText('BTCUSDT');
  await expect(page.getByTestId('rf-connection')).toHaveAttribute('data-status', 'live');
  await expect(page.getByTestId('rf-panel-pages')).toHaveText('1'); // the same view: no second page registered
  expect(errors).toEqual([]);
});

test('the size calculator reads the order form and sizes from risk and stop, numbers only', async ({ context }) => {
  // Hedge-mode replica: limit 3450.25, TP/SL ticked with SL 3380, Cross 50x.
  await serveFixture(context, 'https://www.binance.com/en/futures/ETHUSDT', 'binance-futures-hedge');
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('https://www.binance.com/en/futures/ETHUSDT');
  const panel = page.getByTestId('rf-panel');
  const formBefore = await page.locator('input[id^="limitPrice-"]').inputValue();
  await panel.getByTestId('rf-panel-calc').locator('summary').click();
  await expect(panel.getByTestId('rf-calc-entry')).toHaveValue('3450.25');
  await expect(panel.getByTestId('rf-calc-stop')).toHaveValue('3380');
  await expect(panel.getByTestId('rf-calc-result')).toContainText('Enter a risk, an entry and a stop.'); // no account: no equity
  await panel.getByTestId('rf-calc-risk').fill('100');
  // 100 / 70.25 = 1.4234... ETH, rounded down to 4 significant digits; 1.423 x 70.25 = 99.966 at the stop.
  await expect(panel.getByTestId('rf-calc-size')).toHaveText('1.423 ETH');
  await expect(panel.getByTestId('rf-calc-result')).toContainText('$4,909.71 · margin $98.19 at 50x');
  await expect(panel.getByTestId('rf-calc-result')).toContainText('Loses $99.97 (2.04% move) at the stop');
  await screenshot(page, 'panel-binance-calculator');
  await panel.getByTestId('rf-calc-stop').fill('3380,5x');
  await expect(panel.getByTestId('rf-calc-result')).toHaveAttribute('data-ok', 'false');
  await expect(panel.getByTestId('rf-calc-result')).toContainText('Numbers only');
  // Typing in the panel never reaches the page's inputs or key handlers, and the form is untouched.
  expect(await page.locator('input[id^="limitPrice-"]').inputValue()).toBe(formBefore);
  expect(errors).toEqual([]);
});
