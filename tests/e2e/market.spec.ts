/**
 * The options page's Market view against the simulator: candles and books come from the venue through the background
 * (market.candles / market.book), the analysis runs in the page, the charts draw on canvases.
 */
import type { Locator, Page } from '@playwright/test';
import type { SimControl } from '../simulator/control-client';
import type { Simulator } from '../simulator/server';
import { join } from 'node:path';
import { readTradeWindow } from '../../lib/exchanges/binance/agg-trades';
import { normalizeAggTrades } from '../../lib/exchanges/binance/normalize';
import { DEFAULT_MARKET_SETTINGS } from '../../lib/market/settings';
import { volumeProfileFromTrades } from '../../lib/market/volume-profile';
import { expect, openExtensionPage, screenshot, SCREENSHOTS, test, unnamedControls } from './fixtures';
import { accountRisk, addBinanceAccount, addHyperliquidAccount, simBinanceAccount, startSimulator } from './loop-support';

let sim: Simulator;
let c: SimControl;
test.beforeAll(async () => {
  ({ sim, c } = await startSimulator());
});
test.afterAll(() => sim.close());

/** Pixels of the container's canvases that differ from the chart's background (the top-left pixel of each). */
async function paintedPixels(target: Locator): Promise<number> {
  return target.evaluate((el) => {
    let n = 0;
    for (const canvas of el.querySelectorAll('canvas')) {
      if (canvas.width === 0 || canvas.height === 0) continue;
      const ctx = canvas.getContext('2d');
      if (!ctx) continue;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const [r, g, b] = [data[0], data[1], data[2]];
      for (let i = 0; i < data.length; i += 4) if (data[i] !== r || data[i + 1] !== g || data[i + 2] !== b) n++;
    }
    return n;
  });
}

const num = (s: string) => Number(s.replace(/,/g, ''));

/** The whole view, and the candle chart and the book at full size (to look at the canvases closely). */
async function shots(page: Page, name: string) {
  await screenshot(page, name);
  await page.getByTestId('rf-market-chart').screenshot({ path: join(SCREENSHOTS, `${name}-chart.png`) });
  await page.getByTestId('rf-market-book').screenshot({ path: join(SCREENSHOTS, `${name}-book.png`) });
  await page.getByTestId('rf-market-indicators').screenshot({ path: join(SCREENSHOTS, `${name}-indicators.png`) });
}

/** Uncaught errors in the page: the view must never crash. */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function expectCharts(page: Page) {
  const chart = page.getByTestId('rf-market-chart');
  await expect(chart.locator('canvas').first()).toBeVisible();
  await expect.poll(() => paintedPixels(chart)).toBeGreaterThan(5_000);
  const depth = page.getByTestId('rf-market-depth');
  await expect(depth.locator('canvas').first()).toBeVisible();
  await expect.poll(() => paintedPixels(depth)).toBeGreaterThan(1_000);
  // The lean over time: one bar per book read so far, in the headline band.
  const imb = page.getByTestId('rf-market-imbalance-chart');
  await expect(imb.locator('canvas').first()).toBeVisible();
  await expect(imb).toHaveAttribute('data-points', /^[1-9]\d*$/);
  await expect(imb.locator('figcaption')).toHaveText(/^Imbalance over the last \d+ book reads? \(±\d+ bps, one every 10 s while this view is open\)$/);
  await expect.poll(() => paintedPixels(imb)).toBeGreaterThan(100);
}

async function expectIndicators(page: Page) {
  const t = page.getByTestId('rf-market-indicators');
  await expect(t.locator('tbody th')).toHaveText(['RSI 14', 'EMA 20', 'SMA 20', 'Bollinger 20, 2σ', 'ATR 14', 'ADX 14', 'Slope 20']);
  await expect(t.locator('tr[data-indicator="rsi"] td').first()).toHaveText(/^\d{1,3}\.\d$/);
  await expect(t.locator('tr[data-indicator="atr"] td').last()).toHaveText(/^\d+\.\d\d% of the close$/);
}

async function expectTimeframes(page: Page) {
  const mtf = page.getByTestId('rf-market-mtf');
  await expect(mtf.locator('tbody tr')).toHaveCount(3);
  for (const tf of ['15m', '1h', '4h']) {
    const row = mtf.locator(`tr[data-interval="${tf}"]`);
    await expect(row.locator('th')).toHaveText(tf);
    await expect(row.locator('td').first()).toHaveText(/^(strong up|weak up|ranging|weak down|strong down)$/);
  }
  await expect(page.getByTestId('rf-market-alignment')).toHaveText(/^Alignment: .+\.$/);
}

