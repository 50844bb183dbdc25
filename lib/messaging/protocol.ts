/**
 * The one message protocol shared by the background, the content scripts, the popup and the options page.
 *
 * Requests (defined one by one in requests.ts): `{ rf: 1, type, data }` sent with runtime.sendMessage; the background
 * parses `data` with the request's schema, checks that the sender may send it, and answers `{ ok: true, data }` or
 * `{ ok: false, error }`: errors travel as data, never as exceptions across contexts.
 * Pushes: views open a port named VIEW_PORT, say `hello`, and receive `state` on every change.
 */
// zod/mini: the same schemas, tree-shakeable, so the content scripts stay small (they parse every push).
import * as z from 'zod/mini';
import { MarketViewSchema } from './market-view';
import { RiskViewSchema } from './risk-view';

export const PROTOCOL_VERSION = 1;
export const VIEW_PORT = 'ringfence:view';

export const VenueSchema = z.enum(['binance', 'hyperliquid']);
export const SeveritySchema = z.enum(['info', 'notice', 'warning', 'critical', 'emergency']);
export type Severity = z.infer<typeof SeveritySchema>;

export const WatchedPageSchema = z
  .strictObject({
    key: z.string(),
    tabId: z.int(),
    venue: VenueSchema,
    symbol: z.nullable(z.string()),
    url: z.string(),
    since: z.number(),
    updatedAt: z.number(),
  });
export type WatchedPage = z.infer<typeof WatchedPageSchema>;

export const AuditEntrySchema = z
  .strictObject({
    id: z.int(),
    // A time a Date can hold: views and exports format it.
    ts: z.number().check(z.minimum(-8.64e15), z.maximum(8.64e15)),
    kind: z.string(),
    severity: SeveritySchema,
    message: z.string(),
    data: z.optional(z.record(z.string(), z.unknown())),
    /** What the entry is about, for filtering: `venue:accountId`, a strategy id, a risk rule id. */
    account: z.optional(z.string()),
    strategyId: z.optional(z.string()),
    rule: z.optional(z.string()),
  });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type AuditRefs = Pick<AuditEntry, 'account' | 'strategyId' | 'rule'>;

/** What every open view shows; pushed whole on each change (small, and a late view needs no history). */
export const ViewStateSchema = z
  .strictObject({
    rev: z.int().check(z.nonnegative()),
    workerStartedAt: z.number(),
    pages: z.array(WatchedPageSchema),
    /** Bumped on every change of these tables; the options page re-reads them (rows are not pushed to panels). */
    tables: z.strictObject({
      strategies: z.int().check(z.nonnegative()),
      accounts: z.int().check(z.nonnegative()),
      settings: z.int().check(z.nonnegative()),
    }),
    audit: z.strictObject({ count: z.int().check(z.nonnegative()), recent: z.array(AuditEntrySchema) }),
    /** The live risk picture (accounts, trading state, findings). */
    risk: RiskViewSchema,
    /** The market picture of watched symbols (regime, ATR %, book), with the panel's one-line summary. */
    market: z.optional(MarketViewSchema),
  });
export type ViewState = z.infer<typeof ViewStateSchema>;

/** Who may send a request: this extension's own pages, or its content scripts on a matched trading page. */
export type SenderClass = 'extension' | 'content';

export const ErrorCodeSchema = z.enum([
  'bad_envelope', // not a Ringfence message at all
  'unknown_message', // a type this protocol does not have
  'invalid_data', // data failed the request's schema
  'forbidden', // the sender may not send this
  'unreachable', // (client side) the background did not answer
  'bad_response', // (client side) the answer failed its schema
  'internal', // the handler failed
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const MessageErrorSchema = z.strictObject({
  code: ErrorCodeSchema,
  message: z.string(),
  issues: z.optional(z.array(z.string())),
});
export type MessageError = z.infer<typeof MessageErrorSchema>;

export type Result<T> = { ok: true; data: T } | { ok: false; error: MessageError };

export const RequestEnvelopeSchema = z.strictObject({
  rf: z.literal(PROTOCOL_VERSION),
  type: z.string().check(z.maxLength(64)),
  data: z.unknown(),
});

export const ResponseEnvelopeSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), data: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: MessageErrorSchema }),
]);

export const ViewKindSchema = z.enum(['popup', 'options', 'panel']);
export type ViewKind = z.infer<typeof ViewKindSchema>;

export const PageReportSchema = z.strictObject({
  venue: VenueSchema,
  symbol: z.nullable(z.string().check(z.minLength(1), z.maxLength(40))),
  url: z.url().check(z.maxLength(2048)),
});
export type PageReport = z.infer<typeof PageReportSchema>;

/**
 * Port messages, view -> background. A panel reports its page over its port (not as a request) so the page's
 * lifetime is the port's: when the tab closes or leaves the trading page, the port closes and the page is gone.
 */
export const ViewToBackgroundSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hello'), data: z.strictObject({ view: ViewKindSchema }) }),
  z.strictObject({ type: z.literal('page'), data: PageReportSchema }),
]);
export type ViewToBackground = z.infer<typeof ViewToBackgroundSchema>;

/** Port messages, background -> view. */
export const BackgroundToViewSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('state'), data: ViewStateSchema }),
  z.strictObject({ type: z.literal('error'), data: MessageErrorSchema }),
]);
export type BackgroundToView = z.infer<typeof BackgroundToViewSchema>;

/** Turns zod issues into short "path: message" lines for error results. */
export function describeIssues(error: { issues: readonly z.core.$ZodIssue[] }): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}
