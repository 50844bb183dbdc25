import { describe, expect, it } from 'vitest';
import { buildRiskView, type RiskViewInput } from '@/lib/background/supervisor/risk-view';
import { newLiveAccount } from '@/lib/background/supervisor/live-account';
import { evaluate } from '@/lib/risk/engine';
import { emptyHistory } from '@/lib/risk/context';
import { initialRiskState, type Hold, type RiskState, type ScopeState } from '@/lib/risk/state';
import { deskVerdict } from '@/lib/ui/risk-format';
import { statusVm } from '@/lib/ui/panel-view';
import { accountRow } from '../helpers/account-row';
import { account, MIN, NOW, settings } from '../risk/fixtures';

const row = accountRow({ venue: 'binance', accountId: 'main' });

function live(equity: number) {
  const l = newLiveAccount(row);
  l.status = 'live';
  l.account = account({ equity, walletBalance: equity });
  l.positionsSeen = true;
  l.receivedAt = NOW;
  return l;
}

const input = (state: RiskState, over: Partial<RiskViewInput> = {}): RiskViewInput => ({
  live: [live(10_000)],
  state,
  findings: [],
  settings: settings(),
  strategies: [],
  dayStarts: {},
  evaluatedAt: NOW,
  now: NOW,
  atrPct: {},
  instruments: new Map(),
  ...over,
});

const reason = { code: 'manual_halt', kind: 'break', until: NOW + 10 * MIN } as const;
const hold = (release: Hold['release'], level: Hold['level'] = 'HALTED'): Hold => ({ id: `h${String(release)}${level}`, rule: 'manual', level, release, reason, since: NOW });
/** An account scope with these holds, and a breaker open for 30 minutes unless `breakerUntil` says otherwise. */
function scoped(holds: Hold[], breakerUntil: number | null = NOW + 30 * MIN): RiskState {
  const sc: ScopeState = {
    scope: { kind: 'account', venue: 'binance', accountId: 'main' },
    trading: 'HALTED',
    since: NOW,
    holds,
    breaker: { state: 'OPEN', since: NOW, until: breakerUntil, lastBreachAt: NOW, reason: null },
  };
  return { ...initialRiskState(), scopes: { [row.id]: sc } };
}

describe('risk view: when a halted account trades again', () => {
  it('the account kill switch (16% below the peak, limit 15%) needs a reset: no countdown to the breaker end, and the reset hint', () => {
    const s = settings();
    const st0 = { ...initialRiskState(), peaks: { [row.id]: 10_000 } };
    const acct = account({ equity: 8_400, walletBalance: 8_400 });
    const r = evaluate([{ account: acct, positions: [], openOrders: [], receivedAt: NOW, feedError: null }], emptyHistory(), st0, s, NOW);
    const sc = r.nextState.scopes[row.id]!;
    // The engine halts until a reset and also opens the breaker with an end.
    expect(sc.holds.map((h) => h.release)).toContain('manual');
    expect(sc.breaker.state).toBe('OPEN');
    expect(sc.breaker.until).toBeGreaterThan(NOW);
    const view = buildRiskView(input(r.nextState, { live: [live(8_400)], findings: r.findings }));
    const a = view.accounts[0]!;
    expect({ coolingUntil: a.coolingUntil, needsReset: a.needsReset }).toEqual({ coolingUntil: null, needsReset: true });
    expect(deskVerdict(view, 'live')).toMatchObject({ until: null, next: 'Reset it in Options > Overview when you are ready.', target: 'overview' });
    expect(statusVm(a)).toMatchObject({ trading: 'HALTED', until: null, reset: 'Stays until you reset trading in Ringfence options.' });
  });
  it('a flatten (until a reset) on top of an open breaker: no time either', () => {
    const a = buildRiskView(input(scoped([hold('manual')]))).accounts[0]!;
    expect({ coolingUntil: a.coolingUntil, needsReset: a.needsReset }).toEqual({ coolingUntil: null, needsReset: true });
  });
  it('a hold while its condition lasts on top of an open breaker: no time, and no reset asked', () => {
    const a = buildRiskView(input(scoped([hold('condition', 'REDUCING')]))).accounts[0]!;
    expect({ coolingUntil: a.coolingUntil, needsReset: a.needsReset }).toEqual({ coolingUntil: null, needsReset: false });
    expect(statusVm(a)).toMatchObject({ until: null, reset: null });
  });
  it('a break on top of an open breaker: trading resumes at the later of the two ends', () => {
    expect(buildRiskView(input(scoped([hold(NOW + 10 * MIN)]))).accounts[0]!.coolingUntil).toBe(NOW + 30 * MIN);
    expect(buildRiskView(input(scoped([hold(NOW + 45 * MIN)]))).accounts[0]!.coolingUntil).toBe(NOW + 45 * MIN);
    // A breaker open without an end does not say when.
    expect(buildRiskView(input(scoped([hold(NOW + 10 * MIN)], null))).accounts[0]!.coolingUntil).toBeNull();
  });
});
