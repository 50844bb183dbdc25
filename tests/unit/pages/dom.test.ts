// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { controlName, hasBackground, isChecked, parseDecimal, parseLeverage } from '@/lib/pages/dom';
import { fromHtml } from './load-fixture';

describe('parseDecimal', () => {
  it.each([
    ['97000.0', 97000],
    ['0.010', 0.01],
    ['0,01', 0.01],
    ['250,5', 250.5],
    ['0,001', 0.001],
    ['97000,5', 97000.5],
    ['1,000.5', 1000.5],
    ['1.000,5', 1000.5],
    ['1,234,567.89', 1234567.89],
    ['1.234.567,89', 1234567.89],
    ['1,000,000', 1000000],
    ['96 500.5', 96500.5],
    ['96\u00a0500,5', 96500.5],
    ["1'000.25", 1000.25],
    ['.5', 0.5],
    ['5.', 5],
    ['-3.5', -3.5],
    ['+2', 2],
    ['  42  ', 42],
    ['1.000', 1], // a dot is a decimal mark on these pages
  ])('%j -> %d', (raw, n) => {
    expect(parseDecimal(raw)).toBe(n);
  });

  it.each([
    '1,000', // a thousand or one? never guess
    '12,345',
    '',
    '   ',
    ',',
    '.',
    'abc',
    '1e5',
    '12.3.4',
    '1,2,3',
    '1,000.000,5',
    '10 USDT',
    '--1',
  ])('%j -> null', (raw) => {
    expect(parseDecimal(raw)).toBeNull();
  });

  it('treats null and undefined as absent', () => {
    expect(parseDecimal(null)).toBeNull();
    expect(parseDecimal(undefined)).toBeNull();
  });
});

describe('parseLeverage', () => {
  it.each([
    ['Cross 20x', 20],
    ['全仓 20x', 20],
    ['逐仓 125X', 125],
    ['Isolated 12.5x', 12.5],
    ['20x', 20],
    ['20 x', 20],
    ['20×', 20],
    ['10,5x', 10.5],
  ])('%s -> %d', (text, n) => {
    expect(parseLeverage(text)).toBe(n);
  });

  it.each(['Cross', '0x', 'x', '20', 'Cross 20x more', ''])('%j -> null', (text) => {
    expect(parseLeverage(text)).toBeNull();
  });
});

describe('controlName', () => {
  it.each([
    ['<input aria-label="Price" id="t" />', 'Price'],
    ['<span id="l1">Stop</span><span id="l2">Price</span><input aria-labelledby="l1 l2" id="t" />', 'Stop Price'],
    ['<label for="t">Size</label><div><input id="t" /></div>', 'Size'],
    ['<label> Reduce Only <input type="checkbox" id="t" /></label>', 'Reduce Only'],
    ['<input placeholder="Amount" id="t" />', 'Amount'],
    ['<div><div>Price (USDC)</div><input id="t" /><button>Mid</button></div>', 'Price (USDC)'],
    ['<div><div>TP Price</div><div><input id="t" /></div></div>', 'TP Price'],
    ['<div><div role="checkbox" id="t"></div><span>TP/SL</span></div>', 'TP/SL'],
    ['<div><input id="t" /></div>', ''],
  ])('%s -> %j', (html, name) => {
    const doc = fromHtml(html);
    expect(controlName(doc.getElementById('t')!)).toBe(name);
  });
});

describe('isChecked', () => {
  it('reads native and ARIA checkboxes', () => {
    const doc = fromHtml(
      '<input type="checkbox" id="a" checked /><input type="checkbox" id="b" /><div role="checkbox" aria-checked="true" id="c"></div><div role="checkbox" aria-checked="mixed" id="d"></div>',
    );
    expect(['a', 'b', 'c', 'd'].map((id) => isChecked(doc.getElementById(id)))).toEqual([true, false, true, false]);
    expect(isChecked(null)).toBe(false);
  });
});

describe('hasBackground', () => {
  it.each([
    ['background-color: rgb(80, 210, 193)', true],
    ['background-color: rgba(237, 112, 136, 0.5)', true],
    ['background: #50d2c1', true],
    ['background-color: red', true],
    ['background-color: transparent', false],
    ['background-color: rgba(0, 0, 0, 0)', false],
    ['background-color: #50d2c100', false],
    ['color: red', false],
  ])('%s -> %s', (style, filled) => {
    const doc = fromHtml(`<button style="${style}">Buy / Long</button>`);
    expect(hasBackground(doc.querySelector('button')!)).toBe(filled);
  });

  it('sees a background that comes from a class in a style sheet', () => {
    const doc = fromHtml('<style>.x7 { background: #ed7088 }</style><button class="x7">a</button><button>b</button>');
    expect([...doc.querySelectorAll('button')].map(hasBackground)).toEqual([true, false]);
  });
});
