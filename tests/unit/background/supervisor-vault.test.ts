/**
 * The risk loop and the key vault: an account's adapter always has what the vault allows (its key while unlocked,
 * none while locked), the view says when an account runs without it, and each account that cannot be supervised
 * fully because of the vault is announced once per lock (an audit entry and a desktop notification), never silently.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import type { Background } from '@/lib/background/service';
import { createSupervisor } from '@/lib/background/supervisor/supervisor';
import { createVaultService } from '@/lib/background/vault-service';
import type { AdapterConfig } from '@/lib/exchanges/types';
import { accountAdd, vaultCreate, vaultLock, vaultUnlock } from '@/lib/messaging/account-requests';
import { request } from '@/lib/messaging/client';
import { parseRiskSettings } from '@/lib/risk';
import { RingfenceDb, type AccountRow } from '@/lib/store/db';
import { FakeAdapter } from '../helpers/fake-adapter';
import { extensionSender, fakeRuntime, memorySession, testBackground } from '../helpers/fake-runtime';
import { auditRows } from '../helpers/audit-rows';
import { accountRow } from '../helpers/account-row';

const T0 = Date.UTC(2026, 10, 20, 12);
const MIN = 60_000;
const PASS = 'a long enough passphrase';
const ADDR = '0x' + 'cd'.repeat(20);
const AGENT_KEY = '0x' + '11'.repeat(32);
const hyperliquid: AccountRow = accountRow({ accountId: ADDR, deadManSwitchSec: 60, createdAt: T0 - 1000 });
const binance = { venue: 'binance' as const, label: 'Desk', apiKey: 'k'.repeat(20), apiSecret: 's'.repeat(20), mode: 'enforce' as const };

const HL_NOTE = 'Monitoring only: the key vault is locked, so Ringfence cannot act on this account. Unlock it in Options > Accounts.';
const HL_ANNOUNCED =
  "Hyperliquid account Main is monitored only: the key vault is locked, so Ringfence cannot cancel, reduce or close on it, nor keep its dead-man's switch. Unlock the vault in Options > Accounts.";
const BINANCE_ANNOUNCED =
  'Binance account Desk is not monitored: the key vault is locked, so no limit, kill switch or flatten runs on it. Unlock the vault in Options > Accounts.';

/** A background over `db` and `session` (a new one is a worker restart); adapters trade only when given a key. */
function world(db: RingfenceDb, session = memorySession(), clock = { t: T0 }) {
  const adapters: FakeAdapter[] = [];
  const notes: string[] = [];
  const make = () =>
    testBackground({
      db,
      session,
      now: () => clock.t,
      supervise: true,
      makeAdapter: (config: AdapterConfig) => {
        const c = config.credentials;
        const a = new FakeAdapter(config, { trading: c.venue === 'binance' || Boolean(c.agentKey) });
        adapters.push(a);
        return a;
      },
      notify: (n) => notes.push(`${n.severity}: ${n.title}: ${n.message}`),
    }).bg;
  let bg: Background = make();
  const ui = fakeRuntime(() => bg, extensionSender('options.html'));
  return {
    db,
    session,
    clock,
    adapters,
    notes,
    ui,
    get bg() {
      return bg;
    },
    view: (id: string) => bg.viewState().risk.accounts.find((a) => a.key === id),
    messages: async (kind: string) => (await auditRows(db)).filter((e) => e.kind === kind).map((e) => `${e.severity}: ${e.message}`),
    async restart() {
      await bg.supervisor.stop();
      bg = make();
      await bg.started;
      return bg;
    },
  };
}

const freshDb = () => new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });

