/**
 * The configured indicators of one symbol and timeframe together (periods from settings.indicators): a stream for the
 * background (one update per closed candle) and the batch series for charts, which agree value for value.
 */
import type { Candle } from '../domain/market';
import { asColumns, type CandleColumns } from './columns';
import { adx, atr, bollinger, ema, linRegSlope, rsi, sma } from './indicators';
import { type MarketSettings, type MarketSettingsInput, resolveSettings } from './settings';
import { AdxStream, AtrStream, BollingerStream, EmaStream, LinRegSlopeStream, RsiStream, SmaStream } from './streaming';

export interface IndicatorSnapshot {
  time: number;
  sma: number;
  ema: number;
  rsi: number;
  atr: number;
  adx: number;
  pdi: number;
  mdi: number;
  bbUpper: number;
  bbMiddle: number;
  bbLower: number;
  /** Regression slope of ln(close) per bar. */
  slope: number;
}

export type IndicatorSeries = { [K in Exclude<keyof IndicatorSnapshot, 'time'>]: Float64Array } & { time: Float64Array };

export class IndicatorSetStream {
  private readonly sma: SmaStream;
  private readonly ema: EmaStream;
  private readonly rsi: RsiStream;
  private readonly atr: AtrStream;
  private readonly adx: AdxStream;
  private readonly bb: BollingerStream;
  private readonly lr: LinRegSlopeStream;

  constructor(settings?: MarketSettings | MarketSettingsInput) {
    const p = resolveSettings(settings).indicators;
    this.sma = new SmaStream(p.smaPeriod);
    this.ema = new EmaStream(p.emaPeriod);
    this.rsi = new RsiStream(p.rsiPeriod);
    this.atr = new AtrStream(p.atrPeriod);
    this.adx = new AdxStream(p.adxPeriod);
    this.bb = new BollingerStream(p.bollingerPeriod, p.bollingerStdDev);
    this.lr = new LinRegSlopeStream(p.slopePeriod);
  }

  update(c: Candle): IndicatorSnapshot {
    this.bb.update(c.close);
    return {
      time: c.time,
      sma: this.sma.update(c.close),
      ema: this.ema.update(c.close),
      rsi: this.rsi.update(c.close),
      atr: this.atr.update(c.high, c.low, c.close),
      adx: this.adx.update(c.high, c.low, c.close),
      pdi: this.adx.pdi,
      mdi: this.adx.mdi,
      bbUpper: this.bb.upper,
      bbMiddle: this.bb.middle,
      bbLower: this.bb.lower,
      slope: this.lr.update(Math.log(c.close)),
    };
  }
}

/** The same indicators in batch (technicalindicators, plus the slope), aligned with the candles. */
export function indicatorSeries(candles: readonly Candle[] | CandleColumns, settings?: MarketSettings | MarketSettingsInput): IndicatorSeries {
  const p = resolveSettings(settings).indicators;
  const c = asColumns(candles);
  const a = adx(c, p.adxPeriod);
  const bb = bollinger(c.close, p.bollingerPeriod, p.bollingerStdDev);
  return {
    time: c.time,
    sma: sma(c.close, p.smaPeriod),
    ema: ema(c.close, p.emaPeriod),
    rsi: rsi(c.close, p.rsiPeriod),
    atr: atr(c, p.atrPeriod),
    adx: a.adx,
    pdi: a.pdi,
    mdi: a.mdi,
    bbUpper: bb.upper,
    bbMiddle: bb.middle,
    bbLower: bb.lower,
    slope: linRegSlope(c.close.map(Math.log), p.slopePeriod),
  };
}
