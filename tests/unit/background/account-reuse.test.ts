/**
 * The reviewer's scenario end to end: the testnet "Main" (15,000) is removed and the real "Main" (2,000) added the same
 * day. The new account must start from its own values: no inherited day start or peak (an 87% daily loss and
 * drawdown, an emergency that flattens in enforce mode).
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import type { AdapterConfig } from '@/lib/exchanges/types';
import { accountAdd, accountRemove, vaultCreate } from '@/lib/messaging/account-requests';
import { request } from '@/lib/messaging/client';
import { RingfenceDb } from '@/lib/store/db';
import { FakeAdapter } from '../helpers/fake-adapter';
import { extensionSender, fakeRuntime, memorySession, testBackground } from '../helpers/fake-runtime';

const T0 = Date.UTC(2026, 10, 20, 12);

describe('an account removed and another added under its label the same day', { timeout: 60_000 }, () => {
  it('the new account starts from its own equity: no inherited day start, peak or emergency', async () => {
    const db = new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
    const clock = { t: T0 };
    const equity = { next: 15_000 };
    const adapters: FakeAdapter[] = [];
    const { bg } = testBackground({
      db,
      session: memorySession(),
      now: () => clock.t,
      supervise: true,
      makeAdapter: (config: AdapterConfig) => {
        const a = new FakeAdapter(config, { equity: equity.next });
        adapters.push(a);
        return a;
      },
    });
    const { runtime } = fakeRuntime(() => bg, extensionSender('options.html'));
    await bg.started;
    expect((await request(runtime, vaultCreate, { passphrase: 'a long enough passphrase' })).ok).toBe(true);
    const main = { venue: 'binance' as const, label: 'Main', apiKey: 'k'.repeat(20), apiSecret: 's'.repeat(20), mode: 'enforce' as const, network: 'testnet' as const };
    expect(await request(runtime, accountAdd, main)).toMatchObject({ ok: true, data: { id: 'binance:main' } });
    await vi.waitFor(() => expect(bg.viewState().risk.accounts.find((a) => a.key === 'binance:main')).toMatchObject({ status: 'live', equity: 15_000 }));
    await vi.waitFor(async () => expect(await db.periodStarts.where('account').equals('binance:main').count()).toBe(3));

    expect((await request(runtime, accountRemove, { id: 'binance:main' })).ok).toBe(true);
    clock.t += 60_000;
    equity.next = 2_000;
    const added = await request(runtime, accountAdd, { ...main, apiKey: 'm'.repeat(20), network: 'mainnet' });
    const id = added.ok ? added.data.id : '';
    await vi.waitFor(() => expect(bg.viewState().risk.accounts.map((a) => [a.key, a.status, a.equity])).toEqual([[id, 'live', 2_000]]));
    await bg.supervisor.settled();
    await vi.waitFor(async () => expect(await db.periodStarts.where('account').equals(id).count()).toBe(3));
    const view = bg.viewState().risk.accounts[0]!;
    expect([view.dayPnl, view.dayLossPct, view.drawdownPct, view.trading]).toEqual([0, 0, 0, 'ACTIVE']);
    expect(bg.viewState().risk.findings.filter((f) => f.severity === 'emergency')).toEqual([]);
    // Nothing was asked of the venue on the new account.
    expect(adapters.at(-1)!.closes).toEqual([]);
    expect(id).toBe('binance:main~2');
    await bg.supervisor.stop();
    db.close();
  });
});
