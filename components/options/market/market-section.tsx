/**
 * The options page's Market view: candles with the volume profile, POC / VAH / VAL and VWAP bands, a regime timeline,
 * the regime on several timeframes, the order book's depth and imbalance with walls and persistent zones, and the
 * correlation of the watched symbols. Loaded on demand (market-loader.tsx), so lib/market and lightweight-charts
 * stay out of the rest of the options page.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LiquidityZone } from '@/lib/market/liquidity';
import { MARKET_INTERVALS, type MarketInterval } from '@/lib/messaging/market-requests';
import { request, type RuntimeLike } from '@/lib/messaging/client';
import { marketSettingsGet, type MarketSettingsView } from '@/lib/messaging/market-settings-requests';
import { parseMarketSettings } from '@/lib/market/settings';
import type { ViewState } from '@/lib/messaging/protocol';
import { createMarketFeed, BOOK_REFRESH_MS, DEFAULT_INTERVAL, type BookModel, type ChartModel, type MarketFeed } from '@/lib/ui/market-feed';
import {
  ALIGNMENT_TEXT,
  amountText,
  bandRows,
  correlationRows,
  correlationSymbols,
  DASH,
  defaultVenue,
  headlineBand,
  imbalanceWords,
  normalizeSymbol,
  noWallText,
  priceText,
  reachText,
  signedPct,
  suggestedSymbols,
  timeframeRows,
  TREND_TEXT,
  VOLATILITY_TEXT,
  zoneRows,
  type SymbolSources,
  type Venue,
} from '@/lib/ui/market-view';
import { clockTime } from '@/lib/ui/format';
import { onThemeChange, readTheme, type ChartTheme } from './chart-theme';
import { createDepthChart, type DepthChart } from './depth-chart';
import { createImbalanceChart, type ImbalanceChart } from './imbalance-chart';
import { IndicatorsPanel } from './indicators-panel';
import { createPriceChart, type PriceChart } from './price-chart';
import { AnalysisSettings } from './analysis-settings';
import './market.css';

const NO_ZONES: LiquidityZone[] = [];
const VENUES: [Venue, string][] = [
  ['binance', 'Binance'],
  ['hyperliquid', 'Hyperliquid'],
];

function sourcesOf(state: ViewState): SymbolSources {
  return {
    positions: state.risk.accounts.flatMap((a) => a.positions.map((p) => ({ venue: a.venue, symbol: p.symbol }))),
    pages: state.pages.map((p) => ({ venue: p.venue, symbol: p.symbol })),
  };
}

function useTheme(): ChartTheme {
  const [theme, setTheme] = useState(readTheme);
  useEffect(() => onThemeChange(() => setTheme(readTheme())), []);
  return theme;
}

export function MarketSection({ state, runtime }: { state: ViewState; runtime: RuntimeLike }) {
  const [feed] = useState(() => createMarketFeed(runtime));
  const sources = sourcesOf(state);
  const accountVenues = [...new Set(state.risk.accounts.map((a) => a.venue))];
  const [venue, setVenue] = useState<Venue>(() => defaultVenue(sources, accountVenues));
  const [symbol, setSymbol] = useState(() => suggestedSymbols(sources, venue)[0]!);
  const [interval, setTimeframe] = useState<MarketInterval>(DEFAULT_INTERVAL);
  const [corr, setCorr] = useState(() => correlationSymbols(sources, venue, symbol).join(', '));
  const theme = useTheme();
  const suggestions = suggestedSymbols(sources, venue);

  const load = (v = venue, s = symbol, i = interval, c = corr) => {
    const sym = normalizeSymbol(v, s);
    setSymbol(sym);
    void feed.load({ venue: v, symbol: sym, interval: i }, splitSymbols(v, c));
  };
  // The stored analysis settings first (the first load uses them); read again when any tab saves them.
  const [settingsView, setSettingsView] = useState<MarketSettingsView | null>(null);
  const [settingsError, setSettingsError] = useState<string | null>(null);
  const applySettings = (v: MarketSettingsView) => {
    setSettingsView(v);
    const next = parseMarketSettings(v.value);
    if (JSON.stringify(next) !== JSON.stringify(feed.settings)) void feed.setSettings(next);
  };
  const first = useRef(true);
  useEffect(() => {
    void request(runtime, marketSettingsGet, {}).then((r) => {
      if (r.ok) applySettings(r.data);
      else setSettingsError(`The analysis settings could not be read (${r.error.message}); the defaults are in use.`);
      if (first.current) load();
      first.current = false;
    });
  }, [state.tables.settings]);
  useEffect(() => feed.watchBook(BOOK_REFRESH_MS, () => document.visibilityState === 'visible'), [feed]);

  const onVenue = (v: Venue) => {
    const s = suggestedSymbols(sources, v)[0]!;
    const c = correlationSymbols(sources, v, s).join(', ');
    setVenue(v);
    setSymbol(s);
    setCorr(c);
    load(v, s, interval, c);
  };

  const chart = feed.chart.value;
  const error = feed.error.value;
  const shown = chart && !error ? chart : null;
  return (
    <section class="rf-market" aria-labelledby="rf-market-title" data-testid="rf-market">
      <h2 id="rf-market-title">Market</h2>
      <form
        class="rf-market-controls"
        data-testid="rf-market-controls"
        onSubmit={(e) => {
          e.preventDefault();
          load();
        }}
      >
        <label>
          Venue
          <select value={venue} onChange={(e) => onVenue((e.target as HTMLSelectElement).value as Venue)}>
            {VENUES.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
                {accountVenues.includes(id) ? '' : ' (no account)'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Symbol
          <input
            value={symbol}
            list="rf-market-symbols"
            size={12}
            spellcheck={false}
            autocomplete="off"
            onInput={(e) => setSymbol((e.target as HTMLInputElement).value)}
          />
        </label>
        <datalist id="rf-market-symbols">
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <label>
          Interval
          <select
            value={interval}
            onChange={(e) => {
              const i = (e.target as HTMLSelectElement).value as MarketInterval;
              setTimeframe(i);
              load(venue, symbol, i);
            }}
          >
            {MARKET_INTERVALS.map((i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" data-testid="rf-market-refresh" aria-busy={feed.loading.value ? 'true' : undefined}>
          Refresh
        </button>
        <span class="rf-muted rf-market-status" data-testid="rf-market-status" aria-live="polite">
          {feed.loading.value ? 'Loading…' : shown ? `${shown.candles.length + (shown.forming ? 1 : 0)} candles via ${shown.accountLabel} · ${clockTime(shown.loadedAt)}` : ''}
        </span>
      </form>
      {settingsError ? <p class="rf-market-error">{settingsError}</p> : null}
      <AnalysisSettings runtime={runtime} view={settingsView} onSaved={applySettings} />
      {error ? (
        <p class="rf-market-error" role="alert" data-testid="rf-market-error">
          {error.message}
        </p>
      ) : null}
      {shown ? <Summary chart={shown} /> : null}
      {shown ? <ProfileSourceNote feed={feed} /> : null}
      <PriceChartView chart={shown} zones={(feed.book.value?.symbol === shown?.query.symbol ? feed.book.value?.zones.zones : null) ?? NO_ZONES} theme={theme} />
      {shown ? (
        <>
          <Legend theme={theme} />
          <div class="rf-market-grid">
            <div class="rf-market-col">
              <Timeframes feed={feed} />
              <IndicatorsPanel chart={shown} settings={feed.settings} />
              <Correlation
                feed={feed}
                value={corr}
                onChange={setCorr}
                onApply={() => void feed.correlate(splitSymbols(venue, corr))}
                interval={shown.query.interval}
              />
            </div>
            <Book feed={feed} decimals={shown.decimals} theme={theme} />
          </div>
        </>
      ) : null}
      <p class="rf-muted rf-market-credit">
        Charts: <a href="https://www.tradingview.com/">TradingView Lightweight Charts™</a>. Analysis runs in this page on
        the venue's candles and order book.
      </p>
    </section>
  );
}

const splitSymbols = (venue: Venue, text: string) => [...new Set(text.split(/[\s,;]+/).filter(Boolean).map((s) => normalizeSymbol(venue, s)))].slice(0, 8);

export function Summary({ chart }: { chart: ChartModel }) {
  const a = chart.analysis;
  const d = chart.decimals;
  // Last is the latest price: the forming candle's close when there is one (the analysis reads closed candles only).
  const last = chart.forming ?? chart.candles[chart.candles.length - 1]!;
  const r = a.latest;
  const n = a.length - 1;
  const vwap = a.vwap.vwap[n]!;
  const sigma = a.vwap.sigma[n]!;
  const p = a.profile;
  const where = !Number.isFinite(p.vah) ? null : last.close > p.vah ? 'above the value area' : last.close < p.val ? 'below the value area' : 'inside the value area';
  return (
    <>
      <dl class="rf-stats rf-market-stats" data-testid="rf-market-summary">
        <Stat label="Last" value={priceText(last.close, d)} id="last" sub={where ?? undefined} />
        <Stat label="POC" value={priceText(p.poc, d)} id="poc" sub="point of control" />
        <Stat label="VAH" value={priceText(p.vah, d)} id="vah" sub={`value area high (${Math.round(a.profile.valueAreaVolume / (a.profile.total || 1) * 100) || 70}%)`} />
        <Stat label="VAL" value={priceText(p.val, d)} id="val" sub="value area low" />
        <Stat
          label="VWAP"
          value={chart.vwapNote ? DASH : priceText(vwap, d)}
          id="vwap"
          sub={chart.vwapNote ?? (Number.isFinite(sigma) ? `session, σ ${priceText(sigma, d)}` : 'session')}
        />
        <Stat label="Trend" value={r ? TREND_TEXT[r.trend] : DASH} id="trend" sub={r && Number.isFinite(r.adx) ? `ADX ${Math.round(r.adx)}` : undefined} />
        <Stat
          label="Volatility"
          value={r ? VOLATILITY_TEXT[r.volatility] : DASH}
          id="volatility"
          sub={r && Number.isFinite(r.hvPercentile) ? `p${Math.round(r.hvPercentile)} of history` : undefined}
        />
        <Stat
          label="Mean reversion"
          value={r && Number.isFinite(r.meanReversion) ? `${Math.round(r.meanReversion * 100)}%` : DASH}
          id="mr"
          sub="probability"
        />
      </dl>
      {!(p.total > 0) ? (
        <p class="rf-muted" data-testid="rf-market-novolume">
          No traded volume in these candles: no volume profile, POC or value area.
        </p>
      ) : null}
    </>
  );
}

function Stat({ label, value, sub, id }: { label: string; value: string; sub?: string | undefined; id: string }) {
  return (
    <div class="rf-stat">
      <dt>{label}</dt>
      <dd data-testid={`rf-market-${id}`}>{value}</dd>
      {sub ? <dd class="rf-market-sub">{sub}</dd> : null}
    </div>
  );
}

function describeChart(c: ChartModel): string {
  const p = c.analysis.profile;
  const d = c.decimals;
  // The candles drawn: the closed ones and the forming one (marked).
  return `${c.query.symbol} ${c.query.interval} candles (${c.candles.length + (c.forming ? 1 : 0)}) with the volume profile, POC ${priceText(p.poc, d)}, value area ${priceText(p.val, d)} to ${priceText(p.vah, d)}, ${c.vwapNote ? 'no session VWAP (daily candles)' : 'session VWAP with 1, 2 and 3 sigma bands'}, and the regime timeline below.`;
}

function PriceChartView({ chart, zones, theme }: { chart: ChartModel | null; zones: readonly LiquidityZone[]; theme: ChartTheme }) {
  const el = useRef<HTMLDivElement>(null);
  const api = useRef<PriceChart | null>(null);
  useEffect(() => {
    if (!chart || !el.current) return;
    api.current ??= createPriceChart(el.current, theme);
    api.current.update(chart, zones);
  }, [chart]);
  useEffect(() => api.current?.setZones(zones), [zones]);
  useEffect(() => api.current?.setTheme(theme), [theme]);
  useEffect(
    () => () => {
      api.current?.dispose();
      api.current = null;
    },
    [],
  );
  return <div ref={el} class="rf-market-chart" hidden={!chart} role="img" aria-label={chart ? describeChart(chart) : 'No chart'} data-testid="rf-market-chart" />;
}

function Legend({ theme }: { theme: ChartTheme }) {
  const sw = (color: string, label: string, line = false) => (
    <span class="rf-legend-item" key={label}>
      <span class={line ? 'rf-swatch rf-swatch--line' : 'rf-swatch'} style={{ background: color }} aria-hidden="true" />
      {label}
    </span>
  );
  return (
    <div class="rf-market-legend" data-testid="rf-market-legend">
      <span>
        {sw(theme.vwap, 'VWAP, ±1/2/3σ', true)}
        {sw(theme.levels.poc, 'POC', true)}
        {sw(theme.levels.vah, 'VAH / VAL', true)}
        {sw(theme.profile.value, 'profile: value area')}
      </span>
      <span>
        <span class="rf-muted">Timeline, trend (top):</span>
        {sw(theme.trend.strong_up, 'strong up')}
        {sw(theme.trend.weak_up, 'weak up')}
        {sw(theme.trend.ranging, 'ranging')}
        {sw(theme.trend.weak_down, 'weak down')}
        {sw(theme.trend.strong_down, 'strong down')}
      </span>
      <span>
        <span class="rf-muted">volatility (bottom):</span>
        {sw(theme.volatility.low, 'low')}
        {sw(theme.volatility.medium, 'medium')}
        {sw(theme.volatility.high, 'high')}
        {sw(theme.volatility.unknown, 'warming up')}
      </span>
    </div>
  );
}

function Timeframes({ feed }: { feed: MarketFeed }) {
  const m = feed.mtf.value;
  return (
    <section class="rf-market-panel" aria-labelledby="rf-mtf-title">
      <h3 id="rf-mtf-title">Regime by timeframe</h3>
      {!m ? (
        <p class="rf-empty">Loading…</p>
      ) : (
        <>
          <table class="rf-table rf-market-table" data-testid="rf-market-mtf">
            <thead>
              <tr>
                <th scope="col">Timeframe</th>
                <th scope="col">Trend</th>
                <th scope="col" class="rf-num">ADX</th>
                <th scope="col" class="rf-num">
                  <abbr title="Fitted move over the slope window, in ATRs">Move</abbr>
                </th>
                <th scope="col">Volatility</th>
                <th scope="col" class="rf-num">
                  <abbr title="Probability that returns mean-revert (variance ratio)">MR</abbr>
                </th>
              </tr>
            </thead>
            <tbody>
              {timeframeRows(m.regime).map((r) => (
                <tr key={r.interval} data-interval={r.interval}>
                  <th scope="row">{r.interval}</th>
                  <td>
                    <span class={`rf-trend rf-trend--${r.trend}`}>{r.trendText}</span>
                  </td>
                  <td class="rf-num">{r.adx}</td>
                  <td class="rf-num">{r.slope}</td>
                  <td>{r.volatilityText}</td>
                  <td class="rf-num">{r.meanReversion}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="rf-muted rf-market-note" data-testid="rf-market-alignment">
            Alignment: {ALIGNMENT_TEXT[m.regime.alignment]}.
          </p>
          {m.errors.map((e) => (
            <p key={e} class="rf-error rf-market-note">
              {e}
            </p>
          ))}
        </>
      )}
    </section>
  );
}

function Book({ feed, decimals, theme }: { feed: MarketFeed; decimals: number; theme: ChartTheme }) {
  const book = feed.book.value;
  const err = feed.bookError.value;
  const l = book?.liquidity;
  const head = l ? headlineBand(l) : null;
  return (
    <section class="rf-market-panel" aria-labelledby="rf-book-title" data-testid="rf-market-book">
      <h3 id="rf-book-title">Order book</h3>
      {err ? (
        <p class="rf-market-error" role="alert" data-testid="rf-market-book-error">
          {err.message}
        </p>
      ) : null}
      {!book || !l ? (
        err ? null : <p class="rf-empty">Loading…</p>
      ) : (
        <>
          <p class="rf-market-imbalance" data-testid="rf-market-imbalance">
            <span class="rf-strong">Imbalance {head ? signedPct(head.imbalance) : DASH}</span>{' '}
            <span class="rf-muted">
              {head ? `within ${head.bps} bps: ${imbalanceWords(head.imbalance)}` : `no band covered: the book read reaches ${reachText(l.reachBps)}`} · spread {l.spreadBps.toFixed(2)} bps · mid{' '}
              {priceText(l.mid, decimals)} · {book.snapshots} snapshot{book.snapshots === 1 ? '' : 's'}, {clockTime(book.time)}
            </span>
          </p>
          <DepthChartView book={book} decimals={decimals} theme={theme} />
          <ImbalanceChartView book={book} theme={theme} />
          <table class="rf-table rf-market-table" data-testid="rf-market-bands">
            <caption class="rf-sr">Depth per band around the mid (notional)</caption>
            <thead>
              <tr>
                <th scope="col">Band</th>
                <th scope="col" class="rf-num">Bids</th>
                <th scope="col" class="rf-num">Asks</th>
                <th scope="col">Imbalance</th>
              </tr>
            </thead>
            <tbody>
              {bandRows(l.bands, l.reachBps).map((b) => (
                <tr key={b.bps} data-bps={b.bps} data-covered={String(b.covered)}>
                  <th scope="row">±{b.bps} bps</th>
                  <td class="rf-num">{b.bid}</td>
                  <td class="rf-num">{b.ask}</td>
                  <td>{b.covered ? <ImbalanceBar value={b.imbalance} text={b.imbalanceText} /> : <span class="rf-muted">{b.imbalanceText}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Walls book={book} decimals={decimals} multiple={feed.settings.liquidity.wallMultiple} />
          <Zones book={book} decimals={decimals} />
        </>
      )}
    </section>
  );
}

/** A bar from the centre: right (bid colour) when bids outweigh asks, left when asks do. */
function ImbalanceBar({ value, text }: { value: number; text: string }) {
  const w = Math.min(50, Math.abs(value) * 50);
  return (
    <span class="rf-imb">
      <span class="rf-imb-track" aria-hidden="true">
        <span class={`rf-imb-fill ${value >= 0 ? 'rf-imb-fill--bid' : 'rf-imb-fill--ask'}`} style={value >= 0 ? { left: '50%', width: `${w}%` } : { right: '50%', width: `${w}%` }} />
      </span>
      <span class="rf-num">{text}</span>
    </span>
  );
}

