/**
 * `node --import tsx bench/treesRatio.ts [--sizes 100000,1000000] [--rounds 2]`: the
 * scikit-learn ratio of the trees area measured in one run, alternating. Each round fits
 * `fitGradientBoosting` once in a fresh Node process and `HistGradientBoostingClassifier`
 * once in a fresh Python process (same data, same settings: 100 rounds, 31 leaves, learning
 * rate 0.1, 20 rows per leaf, 255 bins, no early stopping), each then predicting the
 * training rows, then the other way round in the next round, so a change in the load of
 * this shared machine falls on both. Reports per size the median wall and CPU seconds of each
 * side, the ratios (ours / theirs; below 1 is faster) and both holdout log losses (the last
 * 100,000 rows of a data set of n + 100,000, as the bench's trees area).
 *
 * scikit-learn runs its default threads (two here) and we one, so its CPU seconds can exceed
 * its wall seconds; the CPU ratio compares the work done. On a loaded machine OpenMP's
 * threads wait on each other and its wall time balloons, so each round also fits
 * scikit-learn with OMP_NUM_THREADS=1, the figure that holds whatever the load. The Node child is bundled first
 * (bench/.build/), as bench/run.ts does: a TypeScript loader slows hot loops.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { ensureData } from './gen.js';
import { DATA_ROOT } from './harness.js';

const HOLDOUT = 100_000;
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const sizes = flag('--sizes', '100000,1000000').split(',').map(Number);
const rounds = Number(flag('--rounds', '2'));

interface Fit {
  readonly fitSeconds: number;
  readonly fitCpuSeconds: number;
  readonly predictSeconds: number;
  readonly predictCpuSeconds: number;
  readonly holdoutLogLoss: number;
}

const childDir = fileURLToPath(new URL('./.build/', import.meta.url));
await build({
  entry: { treesRatioChild: fileURLToPath(new URL('./treesRatioChild.ts', import.meta.url)) },
  outDir: childDir,
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  bundle: true,
  splitting: false,
  sourcemap: false,
  dts: false,
  clean: false,
  silent: true,
  config: false,
});

const PYTHON = `
import json, sys, time, numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import log_loss
n, total, d = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
X = np.fromfile(d + "/X.f64", dtype="<f8").reshape(total, 20); y = np.fromfile(d + "/y.f64", dtype="<f8")
model = HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31, learning_rate=0.1, min_samples_leaf=20,
                                       l2_regularization=0.0, max_bins=255, early_stopping=False)
t0, c0 = time.perf_counter(), time.process_time()
model.fit(X[:n], y[:n])
t1, c1 = time.perf_counter(), time.process_time()
model.predict_proba(X[:n])
t2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({"fitSeconds": t1 - t0, "fitCpuSeconds": c1 - c0, "predictSeconds": t2 - t1, "predictCpuSeconds": c2 - c1,
                  "holdoutLogLoss": float(log_loss(y[n:], model.predict_proba(X[n:])[:, 1]))}))
`;

function ours(n: number): Fit {
  const out = spawnSync(process.execPath, [`${childDir}treesRatioChild.js`, String(n), String(HOLDOUT)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`promolens child failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop() as string) as Fit;
}

function theirs(n: number, dir: string, threads?: number): Fit {
  const env = threads === undefined ? process.env : { ...process.env, OMP_NUM_THREADS: String(threads) };
  const out = spawnSync('/usr/bin/python3', ['-c', PYTHON, String(n), String(n + HOLDOUT), dir], { encoding: 'utf8', maxBuffer: 1 << 24, env });
  if (out.status !== 0) throw new Error(`scikit-learn failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop() as string) as Fit;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const rows = ['| n | side | fit s | fit CPU s | predict s | predict CPU s | holdout log loss |', '|---|---|---|---|---|---|---|'];
const ratios = ['| n | against | rounds | fit ratio (wall) | fit ratio (CPU) | predict ratio (wall) | log loss ours / theirs − 1 |', '|---|---|---|---|---|---|---|'];
for (const n of sizes) {
  const dir = ensureData(DATA_ROOT, n + HOLDOUT);
  const mine: Fit[] = [];
  const peer: Fit[] = [];
  const single: Fit[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate which side goes first, so neither always runs on the warmer (or busier) machine.
    if (round % 2 === 0) {
      mine.push(ours(n));
      peer.push(theirs(n, dir));
      single.push(theirs(n, dir, 1));
    } else {
      single.push(theirs(n, dir, 1));
      peer.push(theirs(n, dir));
      mine.push(ours(n));
    }
    console.error(`n=${n} round ${round + 1}: ours ${JSON.stringify(mine[round])}, scikit-learn ${JSON.stringify(peer[round])}, one thread ${JSON.stringify(single[round])}`);
  }
  const figure = (fits: Fit[], key: keyof Fit) => median(fits.map((f) => f[key]));
  for (const [side, fits] of [['promolens', mine], ['scikit-learn', peer], ['scikit-learn, one thread', single]] as const) {
    rows.push(`| ${n} | ${side} | ${figure(fits, 'fitSeconds').toFixed(2)} | ${figure(fits, 'fitCpuSeconds').toFixed(2)} | ${figure(fits, 'predictSeconds').toFixed(2)} | ${figure(fits, 'predictCpuSeconds').toFixed(2)} | ${figure(fits, 'holdoutLogLoss').toPrecision(6)} |`);
  }
  // Each round's ratio, then their median: the fits of a round ran back to back.
  for (const [against, fits] of [['scikit-learn', peer], ['scikit-learn, one thread', single]] as const) {
    const ratio = (key: keyof Fit) => median(mine.map((f, r) => f[key] / (fits[r] as Fit)[key]));
    ratios.push(
      `| ${n} | ${against} | ${rounds} | ${ratio('fitSeconds').toFixed(2)}× | ${ratio('fitCpuSeconds').toFixed(2)}× | ${ratio('predictSeconds').toFixed(2)}× | ${((figure(mine, 'holdoutLogLoss') / figure(fits, 'holdoutLogLoss') - 1) * 100).toFixed(3)}% |`,
    );
  }
}
console.log(rows.join('\n'));
console.log('');
console.log(ratios.join('\n'));
console.log('ratio = ours / scikit-learn, per round then the median (below 1 is faster); scikit-learn uses its default threads, promolens one.');
