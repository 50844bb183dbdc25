import { describe, expect, it } from 'vitest';
import { MANUAL_STRATEGY as DOMAIN_MANUAL } from '@/lib/domain/types';
import type { FindingView } from '@/lib/messaging/risk-view';
import { limitMeter, riskScoreMeter } from '@/lib/ui/risk-format';
import {
  barPct,
  feedText,
  liqText,
  MANUAL_STRATEGY,
  meterVm,
  noPositionText,
  pillVm,
  positionVm,
  sameSymbol,
  sameVm,
  shownStrategy,
  statusVm,
  stopText,
  strategyVm,
  summaryVm,
  symbolPositions,
  venueAccounts,
} from '@/lib/ui/panel-view';
import { account, pos } from './panel-fixtures';

const finding = (patch: Partial<FindingView>): FindingView => ({
  severity: 'warning',
  rule: 'total-exposure',
  text: 'Total exposure is 48% of equity, limit 50%.',
  account: 'binance:desk',
  symbol: null,
  ...patch,
});

describe('bars', () => {
  it('turns fractions into CSS percentages, clamped to 0..100%', () => {
    expect(barPct(0)).toBe('0%');
    expect(barPct(0.425)).toBe('42.5%');
    expect(barPct(1 / 3)).toBe('33.3%');
    expect(barPct(1.7)).toBe('100%');
    expect(barPct(-0.2)).toBe('0%');
    expect(barPct(Number.NaN)).toBe('0%');
  });
  it("today's loss: the fill against the emergency limit, the mark at the warning level", () => {
    const m = meterVm("Today's loss", limitMeter(0.5, 2, 1.5));
    expect(m).toEqual({
      label: "Today's loss",
      text: '0.5% of 2%',
      tone: 'ok',
      fill: '25%',
      mark: '75%',
      now: 25,
      spoken: "Today's loss: 0.5% of 2%, warning at 1.5%",
    });
  });
  it('past the warning and past the limit: warn, then bad with a full bar', () => {
    expect(meterVm('x', limitMeter(1.6, 2, 1.5))).toMatchObject({ tone: 'warn', fill: '80%' });
    expect(meterVm('x', limitMeter(2.4, 2, 1.5))).toMatchObject({ tone: 'bad', fill: '100%', text: '2.4% of 2%' });
  });
  it('a day in profit uses none of the limit; unknown is a dash and an empty bar', () => {
    expect(meterVm('x', limitMeter(-0.8, 2, 1.5))).toMatchObject({ fill: '0%', text: '0% of 2%', tone: 'ok' });
    expect(meterVm('Drawdown', limitMeter(null, 15))).toMatchObject({ fill: '0%', text: '— of 15%', tone: 'none', spoken: 'Drawdown: unknown' });
  });
  it('the risk score against 100 with its level', () => {
    expect(meterVm('Risk score', riskScoreMeter(34))).toMatchObject({ text: '34 / 100 Low', fill: '34%', mark: '60%', tone: 'ok' });
    expect(meterVm('Risk score', riskScoreMeter(85))).toMatchObject({ text: '85 / 100 Critical', tone: 'bad' });
  });
});

describe('the account of this venue', () => {
  const list = [account({ key: 'binance:a', label: 'A' }), account({ key: 'hyperliquid:0xabc', venue: 'hyperliquid', label: 'H' }), account({ key: 'binance:b', label: 'B' })];
  it('keeps the keys that start with the venue', () => {
    expect(venueAccounts(list, 'binance').map((a) => a.key)).toEqual(['binance:a', 'binance:b']);
    expect(venueAccounts(list, 'hyperliquid').map((a) => a.key)).toEqual(['hyperliquid:0xabc']);
  });
});

