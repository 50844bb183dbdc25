import { signal, type Signal } from '@preact/signals';
import { connectView, type RuntimeLike, type ViewConnectionOptions } from '../messaging/client';
import type { MessageError, PageReport, ViewKind, ViewState, ViewToBackground } from '../messaging/protocol';

export type ConnectionStatus = 'connecting' | 'live' | 'lost';

export interface LiveView {
  state: Signal<ViewState | null>;
  status: Signal<ConnectionStatus>;
  lastError: Signal<MessageError | null>;
  /** Panels: tell the background which page and symbol this is (again after every reconnect). */
  reportPage(page: PageReport): void;
  close(): void;
}

/** The state pushed by the background, as signals a view renders from. */
export function createLiveView(runtime: RuntimeLike, view: ViewKind, schedule?: ViewConnectionOptions['schedule']): LiveView {
  const state = signal<ViewState | null>(null);
  const status = signal<ConnectionStatus>('connecting');
  const lastError = signal<MessageError | null>(null);
  let page: PageReport | null = null;
  let post: ((m: ViewToBackground) => void) | null = null;

  const conn = connectView(runtime, {
    view,
    ...(schedule ? { schedule } : {}),
    onStatus: (s) => (status.value = s),
    onMessage: (msg) => {
      if (msg.type === 'state') {
        // Pushes can overtake each other across a reconnect; never go back to an older revision of one worker.
        const cur = state.value;
        if (!cur || cur.workerStartedAt !== msg.data.workerStartedAt || msg.data.rev >= cur.rev) state.value = msg.data;
      } else {
        lastError.value = msg.data;
      }
    },
    onConnected: (p) => {
      post = p;
      if (page) p({ type: 'page', data: page });
    },
  });

  return {
    state,
    status,
    lastError,
    reportPage(next) {
      page = next;
      post?.({ type: 'page', data: next });
    },
    close: () => conn.close(),
  };
}
