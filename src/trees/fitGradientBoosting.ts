import { z } from 'zod';
import { InputError } from '../errors.js';
import type { MatrixInput } from '../linalg/denseMatrix.js';
import { exp } from '../internal/exp.js';
import { createRandom } from '../internal/random.js';
import { type OptionRules, binaryVector, checkOptions, finiteVector, rules, sameLength, sampleWeights } from '../internal/validate.js';
import { binMatrix, binThresholds, treeMatrix } from './binning.js';
import { binnedLeaf } from './histogram.js';
import { growGradientTree, gradientWorkspace, histogramCount } from './growGradientTree.js';
import { type HistogramKernel, histogramKernel } from './histogramKernel.js';
import { addLeafValues } from './histogramHelper.js';
import { TreeNodesSchema, treeToJson } from './treeSchema.js';

/** Options of {@link fitGradientBoosting}. */
export interface GradientBoostingOptions {
  /**
   * `'logistic'` (0/1 outcome; predictions are probabilities), `'squared'`
   * (any outcome; predictions are means), or `'auto'` (default): logistic
   * when every y is 0 or 1, squared otherwise.
   */
  readonly loss?: 'auto' | 'logistic' | 'squared';
  /** Shrinkage of every leaf value, in (0, 1]. Default 0.1. */
  readonly learningRate?: number;
  /** Boosting rounds (trees), at most; 1 to 100,000. Default 100. */
  readonly maxIterations?: number;
  /** Leaves per tree, grown best-first. Default 31. */
  readonly maxLeaves?: number;
  /** Largest depth of a leaf (root at 0); `null` for none. Default null. */
  readonly maxDepth?: number | null;
  /** Fewest training rows in a leaf. Default 20. */
  readonly minSamplesLeaf?: number;
  /** L2 penalty λ on leaf values (added to every hessian sum). Default 0. */
  readonly l2?: number;
  /** Share of the training rows each tree sees (each row drawn independently), in (0, 1]. Default 1. */
  readonly subsample?: number;
  /** Most bins per feature, 2 … 255 (a 256th holds missing values). Default 255. */
  readonly maxBins?: number;
  /** Stop when the validation loss has not improved by 1e-7 in `patience` rounds, keeping the best round's trees. Default false. */
  readonly earlyStopping?: boolean;
  /** Share of rows held out for early stopping (stratified for the logistic loss), in (0, 1). Default 0.1. */
  readonly validationShare?: number;
  /** Rounds without improvement before stopping. Default 10. */
  readonly patience?: number;
  readonly sampleWeight?: ArrayLike<number>;
  /** Seed of the validation split, the bin-threshold sample and subsampling. Default 0. */
  readonly seed?: number;
}

/** The rule of each option of {@link fitGradientBoosting}. @internal */
export const OPTION_RULES: OptionRules<GradientBoostingOptions> = {
  loss: rules.oneOf(['auto', 'logistic', 'squared']),
  learningRate: rules.number({ min: 0, max: 1, minExclusive: true }),
  maxIterations: rules.integer({ min: 1, max: 100_000 }),
  maxLeaves: rules.integer({ min: 2, max: 65_536 }),
  maxDepth: rules.either(rules.integer({ min: 1, max: 1000 }), rules.oneOf([null])),
  minSamplesLeaf: rules.integer({ min: 1 }),
  l2: rules.number({ min: 0 }),
  subsample: rules.number({ min: 0, max: 1, minExclusive: true }),
  maxBins: rules.integer({ min: 2, max: 255 }),
  earlyStopping: rules.boolean(),
  validationShare: rules.fraction(),
  patience: rules.integer({ min: 1 }),
  sampleWeight: rules.vector(),
  seed: rules.integer({ min: 0, max: 0xffffffff }),
};

