import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { badgeFor, type BadgeInput } from '@/lib/background/badge';
import { decideNotification, emptyNotifyState, pruneNotifyState, releaseHeld, type NotifySeverity } from '@/lib/background/notify-policy';

const MIN = 60_000;

describe('notification policy', () => {
  it('never notifies notices', () => {
    expect(decideNotification(emptyNotifyState(), { key: 'a', severity: 'notice' }, 0)).toMatchObject({ show: false, why: 'tier' });
  });

  it('a flapping value notifies once per cooldown; an escalation always notifies', () => {
    let s = emptyNotifyState();
    const shown: number[] = [];
    const steps: [number, NotifySeverity][] = [
      [0, 'warning'],
      [10_000, 'warning'], // flaps back
      [20_000, 'warning'],
      [30_000, 'critical'], // escalation
      [40_000, 'warning'], // lower again: quiet
      [30_000 + 5 * MIN, 'critical'], // cooldown over
    ];
    for (const [t, sev] of steps) {
      const d = decideNotification(s, { key: 'daily_loss:acct', severity: sev }, t);
      s = d.state;
      if (d.show) shown.push(t);
    }
    expect(shown).toEqual([0, 30_000, 30_000 + 5 * MIN]);
  });

  it('rate-limits distinct keys, but never an emergency', () => {
    let s = emptyNotifyState();
    const out: string[] = [];
    for (let i = 0; i < 7; i++) {
      const d = decideNotification(s, { key: `k${i}`, severity: 'warning' }, i * 1000);
      s = d.state;
      out.push(d.show ? 'show' : d.why);
    }
    const em = decideNotification(s, { key: 'flatten', severity: 'emergency' }, 7000);
    expect(out).toEqual(['show', 'show', 'show', 'show', 'show', 'rate_limited', 'rate_limited']);
    expect(em.show).toBe(true);
    // A minute later the window has room again.
    expect(decideNotification(em.state, { key: 'k9', severity: 'warning' }, 7000 + MIN).show).toBe(true);
  });

  it('warnings the rate limit holds back come out as one summary once the window has room, naming the first', () => {
    let s = emptyNotifyState();
    for (let i = 0; i < 8; i++) s = decideNotification(s, { key: `k${i}`, severity: 'warning', title: `Main: Warning: check ${i}` }, i * 1000).state;
    expect(s.held).toEqual({ count: 3, title: 'Main: Warning: check 5' });
    // Nothing while the window is full; a critical does not take the held ones with it.
    expect(releaseHeld(s, 30_000)).toBeNull();
    const crit = decideNotification(s, { key: 'c', severity: 'critical', title: 'c' }, 31_000);
    expect(crit.state.held).toEqual({ count: 3, title: 'Main: Warning: check 5' });
    // Five shown (0 to 4 s) plus the critical (31 s): the window has room once the second of them leaves it, at 61 s.
    expect(releaseHeld(crit.state, MIN + 500)).toBeNull();
    const r = releaseHeld(crit.state, MIN + 1_500);
    expect(r?.summary).toEqual({
      title: '3 more warnings not shown',
      message: 'Too many warnings at once to show each; the first: Main: Warning: check 5. The Activity log lists them all.',
    });
    expect(r?.state.held).toBeUndefined();
    // The summary counts in the window; nothing is left to release.
    expect(r?.state.recent).toEqual([2_000, 3_000, 4_000, 31_000, MIN + 1_500]);
    expect(releaseHeld(r!.state, MIN + 5_000)).toBeNull();
  });

  it('one held warning: the summary says so', () => {
    let s = emptyNotifyState();
    for (let i = 0; i < 6; i++) s = decideNotification(s, { key: `k${i}`, severity: 'warning', title: `t${i}` }, i).state;
    expect(releaseHeld(s, 2 * MIN)?.summary).toEqual({ title: '1 more warning not shown', message: 'Too many warnings at once to show each; the first: t5. The Activity log lists it.' });
    // Kept across pruning (the heartbeat prunes before it releases).
    expect(pruneNotifyState(s, 2 * MIN).held).toEqual({ count: 1, title: 't5' });
  });

  it('never drops a critical: after a burst of warnings the stale-data critical still shows, and counts in the window', () => {
    let s = emptyNotifyState();
    const t = 1_000_000;
    for (let i = 0; i < 5; i++) s = decideNotification(s, { key: `finding|position-drawdown|binance:main:S${i}:long`, severity: 'warning' }, t + i).state;
    expect(decideNotification(s, { key: 'finding|position-drawdown|binance:main:S9:long', severity: 'warning' }, t + 9_000)).toMatchObject({ show: false, why: 'rate_limited' });
    const crit = decideNotification(s, { key: 'finding|stale-data|binance:main', severity: 'critical' }, t + 10_000);
    expect(crit.show).toBe(true);
    expect(crit.state.recent).toHaveLength(6);
    // The cooldown still applies to a critical: the same one again stays quiet.
    expect(decideNotification(crit.state, { key: 'finding|stale-data|binance:main', severity: 'critical' }, t + 11_000)).toMatchObject({ show: false, why: 'duplicate' });
  });

  it('property: within one cooldown a key notifies at most once per severity level', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 299_000 }), fc.constantFrom<NotifySeverity>('notice', 'warning', 'critical', 'emergency'))),
        (events) => {
          let s = emptyNotifyState();
          let shown = 0;
          for (const [t, sev] of [...events].sort((a, b) => a[0] - b[0])) {
            const d = decideNotification(s, { key: 'x', severity: sev }, t);
            s = d.state;
            if (d.show) shown += 1;
          }
          return shown <= 3; // warning, critical, emergency: escalations only
        },
      ),
    );
  });

  it('prunes old keys', () => {
    const s = { last: { old: { severity: 'warning' as const, at: 0 }, fresh: { severity: 'warning' as const, at: 25 * MIN } }, recent: [0, 25 * MIN] };
    expect(pruneNotifyState(s, 25 * MIN)).toEqual({ last: { fresh: s.last.fresh }, recent: [25 * MIN] });
  });
});

