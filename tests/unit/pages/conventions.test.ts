import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..', '..');
const PAGES = join(ROOT, 'lib', 'pages');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

// Comments may name what the code never does; only code counts.
const code = (p: string) =>
  readFileSync(p, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');

describe('lib/pages conventions', () => {
  const files = sources(PAGES);

  it('finds the adapter sources', () => {
    expect(files.map((f) => relative(PAGES, f)).sort()).toEqual(
      expect.arrayContaining(['binance/adapter.ts', 'binance/registry.ts', 'hyperliquid/adapter.ts', 'hyperliquid/registry.ts']),
    );
  });

  it.each([
    ['clicks, focuses or dispatches events', /\.(click|focus|blur|submit|requestSubmit|dispatchEvent)\s*\(/],
    ['writes to the page', /\.(value|checked|textContent|innerHTML|outerHTML|innerText)\s*=[^=]|\.(setAttribute|removeAttribute|append|appendChild|prepend|remove|insertAdjacentHTML|replaceWith)\s*\(/],
    ['uses extension APIs', /\b(chrome|browser)\.\w/],
    ['reads cookies or storage', /document\.cookie|localStorage|sessionStorage|indexedDB/],
    ['imports zod at run time (content-script budget)', /^import\s+(?!type\b)[^;]*from\s+'zod'/m],
  ])('never %s', (_what, pattern) => {
    for (const f of files) expect(code(f), relative(ROOT, f)).not.toMatch(pattern);
  });

  it('uses kebab-case file names', () => {
    for (const f of files) expect(relative(PAGES, f)).toMatch(/^([a-z0-9]+(-[a-z0-9]+)*\/)*[a-z0-9]+(-[a-z0-9]+)*\.ts$/);
  });
});
