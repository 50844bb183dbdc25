import { describe, expect, it } from 'vitest';
import { baseAsset, calculate, prefill, riskCap, roundSizeDown } from '@/lib/ui/panel-calc';
import { validate } from '@/lib/risk/validate';
import { initialRiskState } from '@/lib/risk/state';
import { DEFAULT_RISK_SETTINGS } from '@/lib/risk/settings';
import { intent, NOW, snapshot } from '../risk/fixtures';

const reading = (patch: Partial<Parameters<typeof prefill>[0]> = {}) => ({
  price: 3450.25,
  stopLoss: 3380,
  stopPrice: null,
  leverage: 50,
  side: 'buy' as const,
  type: 'limit' as const,
  ...patch,
});

describe('prefill', () => {
  it('takes the limit price, the stop loss, the leverage, and 1% of equity as the risk', () => {
    expect(prefill(reading(), 10_080)).toEqual({ risk: '100', entry: '3450.25', stop: '3380', leverage: 50, side: 'buy' });
  });
  it('a market order has no price: the mark stands in when known', () => {
    expect(prefill(reading({ price: null, type: 'market' }), null, 3451.5)).toMatchObject({ entry: '3451.5', risk: '' });
    expect(prefill(reading({ price: null, type: 'market' }), null)).toMatchObject({ entry: '' });
  });
  it("a stop order's trigger is not a stop loss", () => {
    expect(prefill(reading({ stopLoss: null, stopPrice: 3500, type: 'stop_market' }), 5000).stop).toBe('');
  });
  it('no risk from zero or tiny equity', () => {
    expect(prefill(reading(), 0).risk).toBe('');
    expect(prefill(reading(), 50).risk).toBe('');
  });
  it('prints floats without binary leftovers', () => {
    expect(prefill(reading({ price: 0.1 + 0.2 }), null).entry).toBe('0.3');
  });
});

describe('baseAsset', () => {
  it('strips the quote asset on Binance and the dex prefix on Hyperliquid', () => {
    expect(baseAsset('BTCUSDT', 'binance')).toBe('BTC');
    expect(baseAsset('1000PEPEUSDC', 'binance')).toBe('1000PEPE');
    expect(baseAsset('BTCUSDT_250627', 'binance')).toBe('BTC');
    expect(baseAsset('ETH', 'hyperliquid')).toBe('ETH');
    expect(baseAsset('xyz:XYZ100', 'hyperliquid')).toBe('XYZ100');
    expect(baseAsset(null, 'binance')).toBe('');
  });
});

