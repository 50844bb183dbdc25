/**
 * The market-analysis settings' part of docs/settings.md (rendered by lib/risk/settings-doc.ts): the fields the
 * options page's Market > Analysis settings form edits, their defaults read from the schema.
 */
import { DEFAULT_MARKET_SETTINGS } from './settings';

/** path, unit, range, meaning. */
const ROWS: [string, string, string, string][] = [
  ['trend.adxStrong', 'ADX', '0-100, >= adxWeak', 'ADX at or above which a directional move counts as a strong trend.'],
  ['trend.adxWeak', 'ADX', '0-100', 'ADX at or above which a move counts as a trend at all; below it the market is ranging.'],
  ['trend.slopeStrongAtr', 'ATR', '> 0, >= slopeWeakAtr', 'Fitted move over the slope window, in ATRs, needed for a strong trend.'],
  ['trend.slopeWeakAtr', 'ATR', '> 0', 'Fitted move in ATRs needed for a weak trend.'],
  ['volatility.hvPeriod', 'bars', '2-10000', 'Window of the standard deviation of log returns (historical volatility).'],
  ['volatility.lookback', 'bars', '2-10000', 'Past HV values the volatility percentile is taken over.'],
  ['volatility.lowPercentile', 'percentile', '0-100, < highPercentile', 'HV percentile below which volatility is low.'],
  ['volatility.highPercentile', 'percentile', '0-100', 'HV percentile above which volatility is high.'],
  ['meanReversion.lookback', 'bars', '2-10000', 'One-bar log returns in the variance-ratio window.'],
  ['meanReversion.horizon', 'bars', '2-10000, <= lookback / 4', 'Horizon q of the variance ratio VR(q).'],
  ['profile.valueArea', 'share (form: %)', '(0, 1]', 'Share of the volume between VAL and VAH (the form shows 70 for 0.7).'],
  ['timeframes', '', '1-6 of 1m, 5m, 15m, 1h, 4h, 1d, no repeats', 'Timeframes of the multi-timeframe regime view.'],
  ['liquidity.bandsBps', 'bps', '1-10 values > 0, strictly ascending', 'Depth bands around the mid (book table, panel summary line).'],
  ['liquidity.rangeBps', 'bps', '> 0, >= the widest band', 'How far from the mid walls, levels and zones are looked for.'],
];

const get = (path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], DEFAULT_MARKET_SETTINGS);

export function marketSettingsDocLines(): string[] {
  return [
    '',
    '## Market analysis',
    '',
    'Thresholds of the Market view and of the panels\' market summary line (lib/market/settings.ts), edited in the options',
    'page under Market > Analysis settings and stored apart from the risk settings (requests `market.settings.get`,',
    '`market.settings.save`, `market.settings.reset`; each change is audited as `market.settings.changed`). They are not',
    'part of the settings file. A value the schema refuses is refused whole with the field named, e.g.',
    '`trend.adxWeak (30) must not exceed trend.adxStrong (25)`, and nothing changes.',
    '',
    'They only change what the analysis says (regime labels, value area, book bands), never a risk limit or an input of',
    'one: the ATR % behind the leverage cap and trailing stops keeps its 14-day period, and the correlation groups keep',
    'their default minimum overlap, whatever is saved here. So the settings lock does not apply to them. The other',
    'fields of the schema (indicator periods, profile sessions, zone tracking) keep their defaults and are listed in',
    'docs/market-analysis.md.',
    '',
    '| path | unit | default | range | meaning |',
    '|---|---|---|---|---|',
    ...ROWS.map(([path, unit, range, meaning]) => `| \`${path}\` | ${unit} | \`${JSON.stringify(get(path))}\` | ${range} | ${meaning} |`),
  ];
}
