/** Hyperliquid non-funding ledger -> CashFlow: every delta type's sign and amount, seen from each side. */
import { describe, expect, it } from 'vitest';
import { BadPayloadError } from '../../../../lib/exchanges/errors';
import { normalizeLedgerUpdates, normalizeLedgerUpdatesEvent } from '../../../../lib/exchanges/hyperliquid/normalize';

const ME = '0x2ba553d9f990a3b66b03b2dc0d030dfc1c061036';
const OTHER = '0xaaa0c2769cb990f4f37db951a9e48de2385c2733';
const ctx = { accountId: 'hl-1', user: ME };
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
let n = 0;
const entry = (delta: Record<string, unknown>, time = 1_750_000_000_000 + n) => ({ time, hash: hash(++n), delta });
/** The one flow of one entry (or undefined when it makes none). */
const flowOf = (delta: Record<string, unknown>, user = ME) => {
  const flows = normalizeLedgerUpdates([entry(delta)], { ...ctx, user });
  expect(flows.length).toBeLessThanOrEqual(1);
  return flows[0];
};
const amountOf = (delta: Record<string, unknown>, user = ME) => flowOf(delta, user)?.amount;

describe('hyperliquid ledger: signs and amounts', () => {
  it('deposit: + usdc; withdraw: - (usdc + fee)', () => {
    expect(flowOf({ type: 'deposit', usdc: '2703997.4500000002' })).toMatchObject({ amount: 2703997.45, asset: 'USDC', kind: 'deposit', venue: 'hyperliquid', accountId: 'hl-1' });
    expect(amountOf({ type: 'withdraw', usdc: '399.0', nonce: 1, fee: '1.0' })).toBe(-400);
  });

  it('accountClassTransfer: into perp +, out of perp (to spot) -', () => {
    expect(amountOf({ type: 'accountClassTransfer', usdc: '12.0', toPerp: true })).toBe(12);
    expect(amountOf({ type: 'accountClassTransfer', usdc: '12.0', toPerp: false })).toBe(-12);
  });

  it('internalTransfer: the sender pays usdc + fee, the receiver gets usdc, a third party nothing', () => {
    const t = { type: 'internalTransfer', usdc: '100.0', user: ME, destination: OTHER, fee: '1.0' };
    expect(amountOf(t, ME)).toBe(-101);
    expect(amountOf(t, OTHER)).toBe(100);
    expect(flowOf(t, '0x' + '1'.repeat(40))).toBeUndefined();
    // Addresses compare case-insensitively.
    expect(amountOf({ ...t, user: ME.toUpperCase().replace('0X', '0x') }, ME)).toBe(-101);
  });

  it('subAccountTransfer: sender -, destination +', () => {
    const t = { type: 'subAccountTransfer', usdc: '250.5', user: ME, destination: OTHER };
    expect(amountOf(t, ME)).toBe(-250.5);
    expect(amountOf(t, OTHER)).toBe(250.5);
  });

  it('send: only the legs on a perp dex count; perp -> own spot is money out, spot -> perp money in', () => {
    const base = { type: 'send', token: 'USDC', amount: '50.0', usdcValue: '50.0', fee: '0.0', nativeTokenFee: '0.0', nonce: 1, feeToken: 'USDC' };
    expect(amountOf({ ...base, user: ME, destination: OTHER, sourceDex: '', destinationDex: '' }, ME)).toBe(-50);
    expect(amountOf({ ...base, user: ME, destination: OTHER, sourceDex: '', destinationDex: '' }, OTHER)).toBe(50);
    expect(amountOf({ ...base, user: ME, destination: ME, sourceDex: '', destinationDex: 'spot' })).toBe(-50);
    expect(amountOf({ ...base, user: ME, destination: ME, sourceDex: 'spot', destinationDex: '' })).toBe(50);
    expect(flowOf({ ...base, user: ME, destination: OTHER, sourceDex: 'spot', destinationDex: 'spot' })).toBeUndefined();
    expect(amountOf({ ...base, fee: '1.0', user: ME, destination: OTHER, sourceDex: '', destinationDex: '' })).toBe(-51);
  });

  it('vaults: create and deposit leave the perp account, withdraw and distribution come back', () => {
    const vault = OTHER;
    expect(amountOf({ type: 'vaultCreate', vault, usdc: '1000.0', fee: '100.0' })).toBe(-1100);
    expect(amountOf({ type: 'vaultDeposit', vault, usdc: '300.0' })).toBe(-300);
    const w = { type: 'vaultWithdraw', vault, user: ME, requestedUsd: '300.0', commission: '3.0', closingCost: '0.0', basis: '290.0', netWithdrawnUsd: '297.0' };
    expect(amountOf(w)).toBe(297);
    expect(flowOf({ ...w, user: OTHER })).toBeUndefined();
    expect(amountOf({ type: 'vaultDistribution', vault, usdc: '12.5' })).toBe(12.5);
    expect(amountOf({ type: 'vaultLeaderCommission', user: ME, usdc: '4.0' })).toBe(4);
  });

  it('rewardsClaim in USDC: +', () => {
    expect(amountOf({ type: 'rewardsClaim', amount: '7.25', token: 'USDC' })).toBe(7.25);
  });

  it('no flow: liquidation (a trading loss), spot transfers and spot-side types', () => {
    const none = [
      { type: 'liquidation', liquidatedNtlPos: '1000.0', accountValue: '50.0', leverageType: 'Cross', liquidatedPositions: [{ coin: 'BTC', szi: '0.01' }] },
      { type: 'spotTransfer', token: 'USDC', amount: '10.5', usdcValue: '10.5', user: ME, destination: OTHER, fee: '1.0', nativeTokenFee: '0.0', nonce: null, feeToken: '' },
      { type: 'spotGenesis', token: 'HYPE', amount: '10.0' },
      { type: 'cStakingTransfer', token: 'HYPE', amount: '10.0', isDeposit: true },
      { type: 'borrowLend', token: 'USDC', operation: 'supply', amount: '10.0', interestAmount: '0.0' },
    ];
    expect(normalizeLedgerUpdates(none.map((d) => entry(d)), ctx)).toEqual([]);
  });

  it('unknown types are passed over without a crash, the known ones around them still count', () => {
    const flows = normalizeLedgerUpdates([entry({ type: 'somethingNew', whatever: 1 }), entry({ type: 'deposit', usdc: '5.0' }), entry({ type: 'x' })], ctx);
    expect(flows.map((f) => f.amount)).toEqual([5]);
  });

  it('ids are unique and stable: hash, time, type, amount; flows come oldest first', () => {
    const a = entry({ type: 'deposit', usdc: '1.0' }, 2_000);
    const b = entry({ type: 'withdraw', usdc: '1.0', nonce: 1, fee: '0.0' }, 1_000);
    const flows = normalizeLedgerUpdates([a, b], ctx);
    expect(flows.map((f) => f.time)).toEqual([1_000, 2_000]);
    expect(flows[1]!.id).toBe(`${a.hash}:2000:deposit:1`);
    expect(normalizeLedgerUpdates([a], ctx)[0]!.id).toBe(flows[1]!.id);
    expect(new Set(flows.map((f) => f.id)).size).toBe(2);
  });

  it('a zero-amount entry gives no flow (a CashFlow is never 0)', () => {
    expect(flowOf({ type: 'deposit', usdc: '0.0' })).toBeUndefined();
  });
});

