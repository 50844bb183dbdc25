import { describe, expect, it } from 'vitest';
import { emptyRiskView, type AccountRisk, type RiskView } from '@/lib/messaging/risk-view';
import { riskLevelFor } from '@/lib/risk/score';
import {
  baseSize,
  countdown,
  dayPnlText,
  DEFAULT_WARN_SHARE,
  deskVerdict,
  feedAdvice,
  findingAccountLabel,
  leverage,
  limitMeter,
  money,
  percent,
  pnlTone,
  price,
  riskLevelName,
  riskScoreMeter,
  signedMoney,
  untilTime,
} from '@/lib/ui/risk-format';

export const account = (patch: Partial<AccountRisk> = {}): AccountRisk => ({
  key: 'binance:main',
  venue: 'binance',
  accountId: 'main',
  label: 'Main',
  mode: 'guard',
  canTrade: true,
  status: 'live',
  statusText: null,
  equity: 10_024,
  walletBalance: 10_000,
  dayPnl: 24,
  dayLossPct: -0.24,
  dailyWarnPct: 1,
  dailyLimitPct: 2,
  drawdownPct: 0,
  drawdownLimitPct: 15,
  exposurePct: 24,
  exposureLimitPct: 50,
  riskScore: 12,
  trading: 'ACTIVE',
  tradingReason: null,
  breaker: 'CLOSED',
  coolingUntil: null,
  positions: [],
  openOrders: 0,
  receivedAt: 1,
  ...patch,
});
const view = (patch: Partial<RiskView> = {}): RiskView => ({ ...emptyRiskView(), accounts: [account()], ...patch });

describe('money', () => {
  it('groups thousands, keeps cents, and signs losses', () => {
    expect(money(1234.5)).toBe('$1,234.50');
    expect(money(1_234_567.891)).toBe('$1,234,567.89');
    expect(money(-12.3)).toBe('-$12.30');
    expect(money(0)).toBe('$0.00');
  });
  it('reads a loss that rounds to zero as $0.00, not -$0.00', () => {
    expect(money(-0.004)).toBe('$0.00');
  });
  it('shows a dash for unknown values', () => {
    expect(money(null)).toBe('—');
    expect(money(undefined)).toBe('—');
    expect(money(Number.NaN)).toBe('—');
  });
  it('signed money always shows the sign of a profit', () => {
    expect(signedMoney(24)).toBe('+$24.00');
    expect(signedMoney(-24)).toBe('-$24.00');
    expect(signedMoney(0.001)).toBe('$0.00');
    expect(signedMoney(null)).toBe('—');
  });
});

describe('price, size, leverage, percent', () => {
  it('prices keep up to 8 significant digits with grouping', () => {
    expect(price(97_312.5)).toBe('$97,312.5');
    expect(price(60_000)).toBe('$60,000');
    expect(price(0.00012345)).toBe('$0.00012345');
    expect(price(null)).toBe('—');
  });
  it('sizes are unsigned (the side says the direction)', () => {
    expect(baseSize(-0.08)).toBe('0.08');
    expect(baseSize(0.1 + 0.2)).toBe('0.3');
  });
  it('leverage carries an x, and unknown or zero is a dash', () => {
    expect(leverage(10)).toBe('10x');
    expect(leverage(2.5)).toBe('2.5x');
    expect(leverage(0)).toBe('—');
  });
  it('percentages drop trailing zeros and never read -0%', () => {
    expect(percent(1.5)).toBe('1.5%');
    expect(percent(12.345)).toBe('12.35%');
    expect(percent(-0.001)).toBe('0%');
    expect(percent(null)).toBe('—');
  });
});

describe('countdown', () => {
  const t0 = 1_700_000_000_000;
  it('m:ss under an hour, rounding up so it never shows 0:00 early', () => {
    expect(countdown(t0 + 15 * 60_000, t0)).toBe('15:00');
    expect(countdown(t0 + 42_100, t0)).toBe('0:43');
  });
  it('h:mm:ss under a day, days and hours beyond', () => {
    expect(countdown(t0 + 3_723_000, t0)).toBe('1:02:03');
    expect(countdown(t0 + (2 * 24 + 3) * 3_600_000, t0)).toBe('2 d 3 h');
  });
  it('0:00 once past', () => {
    expect(countdown(t0 - 5000, t0)).toBe('0:00');
  });
  it('untilTime adds the weekday only when the moment is not today', () => {
    const noon = new Date(2026, 10, 21, 12, 0).getTime();
    expect(untilTime(new Date(2026, 10, 21, 15, 30).getTime(), noon)).toMatch(/^15:30$/);
    expect(untilTime(new Date(2026, 10, 22, 9, 0).getTime(), noon)).toMatch(/^\S+ 09:00$/);
    expect(untilTime(new Date(2026, 10, 22, 0, 5).getTime(), noon)).toMatch(/ 00:05$/); // never 24:05
  });
});