export const GradientBoostingModelSchema = z
  .object({
    kind: z.literal('gradient_boosting'),
    loss: z.enum(['logistic', 'squared']),
    /** Number of feature columns. */
    features: z.number().int().positive(),
    /** Raw prediction before the first tree: the log-odds (logistic) or the mean (squared) of y. */
    baseline: z.number(),
    learningRate: z.number(),
    /** One tree per round kept; leaf values already shrunk by the learning rate. */
    trees: z.array(TreeNodesSchema),
    /** Validation loss after each round (early stopping), or null. */
    validationLoss: z.array(z.number()).nullable(),
    /** Total split gain per feature, as a share of all splits' gain (zeros when no tree split). */
    featureImportance: z.array(z.number()),
  })
  .readonly()
  .superRefine((model, context) => {
    if (model.featureImportance.length !== model.features) context.addIssue({ code: 'custom', path: ['featureImportance'], message: 'one importance per feature' });
    model.trees.forEach((tree, t) => {
      if (tree.values.length !== tree.feature.length) context.addIssue({ code: 'custom', path: ['trees', t, 'values'], message: 'one value per node' });
      for (const f of tree.feature) if (f >= model.features) context.addIssue({ code: 'custom', path: ['trees', t, 'feature'], message: `feature ${f} beyond the model's ${model.features}` });
    });
  });
export type GradientBoostingModel = z.infer<typeof GradientBoostingModelSchema>;

const EPSILON = 2 ** -52;
const TOLERANCE = 1e-7;

/**
 * Gradient-boosted regression trees on histograms (Friedman 2001; Ke et al.
 * 2017, LightGBM): features quantile-binned once into at most 255 bins plus
 * one for missing values (thresholds from the training rows only), then
 * `maxIterations` trees, each grown best-first to `maxLeaves` leaves on the
 * loss's gradients g and hessians h: a split's gain is
 * G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ), a leaf's value the Newton
 * step −learningRate · G/(H + λ). Missing values go to the side that gains
 * more. The same algorithm as scikit-learn's `HistGradientBoostingClassifier`
 * and `HistGradientBoostingRegressor`. In Node a fit of 50,000 rows or more
 * shares its passes with a second thread, with the same trees to the bit
 * (docs/trees.md).
 * O(maxIterations · n · p) time; the binned codes (n · p bytes) are the only
 * copy of X.
 *
 * @param X - n × p features; NaN marks a missing value
 * @param y - 0/1 labels (logistic) or real outcomes (squared)
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary`, `out_of_range` (weights), `invalid_option`
 * @see https://scikit-learn.org/stable/modules/ensemble.html#histogram-based-gradient-boosting
 * @example
 * const model = fitGradientBoosting([[0], [1], [2], [3]], [0, 0, 1, 1], { minSamplesLeaf: 1, maxIterations: 1, learningRate: 1 });
 * model.trees[0].threshold[0]; // => 1.5
 */
