// @vitest-environment happy-dom
import { signal } from '@preact/signals';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { options } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RiskPanel } from '@/components/panel/risk-panel';
import type { ViewState } from '@/lib/messaging/protocol';
import type { TradingPage } from '@/lib/pages/match';
import type { Detection, OrderReading } from '@/lib/pages/types';
import type { ConnectionStatus, LiveView } from '@/lib/ui/live-view';
import { DEFAULT_PLACE, type PanelPlace } from '@/lib/ui/panel-place';
import { account, pos, risk, viewState } from './panel-fixtures';

/** Component renders by name, through preact's render hook (options.__r, `_render` before mangling). */
const renders = new Map<string, number>();
type Hooked = typeof options & { __r?: (vnode: { type: unknown }) => void };
const hooked = options as Hooked;
let previous: Hooked['__r'];
beforeEach(() => {
  renders.clear();
  previous = hooked.__r;
  hooked.__r = (vnode) => {
    if (typeof vnode.type === 'function') renders.set(vnode.type.name, (renders.get(vnode.type.name) ?? 0) + 1);
    previous?.(vnode);
  };
});
afterEach(() => {
  hooked.__r = previous;
  cleanup();
});

function setup(state: ViewState | null, opts: { place?: Partial<PanelPlace>; readForm?: () => OrderReading } = {}) {
  const live: LiveView = {
    state: signal<ViewState | null>(state),
    status: signal<ConnectionStatus>('live'),
    lastError: signal(null),
    reportPage: () => undefined,
    close: () => undefined,
  };
  const page = signal<TradingPage>({ venue: 'binance', symbol: 'BTCUSDT' });
  const detection = signal<Detection | null>({ venue: 'binance', status: 'recognised', matched: [], missing: [], fallbacks: [] });
  const place = signal<PanelPlace>({ ...DEFAULT_PLACE, ...opts.place });
  const onPlace = vi.fn((p: PanelPlace) => (place.value = p));
  render(<RiskPanel live={live} page={page} detection={detection} place={place} onPlace={onPlace} readForm={opts.readForm ?? null} />);
  /** Pushes a state as the background would, and lets the renders settle. */
  const push = async (s: ViewState) => {
    renders.clear();
    await act(() => {
      live.state.value = s;
    });
  };
  return { live, page, place, onPlace, push };
}

