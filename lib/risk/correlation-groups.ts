/**
 * The correlation groups in force: the configured ones (settings.account.correlationGroups) joined with groups the
 * market watch measured (assets whose returns move together). Groups that share an asset merge, since an asset counts
 * in one group only (sizing.correlationGroup takes the first that holds it).
 */
import type { RiskSettings } from './settings';

/** Same settings object back when the measured groups add nothing, so identity-keyed memos stay warm. */
export function withMeasuredGroups(s: RiskSettings, measured: readonly (readonly string[])[]): RiskSettings {
  if (measured.length === 0) return s;
  const configured = s.account.correlationGroups;
  const parent = new Map<string, string>();
  const find = (a: string): string => {
    let r = a;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(a, r);
    return r;
  };
  const join = (g: readonly string[]) => {
    const first = g[0]!.toUpperCase();
    for (const x of g) {
      const a = x.toUpperCase();
      if (!parent.has(a)) parent.set(a, a);
    }
    for (const x of g) {
      const ra = find(first);
      const rb = find(x.toUpperCase());
      if (ra !== rb) parent.set(rb, ra);
    }
  };
  for (const g of configured) if (g.length > 0) join(g);
  for (const g of measured) if (g.length > 0) join(g);
  const byRoot = new Map<string, string[]>();
  for (const a of parent.keys()) {
    const r = find(a);
    const list = byRoot.get(r);
    if (list) list.push(a);
    else byRoot.set(r, [a]);
  }
  const merged = [...byRoot.values()].filter((g) => g.length >= 2);
  // Nothing new: every merged group is one the configuration already has.
  const same =
    merged.length === configured.length &&
    merged.every((g) => configured.some((c) => c.length === g.length && g.every((a) => c.some((x) => x.toUpperCase() === a))));
  if (same) return s;
  return { ...s, account: { ...s.account, correlationGroups: merged } };
}
