// Writes docs/settings.md from the settings schema and its field descriptions.
import { writeFileSync } from 'node:fs';
import { renderSettingsDoc } from '../lib/risk/settings-doc';

writeFileSync(new URL('../docs/settings.md', import.meta.url), renderSettingsDoc());
console.log('wrote docs/settings.md');