describe('limitMeter', () => {
  it('fills by the share of the limit used and marks the warning level', () => {
    const m = limitMeter(0.5, 2, 1);
    expect(m).toMatchObject({ value: 0.5, fill: 0.25, warnAt: 0.5, tone: 'ok', text: '0.5% of 2%' });
  });
  it('turns warn at the warning level and bad at the limit, and clamps the bar', () => {
    expect(limitMeter(1, 2, 1).tone).toBe('warn');
    expect(limitMeter(2, 2, 1).tone).toBe('bad');
    expect(limitMeter(3, 2, 1).fill).toBe(1);
  });
  it('counts a day in profit (negative loss) as nothing used', () => {
    expect(limitMeter(-0.24, 2, 1)).toMatchObject({ value: 0, fill: 0, tone: 'ok', text: '0% of 2%' });
  });
  it('without a warning level warns at the default share of the limit', () => {
    const m = limitMeter(40, 50);
    expect(m.warn).toBe(50 * DEFAULT_WARN_SHARE);
    expect(m.tone).toBe('warn');
    expect(limitMeter(39.9, 50).tone).toBe('ok');
  });
  it('unknown values read as a dash with no tone', () => {
    expect(limitMeter(null, 15)).toMatchObject({ value: null, fill: 0, tone: 'none', text: '— of 15%' });
  });
});

describe('risk score', () => {
  it('names the same bands as the engine', () => {
    for (let s = 0; s <= 100; s += 0.5) expect(riskLevelName(s).toUpperCase()).toBe(riskLevelFor(s));
  });
  it('is a bar out of 100 with its level', () => {
    expect(riskScoreMeter(42.4)).toMatchObject({ fill: 0.424, text: '42 / 100', level: 'Medium', tone: 'ok' });
    expect(riskScoreMeter(65).tone).toBe('warn');
    expect(riskScoreMeter(85).tone).toBe('bad');
    expect(riskScoreMeter(null)).toMatchObject({ text: '—', level: '', tone: 'none' });
  });
});

describe('dayPnlText and pnlTone', () => {
  it('shows the day in money with the loss share of the start', () => {
    expect(dayPnlText({ dayPnl: -120, dayLossPct: 1.2 })).toBe('-$120.00 (-1.2%)');
    expect(dayPnlText({ dayPnl: 24, dayLossPct: -0.24 })).toBe('+$24.00 (+0.24%)');
    expect(dayPnlText({ dayPnl: 0, dayLossPct: 0 })).toBe('$0.00');
    expect(dayPnlText({ dayPnl: null, dayLossPct: null })).toBe('—');
  });
  it('tones profit and loss, not cents of noise', () => {
    expect([pnlTone(5), pnlTone(-5), pnlTone(0.001), pnlTone(null)]).toEqual(['pos', 'neg', '', '']);
  });
});

describe('feedAdvice', () => {
  it('is null when live', () => {
    expect(feedAdvice({ status: 'live', statusText: null })).toBeNull();
  });
  it('says why a live account is monitored only (its key is not in reach)', () => {
    const text = 'Monitoring only: the key vault is locked, so Ringfence cannot act on this account. Unlock it in Options > Accounts.';
    expect(feedAdvice({ status: 'live', statusText: text })).toEqual({ tone: 'warn', text, next: null, target: null });
  });
  it('says to unlock the vault when locked, with the way there', () => {
    expect(feedAdvice({ status: 'locked', statusText: 'x' })).toEqual({
      tone: 'bad',
      text: 'The key vault is locked: this account is not monitored.',
      next: 'Unlock the vault in Options > Accounts.',
      target: 'accounts',
    });
  });
  it('carries the reason of an error and points to the account settings', () => {
    const a = feedAdvice({ status: 'error', statusText: 'Could not connect: 401.' })!;
    expect(a.text).toBe('Not connected to the exchange. Could not connect: 401.');
    expect(a.target).toBe('accounts');
  });
  it('warns that stale numbers may be old', () => {
    expect(feedAdvice({ status: 'stale', statusText: 'No fresh data for 42 s.' })!.text).toBe('Numbers may be out of date. No fresh data for 42 s.');
  });
});

