/**
 * Playwright fixtures: a fresh Chromium profile with the built extension loaded (the e2e build, see wxt.config.ts),
 * the exchange pages served from tests/fixtures/pages at their real URLs, and the service worker at hand.
 */
import { chromium, test as base, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXTENSION_DIR = process.env.RINGFENCE_EXTENSION ?? join(root, '.output', 'chrome-mv3-e2e');
export const CHROMIUM = process.env.RINGFENCE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(root, 'test-results', 'screenshots');

const page = (name: string) => readFileSync(join(root, 'tests', 'fixtures', 'pages', name), 'utf8');

/** Serves the fixture pages at the exchanges' real URLs; other pages of those hosts get a plain page. */
export async function routeExchangePages(context: BrowserContext): Promise<void> {
  const html = (body: string) => ({ status: 200, contentType: 'text/html; charset=utf-8', body });
  await context.route('https://www.binance.com/**', (route) => {
    const path = new URL(route.request().url()).pathname;
    if (/\/futures\/[A-Z0-9_]+\/?$/.test(path)) return route.fulfill(html(page('binance-futures.html')));
    if (/\/trade\//.test(path)) return route.fulfill(html(page('binance-spot.html')));
    return route.fulfill(html(page('unrelated.html')));
  });
  await context.route('https://app.hyperliquid.xyz/**', (route) => route.fulfill(html(page('hyperliquid-trade.html'))));
  await context.route('https://example.com/**', (route) => route.fulfill(html(page('unrelated.html'))));
}

export async function launchWithExtension(profileDir: string): Promise<BrowserContext> {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No extension build at ${EXTENSION_DIR}: run \`npm run build:e2e\` first.`);
  }
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await routeExchangePages(context);
  return context;
}

export async function serviceWorker(context: BrowserContext): Promise<Worker> {
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
}

export async function screenshot(target: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await target.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export const test = base.extend<{ context: BrowserContext; sw: Worker; extensionId: string }>({
  // eslint-disable-next-line no-empty-pattern
  context: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'ringfence-e2e-'));
    const context = await launchWithExtension(dir);
    await use(context);
    await context.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  },
  sw: async ({ context }, use) => use(await serviceWorker(context)),
  extensionId: async ({ sw }, use) => use(new URL(sw.url()).host),
});
export const expect = test.expect;

/** Opens one of our pages (popup.html, options.html) in a tab. */
export async function openExtensionPage(context: BrowserContext, extensionId: string, path: string): Promise<Page> {
  const p = await context.newPage();
  await p.goto(`chrome-extension://${extensionId}/${path}`);
  return p;
}
