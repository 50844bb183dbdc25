import { describe, expect, it } from 'vitest';
import { baseAsset, calculate, prefill, roundSizeDown } from '@/lib/ui/panel-calc';

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
