import { z } from 'zod';
import { InputError } from '../errors.js';
import { type MatrixInput, toDenseMatrix } from '../linalg/denseMatrix.js';
import type { Learner } from '../models/learner.js';
import { createRandom } from '../internal/random.js';
import { sortedQuantile } from '../internal/quantile.js';
import { checkOptions, finiteVector, rules, sameLength } from '../internal/validate.js';
import type { UpliftForestModel, UpliftTreeModel } from '../trees/fitUpliftForest.js';
import { type UpliftModel, predictUpliftByArm } from './metaLearners.js';
import { descendingOrder } from '../internal/argsort.js';
import { finiteResult } from './inputs.js';
import { aboveRandom, rankedArea, weightedRankedArea } from './ranking.js';
import { normalisedArea, qiniAuc } from './upliftAuc.js';
import { groupsOfTotals, perfectQini } from './upliftCurve.js';

/** Options of {@link upliftFeatureImportance}. */
export interface UpliftFeatureImportanceOptions {
  /** The treated arm to score against control. Default: the model's only arm. */
  readonly arm?: string;
  /** Shuffles per feature; the drop is their mean. Default 3. */
  readonly repeats?: number;
  /** Bootstrap resamples of the rows for the interval. Default 100. */
  readonly resamples?: number;
  /** The interval covers 1 − alpha. Default 0.05. */
  readonly alpha?: number;
  /** Feature names, one per column of X, for the result. */
  readonly names?: readonly string[];
  readonly seed?: number;
  /** A meta-learner model's custom learners, as for `predictUplift`. */
  readonly learner?: Learner;
  readonly effectLearner?: Learner;
}

const OPTION_RULES = {
  arm: rules.string(true),
  repeats: rules.integer({ min: 1, max: 1000 }),
  resamples: rules.integer({ min: 0, max: 100_000 }),
  alpha: rules.fraction(),
  names: rules.strings(),
  seed: rules.integer({ min: 0, max: 0xffffffff }),
  learner: rules.object(),
  effectLearner: rules.object(),
} as const;

export const UpliftFeatureImportanceSchema = z
  .object({
    kind: z.literal('uplift_feature_importance'),
    arm: z.string(),
    /** Qini coefficient (scikit-uplift `qini_auc_score`) of the model on the rows as given. */
    qini: z.number(),
    repeats: z.number(),
    resamples: z.number(),
    alpha: z.number(),
    /** One entry per feature, most important first. */
    features: z.array(
      z
        .object({
          index: z.number(),
          name: z.string(),
          /** Mean drop in Qini when the feature is shuffled. */
          importance: z.number(),
          /** Bootstrap percentile interval of the drop; null without resamples. */
          ci: z.tuple([z.number(), z.number()]).nullable(),
        })
        .readonly(),
    ),
  })
  .readonly();
export type UpliftFeatureImportance = z.infer<typeof UpliftFeatureImportanceSchema>;

type AnyUpliftModel = UpliftModel | UpliftTreeModel | UpliftForestModel;

function predictArms(model: AnyUpliftModel, X: MatrixInput, options: UpliftFeatureImportanceOptions): { arms: string[]; uplift: readonly Float64Array[] } {
  const learners = { ...(options.learner === undefined ? {} : { learner: options.learner }), ...(options.effectLearner === undefined ? {} : { effectLearner: options.effectLearner }) };
  const result = predictUpliftByArm(model, X, learners);
  return { arms: [...result.arms], uplift: result.uplift };
}

