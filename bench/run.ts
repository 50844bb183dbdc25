import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark } from './harness';

const dir = dirname(fileURLToPath(import.meta.url));
const ONLY = '--only';

/** Prints the figures of one bench file that start with `prefix` (all of them when the prefix is the file's name). */
async function runFile(file: string, prefix: string): Promise<void> {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default: Benchmark };
  const bench = mod.default;
  // The file's own name selects all of its figures (`npm run bench loop` runs bench/loop.bench.ts).
  const wanted = prefix === file.replace(/\.bench\.ts$/, '') ? () => true : (name: string) => name.startsWith(prefix);
  if (!bench.figures.some(wanted)) return;
  for (const fig of await bench.run(wanted)) if (wanted(fig.name)) console.log(JSON.stringify(fig));
}

/**
 * A fixed loop of plain arithmetic, timed: the machine's speed at that moment. Shared machines vary (the same loop
 * has taken from 230 ms to over 500 ms within minutes here), so each file's figures come with it on stderr.
 */
function calibrationMs(): number {
  const t = performance.now();
  let x = 0;
  for (let i = 0; i < 1e8; i++) x += i % 7;
  const ms = performance.now() - t;
  return x < 0 ? -1 : Math.round(ms);
}

/**
 * A fixed memory-bound loop, timed: 8 copies of 32 MB, well past the caches. The arithmetic loop can read calm while
 * memory is contended (market.analysis_50k reads and writes about 25 MB per call), so both are printed.
 */
function memoryMs(): number {
  const a = new Float64Array(4_000_000);
  const b = new Float64Array(4_000_000);
  const t = performance.now();
  for (let r = 0; r < 8; r++) for (let i = 0; i < a.length; i++) a[i] = b[i]! + r;
  const ms = performance.now() - t;
  return a[0] === 7 ? Math.round(ms) : -1;
}

if (process.argv[2] === ONLY) {
  // A child: one file's wanted figures, printed; the parent counts them (none is not an error for one file).
  await runFile(process.argv[3]!, process.argv[4] ?? '');
} else {
  const prefix = process.argv[2] ?? '';
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  // Each file in a fresh process: one file's modules (Playwright, ccxt, the simulator) and garbage would otherwise
  // sit in the next one's heap and slow its collections (about 3 ms of market.analysis_50k's 25 ms).
  let printed = 0;
  for (const file of files) {
    const before = calibrationMs();
    const memBefore = memoryMs();
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ONLY, file, prefix], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    process.stdout.write(child.stdout);
    const lines = child.stdout.split('\n').filter((l) => l.startsWith('{')).length;
    if (lines > 0) {
      console.error(`bench/${file}: calibration loop ${before} ms before, ${calibrationMs()} ms after; memory loop ${memBefore} ms before, ${memoryMs()} ms after (lower is faster)`);
    }
    printed += lines;
    if (child.status !== 0) {
      console.error(`bench/${file} failed (exit ${child.status ?? child.signal}).`);
      process.exit(1);
    }
  }
  if (printed === 0) {
    console.error(`No benchmark figure starts with "${prefix}".`);
    process.exit(1);
  }
}
