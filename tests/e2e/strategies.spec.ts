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

test('attribution rules: add, reorder, refuse an invalid rule without saving, save; per-strategy mode override', async ({ context, extensionId }) => {
  const page = await openExtensionPage(context, extensionId, 'options.html#strategies');
  await page.setViewportSize({ width: 1280, height: 900 });
  const add = page.getByTestId('rf-add-strategy');
  await add.getByLabel('Strategy id').fill('grid-btc');
  await add.getByRole('button', { name: 'Add strategy' }).click();
  await expect(page.locator('[data-strategy="grid-btc"]')).toBeVisible();

  const attr = page.getByTestId('rf-attribution');
  await expect(attr).toContainText('No rules: every trade counts as manual.');
  await attr.getByRole('button', { name: 'Add rule' }).click();
  await attr.getByLabel('Client order id prefix of rule 1').fill('grid_');
  await attr.getByLabel('Strategy id of rule 1').fill('grid-btc');
  await attr.getByRole('button', { name: 'Add rule' }).click();
  await attr.getByLabel('Symbol of rule 2').fill('ETHUSDT');
  // Rule 2 has no strategy id: nothing is saved, the row says why.
  await attr.getByRole('button', { name: 'Save rules' }).click();
  await expect(attr.getByRole('alert').last()).toHaveText(/^Rule 2: .+ Nothing was saved\.$/);
  await attr.getByLabel('Strategy id of rule 2').fill('eth-desk');
  await attr.getByRole('button', { name: 'Move rule 2 up' }).click();
  await expect(attr.getByLabel('Strategy id of rule 1')).toHaveValue('eth-desk');
  await attr.getByRole('button', { name: 'Save rules' }).click();
  await expect(attr.getByRole('status')).toHaveText('Saved 2 rules.');

  // Stored: a fresh page shows them in the saved order.
  const again = await openExtensionPage(context, extensionId, 'options.html#strategies');
  const attr2 = again.getByTestId('rf-attribution');
  await expect(attr2.getByTestId('rf-attribution-row')).toHaveCount(2);
  await expect(attr2.getByLabel('Symbol of rule 1')).toHaveValue('ETHUSDT');
  await expect(attr2.getByLabel('Client order id prefix of rule 2')).toHaveValue('grid_');

  const modes = page.getByTestId('rf-strategy-modes');
  await expect(modes).toContainText('No overrides.');
  await modes.getByLabel('Strategy', { exact: true }).selectOption('grid-btc');
  await modes.getByLabel('Mode', { exact: true }).selectOption('monitor');
  await modes.getByRole('button', { name: 'Set mode' }).click();
  await expect(modes.locator('[data-strategy="grid-btc"]')).toHaveText(/grid-btc: monitor \(alerts only\)/);
  await screenshot(page, 'options-attribution');

  const activity = await openExtensionPage(context, extensionId, 'options.html#activity');
  await expect(activity.getByTestId('rf-options-audit')).toContainText('Attribution rules changed (0 -> 2): any id on ETHUSDT -> eth-desk; id grid_* -> grid-btc.');
  await expect(activity.getByTestId('rf-options-audit')).toContainText('Enforcement mode of grid-btc: monitor.');
});
