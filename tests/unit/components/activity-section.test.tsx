// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActivitySection, EMPTY, leftOut, toFilter } from '@/components/options/activity-section';
import { createAccountsFeed } from '@/lib/ui/accounts-feed';
import { createAuditFeed } from '@/lib/ui/audit-feed';

afterEach(cleanup);

describe('activity export messages', () => {
  it('say when an export reached its cap and how many older rows it left out', () => {
    expect(leftOut({ rows: 12 })).toBe('');
    expect(leftOut({ rows: 200_000, omitted: 1 })).toBe(' It holds the newest 200,000: 1 older one was left out; narrow the time range to export them.');
    expect(leftOut({ rows: 200_000, omitted: 53_120 })).toBe(' It holds the newest 200,000: 53,120 older ones were left out; narrow the time range to export them.');
  });
});

describe('activity filters', () => {
  it('"To" takes in the whole minute (or second) it names; "From" starts at it', () => {
    const minute = new Date('2026-11-21T12:30').getTime();
    expect(toFilter({ ...EMPTY, from: '2026-11-21T12:30', to: '2026-11-21T12:30' })).toEqual({ from: minute, to: minute + 59_999 });
    expect(toFilter({ ...EMPTY, to: '2026-11-21T12:30:15' })).toEqual({ to: minute + 15_999 });
    expect(toFilter({ ...EMPTY, to: '2026-11-21T12:30:15.250' })).toEqual({ to: minute + 15_250 });
  });

  it('the trades export takes the applied account, strategy and time filters', async () => {
    const sent: { type: string; data: Record<string, unknown> }[] = [];
    const runtime = {
      async sendMessage(m: unknown) {
        const msg = m as { type: string; data: Record<string, unknown> };
        sent.push(msg);
        if (msg.type === 'trades.export') return { ok: true, data: { filename: 't.csv', mime: 'text/csv', body: 'x', rows: 2 } };
        if (msg.type === 'vault.status') return { ok: true, data: { state: 'none' } };
        return { ok: true, data: [] };
      },
      connect() {
        throw new Error('not used');
      },
    };
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => undefined }));
    const state = { tables: { accounts: 0, strategies: 0, settings: 0 }, audit: { count: 0, recent: [] } } as never;
    render(<ActivitySection state={state} feed={createAuditFeed(runtime)} accounts={createAccountsFeed(runtime)} runtime={runtime} now={0} />);
    const filters = screen.getByTestId('rf-audit-filters');
    const inputs = filters.querySelectorAll('input');
    const [strategy, , from, to] = [...inputs].filter((i) => i.type !== 'checkbox');
    fireEvent.input(strategy!, { target: { value: 'grid-1' } });
    fireEvent.input(from!, { target: { value: '2026-11-21T12:00' } });
    fireEvent.input(to!, { target: { value: '2026-11-21T12:30' } });
    fireEvent.submit(filters);
    await waitFor(() => expect(sent.some((m) => m.type === 'audit.query')).toBe(true));
    fireEvent.click(screen.getByText('Trades CSV'));
    await waitFor(() => expect(screen.getByTestId('rf-activity-msg').textContent).toBe('Exported 2 trades to t.csv.'));
    expect(sent.find((m) => m.type === 'trades.export')?.data).toEqual({
      format: 'csv',
      strategyId: 'grid-1',
      from: new Date('2026-11-21T12:00').getTime(),
      to: new Date('2026-11-21T12:30').getTime() + 59_999,
    });
    vi.unstubAllGlobals();
  });
});