test('market view on Binance: profile levels, VWAP bands, regimes on 3 timeframes, depth, correlation; a bad symbol is a clear error', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  await c.setPrice('binance', 'BTCUSDT', 97_000);
  await c.setPrice('binance', 'ETHUSDT', 3_400);
  const acct = await simBinanceAccount(c);
  await c.venue('binance', 'setPosition', { apiKey: acct.apiKey, symbol: 'ETHUSDT', amount: 1.5, entryPrice: 3_350, leverage: 5 });
  const page = await openExtensionPage(context, extensionId, 'options.html#overview');
  const errors = pageErrors(page);
  await page.setViewportSize({ width: 1280, height: 2000 });
  const id = await addBinanceAccount(page, sim, acct, 'Main', 'monitor');
  await expect.poll(async () => (await accountRisk(page, id))?.positions.map((p) => p.symbol), { timeout: 30_000 }).toEqual(['ETHUSDT']);

  // Reached from the navigation, by keyboard.
  await page.getByRole('link', { name: 'Market' }).focus();
  await page.keyboard.press('Enter');
  const market = page.getByTestId('rf-market');
  await expect(market.getByRole('heading', { name: 'Market', exact: true })).toBeVisible();
  // Prefilled with the open position's symbol, 1h, 500 candles.
  await expect(market.getByLabel('Venue')).toHaveValue('binance');
  await expect(market.getByLabel('Symbol', { exact: true })).toHaveValue('ETHUSDT');
  await expect(market.getByLabel('Interval')).toHaveValue('1h');
  await expect(page.getByTestId('rf-market-status')).toContainText('500 candles via Main', { timeout: 20_000 });

  const [poc, vah, val] = await Promise.all(['poc', 'vah', 'val'].map((k) => page.getByTestId(`rf-market-${k}`).textContent()));
  for (const v of [poc, vah, val]) expect(v).toMatch(/^\d{1,3}(,\d{3})*\.\d+$/);
  expect(num(val!)).toBeLessThan(num(poc!));
  expect(num(poc!)).toBeLessThan(num(vah!));
  // The profile is the simulator's tape over the 499 closed hours (12 trades an hour), not the candles: its POC is the
  // one computed here from GET /fapi/v1/aggTrades directly.
  await expect(page.getByTestId('rf-market-profile-source')).toHaveText('Profile from 5,988 trades');
  await expect(page.getByTestId('rf-market-profile-source')).toHaveAttribute('data-source', 'trades');
  // The window the view asked for (its closed candles'), not one from the clock here: an hour may turn in between.
  const source = page.getByTestId('rf-market-profile-source');
  const [start, end] = (await Promise.all(['data-start', 'data-end'].map((a) => source.getAttribute(a)))).map(Number);
  expect(end! - start!).toBe(499 * 3_600_000);
  const tape = await readTradeWindow(
    async (p) => normalizeAggTrades(await (await fetch(`${sim.url}/binance/fapi/v1/aggTrades?${new URLSearchParams({ symbol: 'ETHUSDT', ...Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])) })}`)).json()),
    { symbol: 'ETHUSDT', start: start!, end: end! },
  );
  expect(tape.trades).toHaveLength(5_988);
  const expected = volumeProfileFromTrades(tape.trades, { valueArea: DEFAULT_MARKET_SETTINGS.profile.valueArea, bins: DEFAULT_MARKET_SETTINGS.profile.bins });
  // Shown to the chart's decimals: equal within half of the last digit.
  expect(Math.abs(num(poc!) - expected.poc)).toBeLessThanOrEqual(0.5 * 10 ** -(poc!.split('.')[1]?.length ?? 0) + 1e-9);
  await expect(page.getByTestId('rf-market-vwap')).toHaveText(/^\d{1,3}(,\d{3})*\.\d+$/);
  await expect(page.getByTestId('rf-market-trend')).toHaveText(/^(strong up|weak up|ranging|weak down|strong down)$/);
  await expect(page.getByTestId('rf-market-chart')).toHaveAttribute('aria-label', new RegExp(`^ETHUSDT 1h candles \\(500\\) with the volume profile, POC ${poc!.replace(/[.,]/g, '\\$&')}`));
  await expectTimeframes(page);
  await expectIndicators(page);

  // The book: imbalance, the band table, walls and zones.
  await expect(page.getByTestId('rf-market-imbalance')).toHaveText(/^Imbalance [+-]?\d+(\.\d)?% within (10|25|50) bps: /);
  await expect(page.getByTestId('rf-market-bands').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('rf-market-bands').locator('tbody tr').first().locator('th')).toHaveText('±10 bps');
  await expect(page.getByTestId('rf-market-walls')).toBeVisible();
  await expect(page.getByTestId('rf-market-zones')).toBeVisible();
  await expectCharts(page);

  // The correlation table: the shown symbol and a second one, 1 on the diagonal.
  const corr = page.getByTestId('rf-market-correlation');
  await expect(corr.locator('thead th')).toHaveText(['BTCUSDT', 'ETHUSDT']);
  await expect(corr.locator('tbody tr').nth(0).locator('td').nth(0)).toHaveText('1.00');
  await expect(corr.locator('tbody tr').nth(1).locator('td').nth(1)).toHaveText('1.00');
  await expect(corr.locator('tbody tr').nth(0).locator('td').nth(1)).toHaveText(/^-?[01]\.\d\d$/);

  // The book is read again while the view is open.
  await expect(page.getByTestId('rf-market-imbalance')).toContainText('2 snapshots', { timeout: 15_000 });
  expect(await unnamedControls(page)).toEqual([]);
  await shots(page, 'options-market-binance-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => page.getByTestId('rf-market-chart').evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe('rgb(255, 255, 255)');
  await page.waitForTimeout(300);
  await shots(page, 'options-market-binance-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // By keyboard alone, Tab walks from the section tab to the symbol; a symbol Binance does not list is a clear error
  // in the view, no crash; a good symbol brings the charts back.
  await page.getByTestId('rf-tab-market').focus();
  let reached = false;
  for (let i = 0; i < 10 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.getAttribute('list') === 'rf-market-symbols');
  }
  expect(reached, 'Tab reaches the symbol').toBe(true);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('NOPEUSDT');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('rf-market-error')).toHaveText('Binance does not list NOPEUSDT: Invalid symbol. (HTTP 400, code -1121)');
  await expect(page.getByTestId('rf-market-chart')).toBeHidden();
  await screenshot(page, 'options-market-error');
  await market.getByLabel('Symbol', { exact: true }).fill('btcusdt');
  await market.getByRole('button', { name: 'Refresh' }).click();
  await expect(market.getByLabel('Symbol', { exact: true })).toHaveValue('BTCUSDT');
  await expect(page.getByTestId('rf-market-error')).toHaveCount(0);
  await expect(page.getByTestId('rf-market-chart')).toHaveAttribute('aria-label', /^BTCUSDT 1h candles \(500\)/);

  // No account on the other venue: said so.
  await market.getByLabel('Venue').selectOption('hyperliquid');
  await expect(page.getByTestId('rf-market-error')).toHaveText(
    'No Hyperliquid account is connected to Ringfence: add one under Accounts to see Hyperliquid market data.',
  );
  expect(errors).toEqual([]);
});

