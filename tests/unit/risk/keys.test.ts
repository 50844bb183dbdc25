import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountKey as domainKey } from '@/lib/domain/types';
import { accountKey } from '@/lib/risk/keys';

describe('risk keys', () => {
  it("the engine's account key is the domain's (kept apart only for the content scripts' bundle size)", () => {
    fc.assert(
      fc.property(fc.constantFrom('binance' as const, 'hyperliquid' as const), fc.string({ minLength: 1 }), (venue, id) => {
        expect(accountKey(venue, id)).toBe(domainKey(venue, id));
      }),
    );
  });
});
