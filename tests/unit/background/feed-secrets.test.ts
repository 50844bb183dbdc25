/**
 * The Binance user stream's URL holds its listenKey, and ccxt puts the URL in its timeout errors: what the adapter
 * reports from such an error must reach no audit entry, view, push, guard envelope, export or report with the key.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { RequestTimeout } from '../../../node_modules/ccxt/js/src/base/errors.js';
import { toExchangeError } from '@/lib/exchanges/binance/errors';
import type { AdapterConfig } from '@/lib/exchanges/types';
import { accountAdd, vaultCreate } from '@/lib/messaging/account-requests';
import { auditExport, riskReport } from '@/lib/messaging/activity-requests';
import { request } from '@/lib/messaging/client';
import { auditList } from '@/lib/messaging/requests';
import { RingfenceDb } from '@/lib/store/db';
import { FakeAdapter } from '../helpers/fake-adapter';
import { extensionSender, fakeRuntime, memorySession, testBackground } from '../helpers/fake-runtime';

const T0 = Date.UTC(2026, 10, 20, 12);
const LISTEN_KEY = 'pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1';
const LOST =
  'connection lost (user stream: binance: Connection to wss://fstream.binance.com/private/ws?… timed out due to a ping-pong keepalive missing on time)';

describe('a user-stream timeout', { timeout: 60_000 }, () => {
  it('reaches the audit log, the views, the guard envelope, the exports and the risk report without the listenKey', async () => {
    const db = new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
    const adapters: FakeAdapter[] = [];
    const { bg } = testBackground({
      db,
      session: memorySession(),
      now: () => T0,
      supervise: true,
      makeAdapter: (config: AdapterConfig) => {
        const a = new FakeAdapter(config);
        adapters.push(a);
        return a;
      },
    });
    const { runtime } = fakeRuntime(() => bg, extensionSender('options.html'));
    await bg.started;
    expect((await request(runtime, vaultCreate, { passphrase: 'a long enough passphrase' })).ok).toBe(true);
    expect((await request(runtime, accountAdd, { venue: 'binance', label: 'Main', apiKey: 'k'.repeat(20), apiSecret: 's'.repeat(20), mode: 'monitor' })).ok).toBe(true);
    await vi.waitFor(() => expect(adapters[0]?.connected).toBe(true));
    await bg.supervisor.settled();
    // What ccxt's ws client throws, and what the adapter's stream loop reports of it.
    const thrown = new RequestTimeout(`Connection to wss://fstream.binance.com/private/ws?listenKey=${LISTEN_KEY} timed out due to a ping-pong keepalive missing on time`);
    adapters[0]!.emit({ type: 'connection', state: 'reconnecting', reason: `user stream: ${toExchangeError(thrown).message}` });
    await bg.supervisor.settled();

    const lost = await request(runtime, auditList, { limit: 50 });
    expect(lost.ok && lost.data.filter((e) => e.kind === 'feed.lost').map((e) => e.message)).toEqual([`Binance account Main: ${LOST}; reconnecting.`]);
    const state = bg.viewState();
    expect(state.risk.accounts.map((a) => a.statusText)).toEqual([LOST]);
    expect(state.risk.guard?.accounts.map((a) => a.feedError)).toEqual([LOST]);
    const pushed = [JSON.stringify(state), JSON.stringify(lost)];
    for (const format of ['csv', 'json'] as const) {
      const file = await request(runtime, auditExport, { filter: {}, format });
      expect(file.ok && file.data.body).toContain('ping-pong');
      pushed.push(JSON.stringify(file));
    }
    const report = await request(runtime, riskReport, {});
    expect(report.ok && report.data.body).toContain(`  Feed: reconnecting (${LOST})`);
    pushed.push(JSON.stringify(report));
    for (const text of pushed) expect(text).not.toContain(LISTEN_KEY);
    await bg.supervisor.stop();
    db.close();
  });
});
