/**
 * ACCOUNT_UPDATE -> cash flows: which reasons count, the signed USD amount, the payload-derived id; GET /fapi/v1/income
 * rows -> cash flows, and the id both give the same transfer.
 */
import { describe, expect, it } from 'vitest';
import { BadPayloadError } from '../../../../lib/exchanges/errors';
import { cashFlowsOf, normalizeAccountUpdate, normalizeIncome } from '../../../../lib/exchanges/binance/normalize';

const T = 1_700_000_000_123;

const push = (m: string, B: Record<string, string>[], P: unknown[] = []) => ({ e: 'ACCOUNT_UPDATE', E: T + 5, T, a: { m, B, P } });
const usdt = (bc: string, wb = '9600.00000000') => ({ a: 'USDT', wb, cw: wb, bc });
const flows = (raw: unknown, priceOf?: (asset: string) => number | undefined) => cashFlowsOf(normalizeAccountUpdate(raw), 'acc-1', priceOf);

describe('binance cashFlowsOf', () => {
  it.each([
    ['DEPOSIT', '500.00000000', 500],
    ['WITHDRAW', '-400.00000000', -400],
    ['WITHDRAW_REJECT', '400.00000000', 400],
    ['ADMIN_DEPOSIT', '25.50000000', 25.5],
    ['ADMIN_WITHDRAW', '-25.50000000', -25.5],
    ['COIN_SWAP_DEPOSIT', '12.34567890', 12.3456789],
    ['COIN_SWAP_WITHDRAW', '-12.34567890', -12.3456789],
  ])('%s with bc %s -> one flow of %d USD', (m, bc, amount) => {
    expect(flows(push(m, [usdt(bc)]))).toEqual([
      { venue: 'binance', accountId: 'acc-1', id: `${T}:USDT:${amount}`, time: T, amount, asset: 'USDT', kind: m },
    ]);
  });

  it.each(['ORDER', 'FUNDING_FEE', 'MARGIN_TRANSFER', 'ADJUSTMENT', 'INSURANCE_CLEAR', 'MARGIN_TYPE_CHANGE', 'ASSET_TRANSFER', 'AUTO_EXCHANGE', 'OPTIONS_PREMIUM_FEE'])(
    '%s (PnL or a move inside the futures wallet) -> none, even with a bc',
    (m) => {
      expect(flows(push(m, [usdt('-400.00000000')]))).toEqual([]);
    },
  );

  it('bc missing (older payloads) -> none, and the balance still parses', () => {
    const raw = push('WITHDRAW', [{ a: 'USDT', wb: '9600.00000000', cw: '9600.00000000' }]);
    expect(normalizeAccountUpdate(raw).wallets).toEqual([{ asset: 'USDT', walletBalance: 9600, crossWalletBalance: 9600, balanceChange: 0 }]);
    expect(flows(raw)).toEqual([]);
  });

  it('a zero bc -> none; only the entries that moved give a flow', () => {
    expect(flows(push('DEPOSIT', [usdt('0')]))).toEqual([]);
    const two = flows(push('DEPOSIT', [usdt('0.00000000'), { a: 'USDC', wb: '100', cw: '100', bc: '100' }]));
    expect(two.map((f) => [f.asset, f.amount])).toEqual([['USDC', 100]]);
  });

  it('each USD stablecoin is valued 1:1 without a price', () => {
    for (const a of ['USDT', 'USDC', 'FDUSD', 'BUSD']) {
      expect(flows(push('DEPOSIT', [{ a, wb: '10', cw: '10', bc: '10' }]), () => 2)).toMatchObject([{ asset: a, amount: 10 }]);
    }
  });

  it('a non-stable asset: valued at the price passed in, left out without one', () => {
    const raw = push('WITHDRAW', [{ a: 'BTC', wb: '0.40000000', cw: '0.40000000', bc: '-0.10000000' }]);
    expect(flows(raw, (a) => (a === 'BTC' ? 60_000 : undefined))).toEqual([
      { venue: 'binance', accountId: 'acc-1', id: `${T}:BTC:-0.1`, time: T, amount: -6000, asset: 'BTC', kind: 'WITHDRAW' },
    ]);
    expect(flows(raw)).toEqual([]);
    expect(flows(raw, () => undefined)).toEqual([]);
  });

  it('a deposit of a non-stable asset is left out (its USD value shows only after a REST refresh), a stablecoin deposit is not', () => {
    expect(flows(push('DEPOSIT', [{ a: 'BTC', wb: '0.5', cw: '0.5', bc: '0.1' }]), () => 60_000)).toEqual([]);
    expect(flows(push('DEPOSIT', [{ a: 'BFUSD', wb: '10', cw: '10', bc: '10' }]), () => 1)).toEqual([]);
    expect(flows(push('DEPOSIT', [usdt('10')]))).toMatchObject([{ amount: 10 }]);
  });

  it('the id is deterministic: the same push seen twice gives the same id', () => {
    const raw = push('WITHDRAW', [usdt('-400')]);
    expect(flows(raw)[0]!.id).toBe(flows(structuredClone(raw))[0]!.id);
    expect(flows(push('WITHDRAW', [usdt('-401')]))[0]!.id).not.toBe(flows(raw)[0]!.id);
  });

  it('a malformed bc is a BadPayloadError', () => {
    expect(() => normalizeAccountUpdate(push('DEPOSIT', [usdt('lots')]))).toThrow(BadPayloadError);
  });
});

