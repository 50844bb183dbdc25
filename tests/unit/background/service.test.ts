import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import type { Background } from '@/lib/background/service';
import { connectView, request } from '@/lib/messaging/client';
import { stateGet } from '@/lib/messaging/requests';
import { RingfenceDb } from '@/lib/store/db';
import { createLiveView } from '@/lib/ui/live-view';
import { contentSender, extensionSender, fakeRuntime, memorySession, settle, testBackground } from '../helpers/fake-runtime';

function setup(db = new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange })) {
  let t = 1_000;
  const log = vi.fn();
  const session = memorySession();
  let bg: Background = testBackground({ db, session, now: () => (t += 1), log }).bg;
  const get = () => bg;
  return {
    db,
    log,
    get,
    /** A new worker on the same database, as after MV3 stops the service worker. */
    restart() {
      bg = testBackground({ db, session, now: () => (t += 1), log }).bg;
      return bg;
    },
  };
}

const BTC = 'https://www.binance.com/en/futures/BTCUSDT';

describe('background service', () => {
  it('records its start and answers state.get after restoring', async () => {
    const s = setup();
    const popup = fakeRuntime(s.get, extensionSender());
    const res = await request(popup.runtime, stateGet, {});
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.data.audit.count).toBe(1);
    expect(res.data.audit.recent[0]).toMatchObject({ kind: 'worker.started', message: 'Background worker started.' });
  });

  it('round trip: a panel reports its page -> Dexie -> every open view', async () => {
    const s = setup();
    const popup = createLiveView(fakeRuntime(s.get, extensionSender('popup.html')).runtime, 'popup');
    const options = createLiveView(fakeRuntime(s.get, extensionSender('options.html')).runtime, 'options');
    await vi.waitFor(() => expect(popup.state.value?.pages).toEqual([]));

    const tab = fakeRuntime(s.get, contentSender(BTC, 42));
    const panel = createLiveView(tab.runtime, 'panel');
    panel.reportPage({ venue: 'binance', symbol: 'BTCUSDT', url: BTC });
    await vi.waitFor(() => expect(options.state.value?.pages).toHaveLength(1));

    const stored = await s.db.pages.toArray();
    expect(stored).toMatchObject([{ key: '42', tabId: 42, venue: 'binance', symbol: 'BTCUSDT', url: BTC }]);
    for (const view of [popup, options, panel]) {
      expect(view.status.value).toBe('live');
      expect(view.state.value?.pages.map((p) => p.symbol)).toEqual(['BTCUSDT']);
      expect(view.state.value?.audit.recent[0]?.message).toBe('Panel attached on Binance BTCUSDT.');
    }

    // Coin switch without reload: same tab, new symbol.
    panel.reportPage({ venue: 'binance', symbol: 'ETHUSDT', url: 'https://www.binance.com/en/futures/ETHUSDT' });
    await vi.waitFor(() => expect(options.state.value?.audit.recent[0]?.kind).toBe('page.symbol'));
    expect(popup.state.value?.pages.map((p) => p.symbol)).toEqual(['ETHUSDT']);
    expect(options.state.value?.audit.recent[0]?.message).toBe('Binance page switched BTCUSDT -> ETHUSDT.');
    expect((await s.db.pages.get('42'))?.symbol).toBe('ETHUSDT');

    // Tab closes: the page goes from Dexie and from every view.
    tab.dropAll();
    await vi.waitFor(() => expect(popup.state.value?.audit.recent[0]?.kind).toBe('page.detached'));
    expect(await s.db.pages.count()).toBe(0);
    expect(popup.state.value?.pages).toEqual([]);
    expect(popup.state.value?.audit.recent[0]?.message).toBe('Panel closed on Binance ETHUSDT.');
  });

  it('refuses a panel that claims another venue, and a page that claims to be a panel', async () => {
    const s = setup();
    const tab = fakeRuntime(s.get, contentSender(BTC, 3));
    const panel = createLiveView(tab.runtime, 'panel');
    panel.reportPage({ venue: 'hyperliquid', symbol: 'BTC', url: 'https://app.hyperliquid.xyz/trade/BTC' });
    await vi.waitFor(() => expect(panel.lastError.value).not.toBeNull());
    expect(panel.lastError.value).toEqual({ code: 'forbidden', message: 'A binance page cannot report itself as hyperliquid.' });
    expect(await s.db.pages.count()).toBe(0);

    const fake = createLiveView(fakeRuntime(s.get, extensionSender()).runtime, 'panel');
    await vi.waitFor(() => expect(fake.lastError.value).not.toBeNull());
    expect(fake.lastError.value).toEqual({ code: 'forbidden', message: 'A extension sender cannot open a panel view.' });
    expect(fake.state.value).toBeNull();
  });

  it('answers malformed port messages with an error and keeps serving', async () => {
    const s = setup();
    const popup = fakeRuntime(s.get, extensionSender());
    const port = popup.runtime.connect({ name: 'ringfence:view' });
    const got: unknown[] = [];
    port.onMessage.addListener((m) => got.push(m));
    port.postMessage({ type: 'hello', data: { view: 'popup', extra: 1 } });
    port.postMessage('garbage');
    port.postMessage({ type: 'hello', data: { view: 'popup' } });
    await vi.waitFor(() => expect(got).toHaveLength(3));
    expect(got.map((m) => (m as { type: string }).type)).toEqual(['error', 'error', 'state']);
    expect(s.log).toHaveBeenCalledTimes(1); // the same refusal is logged once
  });

  it('ignores ports with another name and refuses ports from unknown senders', async () => {
    const s = setup();
    const other = fakeRuntime(s.get, { id: 'evil', url: 'https://example.com/' });
    const gone = vi.fn();
    const port = other.runtime.connect({ name: 'ringfence:view' });
    port.onDisconnect.addListener(gone);
    await vi.waitFor(() => expect(gone).toHaveBeenCalledOnce());
  });

  it('a panel reconnects to a restarted worker and reports its page again', async () => {
    const s = setup();
    const tab = fakeRuntime(s.get, contentSender(BTC, 9));
    const panel = createLiveView(tab.runtime, 'panel', (fn) => setTimeout(fn, 0));
    panel.reportPage({ venue: 'binance', symbol: 'BTCUSDT', url: BTC });
    await vi.waitFor(() => expect(panel.state.value?.pages).toHaveLength(1));
    const firstStart = panel.state.value?.workerStartedAt;

    s.restart();
    tab.dropAll(); // the old worker's ports die with it
    await vi.waitFor(() => expect(panel.state.value?.audit.count).toBe(4));
    expect(panel.status.value).toBe('live');
    expect(panel.state.value?.workerStartedAt).not.toBe(firstStart);
    expect(panel.state.value?.pages.map((p) => p.symbol)).toEqual(['BTCUSDT']);
    expect(await s.db.pages.count()).toBe(1);
    expect(panel.state.value?.audit.count).toBe(4); // start, attach, restart, re-attach
  });

  it('a late close of an old panel port does not remove the newer panel of the same tab', async () => {
    const s = setup();
    const tab = fakeRuntime(s.get, contentSender(BTC, 11));
    const first = createLiveView(tab.runtime, 'panel');
    first.reportPage({ venue: 'binance', symbol: 'BTCUSDT', url: BTC });
    await vi.waitFor(() => expect(first.state.value?.pages).toHaveLength(1));
    const second = createLiveView(tab.runtime, 'panel');
    second.reportPage({ venue: 'binance', symbol: 'BTCUSDT', url: BTC });
    await vi.waitFor(() => expect(second.state.value?.pages).toHaveLength(1));
    first.close();
    await settle(20);
    expect(second.state.value?.pages.map((p) => p.tabId)).toEqual([11]);
    expect(await s.db.pages.count()).toBe(1);
  });

  it('connectView retries with growing delays while the worker is unreachable', () => {
    const delays: number[] = [];
    const queue: (() => void)[] = [];
    const runtime = {
      sendMessage: async () => undefined,
      connect: () => {
        throw new Error('Could not establish connection. Receiving end does not exist.');
      },
    };
    const statuses: string[] = [];
    connectView(runtime, {
      view: 'popup',
      onMessage: () => {},
      onStatus: (st) => statuses.push(st),
      schedule: (fn, ms) => {
        delays.push(ms);
        queue.push(fn);
      },
    });
    for (let i = 0; i < 8; i++) queue.shift()?.();
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
    expect(statuses.slice(0, 2)).toEqual(['connecting', 'lost']);
  });

  it('request() reports an unreachable background and a bad answer as errors, not throws', async () => {
    const down = { sendMessage: () => Promise.reject(new Error('Receiving end does not exist.')), connect: () => { throw new Error(); } };
    expect(await request(down, stateGet, {})).toEqual({
      ok: false,
      error: { code: 'unreachable', message: 'Receiving end does not exist.' },
    });
    const odd = { sendMessage: async () => ({ ok: true, data: { rev: 'x' } }), connect: () => { throw new Error(); } };
    const res = await request(odd, stateGet, {});
    expect(res).toMatchObject({ ok: false, error: { code: 'bad_response', message: 'Invalid answer to "state.get".' } });
  });
});
