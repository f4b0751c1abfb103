/**
 * Runs one operation at one size in this (fresh) process and prints one JSON
 * line, so that the peak RSS is that operation's own.
 * Usage (bench/run.ts bundles it first): node child.js <area> <operation index> <n>
 */
import { areas } from './areas/index.js';
import type { Measurement } from './harness.js';

const [area, index, size] = process.argv.slice(2);
const op = areas[area as string]?.[Number(index)];
if (op === undefined) throw new Error(`no operation ${index} in area ${area}`);
const n = Number(size);
const context = await op.setup(n);
const budgetMs = Number(process.env.PROMOLENS_BENCH_BUDGET_MS ?? 20_000);
const times: number[] = [];
let result: unknown;
let spent = 0;
// Collect the previous run's garbage first, so the peak RSS is one run's, not several runs' leftovers.
// A forced full collection also leaves the caches cold (reading 16 MB after it took 5 ms where the warm
// read took 0.7): that matters only to runs of a few milliseconds, which the peers time warm, and such
// runs leave little garbage, so after a run under 50 ms the next one is not preceded by a collection.
const collect = (globalThis as { gc?: () => void }).gc;
const SHORT_RUN_MS = 50;
while (times.length < 7 && (times.length < 3 || spent < budgetMs)) {
  if (times.length === 0 || (times[times.length - 1] as number) >= SHORT_RUN_MS) collect?.();
  const start = performance.now();
  result = await op.run(context);
  const elapsed = performance.now() - start;
  times.push(elapsed);
  spent += elapsed;
}
times.sort((a, b) => a - b);
const medianMs = times[Math.floor(times.length / 2)] as number;
const bytes = op.bytes?.(context);
const measurement: Measurement = {
  tool: 'promolens',
  name: op.name,
  n,
  medianMs,
  runs: times.length,
  peakMb: process.resourceUsage().maxRSS / 1024,
  ...(bytes === undefined ? {} : { mbPerSecond: bytes / 1e6 / (medianMs / 1000) }),
  result,
};
console.log(JSON.stringify(measurement));