export function fitGradientBoosting(X: MatrixInput, y: ArrayLike<number>, options: GradientBoostingOptions = {}): GradientBoostingModel {
  checkOptions<GradientBoostingOptions>(options, OPTION_RULES, 'fitGradientBoosting options');
  const matrix = treeMatrix(X);
  const n = matrix.rows;
  const target = finiteVector('y', y);
  sameLength('y', target, n, 'X');
  const weights = sampleWeights(options.sampleWeight, n, 'X');
  let loss = options.loss ?? 'auto';
  if (loss === 'auto') loss = target.every((v) => v === 0 || v === 1) ? 'logistic' : 'squared';
  if (loss === 'logistic') binaryVector('y', target);
  const fittedLoss = loss;
  const learningRate = options.learningRate ?? 0.1;
  const maxIterations = options.maxIterations ?? 100;
  const maxLeaves = options.maxLeaves ?? 31;
  const maxDepth = options.maxDepth ?? Infinity;
  const minSamplesLeaf = options.minSamplesLeaf ?? 20;
  const l2 = options.l2 ?? 0;
  const subsample = options.subsample ?? 1;
  const maxBins = options.maxBins ?? 255;
  const earlyStopping = options.earlyStopping ?? false;
  const validationShare = options.validationShare ?? 0.1;
  const patience = options.patience ?? 10;
  const seed = options.seed ?? 0;

  // Training and validation rows (early stopping only).
  const random = createRandom(seed);
  const isValidation = new Uint8Array(n);
  let trainCount = n;
  if (earlyStopping) {
    trainCount = n - markValidation(isValidation, target, loss === 'logistic', validationShare, random);
    if (trainCount === n || trainCount === 0) throw new InputError('empty', 'validationShare', `validationShare ${validationShare} leaves no ${trainCount === n ? 'validation' : 'training'} row among ${n}`);
  }
  const trainRows = new Int32Array(trainCount);
  const validationRows = new Int32Array(n - trainCount);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (isValidation[i] === 1) validationRows[b++] = i;
    else trainRows[a++] = i;
  }
  const thresholds = binThresholds(matrix, maxBins, seed, earlyStopping ? trainRows : undefined);
  const kernel = histogramKernel(n, matrix.cols, histogramCount(maxLeaves));
  try {
    return boost(kernel);
  } finally {
    // The helper thread, if the kernel has one, leaves the fit even when it throws.
    kernel?.close();
  }

  function boost(kernel: HistogramKernel | null): GradientBoostingModel {
    const binned = binMatrix(matrix, thresholds, kernel?.codes);

    // Baseline: the weighted mean of y (its log-odds for the logistic loss), over training rows.
    let weightSum = 0;
    let ySum = 0;
    for (let k = 0; k < trainCount; k++) {
      const i = trainRows[k] as number;
      const w = weights === undefined ? 1 : (weights[i] as number);
      weightSum += w;
      ySum += w * (target[i] as number);
    }
    if (!(weightSum > 0)) throw new InputError('empty', 'sampleWeight', 'the training rows carry no weight');
    let baseline = ySum / weightSum;
    if (loss === 'logistic') {
      const p = Math.min(1 - EPSILON, Math.max(EPSILON, baseline));
      baseline = Math.log(p / (1 - p));
    }

    // In the kernel's memory where there is one, so that the helper thread can compute half of the gradients.
    const raw = (kernel?.raw ?? new Float64Array(n)).fill(baseline);
    if (kernel !== null) {
      kernel.target.set(target);
      if (weights !== undefined) kernel.weights.set(weights);
      kernel.training.set(trainRows);
    }
    const gradient = kernel?.gradient ?? new Float64Array(n);
    const hessian = kernel?.hessian ?? new Float64Array(n);
    const workspace = gradientWorkspace(binned, maxLeaves, kernel);
    const inSample = new Uint8Array(n);
    const settings = { maxLeaves, maxDepth, minSamplesLeaf, l2, learningRate };
    const trees: z.infer<typeof TreeNodesSchema>[] = [];
    const validationLoss: number[] = [];
    let bestLoss = Infinity;
    let bestRound = 0;
    const logistic = loss === 'logistic';
    for (let round = 0; round < maxIterations; round++) {
      // Gradients and hessians of the loss at the current raw predictions.
      if (kernel !== null) kernel.gradients(trainCount, logistic, weights !== undefined);
      else lossGradients(trainRows, raw, target, weights ?? null, gradient, hessian, 0, trainCount, logistic);
      let count = 0;
      if (subsample < 1) {
        for (let k = 0; k < trainCount; k++) {
          const i = trainRows[k] as number;
          const drawn = random() < subsample ? 1 : 0;
          inSample[i] = drawn;
          if (drawn === 1) workspace.rows[count++] = i;
        }
        if (count === 0) {
          workspace.rows[0] = trainRows[0] as number;
          inSample[trainRows[0] as number] = 1;
          count = 1;
        }
      } else {
        workspace.rows.set(trainRows);
        count = trainCount;
      }
      const tree = growGradientTree(workspace, count, gradient, hessian, settings);
      const value = workspace.value;
      // Rows the tree was grown on: each leaf owns a range of workspace.rows.
      if (kernel !== null) kernel.addLeaves(tree, value);
      else {
        const leaves: number[] = [];
        for (let node = 0; node < tree.size; node++) if ((tree.feature[node] as number) < 0) leaves.push(node);
        const at = (from: ArrayLike<number>) => Int32Array.from(leaves, (node) => from[node] as number);
        addLeafValues(workspace.rows, raw, at(tree.start), at(tree.end), Float64Array.from(leaves, (node) => value[node] as number), leaves.length, 0, n);
      }
      // Other rows walk the tree on their codes.
      if (subsample < 1) {
        for (let k = 0; k < trainCount; k++) {
          const i = trainRows[k] as number;
          if (inSample[i] === 0) raw[i] = (raw[i] as number) + (value[binnedLeaf(tree, binned, i)] as number);
        }
      }
      for (let k = 0; k < validationRows.length; k++) {
        const i = validationRows[k] as number;
        raw[i] = (raw[i] as number) + (value[binnedLeaf(tree, binned, i)] as number);
      }
      trees.push(treeToJson(tree, value, 1));
      if (earlyStopping) {
        const current = meanLoss(raw, target, weights, validationRows, logistic);
        validationLoss.push(current);
        if (current < bestLoss - TOLERANCE) {
          bestLoss = current;
          bestRound = round;
        } else if (round - bestRound >= patience) {
          break;
        }
      }
    }
    const kept = earlyStopping ? trees.slice(0, bestRound + 1) : trees;
    return {
      kind: 'gradient_boosting',
      loss: fittedLoss,
      features: matrix.cols,
      baseline,
      learningRate,
      trees: kept,
      validationLoss: earlyStopping ? validationLoss : null,
      featureImportance: splitGainImportance(kept, matrix.cols),
    };
  }
}

