import type { Page, Worker } from '@playwright/test';
import { expect, openExtensionPage, screenshot, test } from './fixtures';

const BINANCE_BTC = 'https://www.binance.com/en/futures/BTCUSDT';
const BINANCE_NO_LOCALE = 'https://www.binance.com/futures/ETHUSDT';
const HYPERLIQUID_BTC = 'https://app.hyperliquid.xyz/trade/BTC';

/** The rows of the `pages` table, read straight from IndexedDB inside the service worker. */
function storedPages(sw: Worker) {
  return sw.evaluate(
    () =>
      new Promise<{ tabId: number; venue: string; symbol: string | null }[]>((resolve, reject) => {
        const req = indexedDB.open('ringfence');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const all = db.transaction('pages').objectStore('pages').getAll();
          all.onsuccess = () => {
            resolve(all.result);
            db.close();
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

async function openTradingPage(page: Page, url: string) {
  await page.goto(url);
  const panel = page.getByTestId('rf-panel');
  await expect(panel).toBeInViewport({ ratio: 1 }); // on screen, not merely in the DOM below the fold
  // Docked bottom-right, over the page.
  const box = await panel.boundingBox();
  const view = page.viewportSize();
  expect(box && view && box.x + box.width > view.width - 40 && box.y + box.height > view.height - 40).toBe(true);
}

test('the service worker starts and records its start in the audit log', async ({ context, sw, extensionId }) => {
  expect(await sw.evaluate(() => chrome.runtime.getManifest().name)).toBe('Ringfence');
  const options = await openExtensionPage(context, extensionId, 'options.html#activity');
  await expect(options.getByTestId('rf-connection')).toHaveAttribute('data-status', 'live');
  await expect(options.getByTestId('rf-options-audit').locator('li[data-kind="worker.started"]')).toHaveCount(1);
});

test('the panel appears on both trading pages and nowhere else', async ({ context }) => {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  await openTradingPage(page, BINANCE_BTC);
  await expect(page.getByTestId('rf-panel-symbol')).toHaveText('BTCUSDT');
  await expect(page.getByTestId('rf-connection')).toHaveAttribute('data-status', 'live');
  await screenshot(page, 'panel-binance');

  await openTradingPage(page, BINANCE_NO_LOCALE);
  await expect(page.getByTestId('rf-panel-symbol')).toHaveText('ETHUSDT');

  await openTradingPage(page, HYPERLIQUID_BTC);
  await expect(page.getByTestId('rf-panel')).toHaveAttribute('data-venue', 'hyperliquid');
  await expect(page.getByTestId('rf-panel-symbol')).toHaveText('BTC');
  await screenshot(page, 'panel-hyperliquid');

  // The panel shows on the pages above in this same browser, so its absence below is the content script's decision.
  for (const url of [
    'https://www.binance.com/en/trade/BTC_USDT', // spot: not matched by the manifest
    'https://www.binance.com/en/futures/funding-history', // matched by the manifest, refused by the URL check
    'https://example.com/',
  ]) {
    await page.goto(url);
    await page.waitForTimeout(1_500);
    await expect(page.locator('ringfence-panel')).toHaveCount(0);
  }
  expect(errors).toEqual([]);
});

test('round trip: content script -> background -> Dexie -> every open view, live', async ({ context, sw, extensionId }) => {
  const popup = await openExtensionPage(context, extensionId, 'popup.html');
  await popup.setViewportSize({ width: 380, height: 560 });
  const options = await openExtensionPage(context, extensionId, 'options.html');
  const activity = await openExtensionPage(context, extensionId, 'options.html#activity');
  await expect(popup.getByTestId('rf-pages-empty')).toBeVisible();
  await expect(options.getByTestId('rf-options-pages-count')).toHaveText('0');

  const trading = await context.newPage();
  await openTradingPage(trading, BINANCE_BTC);

  // Pushed to both open views without a reload, and stored in IndexedDB.
  await expect(popup.getByTestId('rf-page')).toHaveAttribute('data-symbol', 'BTCUSDT');
  await expect(options.getByTestId('rf-page')).toHaveAttribute('data-symbol', 'BTCUSDT');
  await expect(options.getByTestId('rf-options-pages-count')).toHaveText('1');
  await expect(activity.getByTestId('rf-options-audit').locator('li').first()).toContainText('Panel attached on Binance BTCUSDT');
  expect(await storedPages(sw)).toMatchObject([{ venue: 'binance', symbol: 'BTCUSDT' }]);

  const hl = await context.newPage();
  await openTradingPage(hl, HYPERLIQUID_BTC);
  await expect(popup.getByTestId('rf-page')).toHaveCount(2);
  await expect(trading.getByTestId('rf-panel-pages')).toHaveText('2'); // panels are views too

  // Coin switch without a reload (the sites change the URL with pushState).
  await trading.evaluate(() => history.pushState({}, '', '/en/futures/SOLUSDT'));
  await expect(trading.getByTestId('rf-panel-symbol')).toHaveText('SOLUSDT');
  await expect(popup.locator('[data-testid="rf-page"][data-venue="binance"]')).toHaveAttribute('data-symbol', 'SOLUSDT');
  await expect(activity.getByTestId('rf-options-audit').locator('li').first()).toContainText('Binance page switched BTCUSDT -> SOLUSDT.');
  expect((await storedPages(sw)).map((p) => p.symbol).sort()).toEqual(['BTC', 'SOLUSDT']);

  await screenshot(popup, 'popup');
  await options.setViewportSize({ width: 1100, height: 900 });
  await screenshot(options, 'options');
  await activity.setViewportSize({ width: 1100, height: 900 });
  await screenshot(activity, 'options-activity');

  // Closing a tab removes its page everywhere.
  await hl.close();
  await expect(popup.getByTestId('rf-page')).toHaveCount(1);
  await expect.poll(async () => (await storedPages(sw)).length).toBe(1);
});

test('bad messages get structured errors and the worker keeps serving', async ({ context, extensionId }) => {
  const options = await openExtensionPage(context, extensionId, 'options.html');
  const send = (msg: unknown) => options.evaluate((m) => chrome.runtime.sendMessage(m), msg);

  expect(await send('garbage')).toMatchObject({ ok: false, error: { code: 'bad_envelope' } });
  expect(await send({ rf: 1, type: 'vault.export', data: {} })).toEqual({
    ok: false,
    error: { code: 'unknown_message', message: 'Unknown message type "vault.export".' },
  });
  expect(await send({ rf: 1, type: 'audit.list', data: { limit: 'all' } })).toMatchObject({
    ok: false,
    error: { code: 'invalid_data', issues: [expect.stringMatching(/^limit: /)] },
  });
  expect(await send({ rf: 1, type: 'state.get', data: {} })).toMatchObject({ ok: true, data: { rev: expect.any(Number) } });
  await expect(options.getByTestId('rf-connection')).toHaveAttribute('data-status', 'live');
});
