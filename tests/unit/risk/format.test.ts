import { describe, expect, it } from 'vitest';
import { formatReason, qty, usd, when } from '../../../lib/risk/format';
import type { ReasonCode, RiskReason } from '../../../lib/risk/types';

type Sample<C extends ReasonCode> = [Extract<RiskReason, { code: C }>, string];
const acct = { kind: 'account', venue: 'binance', accountId: 'main' } as const;
const sym = { kind: 'symbol', venue: 'hyperliquid', accountId: '0xabc', symbol: 'ETH' } as const;
const strat = { kind: 'strategy', strategyId: 'grid' } as const;
const T = Date.UTC(2026, 2, 10, 12, 30);

/** One sample per reason code: the mapped type makes a missing code a compile error. */
const SAMPLES: { [C in ReasonCode]: Sample<C>[] } = {
  position_drawdown: [[{ code: 'position_drawdown', symbol: 'BTCUSDT', side: 'long', drawdownPct: 52.345, limitPct: 50, priceMovePct: 5.2345, leverage: 10 }, 'BTCUSDT long: down 52.35% of margin (5.23% price move at 10x), limit 50%.']],
  position_stop_loss: [[{ code: 'position_stop_loss', symbol: 'ETH', side: 'short', lossUsd: 1234.5, limitUsd: 5 }, 'ETH short: losing $1,234.50, stop loss is $5.00.']],
  trailing_stop: [[{ code: 'trailing_stop', symbol: 'PEPEUSDT', side: 'long', retracePct: 3.5, limitPct: 3, bestPrice: 0.000012345, markPrice: 0.0000119129 }, 'PEPEUSDT long: price 0.0000119129 is 3.5% off its best 0.000012345, trailing stop is 3%.']],
  time_in_trade: [[{ code: 'time_in_trade', symbol: 'BTCUSDT', side: 'long', minutes: 1.9, limitMinutes: 1 }, 'BTCUSDT long: open for 1 minute, limit 1 minute.']],
  liquidation_distance: [[{ code: 'liquidation_distance', symbol: 'BTCUSDT', side: 'short', distancePct: 4, minPct: 10 }, 'BTCUSDT short: liquidation is 4% away, minimum 10%.']],
  mark_price_missing: [[{ code: 'mark_price_missing', symbol: 'BTCUSDT', side: 'short', check: 'liquidation-distance' }, 'BTCUSDT short: no mark price yet, so the distance to liquidation check cannot run.']],
  account_drawdown: [[{ code: 'account_drawdown', drawdownPct: 16.666, limitPct: 15, peakEquity: 12000, equity: 10000 }, 'Equity $10,000.00 is 16.67% below its peak $12,000.00, limit 15%.']],
  period_loss: [[{ code: 'period_loss', period: 'weekly', lossPct: 4.1, limitPct: 4, basis: 'equity', startValue: 10000 }, 'Weekly loss 4.1% of the equity at the period start ($10,000.00), limit 4%.']],
  period_start_missing: [[{ code: 'period_start_missing', period: 'monthly' }, 'No monthly start value recorded, so the monthly loss cannot be measured.']],
  total_exposure: [[{ code: 'total_exposure', exposurePct: 60, limitPct: 50 }, 'Total exposure is 60% of equity, limit 50%.']],
  equity_not_positive: [[{ code: 'equity_not_positive', equity: -12.5, check: 'total-exposure' }, 'Equity is -$12.50, so the total exposure cannot be measured as a share of it.']],
  position_count: [
    [{ code: 'position_count', count: 1, limit: 10 }, '1 position open, limit 10.'],
    [{ code: 'position_count', count: 11, limit: 10 }, '11 positions open, limit 10.'],
  ],
  minimum_balance: [[{ code: 'minimum_balance', balance: 0, minimum: 10 }, 'Balance $0.00 is below the minimum $10.00.']],
  strategy_kill_switch: [
    [{ code: 'strategy_kill_switch', strategyId: 'grid', pnl: -55, maxDrawdownUsd: 50 }, 'Strategy grid is at -$55.00, kill switch at -$50.00.'],
    [{ code: 'strategy_kill_switch', strategyId: 'grid', pnl: -40, maxDrawdownUsd: 50, peak: 500 }, 'Strategy grid is at -$40.00, $540.00 below its peak of $500.00; kill switch at a drawdown of $50.00.'],
  ],
  strategy_killed: [[{ code: 'strategy_killed', strategyId: 'grid' }, 'Strategy grid is killed until someone resets it.']],
  strategy_symbol: [[{ code: 'strategy_symbol', strategyId: 'grid', symbol: 'BTCUSDT', allowed: 'ETHUSDT' }, 'Strategy grid trades only ETHUSDT, not BTCUSDT.']],
  consecutive_losses: [[{ code: 'consecutive_losses', losses: 5, leverageCap: 5 }, '5 losing trades in a row: leverage capped at 5x.']],
  cooling_off: [[{ code: 'cooling_off', until: T, minutesLeft: 0.2 }, 'Cooling off after a breach until 2026-03-10 12:30 UTC (1 minute left).']],
  revenge_trade: [[{ code: 'revenge_trade', symbol: 'SOLUSDT', sizeRatio: 2.5, minutesAfterLoss: 3.7 }, 'SOLUSDT: re-entered 3 minutes after a loss with 2.5x the size.']],
  overtrading: [[{ code: 'overtrading', window: 'hour', trades: 11, limit: 10 }, '11 trades in the last hour, limit 10.']],
  stale_data: [
    [{ code: 'stale_data', seconds: 31.9, limitSeconds: 30, error: null }, 'No fresh data for 31 seconds (limit 30).'],
    [{ code: 'stale_data', seconds: 1, limitSeconds: 30, error: 'HTTP 429' }, 'No fresh data for 1 second (limit 30): HTTP 429.'],
  ],
  risk_score: [[{ code: 'risk_score', score: 61.5, threshold: 60 }, 'Risk score 61.5 is at or above 60.']],
  manual_halt: [
    [{ code: 'manual_halt', kind: 'break', until: Date.UTC(2026, 10, 21, 18, 30) }, 'Taking a break: nothing opens until 2026-11-21 18:30 UTC.'],
    [{ code: 'manual_halt', kind: 'flatten', until: null }, 'Everything was flattened by hand: nothing opens until someone resets trading.'],
  ],
  trading_state: [
    [{ code: 'trading_state', scope: acct, state: 'HALTED' }, 'Account main (binance) is halted: only exits and cancels pass.'],
    [{ code: 'trading_state', scope: sym, state: 'REDUCING' }, 'ETH on account 0xabc is reducing: only reduce-only orders pass.'],
  ],
  strategy_disabled: [[{ code: 'strategy_disabled', strategyId: 'grid' }, 'Strategy grid is disabled.']],
  breaker_open: [
    [{ code: 'breaker_open', scope: strat, until: T }, 'Strategy grid is cooling off until 2026-03-10 12:30 UTC.'],
    [{ code: 'breaker_open', scope: acct, until: null }, 'Account main (binance) has an open circuit breaker.'],
  ],
  probe_size: [[{ code: 'probe_size', scope: acct, probePct: 50 }, 'Account main (binance) is on probation: new orders are limited to 50% of the normal size.']],
  leverage_cap: [
    [{ code: 'leverage_cap', leverage: 25, cap: 20, source: 'mode' }, 'Leverage 25x is above the leverage mode cap of 20x.'],
    [{ code: 'leverage_cap', leverage: 10, cap: 3, source: 'volatility' }, 'Leverage 10x is above the high-volatility cap of 3x.'],
    [{ code: 'leverage_cap', leverage: 10, cap: 5, source: 'losing_streak' }, 'Leverage 10x is above the losing-streak cap of 5x.'],
    [{ code: 'leverage_cap', leverage: 12, cap: 10, source: 'risk_level' }, 'Leverage 12x is above the risk-level cap of 10x.'],
    [{ code: 'leverage_cap', leverage: 50, cap: 40, source: 'instrument' }, "Leverage 50x is above the exchange's cap of 40x."],
  ],
  leverage_unknown: [[{ code: 'leverage_unknown', assumed: 20 }, 'The order does not show its leverage; checked at 20x.']],
  position_size_cap: [[{ code: 'position_size_cap', marginUsd: 150, capUsd: 100 }, 'Margin $150.00 is above the per-trade cap of $100.00.']],
  projected_exposure: [
    [{ code: 'projected_exposure', exposurePct: 55, limitPct: 50, warning: false }, 'After this order total exposure would be 55% of equity, limit 50%.'],
    [{ code: 'projected_exposure', exposurePct: 35, limitPct: 30, warning: true }, 'After this order total exposure would be 35% of equity, warning at 30%.'],
  ],
  symbol_exposure: [[{ code: 'symbol_exposure', group: 'BTC+ETH', exposurePct: 30, limitPct: 25 }, 'After this order BTC+ETH exposure would be 30% of equity, limit 25%.']],
  risk_per_trade: [[{ code: 'risk_per_trade', riskUsd: 150, limitUsd: 100 }, 'Loss at the stop would be $150.00, risk per trade allows $100.00.']],
  no_stop_loss: [[{ code: 'no_stop_loss' }, 'No stop loss on this order, so its risk cannot be measured.']],
  stop_loss_per_trade: [[{ code: 'stop_loss_per_trade', lossUsd: 7.5, limitUsd: 5 }, "Loss at the stop would be $7.50, the strategy's stop loss is $5.00."]],
  below_minimum_balance: [[{ code: 'below_minimum_balance', balance: 9.99, minimum: 10 }, 'Balance $9.99 is below the minimum $10.00 needed to open.']],
  duplicate_order: [[{ code: 'duplicate_order', seconds: 2.5, windowSeconds: 5 }, 'The same order was sent 2 seconds ago (window 5 seconds).']],
  revenge_entry: [[{ code: 'revenge_entry', symbol: 'ETHUSDT', sizeRatio: 3, minutesAfterLoss: 1 }, 'ETHUSDT: this order comes 1 minute after a loss, at 3x its size.']],
  order_rate: [
    [{ code: 'order_rate', window: 'minute', orders: 6, limit: 6 }, '6 orders in the last minute, limit 6.'],
    [{ code: 'order_rate', window: 'day', orders: 40, limit: 40 }, '40 orders in the last 24 hours, limit 40.'],
  ],
  price_unknown: [[{ code: 'price_unknown', symbol: 'BTCUSDT' }, 'BTCUSDT: no price to value this order, so it cannot be checked.']],
  below_min_notional: [[{ code: 'below_min_notional', notional: 4.2, minNotional: 5 }, 'Order value $4.20 is below the exchange minimum $5.00.']],
  equity_unusable: [[{ code: 'equity_unusable', equity: 0 }, 'Equity is $0.00: nothing can be sized against it.']],
  stop_equals_entry: [[{ code: 'stop_equals_entry', price: 97312.5 }, 'The stop equals the entry (97312.5), so the risk per unit is zero and no size can be computed.']],
  stop_wrong_side: [
    [{ code: 'stop_wrong_side', side: 'long', entry: 100, stop: 101 }, 'A long entered at 100 needs its stop below it, not at 101.'],
    [{ code: 'stop_wrong_side', side: 'short', entry: 100, stop: 99 }, 'A short entered at 100 needs its stop above it, not at 99.'],
  ],
  invalid_sizing_input: [[{ code: 'invalid_sizing_input', field: 'entry' }, 'Cannot size: entry is missing or not a positive number.']],
  below_lot_step: [[{ code: 'below_lot_step', size: 0.00042, lotStep: 0.001 }, 'Size 0.00042 is below the lot step 0.001.']],
  kelly_sample_too_small: [[{ code: 'kelly_sample_too_small', samples: 12, minSamples: 30 }, 'Only 12 trades on record; Kelly sizing needs 30, so it is not used.']],
  kelly_no_edge: [[{ code: 'kelly_no_edge', kelly: -0.126 }, 'The trade record shows no edge (Kelly -0.13): size 0.']],
  exposure_room_exhausted: [
    [{ code: 'exposure_room_exhausted', group: null }, 'No exposure room left under the total exposure limit.'],
    [{ code: 'exposure_room_exhausted', group: 'BTC' }, 'No exposure room left for BTC under the symbol exposure limit.'],
  ],
};

describe('formatReason', () => {
  for (const [code, samples] of Object.entries(SAMPLES) as [ReasonCode, Sample<ReasonCode>[]][])
    it(`formats ${code}`, () => {
      for (const [reason, text] of samples) expect(formatReason(reason)).toBe(text);
    });

  it('formats money, quantities and instants deterministically', () => {
    expect([usd(0), usd(-0.004), usd(1234567.891), usd(-5)]).toEqual(['$0.00', '$0.00', '$1,234,567.89', '-$5.00']);
    expect([qty(0.1 + 0.2), qty(97312.5), qty(1e-8)]).toEqual(['0.3', '97312.5', '1e-8']);
    expect(when(Date.UTC(2026, 10, 21, 16, 5, 59))).toBe('2026-11-21 16:05 UTC');
  });
});
