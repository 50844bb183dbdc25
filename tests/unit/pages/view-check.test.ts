/**
 * The page's structural check of a push (lib/pages/view-check) against the protocol's zod schema: what the schema
 * accepts the check accepts; a push with any field the page reads of the wrong type is refused whole; junk never
 * throws. And the page link (lib/ui/panel-live): one port, a bad push changes nothing, the page is reported on it and
 * forgotten with it, the guard's reports are sent as requests; its constants are the protocol's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GUARD_VERDICT } from '@/components/guard/install-guard';
import type { PortLike, RuntimeLike } from '@/lib/messaging/client';
import { guardVerdict } from '@/lib/messaging/guard-requests';
import { PROTOCOL_VERSION, VIEW_PORT, ViewStateSchema, type ViewState } from '@/lib/messaging/protocol';
import { isViewState } from '@/lib/pages/view-check';
import { buildEnvelope } from '@/lib/risk/envelope';
import { PROTOCOL_VERSION as PAGE_PROTOCOL_VERSION, VIEW_PORT as PAGE_VIEW_PORT, createPageLive } from '@/lib/ui/panel-live';
import { account as snapshot, NOW, position, settings } from '../risk/fixtures';
import { account, risk, viewState } from '../ui/panel-fixtures';

/** A state with every optional part present: two accounts, findings, strategies, symbols and a guard envelope. */
function fullState(): ViewState {
  const st = settings({ account: { correlationGroups: [['BTC', 'ETH']] } });
  const envelope = buildEnvelope({
    key: 'binance:desk',
    mode: 'guard',
    view: { account: snapshot({ accountId: 'desk' }), positions: [position({ accountId: 'desk' })], openOrders: [], receivedAt: NOW, feedError: null },
    summary: { at: NOW, riskScore: 30, losingStreak: 1, lastLoss: { time: NOW - 60_000, symbol: 'BTCUSDT', notional: 100 } },
    scopes: {
      'binance:desk:ETHUSDT': {
        scope: { kind: 'symbol', venue: 'binance', accountId: 'desk', symbol: 'ETHUSDT' },
        trading: 'HALTED',
        since: NOW,
        holds: [{ id: 'manual', rule: 'manual', level: 'HALTED', release: 'manual', reason: { code: 'manual_halt', kind: 'flatten', until: null }, since: NOW }],
        breaker: { state: 'CLOSED', since: NOW, until: null, lastBreachAt: null, reason: null },
      },
    },
    settings: st,
    strategies: [],
    marks: { BTCUSDT: 100 },
    recentOrders: [{ symbol: 'BTCUSDT', side: 'buy', size: 1, time: NOW - 1000 }],
    strategyId: 'manual',
    // A volatile symbol and one with a low venue maximum: per-symbol caps, and both symbols' lot rules.
    atrPct: { SOLUSDT: 9 },
    instruments: { ETHUSDT: { venue: 'binance', symbol: 'ETHUSDT', lotStep: 0.001, tickSize: 0.01, minNotional: 5, maxLeverage: 2 } },
  });
  expect(Object.keys(envelope.caps).sort()).toEqual(['ETHUSDT', 'SOLUSDT']);
  expect(Object.keys(envelope.lots)).toEqual(['ETHUSDT']);
  const s = viewState(
    risk({
      accounts: [account(), account({ key: 'binance:two', accountId: 'two', symbols: [{ symbol: 'ETHUSDT', trading: 'HALTED', reason: 'x', until: null }] })],
      findings: [{ severity: 'warning', rule: 'daily-loss', text: 'Daily loss.', account: 'binance:desk', symbol: null }],
      strategies: [{ strategyId: 'manual', trading: 'HALTED', killed: true, reason: null }],
      guard: { settings: st.guard, accounts: [envelope] },
    }),
  );
  s.pages = [{ key: '1', tabId: 1, venue: 'binance', symbol: 'BTCUSDT', url: 'https://www.binance.com/en/futures/BTCUSDT', since: 1, updatedAt: 1 }];
  s.market = [
    {
      venue: 'binance',
      symbol: 'BTCUSDT',
      regime: { interval: '1h', time: NOW, trend: 'weak_up', volatility: 'high', adx: 24, hvPercentile: 91, meanReversion: null },
      atrPct: 2.5,
      book: { time: NOW, spreadBps: 0.5, bandBps: 50, imbalance: 0.2, bidNotional: 6, askNotional: 4, wall: { side: 'ask', price: 101, distanceBps: 40, multiple: 8 } },
      line: '1h: Weak uptrend · high vol · ATR 2.5% · Book 60% bid (±0.5%) · Ask wall 101',
      error: null,
    },
  ];
  return JSON.parse(JSON.stringify(s)) as ViewState;
}

