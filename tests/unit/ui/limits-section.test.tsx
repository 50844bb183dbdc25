// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { LimitsSection } from '@/components/options/limits-section';
import type { RuntimeLike } from '@/lib/messaging/client';
import { DEFAULT_RISK_SETTINGS } from '@/lib/risk/settings';
import { createSettingsFeed, keepEdits } from '@/lib/ui/settings-feed';

afterEach(cleanup);

/** A background whose settings.save refuses: settings.get answers the same settings each time (a fresh copy). */
function refusingRuntime(): RuntimeLike & { saves: number } {
  const rt = {
    saves: 0,
    sendMessage: async (m: { type: string }) => {
      if (m.type === 'settings.get') return { ok: true, data: { value: structuredClone(DEFAULT_RISK_SETTINGS), updatedAt: null, lockUntil: 1e13 } };
      if (m.type === 'settings.history') return { ok: true, data: [] };
      if (m.type === 'settings.save') {
        rt.saves++;
        return { ok: false, error: { code: 'invalid_data', message: 'Settings are locked against loosening until later.', issues: [] } };
      }
      return { ok: false, error: { code: 'unknown_message', message: m.type } };
    },
    connect: () => {
      throw new Error('not used');
    },
  };
  return rt as unknown as RuntimeLike & { saves: number };
}

describe('Limits: a refused save keeps the edits', () => {
  it('the edited field keeps its value and the error shows', async () => {
    const rt = refusingRuntime();
    const feed = createSettingsFeed(rt);
    render(<LimitsSection feed={feed} rev={1} defaults={DEFAULT_RISK_SETTINGS} />);
    const input = (await screen.findByLabelText('Daily loss limit')) as HTMLInputElement;
    const before = feed.view.value;
    fireEvent.input(input, { target: { value: '3' } });
    expect((screen.getByLabelText('Daily loss limit') as HTMLInputElement).value).toBe('3');
    fireEvent.click(screen.getByTestId('rf-limits-save'));
    await waitFor(() => expect(screen.getByTestId('rf-limits-msg').textContent).toBe('Settings are locked against loosening until later.'));
    expect(rt.saves).toBe(1);
    expect((screen.getByLabelText('Daily loss limit') as HTMLInputElement).value).toBe('3');
    expect(screen.getByTestId('rf-limits-save').textContent).toBe('Save 1 change');
    expect(feed.view.value).toBe(before); // the same settings read again: the same object
  });
  it('new saved settings (here a lock) keep the unsaved edits too', async () => {
    const rt = refusingRuntime();
    let lockUntil: number | null = null;
    const send = rt.sendMessage.bind(rt);
    rt.sendMessage = async (m: unknown) => {
      const msg = m as { type: string; data: { until?: number } };
      if (msg.type === 'settings.lock') {
        lockUntil = msg.data.until ?? null;
        return { ok: true, data: { value: structuredClone(DEFAULT_RISK_SETTINGS), updatedAt: null, lockUntil } };
      }
      if (msg.type === 'settings.get') return { ok: true, data: { value: structuredClone(DEFAULT_RISK_SETTINGS), updatedAt: null, lockUntil } };
      return send(m);
    };
    const feed = createSettingsFeed(rt);
    render(<LimitsSection feed={feed} rev={1} defaults={DEFAULT_RISK_SETTINGS} />);
    fireEvent.input(await screen.findByLabelText('Daily loss limit'), { target: { value: '3' } });
    fireEvent.input(screen.getByLabelText(/Lock against loosening until/), { target: { value: '2030-01-01T10:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lock' }));
    await waitFor(() => expect(screen.getByTestId('rf-limits-status').textContent).toContain('Locked against loosening until'));
    expect((screen.getByLabelText('Daily loss limit') as HTMLInputElement).value).toBe('3');
  });
});

describe('keepEdits', () => {
  it('keeps what the user changed, takes the new saved values elsewhere', () => {
    const prev = { a: '1', b: '2', c: ['x'] };
    const next = { a: '1', b: '5', c: ['y'] };
    expect(keepEdits({ a: '9', b: '2', c: ['x'] }, prev, next)).toEqual({ a: '9', b: '5', c: ['y'] });
    expect(keepEdits({ a: '1', b: '2', c: ['z'] }, prev, next)).toEqual({ a: '1', b: '5', c: ['z'] });
    expect(keepEdits(null, null, next)).toBe(next);
  });
});
