/**
 * Helpers of `npm run demo` (scripts/demo.ts): narration, talking to the extension from one of its own pages, and
 * reading facts back from the simulator. Nothing here assumes what the extension did: every line it prints was read
 * from the simulator or from the extension's state, audit log and Chrome's notification tray.
 */
import type { Page } from '@playwright/test';
import type { SimControl } from '../tests/simulator/control-client';

const started = Date.now();

/** One narrated line: `[demo   12.3s] ...`. */
export function say(line: string, who = 'demo'): void {
  const t = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[${who} ${t}s] ${line}`);
}

export const usd = (v: number, dp = 2) => `${v < 0 ? '-' : '+'}$${Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: dp, maximumFractionDigits: dp })}`;
export const price = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 2 });

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns something other than null/undefined/false; throws `what` on timeout. */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Sends one request from an extension page as the options page does; resolves with `data` or throws its error. */
export async function send<T = unknown>(page: Page, type: string, data: unknown): Promise<T> {
  // A string, not a function: tsx's compiled helpers do not exist inside the page.
  const res = (await page.evaluate(`chrome.runtime.sendMessage(${JSON.stringify({ rf: 1, type, data })})`)) as
    | { ok: true; data: T }
    | { ok: false; error: { code: string; message: string } };
  if (!res.ok) throw new Error(`${type}: ${res.error.code}: ${res.error.message}`);
  return res.data;
}

// The parts of the extension's view state (lib/messaging/risk-view.ts) the demo reads.
export interface PositionView {
  symbol: string;
  side: 'long' | 'short';
  size: number;
  entryPrice: number;
  markPrice: number | null;
  unrealizedPnl: number;
  leverage: number;
}
export interface AccountView {
  key: string;
  label: string;
  status: string;
  statusText: string | null;
  equity: number | null;
  dayLossPct: number | null;
  drawdownPct: number | null;
  exposurePct: number | null;
  trading: 'ACTIVE' | 'REDUCING' | 'HALTED';
  tradingReason: string | null;
  positions: PositionView[];
}
export interface FindingView {
  severity: 'notice' | 'warning' | 'critical' | 'emergency';
  rule: string;
  text: string;
  account: string | null;
  symbol: string | null;
}
export interface ScopeView {
  trading: 'ACTIVE' | 'REDUCING' | 'HALTED';
  breaker: { state: string; until: number | null };
}
export interface RiskView {
  trading: string;
  badge: { text: string; title: string };
  accounts: AccountView[];
  findings: FindingView[];
  /** The pre-trade check's inputs; `scopes` holds every account, symbol or strategy gate that is not plainly ACTIVE. */
  guard: { scopes: Record<string, ScopeView> } | null;
}
export interface AuditEntry {
  id: number;
  ts: number;
  kind: string;
  severity: string;
  message: string;
  rule?: string;
}

export const riskView = async (page: Page) => (await send<{ risk: RiskView }>(page, 'state.get', {})).risk;
export const auditLog = (page: Page, limit = 100) => send<AuditEntry[]>(page, 'audit.list', { limit });
/** Chrome's notification tray: the ids of the notifications currently shown. */
export const shownNotifications = async (page: Page) => Object.keys((await page.evaluate(`new Promise((r) => chrome.notifications.getAll(r))`)) as Record<string, unknown>);

/**
 * Prints the extension's audit log as it grows (what Ringfence decided and did, in its own words): warnings and
 * worse, the actions it takes and the cooling-off; routine notices are kept (seen()) but not printed. Runs until
 * stop() is called.
 */
export function followAudit(page: Page): { stop: () => Promise<void>; seen: () => AuditEntry[] } {
  const QUIET = new Set(['vault.created', 'vault.unlocked', 'account.added', 'settings.changed', 'supervisor.first_evaluation', 'page.seen', 'page.gone']);
  let last = 0;
  let running = true;
  const all: AuditEntry[] = [];
  const loop = (async () => {
    while (running) {
      try {
        const fresh = (await auditLog(page, 100)).filter((e) => e.id > last).sort((a, b) => a.id - b.id);
        for (const e of fresh) {
          last = Math.max(last, e.id);
          all.push(e);
          if (QUIET.has(e.kind) || e.severity === 'info') continue;
          if (e.severity === 'notice' && !e.kind.startsWith('action.') && e.rule !== 'cooling-off') continue;
          say(`${e.severity.padEnd(9)} ${e.kind.padEnd(20)} ${e.message}`, 'ringfence');
        }
      } catch {
        // The page may be navigating; try again.
      }
      await sleep(300);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
    seen: () => all,
  };
}

/** A Binance position as the simulator holds it (the venue's own record). */
export async function binancePositions(c: SimControl, apiKey: string): Promise<{ symbol: string; amount: number; entry: number }[]> {
  const a = await c.venue<{ positionRisk: { symbol: string; positionAmt: string; entryPrice: string }[] }>('binance', 'account', { apiKey });
  return a.positionRisk.filter((p) => Number(p.positionAmt) !== 0).map((p) => ({ symbol: p.symbol, amount: Number(p.positionAmt), entry: Number(p.entryPrice) }));
}

/** Binance fills at the simulator (the venue's own trade list), oldest first. */
export async function binanceTrades(c: SimControl, apiKey: string): Promise<{ symbol: string; side: string; qty: number; price: number; realizedPnl: number }[]> {
  const a = await c.venue<{ trades: { symbol: string; side: string; qty: string; price: string; realizedPnl: string }[] }>('binance', 'account', { apiKey });
  return a.trades.map((t) => ({ symbol: t.symbol, side: t.side, qty: Number(t.qty), price: Number(t.price), realizedPnl: Number(t.realizedPnl) }));
}

/** Hyperliquid fills at the simulator, asked for as anyone would (POST /info userFills), oldest first. */
export async function hyperliquidFills(simUrl: string, address: string): Promise<{ coin: string; side: string; sz: number; px: number; dir: string; closedPnl: number }[]> {
  const res = await fetch(`${simUrl}/hyperliquid/info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'userFills', user: address }) });
  const fills = (await res.json()) as { coin: string; side: 'B' | 'A'; sz: string; px: string; dir: string; closedPnl: string; time: number }[];
  return fills
    .sort((a, b) => a.time - b.time)
    .map((f) => ({ coin: f.coin, side: f.side === 'B' ? 'buy' : 'sell', sz: Number(f.sz), px: Number(f.px), dir: f.dir, closedPnl: Number(f.closedPnl) }));
}

/** Hyperliquid positions (main dex) as the simulator holds them. */
export async function hyperliquidPositions(c: SimControl, address: string): Promise<{ coin: string; szi: number; entry: number }[]> {
  const a = await c.venue<{ dexes: Record<string, { assetPositions: { position: { coin: string; szi: string; entryPx: string } }[] }> }>('hyperliquid', 'account', { address });
  return (a.dexes['']?.assetPositions ?? []).map((p) => ({ coin: p.position.coin, szi: Number(p.position.szi), entry: Number(p.position.entryPx) })).filter((p) => p.szi !== 0);
}

/** The simulator's current mark of a symbol. */
export async function simMark(c: SimControl, venue: 'binance' | 'hyperliquid', symbol: string): Promise<number> {
  const s = await c.state();
  const p = s.prices.find((x) => x.venue === venue && x.symbol === symbol);
  if (!p) throw new Error(`the simulator has no ${venue} ${symbol}`);
  return p.price;
}
