import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark } from './harness';

const dir = dirname(fileURLToPath(import.meta.url));
const prefix = process.argv[2] ?? '';
const wanted = (name: string) => name.startsWith(prefix);

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
let printed = 0;
for (const file of files) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default: Benchmark };
  const bench = mod.default;
  // The file's own name selects all of its figures (`npm run bench loop` runs bench/loop.bench.ts).
  const wantedHere = prefix === file.replace(/\.bench\.ts$/, '') ? () => true : wanted;
  if (!bench.figures.some(wantedHere)) continue;
  for (const fig of await bench.run(wantedHere)) {
    if (!wantedHere(fig.name)) continue;
    console.log(JSON.stringify(fig));
    printed += 1;
  }
}
if (printed === 0) {
  console.error(`No benchmark figure starts with "${prefix}".`);
  process.exit(1);
}
