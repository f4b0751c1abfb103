import { z } from 'zod';
import { InputError } from '../errors.js';
import { choleskyInverse, choleskySolve, pivotedCholesky } from '../linalg/cholesky.js';
import { type DenseMatrix, type MatrixInput, ROW_GROUP, accumulateCentredRows, predictRows, simdRowPass, requireFinite, toDenseMatrix } from '../linalg/denseMatrix.js';
import { centred, crossProducts } from '../linalg/gram.js';
import { type SimdKernels, simdKernels } from '../linalg/simd.js';
import { checkOptions, finiteVector, rules, sameLength, sampleWeights } from '../internal/validate.js';
import { studentTQuantile, studentTSf } from '../stats/studentT.js';
import { type Term, TermSchema, featureNames } from './term.js';

export interface LinearOptions {
  /** Fit an intercept (never penalised). Default true. */
  readonly fitIntercept?: boolean;
  /** Ridge penalty λ on Σβ² (scikit-learn `Ridge(alpha=λ)`). Default 0 (OLS). */
  readonly l2?: number;
  readonly sampleWeight?: ArrayLike<number>;
  /** Names of the columns of X (taken from the dataset when X is one). */
  readonly names?: readonly string[];
  /** Interval coverage 1 − alpha for the terms. Default 0.05. */
  readonly alpha?: number;
  /**
   * Relative pivot below which a column counts as collinear with the others
   * (on the correlation scale). Default 1e-10.
   */
  readonly rankTolerance?: number;
}

/** The rules {@link fitLinear} checks its options by. @internal */
export function linearOptionRules() {
  return {
    fitIntercept: rules.boolean(),
    l2: rules.number({ min: 0 }),
    sampleWeight: rules.vector(),
    names: rules.strings(),
    alpha: rules.fraction(),
    rankTolerance: rules.number({ min: 0, max: 1, maxExclusive: true }),
  };
}

export const LinearModelSchema = z
  .object({
    kind: z.literal('linear'),
    names: z.array(z.string()),
    intercept: z.number(),
    coefficients: z.array(z.number()),
    fitIntercept: z.boolean(),
    l2: z.number(),
    n: z.number(),
    rank: z.number(),
    /** Indices of columns dropped as constant or collinear. */
    dropped: z.array(z.number()),
    terms: z.array(TermSchema),
    r2: z.number(),
    adjustedR2: z.number().nullable(),
    residualStandardError: z.number().nullable(),
    dfResidual: z.number(),
  })
  .refine((model) => model.coefficients.length === model.names.length, {
    message: 'coefficients must hold one value per name',
    path: ['coefficients'],
  })
  .readonly();
export type LinearModel = z.infer<typeof LinearModelSchema>;

/**
 * Least squares: ordinary, weighted (`sampleWeight`) or ridge (`l2`), with
 * an unpenalised intercept. One blocked pass over X builds the centred
 * X'WX and X'Wy (rows shifted by the first row so large means cancel before
 * squaring); a pivoted Cholesky on the correlation-scaled system solves it
 * and reveals the rank, so constant and collinear columns are dropped and
 * reported instead of producing a garbage fit; one pass of iterative
 * refinement on the residuals restores the accuracy the normal equations
 * lose. For unpenalised fits, classical and HC1 standard errors, t
 * statistics, p-values and intervals; R², adjusted R² and the residual
 * standard error. O(n·p²). Agrees with scikit-learn `LinearRegression` /
 * `Ridge` and statsmodels `WLS`.
 *
 * @param X - features (DenseMatrix, number[][], or { dataset, columns })
 * @param y - outcome
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `out_of_range`
 *   (negative weight), `invalid_option`, `singular` (fewer rows than kept columns without l2)
 * @example
 * fitLinear([[1], [2], [3], [4]], [3, 5, 7, 9]).coefficients; // => [2]
 */
