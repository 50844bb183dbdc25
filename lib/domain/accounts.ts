/** Adding an exchange account: what the options page may send, checked strictly (secrets included, never echoed). */
import { z } from 'zod';

export const EnforcementModeSchema = z.enum(['monitor', 'guard', 'enforce']);
const label = z.string().trim().min(1, 'label must not be empty').max(40);
const httpUrl = z.url({ protocol: /^https?$/, error: 'restUrl must be an http(s) URL' });
const wsUrl = z.url({ protocol: /^wss?$/, error: 'wsUrl must be a ws(s) URL' });

const endpoints = {
  network: z.enum(['mainnet', 'testnet', 'custom']).default('mainnet'),
  restUrl: httpUrl.nullable().default(null),
  wsUrl: wsUrl.nullable().default(null),
};

const BinanceAccountInput = z
  .object({
    venue: z.literal('binance'),
    label,
    ...endpoints,
    apiKey: z.string().trim().regex(/^[A-Za-z0-9]{16,128}$/, 'apiKey must be 16 to 128 letters and digits'),
    apiSecret: z.string().trim().regex(/^[A-Za-z0-9]{16,128}$/, 'apiSecret must be 16 to 128 letters and digits'),
    mode: EnforcementModeSchema.default('guard'),
  })
  .strict();

const HyperliquidAccountInput = z
  .object({
    venue: z.literal('hyperliquid'),
    label,
    ...endpoints,
    address: z.string().trim().regex(/^0x[0-9a-fA-F]{40}$/, 'address must be 0x followed by 40 hex digits'),
    /** The API ("agent") wallet's private key: only needed to act on the account. */
    agentKey: z
      .string()
      .trim()
      .regex(/^0x[0-9a-fA-F]{64}$/, 'agentKey must be 0x followed by 64 hex digits')
      .nullable()
      .default(null),
    mode: EnforcementModeSchema.default('monitor'),
  })
  .strict();

export const NewAccountSchema = z
  .discriminatedUnion('venue', [BinanceAccountInput, HyperliquidAccountInput])
  .superRefine((a, ctx) => {
    if (a.network === 'custom' && (!a.restUrl || !a.wsUrl)) {
      ctx.addIssue({ code: 'custom', path: ['restUrl'], message: 'A custom network needs both restUrl and wsUrl.' });
    }
    if (a.network !== 'custom' && (a.restUrl || a.wsUrl)) {
      ctx.addIssue({ code: 'custom', path: ['network'], message: 'restUrl and wsUrl are only for a custom network.' });
    }
    if (a.venue === 'hyperliquid' && a.mode === 'enforce' && !a.agentKey) {
      ctx.addIssue({
        code: 'custom',
        path: ['mode'],
        message: 'Enforce mode needs an API wallet key: without one Ringfence can only watch this account.',
      });
    }
  });
export type NewAccount = z.output<typeof NewAccountSchema>;
