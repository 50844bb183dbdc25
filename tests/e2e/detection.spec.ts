import { serveFixture } from './browser';
import { expect, screenshot, test } from './fixtures';

test('the panel shows whether it recognises the page, and says so when it does not', async ({ context }) => {
  const page = await context.newPage();
  const line = page.getByTestId('rf-detection');

  await page.goto('https://www.binance.com/en/futures/BTCUSDT');
  await expect(line).toHaveAttribute('data-status', 'recognised');
  await expect(line).toContainText('Page recognised');

  await page.goto('https://www.binance.com/zh-CN/futures/BTCUSDT');
  await expect(line).toHaveAttribute('data-status', 'recognised');

  await serveFixture(context, 'https://app.hyperliquid.xyz/trade/xyz:XYZ100', 'hyperliquid-builder-dex');
  await page.goto('https://app.hyperliquid.xyz/trade/xyz:XYZ100');
  await expect(page.getByTestId('rf-panel-symbol')).toHaveText('xyz:XYZ100');
  await expect(line).toHaveAttribute('data-status', 'recognised');

  // A redesign: the panel stays (passive) and says it cannot check orders here.
  await serveFixture(context, 'https://www.binance.com/en/futures/XRPUSDT', 'binance-futures-redesign');
  await page.goto('https://www.binance.com/en/futures/XRPUSDT');
  await expect(line).toHaveAttribute('data-status', 'unrecognised');
  await expect(line).toContainText('Page not recognised');
  await expect(line).toContainText('Orders are not checked on this layout');
  await screenshot(page, 'panel-binance-unrecognised');

  await serveFixture(context, 'https://app.hyperliquid.xyz/trade/SOL', 'hyperliquid-redesign');
  await page.goto('https://app.hyperliquid.xyz/trade/SOL');
  await expect(line).toHaveAttribute('data-status', 'unrecognised');
});