/**
 * What drives the uplift: permutation importance (Breiman 2001; Fisher et al.
 * 2019) of each feature for any uplift model — the drop in the Qini
 * coefficient of the model's predicted uplift when that feature's column is
 * shuffled (breaking its link with the outcome), averaged over `repeats`
 * shuffles, with a bootstrap percentile interval over `resamples` resamples
 * of the rows (each resample re-scores the same predictions). Scored on the
 * rows of the chosen arm and control. Use held-out rows: on the training
 * rows an overfitted model's drops are inflated.
 * O(p · repeats) predictions and O(p · repeats · resamples) Qini
 * coefficients of n rows.
 *
 * @param model - a meta-learner model, an uplift tree or an uplift forest
 * @param X - the rows to score on (n × p, as the model was fitted)
 * @param y - outcomes of those rows
 * @param treatment - arm labels of those rows (the model's control label for control)
 * @throws InputError `length_mismatch`, `not_finite`, `single_class` (no treated or control row of the arm), `invalid_option`, and the model's prediction errors
 */
export function upliftFeatureImportance(
  model: AnyUpliftModel,
  X: MatrixInput,
  y: ArrayLike<number>,
  treatment: ArrayLike<number | string>,
  options: UpliftFeatureImportanceOptions = {},
): UpliftFeatureImportance {
  checkOptions(options, OPTION_RULES as never, 'upliftFeatureImportance options');
  const matrix = toDenseMatrix(X, 'X', { deferFiniteCheck: true });
  const { rows: n, cols: p } = matrix;
  const outcome = finiteVector('y', y);
  sameLength('y', outcome, n, 'X');
  sameLength('treatment', treatment, n, 'X');
  if (options.names !== undefined) sameLength('names', options.names as unknown as ArrayLike<unknown>, p, 'X columns');
  const repeats = options.repeats ?? 3;
  const resamples = options.resamples ?? 100;
  const alpha = options.alpha ?? 0.05;
  const random = createRandom(options.seed ?? 0);

  const base = predictArms(model, matrix, options);
  const armName = options.arm ?? (base.arms.length === 1 ? base.arms[0] : undefined);
  if (armName === undefined) throw new InputError('invalid_option', 'arm', `the model has arms ${base.arms.join(', ')}; name one`);
  const armIndex = base.arms.indexOf(armName);
  if (armIndex < 0) throw new InputError('invalid_option', 'arm', `no arm '${armName}'; arms are ${base.arms.join(', ')}`);

  // The rows of the arm (t = 1) and of control (t = 0).
  const control = String(model.control);
  const picked: number[] = [];
  const tAll: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = String(treatment[i]);
    if (label === armName) {
      picked.push(i);
      tAll.push(1);
    } else if (label === control) {
      picked.push(i);
      tAll.push(0);
    }
  }
  const m = picked.length;
  const t = Float64Array.from(tAll);
  const yPicked = Float64Array.from(picked, (i) => outcome[i] as number);
  const binary = yPicked.every((v) => v === 0 || v === 1);
  const take = (all: Float64Array) => Float64Array.from(picked, (i) => all[i] as number);
  const baseScore = take(base.uplift[armIndex] as Float64Array);
  const baseQini = qiniAuc(yPicked, baseScore, t, { normalize: binary });
  const baseRanking = rankingOf(baseScore);

  // Shuffled predictions, kept as rankings (row order and tie-group ends): one working copy of X,
  // a column shuffled and restored at a time.
  const work = { data: Float64Array.from(matrix.data.subarray(0, n * p)), rows: n, cols: p };
  const column = new Float64Array(n);
  const permuted: ScoreRanking[][] = [];
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) column[i] = work.data[i * p + j] as number;
    const rankings: ScoreRanking[] = [];
    for (let r = 0; r < repeats; r++) {
      for (let i = n - 1; i > 0; i--) {
        const other = Math.floor(random() * (i + 1));
        const swap = work.data[i * p + j] as number;
        work.data[i * p + j] = work.data[other * p + j] as number;
        work.data[other * p + j] = swap;
      }
      rankings.push(rankingOf(take(predictArms(model, work, options).uplift[armIndex] as Float64Array)));
    }
    for (let i = 0; i < n; i++) work.data[i * p + j] = column[i] as number;
    permuted.push(rankings);
  }
  const layout: Layout = { y: new Float64Array(m), t: new Float64Array(m), weights: new Float64Array(m) };
  const drop = (copies: Float64Array | undefined, j: number, reference: number): number => {
    let total = 0;
    for (const ranking of permuted[j] as ScoreRanking[]) total += rankedQini(ranking, yPicked, t, copies, binary, layout);
    return reference - total / repeats;
  };
  const importance = Array.from({ length: p }, (_, j) => drop(undefined, j, baseQini));

  // Bootstrap: the same predictions and rankings, each row counted as often as it is drawn (a
  // resample's Qini is the weighted walk down the full ranking: no resorting, O(m) per score).
  const draws: number[][] = Array.from({ length: p }, () => []);
  const copies = new Float64Array(m);
  for (let b = 0; b < resamples; b++) {
    copies.fill(0);
    let treated = 0;
    for (let k = 0; k < m; k++) {
      const i = Math.floor(random() * m);
      copies[i] = (copies[i] as number) + 1;
      treated += t[i] as number;
    }
    if (treated === 0 || treated === m) continue;
    const reference = rankedQini(baseRanking, yPicked, t, copies, binary, layout);
    for (let j = 0; j < p; j++) (draws[j] as number[]).push(drop(copies, j, reference));
  }
  const features = importance.map((value, j) => {
    const sorted = Float64Array.from(draws[j] as number[]).sort();
    const ci: [number, number] | null = sorted.length === 0 ? null : [sortedQuantile(sorted, alpha / 2), sortedQuantile(sorted, 1 - alpha / 2)];
    return { index: j, name: options.names?.[j] ?? `x${j}`, importance: value, ci };
  });
  features.sort((a, b) => b.importance - a.importance || a.index - b.index);
  return { kind: 'uplift_feature_importance', arm: armName, qini: baseQini, repeats, resamples, alpha, features };
}

