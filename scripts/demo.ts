/**
 * `npm run demo`: Chromium with Ringfence loaded on replicas of both trading pages, the popup and the options page.
 * Headed when a display is present (close the window to stop); otherwise headless, writing screenshots to demo-output/.
 */
import type { Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchWithExtension, ROOT, serviceWorker } from '../tests/e2e/browser';

const EXTENSION = join(ROOT, '.output', 'chrome-mv3-demo');
const OUT = join(ROOT, 'demo-output');
const headed = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && !process.env.CI;

const profile = mkdtempSync(join(tmpdir(), 'ringfence-demo-'));
const context = await launchWithExtension(profile, EXTENSION, { headless: !headed });
const sw = await serviceWorker(context);
const id = new URL(sw.url()).host;

const open = async (url: string, testId: string) => {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId(testId).waitFor({ state: 'visible', timeout: 15_000 });
  return page;
};

const pages: [string, Page][] = [
  ['binance-btcusdt', await open('https://www.binance.com/en/futures/BTCUSDT', 'rf-panel')],
  ['hyperliquid-btc', await open('https://app.hyperliquid.xyz/trade/BTC', 'rf-panel')],
  ['options', await open(`chrome-extension://${id}/options.html`, 'rf-options')],
  ['popup', await open(`chrome-extension://${id}/popup.html`, 'rf-popup')],
];

if (headed) {
  console.log('Ringfence is running in Chromium: two trading pages, the popup and the options page are open.');
  console.log('Close the browser window to stop.');
  await new Promise<void>((resolve) => context.on('close', () => resolve()));
} else {
  mkdirSync(OUT, { recursive: true });
  const [, popup] = pages[3]!;
  await popup.setViewportSize({ width: 380, height: 560 });
  for (const [name, page] of pages) {
    // Let the pushes settle so the screenshots show live data.
    await page.waitForTimeout(300);
    const file = join(OUT, `${name}.png`);
    await page.screenshot({ path: file });
    console.log(`wrote ${file}`);
  }
  console.log('No display found: ran headless. Open the screenshots above, or run with a display for a live browser.');
  await context.close();
}
rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
