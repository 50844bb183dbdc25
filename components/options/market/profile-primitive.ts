/**
 * The volume profile as a horizontal histogram drawn into the candle pane, growing leftwards from the price scale:
 * one bar per price bin, its length the bin's volume against the POC bin's. Value-area bins are tinted, the POC bin
 * strongest. A series primitive, so it follows the price scale as the chart scrolls and zooms.
 */
import type { IPrimitivePaneRenderer, IPrimitivePaneView, ISeriesApi, ISeriesPrimitive, SeriesAttachedParameter, SeriesType, Time } from 'lightweight-charts';
import type { ProfileRow } from '@/lib/ui/market-view';

type Target = Parameters<IPrimitivePaneRenderer['draw']>[0];
export interface ProfileColors {
  value: string;
  outside: string;
  poc: string;
}

/** Longest bar, as a share of the pane's width and in pixels at most. */
const MAX_SHARE = 0.24;
const MAX_PX = 220;

export class VolumeProfilePrimitive implements ISeriesPrimitive<Time> {
  private series: ISeriesApi<SeriesType, Time> | null = null;
  private requestUpdate: (() => void) | null = null;
  private rows: ProfileRow[] = [];
  private colors: ProfileColors;
  private readonly renderer: IPrimitivePaneRenderer = { draw: (t) => this.draw(t) };
  private readonly views: readonly IPrimitivePaneView[] = [{ zOrder: () => 'bottom', renderer: () => this.renderer }];

  constructor(colors: ProfileColors) {
    this.colors = colors;
  }

  attached(p: SeriesAttachedParameter<Time, SeriesType>): void {
    this.series = p.series;
    this.requestUpdate = p.requestUpdate;
  }
  detached(): void {
    this.series = null;
    this.requestUpdate = null;
  }
  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  set(rows: ProfileRow[], colors?: ProfileColors): void {
    this.rows = rows;
    if (colors) this.colors = colors;
    this.requestUpdate?.();
  }

  private draw(target: Target): void {
    const s = this.series;
    if (!s || this.rows.length === 0) return;
    target.useMediaCoordinateSpace(({ context: ctx, mediaSize }) => {
      const maxW = Math.min(MAX_PX, mediaSize.width * MAX_SHARE);
      for (const r of this.rows) {
        const top = s.priceToCoordinate(r.high);
        const bottom = s.priceToCoordinate(r.low);
        if (top === null || bottom === null) continue;
        const h = bottom - top;
        // A one-pixel gap between bars once they are tall enough to show it.
        const drawn = h > 3 ? h - 1 : Math.max(1, h);
        const w = Math.max(1, r.share * maxW);
        ctx.fillStyle = r.poc ? this.colors.poc : r.inValueArea ? this.colors.value : this.colors.outside;
        ctx.fillRect(mediaSize.width - w, top, w, drawn);
      }
    });
  }
}
