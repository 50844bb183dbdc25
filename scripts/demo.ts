/**
 * `npm run demo`: the whole risk loop on the local exchange simulator, in about a minute.
 *
 *   1. Starts the simulator in this process (a free port) with one account on each venue, positions open:
 *      Binance BTCUSDT long + ETHUSDT short, Hyperliquid BTC long (with an API wallet key, so Ringfence can act).
 *   2. Launches Chromium with the demo build (RINGFENCE_OUT_DIR, default .output), creates the key vault, adds both
 *      accounts in enforce mode with custom endpoints pointing at the simulator, and opens both trading pages (replicas
 *      at the real URLs), the popup (in a 380 px tab) and the options page.
 *   3. Drives the prices with scripted moves: calm (live numbers), a BTC slide (warnings), a BTC crash (a breach, the
 *      desktop notification and the protective closes at the simulator), narrating what the simulator and the
 *      extension report.
 *   4. Headless (no display, or CI set): screenshots of every stage in demo-output/, exit 0 (1 if the loop did not do
 *      what the narration expects). Headed: shows each view in turn, then stays open until the window is closed.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { localAccount } from '../lib/exchanges/hyperliquid/signer';
import { launchWithExtension, ROOT, serviceWorker } from '../tests/e2e/browser';
import { SimControl } from '../tests/simulator/control-client';
import { createSimulator, type Simulator } from '../tests/simulator/server';
import {
  binancePositions,
  binanceTrades,
  followAudit,
  hyperliquidFills,
  hyperliquidPositions,
  price,
  riskView,
  say,
  send,
  shownNotifications,
  simMark,
  sleep,
  until,
  usd,
  type AuditEntry,
  type RiskView,
} from './demo-support';

const EXTENSION = join(resolve(ROOT, process.env.RINGFENCE_OUT_DIR ?? '.output'), 'chrome-mv3-demo');
const OUT = join(ROOT, 'demo-output');
const headed = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && !process.env.CI;

// Demo-only credentials: the simulator knows them, no real exchange does.
const BINANCE = { apiKey: 'RingfenceDemoApiKey0000000000000001', apiSecret: 'RingfenceDemoApiSecret00000000000001' };
const HL_ADDRESS = localAccount(`0x${'4d'.repeat(32)}`).address;
const HL_AGENT_KEY = `0x${'a9'.repeat(32)}` as const;
const HL_AGENT = localAccount(HL_AGENT_KEY).address;
const PASSPHRASE = 'ringfence demo passphrase';

// ---------------------------------------------------------------------------------------------------------------
// Setup and cleanup
// ---------------------------------------------------------------------------------------------------------------

let sim: Simulator | null = null;
let context: BrowserContext | null = null;
let profile: string | null = null;
let cleaning: Promise<void> | null = null;
/** Closes the browser and the simulator and removes the temporary profile; every caller waits for the same run. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await context?.close().catch(() => undefined);
    await sim?.close().catch(() => undefined);
    if (!profile) return;
    // On Ctrl-C Chromium may still be writing its caches for a moment after close() returned.
    for (let attempt = 1; ; attempt++) {
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
        return;
      } catch (e) {
        if (attempt >= 10) {
          say(`could not remove the temporary profile ${profile}: ${e instanceof Error ? e.message : String(e)}`);
          return;
        }
        await sleep(500);
      }
    }
  })();
  return cleaning;
}
// Playwright's own Ctrl-C handler closes the browser and exits with 130 before an async cleanup could finish: the
// profile goes on the way out, synchronously (the simulator lives in this process and ends with it).
process.on('exit', () => {
  if (profile) {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      console.error(`[demo] could not remove the temporary profile ${profile}`);
    }
  }
});
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    say(`${signal}: cleaning up`);
    void cleanup().then(() => process.exit(130));
  });
}
// Headless runs end by themselves; a hang must not leave a browser, a simulator or a profile behind.
const watchdog = headed
  ? null
  : setTimeout(() => {
      say('the demo took more than 3 minutes: giving up');
      void cleanup().then(() => process.exit(1));
    }, 180_000);

/** The positions the simulator holds at the start, as it reports them. */
const opening = { binance: [] as { symbol: string; amount: number }[], hyperliquid: [] as { coin: string; szi: number }[] };

