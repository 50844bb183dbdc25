// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROW_HEIGHT, StrategiesTable, type StrategiesTableProps } from '@/components/options/strategies-table';
import type { Strategy } from '@/lib/domain/types';

afterEach(cleanup);

const strat = (id: string, patch: Partial<Strategy> = {}): Strategy => ({
  source: 'binance:main',
  strategyId: id,
  symbol: 'BTCUSDT',
  enabled: true,
  riskPerTradePct: 1,
  stopLossUsd: 5,
  maxDrawdownUsd: 50,
  killed: false,
  totalPnl: 12.5,
  score: 70,
  ...patch,
});

function setup(rows: Strategy[], handlers: Partial<StrategiesTableProps> = {}) {
  const props: StrategiesTableProps = {
    rows,
    onSave: vi.fn(async () => null),
    onSetEnabled: vi.fn(async () => null),
    onResetKill: vi.fn(async () => null),
    onBulk: vi.fn(async () => null),
    ...handlers,
  };
  render(<StrategiesTable {...props} />);
  return props;
}

describe('strategies table', () => {
  it('shows every column with the status badge', () => {
    setup([strat('grid-1'), strat('momo', { enabled: false, totalPnl: -3 }), strat('rev', { killed: true })]);
    expect(screen.getAllByTestId('rf-strategy-status').map((e) => e.textContent)).toEqual(['Active', 'Disabled', 'Killed']);
    expect(screen.getByText('-$3.00')).toBeTruthy();
    expect((screen.getByLabelText('Risk per trade % of grid-1') as HTMLInputElement).value).toBe('1');
  });

  it('saves a valid inline edit as a patch', async () => {
    const props = setup([strat('grid-1')]);
    fireEvent.input(screen.getByLabelText('Max drawdown $ of grid-1'), { target: { value: '75' } });
    fireEvent.click(screen.getByText('Save'));
    await waitFor(() => expect(props.onSave).toHaveBeenCalledWith('grid-1', { maxDrawdownUsd: 75 }));
  });

  it('shows the validation message and sends nothing for an invalid edit', () => {
    const props = setup([strat('grid-1')]);
    fireEvent.input(screen.getByLabelText('Risk per trade % of grid-1'), { target: { value: '-1' } });
    fireEvent.input(screen.getByLabelText('Stop loss $ of grid-1'), { target: { value: 'ten' } });
    fireEvent.click(screen.getByText('Save'));
    expect(screen.getAllByRole('alert').map((e) => e.textContent)).toEqual([
      'Risk per trade % must be above 0 and at most 100.',
      'Stop loss $ must be a number.',
    ]);
    expect(props.onSave).not.toHaveBeenCalled();
  });

  it('shows the background refusal on the row', async () => {
    setup([strat('grid-1')], { onSave: vi.fn(async () => 'Settings are locked: no loosening until 18:00.') });
    fireEvent.input(screen.getByLabelText('Max drawdown $ of grid-1'), { target: { value: '500' } });
    fireEvent.click(screen.getByText('Save'));
    expect(await screen.findByText('Settings are locked: no loosening until 18:00.')).toBeTruthy();
  });

  it('toggles enabled through the switch', async () => {
    const props = setup([strat('grid-1')]);
    fireEvent.click(screen.getByRole('switch', { name: 'Disable grid-1' }));
    await waitFor(() => expect(props.onSetEnabled).toHaveBeenCalledWith(['grid-1'], false));
  });

  it('resets a kill switch only after confirmation', async () => {
    const props = setup([strat('rev', { killed: true })]);
    fireEvent.click(screen.getByText('Reset kill switch'));
    expect(props.onResetKill).not.toHaveBeenCalled();
    expect(screen.getByText(/Reset the kill switch and total PnL of rev\?/)).toBeTruthy();
    fireEvent.click(screen.getByText('Cancel'));
    expect(screen.queryByText('Confirm reset')).toBeNull();
    fireEvent.click(screen.getByText('Reset kill switch'));
    fireEvent.click(screen.getByText('Confirm reset'));
    await waitFor(() => expect(props.onResetKill).toHaveBeenCalledWith('rev'));
  });

  it('bulk-updates the selected rows, or none when one row would be invalid', async () => {
    const props = setup([strat('a'), strat('b', { maxDrawdownUsd: 8 }), strat('c')]);
    fireEvent.click(screen.getByLabelText('Select a'));
    fireEvent.click(screen.getByLabelText('Select b'));
    expect(screen.getByText('2 selected')).toBeTruthy();
    const stop = screen.getByLabelText('Stop loss $');
    fireEvent.input(stop, { target: { value: '10' } });
    fireEvent.click(screen.getByText('Apply to selected'));
    expect(screen.getByTestId('rf-bulk-error').textContent).toBe(
      'b: Stop loss $10 per trade is above the max drawdown $8: one stopped trade would kill the strategy.',
    );
    expect(props.onBulk).not.toHaveBeenCalled();
    fireEvent.input(stop, { target: { value: '4' } });
    fireEvent.click(screen.getByText('Apply to selected'));
    await waitFor(() => expect(props.onBulk).toHaveBeenCalledWith(['a', 'b'], { stopLossUsd: 4 }));
  });

  it('select all selects every row', () => {
    setup([strat('a'), strat('b')]);
    fireEvent.click(screen.getByLabelText('Select all'));
    expect(screen.getByText('2 selected')).toBeTruthy();
  });
});