/**
 * The loss's gradient and hessian at the raw predictions, for the rows
 * rows[from, to): logistic (p − y and p(1 − p), p the sigmoid) or squared
 * (f − y and 1), times the row's weight. The fits without the WebAssembly
 * kernel run it; the kernel's `gradients` is its twin, operation for
 * operation (its exp too: internal/exp.ts, not `Math.exp`, whose last bit
 * differs between engines), so the two give the same doubles everywhere.
 * @internal
 */
export function lossGradients(rows: Int32Array, raw: Float64Array, target: Float64Array, weights: Float64Array | null, gradient: Float64Array, hessian: Float64Array, from: number, to: number, logistic: boolean): void {
  for (let k = from; k < to; k++) {
    const i = rows[k]!;
    const w = weights === null ? 1 : weights[i]!;
    if (logistic) {
      const p = 1 / (1 + exp(-raw[i]!));
      gradient[i] = w * (p - target[i]!);
      hessian[i] = w * p * (1 - p);
    } else {
      gradient[i] = w * (raw[i]! - target[i]!);
      hessian[i] = w;
    }
  }
}

/** Marks ⌈share · n⌉ rows (per class, for a classifier) as validation rows; returns how many. */
function markValidation(mark: Uint8Array, y: Float64Array, stratify: boolean, share: number, random: () => number): number {
  const n = y.length;
  const groups: number[][] = stratify ? [[], []] : [[]];
  for (let i = 0; i < n; i++) (groups[stratify ? (y[i] as number) : 0] as number[]).push(i);
  let marked = 0;
  for (const group of groups) {
    const take = Math.min(group.length, Math.ceil(share * group.length));
    for (let k = 0; k < take; k++) {
      const other = k + Math.floor(random() * (group.length - k));
      const swap = group[k] as number;
      group[k] = group[other] as number;
      group[other] = swap;
      mark[group[k] as number] = 1;
    }
    marked += take;
  }
  return marked;
}

/** Weighted mean log loss (logistic) or squared error at the raw predictions. */
function meanLoss(raw: Float64Array, y: Float64Array, weights: Float64Array | undefined, rows: Int32Array, logistic: boolean): number {
  let total = 0;
  let weightSum = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] as number;
    const w = weights === undefined ? 1 : (weights[i] as number);
    const r = raw[i] as number;
    const yi = y[i] as number;
    // log(1 + e^r) − y·r, computed without overflow.
    const value = logistic ? Math.max(r, 0) + Math.log1p(Math.exp(-Math.abs(r))) - yi * r : (r - yi) * (r - yi);
    total += w * value;
    weightSum += w;
  }
  return weightSum > 0 ? total / weightSum : 0;
}

/** Each feature's share of the total split gain over the trees. @internal */
export function splitGainImportance(trees: readonly { readonly feature: readonly number[]; readonly gain: readonly number[] }[], features: number): number[] {
  const importance = new Array<number>(features).fill(0);
  let total = 0;
  for (const tree of trees) {
    tree.feature.forEach((f, node) => {
      if (f < 0) return;
      const gain = tree.gain[node] as number;
      importance[f] = (importance[f] as number) + gain;
      total += gain;
    });
  }
  return total > 0 ? importance.map((v) => v / total) : importance;
}
