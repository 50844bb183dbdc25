/**
 * The Market view's "Analysis settings" form: the thresholds a trader tunes, as text fields, and back. Only what
 * a text field cannot say is checked here (a number, a known timeframe, the value area in %); everything else is
 * the background's parseMarketSettings, whose message the form shows.
 */
import { CandleIntervalSchema, type CandleInterval } from '../domain/market';
import type { MarketSettings } from '../market/settings';

const CANDLE_INTERVALS = CandleIntervalSchema.options;

export interface AnalysisField {
  path: string;
  label: string;
  unit: string;
  help: string;
  /** 'list': comma-separated numbers; 'timeframes': comma-separated intervals; 'pct': a 0..1 share shown in %. */
  kind?: 'list' | 'timeframes' | 'pct';
}

export const ANALYSIS_GROUPS: { title: string; fields: AnalysisField[] }[] = [
  {
    title: 'Trend',
    fields: [
      { path: 'trend.adxStrong', label: 'Strong trend ADX', unit: 'ADX', help: 'ADX at or above which a move counts as strong.' },
      { path: 'trend.adxWeak', label: 'Trend ADX', unit: 'ADX', help: 'Below this ADX the market is ranging.' },
      { path: 'trend.slopeStrongAtr', label: 'Strong trend slope', unit: 'ATR', help: 'Fitted move over the slope window, in ATRs, for a strong trend.' },
      { path: 'trend.slopeWeakAtr', label: 'Trend slope', unit: 'ATR', help: 'Fitted move in ATRs for a weak trend.' },
    ],
  },
  {
    title: 'Volatility',
    fields: [
      { path: 'volatility.hvPeriod', label: 'HV period', unit: 'bars', help: 'Window of the standard deviation of log returns.' },
      { path: 'volatility.lookback', label: 'HV lookback', unit: 'bars', help: 'Past HV values the percentile is taken over.' },
      { path: 'volatility.lowPercentile', label: 'Low volatility below', unit: 'pctile', help: 'HV percentile below which volatility is low.' },
      { path: 'volatility.highPercentile', label: 'High volatility above', unit: 'pctile', help: 'HV percentile above which volatility is high.' },
    ],
  },
  {
    title: 'Mean reversion',
    fields: [
      { path: 'meanReversion.lookback', label: 'Lookback', unit: 'bars', help: 'One-bar returns in the variance-ratio window.' },
      { path: 'meanReversion.horizon', label: 'Horizon', unit: 'bars', help: 'q of the variance ratio VR(q); at most a quarter of the lookback.' },
    ],
  },
  {
    title: 'Profile, timeframes and book',
    fields: [
      { path: 'profile.valueArea', label: 'Value area', unit: '% of volume', help: 'Share of the volume between VAL and VAH.', kind: 'pct' },
      { path: 'timeframes', label: 'Timeframes', unit: '', help: `Of the multi-timeframe regime, up to 6 of ${CANDLE_INTERVALS.join(', ')}.`, kind: 'timeframes' },
      { path: 'liquidity.bandsBps', label: 'Book bands', unit: 'bps', help: 'Depth bands around the mid, ascending.', kind: 'list' },
      { path: 'liquidity.rangeBps', label: 'Book range', unit: 'bps', help: 'How far from the mid walls and zones are looked for; covers the widest band.' },
    ],
  },
];
export const ANALYSIS_FIELDS: AnalysisField[] = ANALYSIS_GROUPS.flatMap((g) => g.fields);

export type AnalysisForm = Record<string, string>;

const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
/** 0.7 -> "70" (not "70.00000000000001"). */
const pctText = (share: number) => String(+(share * 100).toFixed(6));

export function toAnalysisForm(s: MarketSettings): AnalysisForm {
  const form: AnalysisForm = {};
  for (const f of ANALYSIS_FIELDS) {
    const v = get(s, f.path);
    form[f.path] = f.kind === 'pct' ? pctText(v as number) : Array.isArray(v) ? v.join(', ') : String(v);
  }
  return form;
}

const number = (text: string): number | null => (text.trim() === '' ? null : Number.isFinite(Number(text)) ? Number(text) : null);
const items = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** The settings with the form's fields put in, or the fields a text cannot give a value for, each with why. */
export function fromAnalysisForm(form: AnalysisForm, base: MarketSettings): { value: MarketSettings; errors: Record<string, string> } {
  const value = structuredClone(base) as unknown as Record<string, Record<string, unknown>>;
  const errors: Record<string, string> = {};
  const put = (path: string, v: unknown) => {
    const [group, key] = path.split('.');
    if (key === undefined) (value as Record<string, unknown>)[group!] = v;
    else value[group!]![key] = v;
  };
  for (const f of ANALYSIS_FIELDS) {
    const text = form[f.path] ?? '';
    if (f.kind === 'timeframes') {
      const list = items(text);
      const bad = list.find((x) => !(CANDLE_INTERVALS as readonly string[]).includes(x));
      if (bad !== undefined) errors[f.path] = `"${bad}" is not a timeframe (${CANDLE_INTERVALS.join(', ')}).`;
      else put(f.path, list as CandleInterval[]);
    } else if (f.kind === 'list') {
      const list = items(text).map(number);
      if (list.some((x) => x === null)) errors[f.path] = 'Numbers separated by commas.';
      else put(f.path, list);
    } else {
      const n = number(text);
      if (n === null) errors[f.path] = 'A number.';
      else if (f.kind === 'pct' && !(n > 0 && n <= 100)) errors[f.path] = 'Above 0 and at most 100 %.';
      else put(f.path, f.kind === 'pct' ? +(n / 100).toFixed(8) : n);
    }
  }
  return { value: value as unknown as MarketSettings, errors };
}

/** The background's problem lines by field of this form (a line names its field first); others under ''. */
export function analysisIssuesByField(issues: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of issues) {
    const f = ANALYSIS_FIELDS.find((x) => line === x.path || line.startsWith(`${x.path}:`) || line.startsWith(`${x.path} `));
    const k = f?.path ?? '';
    out[k] = out[k] ? `${out[k]} ${line}` : line;
  }
  return out;
}
