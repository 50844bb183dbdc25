// @vitest-environment happy-dom
import { signal } from '@preact/signals';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PopupApp } from '@/components/popup/popup-app';
import { OverviewSection } from '@/components/options/overview-section';
import type { RuntimeLike } from '@/lib/messaging/client';
import type { ViewState } from '@/lib/messaging/protocol';
import { emptyRiskView, type AccountRisk } from '@/lib/messaging/risk-view';
import type { LiveView } from '@/lib/ui/live-view';

afterEach(cleanup);

const acct = (patch: Partial<AccountRisk> = {}): AccountRisk => ({
  key: 'binance:main',
  venue: 'binance',
  accountId: 'main',
  label: 'Main',
  mode: 'guard',
  canTrade: true,
  status: 'live',
  statusText: null,
  equity: 10_024.5,
  walletBalance: 10_000,
  dayPnl: 24.5,
  dayLossPct: -0.245,
  dailyWarnPct: 1,
  dailyLimitPct: 2,
  drawdownPct: 0,
  drawdownLimitPct: 15,
  exposurePct: 24.24,
  exposureLimitPct: 50,
  riskScore: 12,
  trading: 'ACTIVE',
  tradingReason: null,
  breaker: 'CLOSED',
  coolingUntil: null,
  positions: [
    {
      symbol: 'BTCUSDT',
      side: 'long',
      size: 0.04,
      entryPrice: 60_000,
      markPrice: 60_600,
      unrealizedPnl: 24,
      leverage: 10,
      liquidationPrice: 54_500,
      stopPrice: null,
      stopDistancePct: null,
      liqDistancePct: 10.07,
      strategyId: 'manual',
    },
  ],
  openOrders: 0,
  receivedAt: 1,
  ...patch,
});

function stateWith(accounts: AccountRisk[]): ViewState {
  return {
    rev: 1,
    workerStartedAt: 1,
    pages: [],
    tables: { strategies: 0, accounts: 0, settings: 0 },
    audit: { count: 0, recent: [] },
    risk: { ...emptyRiskView(), accounts, badge: accounts.length ? { text: 'OK', color: '#0ecb81', title: 'Ringfence: all limits clear' } : emptyRiskView().badge },
  } as ViewState;
}

function setup(accounts: AccountRisk[], answers: Record<string, unknown> = {}) {
  const sent: { type: string; data: unknown }[] = [];
  const runtime: RuntimeLike = {
    sendMessage: vi.fn(async (m: unknown) => {
      const msg = m as { type: string; data: unknown };
      sent.push({ type: msg.type, data: msg.data });
      return { ok: true, data: answers[msg.type] };
    }),
    connect: vi.fn() as unknown as RuntimeLike['connect'],
  };
  const live = { state: signal(stateWith(accounts)), status: signal('live'), lastError: signal(null), reportPage: vi.fn(), close: vi.fn() } as unknown as LiveView;
  render(<PopupApp live={live} runtime={runtime} />);
  return { sent, live };
}

