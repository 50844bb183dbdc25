import type { PositionView } from '@/lib/messaging/risk-view';
import { baseSize, DASH, leverage, percent, pnlTone, price, signedMoney } from '@/lib/ui/risk-format';
import './risk.css';

/** How far the mark is from a level, in % of the mark; with the level itself when wide. */
function Distance({ pct, level, wide }: { pct: number | null; level: number | null; wide: boolean }) {
  if (pct === null) return <>{DASH}</>;
  return (
    <>
      {percent(pct)}
      {wide && level !== null ? <span class="rf-muted rf-sub"> at {price(level)}</span> : null}
    </>
  );
}

/** Open positions: symbol, side, size, unrealized PnL, and the distance to the stop and to liquidation. */
export function PositionsTable({ positions, label, wide = false }: { positions: PositionView[]; label: string; wide?: boolean }) {
  if (positions.length === 0) {
    return (
      <p class="rf-empty rf-positions-empty" data-testid="rf-positions-empty">
        No open position.
      </p>
    );
  }
  return (
    <table class={`rf-positions${wide ? ' rf-positions--wide' : ''}`} data-testid="rf-positions" aria-label={`Open positions of ${label}`}>
      <thead>
        <tr>
          <th scope="col">Position</th>
          {wide ? (
            <>
              <th scope="col" class="rf-num">Entry</th>
              <th scope="col" class="rf-num">Mark</th>
              <th scope="col" class="rf-num">Leverage</th>
            </>
          ) : null}
          <th scope="col" class="rf-num">
            <abbr title="Unrealized profit and loss">uPnL</abbr>
          </th>
          <th scope="col" class="rf-num">
            <abbr title="Distance from the mark price to the nearest protective stop, % of the mark">To stop</abbr>
          </th>
          <th scope="col" class="rf-num">
            <abbr title="Distance from the mark price to the liquidation price, % of the mark">To liq.</abbr>
          </th>
          {wide ? <th scope="col">Strategy</th> : null}
        </tr>
      </thead>
      <tbody>
        {positions.map((p) => (
          <tr key={`${p.symbol}:${p.side}`} data-testid="rf-position" data-symbol={p.symbol} data-side={p.side}>
            <th scope="row">
              <span class="rf-strong">{p.symbol}</span>{' '}
              <span class={`rf-side rf-side--${p.side}`} data-testid="rf-position-side">
                {p.side === 'long' ? 'Long' : 'Short'}
              </span>{' '}
              <span class="rf-muted" data-testid="rf-position-size">
                {baseSize(p.size)}
                {wide ? null : ` · ${leverage(p.leverage)}`}
              </span>
            </th>
            {wide ? (
              <>
                <td class="rf-num">{price(p.entryPrice)}</td>
                <td class="rf-num">{price(p.markPrice)}</td>
                <td class="rf-num">{leverage(p.leverage)}</td>
              </>
            ) : null}
            <td class={`rf-num rf-${pnlTone(p.unrealizedPnl)}`} data-testid="rf-position-upnl">
              {signedMoney(p.unrealizedPnl)}
            </td>
            <td class="rf-num" data-testid="rf-position-stop">
              <Distance pct={p.stopDistancePct} level={p.stopPrice} wide={wide} />
            </td>
            <td class="rf-num" data-testid="rf-position-liq">
              <Distance pct={p.liqDistancePct} level={p.liquidationPrice} wide={wide} />
            </td>
            {wide ? <td class="rf-muted">{p.strategyId}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
