/** Bundle sizes: gzip -9 of the production Chrome build, per context (a page counts every file its HTML loads). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineBenchmark, round, type Figure } from './harness';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.output', 'chrome-mv3');
const gz = (file: string) => gzipSync(readFileSync(join(out, file)), { level: 9 }).length;
const kb = (bytes: number) => round(bytes / 1024, 2);

/** Files an extension page loads: its scripts, modulepreloads and stylesheets (shared chunks included). */
function pageFiles(html: string): string[] {
  const text = readFileSync(join(out, html), 'utf8');
  const refs = [...text.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]!.replace(/^\//, ''));
  return [html, ...new Set(refs)];
}

export default defineBenchmark({
  figures: [
    'bundle.background.gzip_kb',
    'bundle.content.binance.gzip_kb',
    'bundle.content.hyperliquid.gzip_kb',
    'bundle.popup.gzip_kb',
    'bundle.options.gzip_kb',
  ],
  async run() {
    // Measure what the code is now, not a stale build.
    execFileSync(join(root, 'node_modules', '.bin', 'wxt'), ['build'], { cwd: root, stdio: 'ignore' });
    const sum = (files: string[]) => files.reduce((a, f) => a + gz(f), 0);
    const figs: Figure[] = [
      { name: 'bundle.background.gzip_kb', value: kb(gz('background.js')), unit: 'KB', n: 1 },
      ...(['binance', 'hyperliquid'] as const).map((site) => ({
        name: `bundle.content.${site}.gzip_kb`,
        value: kb(sum([`content-scripts/${site}.js`, `content-scripts/${site}.css`])),
        unit: 'KB',
        n: 1,
      })),
      { name: 'bundle.popup.gzip_kb', value: kb(sum(pageFiles('popup.html'))), unit: 'KB', n: 1 },
      { name: 'bundle.options.gzip_kb', value: kb(sum(pageFiles('options.html'))), unit: 'KB', n: 1 },
    ];
    return figs;
  },
});
