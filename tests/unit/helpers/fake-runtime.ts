/**
 * In-memory stand-ins for runtime ports and sendMessage, linked to a real background service. Messages are
 * structured-cloned on the way, as the browser does, so nothing passes by reference.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createBackground, type BackgroundDeps } from '@/lib/background/service';
import type { PortLike, RuntimeLike } from '@/lib/messaging/client';
import { RingfenceDb } from '@/lib/store/db';
import type { ServerPort } from '@/lib/messaging/hub';
import type { SenderLike } from '@/lib/messaging/sender';

type Listener<T extends unknown[]> = (...args: T) => void;
function event<T extends unknown[]>() {
  const ls = new Set<Listener<T>>();
  return {
    addListener: (l: Listener<T>) => void ls.add(l),
    emit: (...args: T) => ls.forEach((l) => l(...args)),
  };
}

export interface PortPair {
  client: PortLike;
  server: ServerPort;
  /** Simulates the browser closing the channel (worker stopped, tab closed). */
  drop(): void;
}

export function portPair(name: string, sender: SenderLike): PortPair {
  const toServer = event<[unknown]>();
  const toClient = event<[unknown]>();
  const clientGone = event<[]>();
  const serverGone = event<[]>();
  let open = true;
  const close = (notifyClient: boolean, notifyServer: boolean) => {
    if (!open) return;
    open = false;
    // The browser reports a disconnect asynchronously, never inside the call that caused it.
    queueMicrotask(() => {
      if (notifyClient) clientGone.emit();
      if (notifyServer) serverGone.emit();
    });
  };
  const deliver = (e: { emit: (m: unknown) => void }, m: unknown) => {
    if (!open) throw new Error('Attempting to use a disconnected port object');
    const copy = structuredClone(m);
    queueMicrotask(() => open && e.emit(copy));
  };
  const client: PortLike = {
    name,
    postMessage: (m) => deliver(toServer, m),
    disconnect: () => close(false, true),
    onMessage: toClient,
    onDisconnect: clientGone,
  };
  const server: ServerPort = {
    name,
    sender,
    postMessage: (m) => deliver(toClient, m),
    disconnect: () => close(true, false),
    onMessage: toServer,
    onDisconnect: serverGone,
  };
  return { client, server, drop: () => close(true, true) };
}

export interface BackgroundLike {
  handleMessage(raw: unknown, sender: SenderLike | undefined): Promise<unknown>;
  attachPort(port: ServerPort): void;
}

export const EXT_ID = 'abcdefghijklmnopabcdefghijklmnop';
export const EXT_BASE = `chrome-extension://${EXT_ID}/`;
export const extensionSender = (page = 'popup.html'): SenderLike => ({ id: EXT_ID, url: EXT_BASE + page });
export const contentSender = (url: string, tabId = 7): SenderLike => ({ id: EXT_ID, url, tab: { id: tabId }, frameId: 0 });

/** A runtime for one context (popup, options or a tab's content script) talking to `bg`. */
export function fakeRuntime(bg: () => BackgroundLike, sender: SenderLike) {
  const pairs: PortPair[] = [];
  const runtime: RuntimeLike = {
    sendMessage: async (m) => structuredClone(await bg().handleMessage(structuredClone(m), sender)),
    connect: ({ name }) => {
      const pair = portPair(name, sender);
      pairs.push(pair);
      bg().attachPort(pair.server);
      return pair.client;
    },
  };
  return { runtime, pairs, dropAll: () => pairs.forEach((p) => p.drop()) };
}

/** Resolves after pending microtasks and timers of `ms` have run. */
export const settle = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** chrome.storage.session stand-in: memory only, values cloned as the browser does. */
export function memorySession() {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (k: string) => structuredClone(data.get(k)),
    set: async (k: string, v: unknown) => void data.set(k, structuredClone(v)),
    remove: async (k: string) => void data.delete(k),
  };
}

/** A background service on a fresh in-memory database, as the unit tests use it. */
export function testBackground(over: Partial<BackgroundDeps> & { db?: RingfenceDb } = {}) {
  const deps: BackgroundDeps = {
    db: over.db ?? new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange }),
    session: over.session ?? memorySession(),
    now: over.now ?? Date.now,
    sender: { extensionId: EXT_ID, extensionBaseUrl: EXT_BASE },
    log: over.log ?? (() => {}),
    makeAdapter:
      over.makeAdapter ??
      (() => {
        throw new Error('this test connects to no exchange');
      }),
    // The risk loop connects accounts: only the tests of the loop switch it on.
    supervise: over.supervise ?? false,
    ...(over.notify ? { notify: over.notify } : {}),
    ...(over.setBadge ? { setBadge: over.setBadge } : {}),
    ...(over.wakeAt ? { wakeAt: over.wakeAt } : {}),
  };
  return { bg: createBackground(deps), deps };
}
