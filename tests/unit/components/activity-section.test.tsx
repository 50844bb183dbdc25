import { describe, expect, it } from 'vitest';
import { leftOut } from '@/components/options/activity-section';

describe('activity export messages', () => {
  it('say when an export reached its cap and how many older rows it left out', () => {
    expect(leftOut({ rows: 12 })).toBe('');
    expect(leftOut({ rows: 200_000, omitted: 1 })).toBe(' It holds the newest 200,000: 1 older one was left out; narrow the time range to export them.');
    expect(leftOut({ rows: 200_000, omitted: 53_120 })).toBe(' It holds the newest 200,000: 53,120 older ones were left out; narrow the time range to export them.');
  });
});
