import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { accountAdd, accountRemove, accountSetMode, accountsList, vaultCreate, vaultLock, vaultStatus, vaultUnlock } from '@/lib/messaging/account-requests';
import { request } from '@/lib/messaging/client';
import { auditList } from '@/lib/messaging/requests';
import { RingfenceDb } from '@/lib/store/db';
import { createLiveView } from '@/lib/ui/live-view';
import { contentSender, extensionSender, fakeRuntime, memorySession, testBackground } from '../helpers/fake-runtime';
import { auditRows } from '../helpers/audit-rows';
import { ensurePeriodStarts } from '@/lib/background/supervisor/persist';
import { queryAudit } from '@/lib/store/audit';
import { fillsBetween, saveFills } from '@/lib/store/fills';

const PASS = 'a long enough passphrase';
const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const API_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const AGENT_KEY = '0x' + 'ab'.repeat(32);
const ADDRESS = '0x' + '12'.repeat(20);

function setup(session = memorySession(), db = new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange })) {
  const clock = { t: 1_000_000 };
  const logs: string[] = [];
  const { bg } = testBackground({ db, session, now: () => clock.t, log: (l) => logs.push(l) });
  const { runtime } = fakeRuntime(() => bg, extensionSender('options.html'));
  return { db, session, bg, runtime, clock, logs };
}

const binance = { venue: 'binance' as const, label: 'Main', apiKey: API_KEY, apiSecret: API_SECRET };

