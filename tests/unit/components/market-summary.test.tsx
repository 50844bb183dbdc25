// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, expect, it } from 'vitest';
import { Summary } from '@/components/options/market/market-section';
import type { Candle } from '@/lib/domain/market';
import { analyzeCandles } from '@/lib/market/analysis';
import { sessionVwapNote } from '@/lib/ui/market-view';
import type { ChartModel } from '@/lib/ui/market-feed';

afterEach(cleanup);

const model = (candles: Candle[]): ChartModel => ({
  query: { venue: 'hyperliquid', symbol: 'NEW', interval: '1h' } as ChartModel['query'],
  account: 'hyperliquid:0xabc',
  accountLabel: 'HL',
  candles,
  forming: null,
  analysis: analyzeCandles(candles),
  vwapNote: null,
  decimals: 1,
  loadedAt: 0,
});
const flat = (n: number, volume: number): Candle[] =>
  Array.from({ length: n }, (_, i) => ({ time: i * 3_600_000, open: 100, high: 100 + (volume ? 1 : 0), low: 100 - (volume ? 1 : 0), close: 100, volume }));

it('says there is no profile when nothing traded, instead of drawing an empty one', () => {
  render(<Summary chart={model(flat(60, 0))} />);
  expect(screen.getByTestId('rf-market-novolume').textContent).toBe('No traded volume in these candles: no volume profile, POC or value area.');
  expect(screen.getByTestId('rf-market-poc').textContent).toBe('—');
});

it('shows the POC and no such note once there is volume', () => {
  render(<Summary chart={model(flat(60, 5))} />);
  expect(screen.queryByTestId('rf-market-novolume')).toBeNull();
  expect(screen.getByTestId('rf-market-poc').textContent).toMatch(/^\d+(\.\d)?$/);
});

it('at 1d says session VWAP needs intraday candles instead of showing the typical price with σ 0', () => {
  const DAY = 86_400_000;
  const daily: Candle[] = Array.from({ length: 60 }, (_, i) => ({ time: i * DAY, open: 100, high: 102 + (i % 3), low: 98, close: 100 + (i % 4), volume: 10 }));
  const note = sessionVwapNote('1d', DAY, DAY);
  expect(note).toBe('Session VWAP needs intraday candles: at 1d every candle is a session of its own.');
  render(<Summary chart={{ ...model(daily), query: { venue: 'binance', symbol: 'BTCUSDT', interval: '1d' } as ChartModel['query'], vwapNote: note }} />);
  expect(screen.getByTestId('rf-market-vwap').textContent).toBe('—');
  expect(screen.getByText(note!)).toBeTruthy();
  expect(screen.queryByText(/σ/)).toBeNull();
  // Intraday intervals keep it.
  expect(sessionVwapNote('4h', 4 * 3_600_000, DAY)).toBeNull();
});
