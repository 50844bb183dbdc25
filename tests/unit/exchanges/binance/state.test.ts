/** Live state between snapshots: numbers move as Binance's formulas say, starting from Binance's own. */
import { describe, expect, it } from 'vitest';
import { cashFlowsOf, normalizeAccount, normalizePositionRisk, normalizeSymbolConfig, type AccountUpdate } from '../../../../lib/exchanges/binance/normalize';
import { accountOf, applyAccountUpdate, applyMark, fromSnapshot, positionsOf, valuesBeforeFlows } from '../../../../lib/exchanges/binance/state';

const ctx = { accountId: 'a1', now: 1000 };
const settings = normalizeSymbolConfig([{ symbol: 'BTCUSDT', marginType: 'CROSSED', leverage: 20 }]);
const acc = normalizeAccount(
  {
    totalInitialMargin: '1500',
    totalMaintMargin: '120',
    totalWalletBalance: '10000',
    totalUnrealizedProfit: '500',
    totalMarginBalance: '10500',
    totalCrossWalletBalance: '10000',
    totalCrossUnPnl: '500',
    totalOpenOrderInitialMargin: '0',
    availableBalance: '9000',
    assets: [{ asset: 'USDT', walletBalance: '10000' }],
    positions: [],
  },
  ctx,
);
const positions = normalizePositionRisk(
  [
    {
      symbol: 'BTCUSDT',
      positionSide: 'BOTH',
      positionAmt: '0.5',
      entryPrice: '59000',
      markPrice: '60000',
      unRealizedProfit: '500',
      liquidationPrice: '39156.6',
      isolatedMargin: '0',
      notional: '30000',
      initialMargin: '1500',
      updateTime: 900,
    },
  ],
  { ...ctx, settings },
);

describe('binance live state', () => {
  it('right after a snapshot, the numbers are the snapshot`s', () => {
    const s = fromSnapshot(acc, positions, settings);
    expect(accountOf(s)).toMatchObject({ equity: 10500, walletBalance: 10000, availableBalance: 9000, marginUsed: 1500, unrealizedPnl: 500 });
    expect(positionsOf(s)[0]).toMatchObject({ unrealizedPnl: 500, notional: 30000, marginUsed: 1500, liquidationPrice: 39156.6 });
  });

  it('a mark push moves uPnL = amt x (mark - entry), equity, available and margin', () => {
    const s = applyMark(fromSnapshot(acc, positions, settings), 'BTCUSDT', 62000, 2000);
    const a = accountOf(s);
    expect(a.unrealizedPnl).toBeCloseTo(1500, 9);
    expect(a.equity).toBeCloseTo(11500, 9);
    // available = wallet + cross uPnL - cross initial margin: +1000 uPnL, +50 margin (0.5 x 2000 / 20).
    expect(a.availableBalance).toBeCloseTo(9950, 9);
    expect(a.marginUsed).toBeCloseTo(1550, 9);
    expect(positionsOf(s)[0]).toMatchObject({ markPrice: 62000, updatedAt: 2000 });
  });

  it('ACCOUNT_UPDATE: new wallet, changed size -> liquidation price unknown until REST says', () => {
    const upd: AccountUpdate = {
      reason: 'ORDER',
      time: 3000,
      wallets: [{ asset: 'USDT', walletBalance: 10100, crossWalletBalance: 10100, balanceChange: 0 }],
      positions: [{ symbol: 'BTCUSDT', positionSide: 'BOTH', amount: 0.3, entryPrice: 59000, unrealizedPnl: 300, marginMode: 'cross', isolatedWallet: 0 }],
    };
    const r = applyAccountUpdate(fromSnapshot(acc, positions, settings), upd);
    expect(r.changed).toEqual(['BTCUSDT:BOTH']);
    expect(r.needsAccountRefresh).toBe(false);
    const [p] = positionsOf(r.state);
    expect(p).toMatchObject({ size: 0.3, liquidationPrice: null, unrealizedPnl: 300, leverage: 20 });
    expect(accountOf(r.state).walletBalance).toBe(10100);
    expect(accountOf(r.state).equity).toBeCloseTo(10400, 9);
  });

  it('a closed position disappears; a non-stable wallet change asks for a REST refresh', () => {
    const r = applyAccountUpdate(fromSnapshot(acc, positions, settings), {
      reason: 'ORDER',
      time: 3000,
      wallets: [{ asset: 'BTC', walletBalance: 0.1, crossWalletBalance: 0.1, balanceChange: 0 }],
      positions: [{ symbol: 'BTCUSDT', positionSide: 'BOTH', amount: 0, entryPrice: 0, unrealizedPnl: 0, marginMode: 'cross', isolatedWallet: 0 }],
    });
    expect(positionsOf(r.state)).toEqual([]);
    expect(r.needsAccountRefresh).toBe(true);
    expect(accountOf(r.state).unrealizedPnl).toBeCloseTo(0, 9);
  });
});

