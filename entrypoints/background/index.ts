import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createBackground } from '@/lib/background/service';
import type { ServerPort } from '@/lib/messaging/hub';
import { RingfenceDb } from '@/lib/store/db';

// Wiring only: listeners are registered synchronously so the events that wake the worker are delivered.
export default defineBackground(() => {
  const bg = createBackground({
    db: new RingfenceDb(),
    now: Date.now,
    sender: { extensionId: browser.runtime.id, extensionBaseUrl: browser.runtime.getURL('/') },
    log: (line) => console.warn(line),
  });
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    void bg.handleMessage(message, sender).then(sendResponse);
    return true;
  });
  browser.runtime.onConnect.addListener((port) => bg.attachPort(port as unknown as ServerPort));
});
