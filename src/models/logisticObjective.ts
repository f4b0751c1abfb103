import { type DenseMatrix, ROW_GROUP, accumulateRows, predictRows, simdRowPass, takeRowsInto } from '../linalg/denseMatrix.js';
import { borrowScratch } from '../internal/scratch.js';
import { crossProducts } from '../linalg/gram.js';
import { type SimdKernels, simdKernels } from '../linalg/simd.js';

/*
 * The logistic objective and its row passes: the penalised negative
 * log-likelihood with its gradient in one blocked pass over X (SIMD where
 * available), the Hessian (of every row or of a row sample) and the small
 * helpers the solvers share. @internal
 */

/** @internal */
export interface Problem {
  readonly X: DenseMatrix;
  readonly y: Float64Array;
  readonly w: Float64Array | undefined;
  readonly l2: number;
  readonly l1: number;
  readonly fitIntercept: boolean;
}

/**
 * Objective and gradient over θ = [b₀, β] (b₀ ignored without intercept);
 * fills `eta` with the linear predictors. One pass over X, eight rows at a
 * time: the linear predictors and the gradient's sums by the SIMD kernels
 * where they run (on chunks of rows copied into their memory), else by
 * their scalar twins — the same sums in the same order either way.
 * @internal
 */
export function evaluate(problem: Problem, theta: Float64Array, gradient: Float64Array, eta: Float64Array, simd: SimdKernels | null = simdKernels()): number {
  const { X, l2, l1, fitIntercept } = problem;
  const { data, rows: n, cols: p } = X;
  gradient.fill(0);
  const intercept = fitIntercept ? (theta[0] as number) : 0;
  const beta = theta.subarray(1);
  // Compensated sum (over groups of eight rows): the line search compares objectives near their rounding.
  const sums = new Float64Array(2);
  const etas = new Float64Array(ROW_GROUP);
  const residuals = new Float64Array(ROW_GROUP);
  let start = 0;
  if (simd !== null && n >= ROW_GROUP) {
    start = simdRowPass(simd, X, beta, intercept, gradient, 1, undefined, (first, count, fits, res) => {
      for (let g = 0; g < count; g += ROW_GROUP) gradient[0] = (gradient[0] as number) + groupTerms(problem, fits, g, first + g, ROW_GROUP, res, eta, sums);
    });
  }
  // Rows left: all of them without the kernels, else the last short group.
  for (; start < n; start += ROW_GROUP) {
    const count = Math.min(ROW_GROUP, n - start);
    predictRows(data, p, start, count, beta, intercept, etas);
    gradient[0] = (gradient[0] as number) + groupTerms(problem, etas, 0, start, count, residuals, eta, sums);
    accumulateRows(data, p, start, count, residuals, gradient, 1);
  }
  if (!fitIntercept) gradient[0] = 0;
  let penalty = 0;
  for (let j = 1; j <= p; j++) {
    const b = theta[j] as number;
    penalty += 0.5 * l2 * b * b + l1 * Math.abs(b);
    gradient[j] = (gradient[j] as number) + l2 * b;
  }
  return (sums[0] as number) + (sums[1] as number) + penalty;
}

/**
 * One group's losses and residuals: reads the linear predictors at
 * `etas[at…]`, stores them in `eta` and the residuals w(σ(η) − y) at
 * `residuals[at…]`, adds the group's loss to the compensated sum in `sums`
 * (total, compensation) and returns the residuals' sum.
 */
export function groupTerms(problem: Problem, etas: Float64Array, at: number, start: number, count: number, residuals: Float64Array, eta: Float64Array, sums: Float64Array): number {
  const { y, w } = problem;
  // Unweighted, the group's log1p(e^-|η|) terms come from one log of the
  // product of their 1 + e^-|η| (each in (1, 2], so no overflow): an eighth
  // of the calls, and the group's loss still within a few 2^-53.
  let linear = 0;
  let product = 1;
  let residualTotal = 0;
  for (let r = 0; r < count; r++) {
    const i = start + r;
    const e = etas[at + r] as number;
    eta[i] = e;
    const label = y[i] as number;
    const t = Math.exp(-Math.abs(e));
    const u = 1 + t;
    const inverse = 1 / u;
    // Without branches on the sign of η (unpredictable): max(η, 0) = (η + |η|)/2 and
    // σ(η) = 1/(1 + e^-|η|) or e^-|η|/(1 + e^-|η|), picked by a 0/1 factor; both exact.
    const positive = +(e >= 0);
    const sigmoid = positive * inverse + (1 - positive) * (t * inverse);
    const hinge = 0.5 * (e + Math.abs(e));
    let residual: number;
    if (w === undefined) {
      linear += hinge - label * e;
      product *= u;
      residual = sigmoid - label;
    } else {
      const weight = w[i] as number;
      linear += weight * (hinge + Math.log1p(t) - label * e);
      residual = weight * (sigmoid - label);
    }
    residuals[at + r] = residual;
    residualTotal += residual;
  }
  const term = w === undefined ? linear + Math.log(product) : linear;
  const loss = sums[0] as number;
  const next = loss + term;
  sums[1] = (sums[1] as number) + (Math.abs(loss) >= Math.abs(term) ? loss - next + term : term - next + loss);
  sums[0] = next;
  return residualTotal;
}

