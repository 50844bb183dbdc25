/** Conventions the risk library keeps, enforced: every rule registered, in its own file, documented and tested. */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../lib/risk/rules';
import { RULE_IDS } from '../../../lib/risk/types';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');
/** Shared helpers in lib/risk/rules that are not rules. */
const HELPERS = new Set(['index.ts', 'rule.ts', 'period-loss.ts']);

describe('risk rule conventions', () => {
  it('registers every rule id exactly once, in RULE_IDS order', () => {
    expect(RULES.map((r) => r.id)).toEqual([...RULE_IDS]);
  });

  it('keeps one rule per file, named after its id, and registers every rule file', () => {
    const files = readdirSync(join(root, 'lib/risk/rules')).filter((f) => f.endsWith('.ts') && !HELPERS.has(f));
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual([...RULE_IDS].sort());
    for (const id of RULE_IDS) expect(read(`lib/risk/rules/${id}.ts`)).toMatch(new RegExp(`id: '${id}'`));
  });

  it('documents every rule in docs/risk-rules.md with its formula, default and source', () => {
    const doc = read('docs/risk-rules.md');
    const sections = doc.split(/^### /m).slice(1);
    const byId = new Map(sections.map((s) => [s.slice(0, s.indexOf('\n')).trim(), s]));
    for (const id of RULE_IDS) {
      const section = byId.get(`\`${id}\``);
      expect(section, `docs/risk-rules.md has no "### \`${id}\`" section`).toBeDefined();
      for (const field of ['Formula', 'Defaults', 'Source']) expect(section, `${id} section lacks ${field}`).toContain(`**${field}**`);
    }
    expect([...byId.keys()].filter((k) => !RULE_IDS.includes(k.replace(/`/g, '') as never))).toEqual([]);
  });

  it('has a test file per rule that imports and exercises it', () => {
    for (const rule of RULES) {
      const text = read(`tests/unit/risk/rules/${rule.id}.test.ts`);
      expect(text, rule.id).toContain(`lib/risk/rules/${rule.id}'`);
      expect(text, rule.id).toMatch(/\.evaluate\(/);
    }
  });

  it('keeps lib/risk pure: no chrome, storage, network or clock', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(join(root, dir), { withFileTypes: true }))
        e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.ts') && files.push(`${dir}/${e.name}`);
    };
    walk('lib/risk');
    for (const f of files) {
      const code = read(f).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code, f).not.toMatch(/\bchrome\.|\bbrowser\.|dexie|indexedDB|\bfetch\(|WebSocket|Date\.now\(|new Date\(\)|Math\.random|performance\.now/);
    }
  });
});
