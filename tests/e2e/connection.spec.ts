import { SimControl } from '../simulator/control-client';
import { createSimulator, type Simulator } from '../simulator/server';
import { expect, openExtensionPage, screenshot, test } from './fixtures';

const API_KEY = 'e2eKey000000000000000000000000000001';
const API_SECRET = 'e2eSecret0000000000000000000000000001';
const ADDRESS = '0x' + '56'.repeat(20);

let sim: Simulator;
test.beforeAll(async () => {
  sim = await createSimulator({ port: 0, prices: { source: 'manual', tickMs: 200 } });
  const c = new SimControl(sim.url);
  await c.venue('binance', 'createAccount', { apiKey: API_KEY, apiSecret: API_SECRET });
  await c.venue('binance', 'setPosition', { apiKey: API_KEY, symbol: 'BTCUSDT', amount: 0.1, entryPrice: 60000, leverage: 10 });
  await c.venue('hyperliquid', 'createAccount', { address: ADDRESS, balance: 2500 });
});
test.afterAll(() => sim.close());

test('test connection: the exchange adapters run in the service worker against the local simulator', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  const page = await openExtensionPage(context, extensionId, 'options.html#accounts');
  await page.setViewportSize({ width: 1280, height: 800 });
  const vault = page.getByTestId('rf-vault');
  await vault.getByLabel('Passphrase').fill('correct horse battery staple');
  await vault.getByLabel('Repeat').fill('correct horse battery staple');
  await vault.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByTestId('rf-vault')).toHaveAttribute('data-state', 'unlocked');

  const add = page.getByTestId('rf-add-account');
  // Each add waits for its row. The row can show before the background's answer; the form stays disabled until the
  // answer clears it, and fill() waits for it to be enabled, so the next account's typing is never wiped.
  let rows = 0;
  const added = async () => expect(page.getByTestId('rf-account-row')).toHaveCount(++rows, { timeout: 30_000 });
  const addBinance = async (label: string, key: string, secret: string) => {
    await add.getByLabel('Exchange').selectOption('binance');
    await add.getByLabel('Label').fill(label);
    await add.getByLabel('API key').fill(key);
    await add.getByLabel('API secret').fill(secret);
    await add.getByLabel('Network').selectOption('custom');
    await add.getByLabel('REST URL').fill(`${sim.url}/binance`);
    await add.getByLabel('WebSocket URL').fill(`${sim.wsUrl}/binance/ws`);
    await add.getByRole('button', { name: 'Add account' }).click();
    await added();
  };
  await addBinance('Sim', API_KEY, API_SECRET);
  await addBinance('Stranger', 'e2eKeyNobodyKnows00000000000000000001', API_SECRET);
  await add.getByLabel('Exchange').selectOption('hyperliquid');
  await add.getByLabel('Label').fill('HL sim');
  await add.getByLabel('Address').fill(ADDRESS);
  await add.getByLabel('Network').selectOption('custom');
  await add.getByLabel('REST URL').fill(`${sim.url}/hyperliquid`);
  await add.getByLabel('WebSocket URL').fill(`${sim.wsUrl}/hyperliquid/ws`);
  await add.getByRole('button', { name: 'Add account' }).click();
  await added();

  const runTest = async (id: string) => {
    await page.locator(`[data-testid="rf-account-row"][data-account="${id}"]`).getByRole('button', { name: 'Test connection' }).click();
    return page.locator(`[data-testid="rf-account-test"][data-account="${id}"]`);
  };
  const ok = await runTest('binance:sim');
  await expect(ok).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });
  await expect(ok).toHaveText(/^Sim: Connected to Binance: equity \$[\d,]+\.\d\d, 1 open position, 0 open orders\.$/);

  const refused = await runTest('binance:stranger');
  await expect(refused).toHaveAttribute('data-ok', 'false', { timeout: 30_000 });
  await expect(refused).toContainText('Binance refused this key: it is wrong, not allowed from this IP address, or lacks the permission for this call');

  const hl = await runTest(`hyperliquid:${ADDRESS}`);
  await expect(hl).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });
  await expect(hl).toHaveText('HL sim: Connected to Hyperliquid: equity $2,500.00, 0 open positions, 0 open orders. Read-only: add a key to let Ringfence act.');
  await screenshot(page, 'options-accounts-tested');

  // Recorded in the audit log, without the secret.
  const activity = await openExtensionPage(context, extensionId, 'options.html#activity');
  await expect(activity.getByTestId('rf-options-audit')).toContainText('Binance account Sim: Connected to Binance');
  expect(await activity.content()).not.toContain(API_SECRET);
});