/** A score's ranking: rows by descending score (ties later row first) and the ends of tie groups. */
interface ScoreRanking {
  readonly order: Uint32Array;
  readonly groupEnds: Uint8Array;
}

function rankingOf(score: Float64Array): ScoreRanking {
  const order = descendingOrder(score);
  const n = order.length;
  const groupEnds = new Uint8Array(n);
  for (let k = 0; k < n; k++) groupEnds[k] = k === n - 1 || score[order[k + 1] as number] !== score[order[k] as number] ? 1 : 0;
  return { order, groupEnds };
}

/** Working arrays of {@link rankedQini}, one set per call of `upliftFeatureImportance`: a ranking's rows laid out in its order. */
interface Layout {
  readonly y: Float64Array;
  readonly t: Float64Array;
  readonly weights: Float64Array;
}

/**
 * The Qini coefficient (as `qiniAuc`: normalised by the perfect curve for a
 * 0/1 outcome, else the area above the random line) of a ranking with row i
 * counted `copies[i]` times (once without copies): the rows drawn in a
 * bootstrap resample, laid out in the ranking's order and walked by the
 * ranking core (`rankedArea`, `weightedRankedArea`), stopping at the ends of
 * tie groups — the same stops, totals and trapezoids as sorting the resample.
 */
function rankedQini(ranking: ScoreRanking, y: Float64Array, t: Float64Array, copies: Float64Array | undefined, binary: boolean, layout: Layout): number {
  const { order, groupEnds } = ranking;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    layout.y[k] = y[i] as number;
    layout.t[k] = t[i] as number;
    if (copies !== undefined) layout.weights[k] = copies[i] as number;
  }
  const walk = copies === undefined ? rankedArea('qini', layout.y, layout.t, groupEnds) : weightedRankedArea('qini', layout.y, layout.t, groupEnds, layout.weights);
  if (!binary) return finiteResult(aboveRandom(walk.area, walk.lastX, walk.lastY), 'the Qini AUC');
  return finiteResult(normalisedArea(walk.area, perfectQini(groupsOfTotals(walk), true)), 'the Qini AUC');
}
