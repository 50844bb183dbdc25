import { useEffect, useState } from 'preact/hooks';
import type { AccountsFeed } from '@/lib/ui/accounts-feed';
import { clockTime } from '@/lib/ui/format';
import { useSubmitLock } from './use-submit-lock';

function Alert({ text }: { text: string | null }) {
  return text ? (
    <p class="rf-field-error" role="alert">
      {text}
    </p>
  ) : null;
}

function VaultPanel({ feed }: { feed: AccountsFeed }) {
  const [pass, setPass] = useState('');
  const [confirm, setConfirm] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const v = feed.vault.value;
  if (!v) return null;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (v.state === 'none' && pass !== confirm) return setErr('The two passphrases differ.');
    const res = v.state === 'none' ? await feed.createVault(pass) : await feed.unlock(pass);
    setErr(res);
    if (!res) {
      setPass('');
      setConfirm('');
    }
  };
  if (v.state === 'unlocked') {
    return (
      <div class="rf-vault" data-testid="rf-vault" data-state="unlocked">
        <span data-testid="rf-vault-text">
          Key vault <strong>unlocked</strong>. It stays unlocked while Ringfence supervises an account with a key (until you
          lock it or close the browser); otherwise it locks at {clockTime(v.lockAt)} unless used. Locking stops Ringfence
          acting on every account and stops monitoring Binance accounts until you unlock it.
        </span>
        <button type="button" onClick={() => void feed.lock()}>
          Lock now
        </button>
      </div>
    );
  }
  return (
    <form class="rf-vault" data-testid="rf-vault" data-state={v.state} onSubmit={(e) => void submit(e)}>
      <span data-testid="rf-vault-text">
        {v.state === 'none'
          ? 'Create a key vault: API secrets are stored only encrypted with a key derived from this passphrase (at least 10 characters). It cannot be recovered if you forget it.'
          : "The key vault is locked. Until you unlock it, Binance accounts are not monitored (they need their secret even to read) and Hyperliquid accounts are monitored only: Ringfence cannot cancel, reduce, close or flatten, nor keep a dead-man's switch. Enter your passphrase to let it supervise fully or to add keys."}
      </span>
      <label>
        Passphrase
        <input type="password" autocomplete="new-password" value={pass} onInput={(e) => setPass(e.currentTarget.value)} required />
      </label>
      {v.state === 'none' ? (
        <label>
          Repeat
          <input type="password" autocomplete="new-password" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} required />
        </label>
      ) : null}
      <button type="submit">{v.state === 'none' ? 'Create vault' : 'Unlock'}</button>
      <Alert text={err} />
    </form>
  );
}

type Venue = 'binance' | 'hyperliquid';
const EMPTY = { label: '', key: '', secret: '', network: 'mainnet', restUrl: '', wsUrl: '', mode: '' };

function AddAccount({ feed }: { feed: AccountsFeed }) {
  const [venue, setVenue] = useState<Venue>('binance');
  const [f, setF] = useState(EMPTY);
  const [err, setErr] = useState<string | null>(null);
  const lock = useSubmitLock();
  // From the latest fields, not this render's: two inputs before a re-render must not undo each other.
  const set = (k: keyof typeof EMPTY) => (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) => {
    const value = e.currentTarget.value;
    setF((prev) => ({ ...prev, [k]: value }));
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const endpoints =
      f.network === 'custom'
        ? { network: 'custom' as const, restUrl: f.restUrl.trim() || null, wsUrl: f.wsUrl.trim() || null }
        : { network: f.network as 'mainnet' | 'testnet' };
    const mode = (f.mode || undefined) as 'monitor' | 'guard' | 'enforce' | undefined;
    await lock.run(async () => {
      const res =
        venue === 'binance'
          ? await feed.add({ venue, label: f.label, apiKey: f.key, apiSecret: f.secret, ...endpoints, ...(mode ? { mode } : {}) })
          : await feed.add({ venue, label: f.label, address: f.key, agentKey: f.secret.trim() || null, ...endpoints, ...(mode ? { mode } : {}) });
      setErr(res);
      if (!res) setF(EMPTY);
    });
  };
  return (
    <form class="rf-add rf-add-account" onSubmit={(e) => void submit(e)} aria-label="Add an account" data-testid="rf-add-account" aria-busy={lock.busy}>
      <fieldset class="rf-contents" disabled={lock.busy}>
        <label>
          Exchange
          <select value={venue} onChange={(e) => setVenue(e.currentTarget.value as Venue)}>
            <option value="binance">Binance USD-M</option>
            <option value="hyperliquid">Hyperliquid</option>
          </select>
        </label>
        <label>
          Label <input ref={lock.first} class="rf-cell" value={f.label} onInput={set('label')} required />
        </label>
        <label>
          {venue === 'binance' ? 'API key' : 'Address'}
          <input class="rf-cell rf-wide" value={f.key} onInput={set('key')} autocomplete="off" spellcheck={false} required />
        </label>
        <label>
          {venue === 'binance' ? 'API secret' : 'API wallet key (optional)'}
          <input class="rf-cell rf-wide" type="password" value={f.secret} onInput={set('secret')} autocomplete="off" required={venue === 'binance'} />
        </label>
        <label>
          Network
          <select value={f.network} onChange={set('network')}>
            <option value="mainnet">Mainnet</option>
            <option value="testnet">Testnet</option>
            <option value="custom">Custom endpoint</option>
          </select>
        </label>
        {f.network === 'custom' ? (
          <>
            <label>
              REST URL <input class="rf-cell rf-wide" value={f.restUrl} onInput={set('restUrl')} placeholder="http://127.0.0.1:7070/binance" />
            </label>
            <label>
              WebSocket URL <input class="rf-cell rf-wide" value={f.wsUrl} onInput={set('wsUrl')} placeholder="ws://127.0.0.1:7070/binance/ws" />
            </label>
          </>
        ) : null}
        <label>
          Mode
          <select value={f.mode} onChange={set('mode')}>
            <option value="">Default ({venue === 'binance' ? 'guard' : 'monitor'})</option>
            <option value="monitor">Monitor: alerts only</option>
            <option value="guard">Guard: also block risky orders in the page</option>
            <option value="enforce">Enforce: also cancel, reduce and close via the API</option>
          </select>
        </label>
        <button type="submit">{lock.busy ? 'Adding…' : 'Add account'}</button>
      </fieldset>
      <Alert text={err} />
    </form>
  );
}

