import { defineConfig } from '@playwright/test';

// One worker: the machines have 2 cores and each test runs its own Chromium with the extension loaded.
export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  // Not test-results itself: Playwright empties its outputDir, which holds the unit report and screenshots too.
  outputDir: 'test-results/playwright',
});
