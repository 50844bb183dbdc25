import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createBackground } from '@/lib/background/service';
import { createAdapter } from '@/lib/exchanges/factory';
import type { ServerPort } from '@/lib/messaging/hub';
import { RingfenceDb } from '@/lib/store/db';

const VAULT_LOCK_ALARM = 'vault-lock';

// Wiring only: listeners are registered synchronously so the events that wake the worker are delivered.
export default defineBackground(() => {
  const session = browser.storage.session;
  const bg = createBackground({
    db: new RingfenceDb(),
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
  });
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    void bg.handleMessage(message, sender).then(sendResponse);
    return true;
  });
  browser.runtime.onConnect.addListener((port) => bg.attachPort(port as unknown as ServerPort));
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === VAULT_LOCK_ALARM) void bg.vault.expire();
  });
});
