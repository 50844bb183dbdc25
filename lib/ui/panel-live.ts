/**
 * A trading page's one link to the background: the push channel the guard and the panel share (lib/messaging/client
 * connectView and lib/ui/live-view, without the zod schemas: pushes are checked with lib/pages/view-check, and the
 * guard's reports are sent without waiting for their answer). One port per tab: the state is parsed once per push.
 * The page is reported on this port while the tab is on a trading page; leaving it closes the port (the background
 * forgets the page with it) and opens a new one that reports nothing.
 */
import { signal, type Signal } from '@preact/signals';
import type { PortLike, RuntimeLike } from '../messaging/client';
import type { PageReport, ViewState } from '../messaging/protocol';
import type { ConnectionStatus } from './live-view';
import { isViewState } from '../pages/view-check';

/** lib/messaging/protocol PROTOCOL_VERSION and VIEW_PORT (a test keeps them equal: importing them would bundle zod). */
export const PROTOCOL_VERSION = 1;
export const VIEW_PORT = 'ringfence:view';

export interface PageLive {
  state: Signal<ViewState | null>;
  status: Signal<ConnectionStatus>;
  /** The trading page this tab is on (again after every reconnect); null when it left one. */
  reportPage(page: PageReport | null): void;
  /** Sends a request to the background and forgets it (the guard's audit reports). */
  send(type: string, data: unknown): void;
  close(): void;
}

export function createPageLive(runtime: RuntimeLike, schedule: (fn: () => void, ms: number) => unknown = setTimeout): PageLive {
  const state = signal<ViewState | null>(null);
  const status = signal<ConnectionStatus>('connecting');
  let page: PageReport | null = null;
  let reported = false;
  let port: PortLike | null = null;
  let closed = false;
  let attempt = 0;

  const post = (p: PortLike, m: unknown) => {
    try {
      p.postMessage(m);
    } catch {
      // Disconnected: onDisconnect reconnects and reports the page again.
    }
  };
  const open = () => {
    if (closed) return;
    status.value = 'connecting';
    let p: PortLike;
    try {
      p = port = runtime.connect({ name: VIEW_PORT });
    } catch {
      return retry();
    }
    p.onMessage.addListener((raw) => {
      const msg = raw as { type?: unknown; data?: unknown } | null;
      if (!msg || msg.type !== 'state' || !isViewState(msg.data)) return; // a newer or broken background: ignored
      attempt = 0;
      status.value = 'live';
      const next = msg.data;
      // Pushes can overtake each other across a reconnect; never go back to an older revision of one worker.
      const cur = state.peek();
      if (!cur || cur.workerStartedAt !== next.workerStartedAt || next.rev >= cur.rev) state.value = next;
    });
    p.onDisconnect.addListener(() => {
      if (port !== p) return;
      port = null;
      if (!closed) retry();
    });
    post(p, { type: 'hello', data: { view: 'panel' } });
    reported = page !== null;
    if (page) post(p, { type: 'page', data: page });
  };
  const retry = () => {
    status.value = 'lost';
    attempt += 1;
    schedule(open, Math.min(100 * 2 ** (attempt - 1), 5000));
  };
  open();

  return {
    state,
    status,
    reportPage(next) {
      page = next;
      if (!port) return;
      if (next) {
        reported = true;
        post(port, { type: 'page', data: next });
      } else if (reported) {
        // The port is the page's registration: a new one without a page.
        const p = port;
        port = null;
        p.disconnect();
        open();
      }
    },
    send(type, data) {
      try {
        runtime.sendMessage({ rf: PROTOCOL_VERSION, type, data }).catch(() => undefined);
      } catch {
        // The extension was reloaded under the page: nothing to send to.
      }
    },
    close() {
      closed = true;
      port?.disconnect();
      port = null;
    },
  };
}