describe('roundSizeDown', () => {
  it('keeps 4 significant digits, always rounding down', () => {
    expect(roundSizeDown(1.42348754)).toBe(1.423);
    expect(roundSizeDown(0.0099999)).toBe(0.009999);
    expect(roundSizeDown(123456.7)).toBe(123400);
    expect(roundSizeDown(0.3)).toBe(0.3);
  });
  it('nothing for zero, negative or non-finite sizes', () => {
    for (const v of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(roundSizeDown(v)).toBe(0);
  });
});

describe('calculate', () => {
  const input = { risk: '100', entry: '3450.25', stop: '3380' };
  it('sizes a long from risk and stop, with notional, margin and the loss at the stop', () => {
    expect(calculate(input, 50, 'ETH', 'buy')).toEqual({
      ok: true,
      size: '1.423 ETH',
      notional: '$4,909.71',
      margin: '$98.19 at 50x',
      loss: '$99.97 (2.04% move)',
      direction: 'long',
      note: null,
    });
  });
  it('a stop above the entry sizes a short, and says so when the form is set to buy', () => {
    const r = calculate({ risk: '50', entry: '100', stop: '102,5' }, null, 'SOL', 'buy');
    expect(r).toMatchObject({ ok: true, size: '20 SOL', notional: '$2,000.00', margin: null, loss: '$50.00 (2.5% move)', direction: 'short' });
    expect(r.note).toBe('The stop is above the entry: this sizes a short, the form is set to buy.');
  });
  it('asks for what is missing', () => {
    expect(calculate({ risk: '', entry: '100', stop: '90' }, null, '')).toMatchObject({ ok: false, size: '—', note: 'Enter a risk, an entry and a stop.' });
  });
  it('numbers only', () => {
    for (const bad of [{ ...input, risk: 'abc' }, { ...input, stop: '3380x' }, { ...input, entry: '-5' }]) {
      expect(calculate(bad, 50, 'ETH')).toMatchObject({ ok: false, note: 'Numbers only: risk, entry and stop must be positive.' });
    }
  });
  it('zero risk and entry equal to stop have their own words', () => {
    expect(calculate({ ...input, risk: '0' }, 50, 'ETH').note).toBe('Set a risk above $0.');
    expect(calculate({ ...input, stop: '3450.25' }, 50, 'ETH').note).toBe('Entry and stop are equal: there is no distance to size from.');
  });
  it('reads comma decimals and grouped thousands as the page does, and never guesses', () => {
    expect(calculate({ risk: '1000', entry: '97.000,5', stop: '96,000.0' }, 20, 'BTC')).toMatchObject({ ok: true, size: '0.9995 BTC' });
    // 1,000 reads as one thousand or as one: refused rather than guessed.
    expect(calculate({ risk: '1,000', entry: '97000', stop: '96000' }, 20, 'BTC')).toMatchObject({ ok: false });
  });
});

describe("the guard's loss-at-the-stop cap", () => {
  // The default strategy's stop loss per trade is $5; sizing.maxLossAtStopPct 1% of equity.
  const blocks = (size: number) =>
    validate(intent({ size, price: 100, stopLoss: 90, leverage: 10 }), snapshot(), initialRiskState(), DEFAULT_RISK_SETTINGS, NOW)
      .reasons.filter((x) => x.level === 'block')
      .map((x) => x.reason.code);
  const form = { price: 100, stopLoss: 90, stopPrice: null, leverage: 10, side: 'buy' as const, type: 'limit' as const };

  it('names the lower limit: the stop loss per trade, or the share of equity', () => {
    expect(riskCap({ stopLossUsd: 5, maxLossAtStopPct: 1, equity: 10_000 })).toEqual({ usd: 5, text: "the strategy's stop loss per trade ($5.00)" });
    expect(riskCap({ stopLossUsd: 500, maxLossAtStopPct: 0.5, equity: 10_000 })).toEqual({ usd: 50, text: '0.5% of equity per trade at the stop ($50.00)' });
    expect(riskCap(null)).toBeNull();
  });
  it("equity $10,000: the prefill suggests the guard's $5, not 1% ($100), and that size passes the pre-trade check", () => {
    const cap = riskCap({ stopLossUsd: 5, maxLossAtStopPct: 1, equity: 10_000 });
    const p = prefill(form, 10_000, null, cap);
    expect(p.risk).toBe('5');
    const r = calculate(p, 10, 'BTC', 'buy', cap);
    expect(r).toMatchObject({ ok: true, size: '0.5 BTC', loss: '$5.00 (10% move)', note: null });
    expect(blocks(0.5)).toEqual([]);
    // Without the cap (1% of equity) the guard blocks the suggestion: the case this fixes.
    expect(blocks(Number(calculate(prefill(form, 10_000), 10, 'BTC', 'buy').size.split(' ')[0]))).toEqual(['stop_loss_per_trade']);
  });
  it('a typed risk above the cap is sized at the cap, and the note says which limit capped it', () => {
    const cap = riskCap({ stopLossUsd: 5, maxLossAtStopPct: 1, equity: 10_000 });
    const r = calculate({ risk: '100', entry: '100', stop: '90' }, 10, 'BTC', 'buy', cap);
    expect(r).toMatchObject({ ok: true, size: '0.5 BTC', note: "Sized for $5.00, not $100.00: the guard allows the strategy's stop loss per trade ($5.00)." });
    // With the direction caution after it.
    expect(calculate({ risk: '100', entry: '100', stop: '110' }, 10, 'BTC', 'buy', cap).note).toBe(
      "Sized for $5.00, not $100.00: the guard allows the strategy's stop loss per trade ($5.00). The stop is above the entry: this sizes a short, the form is set to buy.",
    );
    // At or under the cap: as asked, no note.
    expect(calculate({ risk: '5', entry: '100', stop: '90' }, 10, 'BTC', 'buy', cap)).toMatchObject({ size: '0.5 BTC', note: null });
  });
  it('a cap below 1% of equity in cents is rounded down, never up', () => {
    expect(prefill(form, 10_000, null, { usd: 4.999, text: '' }).risk).toBe('4.99');
    expect(prefill(form, 300, null, { usd: 5, text: '' }).risk).toBe('3'); // 1% is under the cap
  });
});
