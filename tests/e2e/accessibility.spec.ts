import type { Page } from '@playwright/test';
import { expect, openExtensionPage, screenshot, test, unnamedControls } from './fixtures';


const SECTIONS = ['overview', 'accounts', 'strategies', 'limits', 'activity', 'market'];

test('every control is labelled and reachable with the keyboard, in light and dark themes', async ({ context, extensionId }) => {
  for (const scheme of ['light', 'dark'] as const) {
    const page = await openExtensionPage(context, extensionId, 'options.html#overview');
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 800 });
    for (const s of SECTIONS) {
      await page.evaluate((h) => (location.hash = h), `#${s}`);
      await expect(page.getByTestId(`rf-tab-${s}`)).toHaveAttribute('aria-current', 'page');
      await page.waitForTimeout(200);
      expect(await unnamedControls(page), `${s} (${scheme})`).toEqual([]);
      if (scheme === 'dark') await screenshot(page, `options-${s}-dark`);
    }
    // Keyboard: Tab walks from the section tabs into the page's controls.
    await page.evaluate(() => (location.hash = '#limits'));
    await page.getByTestId('rf-tab-limits').focus();
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'rf-set-account-peakDrawdown-warningPct');
    }
    expect(reached, 'Tab reaches the first setting').toBe(true);
    await page.keyboard.type('9');
    await expect(page.getByTestId('rf-limits-save')).toBeEnabled(); // typed through the keyboard alone
    const popup = await openExtensionPage(context, extensionId, 'popup.html');
    await popup.emulateMedia({ colorScheme: scheme });
    await popup.setViewportSize({ width: 380, height: 560 });
    await expect(popup.getByTestId('rf-popup')).toBeVisible();
    expect(await unnamedControls(popup), `popup (${scheme})`).toEqual([]);
    if (scheme === 'dark') await screenshot(popup, 'popup-dark');
    await page.close();
    await popup.close();
  }
});
