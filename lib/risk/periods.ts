/**
 * Trading-period boundaries (day, week, month) in a time zone with a configurable day-start hour. The background
 * records the equity and balance at each start and passes them to the engine as period start values.
 * The zone offset comes from Intl.DateTimeFormat, so daylight-saving changes are honoured (a day can last 23 or 25 h).
 */
import type { LossPeriod } from './types';

export interface DayStart {
  timeZone: string;
  /** Local hour 0-23. */
  hour: number;
  /** 0 = Sunday ... 6 = Saturday. */
  weekStartsOn: number;
}

export interface Period {
  start: number;
  /** Exclusive: the next period's start. */
  end: number;
}

export type PeriodBounds = Record<LossPeriod, Period> & {
  /** The trading day's local calendar date, YYYY-MM-DD. */
  tradingDate: string;
};

const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface Local {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function local(t: number, timeZone: string): Local {
  const out: Local = { y: 0, m: 0, d: 0, h: 0, mi: 0, s: 0 };
  for (const p of formatter(timeZone).formatToParts(t)) {
    if (p.type === 'year') out.y = Number(p.value);
    else if (p.type === 'month') out.m = Number(p.value);
    else if (p.type === 'day') out.d = Number(p.value);
    else if (p.type === 'hour') out.h = Number(p.value);
    else if (p.type === 'minute') out.mi = Number(p.value);
    else if (p.type === 'second') out.s = Number(p.value);
  }
  return out;
}

/** The zone's offset from UTC at instant t, in ms (New York in winter: -5 h). */
export function zoneOffsetMs(t: number, timeZone: string): number {
  const l = local(t, timeZone);
  const whole = Math.floor(t / 1000) * 1000;
  return Date.UTC(l.y, l.m - 1, l.d, l.h, l.mi, l.s) - whole;
}

/**
 * The instant at which the local wall clock in timeZone shows y-m-d h:00. Ambiguous times (clocks going back) give
 * the first occurrence; times that do not exist (clocks going forward) give the first instant after the gap.
 */
export function zonedTime(y: number, m: number, d: number, h: number, timeZone: string): number {
  const guess = Date.UTC(y, m - 1, d, h);
  // Any instant showing that wall time lies within 14 h of `guess` (offsets run from -12 h to +14 h), so the offsets
  // a day either side are the ones before and after any change near it. (Sampling 12 h away missed the offset before
  // a change in zones at UTC+12 or more: Auckland's 02:00 on a spring-forward day came out as 01:00 NZST.)
  const o1 = zoneOffsetMs(guess - 24 * HOUR, timeZone);
  const o2 = zoneOffsetMs(guess + 24 * HOUR, timeZone);
  let best: number | null = null;
  for (const o of o1 === o2 ? [o1] : [o1, o2]) {
    const c = guess - o;
    const l = local(c, timeZone);
    if (l.y === y && l.m === m && l.d === d && l.h === h && (best === null || c < best)) best = c;
  }
  if (best !== null) return best;
  // In a gap: the first instant after it is the change itself, between the two candidates (the earlier one still
  // shows a time before the gap). Found to the second: a gap need not end on the hour (Chatham, Lord Howe).
  let lo = guess - Math.max(o1, o2);
  let hi = guess - Math.min(o1, o2);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (mid + zoneOffsetMs(mid, timeZone) >= guess) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Calendar arithmetic on a local date, without a zone. */
function addDays(y: number, m: number, d: number, days: number): [number, number, number] {
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

// Memo of the last answer per configuration: every instant inside the same trading day has the same bounds, so the
// Intl work runs once a day rather than on every evaluation. A pure function's cache: results are unchanged.
const memo = new Map<string, PeriodBounds>();

/** Day, week and month containing `now`, each starting at the configured local hour. */
export function periodBounds(now: number, ds: DayStart): PeriodBounds {
  const key = `${ds.timeZone}|${ds.hour}|${ds.weekStartsOn}`;
  const hit = memo.get(key);
  if (hit && now >= hit.daily.start && now < hit.daily.end) return hit;
  const fresh = computeBounds(now, ds);
  if (memo.size > 16) memo.clear();
  memo.set(key, fresh);
  return fresh;
}

function computeBounds(now: number, ds: DayStart): PeriodBounds {
  const l = local(now, ds.timeZone);
  // Before the start hour, the trading day is still yesterday's.
  let [y, m, d] = l.h >= ds.hour ? [l.y, l.m, l.d] : addDays(l.y, l.m, l.d, -1);
  let dayStart = zonedTime(y, m, d, ds.hour, ds.timeZone);
  if (dayStart > now) {
    // Defensive: a start that exists, or the end of a gap it falls in, is never after a later wall clock that day.
    [y, m, d] = addDays(y, m, d, -1);
    dayStart = zonedTime(y, m, d, ds.hour, ds.timeZone);
  }
  const [ny, nm, nd] = addDays(y, m, d, 1);
  const day = { start: dayStart, end: zonedTime(ny, nm, nd, ds.hour, ds.timeZone) };

  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const back = (weekday - ds.weekStartsOn + 7) % 7;
  const [wy, wm, wd] = addDays(y, m, d, -back);
  const [ey, em, ed] = addDays(wy, wm, wd, 7);
  const week = { start: zonedTime(wy, wm, wd, ds.hour, ds.timeZone), end: zonedTime(ey, em, ed, ds.hour, ds.timeZone) };

  const [my, mm] = m === 12 ? [y + 1, 1] : [y, m + 1];
  const month = { start: zonedTime(y, m, 1, ds.hour, ds.timeZone), end: zonedTime(my, mm, 1, ds.hour, ds.timeZone) };

  const pad = (n: number) => String(n).padStart(2, '0');
  return { daily: day, weekly: week, monthly: month, tradingDate: `${y}-${pad(m)}-${pad(d)}` };
}