describe('badge', () => {
  const base: BadgeInput = { trading: 'ACTIVE', anyKilled: false, anyStale: false, worstSeverity: 'none', accounts: 1 };
  it.each([
    [{}, 'OK'],
    [{ accounts: 0, trading: 'HALTED' }, ''],
    [{ worstSeverity: 'notice' }, 'OK'],
    [{ worstSeverity: 'warning' }, 'WARN'],
    [{ trading: 'REDUCING' }, 'WARN'],
    [{ anyStale: true, worstSeverity: 'warning' }, 'STALE'],
    [{ anyKilled: true, anyStale: true }, 'KILL'],
    [{ trading: 'HALTED', anyKilled: true, anyStale: true }, 'HALT'],
  ] as const)('%j -> %s', (patch, text) => {
    expect(badgeFor({ ...base, ...patch }).text).toBe(text);
  });

  it('a symbol held after a breach on it is not "all limits clear", though its cooling-off is only a notice', () => {
    const btc = { symbol: 'BTCUSDT', trading: 'HALTED' as const };
    expect(badgeFor({ ...base, worstSeverity: 'notice', limitedSymbols: [btc, btc, { symbol: 'ETHUSDT', trading: 'REDUCING' }] })).toEqual({
      text: 'WARN',
      color: '#f0b90b',
      title: 'Ringfence: BTCUSDT halted',
    });
    expect(badgeFor({ ...base, limitedSymbols: [{ symbol: 'ETHUSDT', trading: 'REDUCING' }] }).title).toBe('Ringfence: ETHUSDT reduce-only (exits only)');
    // An account halt, a killed strategy and stale data still come first.
    expect(badgeFor({ ...base, trading: 'HALTED', limitedSymbols: [btc] }).text).toBe('HALT');
    expect(badgeFor({ ...base, anyStale: true, limitedSymbols: [btc] }).text).toBe('STALE');
    expect(badgeFor({ ...base, limitedSymbols: [{ symbol: 'SOLUSDT', trading: 'ACTIVE' }] }).text).toBe('OK');
  });
});
