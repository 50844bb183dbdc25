import { describe, expect, it } from 'vitest';
import { formatReason } from '../../../../lib/risk/format';
import { staleData } from '../../../../lib/risk/rules/stale-data';
import { NOW, account, ctx, settings, view } from '../fixtures';

describe('stale-data', () => {
  it('is silent with fresh data', () => {
    expect(staleData.evaluate(ctx(view({ receivedAt: NOW - 5_000 })), settings())).toEqual([]);
  });

  it('goes reduce-only after 30 s without data, and names the API error', () => {
    const [f] = staleData.evaluate(ctx(view({ receivedAt: NOW - 45_000 })), settings());
    expect(f).toMatchObject({ severity: 'critical', action: { kind: 'reduce_only' }, value: 45, limit: 30 });
    expect(formatReason(f!.reason)).toBe('No fresh data for 45 seconds (limit 30).');
    const [e] = staleData.evaluate(ctx(view({ account: account({ time: NOW - 120_000 }), feedError: 'HTTP 503 from fapi.binance.com' })), settings());
    expect(formatReason(e!.reason)).toBe('No fresh data for 120 seconds (limit 30): HTTP 503 from fapi.binance.com.');
  });

  it('only alerts on an error while data is still fresh', () => {
    const [f] = staleData.evaluate(ctx(view({ feedError: 'websocket closed' })), settings());
    expect(f).toMatchObject({ severity: 'warning', action: { kind: 'alert' } });
  });
});