test('market view on Hyperliquid: candles and book through the adapter; an unknown coin is a clear error', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  const address = `0x${'5b'.repeat(20)}`;
  await c.setPrice('hyperliquid', 'BTC', 97_000);
  await c.setPrice('hyperliquid', 'ETH', 3_400);
  await c.venue('hyperliquid', 'createAccount', { address, balance: 5_000 });
  const page = await openExtensionPage(context, extensionId, 'options.html#overview');
  const errors = pageErrors(page);
  await page.setViewportSize({ width: 1280, height: 2000 });
  await addHyperliquidAccount(page, sim, address, 'HL');
  await page.goto(`chrome-extension://${extensionId}/options.html#market`);

  const market = page.getByTestId('rf-market');
  await expect(market.getByLabel('Venue')).toHaveValue('hyperliquid');
  await expect(market.getByLabel('Symbol', { exact: true })).toHaveValue('BTC');
  await expect(page.getByTestId('rf-market-status')).toContainText('candles via HL', { timeout: 20_000 });
  await expect(page.getByTestId('rf-market-profile-source')).toHaveText('Profile from candles (Hyperliquid gives no trade history)');
  // Candles with volume from the adapter: a profile with its value area (no volume is a unit test of the view).
  await expect(page.getByTestId('rf-market-novolume')).toHaveCount(0);
  const [poc, vah, val] = await Promise.all(['poc', 'vah', 'val'].map((k) => page.getByTestId(`rf-market-${k}`).textContent()));
  for (const v of [poc, vah, val]) expect(v).toMatch(/^\d{1,3}(,\d{3})*(\.\d+)?$/);
  expect(num(val!)).toBeLessThanOrEqual(num(poc!));
  expect(num(poc!)).toBeLessThanOrEqual(num(vah!));
  await expect(page.getByTestId('rf-market-last')).toHaveText('97,000');
  await expectTimeframes(page);
  await expectIndicators(page);
  await expect(page.getByTestId('rf-market-imbalance')).toHaveText(/^Imbalance [+-]?\d+(\.\d)?% within (10|25|50) bps: /);
  await expect(page.getByTestId('rf-market-bands').locator('tbody tr')).toHaveCount(4);
  await expectCharts(page);
  await expect(page.getByTestId('rf-market-correlation').locator('thead th')).toHaveText(['BTC', 'ETH']);
  expect(await unnamedControls(page)).toEqual([]);
  await shots(page, 'options-market-hyperliquid-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(300);
  await shots(page, 'options-market-hyperliquid-dark');

  await market.getByLabel('Symbol', { exact: true }).fill('NOPE');
  await market.getByLabel('Symbol', { exact: true }).press('Enter');
  await expect(page.getByTestId('rf-market-error')).toHaveText(
    'Hyperliquid has no 1h candles for NOPE: it does not list it, or nothing traded.',
  );
  // A symbol that is no Hyperliquid coin at all is refused before anything is sent.
  await market.getByLabel('Symbol', { exact: true }).fill('BTC/USD');
  await market.getByLabel('Symbol', { exact: true }).press('Enter');
  await expect(page.getByTestId('rf-market-error')).toContainText('not a symbol of this venue');
  expect(errors).toEqual([]);
});

