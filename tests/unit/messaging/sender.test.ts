import { describe, expect, it } from 'vitest';
import { classifySender } from '@/lib/messaging/sender';

const ctx = { extensionId: 'ext', extensionBaseUrl: 'chrome-extension://ext/' };

describe('classifySender', () => {
  it('accepts our own pages, with or without a tab', () => {
    expect(classifySender({ id: 'ext', url: 'chrome-extension://ext/popup.html' }, ctx)).toEqual({
      class: 'extension',
      url: 'chrome-extension://ext/popup.html',
    });
    expect(classifySender({ id: 'ext', url: 'chrome-extension://ext/options.html', tab: { id: 3 } }, ctx)?.class).toBe(
      'extension',
    );
  });

  it('accepts our content script in the top frame of a trading page', () => {
    expect(
      classifySender({ id: 'ext', url: 'https://www.binance.com/en/futures/BTCUSDT', tab: { id: 5 }, frameId: 0 }, ctx),
    ).toEqual({
      class: 'content',
      tabId: 5,
      frameId: 0,
      url: 'https://www.binance.com/en/futures/BTCUSDT',
      page: { venue: 'binance', symbol: 'BTCUSDT' },
    });
  });

  it.each([
    ['another extension', { id: 'other', url: 'chrome-extension://ext/popup.html' }],
    ['no id', { url: 'chrome-extension://ext/popup.html' }],
    ['no url', { id: 'ext' }],
    ['a spot page', { id: 'ext', url: 'https://www.binance.com/en/trade/BTC_USDT', tab: { id: 5 }, frameId: 0 }],
    ['an unrelated site', { id: 'ext', url: 'https://example.com/', tab: { id: 5 }, frameId: 0 }],
    ['a sub-frame', { id: 'ext', url: 'https://app.hyperliquid.xyz/trade/BTC', tab: { id: 5 }, frameId: 3 }],
    ['no tab', { id: 'ext', url: 'https://app.hyperliquid.xyz/trade/BTC', frameId: 0 }],
    ['a look-alike extension url', { id: 'ext', url: 'chrome-extension://ext2/popup.html' }],
  ])('refuses %s', (_label, sender) => {
    expect(classifySender(sender, ctx)).toBeNull();
  });

  it('refuses undefined', () => {
    expect(classifySender(undefined, ctx)).toBeNull();
  });
});
