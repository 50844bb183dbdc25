import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createBackground } from '@/lib/background/service';
import { createAdapter } from '@/lib/exchanges/factory';
import type { ServerPort } from '@/lib/messaging/hub';
import { RingfenceDb } from '@/lib/store/db';

const VAULT_LOCK_ALARM = 'vault-lock';
const HEARTBEAT_ALARM = 'heartbeat';
const WAKE_ALARM = 'risk-wake';
/** Chrome's shortest alarm period. Websocket traffic keeps the worker alive in between. */
const HEARTBEAT_MIN = 0.5;
const NOTIFICATION_PREFIX = 'rf-audit-';

// Wiring only: listeners are registered synchronously so the events that wake the worker are delivered.
export default defineBackground(() => {
  const session = browser.storage.session;
  const db = new RingfenceDb();
  const bg = createBackground({
    db,
    // storage.session is memory-only and, by default, closed to content scripts: the unlocked vault key lives here.
    session: {
      get: async (key) => (await session.get(key))[key],
      set: (key, value) => session.set({ [key]: value }),
      remove: (key) => session.remove(key),
    },
    onVaultLockAt: (lockAt) => {
      if (lockAt === null) void browser.alarms.clear(VAULT_LOCK_ALARM);
      else void browser.alarms.create(VAULT_LOCK_ALARM, { when: lockAt });
    },
    makeAdapter: createAdapter,
    now: Date.now,
    sender: { extensionId: browser.runtime.id, extensionBaseUrl: browser.runtime.getURL('/') },
    log: (line) => console.warn(line),
    notify: (n) => {
      // The id carries the audit entry, so a click opens the Activity page at it.
      const id = n.auditId !== null ? `${NOTIFICATION_PREFIX}${n.auditId}` : n.id;
      void browser.notifications.create(id, {
        type: 'basic',
        iconUrl: browser.runtime.getURL('/icon/128.png'),
        title: n.title,
        message: n.message,
        priority: n.severity === 'emergency' ? 2 : n.severity === 'critical' ? 1 : 0,
        requireInteraction: n.severity === 'emergency',
      });
    },
    setBadge: (b) => {
      void browser.action.setBadgeText({ text: b.text });
      void browser.action.setBadgeBackgroundColor({ color: b.color });
      void browser.action.setTitle({ title: b.title });
    },
    wakeAt: (when) => {
      if (when === null) void browser.alarms.clear(WAKE_ALARM);
      else void browser.alarms.create(WAKE_ALARM, { when: Math.max(when, Date.now() + 1000) });
    },
    uptime: () => performance.now(),
  });
  // Test builds only: the e2e specs and the benchmarks reach the store and the loop from the worker.
  if (import.meta.env.MODE === 'e2e') Object.assign(globalThis, { ringfence: { bg, db } });
  void browser.alarms.get(HEARTBEAT_ALARM).then((a) => {
    if (!a) void browser.alarms.create(HEARTBEAT_ALARM, { periodInMinutes: HEARTBEAT_MIN });
  });
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    void bg.handleMessage(message, sender).then(sendResponse);
    return true;
  });
  browser.runtime.onConnect.addListener((port) => bg.attachPort(port as unknown as ServerPort));
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === VAULT_LOCK_ALARM) void bg.vault.expire();
    // Waking the worker is most of the work: the loop restarts with it; the heartbeat re-checks freshness.
    if (alarm.name === HEARTBEAT_ALARM || alarm.name === WAKE_ALARM) void bg.started.then(() => bg.supervisor.heartbeat());
  });
  browser.notifications.onClicked.addListener((id) => {
    const auditId = id.startsWith(NOTIFICATION_PREFIX) ? id.slice(NOTIFICATION_PREFIX.length) : null;
    void browser.tabs.create({ url: browser.runtime.getURL(`/options.html#activity${auditId ? `?event=${auditId}` : ''}`) });
    void browser.notifications.clear(id);
  });
});
