/**
 * Small DOM helpers shared by the page adapters. Read-only: nothing here clicks, focuses or writes.
 * No `instanceof Element`: the content script's world and the tests' DOM have different globals.
 */

/** Text as a user reads it: whitespace (incl. nbsp) collapsed, trimmed. */
export function normText(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The symbol a positions-table row starts with: the row's first cell matched against the venue's symbol pattern. */
export function rowSymbol(button: Element, symbol: RegExp): string | null {
  const row = button.closest('[role=row], tr');
  const cell = row?.querySelector('[role=cell], [role=gridcell], td') ?? row;
  return symbol.exec(normText(cell))?.[1] ?? null;
}

export function isElement(x: unknown): x is Element {
  return typeof x === 'object' && x !== null && (x as Node).nodeType === 1;
}

/** The value of an input as React holds it (React keeps `.value` in step, not the attribute). */
export function inputValue(el: Element | null | undefined): string | null {
  if (!el) return null;
  const v = (el as HTMLInputElement).value;
  return typeof v === 'string' ? v : el.getAttribute('value');
}

/** Prices and sizes on an order form are positive: 0 or a negative number is not a reading. */
export function positive(v: number | null): number | null {
  return v !== null && v > 0 ? v : null;
}

/** An optional number field (TP, SL): empty means not set; text that does not parse is reported, never guessed. */
export function optionalNumber(el: Element | null | undefined, onUnreadable: () => void): number | null {
  const raw = inputValue(el)?.trim();
  if (!raw) return null;
  const v = positive(parseDecimal(raw));
  if (v === null) onUnreadable();
  return v;
}

/** Checked state of a native checkbox or an ARIA one. */
export function isChecked(el: Element | null | undefined): boolean {
  if (!el) return false;
  if (el.getAttribute('role') === 'checkbox' || el.getAttribute('role') === 'switch') {
    return el.getAttribute('aria-checked') === 'true';
  }
  return (el as HTMLInputElement).checked === true;
}

/** At most three levels and a handful of elements: checked without walking a big subtree. */
function isSmall(el: Element): boolean {
  if (el.childElementCount > 3) return false;
  for (const c of Array.from(el.children)) {
    if (c.childElementCount > 2) return false;
    for (const g of Array.from(c.children)) if (g.childElementCount > 0) return false;
  }
  return true;
}

// A caption sits right beside its control and is a small element with a short text: look at two siblings at
// most and never read the text of a whole neighbouring widget (that is slow on a big page, and not a caption).
function siblingText(el: Element, dir: 'previousElementSibling' | 'nextElementSibling'): string {
  let s = el[dir];
  for (let i = 0; s && i < 2; i++, s = s[dir]) {
    if (!isSmall(s)) return '';
    const raw = s.textContent ?? '';
    if (raw.length > 120) return '';
    const t = raw.replace(/\s+/g, ' ').trim();
    if (t) return t.length <= 40 ? t : '';
  }
  return '';
}

/**
 * Whether the element paints a background colour of its own (computed style: what the user sees, whatever class
 * produced it). Transparent, rgba(..., 0) and #rrggbb00 count as none.
 */
export function hasBackground(el: Element): boolean {
  const view = el.ownerDocument.defaultView;
  const bg = (view?.getComputedStyle(el).backgroundColor ?? '').trim().toLowerCase();
  if (!bg || bg === 'transparent' || bg === 'initial' || bg === 'none') return false;
  const rgba = /^rgba?\(([^)]*)\)$/.exec(bg);
  if (rgba?.[1]) {
    const parts = rgba[1].split(/[\s,/]+/).filter(Boolean);
    return parts.length < 4 || Number.parseFloat(parts[3] ?? '1') > 0;
  }
  if (/^#[0-9a-f]{8}$/.test(bg)) return !bg.endsWith('00');
  if (/^#[0-9a-f]{4}$/.test(bg)) return !bg.endsWith('0');
  return true;
}

/**
 * A form control's name as a user sees it: aria-label, aria-labelledby, <label for>, a wrapping <label>, the
 * placeholder, then the nearest labelling text beside it (before it for inputs; after it for checkboxes, whose
 * caption follows the box). Ancestors are tried up to two levels for the sibling text.
 */
export function controlName(el: Element): string {
  const aria = el.getAttribute('aria-label');
  if (aria?.trim()) return aria.replace(/\s+/g, ' ').trim();
  const doc = el.ownerDocument;
  const by = el.getAttribute('aria-labelledby');
  if (by) {
    const t = by
      .split(/\s+/)
      .map((id) => normText(doc.getElementById(id)))
      .join(' ')
      .trim();
    if (t) return t;
  }
  if (el.id) {
    for (const l of Array.from(doc.getElementsByTagName('label'))) {
      if ((l as HTMLLabelElement).htmlFor === el.id) {
        const t = normText(l);
        if (t) return t;
      }
    }
  }
  const wrap = el.closest('label');
  if (wrap) {
    const t = normText(wrap);
    if (t) return t;
  }
  const ph = el.getAttribute('placeholder');
  if (ph?.trim()) return ph.trim();
  const box = el.getAttribute('role') === 'checkbox' || (el as HTMLInputElement).type === 'checkbox';
  let node: Element | null = el;
  for (let up = 0; node && up < 3 && node !== doc.body; up++, node = node.parentElement) {
    const t = box
      ? siblingText(node, 'nextElementSibling') || siblingText(node, 'previousElementSibling')
      : siblingText(node, 'previousElementSibling');
    if (t) return t;
  }
  return '';
}

/**
 * Parses a number typed or shown on the page. Accepts `.` or `,` as the decimal mark and thin / normal spaces,
 * apostrophes or the other mark as grouping. Never guesses: `1,000` (a comma that could be either) gives null,
 * so the guard reports an unreadable field rather than a size off by a factor of 1000.
 */
export function parseDecimal(raw: string | null | undefined): number | null {
  if (raw == null) return null;
  let s = raw.replace(/[\s\u00a0\u202f']/g, '');
  if (!s) return null;
  const neg = s.startsWith('-');
  if (neg || s.startsWith('+')) s = s.slice(1);
  if (!/^[0-9.,]+$/.test(s)) return null;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let intPart: string;
  let frac: string;
  if (lastDot >= 0 && lastComma >= 0) {
    // Both marks: the later one is the decimal mark, the other groups thousands.
    const dec = lastDot > lastComma ? '.' : ',';
    const grp = dec === '.' ? ',' : '.';
    const at = s.lastIndexOf(dec);
    intPart = s.slice(0, at);
    frac = s.slice(at + 1);
    if (frac.includes(dec) || intPart.includes(dec) || !validGroups(intPart, grp)) return null;
    intPart = intPart.split(grp).join('');
  } else if (lastComma >= 0 || lastDot >= 0) {
    const mark = lastComma >= 0 ? ',' : '.';
    const parts = s.split(mark);
    if (parts.length > 2) {
      // 1,000,000 or 1.000.000: grouping only.
      if (!validGroups(s, mark)) return null;
      intPart = parts.join('');
      frac = '';
    } else {
      intPart = parts[0] ?? '';
      frac = parts[1] ?? '';
      // A lone comma with exactly three digits after a non-zero integer part reads both ways.
      if (mark === ',' && frac.length === 3 && intPart !== '' && intPart !== '0') return null;
    }
  } else {
    intPart = s;
    frac = '';
  }
  if (intPart === '' && frac === '') return null;
  const n = Number(`${intPart || '0'}.${frac || '0'}`);
  if (!Number.isFinite(n)) return null;
  return neg ? -n : n;
}

function validGroups(s: string, grp: string): boolean {
  const groups = s.split(grp);
  if (groups.length === 1) return /^\d+$/.test(s);
  return /^\d{1,3}$/.test(groups[0] ?? '') && groups.slice(1).every((g) => /^\d{3}$/.test(g));
}

/** `20x`, `Cross 20x`, `全仓 20X`, `12.5x` -> 20 / 12.5; null when the text carries no leverage. */
export function parseLeverage(text: string): number | null {
  const m = /(\d+(?:[.,]\d+)?)\s*[x×]$/i.exec(text.trim());
  if (!m?.[1]) return null;
  const n = Number(m[1].replace(',', '.'));
  return Number.isFinite(n) && n > 0 ? n : null;
}