async function startSimulator(): Promise<SimControl> {
  // Manual prices: they stay put unless the script moves them. Ticks every 500 ms push the marks.
  sim = await createSimulator({ port: 0, prices: { source: 'manual', tickMs: 500 } });
  const c = new SimControl(sim.url);
  say(`simulator listening on ${sim.url} (Binance USD-M and Hyperliquid protocols)`);

  await c.venue('binance', 'createAccount', { ...BINANCE, balances: { USDT: 10_000 } });
  await c.venue('binance', 'setPosition', { apiKey: BINANCE.apiKey, symbol: 'BTCUSDT', amount: 0.03, entryPrice: 60_000, leverage: 10 });
  await c.venue('binance', 'setPosition', { apiKey: BINANCE.apiKey, symbol: 'ETHUSDT', amount: -0.3, entryPrice: 3_000, leverage: 5 });
  const b = await binancePositions(c, BINANCE.apiKey);
  say(`simulated Binance account, 10,000 USDT: ${b.map((p) => `${p.symbol} ${p.amount > 0 ? 'long' : 'short'} ${Math.abs(p.amount)} @ ${price(p.entry)}`).join(', ')}`);

  await c.venue('hyperliquid', 'createAccount', { address: HL_ADDRESS, agents: [HL_AGENT], balance: 10_000 });
  await c.venue('hyperliquid', 'setPositions', { address: HL_ADDRESS, positions: [{ coin: 'BTC', szi: 0.045, entryPx: 60_000, leverage: 3 }] });
  const h = await hyperliquidPositions(c, HL_ADDRESS);
  opening.binance = b;
  opening.hyperliquid = h;
  say(`simulated Hyperliquid account ${HL_ADDRESS.slice(0, 10)}..., 10,000 USDC: ${h.map((p) => `${p.coin} ${p.szi > 0 ? 'long' : 'short'} ${Math.abs(p.szi)} @ ${price(p.entry)}`).join(', ')}; API wallet ${HL_AGENT.slice(0, 10)}... approved`);
  return c;
}

async function open(url: string, testId: string): Promise<Page> {
  const page = await context!.newPage();
  await page.goto(url);
  await page.getByTestId(testId).waitFor({ state: 'visible', timeout: 15_000 });
  return page;
}

// ---------------------------------------------------------------------------------------------------------------
// What the viewer sees at each stage
// ---------------------------------------------------------------------------------------------------------------

interface Views {
  binance: Page;
  hyperliquid: Page;
  popup: Page;
  options: Page;
}

async function showOptions(options: Page, section: 'overview' | 'activity') {
  await options.evaluate(`location.hash = '#${section}'`);
  await options.getByTestId(`rf-tab-${section}`).waitFor({ timeout: 5_000 }).catch(() => undefined);
  await sleep(600);
}

