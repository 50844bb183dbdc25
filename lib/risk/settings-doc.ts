/** Renders docs/settings.md from the schema's defaults and SETTING_FIELDS (a test keeps the file in step). */
import { DEFAULT_RISK_SETTINGS } from './settings';
import { SETTING_FIELDS, SETTING_GROUPS } from './settings-fields';
import { SETTING_HELP } from './settings-help';
import { marketSettingsDocLines } from '../market/settings-doc';

const get = (path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], DEFAULT_RISK_SETTINGS as unknown);
const LOOSENS = { up: 'raising it', down: 'lowering it', any: 'any change', grow: 'adding an item' } as const;

export function renderSettingsDoc(): string {
  const out: string[] = [
    '# Settings file',
    '',
    '<!-- Generated from lib/risk/settings-fields.ts and the schema in lib/risk/settings.ts: `npx tsx scripts/write-settings-doc.ts`. -->',
    '',
    'Ringfence exports its risk settings as one JSON file and imports the same format (options page, Limits):',
    '',
    '```json',
    '{ "format": "ringfence.settings", "version": 1, "exportedAt": "2026-11-21T12:00:00.000Z", "settings": { ... } }',
    '```',
    '',
    '- `format` must be `ringfence.settings`, `version` must be `1` and `settings` must be an object (`{}` takes every',
    '  default); `exportedAt` is optional and no other key is allowed. Anything else is refused and nothing changes.',
    '- `settings` follows the schema below. Missing fields take their defaults; unknown fields are refused; every',
    '  problem is reported with its field path, and a file with any problem changes nothing.',
    '- Contradictory values are refused as well (a warning at or above its limit, a daily limit above the weekly one,',
    '  conservative leverage above normal, and so on).',
    '- While the settings are locked, a change that loosens a setting is refused; the "loosened by" column says which change does.',
    '  The lock covers every other path to a limit too (it ends at its time and can only be extended): in the strategy',
    '  table a higher risk per trade, stop loss or max drawdown, enabling a strategy, widening its symbol, resetting its',
    '  kill switch or adding a row looser than `strategyDefaults`; any change to the attribution rules; a weaker strategy',
    '  mode (no override counts as any account\'s mode, so only "account\'s mode -> enforce" and "monitor -> account\'s',
    '  mode" pass); a weaker account mode, a dead-man\'s switch turned off or lengthened, and removing an account.',
    '- The file holds no account, key or secret.',
    '',
    'Units: % is percent (0-100, of equity unless said otherwise), $ is the quote asset (USDT or USDC), min minutes,',
    's seconds, × leverage. In the options page\'s forms a number takes a dot for decimals and a comma only between',
    'thousands (`10,000`, `1,000.5`); a comma that could be a decimal mark (`1,5`) is refused, never guessed.',
  ];
  for (const g of SETTING_GROUPS) {
    out.push('', `## ${g.title}`, '', '| path | setting | unit | default | loosened by | help |', '|---|---|---|---|---|---|');
    for (const [path, m] of Object.entries(SETTING_FIELDS)) {
      if (!path.startsWith(`${g.prefix}.`)) continue;
      const def = get(path);
      const shown = def === null ? 'null (no limit)' : JSON.stringify(def);
      const opts = m.options ? ` One of ${m.options.map((o) => `\`${o}\``).join(', ')}.` : '';
      out.push(`| \`${path}\` | ${m.label} | ${m.unit} | \`${shown}\` | ${LOOSENS[m.loosens]} | ${SETTING_HELP[path] ?? ''}${opts} |`);
    }
  }
  out.push(...marketSettingsDocLines());
  return `${out.join('\n')}\n`;
}
