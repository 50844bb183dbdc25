import * as z from 'zod/mini';
import { describeIssues, RequestEnvelopeSchema, type ErrorCode, type MessageError, type Result } from './protocol';
import { ALL_REQUESTS, type DataOf, type RequestName, type RequestOf } from './catalog';
import type { RequestDef, ResultOf } from './requests';
import type { Sender, SenderLike } from './sender';

/** Thrown by a handler to answer with a specific error code instead of `internal`. */
export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** One line per problem, each starting with the field's path. */
    readonly issues?: string[],
  ) {
    super(message);
  }
}

export type Handlers = {
  [K in RequestName]: (data: DataOf<RequestOf<K>>, sender: Sender) => Promise<ResultOf<RequestOf<K>>> | ResultOf<RequestOf<K>>;
};

export interface RouterOptions {
  classify: (sender: SenderLike | undefined) => Sender | null;
  /** Called once per distinct (code, type, sender class): a misbehaving sender cannot flood the log. */
  log: (line: string) => void;
}

const CATALOG: ReadonlyMap<string, RequestDef> = new Map(ALL_REQUESTS.map((r) => [r.name, r]));

/** Builds the background's single entry point for requests. It never throws: every failure is an error result. */
export function createRouter(handlers: Handlers, opts: RouterOptions) {
  const logged = new Set<string>();
  const fail = (code: ErrorCode, message: string, type: string, who: string, issues?: string[]): Result<never> => {
    const key = `${code}|${type}|${who}`;
    if (!logged.has(key)) {
      logged.add(key);
      opts.log(`[ringfence] rejected ${type || '(no type)'} from ${who}: ${code}: ${message}`);
    }
    const error: MessageError = issues ? { code, message, issues } : { code, message };
    return { ok: false, error };
  };

  return async function handle(raw: unknown, rawSender: SenderLike | undefined): Promise<Result<unknown>> {
    const sender = opts.classify(rawSender);
    const who = sender?.class ?? 'unknown sender';
    const envelope = RequestEnvelopeSchema.safeParse(raw);
    if (!envelope.success) {
      return fail('bad_envelope', 'Not a Ringfence message: expected { rf: 1, type, data }.', '', who, describeIssues(envelope.error));
    }
    const { type, data } = envelope.data;
    const spec = CATALOG.get(type);
    if (!spec) return fail('unknown_message', `Unknown message type "${type}".`, type, who);
    if (!sender || !spec.from.includes(sender.class)) {
      return fail('forbidden', `"${type}" is not accepted from ${who}.`, type, who);
    }
    const parsed = z.safeParse(spec.data, data);
    if (!parsed.success) {
      return fail('invalid_data', `Invalid data for "${type}".`, type, who, describeIssues(parsed.error));
    }
    try {
      const handler = handlers[type as RequestName] as (d: unknown, s: Sender) => unknown;
      return { ok: true, data: await handler(parsed.data, sender) };
    } catch (e) {
      if (e instanceof RequestError) return fail(e.code, e.message, type, who, e.issues);
      return fail('internal', e instanceof Error ? e.message : String(e), type, who);
    }
  };
}
