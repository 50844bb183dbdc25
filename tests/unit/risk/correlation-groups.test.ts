import { describe, expect, it } from 'vitest';
import { withMeasuredGroups } from '../../../lib/risk/correlation-groups';
import { parseRiskSettings } from '../../../lib/risk/settings';
import { correlationGroup } from '../../../lib/risk/sizing';

describe('withMeasuredGroups', () => {
  const s = parseRiskSettings({ account: { correlationGroups: [['BTC', 'ETH']] } });

  it('keeps the settings object when nothing is measured or nothing new is', () => {
    expect(withMeasuredGroups(s, [])).toBe(s);
    expect(withMeasuredGroups(s, [['eth', 'btc']])).toBe(s);
  });

  it('adds measured groups, and merges those that share an asset with a configured one', () => {
    const out = withMeasuredGroups(s, [
      ['ETH', 'SOL'],
      ['DOGE', 'SHIB'],
    ]);
    expect(out).not.toBe(s);
    expect(out.account.correlationGroups).toEqual([
      ['BTC', 'ETH', 'SOL'],
      ['DOGE', 'SHIB'],
    ]);
    // The sizing rules now count SOL with BTC and ETH.
    expect(correlationGroup('SOLUSDT', out)).toMatchObject({ name: 'BTC+ETH+SOL' });
    expect(correlationGroup('SOLUSDT', s)).toMatchObject({ name: 'SOL' });
    // The configured settings are not touched.
    expect(s.account.correlationGroups).toEqual([['BTC', 'ETH']]);
  });
});