function AccountRows({ feed }: { feed: AccountsFeed }) {
  const [confirm, setConfirm] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [tests, setTests] = useState<Record<string, { ok: boolean; message: string } | 'running'>>({});
  const runTest = async (id: string) => {
    setTests((t) => ({ ...t, [id]: 'running' }));
    const r = await feed.test(id);
    setTests((t) => ({ ...t, [id]: r }));
  };
  const rows = feed.accounts.value;
  if (!rows) return <p class="rf-empty">Loading accounts…</p>;
  if (rows.length === 0) {
    return <p class="rf-empty">No account yet. Add one above: a Hyperliquid address alone is enough to start watching.</p>;
  }
  return (
    <>
      <table class="rf-table" data-testid="rf-accounts">
        <thead>
          <tr>
            <th>Account</th>
            <th>Exchange</th>
            <th>Network</th>
            <th>Key / address</th>
            <th>Secret</th>
            <th>Mode</th>
            <th>Dead-man's switch</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.id} data-testid="rf-account-row" data-account={a.id}>
              <td class="rf-strong">{a.label}</td>
              <td>{a.venue === 'binance' ? 'Binance USD-M' : 'Hyperliquid'}</td>
              <td>{a.network === 'custom' ? `custom (${a.restUrl ?? ''})` : a.network}</td>
              <td>
                <code>{a.publicIdMasked}</code>
              </td>
              <td>{a.hasSecret ? 'stored, encrypted' : 'none: read-only'}</td>
              <td>
                <select
                  aria-label={`Mode of ${a.label}`}
                  value={a.mode}
                  onChange={(e) => void feed.setMode(a.id, e.currentTarget.value as typeof a.mode).then(setErr)}
                >
                  <option value="monitor">Monitor</option>
                  <option value="guard">Guard</option>
                  <option value="enforce">Enforce</option>
                </select>
              </td>
              <td>
                <select
                  aria-label={`Dead-man's switch of ${a.label}`}
                  value={String(a.deadManSwitchSec ?? '')}
                  disabled={!a.hasSecret}
                  title={a.hasSecret ? "The venue cancels this account's open orders if Ringfence stops refreshing the switch" : 'Needs a key that can trade'}
                  onChange={(e) => void feed.setDeadManSwitch(a.id, e.currentTarget.value ? Number(e.currentTarget.value) : null).then(setErr)}
                >
                  <option value="">Off</option>
                  <option value="60">1 minute</option>
                  <option value="300">5 minutes</option>
                  <option value="900">15 minutes</option>
                </select>
              </td>
              <td class="rf-actions">
                <button type="button" disabled={tests[a.id] === 'running'} onClick={() => void runTest(a.id)}>
                  {tests[a.id] === 'running' ? 'Testing…' : 'Test connection'}
                </button>
                {confirm === a.id ? (
                  <span class="rf-confirm">
                    Remove {a.label} and its stored secret?
                    <button type="button" class="rf-danger" onClick={() => void feed.remove(a.id).then((r) => (setErr(r), setConfirm(null)))}>
                      Remove
                    </button>
                    <button type="button" onClick={() => setConfirm(null)}>
                      Cancel
                    </button>
                  </span>
                ) : (
                  <button type="button" onClick={() => setConfirm(a.id)}>
                    Remove…
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.map((a) => {
        const t = tests[a.id];
        return t && t !== 'running' ? (
          <p key={a.id} class={t.ok ? 'rf-test-ok' : 'rf-field-error'} role="status" data-testid="rf-account-test" data-account={a.id} data-ok={String(t.ok)}>
            {a.label}: {t.message}
          </p>
        ) : null;
      })}
      <Alert text={err} />
    </>
  );
}

export function AccountsSection({ feed, rev }: { feed: AccountsFeed; rev: number }) {
  useEffect(() => feed.onRev(rev), [feed, rev]);
  return (
    <section aria-labelledby="rf-accounts-h">
      <h2 id="rf-accounts-h">Accounts</h2>
      <VaultPanel feed={feed} />
      <AddAccount feed={feed} />
      <AccountRows feed={feed} />
    </section>
  );
}
