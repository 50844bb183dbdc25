/**
 * What the Limits page shows for each risk setting (label, unit, one line of help) and which way a change loosens it,
 * which the settings lock needs ("no loosening until <time>; tightening always allowed"). Plain data, keyed by the
 * setting's dotted path; tests/unit/risk/settings-fields.test.ts holds it to the schema (every leaf, nothing else).
 */
import { OVERRIDE_POLICIES } from './settings';

export type Loosens =
  /** Raising the value loosens (limits, leverage caps); null counts as no limit, the loosest. */
  | 'up'
  /** Lowering the value loosens (minimums, cooling-off times); for booleans, true -> false. */
  | 'down'
  /** Any change may loosen: blocked while locked. */
  | 'any'
  /** A list where adding an item loosens (rules turned off). */
  | 'grow';

export interface SettingField {
  label: string;
  unit: '%' | '$' | 'min' | 's' | '×' | '';
  loosens: Loosens;
  /** The allowed values of a choice (tests/unit/risk/settings-fields.test.ts checks them against the schema). */
  options?: readonly string[];
  /** Empty means no limit (null). */
  nullable?: true;
}

const f = (label: string, unit: SettingField['unit'], loosens: Loosens, options?: readonly string[]): SettingField =>
  options ? { label, unit, loosens, options } : { label, unit, loosens };

export const SETTING_GROUPS: { prefix: string; title: string }[] = [
  { prefix: 'account', title: 'Account limits' },
  { prefix: 'leverage', title: 'Leverage' },
  { prefix: 'position', title: 'Per position' },
  { prefix: 'tiers', title: 'Tiered responses' },
  { prefix: 'behaviour', title: 'Behaviour' },
  { prefix: 'strategyDefaults', title: 'Strategy defaults' },
  { prefix: 'sizing', title: 'Position sizing' },
  { prefix: 'data', title: 'Data' },
  { prefix: 'engine', title: 'Engine' },
  { prefix: 'rules', title: 'Rules' },
  { prefix: 'guard', title: 'Order guard' },
];

const level = (name: string) => ({
  [`leverage.riskLevels.${name}.baseSizePct`]: f(`${name}: base size`, '%', 'up'),
  [`leverage.riskLevels.${name}.maxLeverage`]: f(`${name}: max leverage`, '×', 'up'),
});

/** The order guard's override policy for one kind of block; any change counts as loosening while the settings are locked. */
const policy = (name: string, what: string) => ({
  [`guard.policy.${name}`]: f(`Override: ${what.toLowerCase()}`, '', 'any', OVERRIDE_POLICIES),
});

