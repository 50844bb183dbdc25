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
