import { onRevision } from './on-revision';
import { signal } from '@preact/signals';
import type { z } from 'zod';
import type { NewAccountSchema } from '../domain/accounts';
import {
  accountAdd,
  accountRemove,
  accountSetMode,
  accountSetDeadManSwitch,
  accountsList,
  accountTest,
  vaultCreate,
  vaultLock,
  vaultStatus,
  vaultUnlock,
  type AccountPublic,
  type VaultStatusSchema,
} from '../messaging/account-requests';
import { request, type RuntimeLike } from '../messaging/client';
import type { Result } from '../messaging/protocol';
import type { EnforcementMode } from '../store/db';

type VaultStatus = z.output<typeof VaultStatusSchema>;
const message = (r: Extract<Result<unknown>, { ok: false }>) =>
  r.error.issues?.length ? r.error.issues.join(' ') : r.error.message;

/** The Accounts section's data: the vault's state and the accounts (masked), re-read when the table revision moves. */
export function createAccountsFeed(runtime: RuntimeLike) {
  const vault = signal<VaultStatus | null>(null);
  const accounts = signal<AccountPublic[] | null>(null);

  const refresh = async () => {
    const [v, a] = await Promise.all([request(runtime, vaultStatus, {}), request(runtime, accountsList, {})]);
    if (v.ok) vault.value = v.data;
    if (a.ok) accounts.value = a.data;
  };
  const run = async <T>(p: Promise<Result<T>>): Promise<string | null> => {
    const res = await p;
    await refresh();
    return res.ok ? null : message(res);
  };

  return {
    vault,
    accounts,
    refresh,
    onRev: onRevision(refresh),
    createVault: (passphrase: string) => run(request(runtime, vaultCreate, { passphrase })),
    unlock: (passphrase: string) => run(request(runtime, vaultUnlock, { passphrase })),
    lock: () => run(request(runtime, vaultLock, {})),
    add: (input: z.input<typeof NewAccountSchema>) => run(request(runtime, accountAdd, input)),
    remove: (id: string) => run(request(runtime, accountRemove, { id })),
    setMode: (id: string, mode: EnforcementMode) => run(request(runtime, accountSetMode, { id, mode })),
    setDeadManSwitch: (id: string, seconds: number | null) => run(request(runtime, accountSetDeadManSwitch, { id, seconds })),
    /** The test's verdict as a sentence (a failed request is a failed test too). */
    test: async (id: string): Promise<{ ok: boolean; message: string }> => {
      const res = await request(runtime, accountTest, { id });
      return res.ok ? res.data : { ok: false, message: message(res) };
    },
  };
}
export type AccountsFeed = ReturnType<typeof createAccountsFeed>;