describe('binance values before a cash flow', () => {
  /** The state after a transfer's ACCOUNT_UPDATE, its flows, and the values before each as the adapter reports them. */
  function transfer(from: ReturnType<typeof fromSnapshot>, wallets: AccountUpdate['wallets'], reason = 'WITHDRAW') {
    const upd: AccountUpdate = { reason, time: 5000, wallets, positions: [] };
    const after = accountOf(applyAccountUpdate(from, upd).state);
    const flows = cashFlowsOf(upd, 'a1', (a) => (a === 'BTC' ? 60_000 : undefined));
    return { after, flows, before: valuesBeforeFlows(after, flows) };
  }
  const usdt = (wb: number, bc: number) => ({ asset: 'USDT', walletBalance: wb, crossWalletBalance: wb, balanceChange: bc });

  it('a withdrawal: the totals before it are the ones after it plus what left (uPnL unchanged)', () => {
    const t = transfer(fromSnapshot(acc, positions, settings), [usdt(6000, -4000)]);
    expect(t.after).toMatchObject({ walletBalance: 6000, equity: 6500 });
    expect(t.before).toEqual([{ equity: 10500, walletBalance: 10000 }]);
  });

  it('a REST snapshot that already shows the withdrawal (read between the transfer and its push) gives the same values', () => {
    const shown = normalizeAccount(
      {
        totalInitialMargin: '1500',
        totalMaintMargin: '120',
        totalWalletBalance: '6000',
        totalUnrealizedProfit: '500',
        totalMarginBalance: '6500',
        totalCrossWalletBalance: '6000',
        totalCrossUnPnl: '500',
        totalOpenOrderInitialMargin: '0',
        availableBalance: '5000',
        assets: [{ asset: 'USDT', walletBalance: '6000' }],
        positions: [],
      },
      ctx,
    );
    const from = fromSnapshot(shown, positions, settings);
    // Taken before the push, that snapshot would say the account held 6,000 before a 4,000 withdrawal.
    expect(accountOf(from).walletBalance).toBe(6000);
    expect(transfer(from, [usdt(6000, -4000)]).before).toEqual([{ equity: 10500, walletBalance: 10000 }]);
  });

  it('two stablecoin flows in one update are taken in order: the second at the balance after the first', () => {
    const t = transfer(fromSnapshot(acc, positions, settings), [usdt(7000, -3000), { asset: 'USDC', walletBalance: 0, crossWalletBalance: 0, balanceChange: -500 }]);
    expect(t.flows.map((f) => f.amount)).toEqual([-3000, -500]);
    expect(t.before).toEqual([
      { equity: 11000, walletBalance: 10500 },
      { equity: 8000, walletBalance: 7500 },
    ]);
  });

  it('a flow in another asset gets none (the totals show it only after a REST refresh) and does not move the others', () => {
    const t = transfer(fromSnapshot(acc, positions, settings), [usdt(9000, -1000), { asset: 'BTC', walletBalance: 0, crossWalletBalance: 0, balanceChange: -0.01 }]);
    expect(t.flows.map((f) => [f.asset, f.amount])).toEqual([
      ['USDT', -1000],
      ['BTC', -600],
    ]);
    expect(t.before).toEqual([{ equity: 10500, walletBalance: 10000 }, undefined]);
  });

  it('a deposit: the totals before it are the ones after it less what came in', () => {
    expect(transfer(fromSnapshot(acc, positions, settings), [usdt(12000, 2000)], 'DEPOSIT').before).toEqual([{ equity: 10500, walletBalance: 10000 }]);
  });
});