describe('popup', () => {
  it('without an account says where to add one', () => {
    setup([]);
    expect(screen.getByTestId('rf-popup-empty').textContent).toContain('Options > Accounts');
    expect(screen.getByTestId('rf-popup-add-account').getAttribute('href')).toBe('/options.html#accounts');
    expect(screen.queryByTestId('rf-flatten')).toBeNull();
  });

  it('shows equity, today, the limits and the position, every number with its unit', () => {
    setup([acct()]);
    expect(screen.getByTestId('rf-verdict-title').textContent).toBe('All limits clear');
    expect(screen.getByTestId('rf-account-equity').textContent).toBe('$10,024.50');
    expect(screen.getByTestId('rf-account-daypnl').textContent).toBe('+$24.50 (+0.25%)');
    expect(screen.getByTestId('rf-meter-daily-text').textContent).toBe('0% of 2%');
    expect(screen.getByTestId('rf-meter-exposure-text').textContent).toBe('24.24% of 50%');
    expect(screen.getByTestId('rf-meter-score-text').textContent).toBe('12 / 100 Minimal');
    const row = screen.getByTestId('rf-position');
    expect(row.getAttribute('data-symbol')).toBe('BTCUSDT');
    expect(screen.getByTestId('rf-position-size').textContent).toBe('0.04 · 10x');
    expect(screen.getByTestId('rf-position-upnl').textContent).toBe('+$24.00');
    expect(screen.getByTestId('rf-position-stop').textContent).toBe('—');
    expect(screen.getByTestId('rf-position-liq').textContent).toBe('10.07%');
  });

  it('a locked vault says to unlock it, with a link to Accounts', () => {
    setup([acct({ status: 'locked', statusText: 'locked', equity: null })]);
    expect(screen.getByTestId('rf-account-advice').textContent).toContain('The key vault is locked');
    expect(screen.getByTestId('rf-account-next').getAttribute('href')).toBe('/options.html#accounts');
    expect(screen.getByTestId('rf-account-equity').textContent).toBe('—');
    expect(screen.getByTestId('rf-verdict-title').textContent).toBe('Vault locked');
    expect(screen.getByTestId('rf-verdict-next').getAttribute('href')).toBe('/options.html#accounts');
  });

  it('an account that never sent data shows why instead of empty figures', () => {
    setup([acct({ status: 'error', statusText: 'Could not connect: HTTP 401.', equity: null, positions: [] })]);
    expect(screen.getByTestId('rf-account-advice').textContent).toBe(
      'Not connected to the exchange. Could not connect: HTTP 401. Check the API key, network and endpoint in Options > Accounts.',
    );
    expect(screen.queryByTestId('rf-account-equity')).toBeNull();
    expect(screen.queryByTestId('rf-positions')).toBeNull();
  });

  it('a halt without an end links to where it is reset', () => {
    setup([acct({ trading: 'HALTED', tradingReason: 'Everything was flattened by hand: nothing opens until someone resets trading.' })]);
    expect(screen.getByTestId('rf-verdict-next').getAttribute('href')).toBe('/options.html#overview');
    expect(screen.getByTestId('rf-verdict-next').getAttribute('target')).toBe('_blank');
  });

  it('a break shows its countdown once, at the top; an account on another timer shows its own', () => {
    const until = Date.now() + 15 * 60_000;
    setup([
      acct({ trading: 'HALTED', coolingUntil: until, tradingReason: 'Taking a break.' }),
      acct({ key: 'binance:b', label: 'B', trading: 'HALTED', coolingUntil: until - 5 * 60_000, tradingReason: 'Cooling off.' }),
    ]);
    expect(screen.getAllByTestId('rf-account-trading').map((e) => e.getAttribute('data-trading'))).toEqual(['HALTED', 'HALTED']);
    expect(screen.getByTestId('rf-verdict-title').textContent).toBe('Trading halted');
    expect(screen.getByTestId('rf-verdict-cooling').querySelector('[data-testid="rf-countdown"]')!.textContent).toMatch(/^1[45]:\d\d$/);
    const cards = screen.getAllByTestId('rf-account');
    expect(cards[0]!.querySelector('[data-testid="rf-account-cooling"]')).toBeNull();
    expect(cards[1]!.querySelector('[data-testid="rf-countdown"]')!.textContent).toMatch(/^(9|10):\d\d$/);
    expect(screen.getAllByTestId('rf-account-reason').map((e) => e.textContent)).toEqual(['Taking a break.', 'Cooling off.']);
  });

  it('take a break sends the chosen minutes and says until when', async () => {
    const { sent } = setup([acct()], { 'risk.break': { until: Date.now() + 3_600_000 } });
    fireEvent.change(screen.getByLabelText('Take a break'), { target: { value: '1h' } });
    fireEvent.click(screen.getByTestId('rf-break'));
    await waitFor(() => expect(screen.getByTestId('rf-action-result').textContent).toMatch(/^On a break until/));
    expect(sent).toEqual([{ type: 'risk.break', data: { minutes: 60 } }]);
  });

  it('flatten asks first; only the second click sends, with the confirmation word', async () => {
    const { sent } = setup([acct()], { 'risk.flatten': { positions: 1, skipped: [] } });
    fireEvent.click(screen.getByTestId('rf-flatten'));
    expect(sent).toEqual([]);
    expect(screen.getByTestId('rf-flatten-confirm-box').textContent).toContain('1 open position on 1 account that can trade');
    expect(document.activeElement).toBe(screen.getByTestId('rf-flatten-cancel'));
    fireEvent.keyDown(screen.getByTestId('rf-flatten-cancel'), { key: 'Escape' });
    expect(screen.queryByTestId('rf-flatten-confirm')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('rf-flatten'))); // focus back where it was
    fireEvent.click(screen.getByTestId('rf-flatten'));
    fireEvent.click(screen.getByTestId('rf-flatten-confirm'));
    await waitFor(() => expect(screen.getByTestId('rf-action-result').textContent).toMatch(/^Closing 1 position;/));
    expect(sent).toEqual([{ type: 'risk.flatten', data: { confirm: 'FLATTEN' } }]);
  });

  it('shows an error from the background as text', async () => {
    const runtime = { sendMessage: async () => ({ ok: false, error: { code: 'internal', message: 'boom' } }), connect: vi.fn() } as unknown as RuntimeLike;
    const live = { state: signal(stateWith([acct()])), status: signal('live') } as unknown as LiveView;
    render(<PopupApp live={live} runtime={runtime} />);
    fireEvent.click(screen.getByTestId('rf-break'));
    await waitFor(() => expect(screen.getByTestId('rf-action-result').textContent).toBe('Could not start the break: boom'));
  });
});