// Real key derivations (600,000 iterations) take seconds on a loaded machine.
describe('accounts and vault', { timeout: 60_000 }, () => {
  it('create, add a Binance account, and never echo a secret anywhere', async () => {
    const s = setup();
    // A panel and a popup are open the whole time: everything pushed to them is checked below.
    const panel = fakeRuntime(() => s.bg, contentSender('https://www.binance.com/en/futures/BTCUSDT'));
    const pushed: unknown[] = [];
    const port = panel.runtime.connect({ name: 'ringfence:view' });
    port.onMessage.addListener((m) => pushed.push(m));
    port.postMessage({ type: 'hello', data: { view: 'panel' } });
    const popup = createLiveView(fakeRuntime(() => s.bg, extensionSender()).runtime, 'popup');

    expect(await request(s.runtime, vaultStatus, {})).toEqual({ ok: true, data: { state: 'none' } });
    expect(await request(s.runtime, vaultCreate, { passphrase: 'short' })).toEqual({
      ok: false,
      error: { code: 'invalid_data', message: 'The passphrase must be at least 10 characters long.' },
    });
    const created = await request(s.runtime, vaultCreate, { passphrase: PASS });
    expect(created).toEqual({ ok: true, data: { state: 'unlocked', lockAt: 1_000_000 + 15 * 60_000 } });

    const added = await request(s.runtime, accountAdd, binance);
    expect(added).toEqual({
      ok: true,
      data: {
        id: 'binance:main',
        venue: 'binance',
        accountId: 'main',
        label: 'Main',
        network: 'mainnet',
        restUrl: null,
        wsUrl: null,
        publicIdMasked: 'vmPU…Eh8A',
        hasSecret: true,
        mode: 'guard',
        deadManSwitchSec: null,
        createdAt: 1_000_000,
      },
    });
    // The adapters in the background can read it back...
    expect(await s.bg.vault.getSecret('account:binance:main')).toBe(API_SECRET);
    // ...and nothing else ever carries it.
    const list = await request(s.runtime, accountsList, {});
    const audit = await request(s.runtime, auditList, { limit: 100 });
    await new Promise((r) => setTimeout(r, 20));
    const seenByViews = JSON.stringify([added, list, audit, pushed, popup.state.value, s.logs]);
    const stored = JSON.stringify([await s.db.accounts.toArray(), await auditRows(s.db), await s.db.meta.toArray()]);
    expect(pushed.length).toBeGreaterThan(0);
    for (const secret of [API_SECRET, API_SECRET.slice(8, 24), PASS]) {
      expect(seenByViews).not.toContain(secret);
      expect(stored).not.toContain(secret); // only the vault's ciphertext
    }
    // The API key is not a secret (it goes out as a header) but views only ever see it masked.
    expect(seenByViews).not.toContain(API_KEY);
  });

  it('a wrong passphrase keeps the vault locked and is audited', async () => {
    const s = setup();
    await request(s.runtime, vaultCreate, { passphrase: PASS });
    await request(s.runtime, vaultLock, {});
    expect(await request(s.runtime, vaultUnlock, { passphrase: 'not the passphrase' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Wrong passphrase: the vault stays locked.' },
    });
    expect(await request(s.runtime, vaultStatus, {})).toEqual({ ok: true, data: { state: 'locked' } });
    const audit = await request(s.runtime, auditList, { limit: 1 });
    expect(audit.ok && audit.data[0]?.message).toBe('Vault unlock refused: wrong passphrase.');
  });

  it('a locked vault refuses new secrets and saves nothing; read-only Hyperliquid needs no vault', async () => {
    const s = setup();
    expect(await request(s.runtime, accountAdd, binance)).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'The vault is locked: unlock it with your passphrase first.' },
    });
    expect(await s.db.accounts.count()).toBe(0);
    const hl = await request(s.runtime, accountAdd, { venue: 'hyperliquid', label: 'HL', address: ADDRESS });
    expect(hl).toMatchObject({ ok: true, data: { id: `hyperliquid:${ADDRESS}`, hasSecret: false, mode: 'monitor', publicIdMasked: '0x1212…1212' } });
  });

  it('refuses contradictory account input with the field named', async () => {
    const s = setup();
    const enforce = await request(s.runtime, accountAdd, { venue: 'hyperliquid', label: 'HL', address: ADDRESS, mode: 'enforce' });
    expect(enforce).toMatchObject({
      ok: false,
      error: { code: 'invalid_data', issues: ['mode: Enforce mode needs an API wallet key: without one Ringfence can only watch this account.'] },
    });
    const custom = await request(s.runtime, accountAdd, { ...binance, network: 'custom', restUrl: 'http://127.0.0.1:7070/binance' });
    expect(custom).toMatchObject({ error: { issues: ['restUrl: A custom network needs both restUrl and wsUrl.'] } });
    const badKey = await request(s.runtime, accountAdd, { ...binance, apiSecret: 'x' });
    expect(badKey).toMatchObject({ error: { issues: ['apiSecret: apiSecret must be 16 to 128 letters and digits'] } });
    // The refused secret is not in the error either.
    expect(JSON.stringify(badKey)).not.toContain('"x"');
    const badAddress = await request(s.runtime, accountAdd, { venue: 'hyperliquid', label: 'HL', address: '0x12' });
    expect(badAddress).toMatchObject({ error: { issues: ['address: address must be 0x followed by 40 hex digits'] } });
  });

  it('with no account supervised, locks after 15 minutes without use; use extends it; the session survives a worker restart', async () => {
    const s = setup();
    await request(s.runtime, vaultCreate, { passphrase: PASS });
    await request(s.runtime, accountAdd, { venue: 'hyperliquid', label: 'HL', address: ADDRESS, agentKey: AGENT_KEY, mode: 'enforce' });
    s.clock.t += 10 * 60_000;
    expect(await s.bg.vault.getSecret(`account:hyperliquid:${ADDRESS}`)).toBe(AGENT_KEY); // used: extended

    // A new worker (MV3 stopped the old one) on the same session and database.
    const again = setup(s.session, s.db);
    again.clock.t = s.clock.t + 14 * 60_000;
    expect(await again.bg.vault.getSecret(`account:hyperliquid:${ADDRESS}`)).toBe(AGENT_KEY);
    again.clock.t += 15 * 60_000 + 1;
    expect(await again.bg.vault.getSecret(`account:hyperliquid:${ADDRESS}`)).toBeNull();
    expect(await request(again.runtime, vaultStatus, {})).toEqual({ ok: true, data: { state: 'locked' } });
    expect(again.session.data.size).toBe(0); // the key is gone from memory
  });

  it('a tampered vault is detected, not decrypted to garbage', async () => {
    const s = setup();
    await request(s.runtime, vaultCreate, { passphrase: PASS });
    await request(s.runtime, accountAdd, binance);
    const row = await s.db.meta.get('vault');
    const rec = row!.value as { secrets: Record<string, { iv: string; ct: string }> };
    const ct = Buffer.from(rec.secrets['account:binance:main']!.ct, 'base64');
    ct[0]! ^= 0xff;
    rec.secrets['account:binance:main']!.ct = ct.toString('base64');
    await s.db.meta.put({ key: 'vault', value: rec });
    await expect(s.bg.vault.getSecret('account:binance:main')).rejects.toThrow(
      'The stored secret for "account:binance:main" failed its integrity check: it was altered. Enter it again.',
    );
  });

  it('mode changes and removal are audited; removal deletes the secret', async () => {
    const s = setup();
    await request(s.runtime, vaultCreate, { passphrase: PASS });
    await request(s.runtime, accountAdd, binance);
    expect(await request(s.runtime, accountSetMode, { id: 'binance:main', mode: 'enforce' })).toMatchObject({ ok: true, data: { mode: 'enforce' } });
    expect(await request(s.runtime, accountRemove, { id: 'binance:main' })).toEqual({ ok: true, data: { removed: 'binance:main' } });
    await expect(s.bg.vault.getSecret('account:binance:main')).rejects.toThrow('No secret is stored for "account:binance:main".');
    const audit = await request(s.runtime, auditList, { limit: 2 });
    expect(audit.ok && audit.data.map((e) => e.message)).toEqual([
      'Binance account Main removed.',
      'Binance account Main: mode guard -> enforce.',
    ]);
  });
  it('an account added under a removed account\'s id gets the next generation: nothing of the old desk data or history carries over', async () => {
    const s = setup();
    await request(s.runtime, vaultCreate, { passphrase: PASS });
    await request(s.runtime, accountAdd, binance);
    // What the risk loop stored for the first account (a 15,000 testnet account): its day start and a fill.
    const bounds = { daily: { start: 0 }, weekly: { start: 0 }, monthly: { start: 0 } };
    const snap = (accountId: string, equity: number) => ({ venue: 'binance' as const, accountId, equity, walletBalance: equity, availableBalance: equity, marginUsed: 0, unrealizedPnl: 0, time: 1 });
    await ensurePeriodStarts(s.db, 'binance:main', snap('main', 15_000), bounds, 1);
    const fill = (accountId: string) => ({ venue: 'binance' as const, accountId, tradeId: '42', symbol: 'BTCUSDT', side: 'buy' as const, price: 1, size: 1, fee: 0, feeAsset: 'USDT', realizedPnl: 0, time: 1, orderId: 'o', clientOrderId: null, strategyId: 'manual' });
    await saveFills(s.db, [fill('main')]);
    await request(s.runtime, accountRemove, { id: 'binance:main' });

    const again = await request(s.runtime, accountAdd, { ...binance, apiKey: API_KEY.replace('vm', 'xx') });
    expect(again).toMatchObject({ ok: true, data: { id: 'binance:main~2', accountId: 'main~2', label: 'Main' } });
    // Its day starts at its own 2,000, not at the removed account's 15,000 (an 87% "daily loss").
    expect((await ensurePeriodStarts(s.db, 'binance:main~2', snap('main~2', 2_000), bounds, 2)).daily).toEqual({ equity: 2_000, walletBalance: 2_000, at: 2 });
    // The same venue trade id is its own fill, not a duplicate of the removed account's; the trades stay apart.
    expect(await saveFills(s.db, [fill('main~2')])).toHaveLength(1);
    expect((await fillsBetween(s.db, 'binance:main~2', 0, 10)).map((f) => f.key)).toEqual(['binance:main~2:42']);
    expect((await fillsBetween(s.db, 'binance:main', 0, 10)).map((f) => f.key)).toEqual(['binance:main:42']);
    // The removed account's history is kept under its own id.
    expect((await queryAudit(s.db, { account: 'binance:main' }, 10)).map((e) => e.message)).toEqual(['Binance account Main removed.', 'Binance account Main added (mainnet, guard mode).']);
    expect((await queryAudit(s.db, { account: 'binance:main~2' }, 10)).map((e) => e.message)).toEqual(['Binance account Main added (mainnet, guard mode).']);

    // A second "Main" while one is there is refused, whatever its generation; a third generation follows the second.
    expect(await request(s.runtime, accountAdd, binance)).toEqual({ ok: false, error: { code: 'invalid_data', message: 'Binance account "main~2" exists already.' } });
    await request(s.runtime, accountRemove, { id: 'binance:main~2' });
    expect(await request(s.runtime, accountAdd, binance)).toMatchObject({ ok: true, data: { id: 'binance:main~3' } });
  });

  it('a Hyperliquid address added again after its removal (testnet, then mainnet) gets the next generation', async () => {
    const s = setup();
    const hl = { venue: 'hyperliquid' as const, label: 'HL', address: ADDRESS, network: 'testnet' as const };
    expect(await request(s.runtime, accountAdd, hl)).toMatchObject({ ok: true, data: { id: `hyperliquid:${ADDRESS}` } });
    expect(await request(s.runtime, accountAdd, { ...hl, network: 'mainnet' })).toEqual({ ok: false, error: { code: 'invalid_data', message: `Hyperliquid account "${ADDRESS}" exists already.` } });
    await request(s.runtime, accountRemove, { id: `hyperliquid:${ADDRESS}` });
    const again = await request(s.runtime, accountAdd, { ...hl, network: 'mainnet' });
    // Still watched at its address (the row's publicId); only the desk's key is new.
    expect(again).toMatchObject({ ok: true, data: { id: `hyperliquid:${ADDRESS}~2`, accountId: `${ADDRESS}~2`, network: 'mainnet', publicIdMasked: '0x1212…1212' } });
    expect((await s.db.accounts.get(`hyperliquid:${ADDRESS}~2`))?.publicId).toBe(ADDRESS);
  });
});
