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

/** Controls (and meters) without an accessible name: no aria-label(ledby), no <label for>, no wrapping <label>, no text. */
export function unnamedControls(page: Page) {
  return page.evaluate(() => {
    const named = (el: Element): boolean => {
      if (el.getAttribute('aria-label')?.trim() || el.getAttribute('aria-labelledby')) return true;
      if (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)) return true;
      if (el.closest('label')) return true;
      if (el.tagName === 'BUTTON' || el.tagName === 'A') return (el.textContent ?? '').trim().length > 0;
      return false;
    };
    return [...document.querySelectorAll('input, select, textarea, button, a[href], [role="meter"]')]
      .filter((el) => !(el as HTMLElement).hidden && !named(el))
      .map((el) => el.outerHTML.slice(0, 120));
  });
}