export const SETTING_FIELDS: Record<string, SettingField> = {
  'account.peakDrawdown.warningPct': f('Peak drawdown warning', '%', 'up'),
  'account.peakDrawdown.emergencyPct': f('Peak drawdown emergency', '%', 'up'),
  'account.dailyLoss.warningPct': f('Daily loss warning', '%', 'up'),
  'account.dailyLoss.emergencyPct': f('Daily loss limit', '%', 'up'),
  'account.weeklyLossPct': f('Weekly loss limit', '%', 'up'),
  'account.monthlyLossPct': f('Monthly loss limit', '%', 'up'),
  'account.lossBasis': f('Loss measured on', '', 'any', [
    'equity',
    'balance',
    'balance_minus_equity',
  ]),
  'account.dayStart.timeZone': f('Day start time zone', '', 'any'),
  'account.dayStart.hour': f('Day start hour', '', 'any'),
  'account.dayStart.weekStartsOn': f('Week starts on', '', 'any'),
  'account.exposure.warningPct': f('Exposure warning', '%', 'up'),
  'account.exposure.limitPct': f('Exposure limit', '%', 'up'),
  'account.exposure.symbolLimitPct': f('Per-symbol exposure limit', '%', 'up'),
  'account.correlationGroups': f('Correlation groups', '', 'any'),
  'account.correlationAutoAbove': {
    ...f('Group correlated assets from', '', 'up'),
    nullable: true,
  },
  'account.positionCount.warning': f('Open positions warning', '', 'up'),
  'account.positionCount.limit': f('Open positions limit', '', 'up'),
  'account.minBalanceUsd': f('Minimum balance', '$', 'down'),
  'account.riskScore.noticeAt': f('Risk score notice', '', 'up'),
  'account.riskScore.warningAt': f('Risk score warning', '', 'up'),
  'account.riskScore.emergencyAt': f('Risk score emergency', '', 'up'),
  'account.flattenOnEmergency': f('Flatten on emergency', '', 'down'),
  'leverage.mode': f('Leverage mode', '', 'any', [
    'auto',
    'normal',
    'conservative',
    'emergency',
  ]),
  'leverage.normal': f('Normal leverage cap', '×', 'up'),
  'leverage.conservative': f('Conservative leverage cap', '×', 'up'),
  'leverage.emergency': f('Emergency leverage cap', '×', 'up'),
  'leverage.highVolatility.atrPct': f('High volatility from ATR', '%', 'up'),
  'leverage.highVolatility.maxLeverage': f('High-volatility leverage cap', '×', 'up'),
  ...level('MINIMAL'),
  ...level('LOW'),
  ...level('MEDIUM'),
  ...level('HIGH'),
  ...level('CRITICAL'),
  'position.maxDrawdownPct': f('Position drawdown limit', '%', 'up'),
  'position.stopLossUsd': { ...f('Position stop loss', '$', 'up'), nullable: true },
  'position.trailing.mode': f('Trailing stop', '', 'any', ['off', 'percent', 'atr']),
  'position.trailing.percent': f('Trailing stop distance', '%', 'up'),
  'position.trailing.atrMultiple': f('Trailing stop in ATRs', '×', 'up'),
  'position.trailing.activationPct': f('Trail activation', '%', 'up'),
  'position.maxTimeInTradeMin': { ...f('Maximum time in trade', 'min', 'up'), nullable: true },
  'position.timeInTradeAction': f('At the time limit', '', 'any', ['alert', 'close']),
  'position.minLiquidationDistancePct': f('Minimum distance to liquidation', '%', 'down'),
  'tiers.warnAtPct': f('Warn at', '%', 'up'),
  'tiers.partialCloseAtPct': f('Partial close at', '%', 'up'),
  'tiers.partialClosePct': f('Partial close size', '%', 'down'),
  'tiers.fullCloseAtPct': f('Full close at', '%', 'up'),
  'behaviour.coolingOffMin': f('Cooling-off after a breach', 'min', 'down'),
  'behaviour.probeSizePct': f('Probe size after cooling-off', '%', 'up'),
  'behaviour.cleanIntervalMin': f('Clean interval', 'min', 'down'),
  'behaviour.consecutiveLosses.threshold': f('Losing streak from', '', 'up'),
  'behaviour.consecutiveLosses.schedule': f('Losing-streak leverage schedule', '', 'any'),
  'behaviour.revenge.windowMin': f('Revenge-trade window', 'min', 'down'),
  'behaviour.revenge.sizeMultiple': f('Revenge size multiple', '×', 'up'),
  'behaviour.maxTradesPerHour': f('Trades per hour', '', 'up'),
  'behaviour.maxTradesPerDay': f('Trades per day', '', 'up'),
  'behaviour.maxOrdersPerMinute': f('Orders per minute', '', 'up'),
  'behaviour.duplicateWindowSec': f('Duplicate-order window', 's', 'down'),
  'strategyDefaults.riskPerTradePct': f('Risk per trade', '%', 'up'),
  'strategyDefaults.stopLossUsd': f('Stop loss per trade', '$', 'up'),
  'strategyDefaults.maxDrawdownUsd': f('Strategy max drawdown', '$', 'up'),
  'strategyDefaults.enabled': f('New strategies enabled', '', 'up'),
  'sizing.maxLossAtStopPct': f('Loss at the stop', '%', 'up'),
  'sizing.volatility.lowAtrPct': f('Calm below ATR', '%', 'up'),
  'sizing.volatility.highAtrPct': f('Volatile above ATR', '%', 'up'),
  'sizing.volatility.minFactor': f('Minimum volatility factor', '', 'up'),
  'sizing.balanceReferenceUsd': f('Balance reference', '$', 'down'),
  'sizing.kelly.minSamples': f('Kelly: minimum trades', '', 'down'),
  'sizing.kelly.shrinkSamples': f('Kelly: shrinkage', '', 'down'),
  'sizing.kelly.maxFraction': f('Kelly: maximum fraction', '', 'up'),
  'data.staleAfterSec': f('Stale after', 's', 'up'),
  'engine.pendingTimeoutSec': f('Close retry after', 's', 'any'),
  'rules.disabled': f('Rules turned off', '', 'grow'),
  ...policy('tradingState', 'Halted or reducing'),
  ...policy('killedStrategy', 'Killed strategy'),
  ...policy('coolingOff', 'Cooling-off'),
  ...policy('leverageCap', 'Leverage above the cap'),
  ...policy('sizeCap', 'Size above the cap'),
  ...policy('staleData', 'Stale data'),
  ...policy('other', 'Other blocks'),
  'guard.countdownSec': f('Override countdown', 's', 'down'),
  'guard.phrase': f('Override phrase', '', 'any'),
};

const numeric = (v: unknown): number | null =>
  typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : v === null ? Number.POSITIVE_INFINITY : null;

/** Whether changing a field from `from` to `to` loosens it (the lock refuses these). */
export function loosens(path: string, from: unknown, to: unknown): boolean {
  const meta = SETTING_FIELDS[path];
  if (JSON.stringify(from) === JSON.stringify(to)) return false;
  if (!meta) return true; // unknown: be safe
  switch (meta.loosens) {
    case 'any':
      return true;
    case 'grow': {
      const before = new Set(Array.isArray(from) ? from : []);
      return (Array.isArray(to) ? to : []).some((x) => !before.has(x));
    }
    case 'up':
    case 'down': {
      const a = numeric(from);
      const b = numeric(to);
      if (a === null || b === null) return true;
      return meta.loosens === 'up' ? b > a : b < a;
    }
  }
}
