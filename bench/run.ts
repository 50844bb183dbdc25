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
  if (!bench.figures.some(wanted)) continue;
  for (const fig of await bench.run()) {
    if (!wanted(fig.name)) continue;
    console.log(JSON.stringify(fig));
    printed += 1;
  }
}
if (printed === 0) {
  console.error(`No benchmark figure starts with "${prefix}".`);
  process.exit(1);
}