export function fitLinear(X: MatrixInput, y: ArrayLike<number>, options: LinearOptions = {}): LinearModel {
  checkOptions(options, linearOptionRules());
  const matrix = toDenseMatrix(X, 'X', { deferFiniteCheck: true });
  const target = finiteVector('y', y);
  sameLength('y', target, matrix.rows, 'X');
  if (options.names !== undefined && options.names.length !== matrix.cols) {
    throw new InputError('length_mismatch', 'names', `names has ${options.names.length} entries but X has ${matrix.cols} columns`);
  }
  // An outcome whose squares would overflow or underflow (|y| beyond 2^±400) is fitted
  // scaled by a power of two, which is exact, and the model scaled back: every
  // estimate, standard error and interval is linear in y; statistics and R² do not change.
  let largest = 0;
  for (let i = 0; i < target.length; i++) largest = Math.max(largest, Math.abs(target[i] as number));
  if (largest > 2 ** 400 || (largest > 0 && largest < 2 ** -400)) {
    const exponent = Math.floor(Math.log2(largest));
    const scaled = target.map((v) => v * 2 ** -exponent);
    return scaleLinearModel(fitScaled(matrix, scaled, options, X), exponent);
  }
  return fitScaled(matrix, target, options, X);
}

/** A model of y·2^−e turned into the model of y. */
function scaleLinearModel(model: LinearModel, exponent: number): LinearModel {
  const factor = (v: number) => {
    // Two steps, so that 2^e itself never overflows for e up to 1023.
    const value = v * 2 ** Math.trunc(exponent / 2) * 2 ** (exponent - Math.trunc(exponent / 2));
    if (!Number.isFinite(value)) {
      throw new InputError('out_of_range', 'y', `the fit of y (largest |y| about 2^${exponent}) has an estimate or standard error beyond the largest double (1.8e308): rescale y`);
    }
    return value;
  };
  const maybe = (v: number | null) => (v === null ? null : factor(v));
  return {
    ...model,
    intercept: factor(model.intercept),
    coefficients: model.coefficients.map(factor),
    terms: model.terms.map((term) => ({
      ...term,
      estimate: factor(term.estimate),
      standardError: maybe(term.standardError),
      robustStandardError: maybe(term.robustStandardError),
      ci: [maybe(term.ci[0]), maybe(term.ci[1])] as [number | null, number | null],
    })),
    residualStandardError: maybe(model.residualStandardError),
  };
}