/** Headless: one screenshot per view. Headed: each view in front for a moment. */
async function capture(v: Views, stage: string): Promise<void> {
  // Let the latest push reach every view.
  await sleep(800);
  const shots: [string, Page, (() => Promise<void>)?][] = [
    ['binance-btcusdt', v.binance],
    ['hyperliquid-btc', v.hyperliquid],
    ['popup', v.popup],
    ['options-overview', v.options, () => showOptions(v.options, 'overview')],
    ['options-activity', v.options, () => showOptions(v.options, 'activity')],
  ];
  const files: string[] = [];
  for (const [name, page, prepare] of shots) {
    await prepare?.();
    if (headed) {
      await page.bringToFront();
      await sleep(2_000);
    } else {
      const file = join(OUT, `${stage}-${name}.png`);
      // The popup is a 380 px column: the whole of it, however long, rather than its first 600 px.
      await page.screenshot({ path: file, fullPage: page === v.popup });
      files.push(file.slice(ROOT.length + 1));
    }
  }
  if (files.length) say(`screenshots: ${files.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the extension's picture
// ---------------------------------------------------------------------------------------------------------------

const pos = (r: RiskView, label: RegExp, symbol: string) => r.accounts.find((a) => label.test(a.key))?.positions.find((p) => p.symbol === symbol);

/** One line of live numbers, as the extension has them (marks and PnL from the venues' pushes). */
function liveLine(r: RiskView): string {
  const parts: string[] = [];
  for (const a of r.accounts) {
    for (const p of a.positions) {
      parts.push(`${a.key.startsWith('binance') ? 'Binance' : 'Hyperliquid'} ${p.symbol} ${p.markPrice === null ? 'no mark yet' : price(p.markPrice)} (${p.side} ${Math.abs(p.size)}, ${usd(p.unrealizedPnl)})`);
    }
  }
  return parts.join(' | ');
}

function accountLines(r: RiskView): string[] {
  return r.accounts.map((a) => {
    const bits = [
      `equity ${a.equity === null ? '?' : price(a.equity)}`,
      `day loss ${a.dayLossPct === null ? '?' : `${a.dayLossPct.toFixed(2)}%`}`,
      `exposure ${a.exposurePct === null ? '?' : `${a.exposurePct.toFixed(1)}%`}`,
      `trading ${a.trading}${a.tradingReason ? ` (${a.tradingReason})` : ''}`,
    ];
    return `${a.label}: ${bits.join(', ')}`;
  });
}

async function printNotifications(options: Page, log: AuditEntry[], seen: Set<string>): Promise<number> {
  const ids = await shownNotifications(options);
  const fresh = ids.filter((id) => !seen.has(id));
  const byId = new Map(log.map((e) => [e.id, e]));
  for (const id of fresh) {
    seen.add(id);
    // The background names each notification after the audit entry it opens (rf-audit-<id>).
    const m = /^rf-audit-(\d+)$/.exec(id);
    const e = m ? byId.get(Number(m[1])) : undefined;
    say(`desktop notification ${id}${e ? `: [${e.severity}] ${e.message}` : ''}`);
  }
  if (fresh.length === 0) say(`no new desktop notification (${ids.length} shown in Chrome's tray)`);
  return fresh.length;
}

type Target = { venue: 'binance' | 'hyperliquid'; symbol: string; to: number };

/** Moves each symbol to its target over `seconds` (simulated time runs at real speed); checks the simulator got there. */
async function move(c: SimControl, targets: Target[], seconds: number) {
  await c.moves(targets.map((t) => ({ ...t, overMs: seconds * 1000 })));
  await sleep(seconds * 1000 + 600);
  for (const t of targets) {
    const m = await simMark(c, t.venue, t.symbol);
    if (Math.abs(m - t.to) / t.to > 0.001) throw new Error(`the simulator's ${t.venue} ${t.symbol} is at ${m}, not ${t.to}`);
  }
}

/**
 * Waits (up to 5 s) until the extension's picture carries the simulator's marks for these symbols, and says how long
 * that took; prints what it has either way.
 */
async function seenByRingfence(options: Page, targets: Target[]): Promise<RiskView> {
  const t0 = Date.now();
  const matches = (r: RiskView) =>
    targets.every((t) => {
      const p = pos(r, new RegExp(`^${t.venue}:`), t.symbol);
      return p?.markPrice != null && Math.abs(p.markPrice - t.to) / t.to < 1e-4;
    });
  let r = await riskView(options);
  while (!matches(r) && Date.now() - t0 < 5_000) {
    await sleep(100);
    r = await riskView(options);
  }
  const lag = matches(r) ? `caught up within ${((Date.now() - t0) / 1000).toFixed(1)} s of the move's end` : 'NOT caught up 5 s after the move';
  say(`simulator marks ${targets.map((t) => `${t.venue === 'binance' ? 'Binance' : 'Hyperliquid'} ${t.symbol} ${price(t.to)}`).join(', ')}; Ringfence ${lag}: ${liveLine(r)}`);
  return r;
}

// ---------------------------------------------------------------------------------------------------------------
// The scenario
// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const c = await startSimulator();

  profile = mkdtempSync(join(tmpdir(), 'ringfence-demo-'));
  context = await launchWithExtension(profile, EXTENSION, { headless: !headed });
  const sw = await serviceWorker(context);
  const id = new URL(sw.url()).host;
  say(`Chromium ${headed ? 'window' : '(headless)'} with Ringfence ${id} loaded from ${EXTENSION.slice(ROOT.length + 1)}`);

  const openPopup = async () => {
    const page = await context!.newPage();
    await page.setViewportSize({ width: 380, height: 600 });
    await page.goto(`chrome-extension://${id}/popup.html`);
    await page.getByTestId('rf-popup').waitFor({ state: 'visible', timeout: 15_000 });
    return page;
  };
  const [options, binance, hyperliquid, popup] = await Promise.all([
    open(`chrome-extension://${id}/options.html#overview`, 'rf-options'),
    open('https://www.binance.com/en/futures/BTCUSDT', 'rf-panel'),
    open('https://app.hyperliquid.xyz/trade/BTC', 'rf-panel'),
    openPopup(),
  ]);
  const views: Views = { binance, hyperliquid, popup, options };
  say('opened: Binance BTCUSDT futures page, Hyperliquid BTC page (replicas at the real URLs, with the Ringfence panel), the popup (380 px) and the options page');

  if (!headed) {
    mkdirSync(OUT, { recursive: true });
    for (const f of readdirSync(OUT)) if (f.endsWith('.png')) rmSync(join(OUT, f));
  }

  // ----- vault, limits, accounts (what a user does on Options > Accounts and Limits) -----
  await send(options, 'vault.create', { passphrase: PASSPHRASE });
  say('key vault created (the Binance secret and the Hyperliquid API wallet key are stored encrypted)');

  const settings = await send<{ value: { strategyDefaults: Record<string, unknown>; position: { maxDrawdownPct: number }; account: { dailyLoss: { warningPct: number; emergencyPct: number } } } }>(options, 'settings.get', {});
  const value = settings.value;
  // The defaults stop any trade at a $5 loss and a strategy at $50: right for small bot strategies, but they would end
  // this demo at the first tick. Raised so that the position drawdown and daily loss limits are what act here.
  value.strategyDefaults = { ...value.strategyDefaults, stopLossUsd: 500, maxDrawdownUsd: 1_000 };
  await send(options, 'settings.save', { value });
  say(
    `limits: position drawdown ${value.position.maxDrawdownPct}% of margin (warn at 80% of it, half closed at 100%, all at 150%), ` +
      `daily loss warning ${value.account.dailyLoss.warningPct}% / limit ${value.account.dailyLoss.emergencyPct}% (defaults); ` +
      'stop loss per trade $500 and strategy budget $1,000 (raised from the $5 / $50 defaults for this demo)',
  );

  const audit = followAudit(options);
  const endpoints = (venue: 'binance' | 'hyperliquid') => ({ network: 'custom', restUrl: `${sim!.url}/${venue}`, wsUrl: `${sim!.wsUrl}/${venue}/ws` });
  const bRow = await send<{ id: string }>(options, 'account.add', { venue: 'binance', label: 'Binance demo', ...BINANCE, ...endpoints('binance'), mode: 'enforce' });
  const hRow = await send<{ id: string }>(options, 'account.add', { venue: 'hyperliquid', label: 'Hyperliquid demo', address: HL_ADDRESS, agentKey: HL_AGENT_KEY, ...endpoints('hyperliquid'), mode: 'enforce' });
  say(`accounts added in enforce mode: ${bRow.id}, ${hRow.id} (custom endpoints ${sim!.url}/binance and /hyperliquid)`);

  const ready = await until(
    'both accounts to be live with their positions and marks',
    async () => {
      const r = await riskView(options);
      const ok = [bRow.id, hRow.id].every((k) => {
        const a = r.accounts.find((x) => x.key === k);
        return a && a.status === 'live' && a.positions.length > 0 && a.positions.every((p) => p.markPrice !== null);
      });
      return ok ? r : null;
    },
    30_000,
  ).catch(async (e: unknown) => {
    // Say why: the extension's own account status (e.g. "Could not connect: ...").
    const r = await riskView(options);
    const why = r.accounts.map((a) => `${a.label}: ${a.status}${a.statusText ? ` (${a.statusText})` : ''}, ${a.positions.length} positions`).join('; ');
    throw new Error(`${e instanceof Error ? e.message : String(e)}; ${why}`);
  });
  say(`connected: ${ready.accounts.map((a) => `${a.label} ${a.status}, ${a.positions.length} position${a.positions.length === 1 ? '' : 's'}`).join('; ')}`);

  const notified = new Set<string>();
  let failures = 0;
  const check = (ok: boolean, what: string) => {
    if (!ok) {
      failures += 1;
      say(`NOT AS EXPECTED: ${what}`);
    }
  };

  // ----- 1. calm: prices wander, the numbers follow -----
  say('stage 1, calm: prices wander within a few tenths of a percent');
  const wander: [number, number, number][] = [
    [60_180, 3_006, 60_150],
    [59_910, 2_995, 59_880],
    [60_060, 3_003, 60_030],
  ];
  for (const [btc, eth, hlBtc] of wander) {
    const targets: Target[] = [
      { venue: 'binance', symbol: 'BTCUSDT', to: btc },
      { venue: 'binance', symbol: 'ETHUSDT', to: eth },
      { venue: 'hyperliquid', symbol: 'BTC', to: hlBtc },
    ];
    await move(c, targets, 1.5);
    await seenByRingfence(options, targets);
  }
  let r = await riskView(options);
  for (const line of accountLines(r)) say(line);
  say(`badge "${r.badge.text}" (${r.badge.title}); open findings: ${r.findings.filter((f) => f.severity !== 'notice').length} above notice`);
  await capture(views, '1-calm');

  // ----- 2. warning: BTC slides 4.5% -----
  const slideTo = 57_300;
  const before = await simMark(c, 'binance', 'BTCUSDT');
  say(`stage 2, warning: BTC slides from ${price(before)} to ${price(slideTo)} (${((slideTo / 60_000 - 1) * 100).toFixed(1)}% from entry) on both venues over 4 s`);
  const slide: Target[] = [
    { venue: 'binance', symbol: 'BTCUSDT', to: slideTo },
    { venue: 'binance', symbol: 'ETHUSDT', to: 3_010 },
    { venue: 'hyperliquid', symbol: 'BTC', to: slideTo },
  ];
  await move(c, slide, 4);
  await seenByRingfence(options, slide);
  r = await until('a warning in the risk picture', async () => {
    const v = await riskView(options);
    return v.findings.some((f) => f.severity === 'warning') ? v : null;
  });
  await sleep(1_000);
  r = await riskView(options);
  for (const f of r.findings.filter((x) => x.severity !== 'notice')) say(`open finding [${f.severity}] ${f.rule}: ${f.text}`);
  for (const line of accountLines(r)) say(line);
  say(`badge "${r.badge.text}" (${r.badge.title})`);
  check(r.findings.some((f) => f.severity === 'critical' || f.severity === 'emergency') === false, 'no breach yet at -4.5%');
  check((await binancePositions(c, BINANCE.apiKey)).length === 2 && (await hyperliquidPositions(c, HL_ADDRESS)).length === 1, 'every position still open at the simulator after the warning');
  await printNotifications(options, audit.seen(), notified);
  await capture(views, '2-warning');

  // ----- 3. breach: BTC crashes to -8% -----
  const crashTo = 55_200;
  say(`stage 3, breach: BTC crashes from ${price(await simMark(c, 'binance', 'BTCUSDT'))} to ${price(crashTo)} (${((crashTo / 60_000 - 1) * 100).toFixed(1)}% from entry) on both venues over 3 s`);
  await c.moves([
    { venue: 'binance', symbol: 'BTCUSDT', to: crashTo, overMs: 3_000 },
    { venue: 'hyperliquid', symbol: 'BTC', to: crashTo, overMs: 3_000 },
  ]);
  const closedAt = await until(
    'the BTC positions to go flat at the simulator',
    async () => {
      const b = await binancePositions(c, BINANCE.apiKey);
      const h = await hyperliquidPositions(c, HL_ADDRESS);
      return !b.some((p) => p.symbol === 'BTCUSDT') && !h.some((p) => p.coin === 'BTC') ? { b, h } : null;
    },
    30_000,
  ).catch((e: unknown) => {
    check(false, e instanceof Error ? e.message : String(e));
    return null;
  });
  // Let the last pushes and audit entries land.
  await sleep(1_500);

  // What the venues did, in their own records: every fill, and what is left of each position opened at the start.
  const bTrades = await binanceTrades(c, BINANCE.apiKey);
  const hFills = await hyperliquidFills(sim!.url, HL_ADDRESS);
  const bLeft = await binancePositions(c, BINANCE.apiKey);
  const hLeft = await hyperliquidPositions(c, HL_ADDRESS);
  for (const p of opening.binance) {
    const fills = bTrades.filter((t) => t.symbol === p.symbol);
    const left = bLeft.find((x) => x.symbol === p.symbol)?.amount ?? 0;
    say(
      `simulator, Binance ${p.symbol} ${p.amount > 0 ? 'long' : 'short'} ${Math.abs(p.amount)}: ` +
        (fills.length ? fills.map((t) => `${t.side} ${t.qty} @ ${price(t.price)} (realized ${usd(t.realizedPnl)})`).join(', ') : 'no fill') +
        ` -> ${left === 0 ? 'flat' : `still open (${left})`}`,
    );
  }
  for (const p of opening.hyperliquid) {
    const fills = hFills.filter((f) => f.coin === p.coin);
    const left = hLeft.find((x) => x.coin === p.coin)?.szi ?? 0;
    say(
      `simulator, Hyperliquid ${p.coin} ${p.szi > 0 ? 'long' : 'short'} ${Math.abs(p.szi)}: ` +
        (fills.length ? fills.map((f) => `${f.dir} ${f.sz} @ ${price(f.px)} (closed PnL ${usd(f.closedPnl)})`).join(', ') : 'no fill') +
        ` -> ${left === 0 ? 'flat' : `still open (${left})`}`,
    );
  }
  check(closedAt !== null, 'both BTC positions closed by Ringfence');
  check(bLeft.some((p) => p.symbol === 'ETHUSDT'), 'the ETHUSDT short (within its limits) left open');

  const log = audit.seen();
  check(log.some((e) => e.kind === 'action.done'), 'an action.done entry in the audit log');
  r = await riskView(options);
  check(pos(r, /^binance/, 'BTCUSDT') === undefined && pos(r, /^hyperliquid/, 'BTC') === undefined, 'Ringfence sees both BTC positions gone');
  say(`Ringfence sees: ${liveLine(r) || 'no open position'}`);
  for (const f of r.findings.filter((x) => x.severity !== 'notice')) say(`open finding [${f.severity}] ${f.rule}: ${f.text}`);
  for (const line of accountLines(r)) say(line);
  const utc = (t: number) => `${new Date(t).toISOString().slice(11, 16)} UTC`;
  const gates = Object.entries(r.guard?.scopes ?? {})
    .filter(([, sc]) => sc.trading !== 'ACTIVE')
    .map(([k, sc]) => `${k} ${sc.trading}${sc.breaker.state === 'OPEN' && sc.breaker.until ? ` (breaker open until ${utc(sc.breaker.until)})` : ''}`);
  say(`gates not ACTIVE: ${gates.length ? gates.join('; ') : 'none'}`);
  say(`badge "${r.badge.text}" (${r.badge.title})`);
  check((await printNotifications(options, log, notified)) > 0, 'a desktop notification for the breach');
  await capture(views, '3-breach');

  await audit.stop();
  return failures;
}

let code = 0;
try {
  const failures = await main();
  if (failures > 0) {
    say(`${failures} expectation${failures === 1 ? '' : 's'} not met: see NOT AS EXPECTED above`);
    code = 1;
  } else say('done: calm, warning, breach and protective close all shown');
  if (headed) {
    say('the browser stays open: look around, then close the window to end the demo');
    await new Promise<void>((r) => context!.on('close', () => r()));
  } else {
    say(`no display: ran headless; the screenshots are in ${OUT.slice(ROOT.length + 1)}/`);
  }
} catch (e) {
  // After Ctrl-C the scenario's pending calls fail as the browser goes away: that is not worth a stack trace.
  if (!interrupted) say(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  code = 1;
} finally {
  if (watchdog) clearTimeout(watchdog);
  await cleanup();
}
process.exit(interrupted ? 130 : code);
