/** Accounts and the vault, as requests. Secrets go into the vault; what comes back never contains one. */
import type { NewAccount } from '../domain/accounts';
import type { AccountPublic } from '../messaging/account-requests';
import { RequestError } from '../messaging/router';
import { accountKey, type AccountRow, type EnforcementMode, type RingfenceDb } from '../store/db';
import { maskSecret, VaultError } from '../vault/vault';
import type { AdapterFactory } from '../exchanges/factory';
import type { AuditFn } from './audit-fn';
import { testConnection } from './connection-test';
import { refuseWhileLocked } from './settings';
import { MODE_RANK } from './strategies';
import type { VaultService } from './vault-service';

export interface AccountDeps {
  db: RingfenceDb;
  makeAdapter: AdapterFactory;
  vault: VaultService;
  now: () => number;
  audit: AuditFn;
  changed: () => void;
}

export const secretSlot = (id: string) => `account:${id}`;
const VENUE = { binance: 'Binance', hyperliquid: 'Hyperliquid' } as const;

export function toPublic(row: AccountRow): AccountPublic {
  return {
    id: row.id,
    venue: row.venue,
    accountId: row.accountId,
    label: row.label,
    network: row.network,
    restUrl: row.restUrl,
    wsUrl: row.wsUrl,
    // A Binance API key is masked like a secret; a Hyperliquid address is public but long.
    publicIdMasked: row.venue === 'binance' ? maskSecret(row.publicId) : `${row.publicId.slice(0, 6)}…${row.publicId.slice(-4)}`,
    hasSecret: row.hasSecret,
    mode: row.mode,
    deadManSwitchSec: row.deadManSwitchSec,
    createdAt: row.createdAt,
  };
}

const slug = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'account';

/** Vault errors become request errors with the vault's own message (it never contains a secret). */
async function vaultCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof VaultError) throw new RequestError(e.code === 'weak_passphrase' ? 'invalid_data' : 'forbidden', e.message);
    throw e;
  }
}

