// Prints the counts of the run `npm test` just made, ending with one plain line: "tests: N passed, N failed, N skipped".
import { readFileSync } from 'node:fs';

const read = (f) => JSON.parse(readFileSync(new URL(`../test-results/${f}`, import.meta.url), 'utf8'));
const unit = read('vitest.json');
const e2e = read('e2e.json').stats;
const rows = [
  ['unit', unit.numPassedTests, unit.numFailedTests, unit.numPendingTests + unit.numTodoTests],
  ['e2e', e2e.expected + e2e.flaky, e2e.unexpected, e2e.skipped],
];
for (const [name, p, f, s] of rows) console.log(`${name}: ${p} passed, ${f} failed, ${s} skipped`);
const [p, f, s] = [1, 2, 3].map((i) => rows.reduce((a, r) => a + r[i], 0));
console.log(`tests: ${p} passed, ${f} failed, ${s} skipped`);
process.exit(f > 0 ? 1 : 0);
