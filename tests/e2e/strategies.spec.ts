import { expect, openExtensionPage, screenshot, test } from './fixtures';

test('strategies table: add, inline edit with validation, toggle, bulk update, live in a second view', async ({ context, extensionId }) => {
  const page = await openExtensionPage(context, extensionId, 'options.html#strategies');
  await page.setViewportSize({ width: 1280, height: 800 });
  const other = await openExtensionPage(context, extensionId, 'options.html#strategies');
  await expect(page.getByTestId('rf-strategies')).toBeVisible();

  const add = page.getByTestId('rf-add-strategy');
  for (const [id, symbol] of [
    ['grid-btc', 'BTCUSDT'],
    ['momo-eth', 'ETHUSDT'],
    ['hl-basis', 'BTC'],
  ]) {
    await add.getByLabel('Strategy id').fill(id!);
    await add.getByLabel('Symbol').fill(symbol!);
    await add.getByRole('button', { name: 'Add strategy' }).click();
    await expect(page.locator(`[data-strategy="${id}"]`)).toBeVisible();
  }
  // A duplicate is refused with the reason.
  await add.getByLabel('Strategy id').fill('grid-btc');
  await add.getByRole('button', { name: 'Add strategy' }).click();
  await expect(add.getByRole('alert')).toHaveText('A strategy "grid-btc" exists already.');

  // The second view got the rows without a reload.
  await expect(other.getByTestId('rf-strategy-row')).toHaveCount(3);

  // Invalid inline edit: message, nothing sent.
  const row = page.locator('[data-strategy="grid-btc"]');
  await row.getByLabel('Max drawdown $ of grid-btc').fill('abc');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByRole('alert')).toHaveText('Max drawdown $ must be a number.');
  await row.getByLabel('Max drawdown $ of grid-btc').fill('3');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByRole('alert')).toHaveText(
    'Stop loss $5 per trade is above the max drawdown $3: one stopped trade would kill the strategy.',
  );
  // Valid edit, saved with Enter, seen by the other view.
  await row.getByLabel('Max drawdown $ of grid-btc').fill('75');
  await row.getByLabel('Max drawdown $ of grid-btc').press('Enter');
  await expect(other.getByLabel('Max drawdown $ of grid-btc')).toHaveValue('75');

  // Disable through the switch.
  await row.getByRole('switch', { name: 'Disable grid-btc' }).click();
  await expect(row.getByTestId('rf-strategy-status')).toHaveText('Disabled');
  await expect(other.locator('[data-strategy="grid-btc"]').getByTestId('rf-strategy-status')).toHaveText('Disabled');

  // Bulk: two rows get the same risk per trade.
  await page.getByLabel('Select momo-eth').check();
  await page.getByLabel('Select hl-basis').check();
  await page.getByTestId('rf-bulk').getByLabel('Risk per trade %').fill('0.5');
  await page.getByRole('button', { name: 'Apply to selected' }).click();
  await expect(page.getByLabel('Risk per trade % of momo-eth')).toHaveValue('0.5');
  await expect(page.getByLabel('Risk per trade % of hl-basis')).toHaveValue('0.5');
  await expect(page.getByLabel('Risk per trade % of grid-btc')).toHaveValue('1');
  await screenshot(page, 'options-strategies');

  // Persisted: a reload shows the same table, and the audit log has the changes.
  await page.reload();
  await expect(page.getByLabel('Max drawdown $ of grid-btc')).toHaveValue('75');
  const activity = await openExtensionPage(context, extensionId, 'options.html#activity');
  await expect(activity.getByTestId('rf-options-audit')).toContainText('Strategy grid-btc changed: maxDrawdownUsd 50 -> 75.');
});
