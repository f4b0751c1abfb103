/**
 * Trees: histogram gradient boosting against scikit-learn's HistGradientBoostingClassifier
 * (same settings: 100 rounds, 31 leaves, learning rate 0.1, 20 rows per leaf, no early
 * stopping; it runs two threads, we one), and the uplift forest.
 *
 * The uplift forest has no peer here (CausalML is not installed); its target is absolute:
 * 10 trees of depth 5 at 1M × 20 in at most 10 s, peak memory at most twice X (160 MB).
 *
 * Each gradient-boosting fit trains on the first n rows of a data set of n + 100,000 rows and reports the log
 * loss on the last 100,000 (the result column), so the two fits' quality is compared too.
 *
 * Here each side's median comes from its own stretch of time; on this shared machine the load moves
 * between the two. `node --import tsx bench/treesRatio.ts` measures the scikit-learn ratio alternating
 * single fits within one run (with its default threads and with one), wall and CPU seconds.
 */
import { fitGradientBoosting, fitUpliftForest, predictGradientBoosting } from '../../src/trees/index.js';
import { ensureData, readVector } from '../gen.js';
import { DATA_ROOT, operation } from '../harness.js';

const HOLDOUT = 100_000;
const sizes = [100_000, 1_000_000];
const settings = { maxIterations: 100, maxLeaves: 31, learningRate: 0.1, minSamplesLeaf: 20, earlyStopping: false } as const;

const load = (n: number) => {
  const total = n + HOLDOUT;
  const dir = ensureData(DATA_ROOT, total);
  const X = readVector(dir, 'X');
  const y = readVector(dir, 'y');
  return {
    train: { data: X.subarray(0, n * 20), rows: n, cols: 20 },
    yTrain: y.subarray(0, n),
    holdout: { data: X.subarray(n * 20), rows: HOLDOUT, cols: 20 },
    yHoldout: y.subarray(n),
  };
};

function logLoss(y: Float64Array, p: Float64Array): number {
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - 1e-15, Math.max(1e-15, p[i] as number));
    total -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return total / y.length;
}

export const operations = [
  operation({
    name: 'fitGradientBoosting (100 rounds, 31 leaves) + holdout log loss',
    sizes,
    setup: load,
    run: ({ train, yTrain, holdout, yHoldout }) => logLoss(yHoldout, predictGradientBoosting(fitGradientBoosting(train, yTrain, settings), holdout)),
    peer: (n) => ({ task: 'hgb_fit', args: ['--holdout', String(HOLDOUT), '--total', String(n + HOLDOUT)] }),
  }),
  operation({
    name: 'predictGradientBoosting (100 trees, 31 leaves)',
    sizes,
    setup: (n) => {
      const data = load(n);
      return { ...data, model: fitGradientBoosting(data.train, data.yTrain, settings) };
    },
    run: ({ model, train }) => predictGradientBoosting(model, train)[0],
    peer: (n) => ({ task: 'hgb_predict', args: ['--holdout', String(HOLDOUT), '--total', String(n + HOLDOUT)] }),
  }),
  operation({
    name: 'fitUpliftForest (10 trees, depth 5, KL)',
    sizes: [1_000_000],
    setup: (n) => {
      const dir = ensureData(DATA_ROOT, n);
      return { X: { data: readVector(dir, 'X'), rows: n, cols: 20 }, y: readVector(dir, 'y'), t: readVector(dir, 't') };
    },
    run: ({ X, y, t }) => fitUpliftForest(X, y, t, { nEstimators: 10, maxDepth: 5 }).trees.length,
    bytes: ({ X }) => X.data.byteLength,
  }),
];
