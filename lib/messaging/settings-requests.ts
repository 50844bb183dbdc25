/** Requests of the options page's Limits section (extension pages only). Settings are validated in the handler. */
import * as z from 'zod/mini';
import { defineRequest } from './requests';

const SettingsChangeSchema = z.strictObject({ path: z.string(), from: z.unknown(), to: z.unknown() });
export const SettingsViewSchema = z.strictObject({
  /** The full settings, defaults filled in. */
  value: z.record(z.string(), z.unknown()),
  updatedAt: z.nullable(z.number()),
  /** No loosening before this instant; null: unlocked. */
  lockUntil: z.nullable(z.number()),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

export const settingsGet = defineRequest({ name: 'settings.get', from: ['extension'], data: z.strictObject({}), result: SettingsViewSchema });
export const settingsSave = defineRequest({
  name: 'settings.save',
  from: ['extension'],
  data: z.strictObject({ value: z.unknown() }),
  result: z.strictObject({ view: SettingsViewSchema, changes: z.array(SettingsChangeSchema) }),
});
export const settingsLock = defineRequest({
  name: 'settings.lock',
  from: ['extension'],
  data: z.strictObject({ until: z.number() }),
  result: SettingsViewSchema,
});
export const settingsHistory = defineRequest({
  name: 'settings.history',
  from: ['extension'],
  data: z.strictObject({ limit: z._default(z.int().check(z.minimum(1), z.maximum(500)), 50) }),
  result: z.array(z.strictObject({ ts: z.number(), source: z.string(), changes: z.array(SettingsChangeSchema) })),
});
export const settingsExport = defineRequest({
  name: 'settings.export',
  from: ['extension'],
  data: z.strictObject({}),
  result: z.strictObject({ filename: z.string(), mime: z.string(), body: z.string(), rows: z.int() }),
});
export const settingsImport = defineRequest({
  name: 'settings.import',
  from: ['extension'],
  data: z.strictObject({ text: z.string().check(z.maxLength(1_000_000)) }),
  result: z.strictObject({ view: SettingsViewSchema, changes: z.array(SettingsChangeSchema) }),
});

export const SETTINGS_REQUESTS = [settingsGet, settingsSave, settingsLock, settingsHistory, settingsExport, settingsImport] as const;
