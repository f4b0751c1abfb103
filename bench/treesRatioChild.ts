/**
 * One gradient-boosting fit and prediction for bench/treesRatio.ts, in a fresh process; prints
 * one JSON line. Usage (bundled first): node treesRatioChild.js <n> <holdout>
 */
import { fitGradientBoosting, predictGradientBoosting } from '../src/trees/index.js';
import { ensureData, readVector } from './gen.js';
import { DATA_ROOT } from './harness.js';

const n = Number(process.argv[2]);
const holdout = Number(process.argv[3]);
const dir = ensureData(DATA_ROOT, n + holdout);
const X = readVector(dir, 'X');
const y = readVector(dir, 'y');
const train = { data: X.subarray(0, n * 20), rows: n, cols: 20 };
const settings = { maxIterations: 100, maxLeaves: 31, learningRate: 0.1, minSamplesLeaf: 20, l2: 0, maxBins: 255, earlyStopping: false } as const;
const cpu = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
let wall = performance.now();
let used = cpu();
const model = fitGradientBoosting(train, y.subarray(0, n), settings);
const fitSeconds = (performance.now() - wall) / 1000;
const fitCpuSeconds = cpu() - used;
wall = performance.now();
used = cpu();
predictGradientBoosting(model, train);
const predictSeconds = (performance.now() - wall) / 1000;
const predictCpuSeconds = cpu() - used;
const p = predictGradientBoosting(model, { data: X.subarray(n * 20), rows: holdout, cols: 20 });
let loss = 0;
for (let i = 0; i < holdout; i++) {
  const q = Math.min(1 - 1e-15, Math.max(1e-15, p[i] as number));
  loss -= y[n + i] === 1 ? Math.log(q) : Math.log(1 - q);
}
console.log(JSON.stringify({ fitSeconds, fitCpuSeconds, predictSeconds, predictCpuSeconds, holdoutLogLoss: loss / holdout }));
