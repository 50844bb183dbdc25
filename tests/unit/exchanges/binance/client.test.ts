import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RingfenceBinanceUsdm } from '@/lib/exchanges/binance/client';

const DIR = join(__dirname, '../../../../lib/exchanges/binance');

describe('the ccxt client', () => {
  const client = new RingfenceBinanceUsdm({ apiKey: 'k', secret: 's' }) as unknown as Record<string, unknown> & { api: Record<string, unknown> };

  it('is built with the USD-M futures API groups only', () => {
    expect(Object.keys(client.api).sort()).toEqual(['fapiData', 'fapiPrivate', 'fapiPrivateV2', 'fapiPrivateV3', 'fapiPublic', 'fapiPublicV2', 'fapiPublicV3']);
    expect(client.sapiGetAccount).toBeUndefined();
    expect(client.dapiPrivateGetAccount).toBeUndefined();
  });

  it('has every endpoint method the adapter calls', () => {
    // Read from the source, so a call added later to a group that is left out fails here, not at the venue.
    const called = new Set<string>();
    for (const f of readdirSync(DIR).filter((n) => n.endsWith('.ts'))) {
      for (const m of readFileSync(join(DIR, f), 'utf8').matchAll(/\b((?:fapi|dapi|sapi|eapi|papi)[A-Z]\w*(?:Get|Post|Put|Delete)\w+)\b/g)) called.add(m[1]!);
    }
    expect(called.size).toBeGreaterThan(15);
    const missing = [...called].filter((name) => typeof client[name] !== 'function');
    expect(missing).toEqual([]);
  });
});
