import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { dropErrorTable, keepFuturesApi } from '@/lib/exchanges/shims/aliases';

const source = readFileSync('node_modules/ccxt/js/src/binance.js', 'utf8');
const client = readFileSync('lib/exchanges/binance/client.ts', 'utf8');

/** Section names of the describe()-level API table (16-space keys between its 12-space braces). */
function sections(code: string): string[] {
  const lines = code.split('\n');
  const start = lines.indexOf("            'api': {");
  const names: string[] = [];
  for (let i = start + 1; !/^ {12}\},?$/.test(lines[i]!); i++) {
    const m = /^ {16}'(\w+)': \{$/.exec(lines[i]!);
    if (m) names.push(m[1]!);
  }
  return names;
}

describe('the extension bundle keeps only the USD-M futures part of ccxt binance.js API table', () => {
  const cut = keepFuturesApi(source);

  it('drops spot, margin, coin-M, options and portfolio-margin sections and keeps every fapi one', () => {
    const before = sections(source);
    expect(before).toContain('sapi');
    expect(before).toContain('papi');
    expect(sections(cut)).toEqual(before.filter((s) => s.startsWith('fapi')));
    expect(source.length - cut.length).toBeGreaterThan(50_000);
  });

  it('still parses, and keeps the section of every endpoint the adapter calls', () => {
    expect(() => transformSync(cut, { loader: 'js', format: 'esm' })).not.toThrow();
    const kept = sections(cut);
    const used = [...client.matchAll(/^ {2}(fapi\w+): Call;$/gm)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(20);
    for (const name of used) {
      const section = kept.filter((s) => new RegExp(`^${s}(Get|Post|Put|Delete)[A-Z]`).test(name)).sort((a, b) => b.length - a.length)[0];
      expect(section, name).toBeDefined();
    }
  });

  it('leaves the rest of the file as it was', () => {
    const after = (code: string) => code.slice(code.indexOf("            'fees': {"));
    expect(after(cut)).toBe(after(source));
    expect(cut.slice(0, 2000)).toBe(source.slice(0, 2000));
  });

  it('fails loudly on a layout it does not recognise', () => {
    expect(() => keepFuturesApi('export default class binance {}')).toThrow('binance.js API table not found (ccxt layout changed?)');
    const noFutures = source.replace("                'fapiPrivate': {", "                'fapiPrivateX': {");
    expect(() => keepFuturesApi(noFutures)).toThrow('binance.js API table not recognised (ccxt layout changed?)');
  });
});

describe('the extension bundle empties binance.js error table', () => {
  const cut = dropErrorTable(source);
  const method = (code: string, name: string) => {
    const start = code.search(new RegExp(`^ {4}${name}\\(`, 'm'));
    const rest = code.slice(start + 1);
    return code.slice(start, start + 1 + rest.search(/^ {4}[a-zA-Z]+\(.*\{$/m));
  };

  it('is read only by handleErrors (and its getExceptionsByUrl), which Ringfence overrides', () => {
    const readers = method(source, 'handleErrors') + method(source, 'getExceptionsByUrl');
    expect(source.split('this.exceptions').length - 1).toBe(readers.split('this.exceptions').length - 1);
    expect(source.split('getExceptionsByUrl(').length - 1).toBe(readers.split('getExceptionsByUrl(').length - 1);
    expect(client).toMatch(/^ {2}override handleErrors\(/m);
  });

  it('is emptied, and nothing else changes', () => {
    expect(cut).toContain("            'exceptions': {},\n");
    expect(cut).not.toContain("'-1004': OperationFailed");
    expect(source.length - cut.length).toBeGreaterThan(50_000);
    expect(() => transformSync(cut, { loader: 'js', format: 'esm' })).not.toThrow();
    const head = source.slice(0, source.indexOf("            'exceptions': {"));
    expect(cut.startsWith(head)).toBe(true);
    expect(cut.endsWith(source.slice(source.indexOf("            'rollingWindowSize'")))).toBe(true);
  });
});