describe('options overview', () => {
  it('offers a reset on a halted account, after a confirmation', async () => {
    const sent: unknown[] = [];
    const runtime = {
      sendMessage: async (m: { type: string; data: unknown }) => {
        sent.push(m.data);
        return { ok: true, data: { ok: true } };
      },
      connect: vi.fn(),
    } as unknown as RuntimeLike;
    const state = stateWith([acct({ trading: 'HALTED', tradingReason: 'Everything was flattened by hand.' }), acct({ key: 'binance:b', label: 'B' })]);
    render(<OverviewSection state={state} now={Date.now()} runtime={runtime} connection="live" />);
    expect(screen.getAllByTestId('rf-account')).toHaveLength(2);
    expect(screen.getAllByTestId('rf-account-reset')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Reset trading on Main…' }));
    expect(sent).toEqual([]);
    expect(screen.getByRole('group', { name: 'Confirm reset of Main' }).textContent).toContain('Trading opens again unless a limit is still breached');
    fireEvent.click(screen.getByTestId('rf-account-reset-confirm'));
    await waitFor(() => expect(sent).toEqual([{ kind: 'account', account: 'binance:main' }]));
    expect(screen.getByTestId('rf-options-pages-count').textContent).toBe('0');
    expect(screen.getByTestId('rf-verdict-detail').textContent).toBe('Nothing new opens on Main. Reset it with the Reset button on the account below when you are ready.');
    expect(screen.queryByTestId('rf-verdict-next')).toBeNull(); // the button is right there: no link
  });

  it('lists findings with their severity and the strategies not trading normally', () => {
    const state = stateWith([acct()]);
    state.risk.findings = [{ severity: 'critical', rule: 'total-exposure', text: 'Exposure 62% is above the 50% limit.', account: 'binance:main', symbol: null }];
    state.risk.strategies = [
      { strategyId: 'grid-1', trading: 'HALTED', killed: true, reason: null },
      { strategyId: 'momo', trading: 'REDUCING', killed: false, reason: 'Strategy momo is reducing: only reduce-only orders pass.' },
    ];
    render(<OverviewSection state={state} now={Date.now()} runtime={{} as RuntimeLike} connection="live" />);
    const finding = screen.getByTestId('rf-findings').querySelector('li')!;
    expect(finding.getAttribute('data-severity')).toBe('critical');
    expect(finding.textContent).toBe('criticalMain: Exposure 62% is above the 50% limit.');
    const rows = screen.getByTestId('rf-overview-strategies').querySelectorAll('tbody tr');
    expect([...rows].map((r) => r.getAttribute('data-trading'))).toEqual(['HALTED', 'REDUCING']);
    expect(rows[0]!.textContent).toContain('Killed');
    expect(rows[1]!.textContent).toContain('only reduce-only orders pass');
  });
});