function fitScaled(matrix: DenseMatrix, target: Float64Array, options: LinearOptions, X: MatrixInput): LinearModel {
  const weights = sampleWeights(options.sampleWeight, matrix.rows, 'X');
  const fitIntercept = options.fitIntercept ?? true;
  const l2 = options.l2 ?? 0;
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new InputError('invalid_option', 'l2', `l2 must be ≥ 0, got ${l2}`);
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new InputError('invalid_option', 'alpha', `alpha must be in (0, 1), got ${alpha}`);
  const names = featureNames(matrix.cols, options.names ?? ('dataset' in X && !Array.isArray(X) ? (X as { columns: readonly string[] }).columns : undefined));
  const { rows: n, cols: p } = matrix;
  const q = p + 1;

  if (l2 === 0 && n < p + (fitIntercept ? 1 : 0)) {
    throw new InputError('singular', 'X', `${n} rows cannot determine ${p + (fitIntercept ? 1 : 0)} coefficients; add rows or set l2`);
  }
  const cross = crossProducts(matrix, target, weights, fitIntercept);
  // A non-finite value of X makes its column's diagonal product non-finite: only then look for it.
  for (let j = 0; j < p; j++) {
    if (!Number.isFinite(cross.products[j * q + j] as number)) {
      requireFinite(matrix);
      break;
    }
  }
  const moments = fitIntercept ? centred(cross) : { means: new Float64Array(q), scatter: cross.products };
  const { means, scatter } = moments;
  const weightTotal = cross.weightTotal;

  // Scale to unit diagonal (constant columns keep scale 0 and are dropped).
  const scale = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const d = (scatter[j * q + j] as number) + l2;
    scale[j] = d > 0 ? Math.sqrt(d) : 0;
  }
  const scaled = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < p; k++) {
      const sj = scale[j] as number;
      const sk = scale[k] as number;
      scaled[j * p + k] = sj > 0 && sk > 0 ? ((scatter[j * q + k] as number) + (j === k ? l2 : 0)) / (sj * sk) : 0;
    }
  }
  const factor = pivotedCholesky(scaled, p, options.rankTolerance ?? 1e-10);
  const rank = factor.rank;
  const kept = factor.order.slice(0, rank);
  const dropped = Array.from(factor.order.subarray(rank)).sort((a, b) => a - b);
  const df = n - rank - (fitIntercept ? 1 : 0);
  if (l2 === 0 && df < 0) {
    throw new InputError('singular', 'X', `${n} rows cannot determine ${rank + (fitIntercept ? 1 : 0)} coefficients; add rows or set l2`);
  }

  // Solve in scaled, pivoted coordinates: β_j = γ_k / s_j.
  const solveScaled = (rhs: Float64Array): Float64Array => {
    const b = new Float64Array(rank);
    kept.forEach((j, k) => {
      b[k] = (rhs[j] as number) / (scale[j] as number);
    });
    const gamma = choleskySolve(factor.factor, rank, b);
    const beta = new Float64Array(p);
    kept.forEach((j, k) => {
      beta[j] = (gamma[k] as number) / (scale[j] as number);
    });
    return beta;
  };
  const rhs = new Float64Array(p);
  for (let j = 0; j < p; j++) rhs[j] = scatter[j * q + p] as number;
  const beta = solveScaled(rhs);
  const xMeans = means.subarray(0, p);
  const yMean = means[p] as number;

  // One pass gives the residual sum of squares, the HC1 scores and the
  // gradient for one step of iterative refinement (solve A δ = X_cᵀW r − l2·β).
  const inference = l2 === 0 && df > 0;
  const m = rank + 1;
  const squaredScores = inference ? new Float64Array(n) : undefined;
  let intercept = fitIntercept ? yMean - dotKept(beta, xMeans, kept) : 0;
  const residualGradient = new Float64Array(p);
  const rssBefore = residualPass(matrix, target, weights, beta, intercept, fitIntercept ? xMeans : new Float64Array(p), residualGradient, squaredScores);
  // The refined residuals are r − X_c δ, so their sum of squares is
  // rss − 2δᵀg + δᵀAδ (A the unpenalised scatter of the kept columns): no second pass.
  const gradient = Float64Array.from(residualGradient);
  for (const j of kept) residualGradient[j] = (residualGradient[j] as number) - l2 * (beta[j] as number);
  const delta = solveScaled(residualGradient);
  let correction = 0;
  for (const j of kept) {
    const dj = delta[j] as number;
    correction -= 2 * dj * (gradient[j] as number);
    for (const k of kept) correction += dj * (delta[k] as number) * (scatter[j * q + k] as number);
  }
  for (const j of kept) beta[j] = (beta[j] as number) + (delta[j] as number);
  intercept = fitIntercept ? yMean - dotKept(beta, xMeans, kept) : 0;
  // The HC1 meat Σ w²r² z zᵀ over z = [1, x − x̄] comes from the blocked Gram kernel with
  // weights w²r² about the means; its residuals are those before the refinement step, which
  // moves them by rounding-level amounts.
  const rss = Math.max(0, rssBefore + correction);
  const meat = new Float64Array(m * m);
  if (squaredScores !== undefined) {
    const scored = crossProducts(matrix, undefined, squaredScores, fitIntercept ? xMeans : false);
    meat[0] = scored.weightTotal;
    for (let a = 0; a < rank; a++) {
      const ja = kept[a] as number;
      meat[(a + 1) * m] = scored.sums[ja] as number;
      meat[a + 1] = scored.sums[ja] as number;
      for (let b = 0; b < rank; b++) meat[(a + 1) * m + (b + 1)] = scored.products[ja * q + (kept[b] as number)] as number;
    }
  }
  const tss = fitIntercept ? (scatter[p * q + p] as number) : (cross.products[p * q + p] as number);
  const r2 = tss > 0 ? 1 - rss / tss : rss === 0 ? 1 : 0;

  const coefficients = Array.from(beta);
  let terms: Term[];
  if (inference) {
    const sigma2 = rss / df;
    // Covariance of the kept β (classical): σ²·A⁻¹, A⁻¹ = D⁻¹ P L⁻ᵀL⁻¹ Pᵀ D⁻¹.
    const inverseScaled = choleskyInverse(factor.factor, rank);
    const covariance = new Float64Array(rank * rank);
    for (let a = 0; a < rank; a++) {
      for (let b = 0; b < rank; b++) {
        covariance[a * rank + b] = (inverseScaled[a * rank + b] as number) / ((scale[kept[a] as number] as number) * (scale[kept[b] as number] as number));
      }
    }
    // Bread over (α, β): diag(1/W, A⁻¹) without an intercept column's α when none is fitted.
    const bread = new Float64Array(m * m);
    bread[0] = fitIntercept ? 1 / weightTotal : 0;
    for (let a = 0; a < rank; a++) for (let b = 0; b < rank; b++) bread[(a + 1) * m + (b + 1)] = covariance[a * rank + b] as number;
    const robust = sandwich(bread, meat, m, n / df);
    const t = studentTQuantile(1 - alpha / 2, df);
    const term = (name: string, estimate: number, variance: number, robustVariance: number): Term => {
      const se = Math.sqrt(variance);
      // A perfect fit leaves no residual variance: the statistic is undefined (null), not infinite.
      const statistic = se > 0 ? estimate / se : null;
      return {
        name,
        estimate,
        standardError: se,
        robustStandardError: Math.sqrt(Math.max(0, robustVariance)),
        statistic,
        pValue: statistic === null ? null : Math.min(1, 2 * studentTSf(Math.abs(statistic), df)),
        ci: [estimate - t * se, estimate + t * se],
        dropped: false,
      };
    };
    terms = [];
    if (fitIntercept) {
      const { classical, sandwiched } = interceptVariances(sigma2, weightTotal, robust, covariance, xMeans, kept, rank, m);
      terms.push(term('(intercept)', intercept, classical, sandwiched));
    }
    names.forEach((name, j) => {
      const k = kept.indexOf(j);
      if (k < 0) terms.push(droppedTerm(name));
      else terms.push(term(name, beta[j] as number, sigma2 * (covariance[k * rank + k] as number), robust[(k + 1) * m + (k + 1)] as number));
    });
  } else {
    terms = [
      ...(fitIntercept ? [plainTerm('(intercept)', intercept)] : []),
      ...names.map((name, j) => (dropped.includes(j) ? droppedTerm(name) : plainTerm(name, beta[j] as number))),
    ];
  }
  const kConstant = fitIntercept ? 1 : 0;
  return {
    kind: 'linear',
    names,
    intercept,
    coefficients,
    fitIntercept,
    l2,
    n,
    rank,
    dropped,
    terms,
    r2,
    adjustedR2: df > 0 ? 1 - ((n - kConstant) / df) * (1 - r2) : null,
    residualStandardError: df > 0 ? Math.sqrt(rss / df) : null,
    dfResidual: df,
  };
}