describe('small numbers and values near a limit', () => {
  it('a loss share that rounds to 0% is left out', () => {
    expect(dayPnlText({ dayPnl: -0.1, dayLossPct: 0.001 })).toBe('-$0.10');
    expect(dayPnlText({ dayPnl: 0.1, dayLossPct: -0.001 })).toBe('+$0.10');
    expect(dayPnlText({ dayPnl: -0.5, dayLossPct: 0.005 })).toBe('-$0.50 (-0.01%)');
  });
  it('under the limit never reads as the limit; reached within the rules tolerance is the limit', () => {
    expect(limitMeter(1.9996, 2, 1)).toMatchObject({ tone: 'warn', text: '1.99% of 2%' });
    expect(limitMeter(1.9999999999999896, 2, 1)).toMatchObject({ tone: 'bad', text: '2% of 2%' });
    expect(limitMeter(0.9999999999999996, 2, 1)).toMatchObject({ tone: 'warn' });
  });
  it('exposure is over only above its limit, as the rule has it', () => {
    expect(limitMeter(50, 50, 30, 'exceeds')).toMatchObject({ tone: 'warn', text: '50% of 50%' });
    expect(limitMeter(50.01, 50, 30, 'exceeds')).toMatchObject({ tone: 'bad' });
    expect(limitMeter(50, 50, 30)).toMatchObject({ tone: 'bad' });
  });
});

