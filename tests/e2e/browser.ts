/**
 * Chromium with the built extension loaded and the exchange pages served from tests/fixtures/pages at their real
 * URLs. Shared by the e2e fixtures and `npm run demo`.
 */
import { chromium, type BrowserContext, type Worker } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env.RINGFENCE_CHROMIUM ?? '/usr/bin/chromium';

const page = (name: string) => readFileSync(join(ROOT, 'tests', 'fixtures', 'pages', name), 'utf8');

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

/**
 * Serves one fixture page (tests/fixtures/pages/<name>.html) at a URL for this context, over the defaults above:
 * several replicas stand for the same URL (tests/fixtures/pages/README.md).
 */
export async function serveFixture(context: BrowserContext, url: string, name: string): Promise<void> {
  const body = page(`${name}.html`);
  await context.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body }));
}

export async function launchWithExtension(
  profileDir: string,
  extensionDir: string,
  opts: { headless?: boolean } = {},
): Promise<BrowserContext> {
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No extension build at ${extensionDir}: build it first (npm run build:e2e).`);
  }
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: opts.headless ?? true,
    viewport: opts.headless === false ? null : { width: 1280, height: 720 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // Without these Chromium floods the closed network with refused connections.
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
