/** The last closed candle's indicators (technicalindicators), periods from the market settings. */
import { useMemo } from 'preact/hooks';
import type { MarketSettings } from '@/lib/market/settings';
import { indicatorRows } from '@/lib/ui/indicator-rows';
import type { ChartModel } from '@/lib/ui/market-feed';

export function IndicatorsPanel({ chart, settings }: { chart: ChartModel; settings: MarketSettings }) {
  const rows = useMemo(() => indicatorRows(chart.candles, settings, chart.decimals), [chart, settings]);
  const last = chart.candles[chart.candles.length - 1];
  return (
    <section class="rf-market-panel" aria-labelledby="rf-ind-title">
      <h3 id="rf-ind-title">Indicators</h3>
      {!rows || !last ? (
        <p class="rf-empty">No closed candle yet.</p>
      ) : (
        <>
          <table class="rf-table rf-market-table" data-testid="rf-market-indicators">
            <thead>
              <tr>
                <th scope="col">Indicator</th>
                <th scope="col" class="rf-num">Value</th>
                <th scope="col">Reading</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-indicator={r.id}>
                  <th scope="row">{r.name}</th>
                  <td class="rf-num">{r.value}</td>
                  <td class="rf-muted">{r.reading}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="rf-muted rf-market-note">
            At the close of the last closed {chart.query.interval} candle, on the {chart.candles.length} candles shown (technicalindicators).
          </p>
        </>
      )}
    </section>
  );
}
