/**
 * The risk loop on Hyperliquid in Chromium: the service worker follows an account by address over the simulator's
 * websocket, and acts through an API wallet key it signs with itself (EIP-712, lib/exchanges/hyperliquid/signer.ts;
 * the simulator checks every signature).
 */
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { SimControl } from '../simulator/control-client';
import type { BrowserContext } from '@playwright/test';
import type { Simulator } from '../simulator/server';
import { expect, openExtensionPage, test } from './fixtures';
import { auditLog, send, startSimulator, viewState, PASSPHRASE } from './loop-support';

let sim: Simulator;
let c: SimControl;
test.beforeAll(async () => {
  ({ sim, c } = await startSimulator());
});
test.afterAll(() => sim.close());

/** A simulator account of `balance` USDC with a 0.08 BTC long from 60,000 at 10x, added in enforce mode with an API wallet key, live. */
async function liveTradingAccount(context: BrowserContext, extensionId: string, address: `0x${string}`, label: string, balance: number, tab: string) {
  const agentKey = generatePrivateKey();
  await c.setPrice('hyperliquid', 'BTC', 60_000);
  await c.venue('hyperliquid', 'createAccount', { address, agents: [privateKeyToAccount(agentKey).address.toLowerCase()], balance });
  await c.venue('hyperliquid', 'setPositions', { address, positions: [{ coin: 'BTC', szi: 0.08, entryPx: 60_000, leverage: 10 }] });
  const page = await openExtensionPage(context, extensionId, `options.html#${tab}`);
  await send(page, 'vault.create', { passphrase: PASSPHRASE });
  const added = await send<{ id: string }>(page, 'account.add', {
    venue: 'hyperliquid',
    label,
    address,
    agentKey,
    network: 'custom',
    restUrl: `${sim.url}/hyperliquid`,
    wsUrl: `${sim.wsUrl}/hyperliquid/ws`,
    mode: 'enforce',
  });
  const acct = async () => (await viewState(page)).risk.accounts.find((a) => a.key === added.id);
  await expect.poll(async () => (await acct())?.status, { timeout: 30_000 }).toBe('live');
  return { page, acct };
}

test('hyperliquid: live by address; a drawdown breach is closed with a signed order in enforce mode', async ({ context, extensionId }) => {
  test.setTimeout(90_000);
  const address = ('0x' + '7a'.repeat(20)) as `0x${string}`;
  const { page, acct } = await liveTradingAccount(context, extensionId, address, 'HL main', 20_000, 'overview');
  await expect.poll(async () => (await acct())?.positions.map((p) => [p.symbol, p.side, p.size])).toEqual([['BTC', 'long', 0.08]]);
  expect((await acct())?.equity).toBeCloseTo(20_000, 0);

  await c.setPrice('hyperliquid', 'BTC', 55_200);
  const venuePositions = async () =>
    (await c.venue<{ dexes: Record<string, { assetPositions: { position: { coin: string; szi: string } }[] }> }>('hyperliquid', 'account', { address })).dexes['']!.assetPositions.filter(
      (p) => Number(p.position.szi) !== 0,
    );
  await expect.poll(venuePositions, { timeout: 20_000 }).toEqual([]);
  await expect.poll(async () => (await auditLog(page)).map((e) => e.kind)).toContain('action.done');
  expect((await auditLog(page)).find((e) => e.kind === 'action.close')?.message).toMatch(/^HL main: closing all of BTC long \(0\.08\)\./);
  await expect.poll(async () => (await acct())?.positions).toEqual([]);
});

test('hyperliquid: a withdrawal whose lower balance is pushed before its ledger entry is no loss: ACTIVE, the position kept', async ({ context, extensionId }) => {
  test.setTimeout(90_000);
  const address = ('0x' + '7b'.repeat(20)) as `0x${string}`;
  const { page, acct } = await liveTradingAccount(context, extensionId, address, 'HL transfers', 20_000, 'activity');
  await expect.poll(async () => (await acct())?.dayLossPct, { timeout: 15_000 }).toBe(0);

  // 8,000 out of 20,000, the lower balance pushed 300 ms before the ledger entry: read as PnL, a 40% loss (halt, flatten).
  await c.hlLedger({ address, usdc: -8_000, stateFirst: true, gapMs: 300 });
  await expect.poll(async () => (await auditLog(page)).filter((e) => e.kind === 'account.cash_flow').map((e) => e.message), { timeout: 15_000 }).toEqual([
    'Hyperliquid account HL transfers: withdrawal of $8,000.00 (USDC, withdraw). Loss limits and drawdown count it as money moved, not as a gain or loss.',
  ]);
  await expect.poll(async () => (await acct())?.equity, { timeout: 15_000 }).toBeCloseTo(12_000, 0);
  await page.waitForTimeout(3_000);
  expect((await acct())?.trading).toBe('ACTIVE');
  expect((await acct())?.positions.map((p) => [p.symbol, p.size])).toEqual([['BTC', 0.08]]);
  expect((await auditLog(page)).filter((e) => e.kind === 'action.close')).toEqual([]);
});