function Walls({ book, decimals, multiple }: { book: BookModel; decimals: number; multiple: number }) {
  const walls = book.liquidity.walls;
  return (
    <div data-testid="rf-market-walls">
      <h4>Walls</h4>
      {walls.length === 0 ? (
        <p class="rf-empty">{noWallText(book.liquidity, book.rangeBps, multiple)}</p>
      ) : (
        <ul class="rf-market-list">
          {walls.slice(0, 8).map((w) => (
            <li key={`${w.side}${w.price}`} class={w.side === 'bid' ? 'rf-pos' : 'rf-neg'}>
              {w.side} wall {priceText(w.price, decimals)} · {amountText(w.size)} ({Math.round(w.multiple)}x median) · {Math.round(w.distanceBps)} bps away
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Zones({ book, decimals }: { book: BookModel; decimals: number }) {
  const rows = zoneRows(book.zones.zones);
  return (
    <div data-testid="rf-market-zones">
      <h4>Liquidity zones</h4>
      {rows.length === 0 ? (
        <p class="rf-empty">No significant level yet; zones build up as the book is read every {BOOK_REFRESH_MS / 1000} s.</p>
      ) : (
        <ul class="rf-market-list">
          {rows.slice(0, 8).map((z) => (
            <li key={z.id} data-persistent={z.persistent ? 'true' : 'false'}>
              <span class={z.side === 'bid' ? 'rf-pos' : 'rf-neg'}>{z.side}</span> {priceText(z.price, decimals)} · {amountText(z.size)} · seen{' '}
              {z.sightings}x over {z.ageSec} s{z.persistent ? ' · persistent' : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function DepthChartView({ book, decimals, theme }: { book: BookModel; decimals: number; theme: ChartTheme }) {
  const el = useRef<HTMLDivElement>(null);
  const api = useRef<DepthChart | null>(null);
  useEffect(() => {
    if (!el.current) return;
    api.current ??= createDepthChart(el.current, theme);
    api.current.update(book, decimals);
  }, [book, decimals]);
  useEffect(() => api.current?.setTheme(theme), [theme]);
  useEffect(
    () => () => {
      api.current?.dispose();
      api.current = null;
    },
    [],
  );
  const label = `Cumulative depth within ${book.rangeBps} bps of the mid: ${book.depth.bids.length} bid and ${book.depth.asks.length} ask levels${book.liquidity.walls.length ? `, ${book.liquidity.walls.length} walls marked` : ''}.`;
  return <div ref={el} class="rf-market-depth" role="img" aria-label={label} data-testid="rf-market-depth" />;
}

function ImbalanceChartView({ book, theme }: { book: BookModel; theme: ChartTheme }) {
  const el = useRef<HTMLDivElement>(null);
  const api = useRef<ImbalanceChart | null>(null);
  useEffect(() => {
    if (!el.current) return;
    api.current ??= createImbalanceChart(el.current, theme);
    api.current.update(book.imbalance);
  }, [book.imbalance]);
  useEffect(() => api.current?.setTheme(theme), [theme]);
  useEffect(
    () => () => {
      api.current?.dispose();
      api.current = null;
    },
    [],
  );
  const pts = book.imbalance;
  const last = pts[pts.length - 1];
  const caption = last
    ? `Imbalance over the last ${pts.length} book read${pts.length === 1 ? '' : 's'} (±${last.bps} bps, one every ${BOOK_REFRESH_MS / 1000} s while this view is open)`
    : 'Imbalance over time: no read has covered a band yet';
  return (
    <figure class="rf-market-figure" data-testid="rf-market-imbalance-chart" data-points={pts.length}>
      <figcaption class="rf-muted">{caption}</figcaption>
      <div ref={el} class="rf-market-imbalance-chart" role="img" aria-label={last ? `${caption}; last ${signedPct(last.imbalance)}.` : caption} />
    </figure>
  );
}

function Correlation(props: { feed: MarketFeed; value: string; onChange: (v: string) => void; onApply: () => void; interval: string }) {
  const c = props.feed.correlation.value;
  const rows = useMemo(() => (c ? correlationRows(c.matrix, props.feed.settings.correlation.minOverlap) : []), [c]);
  return (
    <section class="rf-market-panel" aria-labelledby="rf-corr-title">
      <h3 id="rf-corr-title">Correlation of {props.interval} returns</h3>
      <form
        class="rf-market-controls"
        onSubmit={(e) => {
          e.preventDefault();
          props.onApply();
        }}
      >
        <label>
          Correlate
          <input class="rf-wide" value={props.value} onInput={(e) => props.onChange((e.target as HTMLInputElement).value)} spellcheck={false} />
        </label>
        <button type="submit">Update correlations</button>
      </form>
      {!c ? (
        <p class="rf-empty">Loading…</p>
      ) : (
        <>
          <table class="rf-table rf-market-table rf-corr" data-testid="rf-market-correlation">
            <thead>
              <tr>
                <td />
                {c.matrix.symbols.map((s) => (
                  <th key={s} scope="col" class="rf-num">
                    {s}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.symbol}>
                  <th scope="row">{r.symbol}</th>
                  {r.cells.map((cell, j) => (
                    <td
                      key={j}
                      class={`rf-num rf-corr-cell rf-corr-cell--${cell.sign}`}
                      style={{ '--rf-corr': String(cell.strength) }}
                      title={`${cell.count} common returns`}
                    >
                      {cell.text}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {c.skipped.map((s) => (
            <p key={s.symbol} class="rf-error rf-market-note">
              {s.symbol}: {s.message}
            </p>
          ))}
        </>
      )}
    </section>
  );
}

/** Says what the profile is built from: the window's trades (all, or the latest part) or the candles, and why. */
function ProfileSourceNote({ feed }: { feed: MarketFeed }) {
  const p = feed.profileSource.value;
  if (!p) return null;
  return (
    <p class="rf-muted rf-market-profile-source" data-testid="rf-market-profile-source" data-source={p.source} data-complete={String(p.complete)} data-start={p.window?.start} data-end={p.window?.end}>
      {p.text}
    </p>
  );
}
