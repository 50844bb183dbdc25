/**
 * The background's wiring of messaging and storage, free of chrome.* so Node tests drive it with fakes. The entry
 * point (entrypoints/background) only connects it to runtime events.
 */
import { createViewHub, type ServerPort } from '../messaging/hub';
import type { AuditEntry, PageReport, ViewState, WatchedPage } from '../messaging/protocol';
import { createRouter } from '../messaging/router';
import { classifySender, type Sender, type SenderContext, type SenderLike } from '../messaging/sender';
import { auditCount, createAuditWriter, recentAudit } from '../store/audit';
import type { AdapterFactory } from '../exchanges/factory';
import type { RingfenceDb } from '../store/db';
import { accountHandlers } from './accounts';
import { activityHandlers } from './activity';
import type { AuditFn } from './audit-fn';
import { settingsHandlers } from './settings';
import { strategyHandlers } from './strategies';
import { createVaultService, type SessionStore } from './vault-service';
import { secretSlot } from './accounts';
import type { Badge } from './badge';
import { createSupervisor, type DesktopNotification } from './supervisor/supervisor';
import { createMarketWatch } from './market-watch';
import { riskHandlers } from './risk-handlers';
import { guardHandlers } from './guard-handlers';
import { marketHandlers } from './market-handlers';
import { marketSettingsHandlers } from './market-settings';
import { emptyRiskView } from '../messaging/risk-view';

export const RECENT_AUDIT = 20;

export interface BackgroundDeps {
  db: RingfenceDb;
  /** Memory-only storage for the unlocked vault key (chrome.storage.session in the extension). */
  session: SessionStore;
  onVaultLockAt?: (lockAt: number | null) => void;
  /** Builds exchange adapters (tests pass fakes). */
  makeAdapter: AdapterFactory;
  now: () => number;
  sender: SenderContext;
  log: (line: string) => void;
  /** Desktop notifications, the toolbar badge and the wake-up alarm (chrome.* in the extension; absent in tests). */
  notify?: (n: DesktopNotification) => void;
  setBadge?: (b: Badge) => void;
  wakeAt?: (when: number | null) => void;
  /** Milliseconds since the worker started. */
  uptime?: () => number;
  /** Whether to run the risk loop (connect accounts); tests of other parts switch it off. Default on. */
  supervise?: boolean;
}

const VENUE_NAME = { binance: 'Binance', hyperliquid: 'Hyperliquid' } as const;
type ContentSender = Extract<Sender, { class: 'content' }>;

