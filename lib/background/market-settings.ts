/**
 * Market-analysis settings in the background (thresholds and periods of lib/market/settings.ts): stored under their
 * own key of the settings table, validated whole by parseMarketSettings (nothing partly applied), each change audited
 * and kept in the settings history. They only shape what the analysis says (regime labels, profiles, book bands), not
 * the risk engine's inputs, so the settings lock does not apply (see docs/settings.md).
 */
import { ZodError } from 'zod';
import { DEFAULT_MARKET_SETTINGS, parseMarketSettings, type MarketSettings } from '../market/settings';
import type { MarketSettingsView } from '../messaging/market-settings-requests';
import { RequestError } from '../messaging/router';
import type { RingfenceDb } from '../store/db';
import { saveSettings } from '../store/settings';
import type { AuditFn } from './audit-fn';

export const MARKET_SETTINGS_KEY = 'market';

/** One line per problem, each starting with the field's path (the schema's own messages often name it already). */
export function marketSettingsIssues(e: ZodError): string[] {
  return e.issues.map((i) => {
    const path = i.path.join('.') || '(all)';
    return i.message.startsWith(path) ? i.message : `${path}: ${i.message}`;
  });
}

export function marketSettingsHandlers({ db, now, audit, changed }: { db: RingfenceDb; now: () => number; audit: AuditFn; changed: (s: MarketSettings) => void }) {
  const current = async (): Promise<{ value: MarketSettings; updatedAt: number | null }> => {
    const row = await db.settings.get(MARKET_SETTINGS_KEY);
    if (!row) return { value: DEFAULT_MARKET_SETTINGS, updatedAt: null };
    try {
      return { value: parseMarketSettings(row.value), updatedAt: row.updatedAt };
    } catch {
      // A stored value a newer schema refuses: analyse with the defaults and say so, rather than show nothing.
      await audit('market.settings.unreadable', 'warning', 'The stored market analysis settings could not be read; the defaults are in use until you save.');
      return { value: DEFAULT_MARKET_SETTINGS, updatedAt: null };
    }
  };
  const view = async (): Promise<MarketSettingsView> => {
    const c = await current();
    return { value: c.value as unknown as Record<string, unknown>, updatedAt: c.updatedAt };
  };

  const apply = async (next: MarketSettings, source: string) => {
    const changes = await saveSettings(db, MARKET_SETTINGS_KEY, next, now(), source, DEFAULT_MARKET_SETTINGS);
    if (changes.length > 0) {
      const list = changes.map((c) => `${c.path} ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`).join(', ');
      await audit('market.settings.changed', 'notice', `Market analysis settings changed (${source}): ${list}.`, { changes });
      changed(next);
    }
    return { view: await view(), changes };
  };

  return {
    current,
    'market.settings.get': () => view(),
    'market.settings.save': ({ value }: { value: unknown }) => {
      let next: MarketSettings;
      try {
        next = parseMarketSettings(value);
      } catch (e) {
        if (!(e instanceof ZodError)) throw e;
        const issues = marketSettingsIssues(e);
        throw new RequestError('invalid_data', `The analysis settings were not saved: ${issues.join('; ')}.`, issues);
      }
      return apply(next, 'options');
    },
    'market.settings.reset': () => apply(DEFAULT_MARKET_SETTINGS, 'reset'),
  };
}
