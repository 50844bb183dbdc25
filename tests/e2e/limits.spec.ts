import { readFileSync } from 'node:fs';
import { expect, openExtensionPage, screenshot, test } from './fixtures';

const field = (path: string) => `#rf-set-${path.replace(/\./g, '-')}`;

test('limits: every setting editable, invalid values named, saved with history, lock, export and import', async ({ context, extensionId }) => {
  const page = await openExtensionPage(context, extensionId, 'options.html#limits');
  await page.setViewportSize({ width: 1280, height: 900 });
  const status = page.getByTestId('rf-limits-status');
  const msg = page.getByTestId('rf-limits-msg');
  const save = page.getByTestId('rf-limits-save');
  await expect(status).toContainText('Defaults in force.');
  await expect(page.locator('.rf-setting')).toHaveCount(86);

  // Unreadable input: named, nothing sent.
  await page.locator(field('leverage.normal')).fill('twenty');
  await save.click();
  await expect(msg).toHaveText('Nothing was saved: fix the fields marked below.');
  await expect(page.locator('[data-path="leverage.normal"] [role=alert]')).toHaveText('Enter a number.');
  await page.locator(field('leverage.normal')).fill('20');

  // Contradiction: the background names the field; nothing is saved.
  await page.locator(field('account.dailyLoss.warningPct')).fill('3');
  await save.click();
  await expect(msg).toHaveText('The settings were not saved: a value is invalid.');
  await expect(page.locator('[data-path="account.dailyLoss.warningPct"] [role=alert]')).toHaveText(
    'must be below account.dailyLoss.emergencyPct (3 >= 2)',
  );
  await expect(status).toContainText('Defaults in force.');

  // A valid change, recorded in the history (a comma only groups thousands: "0,75" would be refused as ambiguous).
  await page.locator(field('account.dailyLoss.warningPct')).fill('0.75');
  await page.locator(field('account.dailyLoss.emergencyPct')).fill('1.5');
  await save.click();
  await expect(msg).toHaveText('Saved 2 changes.');
  await expect(status).toContainText('Saved settings in force');
  await expect(page.getByTestId('rf-limits-history')).toContainText('Daily loss limit: 2 -> 1.5');

  // Lock for an hour: loosening is refused, tightening passes.
  const inAnHour = new Date(Date.now() + 3_600_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await page.getByLabel('Lock against loosening until').fill(inAnHour);
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(status).toContainText('Locked against loosening until');
  await page.locator(field('account.dailyLoss.emergencyPct')).fill('3');
  await save.click();
  await expect(msg).toContainText('Daily loss limit cannot be loosened (1.5 -> 3). Tightening is allowed.');
  await page.locator(field('account.dailyLoss.emergencyPct')).fill('1.2');
  await save.click();
  await expect(msg).toHaveText('Saved 1 change.');
  await screenshot(page, 'options-limits');

  // Export, then bad imports change nothing.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export settings' }).click()]);
  const exported = JSON.parse(readFileSync((await dl.path())!, 'utf8'));
  expect(exported).toMatchObject({ format: 'ringfence.settings', version: 1, settings: { account: { dailyLoss: { warningPct: 0.75, emergencyPct: 1.2 } } } });
  const input = page.getByLabel('Import settings');
  await input.setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":1}') });
  await expect(msg).toHaveText('This is not a Ringfence settings file (expected "format": "ringfence.settings"): nothing was changed.');
  await input.setInputFiles({ name: 'future.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...exported, version: 9 })) });
  await expect(msg).toHaveText('This settings file is version 9; this Ringfence reads version 1: nothing was changed.');
  await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{ not json') });
  await expect(msg).toHaveText('This file is not JSON: nothing was changed.');
  await expect(page.locator(field('account.dailyLoss.emergencyPct'))).toHaveValue('1.2');
});
