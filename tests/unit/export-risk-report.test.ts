import { describe, expect, it } from 'vitest';
import { riskReport } from '@/lib/export/risk-report';
import { emptyRiskView, type AccountRisk } from '@/lib/messaging/risk-view';

const NOW = Date.UTC(2026, 10, 21, 18, 0);
const acct: AccountRisk = {
  key: 'binance:main',
  venue: 'binance',
  accountId: 'main',
  label: 'Main',
  mode: 'enforce',
  canTrade: true,
  status: 'live',
  statusText: null,
  equity: 9_616,
  walletBalance: 10_000,
  dayPnl: -384,
  dayLossPct: 3.84,
  dailyWarnPct: 1,
  dailyLimitPct: 2,
  drawdownPct: 3.84,
  drawdownLimitPct: 15,
  exposurePct: 0,
  exposureLimitPct: 50,
  riskScore: 64.8,
  trading: 'HALTED',
  tradingReason: 'Daily loss 3.84% of the equity at the period start ($10,000.00), limit 2%.',
  breaker: 'OPEN',
  coolingUntil: NOW + 30 * 60_000,
  positions: [{ symbol: 'ETHUSDT', side: 'short', size: -1.5, entryPrice: 3000, markPrice: 2990, unrealizedPnl: 15, leverage: 5, liquidationPrice: 3500, stopPrice: null, stopDistancePct: null, liqDistancePct: 17.06, strategyId: 'manual' }],
  openOrders: 0,
  receivedAt: NOW,
};

describe('risk report', () => {
  it('lists accounts, positions, findings, strategies and actions in plain text', () => {
    const view = { ...emptyRiskView(), trading: 'HALTED' as const, badge: { text: 'HALT' as const, color: '', title: '' }, accounts: [acct], findings: [{ severity: 'emergency' as const, rule: 'daily-loss', text: 'Daily loss 3.84%.', account: 'binance:main', symbol: null }] };
    const text = riskReport(view, [{ id: 3, ts: NOW - 60_000, kind: 'action.done', severity: 'notice', message: 'Main: BTCUSDT long closed (0.08 filled).' }], NOW);
    expect(text).toBe(
      [
        'Ringfence risk report - 2026-11-21 18:00 UTC',
        'Overall: HALTED (badge HALT)',
        '',
        'Main (binance, enforce mode) - HALTED: Daily loss 3.84% of the equity at the period start ($10,000.00), limit 2%.',
        '  Feed: live',
        '  Equity $9,616.00; today -$384.00 (loss 3.84% of the 2% daily limit)',
        '  Drawdown 3.84% of the 15% limit; exposure 0% of 50%; risk score 65',
        '  Circuit breaker OPEN; nothing opens until 2026-11-21 18:30 UTC',
        '  ETHUSDT short 1.5 @ 3000, mark 2990, uPnL $15.00, 5x, to stop n/a, to liquidation 17.06% [manual]',
        '',
        'Open findings:',
        '  [emergency] Daily loss 3.84%. (binance:main)',
        '',
        'Strategies not trading normally:',
        '  None.',
        '',
        'Latest actions:',
        '  2026-11-21 17:59 UTC [notice] Main: BTCUSDT long closed (0.08 filled).',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is nothing', () => {
    expect(riskReport(emptyRiskView(), [], NOW)).toContain('No accounts are set up.\nOpen findings:\n  None.');
  });

  it('prints an amount a fraction of a cent below zero as $0.00, and rounds the rest as it prints them', () => {
    const position = { ...acct.positions[0]!, symbol: 'BTCUSDT', side: 'long' as const, size: 0.01, entryPrice: 97000, markPrice: 96999.7, liquidationPrice: null, liqDistancePct: null };
    const lines = (dayPnl: number, unrealizedPnl: number) =>
      riskReport({ ...emptyRiskView(), accounts: [{ ...acct, dayPnl, positions: [{ ...position, unrealizedPnl }] }] }, [], NOW)
        .split('\n')
        .filter((l) => l.includes('today') || l.includes('uPnL'));
    expect(lines(-0.004, -0.003)).toEqual([
      '  Equity $9,616.00; today $0.00 (loss 3.84% of the 2% daily limit)',
      '  BTCUSDT long 0.01 @ 97000, mark 96999.7, uPnL $0.00, 5x, to stop n/a, to liquidation n/a [manual]',
    ]);
    expect(lines(-0.006, -1234.567)).toEqual([
      '  Equity $9,616.00; today -$0.01 (loss 3.84% of the 2% daily limit)',
      '  BTCUSDT long 0.01 @ 97000, mark 96999.7, uPnL -$1,234.57, 5x, to stop n/a, to liquidation n/a [manual]',
    ]);
  });
});
