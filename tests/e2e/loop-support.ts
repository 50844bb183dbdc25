/** Shared steps of the risk-loop e2e specs: a simulator, accounts added through the extension's own messages. */
import type { BrowserContext, Page, Worker } from '@playwright/test';
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

export interface AccountRiskLike {
  key: string;
  venue: string;
  status: string;
  statusText: string | null;
  trading: string;
  tradingReason: string | null;
  breaker: string;
  coolingUntil: number | null;
  equity: number | null;
  dayLossPct: number | null;
  receivedAt: number | null;
  positions: { symbol: string; side: string; size: number; strategyId: string }[];
}
export interface ViewStateLike {
  workerStartedAt: number;
  risk: {
    evaluatedAt: number | null;
    trading: string;
    badge: { text: string };
    accounts: AccountRiskLike[];
    findings: { severity: string; rule: string; text: string; account: string | null }[];
    strategies: { strategyId: string; trading: string; killed: boolean }[];
  };
  audit: { count: number; recent: { kind: string; message: string }[] };
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

/** One account's risk picture (undefined until the loop knows it). */
export const accountRisk = async (page: Page, id: string) => (await viewState(page)).risk.accounts.find((a) => a.key === id);

/** Reads the settings, lets `change` edit a copy and saves the whole object (as the Limits page does). */
export async function updateSettings(page: Page, change: (s: Record<string, any>) => void): Promise<void> {
  const cur = await send<{ value: Record<string, unknown> }>(page, 'settings.get', {});
  const next = structuredClone(cur.value) as Record<string, any>;
  change(next);
  await send(page, 'settings.save', { value: next });
}

/** The audit entries of one kind, newest first. */
export const auditOf = async (page: Page, kind: string) => (await auditLog(page, 500)).filter((e) => e.kind === kind);

/** Code run inside the service worker (a string: the runner's compiled helpers do not exist there). */
export const swEval = <T>(sw: Worker, code: string) => sw.evaluate(code) as Promise<T>;

/** Every trade the simulator made for a Binance key. */
export async function simTrades(c: SimControl, apiKey: string): Promise<{ id: number; symbol: string; side: string; qty: string; time: number }[]> {
  const a = await c.venue<{ trades: { id: number; symbol: string; side: string; qty: string; time: number }[] }>('binance', 'account', { apiKey });
  return a.trades;
}

/** Order placements (POST /fapi/v1/order) the simulator received since its request log was last cleared. */
export async function orderPosts(c: SimControl) {
  return (await c.requests('binance')).filter((r) => r.method === 'POST' && r.path.split('?')[0] === '/fapi/v1/order');
}

/** A read-only Hyperliquid account (by address) pointed at the simulator; returns the account id. */
export async function addHyperliquidAccount(page: Page, sim: Simulator, address: string, label: string): Promise<string> {
  const row = await send<{ id: string }>(page, 'account.add', {
    venue: 'hyperliquid',
    label,
    address,
    network: 'custom',
    restUrl: `${sim.url}/hyperliquid`,
    wsUrl: `${sim.wsUrl}/hyperliquid/ws`,
    mode: 'monitor',
  });
  return row.id;
}

/**
 * Stops every service worker of the browser through the DevTools protocol (what Chrome does to an idle worker) and
 * resolves once DevTools reports ours stopped. Close the extension's pages first: an open page reconnects at once.
 */
export async function stopServiceWorkers(context: BrowserContext): Promise<void> {
  const blank = context.pages().find((p) => p.url() === 'about:blank') ?? (await context.newPage());
  const cdp = await context.newCDPSession(blank);
  try {
    const stopped = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the service worker did not stop within 15 s')), 15_000);
      cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
        const ours = e.versions.filter((v) => v.scriptURL.startsWith('chrome-extension://'));
        if (ours.length > 0 && ours.every((v) => v.runningStatus === 'stopped')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await stopped;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
