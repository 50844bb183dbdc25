/**
 * The real payloads and candles live outside the project, in ../shared/fixtures (CI has it; never copy them in).
 * Suites that read them use `describeFixtures`, which runs them when the folder exists and otherwise registers one
 * skipped test that says why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES_DIR = process.env.RINGFENCE_FIXTURES ?? resolve(root, '..', 'shared', 'fixtures');
export const hasFixtures = existsSync(FIXTURES_DIR);

/** Path inside the fixtures folder, e.g. fixturePath('real', 'binance', 'nautilus_position_risk.json'). */
export const fixturePath = (...parts: string[]) => join(FIXTURES_DIR, ...parts);
export const readFixtureJson = <T = unknown>(...parts: string[]): T =>
  JSON.parse(readFileSync(fixturePath(...parts), 'utf8')) as T;

export function describeFixtures(name: string, body: () => void): void {
  if (hasFixtures) {
    describe(name, body);
  } else {
    describe(name, () => {
      it.skip(`skipped: ${FIXTURES_DIR} does not exist (the real-payload suite runs where ../shared/fixtures is present)`, () => {});
    });
  }
}
