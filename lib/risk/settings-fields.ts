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
  help: string;
  loosens: Loosens;
  /** The allowed values of a choice (tests/unit/risk/settings-fields.test.ts checks them against the schema). */
  options?: readonly string[];
  /** Empty means no limit (null). */
  nullable?: true;
}

const f = (label: string, unit: SettingField['unit'], loosens: Loosens, help: string, options?: readonly string[]): SettingField =>
  options ? { label, unit, help, loosens, options } : { label, unit, help, loosens };

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
  [`leverage.riskLevels.${name}.baseSizePct`]: f(`${name}: base size`, '%', 'up', `Base position size at risk level ${name}, % of equity.`),
  [`leverage.riskLevels.${name}.maxLeverage`]: f(`${name}: max leverage`, '×', 'up', `Leverage cap at risk level ${name}.`),
});

/** The order guard's override policy for one kind of block; any change counts as loosening while the settings are locked. */
const policy = (name: string, what: string, help: string) => ({
  [`guard.policy.${name}`]: f(`Override: ${what.toLowerCase()}`, '', 'any', `${help} never: no override; countdown: after the countdown; typed: after typing the phrase.`, OVERRIDE_POLICIES),
});

export const SETTING_FIELDS: Record<string, SettingField> = {
  'account.peakDrawdown.warningPct': f('Peak drawdown warning', '%', 'up', 'Warn when equity is this far below its peak.'),
  'account.peakDrawdown.emergencyPct': f('Peak drawdown emergency', '%', 'up', 'Halt (and flatten, if set) at this drawdown from the peak.'),
  'account.dailyLoss.warningPct': f('Daily loss warning', '%', 'up', "Warn at this loss from the day's start value."),
  'account.dailyLoss.emergencyPct': f('Daily loss limit', '%', 'up', 'Halt for the rest of the day at this loss.'),
  'account.weeklyLossPct': f('Weekly loss limit', '%', 'up', "Halt for the rest of the week at this loss from the week's start."),
  'account.monthlyLossPct': f('Monthly loss limit', '%', 'up', "Halt for the rest of the month at this loss from the month's start."),
  'account.lossBasis': f('Loss measured on', '', 'any', 'equity, balance, or balance_minus_equity (start balance against current equity).', [
    'equity',
    'balance',
    'balance_minus_equity',
  ]),
  'account.dayStart.timeZone': f('Day start time zone', '', 'any', 'IANA time zone of your trading day, e.g. Europe/London.'),
  'account.dayStart.hour': f('Day start hour', '', 'any', 'Local hour (0-23) at which a trading day starts.'),
  'account.dayStart.weekStartsOn': f('Week starts on', '', 'any', '0 = Sunday … 6 = Saturday.'),
  'account.exposure.warningPct': f('Exposure warning', '%', 'up', 'Warn when total notional reaches this share of equity.'),
  'account.exposure.limitPct': f('Exposure limit', '%', 'up', 'Block orders that would take total notional past this share of equity; above it the account goes reduce-only.'),
  'account.exposure.symbolLimitPct': f('Per-symbol exposure limit', '%', 'up', 'One symbol (or correlation group) as a share of equity.'),
  'account.correlationGroups': f('Correlation groups', '', 'any', 'Base assets that count as one, e.g. BTC ETH | SOL AVAX.'),
  'account.correlationAutoAbove': {
    ...f('Group correlated assets from', '', 'up', 'Assets whose hourly returns correlate at least this much also count as one group; empty: only the groups above.'),
    nullable: true,
  },
  'account.positionCount.warning': f('Open positions warning', '', 'up', 'Warn at this many open positions.'),
  'account.positionCount.limit': f('Open positions limit', '', 'up', 'Block new positions beyond this many.'),
  'account.minBalanceUsd': f('Minimum balance', '$', 'down', 'Block new risk below this balance.'),
  'account.riskScore.noticeAt': f('Risk score notice', '', 'up', 'Show a notice at this risk score (0-100).'),
  'account.riskScore.warningAt': f('Risk score warning', '', 'up', 'Warn, and trade at conservative leverage in auto mode.'),
  'account.riskScore.emergencyAt': f('Risk score emergency', '', 'up', 'At this risk score the account goes reduce-only while it lasts, and auto mode trades at emergency leverage.'),
  'account.flattenOnEmergency': f('Flatten on emergency', '', 'down', 'On an account emergency, close every position as well as halting.'),
  'leverage.mode': f('Leverage mode', '', 'any', 'auto picks conservative or emergency from the risk score; or fix one.', [
    'auto',
    'normal',
    'conservative',
    'emergency',
  ]),
  'leverage.normal': f('Normal leverage cap', '×', 'up', 'The cap in normal conditions.'),
  'leverage.conservative': f('Conservative leverage cap', '×', 'up', 'The cap at the risk-score warning.'),
  'leverage.emergency': f('Emergency leverage cap', '×', 'up', 'The cap at the risk-score emergency.'),
  'leverage.highVolatility.atrPct': f('High volatility from ATR', '%', 'up', 'ATR as % of price above which the high-volatility cap applies.'),
  'leverage.highVolatility.maxLeverage': f('High-volatility leverage cap', '×', 'up', 'The cap while volatility is high.'),
  ...level('MINIMAL'),
  ...level('LOW'),
  ...level('MEDIUM'),
  ...level('HIGH'),
  ...level('CRITICAL'),
  'position.maxDrawdownPct': f('Position drawdown limit', '%', 'up', 'Adverse price move × leverage: the share of the margin lost.'),
  'position.stopLossUsd': { ...f('Position stop loss', '$', 'up', 'Account-wide cap on one position’s loss; empty: the strategy’s stop only.'), nullable: true },
  'position.trailing.mode': f('Trailing stop', '', 'any', 'off, percent, or atr.', ['off', 'percent', 'atr']),
  'position.trailing.percent': f('Trailing stop distance', '%', 'up', 'Retrace from the best price that closes the position.'),
  'position.trailing.atrMultiple': f('Trailing stop in ATRs', '×', 'up', 'Retrace in ATR multiples (atr mode).'),
  'position.trailing.activationPct': f('Trail activation', '%', 'up', 'The trail arms once the best price is this far beyond entry.'),
  'position.maxTimeInTradeMin': { ...f('Maximum time in trade', 'min', 'up', 'Alert or close after this long; empty: no limit.'), nullable: true },
  'position.timeInTradeAction': f('At the time limit', '', 'any', 'alert, or close the position.', ['alert', 'close']),
  'position.minLiquidationDistancePct': f('Minimum distance to liquidation', '%', 'down', 'Act when liquidation comes closer than this.'),
  'tiers.warnAtPct': f('Warn at', '%', 'up', 'Warn when a position limit is this far used.'),
  'tiers.partialCloseAtPct': f('Partial close at', '%', 'up', 'Close part of the position at this share of the limit.'),
  'tiers.partialClosePct': f('Partial close size', '%', 'down', 'How much of the position the partial close takes.'),
  'tiers.fullCloseAtPct': f('Full close at', '%', 'up', 'Close the whole position at this share of the limit.'),
  'behaviour.coolingOffMin': f('Cooling-off after a breach', 'min', 'down', 'New risk is blocked this long after a limit is breached.'),
  'behaviour.probeSizePct': f('Probe size after cooling-off', '%', 'up', 'Half-open breaker: opening size as a share of what would pass.'),
  'behaviour.cleanIntervalMin': f('Clean interval', 'min', 'down', 'Half-open -> normal after this long without a breach.'),
  'behaviour.consecutiveLosses.threshold': f('Losing streak from', '', 'up', 'Losses in a row that start restricting leverage.'),
  'behaviour.consecutiveLosses.schedule': f('Losing-streak leverage schedule', '', 'any', 'losses:max leverage steps, e.g. 3:10, 5:5, 7:2.'),
  'behaviour.revenge.windowMin': f('Revenge-trade window', 'min', 'down', 'A larger re-entry this soon after a loss is flagged.'),
  'behaviour.revenge.sizeMultiple': f('Revenge size multiple', '×', 'up', 'Re-entry size, relative to the losing trade, that counts as revenge.'),
  'behaviour.maxTradesPerHour': f('Trades per hour', '', 'up', 'Overtrading limit over a rolling hour.'),
  'behaviour.maxTradesPerDay': f('Trades per day', '', 'up', 'Overtrading limit over a rolling 24 hours.'),
  'behaviour.maxOrdersPerMinute': f('Orders per minute', '', 'up', 'Order-rate limit in the page guard.'),
  'behaviour.duplicateWindowSec': f('Duplicate-order window', 's', 'down', 'The same order again within this time is flagged.'),
  'strategyDefaults.riskPerTradePct': f('Risk per trade', '%', 'up', 'Margin per trade as % of equity, for strategies not in the table.'),
  'strategyDefaults.stopLossUsd': f('Stop loss per trade', '$', 'up', 'Loss at the stop, for strategies not in the table.'),
  'strategyDefaults.maxDrawdownUsd': f('Strategy max drawdown', '$', 'up', 'Kill switch level, for strategies not in the table.'),
  'strategyDefaults.enabled': f('New strategies enabled', '', 'up', 'Whether a strategy seen for the first time may trade.'),
  'sizing.maxLossAtStopPct': f('Loss at the stop', '%', 'up', 'The 1% rule: loss at the stop as % of equity.'),
  'sizing.volatility.lowAtrPct': f('Calm below ATR', '%', 'up', 'Full size while ATR is below this % of price.'),
  'sizing.volatility.highAtrPct': f('Volatile above ATR', '%', 'up', 'Minimum size factor from this ATR % of price.'),
  'sizing.volatility.minFactor': f('Minimum volatility factor', '', 'up', 'Size factor (0.3-1) in high volatility.'),
  'sizing.balanceReferenceUsd': f('Balance reference', '$', 'down', 'Below this balance, sizes scale down in proportion.'),
  'sizing.kelly.minSamples': f('Kelly: minimum trades', '', 'down', 'Half-Kelly is not used below this many trades.'),
  'sizing.kelly.shrinkSamples': f('Kelly: shrinkage', '', 'down', 'Pulls a small sample’s Kelly fraction toward zero.'),
  'sizing.kelly.maxFraction': f('Kelly: maximum fraction', '', 'up', 'Upper bound of the Kelly fraction.'),
  'data.staleAfterSec': f('Stale after', 's', 'up', 'No fresh data for this long: STALE, risk-increasing orders blocked.'),
  'engine.pendingTimeoutSec': f('Close retry after', 's', 'any', 'A close not visibly executed after this long is asked for again.'),
  'rules.disabled': f('Rules turned off', '', 'grow', 'Rules that do not run at all.'),
  ...policy('tradingState', 'Halted or reducing', 'Trading HALTED (a limit, a break, flatten) or REDUCING and the order is not reduce-only.'),
  ...policy('killedStrategy', 'Killed strategy', 'The strategy is killed or disabled.'),
  ...policy('coolingOff', 'Cooling-off', 'A circuit breaker is open: cooling off after a breach.'),
  ...policy('leverageCap', 'Leverage above the cap', "The form's leverage is above the cap in force."),
  ...policy('sizeCap', 'Size above the cap', 'Margin, exposure or loss at the stop above its limit: a smaller size passes.'),
  ...policy('staleData', 'Stale data', 'No fresh account data, so the order cannot be checked.'),
  ...policy('other', 'Other blocks', 'Order rate, duplicate order, position count, minimum balance, unknown price.'),
  'guard.countdownSec': f('Override countdown', 's', 'down', 'How long "Place anyway" stays disabled under the countdown policy.'),
  'guard.phrase': f('Override phrase', '', 'any', 'What to type under the typed policy (case-sensitive).'),
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
