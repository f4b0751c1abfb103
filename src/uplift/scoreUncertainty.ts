import { z } from 'zod';
import { InputError } from '../errors.js';
import { descendingOrder } from '../internal/argsort.js';
import { createRandom } from '../internal/random.js';
import { sortedQuantile } from '../internal/quantile.js';
import { upliftInputs } from './inputs.js';

export interface ScoreUncertaintyOptions {
  /** Bootstrap resamples (within each treatment group). Default 500. */
  readonly resamples?: number;
  /** Permutations of the scores for the p-value against a random ranking. Default 500. */
  readonly permutations?: number;
  /** Interval coverage 1 − alpha. Default 0.05. */
  readonly alpha?: number;
  /** Default 0: the same seed gives the same result on every runtime. */
  readonly seed?: number;
}

export const ScoreUncertaintySchema = z
  .object({
    kind: z.literal('score_uncertainty'),
    estimate: z.number(),
    standardError: z.number(),
    ci: z.tuple([z.number(), z.number()]),
    /** Share of score permutations scoring at least the estimate (add-one corrected): a random ranking's chance of doing as well. */
    pValue: z.number(),
    resamples: z.number(),
    permutations: z.number(),
    alpha: z.number(),
    seed: z.number(),
  })
  .readonly();
export type ScoreUncertainty = z.infer<typeof ScoreUncertaintySchema>;

/**
 * Uncertainty of an uplift score (`upliftAuc`, `qiniAuc`, `upliftAtK`, or any
 * (yTrue, uplift, treatment) → number): a bootstrap standard error and
 * percentile interval (rows resampled within each treatment group, so both
 * keep their sizes), and a permutation p-value against a random ranking
 * (the scores shuffled across rows), because a model with no skill can
 * still show a positive-looking Qini on a finite sample. Resamples whose
 * metric is undefined (for example no treated row at k) are skipped and
 * counted out. Seeded. O((resamples + permutations) · cost of the metric).
 *
 * @throws InputError as the inputs of `upliftCurve`; `invalid_option`; `empty` when the metric is undefined on most resamples
 */
export function scoreUncertainty(
  metric: (yTrue: Float64Array, uplift: Float64Array, treatment: Float64Array) => number,
  yTrue: ArrayLike<number>,
  uplift: ArrayLike<number>,
  treatment: ArrayLike<number>,
  options: ScoreUncertaintyOptions = {},
): ScoreUncertainty {
  const { y, score, t } = upliftInputs(yTrue, uplift, treatment);
  const resamples = options.resamples ?? 500;
  const permutations = options.permutations ?? 500;
  const alpha = options.alpha ?? 0.05;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(resamples) || resamples < 20) throw new InputError('invalid_option', 'resamples', `resamples must be an integer ≥ 20, got ${resamples}`);
  if (!Number.isInteger(permutations) || permutations < 20) throw new InputError('invalid_option', 'permutations', `permutations must be an integer ≥ 20, got ${permutations}`);
  if (!(alpha > 0 && alpha < 1)) throw new InputError('invalid_option', 'alpha', `alpha must be in (0, 1), got ${alpha}`);
  const estimate = metric(y, score, t);
  const random = createRandom(seed);
  const n = y.length;
  // Every replicate is written in descending score order, so the metric's
  // ranking finds it sorted and costs O(n) instead of a sort.
  const ranked = descendingOrder(score);
  const treatedRows: number[] = [];
  const controlRows: number[] = [];
  for (let i = 0; i < n; i++) (t[i] === 1 ? treatedRows : controlRows).push(i);
  const by = new Float64Array(n);
  const bs = new Float64Array(n);
  const bt = new Float64Array(n);
  const copies = new Int32Array(n);
  const draws: number[] = [];
  const attempt = (fill: () => void): number | undefined => {
    fill();
    try {
      const value = metric(by, bs, bt);
      return Number.isFinite(value) ? value : undefined;
    } catch {
      return undefined;
    }
  };
  for (let b = 0; b < resamples; b++) {
    const value = attempt(() => {
      // Resample within each group (how many copies of each row), then lay the copies out by rank.
      copies.fill(0);
      for (const rows of [treatedRows, controlRows]) {
        for (let r = 0; r < rows.length; r++) copies[rows[Math.floor(random() * rows.length)] as number]!++;
      }
      let k = 0;
      for (let position = 0; position < n; position++) {
        const row = ranked[position] as number;
        for (let c = copies[row] as number; c > 0; c--) {
          by[k] = y[row] as number;
          bs[k] = score[row] as number;
          bt[k++] = t[row] as number;
        }
      }
    });
    if (value !== undefined) draws.push(value);
  }
  // A random ranking: the sorted scores dealt to the rows in a random order.
  for (let position = 0; position < n; position++) bs[position] = score[ranked[position] as number] as number;
  const shuffled = Int32Array.from({ length: n }, (_, i) => i);
  let atLeast = 0;
  let valid = 0;
  for (let b = 0; b < permutations; b++) {
    const value = attempt(() => {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const swap = shuffled[i] as number;
        shuffled[i] = shuffled[j] as number;
        shuffled[j] = swap;
      }
      for (let position = 0; position < n; position++) {
        const row = shuffled[position] as number;
        by[position] = y[row] as number;
        bt[position] = t[row] as number;
      }
    });
    if (value === undefined) continue;
    valid++;
    if (value >= estimate) atLeast++;
  }
  if (draws.length < resamples / 2 || valid < permutations / 2) {
    throw new InputError('empty', 'uplift', 'the metric is undefined on most resamples (too few rows of a group): its uncertainty cannot be estimated');
  }
  const sorted = Float64Array.from(draws).sort();
  const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
  const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1);
  return {
    kind: 'score_uncertainty',
    estimate,
    standardError: Math.sqrt(variance),
    ci: [sortedQuantile(sorted, alpha / 2), sortedQuantile(sorted, 1 - alpha / 2)],
    pValue: (atLeast + 1) / (valid + 1),
    resamples: draws.length,
    permutations: valid,
    alpha,
    seed,
  };
}