describe('summary and status', () => {
  it('formats equity, PnL and the four meters', () => {
    const s = summaryVm(account());
    expect(s.equity).toBe('$10,080.00');
    expect(s.dayPnl).toBe('+$80.00 (+0.8%)');
    expect(s.dayTone).toBe('pos');
    expect(s.day).toMatchObject({ text: '0% of 2%', mark: '75%' });
    expect(s.drawdown).toMatchObject({ text: '0.5% of 15%', fill: '3.3%', mark: '80%' });
    expect(s.exposure).toMatchObject({ text: '48.41% of 50%', tone: 'warn', fill: '96.8%' });
    expect(s.score.text).toBe('34 / 100 Low');
  });
  it('a losing day', () => {
    expect(summaryVm(account({ dayPnl: -150.5, dayLossPct: 1.49 }))).toMatchObject({ dayPnl: '-$150.50 (-1.49%)', dayTone: 'neg', day: { tone: 'ok', fill: '74.5%' } });
  });
  it('ACTIVE carries no reason; HALTED carries the reason and the end of the break', () => {
    expect(statusVm(account())).toEqual({ trading: 'ACTIVE', tone: 'ok', label: 'Active', scope: null, reason: null, until: null, reset: null, feed: null, feedTone: 'none' });
    const halted = statusVm(account({ trading: 'HALTED', tradingReason: 'Taking a break: nothing opens until 15:30.', coolingUntil: 123 }));
    expect(halted).toMatchObject({ trading: 'HALTED', tone: 'bad', label: 'Halted', reason: 'Taking a break: nothing opens until 15:30.', until: 123 });
  });
  it("on a symbol halted after a breach on it, the page shows that symbol's state, not the account's ACTIVE", () => {
    const symbols = [{ symbol: 'BTCUSDT', trading: 'HALTED' as const, reason: 'BTCUSDT long: down 80% of margin (8% price move at 10x), limit 50%.', until: 456 }];
    const a = account({ symbols });
    expect(statusVm(a, 'BTCUSDT')).toEqual({
      trading: 'HALTED',
      tone: 'bad',
      label: 'Halted',
      scope: 'BTCUSDT',
      reason: 'BTCUSDT long: down 80% of margin (8% price move at 10x), limit 50%.',
      until: 456,
      reset: null,
      feed: null,
      feedTone: 'none',
    });
    expect(pillVm(a, 'BTCUSDT')).toMatchObject({ trading: 'HALTED', tone: 'bad', until: 456 });
    // Another symbol's page, or no symbol: the account's state.
    expect(statusVm(a, 'ETHUSDT')).toMatchObject({ trading: 'ACTIVE', scope: null, reason: null, until: null });
    expect(statusVm(a)).toMatchObject({ trading: 'ACTIVE', scope: null });
    // The stricter of the two wins; an account already halted keeps its own reason.
    const both = account({ trading: 'HALTED', tradingReason: 'Daily loss 2% of the equity at the period start ($10,000.00), limit 2%.', coolingUntil: 789, symbols });
    expect(statusVm(both, 'BTCUSDT')).toMatchObject({ trading: 'HALTED', scope: null, reason: 'Daily loss 2% of the equity at the period start ($10,000.00), limit 2%.', until: 789 });
    const reducing = account({ trading: 'REDUCING', tradingReason: 'Exposure 60% of equity, limit 50%.', symbols });
    expect(statusVm(reducing, 'BTCUSDT')).toMatchObject({ trading: 'HALTED', scope: 'BTCUSDT', until: 456 });
  });
  it('a feed that is not live says so with its status text, and what to do when only the user can fix it', () => {
    expect(statusVm(account({ status: 'stale', statusText: 'No fresh data for 42 s.' }))).toMatchObject({ feed: 'Stale: No fresh data for 42 s.', feedTone: 'warn' });
    expect(statusVm(account({ status: 'reconnecting', statusText: 'socket closed' }))).toMatchObject({ feed: 'Reconnecting: socket closed.', feedTone: 'warn' });
    expect(statusVm(account({ status: 'locked' }))).toMatchObject({ feed: 'Vault locked. Unlock the vault in Ringfence options.', feedTone: 'bad' });
    expect(feedText({ status: 'error', statusText: 'Binance refused this key' })).toBe('Not connected: Binance refused this key. Check the account in Ringfence options.');
    expect(feedText({ status: 'live', statusText: null })).toBeNull();
  });
});

describe('distances', () => {
  it('to the stop: price and distance; no stop is a warning', () => {
    expect(stopText({ stopPrice: 59_000, stopDistancePct: 3.28 })).toEqual({ text: '$59,000 · 3.28% away', tone: 'none' });
    expect(stopText({ stopPrice: 59_000, stopDistancePct: null })).toEqual({ text: '$59,000', tone: 'none' });
    expect(stopText({ stopPrice: null, stopDistancePct: null })).toEqual({ text: 'No stop order', tone: 'warn' });
    expect(stopText({ stopPrice: null, stopDistancePct: null }, 'bad')).toEqual({ text: 'No stop order', tone: 'bad' });
  });
  it('to liquidation: price and distance, or None', () => {
    expect(liqText({ liquidationPrice: 54_900.5, liqDistancePct: 10 })).toEqual({ text: '$54,900.5 · 10% away', tone: 'none' });
    expect(liqText({ liquidationPrice: null, liqDistancePct: null })).toEqual({ text: 'None', tone: 'none' });
  });
});