describe('strategies table with many rows', () => {
  const many = Array.from({ length: 1000 }, (_, i) => strat(`s${String(i).padStart(4, '0')}`));

  it('keeps only a window of rows in the DOM and says how many rows the table has', () => {
    setup(many);
    expect(screen.getAllByTestId('rf-strategy-row').length).toBeLessThanOrEqual(60);
    expect(screen.getByTestId('rf-strategies').getAttribute('aria-rowcount')).toBe('1001');
    expect(screen.getAllByTestId('rf-strategy-row')[0]!.getAttribute('aria-rowindex')).toBe('2');
  });

  it('renders the rows scrolled into view', () => {
    setup(many);
    const box = screen.getByTestId('rf-strategies').parentElement!;
    Object.defineProperty(box, 'clientHeight', { value: 600, configurable: true });
    box.scrollTop = 500 * ROW_HEIGHT;
    fireEvent.scroll(box);
    const ids = screen.getAllByTestId('rf-strategy-row').map((r) => r.getAttribute('data-strategy'));
    expect(ids).toContain('s0500');
    expect(ids).not.toContain('s0000');
  });

  it('select all and bulk update reach rows that are not rendered', async () => {
    const props = setup(many);
    fireEvent.click(screen.getByLabelText('Select all'));
    expect(screen.getByText('1000 selected')).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Stop loss $'), { target: { value: '4' } });
    fireEvent.click(screen.getByText('Apply to selected'));
    await waitFor(() => expect(props.onBulk).toHaveBeenCalledWith(many.map((s) => s.strategyId), { stopLossUsd: 4 }));
  });

  it('a draft survives its row scrolling out of view and back', () => {
    setup(many);
    fireEvent.input(screen.getByLabelText('Max drawdown $ of s0001'), { target: { value: '77' } });
    const box = screen.getByTestId('rf-strategies').parentElement!;
    Object.defineProperty(box, 'clientHeight', { value: 600, configurable: true });
    box.scrollTop = 800 * ROW_HEIGHT;
    fireEvent.scroll(box);
    expect(screen.queryByLabelText('Max drawdown $ of s0001')).toBeNull();
    box.scrollTop = 0;
    fireEvent.scroll(box);
    expect((screen.getByLabelText('Max drawdown $ of s0001') as HTMLInputElement).value).toBe('77');
  });

  it('bulk Enable shows a refusal and keeps the selected rows locked until it answers', async () => {
    let answer: (r: string | null) => void = () => {};
    const onSetEnabled = vi.fn(() => new Promise<string | null>((resolve) => (answer = resolve)));
    setup([strat('grid-1', { enabled: false }), strat('grid-2', { enabled: false })], { onSetEnabled });
    fireEvent.click(screen.getByLabelText('Select all'));
    fireEvent.click(screen.getByRole('button', { name: 'Enable' }));
    await waitFor(() => expect((screen.getByLabelText('Enable grid-1') as HTMLButtonElement).disabled).toBe(true));
    expect((screen.getByRole('button', { name: 'Enable' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Disable' }) as HTMLButtonElement).disabled).toBe(true);
    expect(onSetEnabled).toHaveBeenCalledWith(['grid-1', 'grid-2'], true);
    const refusal = 'Settings are locked until 2026-11-21 14:00 UTC: Strategy grid-1 cannot be loosened (disabled -> enabled). Tightening is allowed.';
    answer(refusal);
    await waitFor(() => expect(screen.getByTestId('rf-bulk-error').textContent).toBe(refusal));
    expect((screen.getByLabelText('Enable grid-1') as HTMLButtonElement).disabled).toBe(false);
  });

  it('bulk Disable of more than 5,000 rows goes in parts; a refused part says how many were changed', async () => {
    const rows = Array.from({ length: 12_001 }, (_, i) => strat(`s${String(i).padStart(5, '0')}`));
    const onSetEnabled = vi.fn(async (ids: string[], _enabled: boolean) => (ids[0] === 's10000' ? 'No strategy "s10000".' : null));
    setup(rows, { onSetEnabled });
    fireEvent.click(screen.getByLabelText('Select all'));
    fireEvent.click(screen.getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(screen.getByTestId('rf-bulk-error').textContent).toBe('No strategy "s10000". The first 10000 of the 12001 selected were changed.'));
    expect(onSetEnabled.mock.calls.map(([ids, enabled]) => [ids.length, ids[0], enabled])).toEqual([
      [5000, 's00000', false],
      [5000, 's05000', false],
      [2001, 's10000', false],
    ]);
  });

  it('a bulk value update of more than 5,000 rows is refused before anything is sent (it is all-or-nothing)', async () => {
    const rows = Array.from({ length: 5001 }, (_, i) => strat(`s${i}`));
    const props = setup(rows);
    fireEvent.click(screen.getByLabelText('Select all'));
    fireEvent.input(within(screen.getByTestId('rf-bulk')).getByLabelText('Stop loss $'), { target: { value: '4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply to selected' }));
    await waitFor(() => expect(screen.getByTestId('rf-bulk-error').textContent).toBe('Select at most 5,000 strategies for one update (5,001 selected).'));
    expect(props.onBulk).not.toHaveBeenCalled();
  });
});
