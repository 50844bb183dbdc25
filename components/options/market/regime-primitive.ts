/**
 * The regime timeline under the candles: two rows of contiguous coloured bands, trend on top and volatility below,
 * one band per run of the same regime (lib/ui/market-view regimeSegments). Drawn as a primitive of the timeline
 * pane's series, so the bands follow the time scale as the chart scrolls and zooms, without the gaps a histogram
 * leaves between thin bars.
 */
import type { IChartApi, IPrimitivePaneRenderer, IPrimitivePaneView, ISeriesPrimitive, SeriesAttachedParameter, SeriesType, Time } from 'lightweight-charts';
import type { Segment } from '@/lib/ui/market-view';

type Target = Parameters<IPrimitivePaneRenderer['draw']>[0];
export interface BandRow {
  name: string;
  segments: Segment<string>[];
  colors: Record<string, string>;
}

export class RegimeBandsPrimitive implements ISeriesPrimitive<Time> {
  private chart: IChartApi | null = null;
  private requestUpdate: (() => void) | null = null;
  private rows: BandRow[] = [];
  private labelColor = '#888';
  private labelBg = '#fff';
  private readonly renderer: IPrimitivePaneRenderer = { draw: (t) => this.draw(t) };
  private readonly views: readonly IPrimitivePaneView[] = [{ zOrder: () => 'bottom', renderer: () => this.renderer }];

  attached(p: SeriesAttachedParameter<Time, SeriesType>): void {
    this.chart = p.chart as IChartApi;
    this.requestUpdate = p.requestUpdate;
  }
  detached(): void {
    this.chart = null;
    this.requestUpdate = null;
  }
  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  set(rows: BandRow[], labelColor: string, labelBg: string): void {
    this.rows = rows;
    this.labelColor = labelColor;
    this.labelBg = labelBg;
    this.requestUpdate?.();
  }

  private draw(target: Target): void {
    const chart = this.chart;
    if (!chart || this.rows.length === 0) return;
    const ts = chart.timeScale();
    const half = ts.options().barSpacing / 2;
    target.useMediaCoordinateSpace(({ context: ctx, mediaSize }) => {
      const gap = 2;
      const rowH = (mediaSize.height - gap * (this.rows.length + 1)) / this.rows.length;
      this.rows.forEach((row, k) => {
        const y = gap + k * (rowH + gap);
        for (const s of row.segments) {
          const a = ts.timeToCoordinate(s.from as Time);
          const b = ts.timeToCoordinate(s.to as Time);
          if (a === null || b === null) continue;
          const x1 = Math.max(0, a - half);
          const x2 = Math.min(mediaSize.width, b + half);
          if (x2 <= 0 || x1 >= mediaSize.width) continue;
          ctx.fillStyle = row.colors[s.label] ?? 'transparent';
          ctx.fillRect(x1, y, x2 - x1, rowH);
        }
        // The row's name at the left edge, on a plate so it reads over any colour.
        ctx.font = '10px -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif';
        const w = ctx.measureText(row.name).width + 8;
        ctx.fillStyle = this.labelBg;
        ctx.globalAlpha = 0.85;
        ctx.fillRect(2, y + rowH / 2 - 7, w, 14);
        ctx.globalAlpha = 1;
        ctx.fillStyle = this.labelColor;
        ctx.textBaseline = 'middle';
        ctx.fillText(row.name, 6, y + rowH / 2);
      });
    });
  }
}
