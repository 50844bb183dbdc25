import type { PortLike } from './client';
import {
  VIEW_PORT,
  ViewToBackgroundSchema,
  describeIssues,
  type BackgroundToView,
  type PageReport,
  type ViewKind,
  type ViewState,
} from './protocol';
import type { Sender, SenderLike } from './sender';

export interface ServerPort extends PortLike {
  sender?: SenderLike;
}

type ContentSender = Extract<Sender, { class: 'content' }>;

export interface ViewHubOptions {
  classify: (sender: SenderLike | undefined) => Sender | null;
  /** Resolves once the background has restored its state; nothing is handled or sent before that. */
  ready: Promise<void>;
  getState: () => ViewState;
  /** A panel reported (or re-reported) its page. `viewId` tells this panel's port from a later one in the same tab. */
  onPage: (sender: ContentSender, page: PageReport, viewId: number) => Promise<void>;
  /** A panel's port closed: its tab closed, reloaded or left the trading page. */
  onPanelGone: (sender: ContentSender, viewId: number) => Promise<void>;
  log: (line: string) => void;
}

interface View {
  id: number;
  port: ServerPort;
  sender: Sender;
  kind: ViewKind | null;
  /** Messages of one port are handled in order, and its removal after them. */
  queue: Promise<void>;
}

/** The background's side of the push channel: every open popup, options page and panel gets each state change. */
export function createViewHub(opts: ViewHubOptions) {
  const live = new Set<View>();
  const logged = new Set<string>();
  let pending = false;
  let nextId = 1;

  const logOnce = (key: string, line: string) => {
    if (logged.has(key)) return;
    logged.add(key);
    opts.log(line);
  };
  const post = (port: ServerPort, msg: BackgroundToView) => {
    try {
      port.postMessage(msg);
    } catch {
      // The port closed between the change and the push; onDisconnect removes it.
    }
  };
  const reject = (v: View, code: 'invalid_data' | 'forbidden', message: string, issues?: string[]) => {
    logOnce(`${code}|${v.sender.class}|${message}`, `[ringfence] view message from ${v.sender.class} refused: ${message}`);
    post(v.port, { type: 'error', data: issues ? { code, message, issues } : { code, message } });
  };

  const handle = async (v: View, raw: unknown) => {
    const parsed = ViewToBackgroundSchema.safeParse(raw);
    if (!parsed.success) return reject(v, 'invalid_data', 'Invalid view message.', describeIssues(parsed.error));
    const msg = parsed.data;
    const sender = v.sender;
    if (msg.type === 'hello') {
      // Content scripts are panels; a page of ours is never a panel.
      if (v.kind || (msg.data.view === 'panel') !== (sender.class === 'content')) {
        return reject(v, 'forbidden', `A ${sender.class} sender cannot open a ${msg.data.view} view.`);
      }
      v.kind = msg.data.view;
      live.add(v);
      post(v.port, { type: 'state', data: opts.getState() });
      return;
    }
    if (sender.class !== 'content' || v.kind !== 'panel') return reject(v, 'forbidden', 'Only a panel reports a page.');
    if (msg.data.venue !== sender.page.venue) {
      return reject(v, 'forbidden', `A ${sender.page.venue} page cannot report itself as ${msg.data.venue}.`);
    }
    await opts.onPage(sender, msg.data, v.id);
  };

  const attach = (port: ServerPort) => {
    if (port.name !== VIEW_PORT) return;
    const sender = opts.classify(port.sender);
    if (!sender) {
      logOnce('unknown-port', '[ringfence] refused a view port from an unknown sender');
      port.disconnect();
      return;
    }
    const v: View = { id: nextId++, port, sender, kind: null, queue: opts.ready };
    const enqueue = (fn: () => Promise<void> | void) => {
      v.queue = v.queue.then(fn).catch((e: unknown) => opts.log(`[ringfence] view handling failed: ${String(e)}`));
    };
    port.onMessage.addListener((raw) => enqueue(() => handle(v, raw)));
    port.onDisconnect.addListener(() =>
      enqueue(async () => {
        live.delete(v);
        if (v.kind === 'panel' && v.sender.class === 'content') await opts.onPanelGone(v.sender, v.id);
      }),
    );
  };

  /** Coalesces the changes of one task into a single push to every view. */
  const broadcast = () => {
    if (pending) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      const msg: BackgroundToView = { type: 'state', data: opts.getState() };
      for (const v of live) post(v.port, msg);
    });
  };

  return {
    attach,
    broadcast,
    get size() {
      return live.size;
    },
  };
}
