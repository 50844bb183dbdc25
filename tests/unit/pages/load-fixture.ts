/** Loads a committed fixture page into its own happy-dom Document (call from a happy-dom test file). */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const FIXTURE_DIR = resolve(__dirname, '..', '..', 'fixtures', 'pages');

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.html'))
    .map((f) => f.slice(0, -'.html'.length))
    .sort();
}

const cache = new Map<string, string>();

/** A fresh Document per call, so a test may change it without touching the others. */
export function loadFixture(name: string): Document {
  let html = cache.get(name);
  if (html === undefined) {
    html = readFileSync(join(FIXTURE_DIR, `${name}.html`), 'utf8');
    cache.set(name, html);
  }
  return new DOMParser().parseFromString(html, 'text/html');
}

/** A Document from an HTML snippet, for tests that need one particular arrangement. */
export function fromHtml(body: string): Document {
  return new DOMParser().parseFromString(`<!doctype html><html><body>${body}</body></html>`, 'text/html');
}