describe('deskVerdict', () => {
  it('with no account says so', () => {
    expect(deskVerdict(emptyRiskView(), 'live')).toMatchObject({ tone: 'none', title: 'No account connected' });
  });
  it('all clear when every account is live and active without warnings', () => {
    expect(deskVerdict(view(), 'live')).toEqual({ tone: 'ok', title: 'All limits clear', detail: 'Every account is within its limits.', until: null, next: null, target: null });
  });
  it('a halt outranks everything, naming the halted accounts, with the end of their breaks', () => {
    const v = deskVerdict(
      view({
        accounts: [account({ trading: 'HALTED', tradingReason: 'Taking a break: nothing opens until 2026-11-21 16:30 UTC.', coolingUntil: 99 }), account({ key: 'b', label: 'B', status: 'locked' })],
        strategies: [{ strategyId: 's', trading: 'HALTED', killed: true, reason: null }],
      }),
      'live',
    );
    expect(v).toEqual({
      tone: 'bad',
      title: 'Trading halted',
      detail: 'Nothing new opens on Main.', // the reason is on the account's card
      until: 99, // the end of the halted accounts' timed holds: a countdown, nothing to do
      next: null,
      target: null,
    });
  });
  it('a halt on every account with a timed hold gives the countdown end', () => {
    const v = deskVerdict(view({ accounts: [account({ trading: 'HALTED', coolingUntil: 5000 }), account({ key: 'b', trading: 'HALTED', coolingUntil: 7000 })] }), 'live');
    expect(v).toMatchObject({ tone: 'bad', until: 7000, detail: 'Nothing new opens on any account.' });
  });
  it('a halted account in monitor mode is not said to block: orders there only get a warning', () => {
    const hl = account({ key: 'hyperliquid:x', label: 'HL', mode: 'monitor', trading: 'HALTED' });
    expect(deskVerdict(view({ accounts: [account({ trading: 'HALTED' }), hl] }), 'live').detail).toBe(
      'Nothing new opens on Main. HL is in monitor mode: orders there only get a warning.',
    );
    expect(deskVerdict(view({ accounts: [hl, account({ key: 'hyperliquid:y', label: 'HL2', mode: 'monitor', trading: 'HALTED' })] }), 'live').detail).toBe(
      'HL, HL2 are in monitor mode: orders there only get a warning.',
    );
  });
  it('a halt without an end says how to lift it, in words that fit where it is read', () => {
    const halted = view({ accounts: [account({ trading: 'HALTED' })] });
    expect(deskVerdict(halted, 'live')).toMatchObject({
      detail: 'Nothing new opens on any account.',
      next: 'Reset it in Options > Overview when you are ready.',
      target: 'overview',
    });
    expect(deskVerdict(halted, 'live', { resetHint: { next: 'Use Reset below.', target: null } })).toMatchObject({ next: 'Use Reset below.', target: null });
  });
  it('then a killed strategy, then feeds that are not live, then reduce-only, then warnings', () => {
    expect(deskVerdict(view({ strategies: [{ strategyId: 'grid', trading: 'HALTED', killed: true, reason: null }] }), 'live')).toMatchObject({
      tone: 'bad',
      title: 'Strategy stopped',
      detail: 'Kill switch fired: grid.',
    });
    expect(deskVerdict(view({ accounts: [account({ status: 'locked' })] }), 'live')).toMatchObject({
      title: 'Vault locked',
      detail: 'Main: vault locked, not monitored.',
      next: 'Unlock the vault in Options > Accounts.',
      target: 'accounts',
    });
    expect(deskVerdict(view({ accounts: [account({ trading: 'REDUCING' })] }), 'live')).toMatchObject({ title: 'Reduce-only', detail: 'Only exits pass on Main.' });
    expect(
      deskVerdict(view({ findings: [{ severity: 'warning', rule: 'daily-loss', text: 'Daily loss 1.2% is past the warning.', account: 'binance:main', symbol: null }] }), 'live'),
    ).toMatchObject({ tone: 'warn', title: 'Warning', detail: 'Daily loss 1.2% is past the warning.' });
    expect(deskVerdict(view({ findings: [{ severity: 'notice', rule: 'x', text: 'n', account: null, symbol: null }] }), 'live').title).toBe('All limits clear');
  });
  it('lists every problem in a few words, the worst first, leaving the details to the cards', () => {
    const v = deskVerdict(
      view({
        accounts: [account({ label: 'Old key', status: 'error', statusText: 'Could not connect: HTTP 401.' }), account({ key: 'b', label: 'Swing', trading: 'REDUCING' })],
        findings: [{ severity: 'critical', rule: 'total-exposure', text: 'Total exposure is 60% of equity, limit 50%.', account: 'b', symbol: null }],
      }),
      'live',
    );
    expect(v).toEqual({ tone: 'warn', title: 'Not all accounts live', detail: 'Old key: not connected. Only exits pass on Swing.', until: null, next: null, target: null });
  });
  it('a symbol halted after a breach on it (its cooling-off only a notice) is not "all limits clear"', () => {
    const btc = { symbol: 'BTCUSDT', trading: 'HALTED' as const, reason: 'BTCUSDT long: down 80% of margin.', until: 123 };
    const notice = { severity: 'notice' as const, rule: 'cooling-off', text: 'Cooling off after a breach.', account: 'binance:main', symbol: 'BTCUSDT' };
    expect(deskVerdict(view({ accounts: [account({ symbols: [btc] })], findings: [notice] }), 'live')).toEqual({
      tone: 'warn',
      title: 'BTCUSDT halted',
      detail: 'BTCUSDT halted on Main.',
      until: null,
      next: null,
      target: null,
    });
    const eth = { symbol: 'ETHUSDT', trading: 'REDUCING' as const, reason: null, until: null };
    expect(deskVerdict(view({ accounts: [account({ symbols: [eth] })] }), 'live')).toMatchObject({ title: 'ETHUSDT reduce-only', detail: 'Only exits pass on ETHUSDT (Main).' });
    expect(deskVerdict(view({ accounts: [account({ symbols: [btc, eth] })] }), 'live')).toMatchObject({
      title: 'BTCUSDT halted',
      detail: 'BTCUSDT halted on Main. Only exits pass on ETHUSDT (Main).',
    });
  });
  it('notes a lost connection to the background', () => {
    const v = deskVerdict(view(), 'lost');
    expect(v.tone).toBe('warn');
    expect(v.detail).toContain('Lost contact with the background');
  });
});

it('findingAccountLabel names the account by its label', () => {
  expect(findingAccountLabel('binance:main', [account()])).toBe('Main');
  expect(findingAccountLabel('binance:gone', [account()])).toBe('binance:gone');
  expect(findingAccountLabel(null, [account()])).toBeNull();
});
