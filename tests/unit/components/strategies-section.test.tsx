// @vitest-environment happy-dom
import { signal } from '@preact/signals';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, expect, it, vi } from 'vitest';
import { StrategiesSection } from '@/components/options/strategies-section';
import type { Strategy } from '@/lib/domain/types';
import type { StrategiesFeed } from '@/lib/ui/strategies-feed';

afterEach(cleanup);

it('Add strategy is locked until the background answers; the row showing first does not unlock or clear it', async () => {
  const rows = signal<Strategy[] | null>([]);
  let answer: (r: string | null) => void = () => {};
  const create = vi.fn((_input: unknown) => new Promise<string | null>((resolve) => (answer = resolve)));
  const feed = {
    rows,
    error: signal(null),
    rules: signal([]),
    modes: signal({}),
    onRev: () => () => {},
    create,
  } as unknown as StrategiesFeed;
  render(<StrategiesSection feed={feed} rev={0} />);
  const field = (name: string) => screen.getByLabelText(name) as HTMLInputElement;
  const locked = () => Boolean(field('Strategy id').closest('fieldset')?.disabled);
  fireEvent.input(field('Strategy id'), { target: { value: 'grid-1' } });
  fireEvent.input(field('Symbol'), { target: { value: 'BTCUSDT' } });
  fireEvent.submit(screen.getByTestId('rf-add-strategy'));
  await waitFor(() => expect(locked()).toBe(true));
  expect(create).toHaveBeenCalledWith({ source: 'manual', strategyId: 'grid-1', symbol: 'BTCUSDT', riskPerTradePct: 1, stopLossUsd: 5, maxDrawdownUsd: 50 });
  expect(screen.getByRole('button', { name: 'Adding…' })).toBeTruthy();

  rows.value = [
    { source: 'manual', strategyId: 'grid-1', symbol: 'BTCUSDT', enabled: true, riskPerTradePct: 1, stopLossUsd: 5, maxDrawdownUsd: 50, killed: false, totalPnl: 0, score: 0 },
  ];
  await waitFor(() => expect(screen.getAllByText('grid-1').length).toBeGreaterThan(0));
  expect(locked()).toBe(true);
  expect(field('Strategy id').value).toBe('grid-1');

  await act(() => answer(null));
  await waitFor(() => expect(locked()).toBe(false));
  expect(field('Strategy id').value).toBe('');
  expect(field('Symbol').value).toBe('');
  expect(field('Source').value).toBe('manual');
});

it('Add strategy reads "10,000" as ten thousand and refuses "2,5" with the reason, sending nothing', async () => {
  const create = vi.fn(async (_input: unknown) => null);
  const feed = { rows: signal([]), error: signal(null), rules: signal([]), modes: signal({}), onRev: () => () => {}, create } as unknown as StrategiesFeed;
  render(<StrategiesSection feed={feed} rev={0} />);
  const field = (name: string) => screen.getByLabelText(name) as HTMLInputElement;
  fireEvent.input(field('Strategy id'), { target: { value: 'grid-1' } });
  fireEvent.input(field('Stop $'), { target: { value: '2,5' } });
  fireEvent.submit(screen.getByTestId('rf-add-strategy'));
  expect(screen.getByRole('alert').textContent).toBe('Stop loss $: "2,5" is ambiguous: a comma only separates thousands (10,000); write decimals with a dot (1.5).');
  expect(create).not.toHaveBeenCalled();
  fireEvent.input(field('Stop $'), { target: { value: '2,500' } });
  fireEvent.input(field('Max DD $'), { target: { value: '10,000' } });
  fireEvent.submit(screen.getByTestId('rf-add-strategy'));
  await waitFor(() => expect(create).toHaveBeenCalledWith({ source: 'manual', strategyId: 'grid-1', symbol: null, riskPerTradePct: 1, stopLossUsd: 2500, maxDrawdownUsd: 10000 }));
});
