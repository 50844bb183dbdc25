/**
 * A cold start runs independent steps together: the audit log's restore, the supervisor's restore, reading the
 * accounts, decrypting their secrets and building their adapters. What must come first still does: nothing is
 * counted twice, no adapter connects (no update is taken in, nothing evaluated or acted on) before the trading state
 * is restored from the database, and the vault's rules are unchanged.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { createVaultService } from '@/lib/background/vault-service';
import { createSupervisor } from '@/lib/background/supervisor/supervisor';
import { RISK_STATE_KEY, loadPeriodStarts, loadRiskState, ensurePeriodStarts, periodStartKey } from '@/lib/background/supervisor/persist';
import type { AdapterConfig } from '@/lib/exchanges/types';
import { initialRiskState, parseRiskSettings, type RiskState } from '@/lib/risk';
import { RingfenceDb, type AccountRow } from '@/lib/store/db';
import { FakeAdapter } from '../helpers/fake-adapter';
import { memorySession, testBackground } from '../helpers/fake-runtime';
import { auditRows } from '../helpers/audit-rows';
import { storeAudit } from '@/lib/store/audit';
import { accountRow } from '../helpers/account-row';

const T0 = Date.UTC(2026, 10, 20, 12);
const ADDR = '0x' + 'cd'.repeat(20);
const freshDb = () => new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });

const account: AccountRow = accountRow({ accountId: ADDR, createdAt: T0 - 1000 });

describe('cold start: the audit log', () => {
  it('appends made before the log is restored are each counted once, after worker.started, in call order', async () => {
    const db = freshDb();
    await storeAudit(db, [1, 2, 3].map((i) => ({ ts: i, kind: 'old', severity: 'info' as const, message: `old ${i}` })));
    const { bg } = testBackground({ db, now: () => T0 });
    // Issued at once, as the loop does when it writes while storage is still being read.
    const early = [bg.audit('early.a', 'info', 'a'), bg.audit('early.b', 'warning', 'b', { n: 1 }, { account: account.id })];
    await bg.ready;
    await Promise.all(early);
    expect((await auditRows(db)).map((r) => r.kind)).toEqual(['old', 'old', 'old', 'worker.started', 'early.a', 'early.b']);
    const view = bg.viewState();
    expect(view.audit.count).toBe(6);
    expect(view.audit.recent.map((e) => e.kind)).toEqual(['early.b', 'early.a', 'worker.started', 'old', 'old', 'old']);
    expect(view.audit.recent[0]).toEqual({ id: 6, ts: T0, kind: 'early.b', severity: 'warning', message: 'b', data: { n: 1 }, account: account.id });
  });
});

describe('cold start: the supervisor', () => {
  it('a heartbeat while an account is being started (its secret still being read) starts no second adapter', async () => {
    const db = freshDb();
    await db.accounts.put(account);
    let giveSecret = () => {};
    const secretGate = new Promise<void>((r) => (giveSecret = r));
    const adapters: FakeAdapter[] = [];
    const sup = createSupervisor({
      db,
      now: () => T0,
      secretOf: async () => {
        await secretGate;
        return '0x' + '11'.repeat(32);
      },
      makeAdapter: (config: AdapterConfig) => {
        const a = new FakeAdapter(config);
        adapters.push(a);
        return a;
      },
      audit: async () => undefined,
      settings: async () => parseRiskSettings({}),
      changed: () => {},
      log: () => {},
    });
    const started = sup.start();
    await sup.ready;
    await new Promise((r) => setTimeout(r, 10));
    await sup.heartbeat(); // the account has no adapter yet: only the start in flight may build one
    giveSecret();
    await started;
    await vi.waitFor(() => expect(adapters[0]?.connected).toBe(true));
    await sup.settled();
    expect(adapters).toHaveLength(1);
    await sup.stop();
  });

  it('decrypts the secret and builds the adapter while the state is restored, and connects only after the restore', async () => {
    const db = freshDb();
    await db.accounts.put(account);
    // A stored state the loop must see before any update arrives (a marker in it is checked at connect).
    const stored: RiskState = { ...initialRiskState(), strategyBaselines: { 'grid-1': 123 } };
    await db.meta.put({ key: RISK_STATE_KEY, value: stored });
    let openRestore = () => {};
    const restoreGate = new Promise<void>((r) => (openRestore = r));
    const steps: string[] = [];
    const adapters: FakeAdapter[] = [];
    const sup = createSupervisor({
      db,
      now: () => T0,
      secretOf: async () => {
        steps.push('secret');
        return '0x' + '11'.repeat(32);
      },
      makeAdapter: (config: AdapterConfig) => {
        steps.push('build');
        const a = new FakeAdapter(config);
        const connect = a.connect.bind(a);
        a.connect = async () => {
          // What the loop knows when the first update can arrive: the stored state, exactly.
          steps.push(`connect:${JSON.stringify(sup.state().strategyBaselines)}`);
          return connect();
        };
        adapters.push(a);
        return a;
      },
      audit: async () => undefined,
      // The restore waits for the settings: held open here, so the start runs while it is under way.
      settings: async () => {
        await restoreGate;
        steps.push('settings');
        return parseRiskSettings({});
      },
      changed: () => {},
      log: () => {},
    });
    const started = sup.start();
    await vi.waitFor(() => expect(steps).toEqual(['secret', 'build']));
    // Still restoring: built, not connected, nothing subscribed, nothing evaluated.
    await new Promise((r) => setTimeout(r, 20));
    expect(steps).toEqual(['secret', 'build']);
    expect(adapters[0]!.connected).toBe(false);
    expect(sup.view()).toBeNull();
    openRestore();
    await started;
    await vi.waitFor(() => expect(adapters[0]!.connected).toBe(true));
    expect(steps).toEqual(['secret', 'build', 'settings', 'connect:{"grid-1":123}']);
    expect(adapters).toHaveLength(1);
    await sup.settled();
    expect(sup.view()?.accounts.map((a) => a.status)).toEqual(['live']);
    await sup.stop();
  });

  it('a restore that fails starts no adapter', async () => {
    const db = freshDb();
    await db.accounts.put(account);
    const adapters: FakeAdapter[] = [];
    const sup = createSupervisor({
      db,
      now: () => T0,
      secretOf: async () => null,
      makeAdapter: (config: AdapterConfig) => {
        const a = new FakeAdapter(config);
        adapters.push(a);
        return a;
      },
      audit: async () => undefined,
      settings: () => Promise.reject(new Error('storage unavailable')),
      changed: () => {},
      log: () => {},
    });
    sup.ready.catch(() => undefined);
    await expect(sup.start()).rejects.toThrow('storage unavailable');
    await new Promise((r) => setTimeout(r, 20));
    expect(adapters.every((a) => !a.connected)).toBe(true);
    await sup.stop();
  });
});

describe('cold start: period start values', () => {
  const bounds = { daily: { start: T0 - 3_600_000 }, weekly: { start: T0 - 86_400_000 }, monthly: { start: T0 - 10 * 86_400_000 } };
  const snap = (equity: number) => ({ venue: 'hyperliquid' as const, accountId: ADDR, equity, walletBalance: equity, availableBalance: equity, marginUsed: 0, unrealizedPnl: 0, time: T0 });

  it('are read back for accounts with all three stored, as the first evaluation would have read them', async () => {
    const db = freshDb();
    const recorded = await ensurePeriodStarts(db, account.id, snap(10_000), bounds, T0 - 60_000);
    // Another account with only its daily value stored is left to its first evaluation.
    await db.periodStarts.put({ key: periodStartKey('binance:b', 'daily', bounds.daily.start), account: 'binance:b', period: 'daily', start: bounds.daily.start, equity: 5, walletBalance: 5, recordedAt: T0 });
    const loaded = await loadPeriodStarts(db, [account.id, 'binance:b', 'binance:none'], bounds);
    expect(loaded).toEqual({ [account.id]: recorded });
    // The values stay the first ones: a later snapshot does not move them.
    expect(await ensurePeriodStarts(db, account.id, snap(9_000), bounds, T0)).toEqual(recorded);
    expect(recorded.daily).toEqual({ equity: 10_000, walletBalance: 10_000, at: T0 - 60_000 });
  });
});

describe('cold start: the vault', () => {
  it('reads the key and the record together, yet a locked vault still gives nothing and an unreadable record fails only when unlocked', async () => {
    const db = freshDb();
    const session = memorySession();
    const vault = createVaultService({ db, session, now: () => T0 });
    await vault.create('correct horse battery staple');
    await vault.putSecret('account:x', 'the secret');
    expect(await vault.getSecret('account:x')).toBe('the secret');
    await db.meta.put({ key: 'vault', value: { broken: true } });
    await expect(vault.getSecret('account:x')).rejects.toThrow('The stored vault is not readable');
    await vault.lock();
    expect(await vault.getSecret('account:x')).toBeNull();
  });
});

describe('stored risk state', () => {
  it('a state written before cash flows were recorded loads with none; a malformed flow record is reported and not used', async () => {
    const db = freshDb();
    const { cashFlows: _none, ...old } = { ...initialRiskState(), peaks: { 'binance:main': 12_000 } };
    await db.meta.put({ key: RISK_STATE_KEY, value: old });
    expect(await loadRiskState(db)).toEqual({ value: { ...old, cashFlows: {} }, problem: null });
    const flows = { 'binance:main': [{ id: 'w', amount: -5, asset: 'USDT', kind: 'WITHDRAW', time: T0, at: T0 }] };
    await db.meta.put({ key: RISK_STATE_KEY, value: { ...old, cashFlows: flows } });
    expect((await loadRiskState(db)).value.cashFlows).toEqual(flows);
    await db.meta.put({ key: RISK_STATE_KEY, value: { ...old, cashFlows: { 'binance:main': [{ id: 'w', amount: 'lots' }] } } });
    const bad = await loadRiskState(db);
    expect(bad.value).toEqual(initialRiskState());
    expect(bad.problem).toContain('cashFlows.binance:main.0.amount');
  });
});