describe('hyperliquid ledger: bad payloads', () => {
  const bad = (raw: unknown, pattern: RegExp) => {
    let err: unknown;
    try {
      normalizeLedgerUpdates(raw, ctx);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BadPayloadError);
    expect((err as Error).message).toMatch(pattern);
  };

  it('names the payload and the field', () => {
    bad({ not: 'an array' }, /userNonFundingLedgerUpdates: malformed payload/);
    bad([{ hash: hash(1), delta: { type: 'deposit', usdc: '1' } }], /time/);
    bad([entry({ usdc: '1' })], /delta\.type/);
    // A known type with a wrong field is not silently skipped.
    bad([entry({ type: 'withdraw', usdc: 'lots', nonce: 1, fee: '1.0' })], /userNonFundingLedgerUpdates\[0\] withdraw.*usdc/);
    bad([entry({ type: 'internalTransfer', usdc: '1.0', user: 'me', destination: OTHER, fee: '0' })], /internalTransfer.*user/);
    bad([entry({ type: 'accountClassTransfer', usdc: '1.0' })], /toPerp/);
  });

  it('a negative amount is refused, not flipped', () => {
    bad([entry({ type: 'deposit', usdc: '-5.0' })], /non-negative/);
  });
});

describe('hyperliquid ledger: websocket event', () => {
  it('reads the snapshot flag and the flows; another user is not parsed', () => {
    const e = normalizeLedgerUpdatesEvent({ user: ME, isSnapshot: true, nonFundingLedgerUpdates: [entry({ type: 'deposit', usdc: '3.0' })] }, ctx);
    expect(e).toMatchObject({ user: ME, isSnapshot: true });
    expect(e.flows.map((f) => f.amount)).toEqual([3]);
    expect(normalizeLedgerUpdatesEvent({ user: OTHER, nonFundingLedgerUpdates: 'garbage' }, ctx)).toEqual({ user: OTHER, isSnapshot: false, flows: [] });
    expect(() => normalizeLedgerUpdatesEvent({ nonFundingLedgerUpdates: [] }, ctx)).toThrow(BadPayloadError);
  });
});