describe('positions', () => {
  it("this symbol's position in words, toned by the engine's findings on it", () => {
    const findings = [finding({ rule: 'liquidation-distance', severity: 'critical', symbol: 'BTCUSDT', text: 'close to liquidation' })];
    expect(positionVm(pos(), 'binance:desk', findings)).toEqual({
      id: 'BTCUSDT:long',
      side: 'long',
      head: 'LONG 0.08 @ $60,000',
      leverage: '10x',
      mark: '$61,000',
      upnl: '+$80.00',
      upnlTone: 'pos',
      stop: '$59,000 · 3.28% away',
      stopTone: 'none',
      liq: '$54,900 · 10% away',
      liqTone: 'bad',
      strategyId: 'manual',
    });
  });
  it('a short in a loss, sizes unsigned', () => {
    expect(positionVm(pos({ side: 'short', size: -0.5, unrealizedPnl: -12.3456 }), 'k', [])).toMatchObject({ head: 'SHORT 0.5 @ $60,000', upnl: '-$12.35', upnlTone: 'neg' });
  });
  it('matches the page symbol case-insensitively, hedge mode gives two', () => {
    const a = account({ positions: [pos(), pos({ side: 'short', size: -0.02 }), pos({ symbol: 'ETHUSDT' })] });
    expect(symbolPositions(a, 'btcusdt', []).map((p) => p.id)).toEqual(['BTCUSDT:long', 'BTCUSDT:short']);
    expect(symbolPositions(a, null, [])).toEqual([]);
    expect(sameSymbol('xyz:XYZ100', 'xyz:XYZ100')).toBe(true);
  });
  it('says when there is none here and how many elsewhere', () => {
    expect(noPositionText(account({ positions: [] }), 'BTCUSDT')).toBe('No BTCUSDT position.');
    expect(noPositionText(account({ positions: [pos({ symbol: 'ETHUSDT' }), pos({ symbol: 'SOLUSDT' })] }), 'BTCUSDT')).toBe('No BTCUSDT position. 2 open on other symbols.');
    expect(noPositionText(account({ positions: [] }), null)).toBe('No symbol on this page.');
  });
});

describe('strategy', () => {
  it("shows the position's strategy, else manual (the domain's name)", () => {
    expect(MANUAL_STRATEGY).toBe(DOMAIN_MANUAL);
    expect(shownStrategy([])).toBe('manual');
    expect(shownStrategy([{ strategyId: 'grid-1' }])).toBe('grid-1');
  });
  it('a strategy not listed trades normally; listed ones carry their state and reason', () => {
    expect(strategyVm([], 'manual')).toEqual({ id: 'manual', trading: 'ACTIVE', tone: 'ok', text: 'Trading normally' });
    expect(strategyVm([{ strategyId: 'grid-1', trading: 'REDUCING', killed: false, reason: 'Three losses in a row.' }], 'grid-1')).toEqual({
      id: 'grid-1',
      trading: 'REDUCING',
      tone: 'warn',
      text: 'Three losses in a row.',
    });
    expect(strategyVm([{ strategyId: 'grid-1', trading: 'HALTED', killed: true, reason: null }], 'grid-1')).toMatchObject({ trading: 'KILLED', tone: 'bad' });
  });
});

describe('pill', () => {
  it('state, PnL and the end of a break; nothing for no account', () => {
    expect(pillVm(account({ trading: 'HALTED', coolingUntil: 99 }))).toEqual({ trading: 'HALTED', tone: 'bad', dayPnl: '+$80.00 (+0.8%)', dayTone: 'pos', until: 99, feed: null });
    expect(pillVm(null)).toEqual({ trading: null, tone: 'none', dayPnl: '—', dayTone: '', until: null, feed: null });
  });
  it('collapsed, it still says when the figures may be old: a lost background first, then a feed not live', () => {
    expect(pillVm(account({ status: 'stale', statusText: 'No fresh data for 42 s.' })).feed).toEqual({ label: 'Stale', tone: 'warn', title: 'Stale: No fresh data for 42 s.' });
    expect(pillVm(account({ status: 'locked', statusText: null })).feed).toEqual({ label: 'Vault locked', tone: 'bad', title: 'Vault locked. Unlock the vault in Ringfence options.' });
    const lost = { label: 'Offline', tone: 'bad', title: 'Lost contact with the Ringfence background: figures may be old.' };
    expect(pillVm(account({ status: 'stale' }), null, 'lost').feed).toEqual(lost);
    expect(pillVm(null, null, 'lost').feed).toEqual(lost);
    expect(pillVm(account(), null, 'connecting').feed).toBeNull();
  });
});

describe('sameVm', () => {
  it('compares view models by value, nested', () => {
    expect(sameVm(summaryVm(account()), summaryVm(account()))).toBe(true);
    expect(sameVm(summaryVm(account()), summaryVm(account({ equity: 10_081 })))).toBe(false);
    expect(sameVm(summaryVm(account()), summaryVm(account({ exposurePct: 48.5 })))).toBe(false);
    expect(sameVm(symbolPositions(account(), 'BTCUSDT', []), symbolPositions(account(), 'BTCUSDT', []))).toBe(true);
    expect(sameVm([], [])).toBe(true);
    expect(sameVm([1], { 0: 1 })).toBe(false);
    expect(sameVm({ a: 1 }, { b: 1 })).toBe(false);
    expect(sameVm(null, {})).toBe(false);
  });
});