test('analysis settings: a value area saved in the form persists across a reload and narrows VAH-VAL; a bad value is refused with its reason', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  const address = `0x${'6c'.repeat(20)}`;
  await c.setPrice('hyperliquid', 'BTC', 97_000);
  await c.venue('hyperliquid', 'createAccount', { address, balance: 5_000 });
  const page = await openExtensionPage(context, extensionId, 'options.html#overview');
  const errors = pageErrors(page);
  await page.setViewportSize({ width: 1280, height: 2000 });
  await addHyperliquidAccount(page, sim, address, 'HL2');
  await page.goto(`chrome-extension://${extensionId}/options.html#market`);
  const status = page.getByTestId('rf-market-status');
  await expect(status).toContainText('candles via HL2', { timeout: 20_000 });
  const width = async () => num((await page.getByTestId('rf-market-vah').textContent())!) - num((await page.getByTestId('rf-market-val').textContent())!);
  const wide = await width();
  expect(wide).toBeGreaterThan(0);

  const form = page.getByTestId('rf-analysis-settings');
  await form.locator('summary').click();
  const valueArea = page.getByLabel('Value area', { exact: true });
  await expect(valueArea).toHaveValue('70');
  await valueArea.fill('30');
  await page.getByTestId('rf-analysis-save').click();
  await expect(page.getByTestId('rf-analysis-msg')).toHaveText('Saved 1 change; the analysis uses them now.');
  await expect.poll(width).toBeLessThan(wide);
  expect(await unnamedControls(page)).toEqual([]);
  await form.screenshot({ path: join(SCREENSHOTS, 'options-market-analysis-settings.png') });

  await page.reload();
  await expect(status).toContainText('candles via HL2', { timeout: 20_000 });
  await expect(form.locator('summary')).toContainText('(saved ');
  await form.locator('summary').click();
  await expect(valueArea).toHaveValue('30');
  await expect(page.getByTestId('rf-market-vah').locator('xpath=following-sibling::dd')).toHaveText(/^value area high \([34]\d%\)$/);
  expect(await width()).toBeLessThan(wide);

  // A weak-trend ADX above the strong one: the background refuses it, names the field, and nothing changes.
  await page.getByTestId('rf-an-trend-adxWeak').fill('30');
  await page.getByTestId('rf-analysis-save').click();
  await expect(page.getByTestId('rf-analysis-msg')).toHaveText('The analysis settings were not saved: trend.adxWeak (30) must not exceed trend.adxStrong (25).');
  await expect(page.getByTestId('rf-an-trend-adxWeak')).toHaveAttribute('aria-invalid', 'true');
  await form.screenshot({ path: join(SCREENSHOTS, 'options-market-analysis-settings-refused.png') });
  await page.getByTestId('rf-analysis-reset').click();
  await expect(page.getByTestId('rf-analysis-msg')).toHaveText('Defaults restored.');
  await expect(valueArea).toHaveValue('70');
  await expect(page.getByTestId('rf-an-trend-adxWeak')).toHaveValue('20');
  expect(errors).toEqual([]);
});
