import { describe, expect, it } from 'vitest';
import { createAuditFeed } from '@/lib/ui/audit-feed';
import type { AuditEntry } from '@/lib/messaging/protocol';

const entry = (id: number): AuditEntry => ({ id, ts: id, kind: 'k', severity: 'info', message: `m${id}` });
const newestFirst = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => entry(to - i));

/** A background whose log holds ids 1..size, answering audit.list as the store does (newest first, before an id). */
function background(size: number) {
  const log = Array.from({ length: size }, (_, i) => entry(i + 1));
  const asked: { limit: number; beforeId?: number }[] = [];
  const state = { fail: false };
  const runtime = {
    async sendMessage(m: unknown) {
      const { data } = m as { data: { limit: number; beforeId?: number } };
      asked.push(data);
      if (state.fail) return { ok: false, error: { code: 'internal', message: 'The database is closed.' } };
      const before = data.beforeId ?? Infinity;
      return { ok: true, data: log.filter((e) => e.id < before).reverse().slice(0, data.limit) };
    },
    connect() {
      throw new Error('not used');
    },
  };
  return { runtime, asked, state };
}
const ids = (feed: ReturnType<typeof createAuditFeed>) => feed.entries.value.map((e) => e.id);
/** Whether the ids are one unbroken run, newest first. */
const unbroken = (list: number[]) => list.every((id, i) => i === 0 || id === list[i - 1]! - 1);

describe('audit feed', () => {
  it('fills a gap of up to 1000 entries between two pushes with one fetch and keeps what it had', async () => {
    const bg = background(1040);
    const feed = createAuditFeed(bg.runtime);
    await feed.onPush(newestFirst(1, 20));
    await feed.onPush(newestFirst(1021, 1040));
    expect(bg.asked).toEqual([{ limit: 1000, beforeId: 1021 }]);
    expect(ids(feed)).toEqual(newestFirst(1, 1040).map((e) => e.id));
  });

  it('more than 1000 entries between two pushes: no hole, and "Load older" pages back through all of them', async () => {
    const bg = background(3000);
    const feed = createAuditFeed(bg.runtime);
    await feed.onPush(newestFirst(1, 20));
    await feed.onPush(newestFirst(2981, 3000));
    // The entries older than the gap are dropped rather than left beyond a hole paging would never reach.
    expect(ids(feed)).toEqual(newestFirst(1981, 3000).map((e) => e.id));
    let pages = 0;
    while (!feed.exhausted.value && pages++ < 20) await feed.loadOlder();
    expect(ids(feed)).toEqual(newestFirst(1, 3000).map((e) => e.id));
    expect(pages).toBe(10);
  });

  it('a gap fetch that fails drops the entries older than the gap and says why; paging back then fills it', async () => {
    const bg = background(100);
    const feed = createAuditFeed(bg.runtime);
    await feed.onPush(newestFirst(1, 20));
    bg.state.fail = true;
    await feed.onPush(newestFirst(91, 100));
    expect(feed.error.value).toBe('The database is closed.');
    expect(ids(feed)).toEqual(newestFirst(91, 100).map((e) => e.id));
    bg.state.fail = false;
    await feed.loadOlder();
    expect(feed.error.value).toBeNull();
    expect(feed.exhausted.value).toBe(true);
    expect(unbroken(ids(feed))).toBe(true);
    expect(ids(feed)).toHaveLength(100);
  });
});
