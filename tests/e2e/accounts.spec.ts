import { expect, openExtensionPage, screenshot, test } from './fixtures';

const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const API_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const PASS = 'correct horse battery staple';

test('accounts: vault, encrypted key, masked display, wrong passphrase, read-only account, removal', async ({ context, sw, extensionId }) => {
  test.setTimeout(120_000); // real 600,000-iteration key derivations
  const page = await openExtensionPage(context, extensionId, 'options.html#accounts');
  await page.setViewportSize({ width: 1280, height: 800 });
  const vault = page.getByTestId('rf-vault');
  await expect(vault).toHaveAttribute('data-state', 'none');

  // Adding a Binance key before there is a vault is refused with the reason.
  const add = page.getByTestId('rf-add-account');
  await add.getByLabel('Label').fill('Main');
  await add.getByLabel('API key').fill(API_KEY);
  await add.getByLabel('API secret').fill(API_SECRET);
  await add.getByRole('button', { name: 'Add account' }).click();
  await expect(add.getByRole('alert')).toHaveText('The vault is locked: unlock it with your passphrase first.');

  // Create the vault: mismatch and a short passphrase are refused.
  await vault.getByLabel('Passphrase').fill(PASS);
  await vault.getByLabel('Repeat').fill(PASS + 'x');
  await vault.getByRole('button', { name: 'Create vault' }).click();
  await expect(vault.getByRole('alert')).toHaveText('The two passphrases differ.');
  await vault.getByLabel('Passphrase').fill('short');
  await vault.getByLabel('Repeat').fill('short');
  await vault.getByRole('button', { name: 'Create vault' }).click();
  await expect(vault.getByRole('alert')).toHaveText('The passphrase must be at least 10 characters long.');
  await vault.getByLabel('Passphrase').fill(PASS);
  await vault.getByLabel('Repeat').fill(PASS);
  await vault.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByTestId('rf-vault')).toHaveAttribute('data-state', 'unlocked');

  await add.getByRole('button', { name: 'Add account' }).click();
  const row = page.locator('[data-account="binance:main"]');
  await expect(row).toContainText('vmPU…Eh8A');
  await expect(row).toContainText('stored, encrypted');

  // Stored encrypted: neither IndexedDB nor the page holds the secret in the clear.
  const dump = await sw.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const req = indexedDB.open('ringfence');
        req.onsuccess = () => {
          const tx = req.result.transaction(['meta', 'accounts', 'auditBatches']);
          const out: unknown[] = [];
          let left = 3;
          for (const name of ['meta', 'accounts', 'auditBatches']) {
            const r = tx.objectStore(name).getAll();
            r.onsuccess = () => {
              out.push(r.result);
              if (--left === 0) resolve(JSON.stringify(out));
            };
          }
        };
      }),
  );
  expect(dump).toContain('"hasSecret":true');
  expect(dump).not.toContain(API_SECRET);
  expect(await page.content()).not.toContain(API_SECRET);

  // A read-only Hyperliquid account needs no key.
  await add.getByLabel('Exchange').selectOption('hyperliquid');
  await add.getByLabel('Label').fill('HL watch');
  await add.getByLabel('Address').fill('0x' + '12'.repeat(20));
  await add.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByTestId('rf-account-row')).toHaveCount(2);
  await expect(page.locator('[data-account^="hyperliquid:"]')).toContainText('none: read-only');
  // Enforce needs a key that can trade.
  await page.getByLabel('Mode of HL watch').selectOption('enforce');
  await expect(page.getByRole('alert')).toHaveText(
    'Enforce mode needs a key that can trade: without one Ringfence can only watch this account.',
  );
  await expect(page.getByLabel('Mode of HL watch')).toHaveValue('monitor');
  await screenshot(page, 'options-accounts');

  // Lock, then a wrong passphrase keeps it locked; the right one unlocks.
  await page.getByRole('button', { name: 'Lock now' }).click();
  await expect(vault).toHaveAttribute('data-state', 'locked');
  await vault.getByLabel('Passphrase').fill('not my passphrase');
  await vault.getByRole('button', { name: 'Unlock' }).click();
  await expect(vault.getByRole('alert')).toHaveText('Wrong passphrase: the vault stays locked.');
  await expect(vault).toHaveAttribute('data-state', 'locked');
  await vault.getByLabel('Passphrase').fill(PASS);
  await vault.getByRole('button', { name: 'Unlock' }).click();
  await expect(vault).toHaveAttribute('data-state', 'unlocked');

  // Removal asks first.
  await row.getByRole('button', { name: 'Remove…' }).click();
  await row.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.getByTestId('rf-account-row')).toHaveCount(1);
});
