/**
 * Requests of the options page's Market analysis settings (extension pages only). The value is checked by
 * parseMarketSettings in the handler; the page parses what comes back with the same schema.
 */
import * as z from 'zod/mini';
import { defineRequest } from './requests';

const ChangeSchema = z.strictObject({ path: z.string(), from: z.unknown(), to: z.unknown() });
export const MarketSettingsViewSchema = z.strictObject({
  /** The full settings, defaults filled in. */
  value: z.record(z.string(), z.unknown()),
  /** null: nothing stored, the defaults are in force. */
  updatedAt: z.nullable(z.number()),
});
export type MarketSettingsView = z.infer<typeof MarketSettingsViewSchema>;
const SavedSchema = z.strictObject({ view: MarketSettingsViewSchema, changes: z.array(ChangeSchema) });

export const marketSettingsGet = defineRequest({ name: 'market.settings.get', from: ['extension'], data: z.strictObject({}), result: MarketSettingsViewSchema });
export const marketSettingsSave = defineRequest({
  name: 'market.settings.save',
  from: ['extension'],
  data: z.strictObject({ value: z.unknown() }),
  result: SavedSchema,
});
export const marketSettingsReset = defineRequest({ name: 'market.settings.reset', from: ['extension'], data: z.strictObject({}), result: SavedSchema });

export const MARKET_SETTINGS_REQUESTS = [marketSettingsGet, marketSettingsSave, marketSettingsReset] as const;
