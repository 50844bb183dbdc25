/**
 * The imbalance chart: the book's lean in its headline band, (bids - asks) / (bids + asks) in %, one bar per book read
 * since the view opened the symbol, bid colour above zero and ask colour below.
 */
import { createChart, HistogramSeries, type IChartApi, type UTCTimestamp } from 'lightweight-charts';
import type { ImbalancePoint } from '@/lib/ui/market-feed';
import { chartTime } from '@/lib/ui/market-view';
import type { ChartTheme } from './chart-theme';
import { baseOptions } from './price-chart';

export interface ImbalanceChart {
  update(points: readonly ImbalancePoint[]): void;
  setTheme(theme: ChartTheme): void;
  dispose(): void;
}

export function createImbalanceChart(el: HTMLElement, theme: ChartTheme): ImbalanceChart {
  let t = theme;
  const chart: IChartApi = createChart(el, {
    ...baseOptions(t),
    autoSize: true,
    handleScroll: false,
    handleScale: false,
    timeScale: { borderColor: t.border, timeVisible: true, secondsVisible: true },
  });
  const bars = chart.addSeries(HistogramSeries, {
    priceLineVisible: false,
    lastValueVisible: true,
    priceFormat: { type: 'custom', minMove: 0.1, formatter: (v: number) => `${v > 0 ? '+' : ''}${v.toFixed(1)}%` },
  });
  let current: readonly ImbalancePoint[] = [];

  const draw = () => {
    // One bar per second on the time axis (it needs rising times): of two reads in the same second, the later one.
    const bySecond = new Map<number, ImbalancePoint>();
    for (const p of current) bySecond.set(chartTime(p.time), p);
    bars.setData([...bySecond].map(([s, p]) => ({ time: s as UTCTimestamp, value: p.imbalance * 100, color: p.imbalance >= 0 ? t.ok : t.bad })));
    chart.timeScale().fitContent();
  };

  return {
    update(points) {
      current = points;
      draw();
    },
    setTheme(theme) {
      t = theme;
      chart.applyOptions(baseOptions(t)); // a deep merge: the time axis keeps its seconds
      draw();
    },
    dispose() {
      chart.remove();
    },
  };
}