function dotKept(beta: Float64Array, means: Float64Array, kept: ArrayLike<number>): number {
  let total = 0;
  for (let k = 0; k < kept.length; k++) total += (beta[kept[k] as number] as number) * (means[kept[k] as number] as number);
  return total;
}

/** B M B · factor for symmetric m × m B and M. */
function sandwich(bread: Float64Array, meat: Float64Array, m: number, factor: number): Float64Array {
  const left = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
    let s = 0;
    for (let c = 0; c < m; c++) s += (bread[a * m + c] as number) * (meat[c * m + b] as number);
    left[a * m + b] = s;
  }
  const out = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
    let s = 0;
    for (let c = 0; c < m; c++) s += (left[a * m + c] as number) * (bread[c * m + b] as number);
    out[a * m + b] = s * factor;
  }
  return out;
}

/** @internal */
/**
 * The classical and sandwich variances of the intercept of a centred fit:
 * b₀ = α − x̄ᵀβ, so Var = Var(α) − 2x̄ᵀCov(β, α) + x̄ᵀCov(β)x̄. `covariance`
 * is the rank × rank inverse of the kept columns' centred cross-products,
 * `robust` the m × m sandwich over (intercept, kept columns), m = rank + 1.
 * Shared by `fitLinear` and the SQL fit that finishes from the engine's sums.
 * @internal
 */