/** Every path to a leaf (or an array / record) in a JSON value. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = at.length ? [at] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}
function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path.at(-1)!] = value;
  return copy;
}

describe('isViewState', () => {
  it('accepts what the protocol schema accepts', () => {
    for (const s of [viewState(), fullState(), viewState(risk({ accounts: [] }))]) {
      expect(ViewStateSchema.safeParse(s).success).toBe(true);
      expect(isViewState(s)).toBe(true);
    }
  });

  it('refuses a push with any field the page reads of the wrong type, where the schema does too', () => {
    const s = fullState();
    let refused = 0;
    for (const p of paths(s)) {
      // Fields the page does not read (WatchedPage ids and times, the tables' counters) may be anything to it.
      if (p[0] === 'tables' || (p[0] === 'pages' && ['tabId', 'since', 'updatedAt'].includes(String(p[2])))) continue;
      if (p[0] === 'audit' && p[1] === 'recent' && p[3] !== 'message') continue;
      if (p[0] === 'risk' && ['evaluatedAt', 'trading', 'badge'].includes(String(p[1]))) continue;
      // Of the market picture the panel reads the venue, symbol, line and error only.
      if (p[0] === 'market' && ['regime', 'atrPct', 'book'].includes(String(p[2]))) continue;
      for (const bad of [undefined, 'x', 7.5, true, {}, [null]]) {
        const mutated = setAt(s, p, bad);
        if (ViewStateSchema.safeParse(mutated).success) continue;
        expect(isViewState(mutated), `${p.join('.')} = ${JSON.stringify(bad)}`).toBe(false);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(500);
  });

  it('never throws on junk', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        expect(typeof isViewState(v)).toBe('boolean');
      }),
    );
    for (const v of [null, undefined, 0, '', [], { rev: 1 }, { ...viewState(), risk: null }]) expect(isViewState(v)).toBe(false);
  });
});

function fakeRuntime() {
  const ports: { port: PortLike; sent: unknown[]; emit: (m: unknown) => void; drop: () => void; disconnected: boolean }[] = [];
  const requests: unknown[] = [];
  const runtime: RuntimeLike = {
    sendMessage: async (m) => {
      requests.push(m);
      return { ok: true, data: { recorded: true } };
    },
    connect: ({ name }) => {
      const onMessage: ((m: unknown) => void)[] = [];
      const onDisconnect: (() => void)[] = [];
      const entry = {
        sent: [] as unknown[],
        disconnected: false,
        emit: (m: unknown) => onMessage.forEach((l) => l(structuredClone(m))),
        drop: () => onDisconnect.forEach((l) => l()),
        port: {
          name,
          postMessage: (m: unknown) => entry.sent.push(m),
          disconnect: () => (entry.disconnected = true),
          onMessage: { addListener: (l: (m: unknown) => void) => onMessage.push(l) },
          onDisconnect: { addListener: (l: () => void) => onDisconnect.push(l) },
        },
      };
      ports.push(entry);
      return entry.port;
    },
  };
  return { runtime, ports, requests };
}

describe('createPageLive', () => {
  it('uses the protocol constants and the guard request name', () => {
    expect(PAGE_PROTOCOL_VERSION).toBe(PROTOCOL_VERSION);
    expect(PAGE_VIEW_PORT).toBe(VIEW_PORT);
    expect(GUARD_VERDICT).toBe(guardVerdict.name);
  });

  it('says hello as a panel, takes good pushes, ignores bad ones and older revisions', () => {
    const { runtime, ports } = fakeRuntime();
    const live = createPageLive(runtime, () => undefined);
    expect(ports).toHaveLength(1);
    expect(ports[0]!.port.name).toBe(VIEW_PORT);
    expect(ports[0]!.sent).toEqual([{ type: 'hello', data: { view: 'panel' } }]);
    expect(live.status.value).toBe('connecting');
    ports[0]!.emit({ type: 'state', data: viewState(risk(), 5) });
    expect(live.status.value).toBe('live');
    expect(live.state.value?.rev).toBe(5);
    const before = live.state.value;
    ports[0]!.emit({ type: 'state', data: { ...viewState(risk(), 6), risk: { ...risk(), accounts: [{ key: 7 }] } } });
    ports[0]!.emit({ type: 'state', data: viewState(risk(), 4) });
    ports[0]!.emit({ type: 'error', data: { code: 'forbidden', message: 'no' } });
    ports[0]!.emit(null);
    expect(live.state.value).toBe(before);
    ports[0]!.emit({ type: 'state', data: { ...viewState(risk(), 1), workerStartedAt: 2 } });
    expect(live.state.value?.rev).toBe(1);
  });

  it('reports the page on its port; leaving the page closes that port and opens one that reports nothing', () => {
    const { runtime, ports } = fakeRuntime();
    const live = createPageLive(runtime, () => undefined);
    const page = { venue: 'binance' as const, symbol: 'BTCUSDT', url: 'https://www.binance.com/en/futures/BTCUSDT' };
    live.reportPage(page);
    expect(ports[0]!.sent.at(-1)).toEqual({ type: 'page', data: page });
    live.reportPage(null);
    expect(ports[0]!.disconnected).toBe(true);
    expect(ports).toHaveLength(2);
    expect(ports[1]!.sent).toEqual([{ type: 'hello', data: { view: 'panel' } }]);
    live.reportPage(null);
    expect(ports).toHaveLength(2);
    live.close();
    expect(ports[1]!.disconnected).toBe(true);
  });

  it('reconnects with backoff when the port drops, and reports the page again', () => {
    const { runtime, ports } = fakeRuntime();
    const waits: number[] = [];
    const due: (() => void)[] = [];
    const live = createPageLive(runtime, (fn, ms) => (waits.push(ms), due.push(fn)));
    const page = { venue: 'binance' as const, symbol: 'BTCUSDT', url: 'https://www.binance.com/en/futures/BTCUSDT' };
    live.reportPage(page);
    ports[0]!.drop();
    expect(live.status.value).toBe('lost');
    due.shift()!();
    expect(ports).toHaveLength(2);
    expect(ports[1]!.sent).toEqual([{ type: 'hello', data: { view: 'panel' } }, { type: 'page', data: page }]);
    ports[1]!.drop();
    due.shift()!();
    expect(waits).toEqual([100, 200]);
  });

  it('sends requests without waiting, and never throws when the extension is gone', async () => {
    const { runtime, requests } = fakeRuntime();
    const live = createPageLive(runtime, () => undefined);
    live.send('guard.verdict', { a: 1 });
    expect(requests).toEqual([{ rf: 1, type: 'guard.verdict', data: { a: 1 } }]);
    const gone = createPageLive(
      {
        sendMessage: () => {
          throw new Error('Extension context invalidated.');
        },
        connect: runtime.connect,
      },
      () => undefined,
    );
    expect(() => gone.send('guard.verdict', {})).not.toThrow();
    const rejecting = createPageLive({ sendMessage: () => Promise.reject(new Error('x')), connect: runtime.connect }, () => undefined);
    expect(() => rejecting.send('guard.verdict', {})).not.toThrow();
    await Promise.resolve();
  });
});
