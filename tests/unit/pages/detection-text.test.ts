// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { binanceAdapter } from '@/lib/pages/binance/adapter';
import { BINANCE_REGISTRY } from '@/lib/pages/binance/registry';
import { detectionText, FIELD_WORDS } from '@/lib/pages/detection-text';
import { hyperliquidAdapter } from '@/lib/pages/hyperliquid/adapter';
import { HYPERLIQUID_REGISTRY } from '@/lib/pages/hyperliquid/registry';
import { loadFixture } from './load-fixture';

describe('detectionText', () => {
  it.each([
    ['binance', 'binance-futures', { title: 'Page recognised', detail: 'Orders are checked before they leave.' }],
    ['binance', 'binance-futures-market', { title: 'Page recognised', detail: 'Orders are checked; found by fallback: leverage.' }],
    [
      'binance',
      'binance-futures-redesign',
      {
        title: 'Page not recognised',
        detail: 'Orders are not checked on this layout (not found: order buttons, order type, leverage, margin mode, size unit).',
      },
    ],
    ['hyperliquid', 'hyperliquid-builder-dex', { title: 'Page recognised', detail: 'Orders are checked; found by fallback: selected side.' }],
  ] as const)('%s %s', (venue, fixture, text) => {
    const adapter = venue === 'binance' ? binanceAdapter : hyperliquidAdapter;
    expect(detectionText(adapter.detect(loadFixture(fixture)))).toEqual(text);
  });

  it('names what is missing on a partial page', () => {
    const doc = loadFixture('binance-futures');
    [...doc.querySelectorAll('button')].find((b) => b.textContent === 'Cross 20x')!.remove();
    expect(detectionText(binanceAdapter.detect(doc))).toEqual({
      title: 'Page partly recognised',
      detail: 'Orders are checked without: leverage, margin mode.',
    });
  });

  it('has words for every registry field, and none for fields that do not exist', () => {
    const fields = new Set([...Object.keys(BINANCE_REGISTRY.fields), ...Object.keys(HYPERLIQUID_REGISTRY.fields)]);
    expect(Object.keys(FIELD_WORDS).sort()).toEqual([...fields].sort());
  });
});
