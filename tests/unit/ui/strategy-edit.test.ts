import { describe, expect, it } from 'vitest';
import { readDecimal, strategyStatus, validateDraft } from '@/lib/ui/strategy-edit';

const row = { symbol: 'BTCUSDT', riskPerTradePct: 1, stopLossUsd: 5, maxDrawdownUsd: 50 };

describe('strategy drafts', () => {
  it.each([
    ['1.5', 1.5],
    [' 2 ', 2],
    ['.5', 0.5],
    ['-3', -3],
    ['1,000', 1000],
    ['10,000', 10000],
    ['1,000.5', 1000.5],
    ['1,234,567.25', 1234567.25],
    ['999,999', 999999],
  ])('readDecimal(%j) = %j', (text, n) => {
    expect(readDecimal(text)).toEqual({ ok: true, value: n });
  });

  it.each([
    ['abc', 'not_a_number'],
    ['1e3', 'not_a_number'],
    ['', 'not_a_number'],
    ['.', 'not_a_number'],
    ['1.2.3', 'not_a_number'],
    ['1,5', 'ambiguous_comma'],
    ['0,25', 'ambiguous_comma'],
    ['1,0000', 'ambiguous_comma'],
    ['1000,000', 'ambiguous_comma'],
    [',5', 'ambiguous_comma'],
    ['1.000,5', 'ambiguous_comma'],
  ])('readDecimal(%j) refuses: %s', (text, problem) => {
    expect(readDecimal(text)).toEqual({ ok: false, problem });
  });

  it('reads "10,000" as ten thousand in a draft, and refuses "2,5" with the reason', () => {
    expect(validateDraft({ stopLossUsd: '2,500', maxDrawdownUsd: '10,000' }, row)).toEqual({ ok: true, patch: { stopLossUsd: 2500, maxDrawdownUsd: 10000 } });
    expect(validateDraft({ stopLossUsd: '2,5', riskPerTradePct: 'x' }, row)).toEqual({
      ok: false,
      errors: {
        riskPerTradePct: 'Risk per trade % must be a number.',
        stopLossUsd: 'Stop loss $: "2,5" is ambiguous: a comma only separates thousands (10,000); write decimals with a dot (1.5).',
      },
    });
  });

  it('accepts a valid draft as a patch of only the edited fields', () => {
    expect(validateDraft({ riskPerTradePct: '0.5', maxDrawdownUsd: '80' }, row)).toEqual({
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

  it('refuses a stop loss or max drawdown above $10,000,000; exactly that passes', () => {
    expect(validateDraft({ stopLossUsd: '10,000,000.01', maxDrawdownUsd: '1e300' }, row)).toEqual({
      ok: false,
      errors: { stopLossUsd: 'Stop loss $ must be at most $10,000,000.', maxDrawdownUsd: 'Max drawdown $ must be a number.' },
    });
    expect(validateDraft({ maxDrawdownUsd: '20000000' }, row)).toEqual({ ok: false, errors: { maxDrawdownUsd: 'Max drawdown $ must be at most $10,000,000.' } });
    expect(validateDraft({ maxDrawdownUsd: '10,000,000' }, row)).toEqual({ ok: true, patch: { maxDrawdownUsd: 10_000_000 } });
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
