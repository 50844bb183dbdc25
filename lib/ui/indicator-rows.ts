/**
 * The Market view's indicator readout: the last closed candle's RSI, EMA, SMA, Bollinger bands, ATR, ADX and
 * regression slope, computed with technicalindicators (lib/market/indicator-set's batch series) on the candles the
 * chart shows, with the periods from the market settings. Texts only; the view lays them out.
 */
import type { Candle } from '../domain/market';
import { indicatorSeries } from '../market/indicator-set';
import type { MarketSettings } from '../market/settings';
import { DASH } from './risk-format';
import { priceText } from './market-view';

export interface IndicatorRow {
  id: 'rsi' | 'ema' | 'sma' | 'bollinger' | 'atr' | 'adx' | 'slope';
  name: string;
  value: string;
  reading: string;
}

const ok = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
/** "0.42% above" / "1.10% below" / "at": the close against a level. */
const against = (close: number, level: number) => {
  const d = ((close - level) / level) * 100;
  if (Math.abs(d) < 0.005) return 'close at it';
  return `close ${Math.abs(d).toFixed(2)}% ${d > 0 ? 'above' : 'below'}`;
};

/** Null without candles; a value still warming up (too few candles for its period) reads as a dash. */
export function indicatorRows(candles: readonly Candle[], settings: MarketSettings, decimals: number): IndicatorRow[] | null {
  const i = candles.length - 1;
  if (i < 0) return null;
  const s = indicatorSeries(candles, settings);
  const p = settings.indicators;
  const close = candles[i]!.close;
  const at = (a: Float64Array) => a[i];
  const warm = { value: DASH, reading: 'warming up' };

  const rsi = at(s.rsi);
  const ema = at(s.ema);
  const sma = at(s.sma);
  const [up, mid, lo] = [at(s.bbUpper), at(s.bbMiddle), at(s.bbLower)];
  const atr = at(s.atr);
  const [adx, pdi, mdi] = [at(s.adx), at(s.pdi), at(s.mdi)];
  const slope = at(s.slope);
  return [
    { id: 'rsi', name: `RSI ${p.rsiPeriod}`, ...(ok(rsi) ? { value: rsi.toFixed(1), reading: rsi >= 70 ? 'overbought (70 or more)' : rsi <= 30 ? 'oversold (30 or less)' : 'neutral' } : warm) },
    { id: 'ema', name: `EMA ${p.emaPeriod}`, ...(ok(ema) ? { value: priceText(ema, decimals), reading: against(close, ema) } : warm) },
    { id: 'sma', name: `SMA ${p.smaPeriod}`, ...(ok(sma) ? { value: priceText(sma, decimals), reading: against(close, sma) } : warm) },
    {
      id: 'bollinger',
      name: `Bollinger ${p.bollingerPeriod}, ${p.bollingerStdDev}σ`,
      ...(ok(up) && ok(mid) && ok(lo)
        ? {
            value: `${priceText(lo, decimals)} – ${priceText(up, decimals)}`,
            reading: `%B ${up > lo ? ((close - lo) / (up - lo)).toFixed(2) : DASH}, width ${mid > 0 ? (((up - lo) / mid) * 100).toFixed(2) : DASH}% of the middle`,
          }
        : warm),
    },
    { id: 'atr', name: `ATR ${p.atrPeriod}`, ...(ok(atr) ? { value: priceText(atr, decimals), reading: `${((atr / close) * 100).toFixed(2)}% of the close` } : warm) },
    {
      id: 'adx',
      name: `ADX ${p.adxPeriod}`,
      ...(ok(adx) && ok(pdi) && ok(mdi) ? { value: adx.toFixed(1), reading: `+DI ${pdi.toFixed(1)}, −DI ${mdi.toFixed(1)}: ${pdi >= mdi ? 'buyers' : 'sellers'} lead` } : warm),
    },
    {
      id: 'slope',
      name: `Slope ${p.slopePeriod}`,
      ...(ok(slope) ? { value: `${slope >= 0 ? '+' : '−'}${Math.abs(slope * 100).toFixed(3)}% a candle`, reading: 'least-squares slope of ln(close)' } : warm),
    },
  ];
}
