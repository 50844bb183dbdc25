import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import config, { VENUE_HOSTS } from '../../wxt.config';
import { CONTENT_MATCHES } from '@/lib/pages/match';

type ManifestFn = (env: { mode: string; browser: string; manifestVersion: 3; command: 'build' }) => {
  permissions?: string[];
  host_permissions?: string[];
};
const manifest = config.manifest as unknown as ManifestFn;
const doc = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8');
const build = (mode: string, browser = 'chrome') => manifest({ mode, browser, manifestVersion: 3, command: 'build' });

describe('manifest permissions', () => {
  it.each(['production', 'e2e', 'development'])('every permission of the %s build is justified in docs/permissions.md', (mode) => {
    const m = build(mode);
    for (const p of [...(m.permissions ?? []), ...(m.host_permissions ?? [])]) {
      expect(doc, `docs/permissions.md does not justify ${p}`).toContain(`\`${p}\``);
    }
  });

  it('asks for exactly the API permissions in use', () => {
    expect(build('production').permissions).toEqual(['storage', 'alarms', 'notifications']);
  });

  it('the store build has no local-simulator host permissions', () => {
    expect(build('production').host_permissions).toEqual(VENUE_HOSTS);
    expect(build('production', 'firefox').host_permissions).toEqual(VENUE_HOSTS);
    expect(build('e2e').host_permissions).toEqual([...VENUE_HOSTS, 'http://127.0.0.1/*', 'ws://127.0.0.1/*']);
  });

  it('every content-script match pattern is documented', () => {
    for (const pattern of Object.values(CONTENT_MATCHES).flat()) expect(doc).toContain(`\`${pattern}\``);
  });
});
