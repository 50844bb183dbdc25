/** Playwright fixtures: a fresh Chromium profile with the e2e build loaded, and the service worker at hand. */
import { test as base, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchWithExtension, ROOT, serviceWorker } from './browser';

export const EXTENSION_DIR = process.env.RINGFENCE_EXTENSION ?? join(ROOT, '.output', 'chrome-mv3-e2e');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export async function screenshot(target: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await target.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export const test = base.extend<{ context: BrowserContext; sw: Worker; extensionId: string }>({
  // eslint-disable-next-line no-empty-pattern
  context: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'ringfence-e2e-'));
    const context = await launchWithExtension(dir, EXTENSION_DIR);
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