export function createBackground(deps: BackgroundDeps) {
  const { db, now, log } = deps;
  const classify = (s: SenderLike | undefined) => classifySender(s, deps.sender);
  const workerStartedAt = now();
  /** Pages with a panel open, by tab, with the port (view id) that owns each. */
  const pages = new Map<string, { page: WatchedPage; viewId: number }>();
  let rev = 0;
  const tables = { strategies: 0, accounts: 0, settings: 0 };
  let count = 0;
  let recent: AuditEntry[] = [];

  const viewState = (): ViewState => ({
    rev,
    workerStartedAt,
    pages: [...pages.values()].map((p) => p.page).sort((a, b) => a.since - b.since || a.tabId - b.tabId),
    tables: { ...tables },
    audit: { count, recent },
    risk: supervisor.view() ?? emptyRiskView(),
    market: market.view(),
  });

  // Changes in one burst (an evaluation's findings, events and actions) reach the views as one push.
  let pushScheduled = false;
  const changed = () => {
    rev += 1;
    if (pushScheduled) return;
    pushScheduled = true;
    queueMicrotask(() => {
      pushScheduled = false;
      hub.broadcast();
    });
  };

  const tableChanged = (t: keyof typeof tables) => {
    tables[t] += 1;
    changed();
  };

  const supervise = deps.supervise ?? true;
  const vault = createVaultService({
    db,
    session: deps.session,
    now,
    // Every account with a key needs it while it is supervised (Binance even to read; Hyperliquid to act, to keep the
    // dead-man's switch and to flatten): while one is, the vault does not lock for want of use.
    ...(supervise ? { keepOpen: async () => (await db.accounts.toArray()).some((a) => a.hasSecret) } : {}),
    ...(deps.onVaultLockAt ? { onLockAt: deps.onVaultLockAt } : {}),
  });

  const writer = createAuditWriter(db);
  // The log's size and newest entries are read before the first append is issued, so each append counts once
  // however early the loop writes (it connects while the rest of storage is restored).
  const auditRestored = (async () => {
    count = await auditCount(db);
    recent = await recentAudit(db, RECENT_AUDIT);
  })();
  const audit: AuditFn = async (kind, severity, message, data, refs) => {
    const row = { ts: now(), kind, severity, message, ...(data ? { data } : {}), ...refs };
    // Appends wait in call order (a burst still shares one transaction).
    await auditRestored;
    const entry = await writer.append(row);
    count += 1;
    recent = [entry, ...recent].slice(0, RECENT_AUDIT);
    changed();
    return entry;
  };

  // Restore before answering anything. Panels re-report their page when they reconnect to a new worker, so the
  // page rows of an earlier worker are stale by definition.
  const ready = Promise.all([db.pages.clear(), auditRestored, audit('worker.started', 'info', 'Background worker started.')]).then(() => undefined);
  ready.catch((e: unknown) => log(`[ringfence] could not open the database: ${String(e)}`));

  const onPage = async (sender: ContentSender, report: PageReport, viewId: number) => {
    const key = String(sender.tabId);
    const before = pages.get(key)?.page;
    const t = now();
    const page: WatchedPage = {
      key,
      tabId: sender.tabId,
      venue: report.venue,
      symbol: report.symbol,
      url: report.url,
      since: before?.since ?? t,
      updatedAt: t,
    };
    pages.set(key, { page, viewId });
    await db.pages.put(page);
    const name = VENUE_NAME[report.venue];
    const symbol = report.symbol ?? '(no symbol)';
    const data = { tabId: sender.tabId, venue: report.venue, symbol: report.symbol };
    if (!before) {
      await audit('page.attached', 'info', `Panel attached on ${name} ${symbol}.`, data);
    } else if (before.symbol !== report.symbol) {
      await audit('page.symbol', 'info', `${name} page switched ${before.symbol ?? '(no symbol)'} -> ${symbol}.`, {
        ...data,
        from: before.symbol,
      });
    } else {
      changed();
    }
  };

  const onPanelGone = async (sender: ContentSender, viewId: number) => {
    const key = String(sender.tabId);
    const entry = pages.get(key);
    // A newer panel in the same tab (re-mounted after in-page navigation) owns the row now: keep it.
    if (!entry || entry.viewId !== viewId) return;
    pages.delete(key);
    await db.pages.delete(key);
    const { page } = entry;
    await audit('page.detached', 'info', `Panel closed on ${VENUE_NAME[page.venue]} ${page.symbol ?? '(no symbol)'}.`, {
      tabId: page.tabId,
      venue: page.venue,
    });
  };

  const hub = createViewHub({ classify, ready, getState: viewState, onPage, onPanelGone, log });

  const { current: currentSettings, ...settings } = settingsHandlers({
    db,
    now,
    audit,
    changed: () => {
      tableChanged('settings');
      void supervisor.reload();
    },
  });

  const { current: currentMarketSettings, ...marketSettings } = marketSettingsHandlers({
    db,
    now,
    audit,
    changed: (s) => {
      tableChanged('settings');
      market.setSettings(s);
    },
  });

  const supervisor = createSupervisor({
    db,
    now,
    makeAdapter: deps.makeAdapter,
    // Null only when the vault is locked; a missing or altered secret is an error with the vault's own message.
    secretOf: (row) => vault.getSecret(secretSlot(row.id)),
    noticeOnce: (key) => vault.noticeOnce(key),
    audit,
    settings: async () => (await currentSettings()).value,
    changed: (what) => (what === 'strategies' ? tableChanged('strategies') : changed()),
    ...(deps.notify ? { notify: deps.notify } : {}),
    ...(deps.setBadge ? { setBadge: deps.setBadge } : {}),
    ...(deps.wakeAt ? { wakeAt: deps.wakeAt } : {}),
    ...(deps.uptime ? { uptime: deps.uptime } : {}),
    market: { atrPct: () => market.atrPct(), correlated: (above, assetOf) => market.correlated(above, assetOf) },
    log,
  });
  // The market picture: ATR % and correlation groups for the engine, the panels' summary line. Symbols with a
  // position are watched; symbols on an open trading page also get their order book watched.
  const market = createMarketWatch({
    now,
    adapterFor: (venue) => supervisor.adapterFor(venue),
    targets: () => [
      ...supervisor.positionSymbols().map((t) => ({ ...t, book: false })),
      ...[...pages.values()].flatMap(({ page }) => (page.symbol ? [{ venue: page.venue, symbol: page.symbol, book: true }] : [])),
    ],
    changed: () => {
      changed();
      void supervisor.marketChanged();
    },
    log,
  });
  const accountsChanged = () => {
    tableChanged('accounts');
    if (supervise) void supervisor.syncAccounts();
  };
  const strategiesChanged = () => {
    tableChanged('strategies');
    void supervisor.reload();
  };
  // The loop starts at once: accounts are read, secrets decrypted and adapters built while storage is restored, and
  // the supervisor takes in no update, evaluates nothing and answers no check before its own restore is done. Order
  // checks also wait for this worker's restore (handleMessage).
  const started = Promise.all([ready, supervise ? supervisor.start() : supervisor.ready]).then(() => undefined);
  started.catch((e: unknown) => log(`[ringfence] risk loop did not start: ${String(e)}`));
  // The watch starts under the stored analysis settings (read after the restore, like the risk settings).
  const marketStarted: Promise<void> = supervise
    ? started
        .then(() => currentMarketSettings())
        .then((s) => market.setSettings(s.value))
        .catch((e: unknown) => log(`[ringfence] market settings unreadable: ${String(e)}`))
        .then(() => market.start())
    : Promise.resolve();

  const handle = createRouter(
    {
      'state.get': () => viewState(),
      'audit.list': (data) => recentAudit(db, data.limit, data.beforeId),
      ...strategyHandlers({
        db,
        audit,
        now,
        changed: strategiesChanged,
        onKillReset: (strategyId) => supervisor.reset({ kind: 'strategy', strategyId }, 'the options page', 0),
        defaults: async () => (await currentSettings()).value.strategyDefaults,
      }),
      ...accountHandlers({ db, vault, now, audit, makeAdapter: deps.makeAdapter, changed: accountsChanged }),
      ...activityHandlers({ db, now, riskView: () => supervisor.view() ?? emptyRiskView() }),
      ...settings,
      ...riskHandlers({ supervisor }),
      ...guardHandlers({ audit, supervisor, now }),
      ...marketSettings,
      ...marketHandlers({ accounts: () => db.accounts.toArray(), makeAdapter: deps.makeAdapter, live: (v) => supervisor.adapterFor(v) }),
    },
    { classify, log },
  );

  return {
    ready,
    /** Answers one runtime message; waits for the restore first. */
    async handleMessage(raw: unknown, sender: SenderLike | undefined) {
      try {
        // Restored state first: no order check is answered from a half-loaded worker.
        await ready;
        await supervisor.ready;
      } catch (e) {
        return { ok: false as const, error: { code: 'internal' as const, message: `Storage unavailable: ${String(e)}` } };
      }
      return handle(raw, sender);
    },
    attachPort: (port: ServerPort) => hub.attach(port),
    viewState,
    vault,
    /** The risk settings in force (defaults until saved). */
    settings: currentSettings,
    /** The market analysis settings in use (defaults until saved). */
    marketSettings: currentMarketSettings,
    supervisor,
    market,
    started,
    /** The market watch has started (its first pass is then under way: market.refresh() joins it). */
    marketStarted,
    /** Records one audit entry (what every part of the background uses). */
    audit,
  };
}
export type Background = ReturnType<typeof createBackground>;
