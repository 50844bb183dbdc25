/**
 * The depth chart: cumulative bid and ask size out to the widest depth band, on a price axis (lightweight-charts'
 * options chart, whose horizontal items are prices), with the book's walls marked on their side.
 */
import {
  AreaSeries,
  createOptionsChart,
  createSeriesMarkers,
  LineType,
  type DeepPartial,
  type IChartApiBase,
  type ISeriesMarkersPluginApi,
  type PriceChartOptions,
} from 'lightweight-charts';
import type { BookModel } from '@/lib/ui/market-feed';
import { withAlpha } from '@/lib/ui/market-view';
import type { ChartTheme } from './chart-theme';
import { baseOptions } from './price-chart';

export interface DepthChart {
  update(book: BookModel, decimals: number): void;
  setTheme(theme: ChartTheme): void;
  dispose(): void;
}

export function createDepthChart(el: HTMLElement, theme: ChartTheme): DepthChart {
  let t = theme;
  const chart: IChartApiBase<number> = createOptionsChart(el, {
    ...baseOptions(t),
    autoSize: true,
    handleScroll: false,
    handleScale: false,
    localization: { precision: 2 },
  });
  const side = () =>
    chart.addSeries(AreaSeries, { lineType: LineType.WithSteps, lineWidth: 2, priceLineVisible: false, lastValueVisible: false, priceFormat: { type: 'volume' } });
  const bids = side();
  const asks = side();
  const bidMarks: ISeriesMarkersPluginApi<number> = createSeriesMarkers(bids, []);
  const askMarks: ISeriesMarkersPluginApi<number> = createSeriesMarkers(asks, []);
  let current: { book: BookModel; decimals: number } | null = null;
  let shown = '';

  const paint = () => {
    bids.applyOptions({ lineColor: t.ok, topColor: withAlpha(t.ok, 0.35), bottomColor: withAlpha(t.ok, 0.04) });
    asks.applyOptions({ lineColor: t.bad, topColor: withAlpha(t.bad, 0.35), bottomColor: withAlpha(t.bad, 0.04) });
  };
  paint();

  const draw = () => {
    if (!current) return;
    const { book, decimals } = current;
    // The options chart's own option (its typings only know the base chart's).
    (chart.applyOptions as (o: DeepPartial<PriceChartOptions>) => void)({ localization: { precision: decimals } });
    bids.setData(book.depth.bids.map((p) => ({ time: p.price, value: p.cumulative })));
    asks.setData(book.depth.asks.map((p) => ({ time: p.price, value: p.cumulative })));
    const walls = book.liquidity.walls;
    const mark = (s: 'bid' | 'ask') =>
      walls
        .filter((w) => w.side === s && (s === 'bid' ? book.depth.bids : book.depth.asks).some((p) => p.price === w.price))
        .sort((a, b) => a.price - b.price)
        .map((w) => ({ time: w.price, position: 'aboveBar' as const, shape: 'arrowDown' as const, color: s === 'bid' ? t.ok : t.bad, text: `wall ${Math.round(w.multiple)}x` }));
    bidMarks.setMarkers(mark('bid'));
    askMarks.setMarkers(mark('ask'));
    const key = book.symbol;
    if (key !== shown) {
      chart.timeScale().fitContent();
      shown = key;
    }
  };

  return {
    update(book, decimals) {
      current = { book, decimals };
      draw();
      chart.timeScale().fitContent();
    },
    setTheme(theme) {
      t = theme;
      chart.applyOptions(baseOptions(t));
      paint();
      draw();
    },
    dispose() {
      chart.remove();
    },
  };
}
