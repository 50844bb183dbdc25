import { readFileSync } from 'node:fs';
import { expect, openExtensionPage, screenshot, test } from './fixtures';

test('activity: filter the audit log and export it as CSV and JSON', async ({ context, sw, extensionId }) => {
  const page = await openExtensionPage(context, extensionId, 'options.html#activity');
  await page.setViewportSize({ width: 1280, height: 800 });
  const list = page.getByTestId('rf-options-audit');
  const filters = page.getByTestId('rf-audit-filters');
  // The worker has written its start entry; then entries as the risk loop writes them, through the background's own
  // audit function (the e2e build exposes it).
  await expect(list.locator('li[data-kind="worker.started"]')).toHaveCount(1);
  await sw.evaluate(async () => {
    type Audit = (kind: string, severity: string, message: string, data?: Record<string, unknown>, refs?: Record<string, string>) => Promise<unknown>;
    const { audit } = (globalThis as unknown as { ringfence: { bg: { audit: Audit } } }).ringfence.bg;
    await audit('rule.daily_loss', 'warning', 'Daily loss at 62% of the limit.', undefined, { account: 'binance:main', rule: 'daily_loss' });
    await audit('rule.daily_loss', 'critical', 'Daily loss limit reached: trading halted.', undefined, { account: 'binance:main', rule: 'daily_loss' });
    await audit('rule.strategy_kill_switch', 'emergency', 'Strategy grid-1 killed, a "bad" day.', undefined, { strategyId: 'grid-1', rule: 'strategy_kill_switch' });
  });

  await filters.getByLabel('critical').check();
  await filters.getByLabel('emergency').check();
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(list.locator('li')).toHaveCount(2);
  await expect(list.locator('li').first()).toContainText('Strategy grid-1 killed');

  await filters.getByLabel('Strategy').fill('grid-1');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(list.locator('li')).toHaveCount(1);
  await screenshot(page, 'options-activity-filtered');

  // Export what is shown: a real download, quoted and spreadsheet-safe.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Audit CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/^ringfence-audit-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.csv$/);
  const text = readFileSync((await csv.path())!, 'utf8');
  expect(text.split('\r\n')[0]).toBe('id,time,severity,kind,message,data');
  expect(text).toContain(',emergency,rule.strategy_kill_switch,"Strategy grid-1 killed, a ""bad"" day.",');
  expect(text.trim().split('\r\n')).toHaveLength(2);
  await expect(page.getByTestId('rf-activity-msg')).toHaveText(/^Exported 1 entry to ringfence-audit-.*\.csv\.$/);

  await filters.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByText('Every decision and event, newest first.', { exact: false })).toBeVisible();
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Audit JSON' }).click()]);
  const parsed = JSON.parse(readFileSync((await json.path())!, 'utf8'));
  expect(parsed.format).toBe('ringfence.audit');
  expect(parsed.rows.map((r: { severity: string }) => r.severity)).toEqual(['info', 'warning', 'critical', 'emergency']);
});

test('a notification link opens Activity at its entry; the risk report downloads as text', async ({ context, extensionId }) => {
  const first = await openExtensionPage(context, extensionId, 'options.html#activity');
  await expect(first.getByTestId('rf-options-audit').locator('li[data-kind="worker.started"]')).toHaveCount(1);
  const log = (await first.evaluate(`chrome.runtime.sendMessage({ rf: 1, type: 'audit.list', data: { limit: 5 } })`)) as { ok: true; data: { id: number; message: string }[] };
  const target = log.data.at(-1)!;

  const page = await openExtensionPage(context, extensionId, `options.html#activity?event=${target.id}`);
  await expect(page.getByRole('tab', { name: 'Activity', selected: true }).or(page.getByRole('heading', { name: 'Activity' }))).toBeVisible();
  await expect(page.getByTestId('rf-notified-entry')).toContainText(target.message);
  const missing = await openExtensionPage(context, extensionId, 'options.html#activity?event=999999');
  await expect(missing.getByTestId('rf-notified-entry')).toHaveText('Audit entry 999999 was not found.');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Risk report (text)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^ringfence-risk-report-[\d-]+\.txt$/);
  const text = readFileSync((await file.path())!, 'utf8');
  expect(text).toMatch(/^Ringfence risk report - \d{4}-\d\d-\d\d \d\d:\d\d UTC\nOverall: ACTIVE \(badge none\)\n\nNo accounts are set up\./);
  await expect(page.getByTestId('rf-activity-msg')).toHaveText(/^Wrote the risk report to ringfence-risk-report-.+\.txt\.$/);
});