export function accountHandlers({ db, vault, now, audit, changed, makeAdapter }: AccountDeps) {
  /** Whether an account key was ever used: every added account is in the audit log; a measured one has period starts. */
  const usedBefore = async (id: string) =>
    Boolean((await db.auditBatches.where('accounts').equals(id).first()) ?? (await db.periodStarts.where('account').equals(id).first()));
  return {
    'vault.status': () => vault.status(),
    'vault.create': ({ passphrase }: { passphrase: string }) =>
      vaultCall(async () => {
        const s = await vault.create(passphrase);
        await audit('vault.created', 'notice', 'Key vault created.');
        return s;
      }),
    'vault.unlock': ({ passphrase }: { passphrase: string }) =>
      vaultCall(async () => {
        try {
          const s = await vault.unlock(passphrase);
          // Accounts that waited for their key (or run without it) start again with it now.
          changed();
          return s;
        } catch (e) {
          if (e instanceof VaultError && e.code === 'wrong_passphrase') await audit('vault.unlock_failed', 'warning', 'Vault unlock refused: wrong passphrase.');
          throw e;
        }
      }),
    'vault.lock': async () => {
      await vault.lock();
      // Accounts running with their key start again without it, and say so: locked means Ringfence cannot act.
      changed();
      return vault.status();
    },
    'accounts.list': async () => (await db.accounts.orderBy('id').toArray()).map(toPublic),
    'account.add': (input: NewAccount) =>
      vaultCall(async () => {
        const base = input.venue === 'hyperliquid' ? input.address.toLowerCase() : slug(input.label);
        const same = (await db.accounts.where('venue').equals(input.venue).toArray()).find((r) => r.accountId.split('~')[0] === base);
        if (same) throw new RequestError('invalid_data', `${VENUE[input.venue]} account "${same.accountId}" exists already.`);
        // An id a removed account used gets the next generation (main~2): that account's period starts, peaks, holds
        // and fills stay keyed to it (its history), so the new one starts from its own values and nothing mixes.
        let accountId = base;
        for (let n = 2; await usedBefore(accountKey(input.venue, accountId)); n++) accountId = `${base}~${n}`;
        const id = accountKey(input.venue, accountId);
        const secret = input.venue === 'binance' ? input.apiSecret : input.agentKey;
        // The secret goes in first: an account is never saved claiming a secret the vault does not hold.
        if (secret) await vault.putSecret(secretSlot(id), secret);
        const row: AccountRow = {
          id,
          venue: input.venue,
          accountId,
          label: input.label,
          network: input.network,
          restUrl: input.restUrl,
          wsUrl: input.wsUrl,
          publicId: input.venue === 'binance' ? input.apiKey : input.address,
          hasSecret: Boolean(secret),
          mode: input.mode,
          deadManSwitchSec: null,
          createdAt: now(),
        };
        await db.accounts.add(row);
        await audit('account.added', 'notice', `${VENUE[row.venue]} account ${row.label} added (${row.network}, ${row.mode} mode${row.hasSecret ? '' : ', read-only'}).`, undefined, {
          account: id,
        });
        changed();
        return toPublic(row);
      }),
    'account.remove': async ({ id }: { id: string }) => {
      const row = await db.accounts.get(id);
      if (!row) throw new RequestError('invalid_data', `No account "${id}".`);
      // Removing an account ends all supervision of it (its mode, strategy overrides, dead-man's switch).
      await refuseWhileLocked(db, now, () => ({ what: `${VENUE[row.venue]} account ${row.label}`, from: row.mode, to: 'removed' }));
      await vault.deleteSecret(secretSlot(id));
      await db.accounts.delete(id);
      await audit('account.removed', 'notice', `${VENUE[row.venue]} account ${row.label} removed.`, undefined, { account: id });
      changed();
      return { removed: id };
    },
    'account.test': async ({ id }: { id: string }) => {
      const row = await db.accounts.get(id);
      if (!row) throw new RequestError('invalid_data', `No account "${id}".`);
      const secret = row.hasSecret ? await vaultCall(() => vault.getSecret(secretSlot(id))) : null;
      const result = await testConnection(row, secret, makeAdapter, now);
      await audit(
        result.ok ? 'account.test_ok' : 'account.test_failed',
        result.ok ? 'info' : 'warning',
        `${VENUE[row.venue]} account ${row.label}: ${result.message}`,
        { latencyMs: result.latencyMs },
        { account: id },
      );
      return result;
    },
    'account.setMode': async ({ id, mode }: { id: string; mode: EnforcementMode }) => {
      const row = await db.accounts.get(id);
      if (!row) throw new RequestError('invalid_data', `No account "${id}".`);
      if (mode === 'enforce' && !row.hasSecret) {
        throw new RequestError('invalid_data', 'Enforce mode needs a key that can trade: without one Ringfence can only watch this account.');
      }
      await refuseWhileLocked(db, now, () => (MODE_RANK[mode] < MODE_RANK[row.mode] ? { what: `${VENUE[row.venue]} account ${row.label} mode`, from: row.mode, to: mode } : undefined));
      const next = { ...row, mode };
      await db.accounts.put(next);
      await audit('account.mode', 'notice', `${VENUE[row.venue]} account ${row.label}: mode ${row.mode} -> ${mode}.`, undefined, { account: id });
      changed();
      return toPublic(next);
    },
    'account.setDeadManSwitch': async ({ id, seconds }: { id: string; seconds: number | null }) => {
      const row = await db.accounts.get(id);
      if (!row) throw new RequestError('invalid_data', `No account "${id}".`);
      if (seconds !== null && !row.hasSecret) {
        throw new RequestError('invalid_data', "The dead-man's switch needs a key that can trade: without one Ringfence cannot arm it.");
      }
      // Off (no limit), or a longer wait before the venue cancels, loosens it.
      const was = row.deadManSwitchSec;
      await refuseWhileLocked(db, now, () =>
        was !== null && (seconds ?? Infinity) > was ? { what: `${VENUE[row.venue]} account ${row.label} deadManSwitchSec`, from: was, to: seconds } : undefined,
      );
      const next = { ...row, deadManSwitchSec: seconds };
      await db.accounts.put(next);
      await audit(
        'account.deadman',
        'notice',
        `${VENUE[row.venue]} account ${row.label}: dead-man's switch ${seconds === null ? 'off' : `on, ${seconds} s (the venue cancels open orders if Ringfence goes silent)`}.`,
        undefined,
        { account: id },
      );
      changed();
      return toPublic(next);
    },
  };
}
