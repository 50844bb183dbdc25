/** Requests of the options page's Accounts section (extension pages only; never imported by content scripts). */
import * as z from 'zod/mini';
import { EnforcementModeSchema, NewAccountSchema } from '../domain/accounts';
import { defineRequest } from './requests';

const passphrase = z.string().check(z.minLength(1), z.maxLength(1024));

export const VaultStatusSchema = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('none') }),
  z.strictObject({ state: z.literal('locked') }),
  z.strictObject({ state: z.literal('unlocked'), lockAt: z.number() }),
]);

/** An account as views see it: the API key masked, no secret, ever. */
export const AccountPublicSchema = z.strictObject({
  id: z.string(),
  venue: z.enum(['binance', 'hyperliquid']),
  accountId: z.string(),
  label: z.string(),
  network: z.enum(['mainnet', 'testnet', 'custom']),
  restUrl: z.nullable(z.string()),
  wsUrl: z.nullable(z.string()),
  publicIdMasked: z.string(),
  hasSecret: z.boolean(),
  mode: EnforcementModeSchema,
  /** Dead-man's switch: the venue cancels open orders unless Ringfence refreshes it within this many seconds. */
  deadManSwitchSec: z.nullable(z.int()),
  createdAt: z.number(),
});
export type AccountPublic = z.infer<typeof AccountPublicSchema>;

export const vaultStatus = defineRequest({ name: 'vault.status', from: ['extension'], data: z.strictObject({}), result: VaultStatusSchema });
export const vaultCreate = defineRequest({
  name: 'vault.create',
  from: ['extension'],
  data: z.strictObject({ passphrase }),
  result: VaultStatusSchema,
});
export const vaultUnlock = defineRequest({
  name: 'vault.unlock',
  from: ['extension'],
  data: z.strictObject({ passphrase }),
  result: VaultStatusSchema,
});
export const vaultLock = defineRequest({ name: 'vault.lock', from: ['extension'], data: z.strictObject({}), result: VaultStatusSchema });
export const accountsList = defineRequest({
  name: 'accounts.list',
  from: ['extension'],
  data: z.strictObject({}),
  result: z.array(AccountPublicSchema),
});
export const accountAdd = defineRequest({ name: 'account.add', from: ['extension'], data: NewAccountSchema, result: AccountPublicSchema });
export const accountRemove = defineRequest({
  name: 'account.remove',
  from: ['extension'],
  data: z.strictObject({ id: z.string().check(z.minLength(1)) }),
  result: z.strictObject({ removed: z.string() }),
});
export const accountSetMode = defineRequest({
  name: 'account.setMode',
  from: ['extension'],
  data: z.strictObject({ id: z.string().check(z.minLength(1)), mode: EnforcementModeSchema }),
  result: AccountPublicSchema,
});

export const DEAD_MAN_MIN_SEC = 60;
export const accountSetDeadManSwitch = defineRequest({
  name: 'account.setDeadManSwitch',
  from: ['extension'],
  data: z.strictObject({
    id: z.string().check(z.minLength(1)),
    // At least a minute: the heartbeat that refreshes it while the worker sleeps runs every 30 s.
    seconds: z.nullable(z.int().check(z.minimum(DEAD_MAN_MIN_SEC), z.maximum(3600))),
  }),
  result: AccountPublicSchema,
});

export const accountTest = defineRequest({
  name: 'account.test',
  from: ['extension'],
  data: z.strictObject({ id: z.string().check(z.minLength(1)) }),
  result: z.strictObject({ ok: z.boolean(), message: z.string(), latencyMs: z.number() }),
});

export const ACCOUNT_REQUESTS = [
  vaultStatus,
  vaultCreate,
  vaultUnlock,
  vaultLock,
  accountsList,
  accountAdd,
  accountRemove,
  accountSetMode,
  accountSetDeadManSwitch,
  accountTest,
] as const;
