/** Shared steps of the risk-loop e2e specs: a simulator, accounts added through the extension's own messages. */
import type { Page } from '@playwright/test';
import { SimControl } from '../simulator/control-client';
import { createSimulator, type Simulator } from '../simulator/server';

export const PASSPHRASE = 'correct horse battery staple';

export async function startSimulator(): Promise<{ sim: Simulator; c: SimControl }> {
  const sim = await createSimulator({ port: 0, prices: { source: 'manual', tickMs: 200 } });
  return { sim, c: new SimControl(sim.url) };
}

/** Sends one request from an extension page, as the options page does; resolves with `data` or throws its error. */
export async function send<T = unknown>(page: Page, type: string, data: unknown): Promise<T> {
  // A string, not a function: the test runner's compiled helpers do not exist inside the page.
  const res = (await page.evaluate(`chrome.runtime.sendMessage(${JSON.stringify({ rf: 1, type, data })})`)) as
    | { ok: true; data: T }
    | { ok: false; error: { code: string; message: string } };
  if (!res.ok) throw new Error(`${type}: ${res.error.code}: ${res.error.message}`);
  return res.data;
}

export interface BinanceSimAccount {
  apiKey: string;
  apiSecret: string;
}

let counter = 0;
/** A Binance account at the simulator with a balance; returns its key pair. */
export async function simBinanceAccount(c: SimControl, balance = 10_000): Promise<BinanceSimAccount> {
  counter += 1;
  const apiKey = `e2eLoopKey${String(counter).padStart(26, '0')}`;
  const apiSecret = `e2eLoopSecret${String(counter).padStart(23, '0')}`;
  await c.venue('binance', 'createAccount', { apiKey, apiSecret, balances: { USDT: balance } });
  return { apiKey, apiSecret };
}

/** Creates the vault and adds the account in the given mode; returns the account id (binance:<slug>). */
export async function addBinanceAccount(page: Page, sim: Simulator, acct: BinanceSimAccount, label: string, mode: 'monitor' | 'guard' | 'enforce'): Promise<string> {
  const vault = await send<{ state: string }>(page, 'vault.status', {});
  if (vault.state === 'none') await send(page, 'vault.create', { passphrase: PASSPHRASE });
  else if (vault.state === 'locked') await send(page, 'vault.unlock', { passphrase: PASSPHRASE });
  const row = await send<{ id: string }>(page, 'account.add', {
    venue: 'binance',
    label,
    apiKey: acct.apiKey,
    apiSecret: acct.apiSecret,
    network: 'custom',
    restUrl: `${sim.url}/binance`,
    wsUrl: `${sim.wsUrl}/binance/ws`,
    mode,
  });
  return row.id;
}

export interface ViewStateLike {
  risk: {
    trading: string;
    badge: { text: string };
    accounts: { key: string; status: string; trading: string; coolingUntil: number | null; equity: number | null; positions: { symbol: string; side: string; size: number }[] }[];
    strategies: { strategyId: string; trading: string; killed: boolean }[];
  };
  audit: { recent: { kind: string; message: string }[] };
}
export const viewState = (page: Page) => send<ViewStateLike>(page, 'state.get', {});

/** The audit log, newest first. */
export const auditLog = (page: Page, limit = 200) => send<{ id: number; kind: string; message: string; severity: string }[]>(page, 'audit.list', { limit });

/** Chrome's notifications currently shown (id -> options). */
export const notifications = (page: Page) => page.evaluate(`new Promise((r) => chrome.notifications.getAll(r))`) as Promise<Record<string, unknown>>;

/** Open positions at the simulator for a Binance key. */
export async function simPositions(c: SimControl, apiKey: string): Promise<{ symbol: string; amount: number }[]> {
  const a = await c.venue<{ positionRisk: { symbol: string; positionAmt: string }[] }>('binance', 'account', { apiKey });
  return a.positionRisk.filter((p) => Number(p.positionAmt) !== 0).map((p) => ({ symbol: p.symbol, amount: Number(p.positionAmt) }));
}