describe('RiskPanel', () => {
  it('shows the account, its limits and the position of this symbol', () => {
    setup(viewState());
    expect(screen.getByTestId('rf-panel-equity').textContent).toBe('$10,080.00');
    expect(screen.getByTestId('rf-panel-daypnl').textContent).toBe('+$80.00 (+0.8%)');
    expect(screen.getByTestId('rf-panel-meter-exposure-text').textContent).toBe('48.41% of 50%');
    expect((screen.getByTestId('rf-panel-meter-exposure-fill') as HTMLElement).style.width).toBe('96.8%');
    expect(screen.getByTestId('rf-panel-pos-head').textContent).toBe('LONG 0.08 @ $60,000');
    expect(screen.getByTestId('rf-panel-pos-stop').textContent).toBe('$59,000 · 3.28% away');
    expect(screen.getByTestId('rf-panel-pos-liq').textContent).toBe('$54,900 · 10% away');
    expect(screen.getByTestId('rf-panel-strategy').dataset.trading).toBe('ACTIVE');
    expect(screen.getByTestId('rf-panel-trading').dataset.trading).toBe('ACTIVE');
    expect(screen.getByTestId('rf-detection').dataset.status).toBe('recognised');
  });

  it('a price push writes the changed texts and attributes in place and re-renders nothing', async () => {
    const { push } = setup(viewState());
    const head = screen.getByTestId('rf-panel-pos-head');
    const upnl = screen.getByTestId('rf-panel-pos-upnl');
    const strategy = screen.getByTestId('rf-panel-strategy');
    const moved = account({
      equity: 10_160,
      dayPnl: -160,
      dayLossPct: 1.6,
      exposurePct: 30,
      positions: [pos({ markPrice: 62_000, unrealizedPnl: -160, liqDistancePct: 12.5 })],
    });
    await push(viewState(risk({ accounts: [moved] }), 2));
    expect(screen.getByTestId('rf-panel-pos-upnl').textContent).toBe('-$160.00');
    expect(screen.getByTestId('rf-panel-pos-upnl').className).toBe('rf-pnl--neg');
    expect(screen.getByTestId('rf-panel-pos-mark').textContent).toBe('$62,000');
    expect(screen.getByTestId('rf-panel-pos-liq').textContent).toBe('$54,900 · 12.5% away');
    expect(screen.getByTestId('rf-panel-equity').textContent).toBe('$10,160.00');
    expect(screen.getByTestId('rf-panel-daypnl').textContent).toBe('-$160.00 (-1.6%)');
    expect(screen.getByTestId('rf-panel-daypnl').className).toBe('rf-big rf-pnl--neg');
    expect(screen.getByTestId('rf-panel-meter-exposure-text').textContent).toBe('30% of 50%');
    expect((screen.getByTestId('rf-panel-meter-exposure-fill') as HTMLElement).style.width).toBe('60%');
    expect(screen.getByTestId('rf-panel-meter-day-text').textContent).toBe('1.6% of 2%');
    expect(screen.getByTestId('rf-panel-meter-day').dataset.tone).toBe('warn');
    expect(screen.getByTestId('rf-panel-meter-day').className).toBe('rf-meter rf-tone--warn');
    // Same nodes: nothing was re-created, and no section re-rendered.
    expect(screen.getByTestId('rf-panel-pos-head')).toBe(head);
    expect(screen.getByTestId('rf-panel-pos-upnl')).toBe(upnl);
    expect(screen.getByTestId('rf-panel-strategy')).toBe(strategy);
    expect([...renders]).toEqual([]);
  });

  it('a position opening or closing re-renders the list of positions only', async () => {
    const { push } = setup(viewState());
    await push(viewState(risk({ accounts: [account({ positions: [pos(), pos({ side: 'short', size: -0.01 })] })] }), 2));
    expect(screen.getAllByTestId('rf-panel-position').map((e) => e.dataset.side)).toEqual(['long', 'short']);
    expect(screen.getAllByTestId('rf-panel-pos-head').map((e) => e.textContent)).toEqual(['LONG 0.08 @ $60,000', 'SHORT 0.01 @ $60,000']);
    expect(renders.get('Positions')).toBe(1);
    await push(viewState(risk({ accounts: [account({ positions: [] })] }), 3));
    expect(screen.getByTestId('rf-panel-no-position').textContent).toBe('No BTCUSDT position.');
  });

  it('a push that changes nothing shown re-renders nothing', async () => {
    const { push } = setup(viewState());
    await push(viewState(risk({ evaluatedAt: 2 }), 2));
    expect([...renders.values()].reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('the market line of this symbol, from the market picture; none for other symbols or without data', async () => {
    const market = (symbol: string, error: string | null = null) => ({
      venue: 'binance' as const,
      symbol,
      regime: null,
      atrPct: 2.5,
      book: null,
      line: `${symbol} line: ATR 2.5%`,
      error,
    });
    const { push } = setup(viewState());
    expect(screen.queryByTestId('rf-panel-market')).toBeNull();
    await push({ ...viewState(), market: [market('ETHUSDT'), market('BTCUSDT')] });
    const el = screen.getByTestId('rf-panel-market');
    expect(el.textContent).toBe('MarketBTCUSDT line: ATR 2.5%');
    await push({ ...viewState(), market: [market('BTCUSDT', 'candles: HTTP 503')] });
    expect(screen.getByTestId('rf-panel-market').getAttribute('title')).toBe('Last market data error: candles: HTTP 503');
    await push({ ...viewState(), market: [market('ETHUSDT')] });
    expect(screen.queryByTestId('rf-panel-market')).toBeNull();
  });

  it('HALTED: the chip, the reason and a countdown', async () => {
    const { push } = setup(viewState());
    const until = Date.now() + 30 * 60_000;
    await push(viewState(risk({ accounts: [account({ trading: 'HALTED', tradingReason: 'Taking a break: nothing opens until 15:30.', coolingUntil: until })] }), 2));
    expect(screen.getByTestId('rf-panel-trading').dataset.trading).toBe('HALTED');
    expect(screen.getByTestId('rf-panel-reason').textContent).toContain('Taking a break');
    expect(screen.getByTestId('rf-panel-countdown').textContent).toMatch(/^Ends in (30:00|29:59) \(/);
  });

  it("this symbol halted after a breach on it (the account trading on): the symbol's state, reason and countdown", async () => {
    const { push } = setup(viewState());
    const until = Date.now() + 30 * 60_000;
    const reason = 'BTCUSDT long: down 80% of margin (8% price move at 10x), limit 50%.';
    await push(viewState(risk({ accounts: [account({ symbols: [{ symbol: 'BTCUSDT', trading: 'HALTED', reason, until }] })] }), 2));
    expect(screen.getByTestId('rf-panel-trading').dataset.trading).toBe('HALTED');
    expect(screen.getByTestId('rf-panel-status').querySelector('b')!.textContent).toBe('BTCUSDT halted');
    expect(screen.getByTestId('rf-panel-reason').textContent).toBe(` ${reason}`);
    expect(screen.getByTestId('rf-panel-countdown').textContent).toMatch(/^Ends in (30:00|29:59) \(/);
    // Another symbol halted: this page's account state stands.
    await push(viewState(risk({ accounts: [account({ symbols: [{ symbol: 'ETHUSDT', trading: 'HALTED', reason, until }] })] }), 3));
    expect(screen.getByTestId('rf-panel-trading').dataset.trading).toBe('ACTIVE');
    expect(screen.queryByTestId('rf-panel-status')).toBeNull();
  });

  it('collapses to a pill with the state and PnL, and expands again', async () => {
    const { onPlace, place } = setup(viewState());
    await act(() => {
      fireEvent.click(screen.getByTestId('rf-panel-collapse'));
    });
    expect(onPlace).toHaveBeenLastCalledWith({ ...DEFAULT_PLACE, collapsed: true });
    expect(screen.getByTestId('rf-panel').dataset.collapsed).toBe('true');
    expect(screen.getByTestId('rf-panel-pill-trading').textContent).toBe('ACTIVE');
    expect(screen.getByTestId('rf-panel-pill-pnl').textContent).toBe('+$80.00 (+0.8%)');
    expect(screen.queryByTestId('rf-panel-equity')).toBeNull();
    await act(() => {
      fireEvent.click(screen.getByTestId('rf-panel-pill'));
    });
    expect(place.value.collapsed).toBe(false);
    expect(screen.getByTestId('rf-panel-equity')).toBeTruthy();
  });

  it('the collapsed pill says when the figures may be old: a stale feed, then a lost background', async () => {
    const { live, push } = setup(viewState(), { place: { collapsed: true } });
    expect(screen.queryByTestId('rf-panel-pill-feed')).toBeNull();
    await push(viewState(risk({ accounts: [account({ status: 'stale', statusText: 'No fresh data for 42 s.' })] }), 2));
    expect(screen.getByTestId('rf-panel-pill-feed').textContent).toBe('Stale');
    await act(() => {
      live.status.value = 'lost';
    });
    expect(screen.getByTestId('rf-panel-pill-feed').textContent).toBe('Offline');
    expect(screen.getByTestId('rf-panel-pill-feed').title).toBe('Lost contact with the Ringfence background: figures may be old.');
  });

  it('several accounts of the venue: a selector, remembered with the placement', async () => {
    const two = risk({ accounts: [account(), account({ key: 'binance:swing', label: 'Swing', equity: 500, positions: [] }), account({ key: 'hyperliquid:0x1', venue: 'hyperliquid' })] });
    const { place } = setup(viewState(two));
    const select = screen.getByTestId('rf-panel-account-select') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Desk', 'Swing']);
    await act(() => {
      select.value = 'binance:swing';
      fireEvent.change(select);
    });
    expect(place.value.account).toBe('binance:swing');
    expect(screen.getByTestId('rf-panel-equity').textContent).toBe('$500.00');
    expect(screen.getByTestId('rf-panel-no-position').textContent).toBe('No BTCUSDT position.');
  });

  it('empty states: waiting, no account of this venue, data not live', async () => {
    const { push } = setup(null);
    expect(screen.getByTestId('rf-panel-waiting').textContent).toContain('Waiting for the Ringfence background');
    await push(viewState(risk({ accounts: [account({ key: 'hyperliquid:0x1', venue: 'hyperliquid' })] })));
    expect(screen.getByTestId('rf-panel-empty').textContent).toContain('No Binance USD-M account yet. Add one in Ringfence options');
    await push(viewState(risk({ accounts: [account({ status: 'error', statusText: 'Binance refused this key.' })] }), 3));
    expect(screen.getByTestId('rf-panel-feed').textContent).toBe('Not connected: Binance refused this key. Check the account in Ringfence options.');
  });

  it('the size calculator prefills from the form when opened and never writes to it', async () => {
    const readForm = vi.fn(
      (): OrderReading => ({
        venue: 'binance',
        symbol: 'BTCUSDT',
        side: 'buy',
        positionMode: 'one-way',
        positionSide: null,
        type: 'limit',
        price: 97_000,
        stopPrice: null,
        size: 0.01,
        sizeUnit: 'base',
        sizeAsset: 'BTC',
        leverage: 20,
        marginMode: 'cross',
        reduceOnly: false,
        takeProfit: null,
        stopLoss: 95_000,
        missing: [],
      }),
    );
    setup(viewState(), { readForm });
    const details = screen.getByTestId('rf-panel-calc') as HTMLDetailsElement;
    await act(() => {
      details.open = true;
      fireEvent(details, new Event('toggle'));
    });
    expect(readForm).toHaveBeenCalled();
    expect((screen.getByTestId('rf-calc-risk') as HTMLInputElement).value).toBe('100'); // 1% of $10,080
    expect((screen.getByTestId('rf-calc-entry') as HTMLInputElement).value).toBe('97000');
    expect((screen.getByTestId('rf-calc-stop') as HTMLInputElement).value).toBe('95000');
    expect(screen.getByTestId('rf-calc-size').textContent).toBe('0.05 BTC');
    expect(screen.getByTestId('rf-calc-result').textContent).toContain('$4,850.00 · margin $242.50 at 20x');
  });
});
