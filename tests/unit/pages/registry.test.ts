// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BINANCE_REGISTRY } from '@/lib/pages/binance/registry';
import { HYPERLIQUID_REGISTRY } from '@/lib/pages/hyperliquid/registry';
import { countFields, FieldResolver, type Candidate, type SelectorRegistry } from '@/lib/pages/registry';
import { expectedCount, VENUE_COUNTS } from './expected-counts';
import { FIXTURE_URLS } from './fixture-urls';
import { FIXTURE_DIR, fixtureNames, fromHtml, loadFixture } from './load-fixture';

/** 0 id, 1 data-testid, 2 ARIA role/state, 3 visible text or label (the GUIDE's order of stability). */
function tier(c: Candidate): number {
  if (c.text || c.name || c.near) return 3;
  if (/\[id\^=|#/.test(c.css)) return 0;
  if (c.css.includes('data-testid')) return 1;
  if (/role=|aria-/.test(c.css)) return 2;
  return 3;
}

describe.each(VENUE_COUNTS.map((v) => [v.registry.venue, v] as const))('%s selector registry', (venue, v) => {
  const registry: SelectorRegistry<string> = v.registry;
  const fields = Object.keys(registry.fields);

  // Registry x fixtures: a field added without counts, or a selector that drifts, fails here.
  describe.each(v.fixtures.map((f) => [f]))('on %s.html', (fixture) => {
    it('matches the expected number of elements for every field', () => {
      const counts = countFields(registry, loadFixture(fixture));
      const expected = Object.fromEntries(fields.map((f) => [f, expectedCount(v, f, fixture)]));
      expect(counts).toEqual(expected);
    });
  });

  it('counts every fixture page of its venue, plus the unrelated page', () => {
    const own = fixtureNames().filter((f) => f.startsWith(`${venue}-`) || f === 'unrelated');
    expect([...v.fixtures].sort()).toEqual(own);
  });

  it('has counts for exactly the registry fields, one per fixture', () => {
    expect(Object.keys(v.counts).sort()).toEqual([...fields].sort());
    for (const f of fields) expect(v.counts[f], f).toHaveLength(v.fixtures.length);
  });

  it('never relies on class names', () => {
    for (const f of fields) {
      for (const c of registry.fields[f]!.candidates) {
        expect(c.css, `${venue}.${f}`).not.toMatch(/\.[A-Za-z_-]|\[class/);
      }
    }
  });

  it('orders candidates from the most stable to the least', () => {
    for (const f of fields) {
      const tiers = registry.fields[f]!.candidates.map(tier);
      expect(tiers, `${venue}.${f}`).toEqual([...tiers].sort((a, b) => a - b));
    }
  });

  it('has critical fields that are always on the page and present on some fixture', () => {
    for (const f of registry.critical) {
      expect(registry.fields[f]!.presence).toBe('always');
      expect(Math.max(...v.counts[f]!)).toBeGreaterThan(0);
    }
  });

  it('has a URL for every fixture', () => {
    for (const f of v.fixtures) expect(FIXTURE_URLS[f], f).toBeDefined();
  });
});

describe('FieldResolver', () => {
  it('takes the first candidate that matches, in order, and no later one', () => {
    const doc = fromHtml('<button>Isolated</button><button>10x</button><button>3x</button>');
    const r = new FieldResolver(BINANCE_REGISTRY, doc);
    expect(r.resolve('leverage')).toEqual({ candidate: 1, elements: [doc.querySelectorAll('button')[1], doc.querySelectorAll('button')[2]] });
    const combined = fromHtml('<button>Cross 20x</button><button>10x</button>');
    expect(new FieldResolver(BINANCE_REGISTRY, combined).resolve('leverage').candidate).toBe(0);
    expect(new FieldResolver(BINANCE_REGISTRY, combined).all('leverage').map((e) => e.textContent)).toEqual(['Cross 20x']);
  });

  it('reports candidate -1 and no elements when nothing matches', () => {
    expect(new FieldResolver(BINANCE_REGISTRY, fromHtml('<p>nothing</p>')).resolve('submit')).toEqual({ candidate: -1, elements: [] });
  });

  it('searches a near candidate only beside its anchor field', () => {
    // The coin switch next to the Size input counts; the Mid button beside the price does not.
    const doc = fromHtml(
      '<div><span>Price (USDC)</span><input value="1" /><button>Mid</button></div>' +
        '<div><span>Size</span><input value="2" /><button>ETH</button></div>',
    );
    expect(new FieldResolver(HYPERLIQUID_REGISTRY, doc).all('sizeUnit').map((e) => e.textContent)).toEqual(['ETH']);
    // Without the anchor there is no scope at all.
    expect(new FieldResolver(HYPERLIQUID_REGISTRY, fromHtml('<div><button>ETH</button></div>')).all('sizeUnit')).toEqual([]);
  });
});

describe('tests/fixtures/pages/README.md', () => {
  it('lists every fixture page with the URL it stands for', () => {
    const readme = readFileSync(join(FIXTURE_DIR, 'README.md'), 'utf8');
    for (const name of fixtureNames()) {
      const line = readme.split('\n').find((l) => l.startsWith(`| \`${name}.html\``));
      expect(line, name).toBeDefined();
      expect(line).toContain(` ${FIXTURE_URLS[name]} `);
    }
  });
});
