/**
 * The candle chart: candles with the volume profile beside the price scale, POC / VAH / VAL lines, session VWAP with
 * its standard-deviation bands, persistent book zones and naked POCs as price lines, and under it a regime timeline
 * pane (trend band on top, volatility band below). Imperative lightweight-charts code; the data comes ready from
 * lib/ui/market-view.
 *
 * Charts: TradingView Lightweight Charts™, Copyright (c) 2025 TradingView, Inc. https://www.tradingview.com/
 * (the section shows the link in place of the logo).
 */
import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  createChart,
  HistogramSeries,
  LineSeries,
  LineStyle,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { LiquidityZone } from '@/lib/market/liquidity';
import type { ChartModel } from '@/lib/ui/market-feed';
import { TREND_LABELS, VOLATILITY_LABELS } from '@/lib/market/regime';
import { candleBars, chartTime, formingBar, profileLevels, profileRows, regimeSegments, vwapLines, withAlpha, type LinePt } from '@/lib/ui/market-view';
import type { ChartTheme } from './chart-theme';
import { VolumeProfilePrimitive } from './profile-primitive';
import { RegimeBandsPrimitive } from './regime-primitive';

const REGIME_PANE_PX = 44;
/** Naked POCs drawn: the nearest to the last close. */
const NAKED_POCS = 3;
const ZONE_LINES = 4;

const asTime = <T extends { time: number }>(xs: T[]) => xs as unknown as (Omit<T, 'time'> & { time: UTCTimestamp })[];

export function baseOptions(t: ChartTheme) {
  return {
    layout: {
      background: { type: ColorType.Solid, color: t.bg },
      textColor: t.muted,
      fontSize: 11,
      attributionLogo: false,
      panes: { separatorColor: t.border, separatorHoverColor: withAlpha(t.muted, 0.2) },
    },
    grid: { vertLines: { color: withAlpha(t.border, 0.6) }, horzLines: { color: withAlpha(t.border, 0.6) } },
    rightPriceScale: { borderColor: t.border },
    timeScale: { borderColor: t.border },
    crosshair: { mode: CrosshairMode.Normal },
  } as const;
}

export interface PriceChart {
  update(model: ChartModel, zones: readonly LiquidityZone[]): void;
  setZones(zones: readonly LiquidityZone[]): void;
  setTheme(theme: ChartTheme): void;
  dispose(): void;
}

