// @vitest-environment happy-dom
import { signal } from '@preact/signals';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountsSection } from '@/components/options/accounts-section';
import type { AccountPublic } from '@/lib/messaging/account-requests';
import type { AccountsFeed } from '@/lib/ui/accounts-feed';
import { clockTime } from '@/lib/ui/format';

afterEach(cleanup);

const row = (label: string): AccountPublic =>
  ({
    id: `binance:${label.toLowerCase()}`,
    venue: 'binance',
    accountId: label.toLowerCase(),
    label,
    network: 'mainnet',
    restUrl: null,
    wsUrl: null,
    publicIdMasked: 'abcd…wxyz',
    hasSecret: true,
    mode: 'guard',
    deadManSwitchSec: null,
    createdAt: 0,
  }) as AccountPublic;

/** A feed whose add answers only when the test says so, the way a busy background answers late. */
function slowFeed() {
  const accounts = signal<AccountPublic[] | null>([]);
  let answer: (r: string | null) => void = () => {};
  const add = vi.fn((_input: unknown) => new Promise<string | null>((resolve) => (answer = resolve)));
  const feed = {
    vault: signal({ state: 'unlocked', lockAt: 0 }),
    accounts,
    refresh: vi.fn(async () => {}),
    onRev: () => () => {},
    add,
  } as unknown as AccountsFeed;
  return { feed, accounts, add, answer: (r: string | null) => act(() => answer(r)) };
}

const field = (name: string) => screen.getByLabelText(name) as HTMLInputElement;
// Disabled through its fieldset (happy-dom does not apply a fieldset's disabled to :disabled; Chromium does, e2e).
const locked = (name: string) => field(name).disabled || Boolean(field(name).closest('fieldset')?.disabled);
const addButton = () => screen.getByRole('button', { name: /Add account|Adding…/ }) as HTMLButtonElement;

function fillBinance(label: string) {
  fireEvent.input(field('Label'), { target: { value: label } });
  fireEvent.input(field('API key'), { target: { value: `key-${label}` } });
  fireEvent.input(field('API secret'), { target: { value: 'secret' } });
}

describe('Add account', () => {
  it('is locked while the background adds, even when the row shows before the answer, and clears only then', async () => {
    const { feed, accounts, add, answer } = slowFeed();
    render(<AccountsSection feed={feed} rev={0} />);
    // Nothing takes the focus when the section opens.
    expect(document.activeElement).toBe(document.body);
    fillBinance('Sim');
    fireEvent.submit(screen.getByTestId('rf-add-account'));
    await waitFor(() => expect(addButton().textContent).toBe('Adding…'));
    expect(add).toHaveBeenCalledTimes(1);
    expect(add.mock.calls[0]![0]).toMatchObject({ venue: 'binance', label: 'Sim', apiKey: 'key-Sim', apiSecret: 'secret', network: 'mainnet' });
    expect(locked('Label')).toBe(true);
    expect(screen.getByTestId('rf-add-account').getAttribute('aria-busy')).toBe('true');

    // The revision push shows the row first; the form stays locked and keeps what was sent.
    accounts.value = [row('Sim')];
    await waitFor(() => expect(screen.getAllByTestId('rf-account-row')).toHaveLength(1));
    expect(locked('Label')).toBe(true);
    expect(field('Label').value).toBe('Sim');
    // A second submit while locked sends nothing.
    fireEvent.submit(screen.getByTestId('rf-add-account'));
    expect(add).toHaveBeenCalledTimes(1);

    await answer(null);
    await waitFor(() => expect(locked('Label')).toBe(false));
    expect(field('Label').value).toBe('');
    expect(field('API key').value).toBe('');
    expect(addButton().textContent).toBe('Add account');
    // The focus the disabled fieldset dropped is back on the first field, ready for the next account.
    await waitFor(() => expect(document.activeElement).toBe(field('Label')));

    // The next account typed after the unlock is sent whole.
    fillBinance('Stranger');
    fireEvent.submit(screen.getByTestId('rf-add-account'));
    expect(add).toHaveBeenCalledTimes(2);
    expect(add.mock.calls[1]![0]).toMatchObject({ label: 'Stranger', apiKey: 'key-Stranger', apiSecret: 'secret' });
  });

  it('keeps every field and shows the reason when the background refuses', async () => {
    const { feed, answer } = slowFeed();
    render(<AccountsSection feed={feed} rev={0} />);
    fillBinance('Sim');
    fireEvent.submit(screen.getByTestId('rf-add-account'));
    await waitFor(() => expect(locked('Label')).toBe(true));
    await answer('Binance account "sim" exists already.');
    await waitFor(() => expect(locked('Label')).toBe(false));
    expect(screen.getByRole('alert').textContent).toBe('Binance account "sim" exists already.');
    expect(field('Label').value).toBe('Sim');
    expect(field('API key').value).toBe('key-Sim');
  });
});

describe('Key vault panel', () => {
  const withVault = (vault: unknown) => ({ ...slowFeed().feed, vault: signal(vault) }) as unknown as AccountsFeed;

  it('says what a locked vault means for the accounts, venue by venue', () => {
    render(<AccountsSection feed={withVault({ state: 'locked' })} rev={0} />);
    expect(screen.getByTestId('rf-vault-text').textContent).toBe(
      "The key vault is locked. Until you unlock it, Binance accounts are not monitored (they need their secret even to read) and Hyperliquid accounts are monitored only: Ringfence cannot cancel, reduce, close or flatten, nor keep a dead-man's switch. Enter your passphrase to let it supervise fully or to add keys.",
    );
  });

  it('says that it stays unlocked while accounts with a key are supervised, and what locking stops', () => {
    const lockAt = Date.UTC(2026, 10, 20, 12, 15);
    render(<AccountsSection feed={withVault({ state: 'unlocked', lockAt })} rev={0} />);
    expect(screen.getByTestId('rf-vault-text').textContent).toBe(
      `Key vault unlocked. It stays unlocked while Ringfence supervises an account with a key (until you lock it or close the browser); otherwise it locks at ${clockTime(lockAt)} unless used. Locking stops Ringfence acting on every account and stops monitoring Binance accounts until you unlock it.`,
    );
  });
});
