/** Uplift: metrics on the shared ranking core, and the T-learner. */
import { profitCurve } from '../../src/policy/profitCurve.js';
import { fitTLearner, predictUplift, qiniAuc, qiniCurve, scoreUncertainty, upliftAtK, upliftAuc, upliftByPercentile, upliftCurve } from '../../src/uplift/index.js';
import { ensureData, readVector } from '../gen.js';
import { DATA_ROOT, operation } from '../harness.js';

const load = (n: number, score: 'uplift_score' | 'uplift_score_q') => {
  const dir = ensureData(DATA_ROOT, n);
  return { y: readVector(dir, 'y'), s: readVector(dir, score), t: readVector(dir, 't') };
};
const sizes = [1_000_000, 5_000_000];
/** The metrics also at the size of the Criteo uplift dataset. */
const metricSizes = [...sizes, 14_000_000];

export const operations = [
  operation({ name: 'qiniAuc', sizes: metricSizes, setup: (n) => load(n, 'uplift_score'), run: ({ y, s, t }) => qiniAuc(y, s, t), peer: () => ({ task: 'qini_auc' }) }),
  operation({ name: 'qiniAuc (heavy ties)', sizes: metricSizes, setup: (n) => load(n, 'uplift_score_q'), run: ({ y, s, t }) => qiniAuc(y, s, t), peer: () => ({ task: 'qini_auc_ties' }) }),
  operation({ name: 'upliftAuc', sizes: metricSizes, setup: (n) => load(n, 'uplift_score'), run: ({ y, s, t }) => upliftAuc(y, s, t), peer: () => ({ task: 'uplift_auc' }) }),
  operation({ name: 'upliftAtK (k = 0.3)', sizes: metricSizes, setup: (n) => load(n, 'uplift_score'), run: ({ y, s, t }) => upliftAtK(y, s, t, { k: 0.3 }), peer: () => ({ task: 'uplift_at_k' }) }),
  operation({ name: 'upliftCurve', sizes: [1_000_000], setup: (n) => load(n, 'uplift_score'), run: ({ y, s, t }) => upliftCurve(y, s, t).y.length }),
  operation({ name: 'qiniCurve (heavy ties)', sizes: [1_000_000], setup: (n) => load(n, 'uplift_score_q'), run: ({ y, s, t }) => qiniCurve(y, s, t).y.length }),
  operation({ name: 'upliftByPercentile (10 bins)', sizes: [1_000_000], setup: (n) => load(n, 'uplift_score'), run: ({ y, s, t }) => upliftByPercentile(y, s, t).total.uplift }),
  operation({ name: 'profitCurve (100 steps)', sizes: [1_000_000], setup: (n) => load(n, 'uplift_score'), run: ({ y, s, t }) => profitCurve(y, s, t, { economics: { valuePerUnit: 30, costPerTreated: 0.1 } }).best.profit }),
  operation({
    name: 'scoreUncertainty (qiniAuc, 20 + 20 replicates)',
    sizes: [1_000_000],
    setup: (n) => load(n, 'uplift_score'),
    run: ({ y, s, t }) => scoreUncertainty(qiniAuc, y, s, t, { resamples: 20, permutations: 20 }).standardError,
  }),
  operation({
    name: 'scoreUncertainty (upliftAtK, 20 + 20 replicates)',
    sizes: [1_000_000],
    setup: (n) => load(n, 'uplift_score'),
    run: ({ y, s, t }) => scoreUncertainty((a, b, c) => upliftAtK(a, b, c), y, s, t, { resamples: 20, permutations: 20 }).standardError,
  }),
  operation({
    name: 'T-learner (2 × logistic l2 = 1), fit + predict',
    sizes,
    setup: (n) => {
      const dir = ensureData(DATA_ROOT, n);
      return { X: { data: readVector(dir, 'X'), rows: n, cols: 20 }, y: readVector(dir, 'y'), t: readVector(dir, 't') };
    },
    // The mean predicted uplift, as the peer returns (the two fit the same penalised objective).
    run: ({ X, y, t }) => {
      const uplift = predictUplift(fitTLearner(X, y, t), X);
      let total = 0;
      for (const u of uplift) total += u;
      return total / uplift.length;
    },
    peer: () => ({ task: 'tlearner' }),
  }),
];
