/** The guard's report to the audit log: the request definition, the router's checks and the handler's entries. */
import { describe, expect, it } from 'vitest';
import { guardHandlers, guardMessage, GUARD_REPORTS_PER_MINUTE } from '@/lib/background/guard-handlers';
import { ALL_REQUESTS } from '@/lib/messaging/catalog';
import type { GuardVerdictReport } from '@/lib/messaging/guard-requests';
import { guardVerdict } from '@/lib/messaging/guard-requests';
import type { Sender } from '@/lib/messaging/sender';

const content = (venue: 'binance' | 'hyperliquid' = 'binance', tabId = 7): Sender => ({
  class: 'content',
  tabId,
  frameId: 0,
  url: 'https://www.binance.com/en/futures/BTCUSDT',
  page: { venue, symbol: venue === 'binance' ? 'BTCUSDT' : 'BTC' },
});

const report = (over: Partial<GuardVerdictReport> = {}): GuardVerdictReport => ({
  venue: 'binance',
  symbol: 'BTCUSDT',
  decision: 'block',
  policy: 'typed',
  overridden: false,
  trigger: 'click',
  button: 'Buy/Long',
  account: 'binance:main',
  mode: 'guard',
  reasons: [
    { level: 'block', code: 'leverage_cap', category: 'leverageCap', rule: null, text: 'Leverage 50x is above the leverage mode cap of 20x.' },
    { level: 'warn', code: 'no_stop_loss', category: 'other', rule: null, text: 'No stop loss on this order, so its risk cannot be measured.' },
  ],
  intent: {
    venue: 'binance',
    accountId: 'main',
    symbol: 'BTCUSDT',
    side: 'buy',
    type: 'limit',
    size: 0.01,
    sizeUnit: 'base',
    price: 97000,
    stopPrice: null,
    leverage: 50,
    reduceOnly: false,
    positionSide: null,
    strategyId: 'manual',
    stopLoss: null,
  },
  ...over,
});

function setup(check?: () => Promise<unknown>) {
  const entries: { kind: string; severity: string; message: string; data?: Record<string, unknown>; refs?: Record<string, unknown> }[] = [];
  let t = 1_000;
  const h = guardHandlers({
    audit: async (kind, severity, message, data, refs) => entries.push({ kind, severity, message, ...(data ? { data } : {}), ...(refs ? { refs } : {}) }),
    ...(check ? { supervisor: { check: check as never } } : {}),
    now: () => t,
  });
  return { entries, handle: h['guard.verdict'], advance: (ms: number) => (t += ms) };
}

describe('guard.verdict request', () => {
  it('is in the catalog, from content scripts only', () => {
    expect(ALL_REQUESTS).toContain(guardVerdict);
    expect(guardVerdict.from).toEqual(['content']);
  });

  it('validates the report and refuses oversized texts', async () => {
    const { safeParse } = await import('zod/mini');
    expect(safeParse(guardVerdict.data, report()).success).toBe(true);
    expect(safeParse(guardVerdict.data, report({ decision: 'allow' as never })).success).toBe(false);
    expect(safeParse(guardVerdict.data, { ...report(), apiKey: 'x' }).success).toBe(false);
    expect(safeParse(guardVerdict.data, report({ button: 'x'.repeat(41) })).success).toBe(false);
  });
});

describe('guard.verdict handler: one audit entry per verdict and override', () => {
  it('a block: guard.block, severity warning, the block reasons, refs account, strategy and rule', async () => {
    const { entries, handle } = setup(async () => ({ account: 'binance:main', mode: 'guard', result: { decision: 'block' }, note: null }));
    expect(await handle(report({ reasons: [{ ...report().reasons[0]!, rule: null }, { level: 'block', code: 'order_rate', category: 'other', rule: 'overtrading', text: '6 orders in the last minute, limit 6.' }] }), content())).toEqual({ recorded: true });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: 'guard.block',
      severity: 'warning',
      message: 'Guard blocked Buy/Long 0.01 BTCUSDT, Binance (binance:main): Leverage 50x is above the leverage mode cap of 20x. 6 orders in the last minute, limit 6.',
      refs: { account: 'binance:main', strategyId: 'manual', rule: 'overtrading' },
      data: { policy: 'typed', overridden: false, trigger: 'click', background: 'block', pageSymbol: 'BTCUSDT', tabId: 7 },
    });
  });

  it('a warning: guard.warn, severity notice', async () => {
    const { entries, handle } = setup();
    await handle(report({ decision: 'warn', policy: 'confirm', reasons: [report().reasons[1]!] }), content());
    expect(entries[0]).toMatchObject({
      kind: 'guard.warn',
      severity: 'notice',
      message: 'Guard warned about Buy/Long 0.01 BTCUSDT, Binance (binance:main): No stop loss on this order, so its risk cannot be measured.',
    });
  });

  it('an override: guard.override, severity warning, with the policy used', async () => {
    const { entries, handle } = setup();
    await handle(report({ overridden: true }), content());
    expect(entries[0]).toMatchObject({
      kind: 'guard.override',
      severity: 'warning',
      message: 'Guard override of a block on Buy/Long 0.01 BTCUSDT, Binance (binance:main), through the typed phrase: Leverage 50x is above the leverage mode cap of 20x.',
    });
  });

  it('names a Hyperliquid order by its side (the button says only Place Order), and monitor mode', () => {
    const r = report({ venue: 'hyperliquid', symbol: 'BTC', button: 'Place Order', account: 'hyperliquid:0xabc', mode: 'monitor', decision: 'warn', policy: 'confirm', intent: { ...report().intent!, venue: 'hyperliquid', symbol: 'BTC', side: 'sell' } });
    expect(guardMessage(r)).toBe('Guard warned about Sell 0.01 BTC, Hyperliquid (hyperliquid:0xabc) (monitor mode): No stop loss on this order, so its risk cannot be measured.');
  });

  it('refuses a report for another venue than the page, or an account of another venue', async () => {
    const { entries, handle } = setup();
    await expect(handle(report(), content('hyperliquid'))).rejects.toThrow('A Hyperliquid page cannot report a Binance verdict.');
    await expect(handle(report({ account: 'hyperliquid:0xabc' }), content())).rejects.toThrow('Account "hyperliquid:0xabc" is not a Binance account.');
    await expect(handle(report(), { class: 'extension', url: 'chrome-extension://x/options.html' })).rejects.toThrow('Only a page guard reports verdicts.');
    expect(entries).toEqual([]);
  });

  it(`records at most ${GUARD_REPORTS_PER_MINUTE} reports per tab per minute`, async () => {
    const { entries, handle, advance } = setup();
    for (let i = 0; i < GUARD_REPORTS_PER_MINUTE + 5; i++) await handle(report(), content());
    expect(entries).toHaveLength(GUARD_REPORTS_PER_MINUTE);
    expect(await handle(report(), content('binance', 8))).toEqual({ recorded: true });
    advance(60_000);
    // The tab is recorded again, and the log says how many reports it left out.
    expect(await handle(report(), content())).toEqual({ recorded: true });
    expect(entries.slice(-2).map((e) => [e.kind, e.severity, e.message])).toEqual([
      ['guard.dropped', 'warning', `5 guard reports from a Binance tab not recorded: more than ${GUARD_REPORTS_PER_MINUTE} a minute.`],
      ['guard.block', 'warning', expect.stringMatching(/^Guard blocked/)],
    ]);
  });
});
