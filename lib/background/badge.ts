/** The toolbar badge: one short word and a colour for the worst thing that is true right now. */
export interface BadgeInput {
  /** Worst trading state across accounts. */
  trading: 'ACTIVE' | 'REDUCING' | 'HALTED';
  /** Any strategy killed by its kill switch. */
  anyKilled: boolean;
  /** Any venue without fresh data. */
  anyStale: boolean;
  /** Worst open finding. */
  worstSeverity: 'none' | 'notice' | 'warning' | 'critical' | 'emergency';
  /** Accounts configured: with none, the badge stays empty. */
  accounts: number;
  /** Symbols held by their own state (halted or reduce-only after a breach on them) on accounts that trade on. */
  limitedSymbols?: readonly { symbol: string; trading: 'ACTIVE' | 'REDUCING' | 'HALTED' }[];
}
export interface Badge {
  text: '' | 'OK' | 'WARN' | 'HALT' | 'KILL' | 'STALE';
  color: string;
  title: string;
}

// Order of precedence: a halt outranks everything, then a killed strategy, then stale data (we cannot see),
// then warnings. REDUCING shows as WARN: new risk is blocked but exits pass.
export function badgeFor(s: BadgeInput): Badge {
  if (s.accounts === 0) return { text: '', color: '#848e9c', title: 'Ringfence: no account connected' };
  if (s.trading === 'HALTED') return { text: 'HALT', color: '#cf304a', title: 'Ringfence: trading halted' };
  if (s.anyKilled) return { text: 'KILL', color: '#cf304a', title: 'Ringfence: a strategy was stopped by its kill switch' };
  if (s.anyStale) return { text: 'STALE', color: '#848e9c', title: 'Ringfence: no fresh data from a venue' };
  // A halted symbol is not "all limits clear", though its cooling-off finding is only a notice.
  const halted = [...new Set((s.limitedSymbols ?? []).filter((x) => x.trading === 'HALTED').map((x) => x.symbol))];
  if (halted.length > 0) return { text: 'WARN', color: '#f0b90b', title: `Ringfence: ${halted.join(', ')} halted` };
  if (s.trading === 'REDUCING') return { text: 'WARN', color: '#f0b90b', title: 'Ringfence: reduce-only (exits only)' };
  const reducing = [...new Set((s.limitedSymbols ?? []).filter((x) => x.trading === 'REDUCING').map((x) => x.symbol))];
  if (reducing.length > 0) return { text: 'WARN', color: '#f0b90b', title: `Ringfence: ${reducing.join(', ')} reduce-only (exits only)` };
  if (s.worstSeverity !== 'none' && s.worstSeverity !== 'notice') {
    return { text: 'WARN', color: '#f0b90b', title: `Ringfence: ${s.worstSeverity} finding open` };
  }
  return { text: 'OK', color: '#0ecb81', title: 'Ringfence: all limits clear' };
}
