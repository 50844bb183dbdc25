/** Fault state shared by both venues, and the venue-neutral parts of applying it. */
import { z } from 'zod';
import type { FaultState } from './venue';

export const createFaultState = (): FaultState => ({
  http: [],
  delayMs: 0,
  stalled: false,
  malformed: 0,
  rejectOrders: null,
});

export type MalformedScope = 'rest' | 'ws' | 'any';

/** What a test may switch on through POST /control/faults (every field optional; merged into the current state). */
export const FaultPatchSchema = z
  .object({
    http: z
      .array(
        z
          .object({
            status: z.number().int().min(400).max(599),
            count: z.number().int().positive().max(1_000_000),
            /** Matched against the full path, e.g. /binance/fapi/v1/order or /binance for every Binance call. */
            pathPrefix: z.string().startsWith('/').optional(),
            retryAfterSec: z.number().int().nonnegative().max(86_400).optional(),
            body: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
    delayMs: z.number().int().nonnegative().max(120_000).optional(),
    stalled: z.boolean().optional(),
    malformed: z.number().int().nonnegative().max(1_000_000).optional(),
    /** Where malformed bodies go: REST answers, websocket frames, or whichever comes first. */
    malformedScope: z.enum(['rest', 'ws', 'any']).optional(),
    rejectOrders: z
      .object({ code: z.union([z.string(), z.number()]), message: z.string(), count: z.number().int().positive() })
      .strict()
      .nullable()
      .optional(),
    /** Shifts SimContext.now(): signature checks see the client's clock as off by this much. */
    clockSkewMs: z.number().int().min(-86_400_000).max(86_400_000).optional(),
  })
  .strict();
export type FaultPatch = z.infer<typeof FaultPatchSchema>;

/** Takes one matching HTTP fault (decrementing its count), or null. */
export function takeHttpFault(faults: FaultState, path: string): FaultState['http'][number] | null {
  const i = faults.http.findIndex((f) => f.count > 0 && (!f.pathPrefix || path.startsWith(f.pathPrefix)));
  if (i < 0) return null;
  const f = faults.http[i]!;
  f.count -= 1;
  if (f.count <= 0) faults.http.splice(i, 1);
  return f;
}

/** A body that is not JSON: truncated mid-object, as a broken proxy or a cut connection leaves it. */
export const MALFORMED_BODY = '{"malformed": tru';
