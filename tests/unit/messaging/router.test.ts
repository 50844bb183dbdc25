import { describe, expect, it, vi } from 'vitest';
import { ALL_REQUESTS } from '@/lib/messaging/catalog';
import { emptyRiskView } from '@/lib/messaging/risk-view';
import { createRouter, RequestError, type Handlers } from '@/lib/messaging/router';
import { classifySender } from '@/lib/messaging/sender';
import type { ViewState } from '@/lib/messaging/protocol';

const ctx = { extensionId: 'ext', extensionBaseUrl: 'chrome-extension://ext/' };
const popup = { id: 'ext', url: 'chrome-extension://ext/popup.html' };
const panel = { id: 'ext', url: 'https://app.hyperliquid.xyz/trade/BTC', tab: { id: 2 }, frameId: 0 };
const state: ViewState = { rev: 1, workerStartedAt: 10, pages: [], tables: { strategies: 0, accounts: 0, settings: 0 }, audit: { count: 0, recent: [] }, risk: emptyRiskView() };

function setup(overrides: Partial<Handlers> = {}) {
  const log = vi.fn();
  // Requests this suite does not exercise answer with an internal error.
  const others = Object.fromEntries(
    ALL_REQUESTS.map((r) => [
      r.name,
      () => {
        throw new Error(`${r.name} is not part of this test`);
      },
    ]),
  ) as unknown as Handlers;
  const handlers: Handlers = {
    ...others,
    'state.get': () => state,
    'audit.list': (data) => [
      { id: data.beforeId ? data.beforeId - 1 : 1, ts: data.limit, kind: 'x', severity: 'info', message: 'm' },
    ],
    ...overrides,
  };
  const handle = createRouter(handlers, { classify: (s) => classifySender(s, ctx), log });
  return { handle, log };
}

describe('router', () => {
  it('answers a valid request with its data', async () => {
    const { handle } = setup();
    expect(await handle({ rf: 1, type: 'state.get', data: {} }, popup)).toEqual({ ok: true, data: state });
  });

  it('applies schema defaults before the handler sees the data', async () => {
    const { handle } = setup();
    const res = await handle({ rf: 1, type: 'audit.list', data: {} }, popup);
    expect(res).toEqual({ ok: true, data: [{ id: 1, ts: 200, kind: 'x', severity: 'info', message: 'm' }] });
  });

  it('rejects something that is not an envelope', async () => {
    const { handle } = setup();
    const res = await handle('hello', popup);
    expect(res).toMatchObject({ ok: false, error: { code: 'bad_envelope', message: 'Not a Ringfence message: expected { rf: 1, type, data }.' } });
  });

  it('rejects an unknown type by name', async () => {
    const { handle } = setup();
    expect(await handle({ rf: 1, type: 'secrets.dump', data: {} }, popup)).toEqual({
      ok: false,
      error: { code: 'unknown_message', message: 'Unknown message type "secrets.dump".' },
    });
  });

  it('does not treat inherited object keys as message types', async () => {
    const { handle } = setup();
    const res = await handle({ rf: 1, type: 'constructor', data: {} }, popup);
    expect(res).toMatchObject({ ok: false, error: { code: 'unknown_message' } });
  });

  it('rejects invalid data with the field named', async () => {
    const { handle } = setup();
    const res = await handle({ rf: 1, type: 'audit.list', data: { limit: -5 } }, popup);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('invalid_data');
    expect(res.error.message).toBe('Invalid data for "audit.list".');
    expect(res.error.issues?.[0]).toMatch(/^limit: /);
  });

  it('rejects unknown fields (strict schemas)', async () => {
    const { handle } = setup();
    const res = await handle({ rf: 1, type: 'state.get', data: { sneaky: true } }, popup);
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_data' } });
  });

  it('refuses a request the sender class may not send', async () => {
    const { handle } = setup();
    expect(await handle({ rf: 1, type: 'audit.list', data: {} }, panel)).toEqual({
      ok: false,
      error: { code: 'forbidden', message: '"audit.list" is not accepted from content.' },
    });
  });

  it('refuses an unknown sender', async () => {
    const { handle } = setup();
    const res = await handle({ rf: 1, type: 'state.get', data: {} }, { id: 'evil', url: 'https://example.com' });
    expect(res).toEqual({ ok: false, error: { code: 'forbidden', message: '"state.get" is not accepted from unknown sender.' } });
  });

  it('turns a thrown handler error into a structured error, never a throw', async () => {
    const { handle } = setup({
      'state.get': () => {
        throw new Error('disk on fire');
      },
    });
    expect(await handle({ rf: 1, type: 'state.get', data: {} }, popup)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'disk on fire' },
    });
  });

  it('keeps the code of a RequestError', async () => {
    const { handle } = setup({
      'state.get': () => {
        throw new RequestError('forbidden', 'not now');
      },
    });
    expect(await handle({ rf: 1, type: 'state.get', data: {} }, popup)).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'not now' },
    });
  });

  it('logs each distinct rejection once', async () => {
    const { handle, log } = setup();
    for (let i = 0; i < 5; i++) await handle({ rf: 1, type: 'nope', data: {} }, popup);
    await handle({ rf: 1, type: 'nope2', data: {} }, popup);
    expect(log).toHaveBeenCalledTimes(2);
    expect(log.mock.calls[0]?.[0]).toBe('[ringfence] rejected nope from extension: unknown_message: Unknown message type "nope".');
  });
});
