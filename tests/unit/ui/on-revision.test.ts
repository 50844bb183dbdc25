import { describe, expect, it, vi } from 'vitest';
import { onRevision } from '@/lib/ui/on-revision';

describe('onRevision', () => {
  it('re-reads on the first push and whenever the revision moves, not on repeats', () => {
    const refresh = vi.fn(async () => {});
    const on = onRevision(refresh);
    for (const rev of [0, 0, 0, 1, 1, 2, 1]) on(rev);
    expect(refresh).toHaveBeenCalledTimes(4); // 0, 1, 2, and 1 again (a restarted worker counts from its own start)
  });
});