export function createPriceChart(el: HTMLElement, theme: ChartTheme): PriceChart {
  let t = theme;
  const chart: IChartApi = createChart(el, {
    ...baseOptions(t),
    autoSize: true,
    timeScale: { borderColor: t.border, timeVisible: true, secondsVisible: false, rightOffset: 4 },
  });
  const line = (color: string, width: 1 | 2, style: LineStyle, autoscale: boolean) =>
    chart.addSeries(LineSeries, {
      color,
      lineWidth: width,
      lineStyle: style,
      priceLineVisible: false,
      lastValueVisible: false,
      crosshairMarkerVisible: false,
      // Wide bands (2σ, 3σ) must not squash the candles: they leave the scale to the candles.
      ...(autoscale ? {} : { autoscaleInfoProvider: () => null }),
    });
  const candles = chart.addSeries(CandlestickSeries, { borderVisible: false });
  const profile = new VolumeProfilePrimitive(t.profile);
  candles.attachPrimitive(profile);
  const bands: { upper: ISeriesApi<'Line'>; lower: ISeriesApi<'Line'>; multiplier: number }[] = [];
  const vwap = line(t.vwap, 2, LineStyle.Solid, true);
  // The timeline pane: an invisible series (one point per candle) that carries the band primitive. Its price scale
  // shows no numbers (hiding one pane's scale while the others show theirs breaks lightweight-charts' layout).
  const timeline = chart.addSeries(
    HistogramSeries,
    { color: 'transparent', priceLineVisible: false, lastValueVisible: false, priceFormat: { type: 'custom', formatter: () => '' } },
    1,
  );
  const bandsPrimitive = new RegimeBandsPrimitive();
  timeline.attachPrimitive(bandsPrimitive);
  chart.panes()[1]?.setHeight(REGIME_PANE_PX);

  let lines: IPriceLine[] = [];
  let zoneLines: IPriceLine[] = [];
  let current: ChartModel | null = null;
  let zonesNow: readonly LiquidityZone[] = [];
  let fitted = '';

  const paint = () => {
    candles.applyOptions({ upColor: t.ok, downColor: t.bad, wickUpColor: t.ok, wickDownColor: t.bad });
    vwap.applyOptions({ color: t.vwap });
    for (const b of bands) {
      const c = withAlpha(t.band, b.multiplier <= 1 ? 0.7 : b.multiplier <= 2 ? 0.42 : 0.24);
      b.upper.applyOptions({ color: c });
      b.lower.applyOptions({ color: c });
    }
  };

  const drawZones = () => {
    for (const l of zoneLines) candles.removePriceLine(l);
    zoneLines = [];
    if (!current) return;
    const d = current.decimals;
    const persistent = zonesNow.filter((z) => z.persistent).sort((a, b) => b.size - a.size).slice(0, ZONE_LINES);
    for (const z of persistent) {
      zoneLines.push(
        candles.createPriceLine({
          price: Number(z.price.toFixed(d)),
          color: z.side === 'bid' ? t.levels.zoneBid : t.levels.zoneAsk,
          lineWidth: 1,
          lineStyle: LineStyle.SparseDotted,
          axisLabelVisible: false,
          title: `${z.side} zone`,
        }),
      );
    }
  };

  const draw = () => {
    const m = current;
    if (!m) return;
    const a = m.analysis;
    const d = m.decimals;
    const minMove = Number((10 ** -d).toFixed(d));
    candles.applyOptions({ priceFormat: { type: 'price', precision: d, minMove } });
    // The forming candle is drawn, muted, after the closed ones; the overlays end at the last closed candle.
    candles.setData(asTime([...candleBars(m.candles), ...(m.forming ? [formingBar(m.forming, withAlpha(t.muted, 0.6))] : [])]));
    // No VWAP lines where every candle is its own session (the Summary says why).
    const v = m.vwapNote ? { vwap: [], bands: vwapLines(a).bands.map((b) => ({ ...b, upper: [], lower: [] })) } : vwapLines(a);
    while (bands.length < v.bands.length) {
      const k = v.bands[bands.length]!.multiplier;
      const style = k <= 1 ? LineStyle.Solid : LineStyle.Dashed;
      bands.push({ multiplier: k, upper: line(t.band, 1, style, k <= 1), lower: line(t.band, 1, style, k <= 1) });
    }
    paint();
    vwap.setData(asTime<LinePt>(v.vwap));
    v.bands.forEach((b, i) => {
      bands[i]!.upper.setData(asTime<LinePt>(b.upper));
      bands[i]!.lower.setData(asTime<LinePt>(b.lower));
    });
    profile.set(profileRows(a.profile), t.profile);

    for (const l of lines) candles.removePriceLine(l);
    lines = [];
    for (const lv of profileLevels(a.profile)) {
      lines.push(
        candles.createPriceLine({
          price: lv.price,
          color: t.levels[lv.id],
          lineWidth: lv.id === 'poc' ? 2 : 1,
          lineStyle: lv.id === 'poc' ? LineStyle.Solid : LineStyle.Dashed,
          axisLabelVisible: true,
          title: lv.title,
        }),
      );
    }
    const last = m.candles[m.candles.length - 1]?.close ?? NaN;
    const naked = [...a.nakedPocs].sort((x, y) => Math.abs(x.price - last) - Math.abs(y.price - last)).slice(0, NAKED_POCS);
    for (const n of naked) {
      lines.push(candles.createPriceLine({ price: n.price, color: withAlpha(t.levels.poc, 0.6), lineWidth: 1, lineStyle: LineStyle.Dotted, axisLabelVisible: false, title: 'nPOC' }));
    }
    drawZones();

    timeline.setData(asTime(m.candles.map((c) => ({ time: chartTime(c.time), value: 1 }))));
    bandsPrimitive.set(
      [
        { name: 'trend', segments: regimeSegments(a.time, a.regime.trend, TREND_LABELS), colors: t.trend },
        { name: 'volatility', segments: regimeSegments(a.time, a.regime.volatility, VOLATILITY_LABELS), colors: t.volatility },
      ],
      t.text,
      t.bg,
    );
    // Fit once per symbol and interval; a refresh keeps the trader's zoom.
    const key = `${m.query.venue}|${m.query.symbol}|${m.query.interval}`;
    if (key !== fitted) {
      chart.timeScale().fitContent();
      fitted = key;
    }
  };

  return {
    update(model, zones) {
      current = model;
      zonesNow = zones;
      draw();
    },
    setZones(zones) {
      zonesNow = zones;
      drawZones();
    },
    setTheme(theme) {
      t = theme;
      chart.applyOptions({ ...baseOptions(t), timeScale: { borderColor: t.border } });
      draw();
      paint();
    },
    dispose() {
      chart.remove();
    },
  };
}