/** Every k-th row of a large X, with the factor that scales its sums to all rows. */
export interface Sample {
  readonly X: DenseMatrix;
  readonly rows: Int32Array;
  readonly scale: number;
}

/** Rows kept for the Newton iterations' Hessian: all up to 2^17, else an even stride down to about 2^16. */
export const HESSIAN_ROWS = 1 << 16;

/** The Hessian's row sample, its rows copied into a scratch buffer (see `borrowScratch`) that the fit gives back when done with it. */
export function hessianSample(X: DenseMatrix): Sample | undefined {
  if (X.rows <= 2 * HESSIAN_ROWS) return undefined;
  const stride = Math.ceil(X.rows / HESSIAN_ROWS);
  const rows = Int32Array.from({ length: Math.ceil(X.rows / stride) }, (_, k) => k * stride);
  const taken = takeRowsInto(X, rows, { data: borrowScratch(rows.length * X.cols) });
  // As takeRows would have it: a buffer of exactly its rows (the scratch buffer may be longer).
  return { X: taken, rows, scale: X.rows / rows.length };
}

/**
 * Hessian of the smooth part over θ, (p+1) × (p+1) row-major, from one
 * blocked pass — over a strided sample of the rows when one is given (its
 * sums scaled to all rows), which steers Newton's direction as well at a
 * fraction of the cost; the gradient and the objective always use every row.
 */
export function hessian(problem: Problem, eta: Float64Array, sample?: Sample): Float64Array {
  const { w, l2, fitIntercept } = problem;
  const X = sample?.X ?? problem.X;
  const n = X.rows;
  const p = X.cols;
  const curvature = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = sample === undefined ? k : (sample.rows[k] as number);
    const probability = 1 / (1 + Math.exp(-(eta[i] as number)));
    curvature[k] = (w === undefined ? 1 : (w[i] as number)) * probability * (1 - probability) * (sample?.scale ?? 1);
  }
  const cross = crossProducts(X, undefined, curvature, false);
  const q = p + 1;
  const h = new Float64Array(q * q);
  h[0] = fitIntercept ? cross.weightTotal : 1;
  for (let j = 0; j < p; j++) {
    const s = fitIntercept ? (cross.sums[j] as number) : 0;
    h[j + 1] = s;
    h[(j + 1) * q] = s;
    for (let k = 0; k < p; k++) h[(j + 1) * q + (k + 1)] = (cross.products[j * q + k] as number) + (j === k ? l2 : 0);
  }
  return h;
}

/** The total weight of the 1s and of all rows (each row 1 without weights). */
export function classWeights(y: Float64Array, w: Float64Array | undefined): { positives: number; total: number } {
  let positives = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const weight = w === undefined ? 1 : (w[i] as number);
    positives += weight * (y[i] as number);
    total += weight;
  }
  return { positives, total };
}

/** Column means and standard deviations (1 for a constant column). */
export function columnMoments(matrix: DenseMatrix): { means: Float64Array; scales: Float64Array } {
  const { data, rows: n, cols: p } = matrix;
  const means = new Float64Array(p);
  const scales = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) means[j] = (means[j] as number) + (data[i * p + j] as number);
  for (let j = 0; j < p; j++) means[j] = (means[j] as number) / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) scales[j] = (scales[j] as number) + ((data[i * p + j] as number) - (means[j] as number)) ** 2;
  for (let j = 0; j < p; j++) {
    const sd = Math.sqrt((scales[j] as number) / n);
    scales[j] = sd > 0 ? sd : 1;
  }
  return { means, scales };
}

export function maxAbs(values: Float64Array): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i] as number));
  return m;
}

/** Largest violation of the optimality conditions (subgradient for l1; intercept unpenalised). */
export function optimality(theta: Float64Array, gradient: Float64Array, l1: number, fitIntercept: boolean): number {
  let m = fitIntercept ? Math.abs(gradient[0] as number) : 0;
  for (let j = 1; j < theta.length; j++) {
    let g = gradient[j] as number;
    if (l1 > 0) {
      // gradient already holds the smooth part plus l1·sign(b) only through the objective; add the subgradient here.
      const b = theta[j] as number;
      if (b > 0) g += l1;
      else if (b < 0) g -= l1;
      else g = Math.max(0, Math.abs(g) - l1);
    }
    m = Math.max(m, Math.abs(g));
  }
  return m;
}