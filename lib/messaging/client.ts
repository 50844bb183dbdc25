import * as z from 'zod/mini';
import {
  BackgroundToViewSchema,
  describeIssues,
  PROTOCOL_VERSION,
  ResponseEnvelopeSchema,
  VIEW_PORT,
  type BackgroundToView,
  type Result,
  type ViewKind,
  type ViewToBackground,
} from './protocol';
import type { InputOf, RequestDef, ResultOf } from './requests';

/** The part of runtime.Port the views use (structural, so tests can pass fakes). */
export interface PortLike {
  name: string;
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(cb: (message: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}

export interface RuntimeLike {
  sendMessage(message: unknown): Promise<unknown>;
  connect(info: { name: string }): PortLike;
}

/** Sends one request to the background. Never throws: an unreachable background is an error result too. */
export async function request<R extends RequestDef>(runtime: RuntimeLike, def: R, data: InputOf<R>): Promise<Result<ResultOf<R>>> {
  const type = def.name;
  let raw: unknown;
  try {
    raw = await runtime.sendMessage({ rf: PROTOCOL_VERSION, type, data });
  } catch (e) {
    return { ok: false, error: { code: 'unreachable', message: e instanceof Error ? e.message : String(e) } };
  }
  const envelope = ResponseEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    return { ok: false, error: { code: 'unreachable', message: 'The background sent no valid answer.' } };
  }
  if (!envelope.data.ok) return envelope.data;
  const result = z.safeParse(def.result, envelope.data.data);
  if (!result.success) {
    return {
      ok: false,
      error: { code: 'bad_response', message: `Invalid answer to "${type}".`, issues: describeIssues(result.error) },
    };
  }
  return { ok: true, data: result.data as ResultOf<R> };
}

export interface ViewConnection {
  close(): void;
}

export interface ViewConnectionOptions {
  view: ViewKind;
  onMessage: (message: BackgroundToView) => void;
  onStatus: (status: 'connecting' | 'live' | 'lost') => void;
  /** Runs after every (re)connect with a way to post on the new port, e.g. to report the page again. */
  onConnected?: (post: (message: ViewToBackground) => void) => void;
  schedule?: (fn: () => void, ms: number) => unknown;
}

/**
 * Opens the push channel and keeps it open: when the service worker stops (MV3 does that), the port drops and we
 * reconnect with backoff, which also wakes the worker.
 */
export function connectView(runtime: RuntimeLike, opts: ViewConnectionOptions): ViewConnection {
  const schedule = opts.schedule ?? ((fn, ms) => setTimeout(fn, ms));
  let closed = false;
  let port: PortLike | null = null;
  let attempt = 0;

  const open = () => {
    if (closed) return;
    opts.onStatus('connecting');
    try {
      port = runtime.connect({ name: VIEW_PORT });
    } catch {
      retry();
      return;
    }
    const p = port;
    p.onMessage.addListener((raw) => {
      const msg = BackgroundToViewSchema.safeParse(raw);
      if (!msg.success) return; // a newer or broken background: ignore rather than crash the view
      attempt = 0;
      opts.onStatus('live');
      opts.onMessage(msg.data);
    });
    p.onDisconnect.addListener(() => {
      if (port === p) port = null;
      if (!closed) retry();
    });
    const send = (m: ViewToBackground) => {
      try {
        p.postMessage(m);
      } catch {
        // Disconnected: onDisconnect reconnects and onConnected runs again.
      }
    };
    send({ type: 'hello', data: { view: opts.view } });
    opts.onConnected?.(send);
  };
  const retry = () => {
    opts.onStatus('lost');
    attempt += 1;
    schedule(open, Math.min(100 * 2 ** (attempt - 1), 5000));
  };

  open();
  return {
    close() {
      closed = true;
      port?.disconnect();
      port = null;
    },
  };
}
