/**
 * The correlation groups in force: the configured ones (settings.account.correlationGroups) joined with groups the
 * market watch measured (assets whose returns move together). Groups that share an asset merge, since an asset counts
 * in one group only (sizing.correlationGroup takes the first that holds it).
 */
import { mergeGroups } from '../domain/groups';
import type { RiskSettings } from './settings';

/** Same settings object back when the measured groups add nothing, so identity-keyed memos stay warm. */
export function withMeasuredGroups(s: RiskSettings, measured: readonly (readonly string[])[]): RiskSettings {
  if (measured.length === 0) return s;
  const configured = s.account.correlationGroups;
  const upper = (g: readonly string[]) => g.map((x) => x.toUpperCase());
  const merged = mergeGroups([...configured.map(upper), ...measured.map(upper)]);
  // Nothing new: every merged group is one the configuration already has.
  const same =
    merged.length === configured.length &&
    merged.every((g) => configured.some((c) => c.length === g.length && g.every((a) => c.some((x) => x.toUpperCase() === a))));
  if (same) return s;
  return { ...s, account: { ...s.account, correlationGroups: merged } };
}
