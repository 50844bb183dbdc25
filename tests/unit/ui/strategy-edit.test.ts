import { describe, expect, it } from 'vitest';
import { parseDecimal, strategyStatus, validateDraft } from '@/lib/ui/strategy-edit';

const row = { symbol: 'BTCUSDT', riskPerTradePct: 1, stopLossUsd: 5, maxDrawdownUsd: 50 };

describe('strategy drafts', () => {
  it.each([
    ['1.5', 1.5],
    ['1,5', 1.5],
    [' 2 ', 2],
    ['.5', 0.5],
    ['-3', -3],
    ['abc', null],
    ['1e3', null],
    ['', null],
    ['1.2.3', null],
  ])('parseDecimal(%j) = %j', (text, n) => {
    expect(parseDecimal(text)).toBe(n);
  });

  it('accepts a valid draft as a patch of only the edited fields', () => {
    expect(validateDraft({ riskPerTradePct: '0,5', maxDrawdownUsd: '80' }, row)).toEqual({
      ok: true,
      patch: { riskPerTradePct: 0.5, maxDrawdownUsd: 80 },
    });
    expect(validateDraft({ symbol: '' }, row)).toEqual({ ok: true, patch: { symbol: null } });
    expect(validateDraft({ symbol: 'xyz:XYZ100' }, row)).toEqual({ ok: true, patch: { symbol: 'xyz:XYZ100' } });
  });

  it('names every invalid field with a specific message, and applies nothing', () => {
    expect(validateDraft({ riskPerTradePct: 'lots', stopLossUsd: '-5', maxDrawdownUsd: '0', symbol: 'BTC/USDT' }, row)).toEqual({
      ok: false,
      errors: {
        riskPerTradePct: 'Risk per trade % must be a number.',
        stopLossUsd: 'Stop loss $ must be above $0.',
        maxDrawdownUsd: 'Max drawdown $ must be above $0.',
        symbol: 'Symbol must look like BTCUSDT, BTC or dex:NAME (empty for any).',
      },
    });
    expect(validateDraft({ riskPerTradePct: '150' }, row)).toEqual({
      ok: false,
      errors: { riskPerTradePct: 'Risk per trade % must be above 0 and at most 100.' },
    });
  });

  it('rejects a stop loss above the max drawdown, on the field being edited', () => {
    expect(validateDraft({ stopLossUsd: '60' }, row)).toEqual({
      ok: false,
      errors: { stopLossUsd: 'Stop loss $60 per trade is above the max drawdown $50: one stopped trade would kill the strategy.' },
    });
    expect(validateDraft({ maxDrawdownUsd: '4' }, row)).toEqual({
      ok: false,
      errors: { maxDrawdownUsd: 'Stop loss $5 per trade is above the max drawdown $4: one stopped trade would kill the strategy.' },
    });
  });

  it('status: Killed over Disabled over Active', () => {
    expect(strategyStatus({ enabled: true, killed: true })).toBe('Killed');
    expect(strategyStatus({ enabled: false, killed: false })).toBe('Disabled');
    expect(strategyStatus({ enabled: true, killed: false })).toBe('Active');
  });
});
