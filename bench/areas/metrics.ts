/** Metrics: ranking (radix-sorted), threshold and probabilistic scores on the bench data. */
import { descendingOrder } from '../../src/internal/argsort.js';
import { f1Score, logLoss, meanSquaredError, rocAuc, averagePrecision } from '../../src/metrics/index.js';
import { ensureData, readVector } from '../gen.js';
import { DATA_ROOT, operation } from '../harness.js';

const load = (n: number, ...names: ('y' | 'p_score' | 'uplift_score' | 'uplift_score_q' | 'revenue' | 'revenue_pred')[]) => {
  const dir = ensureData(DATA_ROOT, n);
  return names.map((name) => readVector(dir, name));
};
const sizes = [1_000_000, 5_000_000];

export const operations = [
  operation({
    name: 'argsort (descending, stable)',
    sizes,
    setup: (n) => load(n, 'uplift_score'),
    run: ([s]) => descendingOrder(s as Float64Array)[0],
    peer: () => ({ task: 'argsort' }),
  }),
  operation({
    name: 'rocAuc',
    sizes,
    setup: (n) => load(n, 'y', 'p_score'),
    run: ([y, p]) => rocAuc(y as Float64Array, p as Float64Array),
    peer: () => ({ task: 'roc_auc' }),
  }),
  operation({
    name: 'rocAuc (heavy ties)',
    sizes,
    setup: (n) => load(n, 'y', 'uplift_score_q'),
    run: ([y, s]) => rocAuc(y as Float64Array, s as Float64Array),
    peer: () => ({ task: 'roc_auc_ties' }),
  }),
  operation({
    name: 'averagePrecision',
    sizes: [1_000_000],
    setup: (n) => load(n, 'y', 'p_score'),
    run: ([y, p]) => averagePrecision(y as Float64Array, p as Float64Array),
    peer: () => ({ task: 'average_precision' }),
  }),
  operation({
    name: 'f1Score (threshold 0.5)',
    sizes,
    setup: (n) => load(n, 'y', 'p_score'),
    run: ([y, p]) => f1Score(y as Float64Array, p as Float64Array),
    peer: () => ({ task: 'f1' }),
  }),
  operation({
    name: 'logLoss',
    sizes,
    setup: (n) => load(n, 'y', 'p_score'),
    run: ([y, p]) => logLoss(y as Float64Array, p as Float64Array),
    peer: () => ({ task: 'log_loss' }),
  }),
  operation({
    name: 'meanSquaredError',
    sizes,
    setup: (n) => load(n, 'revenue', 'revenue_pred'),
    run: ([a, b]) => meanSquaredError(a as Float64Array, b as Float64Array),
    peer: () => ({ task: 'mse' }),
  }),
];