export function interceptVariances(
  sigma2: number, weightTotal: number, robust: Float64Array, covariance: Float64Array,
  means: Float64Array, kept: ArrayLike<number>, rank: number, m: number,
): { classical: number; sandwiched: number } {
  let classical = sigma2 / weightTotal;
  let sandwiched = robust[0] as number;
  for (let a = 0; a < rank; a++) {
    const xa = means[kept[a] as number] as number;
    sandwiched -= 2 * xa * (robust[(a + 1) * m] as number);
    for (let b = 0; b < rank; b++) {
      const xb = means[kept[b] as number] as number;
      classical += sigma2 * xa * xb * (covariance[a * rank + b] as number);
      sandwiched += xa * xb * (robust[(a + 1) * m + (b + 1)] as number);
    }
  }
  return { classical, sandwiched };
}

export function droppedTerm(name: string): Term {
  return { name, estimate: 0, standardError: null, robustStandardError: null, statistic: null, pValue: null, ci: [null, null], dropped: true };
}

/** @internal */
export function plainTerm(name: string, estimate: number): Term {
  return { name, estimate, standardError: null, robustStandardError: null, statistic: null, pValue: null, ci: [null, null], dropped: false };
}

/**
 * One pass over the rows: residuals r = y − b₀ − xβ (β zero on dropped
 * columns), Σ w r², the gradient Σ w r (x − shift) added to `gradient`, and
 * w²r² per row into `squaredScores` when given. Eight rows at a time, so that
 * each coefficient load feeds eight sums.
 * @internal
 */
export function residualPass(
  X: DenseMatrix,
  y: Float64Array,
  weights: Float64Array | undefined,
  beta: Float64Array,
  intercept: number,
  shift: Float64Array,
  gradient: Float64Array,
  squaredScores: Float64Array | undefined,
  simd: SimdKernels | null = simdKernels(),
): number {
  const { data, rows: n, cols: p } = X;
  let rss = 0;
  let start = 0;
  if (simd !== null && n >= ROW_GROUP) {
    start = simdRowPass(simd, X, beta, intercept, gradient, 0, shift, (first, count, fits, residuals) => {
      rss = residualsOf(fits, first, count, y, weights, residuals, squaredScores, rss);
    });
  }
  const residuals = new Float64Array(ROW_GROUP);
  const fits = new Float64Array(ROW_GROUP);
  for (; start < n; start += ROW_GROUP) {
    const count = Math.min(ROW_GROUP, n - start);
    predictRows(data, p, start, count, beta, intercept, fits);
    rss = residualsOf(fits, start, count, y, weights, residuals, squaredScores, rss);
    accumulateCentredRows(data, p, start, count, residuals, gradient, shift);
  }
  return rss;
}

/**
 * Weighted residuals w(y − ŷ) of `count` rows from `start` (fits and
 * residuals from index 0), w²r² into `squaredScores`; returns `rss` plus
 * their Σ w r², added row by row.
 */
function residualsOf(
  fits: Float64Array,
  start: number,
  count: number,
  y: Float64Array,
  weights: Float64Array | undefined,
  residuals: Float64Array,
  squaredScores: Float64Array | undefined,
  rss: number,
): number {
  for (let r = 0; r < count; r++) {
    const i = start + r;
    const w = weights === undefined ? 1 : (weights[i] as number);
    const residual = (y[i] as number) - (fits[r] as number);
    rss += w * residual * residual;
    if (squaredScores !== undefined) squaredScores[i] = w * w * residual * residual;
    residuals[r] = w * residual;
  }
  return rss;
}
