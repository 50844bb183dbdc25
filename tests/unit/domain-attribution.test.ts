import { describe, expect, it } from 'vitest';
import { attributeStrategy, AttributionRuleSchema, AttributionRulesSchema } from '@/lib/domain/attribution';

const rules = AttributionRulesSchema.parse([
  { strategyId: 'grid-btc', clientOrderIdPrefix: 'grid_', symbol: 'BTCUSDT' },
  { strategyId: 'grid-any', clientOrderIdPrefix: 'grid_' },
  { strategyId: 'eth-desk', symbol: 'ETHUSDT' },
  { strategyId: 'hl-bot', clientOrderIdPrefix: '0x00000000000000000000000000000b07' },
]);

describe('strategy attribution', () => {
  it.each([
    ['grid_123', 'BTCUSDT', 'grid-btc'],
    ['grid_123', 'SOLUSDT', 'grid-any'],
    ['manual-1', 'ETHUSDT', 'eth-desk'],
    [null, 'ETHUSDT', 'eth-desk'],
    [null, 'BTCUSDT', 'manual'],
    ['GRID_1', 'SOLUSDT', 'manual'], // prefixes are case-sensitive
    ['0x00000000000000000000000000000b07', 'BTC', 'hl-bot'],
    ['web_abc', 'XRPUSDT', 'manual'],
  ])('%s on %s -> %s', (cid, symbol, id) => {
    expect(attributeStrategy(rules, cid, symbol)).toBe(id);
  });

  it('no rules: everything is manual', () => {
    expect(attributeStrategy([], 'grid_1', 'BTCUSDT')).toBe('manual');
  });

  it('refuses a rule that would catch every trade, and an empty strategy id', () => {
    expect(AttributionRuleSchema.safeParse({ strategyId: 'x' }).error?.issues[0]?.message).toBe(
      'A rule needs a client order id prefix, a symbol, or both (otherwise it would catch every trade).',
    );
    expect(AttributionRuleSchema.safeParse({ strategyId: '  ', symbol: 'BTC' }).error?.issues[0]?.message).toBe(
      'strategyId must not be empty',
    );
  });
});
