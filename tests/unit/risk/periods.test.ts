import { describe, expect, it } from 'vitest';
import { periodBounds, zoneOffsetMs, zonedTime } from '../../../lib/risk/periods';

const H = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

describe('period boundaries', () => {
  it('UTC, midnight start: day, ISO week (Monday) and month', () => {
    const b = periodBounds(Date.parse('2026-11-21T03:00:00Z'), { timeZone: 'UTC', hour: 0, weekStartsOn: 1 });
    expect([iso(b.daily.start), iso(b.daily.end)]).toEqual(['2026-11-21T00:00:00.000Z', '2026-11-22T00:00:00.000Z']);
    expect([iso(b.weekly.start), iso(b.weekly.end)]).toEqual(['2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
    expect([iso(b.monthly.start), iso(b.monthly.end)]).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
    expect(b.tradingDate).toBe('2026-11-21');
  });

  it('a zone without DST and a day-start hour: before the hour it is still yesterday', () => {
    // 07:00 in Tokyo (UTC+9), day starts at 08:00: the trading day began yesterday 08:00 JST = 23:00 UTC two days back.
    const b = periodBounds(Date.parse('2026-11-20T22:00:00Z'), { timeZone: 'Asia/Tokyo', hour: 8, weekStartsOn: 0 });
    expect(b.tradingDate).toBe('2026-11-20');
    expect(iso(b.daily.start)).toBe('2026-11-19T23:00:00.000Z');
    expect(b.daily.end - b.daily.start).toBe(24 * H);
    // Week starting Sunday: Sunday 2026-11-15 08:00 JST.
    expect(iso(b.weekly.start)).toBe('2026-11-14T23:00:00.000Z');
  });

  it('a day crossing the spring-forward change in New York lasts 23 hours', () => {
    const b = periodBounds(Date.parse('2026-03-08T12:00:00Z'), { timeZone: 'America/New_York', hour: 0, weekStartsOn: 1 });
    expect(iso(b.daily.start)).toBe('2026-03-08T05:00:00.000Z'); // 00:00 EST
    expect(iso(b.daily.end)).toBe('2026-03-09T04:00:00.000Z'); // 00:00 EDT
    expect(b.daily.end - b.daily.start).toBe(23 * H);
    expect(iso(b.monthly.start)).toBe('2026-03-01T05:00:00.000Z');
    expect(iso(b.monthly.end)).toBe('2026-04-01T04:00:00.000Z');
  });

  it('a day crossing the fall-back change lasts 25 hours; an ambiguous start hour takes its first occurrence', () => {
    const b = periodBounds(Date.parse('2026-11-01T12:00:00Z'), { timeZone: 'America/New_York', hour: 1, weekStartsOn: 1 });
    expect(iso(b.daily.start)).toBe('2026-11-01T05:00:00.000Z'); // the first 01:00, still EDT
    expect(b.daily.end - b.daily.start).toBe(25 * H);
  });

  it('a start hour skipped by the spring-forward gap starts at the first instant after it', () => {
    expect(iso(zonedTime(2026, 3, 8, 2, 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z'); // 03:00 EDT
    const b = periodBounds(Date.parse('2026-03-08T12:00:00Z'), { timeZone: 'America/New_York', hour: 2, weekStartsOn: 1 });
    expect(iso(b.daily.start)).toBe('2026-03-08T07:00:00.000Z');
    expect(b.daily.start).toBeLessThanOrEqual(Date.parse('2026-03-08T12:00:00Z'));
  });

  it('reads zone offsets from Intl', () => {
    expect(zoneOffsetMs(Date.parse('2026-01-15T12:00:00Z'), 'America/New_York')).toBe(-5 * H);
    expect(zoneOffsetMs(Date.parse('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-4 * H);
    expect(zoneOffsetMs(Date.parse('2026-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * H);
  });

  it('always contains now, for instants all through a DST year', () => {
    for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 7 * H + 13 * 60_000) {
      const b = periodBounds(t, { timeZone: 'Europe/London', hour: 6, weekStartsOn: 1 });
      for (const p of [b.daily, b.weekly, b.monthly]) {
        expect(p.start).toBeLessThanOrEqual(t);
        expect(p.end).toBeGreaterThan(t);
      }
    }
  });
});

describe('DST changes east of UTC+12 and off the hour', () => {
  it('Auckland, day start 02:00 on the spring-forward day: the first instant after the gap, and the day before still runs', () => {
    expect(iso(zonedTime(2025, 9, 28, 2, 'Pacific/Auckland'))).toBe('2025-09-27T14:00:00.000Z'); // 03:00 NZDT
    const now = Date.parse('2025-09-27T13:30:00Z'); // 01:30 NZST, before the gap
    const b = periodBounds(now, { timeZone: 'Pacific/Auckland', hour: 2, weekStartsOn: 1 });
    expect([iso(b.daily.start), iso(b.daily.end), b.tradingDate]).toEqual(['2025-09-26T14:00:00.000Z', '2025-09-27T14:00:00.000Z', '2025-09-27']);
  });

  it('Chatham: 02:00 exists on its spring-forward day (the gap is 02:45-03:45); 03:00 does not and gives 03:45', () => {
    expect(iso(zonedTime(2025, 9, 28, 2, 'Pacific/Chatham'))).toBe('2025-09-27T13:15:00.000Z');
    expect(iso(zonedTime(2025, 9, 28, 3, 'Pacific/Chatham'))).toBe('2025-09-27T14:00:00.000Z');
  });

  it('every zone Intl knows, every hour of each day with a change in 2025-2026: as computed from the change itself', () => {
    const D = 24 * H;
    const problems: string[] = [];
    let changes = 0;
    for (const tz of Intl.supportedValuesOf('timeZone')) {
      const off = (t: number) => zoneOffsetMs(t, tz);
      for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * D) {
        const [ob, oa] = [off(t), off(t + 7 * D)];
        if (ob === oa) continue;
        // The change to the second: the last instant with the old offset, plus one second.
        let [lo, hi] = [t, t + 7 * D];
        while (hi - lo > 1000) {
          const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
          if (off(mid) === ob) lo = mid;
          else hi = mid;
        }
        const change = hi;
        changes += 1;
        // Independent of zonedTime: wall(t) = t + old offset before the change, + new offset from it. The answer is the
        // earliest instant showing the wall time, or the change itself when the wall time falls in its gap.
        const expected = (wall: number) => {
          const found = [wall - ob, wall - oa].filter((c, i) => (i === 0 ? c < change : c >= change));
          return found.length ? Math.min(...found) : change;
        };
        const days = new Set([iso(change + ob).slice(0, 10), iso(change + oa).slice(0, 10)]);
        for (const day of days) {
          const [y, m, d] = day.split('-').map(Number) as [number, number, number];
          for (let h = 0; h < 24; h++) {
            const got = zonedTime(y, m, d, h, tz);
            const want = expected(Date.UTC(y, m - 1, d, h));
            if (got !== want) problems.push(`${tz} ${day} ${h}:00 -> ${iso(got)}, expected ${iso(want)}`);
          }
        }
      }
    }
    expect(changes).toBeGreaterThan(100);
    expect(problems.slice(0, 10)).toEqual([]);
  });
});

describe('period bounds chain day after day through the changes, where they are hardest', () => {
  for (const tz of ['Pacific/Auckland', 'Pacific/Chatham', 'Australia/Lord_Howe', 'America/New_York']) {
    it(`${tz}, day start 02:00`, () => {
      const ds = { timeZone: tz, hour: 2, weekStartsOn: 1 };
      const problems: string[] = [];
      let prev = periodBounds(Date.UTC(2025, 2, 1), ds);
      // At most 300 days: a day that does not move on must fail, not loop.
      for (let i = 0; i < 300 && prev.daily.end < Date.UTC(2025, 11, 1); i++) {
        const b = periodBounds(prev.daily.end, ds);
        const mid = periodBounds(b.daily.end - 1, ds);
        if (b.daily.start !== prev.daily.end || mid.daily.start !== b.daily.start || b.tradingDate === prev.tradingDate) {
          problems.push(`${b.tradingDate}: ${iso(b.daily.start)} - ${iso(b.daily.end)} after ${iso(prev.daily.end)}`);
        }
        prev = b;
      }
      expect(problems).toEqual([]);
    });
  }
});
