import { computed, signal } from '@preact/signals';
import { request, type RuntimeLike } from '../messaging/client';
import type { AuditEntry } from '../messaging/protocol';
import { auditList } from '../messaging/requests';

const PAGE = 200;
/** The most entries one push fetches to fill the gap since the previous one (what audit.list answers at most). */
const GAP_MAX = 1000;

/**
 * The options page's audit list: the newest entries arrive with every push, older ones are paged in on demand.
 * Audit ids are contiguous (the log is append-only), so a jump between pushes is a gap we fetch. The known entries
 * stay one unbroken run of ids, so paging back from the oldest never skips any: a gap one fetch did not fill (more
 * than GAP_MAX entries between two pushes, or the fetch failed) drops the entries older than it, paged in again.
 */
export function createAuditFeed(runtime: RuntimeLike) {
  const byId = signal(new Map<number, AuditEntry>());
  const error = signal<string | null>(null);
  const exhausted = signal(false);
  const entries = computed(() => [...byId.value.values()].sort((a, b) => b.id - a.id));

  const merge = (list: AuditEntry[]) => {
    if (list.length === 0) return;
    const next = new Map(byId.value);
    for (const e of list) next.set(e.id, e);
    byId.value = next;
  };
  const fetchBefore = async (beforeId: number, limit: number) => {
    const res = await request(runtime, auditList, { limit, beforeId });
    if (!res.ok) {
      error.value = res.error.message;
      return null;
    }
    error.value = null;
    merge(res.data);
    return res.data;
  };

  return {
    entries,
    error,
    exhausted,
    /** Merge the newest entries of a push, fetching any that came between two pushes. */
    async onPush(recent: AuditEntry[]) {
      const prevMax = entries.value[0]?.id;
      merge(recent);
      const minNew = recent.at(-1)?.id;
      if (prevMax === undefined || minNew === undefined || minNew <= prevMax + 1) return;
      const gap = minNew - prevMax - 1;
      const got = await fetchBefore(minNew, Math.min(GAP_MAX, gap));
      if (got && gap <= GAP_MAX) return;
      byId.value = new Map([...byId.value].filter(([id]) => id > prevMax));
      exhausted.value = false;
    },
    async loadOlder() {
      const oldest = entries.value.at(-1)?.id;
      if (oldest === undefined) return;
      const got = await fetchBefore(oldest, PAGE);
      if (got && got.length < PAGE) exhausted.value = true;
    },
  };
}
export type AuditFeed = ReturnType<typeof createAuditFeed>;
