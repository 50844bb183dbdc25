/**
 * Selector registry: per field an ordered list of candidates, tried in order until one matches (stable ids first,
 * then data-testid, then ARIA, then visible text in English and Simplified Chinese; never hashed class names).
 * tests/unit/pages/<venue>-counts.ts gives the number of elements each field must match on every committed fixture
 * page, so a selector that drifts fails a unit test instead of failing silently on a user's screen.
 */
import { controlName, hasBackground, normText } from './dom';
import type { Detection, Venue } from './types';

export interface Candidate {
  /** CSS selector built from ids, data-testid, roles and tag names only. */
  css: string;
  /** The element's visible text (whitespace collapsed) must match. */
  text?: RegExp;
  /** The control's name (aria-label, <label>, placeholder, caption text beside it) must match. */
  name?: RegExp;
  /** Search only inside the ancestor `up` levels above the first element of another field. */
  near?: { field: string; up: number };
  /** Keep only elements painted with a background: a selected state shown by colour alone (no ARIA state). */
  filled?: boolean;
}

export interface FieldSpec {
  /** always: part of the page's skeleton, counted for detection; contextual: shown only in some states. */
  presence: 'always' | 'contextual';
  candidates: readonly Candidate[];
}

export interface SelectorRegistry<F extends string> {
  venue: Venue;
  fields: Readonly<Record<F, FieldSpec>>;
  /** Without these the guard cannot tell what is being sent: any of them missing means unrecognised. */
  critical: readonly F[];
}

export interface Resolved {
  /** Index of the candidate that matched; -1 when none did. */
  candidate: number;
  elements: Element[];
}

/** Per-read memo of the costly DOM reads, shared by all fields of one resolver (a click-time read is one pass). */
class ReadCache {
  private readonly queries = new Map<ParentNode, Map<string, Element[]>>();
  private readonly texts = new Map<Element, string>();
  private readonly names = new Map<Element, string>();

  query(scope: ParentNode, css: string): Element[] {
    let byCss = this.queries.get(scope);
    if (!byCss) this.queries.set(scope, (byCss = new Map()));
    let els = byCss.get(css);
    if (!els) byCss.set(css, (els = Array.from(scope.querySelectorAll(css))));
    return els;
  }

  /** Every text candidate is a short label: a long text (a whole widget) is stored as '' without normalising. */
  text(el: Element): string {
    let t = this.texts.get(el);
    if (t === undefined) {
      const raw = el.textContent ?? '';
      this.texts.set(el, (t = raw.length > 80 ? '' : normText(el)));
    }
    return t;
  }

  name(el: Element): string {
    let t = this.names.get(el);
    if (t === undefined) this.names.set(el, (t = controlName(el)));
    return t;
  }
}

export function matchCandidate(scope: ParentNode, c: Candidate, cache = new ReadCache()): Element[] {
  let els = cache.query(scope, c.css);
  if (c.text) {
    const re = c.text;
    els = els.filter((e) => re.test(cache.text(e)));
  }
  if (c.name) {
    const re = c.name;
    els = els.filter((e) => re.test(cache.name(e)));
  }
  if (c.filled) els = els.filter(hasBackground);
  return els;
}

/** Resolves fields against one root, each at most once (a click-time read touches each field once). */
export class FieldResolver<F extends string> {
  private readonly cache = new Map<F, Resolved>();
  private readonly reads = new ReadCache();

  constructor(
    readonly registry: SelectorRegistry<F>,
    readonly root: ParentNode,
  ) {}

  resolve(field: F, seen: ReadonlySet<F> = new Set()): Resolved {
    const hit = this.cache.get(field);
    if (hit) return hit;
    const spec = this.registry.fields[field];
    let out: Resolved = { candidate: -1, elements: [] };
    for (let i = 0; i < spec.candidates.length; i++) {
      const c = spec.candidates[i]!;
      const scopes = this.scopes(c, field, seen);
      const els = scopes.flatMap((s) => matchCandidate(s, c, this.reads));
      if (els.length > 0) {
        out = { candidate: i, elements: [...new Set(els)] };
        break;
      }
    }
    this.cache.set(field, out);
    return out;
  }

  first(field: F): Element | null {
    return this.resolve(field).elements[0] ?? null;
  }

  all(field: F): Element[] {
    return this.resolve(field).elements;
  }

  private scopes(c: Candidate, field: F, seen: ReadonlySet<F>): ParentNode[] {
    if (!c.near) return [this.root];
    const other = c.near.field as F;
    if (seen.has(other) || other === field) return []; // a cycle in the registry: match nothing rather than loop
    const anchor = this.resolve(other, new Set([...seen, field])).elements[0];
    let scope: Element | null | undefined = anchor;
    for (let i = 0; scope && i < c.near.up; i++) scope = scope.parentElement;
    return scope ? [scope] : [];
  }
}

/** Match count of every field, as the registry tests compare them with the expected counts. */
export function countFields<F extends string>(registry: SelectorRegistry<F>, root: ParentNode): Record<F, number> {
  const r = new FieldResolver(registry, root);
  const out = {} as Record<F, number>;
  for (const f of Object.keys(registry.fields) as F[]) out[f] = r.all(f).length;
  return out;
}

export function detectWith<F extends string>(registry: SelectorRegistry<F>, root: ParentNode): Detection<F> {
  const r = new FieldResolver(registry, root);
  const matched: F[] = [];
  const missing: F[] = [];
  const fallbacks: F[] = [];
  for (const f of Object.keys(registry.fields) as F[]) {
    const res = r.resolve(f);
    if (res.elements.length > 0) {
      matched.push(f);
      if (res.candidate > 0) fallbacks.push(f);
    } else if (registry.fields[f].presence === 'always') {
      missing.push(f);
    }
  }
  const status = registry.critical.some((f) => missing.includes(f))
    ? 'unrecognised'
    : missing.length > 0
      ? 'partial'
      : 'recognised';
  return { venue: registry.venue, status, matched, missing, fallbacks };
}
