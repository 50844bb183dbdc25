/** The Market view's analysis settings form: settings to text fields and back, and the background's lines by field. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MARKET_SETTINGS } from '@/lib/market/settings';
import { analysisIssuesByField, fromAnalysisForm, toAnalysisForm } from '@/lib/ui/market-settings-form';

describe('analysis settings form', () => {
  it('shows the value area in % and lists comma-separated, and reads them back unchanged', () => {
    const form = toAnalysisForm(DEFAULT_MARKET_SETTINGS);
    expect(form['profile.valueArea']).toBe('70');
    expect(form['timeframes']).toBe('15m, 1h, 4h');
    expect(form['liquidity.bandsBps']).toBe('10, 25, 50, 100');
    expect(form['trend.adxStrong']).toBe('25');
    expect(fromAnalysisForm(form, DEFAULT_MARKET_SETTINGS)).toEqual({ value: DEFAULT_MARKET_SETTINGS, errors: {} });
  });

  it('puts edited fields in and keeps the fields it does not show', () => {
    const form = { ...toAnalysisForm(DEFAULT_MARKET_SETTINGS), 'profile.valueArea': '65', timeframes: '1h 4h,1d', 'trend.adxStrong': ' 30 ' };
    const { value, errors } = fromAnalysisForm(form, DEFAULT_MARKET_SETTINGS);
    expect(errors).toEqual({});
    expect(value.profile.valueArea).toBe(0.65);
    expect(value.timeframes).toEqual(['1h', '4h', '1d']);
    expect(value.trend.adxStrong).toBe(30);
    expect(value.indicators).toEqual(DEFAULT_MARKET_SETTINGS.indicators);
  });

  it('names what a text cannot give: not a number, an unknown timeframe, a value area outside 0..100 %', () => {
    const form = { ...toAnalysisForm(DEFAULT_MARKET_SETTINGS), 'trend.adxWeak': 'x', timeframes: '1h, 2h', 'profile.valueArea': '120', 'liquidity.bandsBps': '10, a' };
    expect(fromAnalysisForm(form, DEFAULT_MARKET_SETTINGS).errors).toEqual({
      'trend.adxWeak': 'A number.',
      timeframes: '"2h" is not a timeframe (1m, 5m, 15m, 1h, 4h, 1d).',
      'profile.valueArea': 'Above 0 and at most 100 %.',
      'liquidity.bandsBps': 'Numbers separated by commas.',
    });
  });

  it('files the background lines under their field, the rest under ""', () => {
    expect(
      analysisIssuesByField([
        'trend.adxWeak (30) must not exceed trend.adxStrong (25)',
        'volatility.hvPeriod: Too small: expected number to be >=2',
        'indicators.atrPeriod: Too small: expected number to be >=2',
      ]),
    ).toEqual({
      'trend.adxWeak': 'trend.adxWeak (30) must not exceed trend.adxStrong (25)',
      'volatility.hvPeriod': 'volatility.hvPeriod: Too small: expected number to be >=2',
      '': 'indicators.atrPeriod: Too small: expected number to be >=2',
    });
  });
});