// Real key derivations (600,000 iterations) take seconds on a loaded machine.
describe('risk loop and key vault', { timeout: 60_000 }, () => {
  it('a Hyperliquid account started while the vault is locked is monitored only, says so, and gets its key at unlock', async () => {
    const db = freshDb();
    // An earlier browser session stored the agent key; this one starts with the vault locked.
    const before = createVaultService({ db, session: memorySession(), now: () => T0 });
    await before.create(PASS);
    await before.putSecret(`account:${hyperliquid.id}`, AGENT_KEY);
    await db.accounts.put(hyperliquid);
    const w = world(db);
    await w.bg.started;
    await vi.waitFor(() => expect(w.adapters[0]?.connected).toBe(true));
    expect(w.adapters[0]!.capabilities.trading).toBe(false);
    await vi.waitFor(() => expect(w.view(hyperliquid.id)).toMatchObject({ status: 'live', canTrade: false, statusText: HL_NOTE }));
    await vi.waitFor(async () => expect(await w.messages('account.vault_locked')).toEqual([`warning: ${HL_ANNOUNCED}`]));
    expect(w.notes).toEqual([`warning: Main: monitored only: ${HL_ANNOUNCED}`]);
    // A feed that drops and comes back still says it.
    w.adapters[0]!.emit({ type: 'connection', state: 'reconnecting', reason: 'timeout' });
    w.adapters[0]!.emit({ type: 'connection', state: 'open' });
    await w.bg.supervisor.settled();
    expect(w.view(hyperliquid.id)).toMatchObject({ status: 'live', statusText: HL_NOTE });

    expect((await request(w.ui.runtime, vaultUnlock, { passphrase: PASS })).ok).toBe(true);
    // Started again with its key: it can act, its dead-man's switch is armed, and the view no longer warns.
    await vi.waitFor(() => expect(w.adapters.at(-1)!.capabilities.trading).toBe(true));
    await vi.waitFor(() => expect(w.adapters.at(-1)!.deadMan).toEqual([60_000]));
    expect(w.adapters).toHaveLength(2);
    expect(w.adapters[0]!.connected).toBe(false);
    expect(w.adapters[1]!.config.credentials).toMatchObject({ agentKey: AGENT_KEY });
    await vi.waitFor(() => expect(w.view(hyperliquid.id)).toMatchObject({ status: 'live', canTrade: true, statusText: null }));
    await w.bg.supervisor.stop();
  });

  it('"Lock now" takes the key from running accounts and says so once per lock; unlocking gives it back', async () => {
    const w = world(freshDb());
    await w.bg.started;
    expect((await request(w.ui.runtime, vaultCreate, { passphrase: PASS })).ok).toBe(true);
    expect((await request(w.ui.runtime, accountAdd, binance)).ok).toBe(true);
    await vi.waitFor(() => expect(w.adapters[0]?.connected).toBe(true));

    expect(await request(w.ui.runtime, vaultLock, {})).toEqual({ ok: true, data: { state: 'locked' } });
    await vi.waitFor(() => expect(w.view('binance:desk')).toMatchObject({ status: 'locked', canTrade: false }));
    expect(w.adapters[0]!.connected).toBe(false);
    await vi.waitFor(async () => expect(await w.messages('account.vault_locked')).toEqual([`warning: ${BINANCE_ANNOUNCED}`]));
    expect(w.notes).toEqual([`warning: Desk: not monitored: ${BINANCE_ANNOUNCED}`]);
    // Heartbeats, syncs and worker restarts during the same lock repeat nothing.
    await w.bg.supervisor.heartbeat();
    await w.bg.supervisor.syncAccounts();
    await w.restart();
    await vi.waitFor(() => expect(w.view('binance:desk')).toMatchObject({ status: 'locked' }));
    await w.bg.supervisor.settled();
    expect(await w.messages('account.vault_locked')).toEqual([`warning: ${BINANCE_ANNOUNCED}`]);

    expect((await request(w.ui.runtime, vaultUnlock, { passphrase: PASS })).ok).toBe(true);
    await vi.waitFor(() => expect(w.view('binance:desk')).toMatchObject({ status: 'live', canTrade: true }));
    expect(w.adapters).toHaveLength(2);
    // A new lock is a new announcement.
    await request(w.ui.runtime, vaultLock, {});
    await vi.waitFor(async () => expect(await w.messages('account.vault_locked')).toHaveLength(2));
    await w.bg.supervisor.stop();
  });

  it('an enforcing Binance account keeps the vault open: 20 quiet minutes and a worker restart later it is still supervised', async () => {
    const w = world(freshDb());
    await w.bg.started;
    expect((await request(w.ui.runtime, vaultCreate, { passphrase: PASS })).ok).toBe(true);
    expect((await request(w.ui.runtime, accountAdd, binance)).ok).toBe(true);
    await vi.waitFor(() => expect(w.adapters[0]?.connected).toBe(true));
    // The lock alarm fires after 20 quiet minutes; then Chrome restarts the service worker.
    w.clock.t += 20 * MIN;
    await w.bg.vault.expire();
    expect(await w.bg.vault.status()).toMatchObject({ state: 'unlocked' });
    await w.restart();
    await vi.waitFor(() => expect(w.view('binance:desk')).toMatchObject({ status: 'live', canTrade: true }));
    expect(w.adapters).toHaveLength(2);
    expect(await w.messages('account.vault_locked')).toEqual([]);
    await w.bg.supervisor.stop();
  });

  it('a secret the unlocked vault does not hold is reported as such, not as a locked vault', async () => {
    const w = world(freshDb());
    await w.bg.started;
    expect((await request(w.ui.runtime, vaultCreate, { passphrase: PASS })).ok).toBe(true);
    expect((await request(w.ui.runtime, accountAdd, binance)).ok).toBe(true);
    await vi.waitFor(() => expect(w.adapters[0]?.connected).toBe(true));
    // The secret is gone from the record (a vault restored from an older copy), the account still says it has one.
    await w.bg.vault.deleteSecret('account:binance:desk');
    await w.restart();
    const text = 'The API secret could not be read from the key vault: No secret is stored for "account:binance:desk".';
    await vi.waitFor(() => expect(w.view('binance:desk')).toMatchObject({ status: 'error', statusText: text }));
    await vi.waitFor(async () =>
      expect(await w.messages('account.key_unreadable')).toEqual([
        'critical: Binance account Desk is not monitored: its API secret could not be read from the key vault: No secret is stored for "account:binance:desk".',
      ]),
    );
    expect(await w.messages('account.vault_locked')).toEqual([]);
    await w.bg.supervisor.stop();
  });
  it('an unlock while the account is being started without its key starts it again with the key once that start is done', async () => {
    const db = freshDb();
    await db.accounts.put(hyperliquid);
    const vault = { open: false, asked: 0 };
    let answer = () => {};
    const gate = new Promise<void>((r) => (answer = r));
    const adapters: FakeAdapter[] = [];
    const sup = createSupervisor({
      db,
      now: () => T0,
      // The vault as it was when asked; the first answer comes only when the test says so.
      secretOf: async () => {
        vault.asked += 1;
        const open = vault.open;
        await gate;
        return open ? AGENT_KEY : null;
      },
      makeAdapter: (config: AdapterConfig) => {
        const c = config.credentials;
        const a = new FakeAdapter(config, { trading: c.venue === 'hyperliquid' && Boolean(c.agentKey) });
        adapters.push(a);
        return a;
      },
      audit: async () => undefined,
      settings: async () => parseRiskSettings({}),
      changed: () => {},
      log: () => {},
    });
    const started = sup.start();
    await vi.waitFor(() => expect(vault.asked).toBe(1));
    // Unlocked while the start still waits for the (locked) answer: the sync finds the account starting.
    vault.open = true;
    await sup.syncAccounts();
    answer();
    await started;
    await vi.waitFor(() => expect(adapters.at(-1)?.capabilities.trading).toBe(true));
    await vi.waitFor(() => expect(adapters.at(-1)?.connected).toBe(true));
    expect(adapters.map((a) => a.capabilities.trading)).toEqual([false, true]);
    await sup.stop();
  });
});