describe('binance normalizeIncome (GET /fapi/v1/income)', () => {
  const row = (over: Record<string, unknown> = {}) => ({
    symbol: '',
    incomeType: 'TRANSFER',
    income: '-400.00000000',
    asset: 'USDT',
    info: 'TRANSFER',
    time: T,
    tranId: 9689322392,
    tradeId: '',
    ...over,
  });
  const income = (rows: unknown, priceOf?: (asset: string) => number | undefined) => normalizeIncome(rows, 'acc-1', priceOf);

  it('signed amounts: a transfer out is negative, one in positive; kind is the income type; oldest first', () => {
    expect(income([row({ time: T + 10, income: '250.50000000', incomeType: 'INTERNAL_TRANSFER', tranId: 2 }), row()])).toEqual([
      { venue: 'binance', accountId: 'acc-1', id: `${T}:USDT:-400`, time: T, amount: -400, asset: 'USDT', kind: 'TRANSFER' },
      { venue: 'binance', accountId: 'acc-1', id: `${T + 10}:USDT:250.5`, time: T + 10, amount: 250.5, asset: 'USDT', kind: 'INTERNAL_TRANSFER' },
    ]);
  });

  it('USD stablecoins 1:1; another asset valued as on the stream: an outflow at the price passed in, an inflow or no price left out', () => {
    for (const a of ['USDC', 'FDUSD', 'BUSD']) expect(income([row({ asset: a, income: '10' })], () => 2)).toMatchObject([{ asset: a, amount: 10 }]);
    const btcOut = row({ asset: 'BTC', income: '-0.10000000' });
    expect(income([btcOut], (a) => (a === 'BTC' ? 60_000 : undefined))).toMatchObject([{ id: `${T}:BTC:-0.1`, amount: -6000, asset: 'BTC' }]);
    expect(income([btcOut])).toEqual([]);
    expect(income([row({ asset: 'BTC', income: '0.10000000' })], () => 60_000)).toEqual([]);
  });

  it('rows of 0 and other income types (PnL, commission, funding) give none', () => {
    expect(income([row({ income: '0.00000000' })])).toEqual([]);
    for (const t of ['REALIZED_PNL', 'COMMISSION', 'FUNDING_FEE', 'INSURANCE_CLEAR']) expect(income([row({ incomeType: t })])).toEqual([]);
  });

  it('a bad row is a BadPayloadError naming the payload and the field', () => {
    expect(() => income([row({ income: 'lots' })])).toThrow(BadPayloadError);
    expect(() => income([row({ income: 'lots' })])).toThrow(/binance income: malformed payload \(0\.income: expected a decimal string/);
    expect(() => income([row({ time: 'yesterday' })])).toThrow(/0\.time/);
    expect(() => income({ rows: [] })).toThrow(BadPayloadError);
  });

  it('the stream flow and the income row of the same transfer get the same id', () => {
    // Binance writes bc with 8 decimals on the stream and income as it likes: both are read as numbers.
    const streamed = flows(push('WITHDRAW', [usdt('-400.00000000')]));
    const listed = income([row({ income: '-400' })]);
    expect(listed[0]!.id).toBe(streamed[0]!.id);
    const btc = (a: string) => (a === 'BTC' ? 60_000 : undefined);
    const streamedBtc = flows(push('WITHDRAW', [{ a: 'BTC', wb: '0.4', cw: '0.4', bc: '-0.10000000' }]), btc);
    expect(income([row({ asset: 'BTC', income: '-0.1' })], btc)[0]!.id).toBe(streamedBtc[0]!.id);
    // A different time or amount is a different flow.
    expect(income([row({ time: T + 1 })])[0]!.id).not.toBe(streamed[0]!.id);
  });
});
