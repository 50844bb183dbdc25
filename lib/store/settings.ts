import type { RingfenceDb, SettingsChangeRow } from './db';

type Change = SettingsChangeRow['changes'][number];

/** Field-by-field differences between two JSON values, as dotted paths (arrays compared whole). */
export function diffValues(from: unknown, to: unknown, path = ''): Change[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(from) && isObj(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((k) => diffValues(from[k], to[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ path: path || '(all)', from, to }];
}

/**
 * Saves a settings value (already validated by its schema) and records what changed, atomically. Saving an equal
 * value records nothing. Returns the changes.
 */
export async function saveSettings(
  db: RingfenceDb,
  key: string,
  value: unknown,
  now: number,
  source: string,
  /** What was in force when nothing was stored yet (the defaults), so the first save records field changes. */
  baseline?: unknown,
): Promise<Change[]> {
  return db.transaction('rw', db.settings, db.settingsHistory, async () => {
    const before = await db.settings.get(key);
    const changes = diffValues(before ? before.value : baseline, value);
    if (changes.length === 0) return [];
    await db.settings.put({ key, value, updatedAt: now });
    await db.settingsHistory.add({ key, ts: now, changes, source });
    return changes;
  });
}

/** The change history of one settings key, newest first. */
export function settingsHistory(db: RingfenceDb, key: string, limit = 200): Promise<SettingsChangeRow[]> {
  return db.settingsHistory.where('[key+ts]').between([key, -Infinity], [key, Infinity]).reverse().limit(limit).toArray();
}
