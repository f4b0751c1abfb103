import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { choleskyInverse, choleskySolve, pivotedCholesky } from '../linalg/cholesky.js';
import { type DenseMatrix, type MatrixInput, ROW_GROUP, accumulateRows, predictRows, simdRowPass, requireFinite, takeRows, takeValues, toDenseMatrix } from '../linalg/denseMatrix.js';
import { crossProducts } from '../linalg/gram.js';
import { type SimdKernels, simdKernels } from '../linalg/simd.js';
import { lbfgs } from '../linalg/lbfgs.js';
import { binaryVector, checkOptions, rules, sameLength, sampleWeights } from '../internal/validate.js';
import { normalQuantile, normalSf } from '../stats/normal.js';
import { plainTerm } from './fitLinear.js';
import { type Term, TermSchema, featureNames } from './term.js';

export interface LogisticOptions {
  /** Fit an intercept (never penalised). Default true. */
  readonly fitIntercept?: boolean;
  /** L2 penalty λ: adds (λ/2)‖β‖²; λ = 1/C matches scikit-learn `LogisticRegression(C)`. Default 0. */
  readonly l2?: number;
  /** L1 penalty: adds l1·‖β‖₁ (solved by proximal Newton with coordinate descent). Default 0. */
  readonly l1?: number;
  readonly sampleWeight?: ArrayLike<number>;
  /** `'auto'` (default: Newton up to 60 columns, L-BFGS beyond), `'newton'` or `'lbfgs'` (L2 only). */
  readonly solver?: 'auto' | 'newton' | 'lbfgs';
  /** Default 100 (Newton) or 1000 (L-BFGS). */
  readonly maxIterations?: number;
  /** Converged when max |gradient| ≤ tolerance · max(1, |objective|). Default 1e-10. */
  readonly tolerance?: number;
  readonly names?: readonly string[];
  /** Interval coverage 1 − alpha for the terms. Default 0.05. */
  readonly alpha?: number;
}

/** The most iterations a fit may be asked for: every loop stays bounded. */
export const MAX_ITERATIONS = 100_000;

/** The rules {@link fitLogistic} checks its options by. @internal */
export function logisticOptionRules() {
  return {
    fitIntercept: rules.boolean(),
    l2: rules.number({ min: 0 }),
    l1: rules.number({ min: 0 }),
    sampleWeight: rules.vector(),
    solver: rules.oneOf(['auto', 'newton', 'lbfgs']),
    maxIterations: rules.integer({ min: 1, max: MAX_ITERATIONS }),
    tolerance: rules.number({ min: 0, minExclusive: true }),
    names: rules.strings(),
    alpha: rules.fraction(),
  };
}

export const LogisticModelSchema = z
  .object({
    kind: z.literal('logistic'),
    names: z.array(z.string()),
    intercept: z.number(),
    coefficients: z.array(z.number()),
    fitIntercept: z.boolean(),
    l2: z.number(),
    l1: z.number(),
    n: z.number(),
    solver: z.enum(['newton', 'lbfgs']),
    converged: z.boolean(),
    iterations: z.number(),
    gradientNorm: z.number(),
    objective: z.number(),
    /** `'complete'` or `'quasi'` when the classes are (nearly) separable and the unpenalised optimum is at infinity; null otherwise. */
    separation: z.enum(['complete', 'quasi']).nullable(),
    warning: z.string().nullable(),
    terms: z.array(TermSchema),
  })
  .refine((model) => model.coefficients.length === model.names.length, {
    message: 'coefficients must hold one value per name',
    path: ['coefficients'],
  })
  .readonly();
export type LogisticModel = z.infer<typeof LogisticModelSchema>;

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
function groupTerms(problem: Problem, etas: Float64Array, at: number, start: number, count: number, residuals: Float64Array, eta: Float64Array, sums: Float64Array): number {
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
interface Sample {
  readonly X: DenseMatrix;
  readonly rows: Int32Array;
  readonly scale: number;
}

/** Rows kept for the Newton iterations' Hessian: all up to 2^17, else an even stride down to about 2^16. */
const HESSIAN_ROWS = 1 << 16;

function hessianSample(X: DenseMatrix): Sample | undefined {
  if (X.rows <= 2 * HESSIAN_ROWS) return undefined;
  const stride = Math.ceil(X.rows / HESSIAN_ROWS);
  const rows = Int32Array.from({ length: Math.ceil(X.rows / stride) }, (_, k) => k * stride);
  return { X: takeRows(X, rows), rows, scale: X.rows / rows.length };
}

/**
 * Hessian of the smooth part over θ, (p+1) × (p+1) row-major, from one
 * blocked pass — over a strided sample of the rows when one is given (its
 * sums scaled to all rows), which steers Newton's direction as well at a
 * fraction of the cost; the gradient and the objective always use every row.
 */
function hessian(problem: Problem, eta: Float64Array, sample?: Sample): Float64Array {
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

interface NewtonResult {
  readonly objective: number;
  readonly iterations: number;
  readonly gradientNorm: number;
  readonly converged: boolean;
  readonly separation: 'complete' | null;
  /** The linear predictors at the returned coefficients (the given array or its spare twin). */
  readonly eta: Float64Array;
}

/**
 * Damped Newton (proximal Newton with l1) from `theta`, updated in place with
 * `eta` and `gradient`: each step solves with the Hessian (of `sample`'s rows
 * when given, or a fixed `hessian`) and halves until the full objective
 * falls, or stays within rounding with a smaller optimality violation. A
 * fixed or sampled Hessian changes only the path, never the optimum: the
 * gradient and the objective always use every row.
 */
function newton(
  problem: Problem,
  theta: Float64Array,
  eta: Float64Array,
  gradient: Float64Array,
  settings: {
    readonly maxIterations: number;
    readonly tolerance: number;
    readonly sample?: Sample | undefined;
    readonly hessian?: Float64Array;
    /** Called when the starting objective is not finite (X may hold a non-finite value). */
    readonly onNonFinite?: () => void;
    /** Finish a fit that converged on a BFGS-updated model with one exact step. Default true. */
    readonly finish?: boolean;
  },
): NewtonResult {
  const { l1, l2, fitIntercept } = problem;
  const { maxIterations, tolerance, sample } = settings;
  const q = theta.length;
  let objective = evaluate(problem, theta, gradient, eta);
  if (!Number.isFinite(objective)) settings.onNonFinite?.();
  let gradientNorm = optimality(theta, gradient, l1, fitIntercept);
  const trial = new Float64Array(q);
  const trialGradient = new Float64Array(q);
  let currentEta: Float64Array = eta;
  let trialEta: Float64Array = new Float64Array(eta.length);
  let iterations = 0;
  let converged = false;
  let separation: 'complete' | null = null;
  // The Hessian model: a given one, or the exact (or sampled) Hessian, refined
  // between recomputations by BFGS updates from each step's change in the full
  // gradient — a Hessian pass costs p/2 times an objective pass, and near the
  // optimum the updated model steers as well. It is recomputed (when no fixed
  // one was given) after a step that had to be shortened, and at every step
  // with l1, whose proximal steps need the current curvature.
  let model: Float64Array | undefined = settings.hessian === undefined ? undefined : Float64Array.from(settings.hessian);
  let refresh = model === undefined;
  // Whether the model is the Hessian just computed (no BFGS update since).
  let exact = false;
  let polished = false;
  const change = new Float64Array(q);
  const curvature = new Float64Array(q);
  while (iterations < maxIterations) {
    if (gradientNorm <= tolerance * Math.max(1, Math.abs(objective))) {
      // Reached on an updated model, finish with one exact Newton step: from here it
      // gains many digits, as the exact-Hessian iteration would have.
      if (exact || polished || settings.finish === false || settings.hessian !== undefined || sample !== undefined) {
        converged = true;
        break;
      }
      polished = true;
      refresh = true;
    }
    if (refresh || model === undefined) {
      model = hessian(problem, currentEta, sample);
      refresh = l1 > 0;
      exact = true;
    }
    const h = model;
    const step = l1 > 0 ? proximalStep(h, gradient, theta, l1, q, fitIntercept) : newtonStep(h, gradient, q);
    let size = 1;
    let accepted = false;
    const noise = 8 * Number.EPSILON * Math.max(1, Math.abs(objective));
    for (let search = 0; search < 50; search++) {
      for (let j = 0; j < q; j++) trial[j] = (theta[j] as number) + size * (step[j] as number);
      const value = evaluate(problem, trial, trialGradient, trialEta);
      const better =
        value < objective - noise ||
        (value <= objective + noise && optimality(trial, trialGradient, l1, fitIntercept) < gradientNorm);
      if (better) {
        accepted = true;
        if (!refresh) {
          exact = false;
          for (let j = 0; j < q; j++) {
            change[j] = (trial[j] as number) - (theta[j] as number);
            curvature[j] = (trialGradient[j] as number) - (gradient[j] as number);
          }
          bfgsUpdate(h, change, curvature, q);
        }
        theta.set(trial);
        gradient.set(trialGradient);
        [currentEta, trialEta] = [trialEta, currentEta];
        objective = value;
        break;
      }
      size /= 2;
    }
    iterations++;
    if (size < 1 && settings.hessian === undefined) refresh = true;
    gradientNorm = optimality(theta, gradient, l1, fitIntercept);
    if (!accepted) {
      converged = gradientNorm <= Math.sqrt(tolerance) * Math.max(1, Math.abs(objective));
      break;
    }
    if (l2 === 0 && l1 === 0 && separationOf(problem.y, currentEta, problem.w) === 'complete') {
      separation = 'complete';
      break;
    }
  }
  if (!converged && gradientNorm <= tolerance * Math.max(1, Math.abs(objective))) converged = true;
  return { objective, iterations, gradientNorm, converged, separation, eta: currentEta };
}

/**
 * BFGS update of a Hessian approximation H (q × q, in place) from a step s
 * and the change y of the gradient: H − (Hs)(Hs)ᵀ/(sᵀHs) + yyᵀ/(yᵀs),
 * skipped unless both curvatures are clearly positive (it keeps H positive
 * definite).
 */
function bfgsUpdate(h: Float64Array, s: Float64Array, y: Float64Array, q: number): void {
  const hs = new Float64Array(q);
  let sHs = 0;
  let ys = 0;
  for (let j = 0; j < q; j++) {
    let total = 0;
    for (let k = 0; k < q; k++) total += (h[j * q + k] as number) * (s[k] as number);
    hs[j] = total;
    sHs += (s[j] as number) * total;
    ys += (y[j] as number) * (s[j] as number);
  }
  if (!(sHs > 0) || !(ys > 1e-12 * sHs)) return;
  for (let j = 0; j < q; j++) {
    for (let k = 0; k < q; k++) {
      h[j * q + k] = (h[j * q + k] as number) - ((hs[j] as number) * (hs[k] as number)) / sHs + ((y[j] as number) * (y[k] as number)) / ys;
    }
  }
}

/**
 * The same problem fitted to the Hessian's row sample, as a starting point
 * for the full data, with the sample's Hessian there (scaled to all rows) for
 * the full-data steps: near the optimum the Hessian barely moves, so the
 * steps converge at a steady rate without a Hessian pass each. The sample's
 * loss stands for 1/scale of the full loss, so its penalties are divided by
 * the sampling factor. Undefined when the sample holds one class only,
 * separates, or does not converge (the fit then starts from the
 * intercept-only model and samples the Hessian at each step).
 */
function warmStart(problem: Problem, sample: Sample, start: Float64Array, tolerance: number, onNonFinite: () => void): { theta: Float64Array; hessian: Float64Array } | undefined {
  const rows = sample.rows;
  const y = takeValues(problem.y, rows);
  const w = problem.w === undefined ? undefined : takeValues(problem.w, rows);
  const { positives, total } = classWeights(y, w);
  if (positives === 0 || positives === total) return undefined;
  const reduced: Problem = { ...problem, X: sample.X, y, w, l2: problem.l2 / sample.scale, l1: problem.l1 / sample.scale };
  const theta = Float64Array.from(start);
  const eta = new Float64Array(rows.length);
  // A starting point needs no finishing exact step: the full-data steps refine it.
  const result = newton(reduced, theta, eta, new Float64Array(theta.length), { maxIterations: 50, tolerance: Math.max(tolerance, 1e-6), onNonFinite, finish: false });
  if (!result.converged || result.separation !== null) return undefined;
  // The sample's Hessian at its optimum, scaled to all rows (the penalty back to its full size).
  const h = hessian(reduced, result.eta);
  for (let k = 0; k < h.length; k++) h[k] = (h[k] as number) * sample.scale;
  if (!problem.fitIntercept) h[0] = 1;
  return { theta, hessian: h };
}

/**
 * Logistic regression by penalised maximum likelihood: minimises
 * Σ wᵢ·logloss(yᵢ, σ(b₀ + xᵢβ)) + (l2/2)‖β‖² + l1‖β‖₁ with the intercept
 * unpenalised, so `l2 = 1/C` reproduces scikit-learn `LogisticRegression(C)`
 * (and `l2 = 0` its `penalty=None`). Solvers: Newton with a backtracking
 * line search (the Hessian from one blocked pass, refined by BFGS updates
 * between recomputations and finished by an exact step; on more than 2¹⁷
 * rows warm-started from a row sample), proximal Newton with coordinate
 * descent for `l1`, or L-BFGS for many columns. The model records `converged`, `iterations` and
 * the final gradient norm. For unpenalised fits, standard errors from the
 * observed information (the inverse Hessian), z statistics, p-values and
 * normal intervals. (Quasi-)separable classes are detected and reported
 * (`separation`, with advice to set `l2`) instead of iterating to infinity.
 *
 * @param X - features
 * @param y - 0/1 outcome
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary`,
 *   `single_class`, `out_of_range`, `invalid_option`
 * @example
 * const model = fitLogistic([[0], [1], [2], [3]], [0, 1, 0, 1], { l2: 1 });
 * model.converged; // => true
 */
export function fitLogistic(X: MatrixInput, y: ArrayLike<number>, options: LogisticOptions = {}): LogisticModel {
  checkOptions(options, logisticOptionRules());
  // X is checked for non-finite values by the first pass over it (the objective), or up front for L-BFGS.
  const matrix = toDenseMatrix(X, 'X', { deferFiniteCheck: true });
  const labels = binaryVector('y', y);
  sameLength('y', labels, matrix.rows, 'X');
  const weights = sampleWeights(options.sampleWeight, matrix.rows, 'X');
  const l2 = options.l2 ?? 0;
  const l1 = options.l1 ?? 0;
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new InputError('invalid_option', 'l2', `l2 must be ≥ 0, got ${l2}`);
  if (!(l1 >= 0) || !Number.isFinite(l1)) throw new InputError('invalid_option', 'l1', `l1 must be ≥ 0, got ${l1}`);
  const { positives, total } = classWeights(labels, weights);
  if (positives === 0 || positives === total) {
    throw new InputError('single_class', 'y', `y has only ${positives === 0 ? '0s' : '1s'}; a logistic model needs both classes`);
  }
  const fitIntercept = options.fitIntercept ?? true;
  const p = matrix.cols;
  const requested = options.solver ?? 'auto';
  if (requested !== 'auto' && requested !== 'newton' && requested !== 'lbfgs') {
    throw new InputError('invalid_option', 'solver', `solver must be 'auto', 'newton' or 'lbfgs', got ${String(requested)}`);
  }
  if (requested === 'lbfgs' && l1 > 0) throw new InputError('invalid_option', 'solver', "the 'lbfgs' solver handles l2 only; use 'newton' with l1");
  const solver = requested === 'auto' ? (p <= 60 || l1 > 0 ? 'newton' : 'lbfgs') : requested;
  const tolerance = options.tolerance ?? 1e-10;
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new InputError('invalid_option', 'alpha', `alpha must be in (0, 1), got ${alpha}`);
  const problem: Problem = { X: matrix, y: labels, w: weights, l2, l1, fitIntercept };
  const names = featureNames(p, options.names ?? (!Array.isArray(X) && 'dataset' in X ? (X as { columns: readonly string[] }).columns : undefined));

  const q = p + 1;
  let theta: Float64Array = new Float64Array(q);
  if (fitIntercept) theta[0] = Math.log(positives / (total - positives));
  const gradient = new Float64Array(q);
  let eta: Float64Array = new Float64Array(matrix.rows);
  let objective: number;
  let iterations = 0;
  let gradientNorm: number;
  let converged = false;
  let separation: 'complete' | 'quasi' | null = null;

  if (solver === 'lbfgs') {
    requireFinite(matrix);
    // Optimise over standardised columns (γⱼ = sⱼβⱼ, centred intercept), which
    // conditions the problem; the gradient maps back by the chain rule.
    const { means, scales } = columnMoments(matrix);
    const toOriginal = (gamma: Float64Array, out: Float64Array) => {
      let intercept = gamma[0] as number;
      for (let j = 0; j < p; j++) {
        const b = (gamma[j + 1] as number) / (scales[j] as number);
        out[j + 1] = b;
        if (fitIntercept) intercept -= b * (means[j] as number);
      }
      out[0] = fitIntercept ? intercept : 0;
    };
    const original = new Float64Array(q);
    const originalGradient = new Float64Array(q);
    const start = new Float64Array(q);
    start[0] = theta[0] as number;
    const result = lbfgs(
      (gamma, g) => {
        toOriginal(gamma, original);
        const value = evaluate(problem, original, originalGradient, eta);
        g[0] = fitIntercept ? (originalGradient[0] as number) : 0;
        for (let j = 0; j < p; j++) {
          g[j + 1] = ((originalGradient[j + 1] as number) - (fitIntercept ? (originalGradient[0] as number) * (means[j] as number) : 0)) / (scales[j] as number);
        }
        return value;
      },
      start,
      { tolerance, maxIterations: options.maxIterations ?? 1000 },
    );
    toOriginal(result.x, theta);
    objective = evaluate(problem, theta, gradient, eta);
    iterations = result.iterations;
    gradientNorm = maxAbs(gradient);
    converged = result.converged || gradientNorm <= tolerance * Math.max(1, Math.abs(objective));
  } else {
    const maxIterations = options.maxIterations ?? 100;
    const sample = hessianSample(matrix);
    // On many rows, start from the fit to the Hessian's row sample (its penalties
    // scaled to the sample's share), which leaves a few full-data Newton steps.
    const onNonFinite = () => requireFinite(matrix);
    const warm = sample === undefined ? undefined : warmStart(problem, sample, theta, tolerance, onNonFinite);
    if (warm !== undefined) theta = warm.theta;
    // With l1 the proximal steps re-sample the Hessian at each step, as without a
    // warm start: the BFGS refinement is only used for smooth objectives.
    const fixed = warm !== undefined && l1 === 0;
    const result = newton(problem, theta, eta, gradient, fixed ? { maxIterations, tolerance, hessian: warm.hessian, onNonFinite } : { maxIterations, tolerance, sample, onNonFinite });
    ({ objective, iterations, gradientNorm, converged, separation } = result);
    eta = result.eta;
  }
  if (l2 === 0 && l1 === 0 && separation === null) {
    // A converged fit with saturated rows has a finite optimum (extreme rows are fine);
    // saturation without convergence means the coefficients run off to infinity.
    const found = separationOf(labels, eta, weights);
    if (found === 'complete' || found === 'weakly_separating' || (found === 'quasi' && !converged)) separation = found === 'complete' ? 'complete' : 'quasi';
  }

  let terms: Term[];
  const coefficientNames = [...(fitIntercept ? ['(intercept)'] : []), ...names];
  const estimates = fitIntercept ? Array.from(theta) : Array.from(theta.subarray(1));
  // The Hessian for inference; a direction of (near) zero curvature that separates the
  // classes weakly is quasi-complete separation that the gradient test cannot see.
  const h = l2 === 0 && l1 === 0 && separation === null ? hessian(problem, eta) : undefined;
  if (h !== undefined && flatSeparatingDirection(problem, h, q, theta)) separation = 'quasi';
  if (h !== undefined && separation === null) {
    const covariance = inverseSymmetric(h, q);
    const z = normalQuantile(1 - alpha / 2);
    terms = coefficientNames.map((name, index) => {
      const k = fitIntercept ? index : index + 1;
      const variance = covariance?.[k * q + k];
      const estimate = estimates[index] as number;
      if (variance === undefined || !(variance > 0)) return plainTerm(name, estimate);
      const se = Math.sqrt(variance);
      const statistic = estimate / se;
      return {
        name,
        estimate,
        standardError: se,
        robustStandardError: null,
        statistic,
        pValue: Math.min(1, 2 * normalSf(Math.abs(statistic))),
        ci: [estimate - z * se, estimate + z * se],
        dropped: false,
      };
    });
  } else {
    terms = coefficientNames.map((name, index) => plainTerm(name, estimates[index] as number));
  }
  return {
    kind: 'logistic',
    names,
    intercept: fitIntercept ? (theta[0] as number) : 0,
    coefficients: Array.from(theta.subarray(1)),
    fitIntercept,
    l2,
    l1,
    n: matrix.rows,
    solver,
    converged: converged && separation === null,
    iterations,
    gradientNorm,
    objective,
    separation,
    warning:
      separation === null
        ? converged
          ? null
          : `did not converge in ${iterations} iterations (max |gradient| ${gradientNorm.toExponential(3)}); raise maxIterations or set l2`
        : `the classes are ${separation === 'complete' ? 'completely' : 'quasi-completely'} separable: the unpenalised coefficients diverge; set l2 (e.g. 1) for a finite fit`,
    terms,
  };
}

/** The total weight of the 1s and of all rows (each row 1 without weights). */
function classWeights(y: Float64Array, w: Float64Array | undefined): { positives: number; total: number } {
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
function columnMoments(matrix: DenseMatrix): { means: Float64Array; scales: Float64Array } {
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

function maxAbs(values: Float64Array): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i] as number));
  return m;
}

/** Largest violation of the optimality conditions (subgradient for l1; intercept unpenalised). */
function optimality(theta: Float64Array, gradient: Float64Array, l1: number, fitIntercept: boolean): number {
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

/** −H⁻¹g by pivoted Cholesky (a rank-deficient H leaves the dependent directions still). */
function newtonStep(h: Float64Array, gradient: Float64Array, q: number): Float64Array {
  const scale = new Float64Array(q);
  for (let j = 0; j < q; j++) scale[j] = Math.sqrt(Math.max(h[j * q + j] as number, 1e-300));
  const scaled = new Float64Array(q * q);
  for (let j = 0; j < q; j++) for (let k = 0; k < q; k++) scaled[j * q + k] = (h[j * q + k] as number) / ((scale[j] as number) * (scale[k] as number));
  const factor = pivotedCholesky(scaled, q, 1e-14);
  const rhs = new Float64Array(factor.rank);
  for (let k = 0; k < factor.rank; k++) {
    const j = factor.order[k] as number;
    rhs[k] = -(gradient[j] as number) / (scale[j] as number);
  }
  const solution = choleskySolve(factor.factor, factor.rank, rhs);
  const step = new Float64Array(q);
  for (let k = 0; k < factor.rank; k++) {
    const j = factor.order[k] as number;
    step[j] = (solution[k] as number) / (scale[j] as number);
  }
  return step;
}

/**
 * Proximal Newton direction for the l1 penalty: minimise the quadratic model
 * gᵀd + ½dᵀHd + l1‖β + d‖₁ by cyclic coordinate descent (glmnet's inner
 * loop). The unpenalised intercept is eliminated first (its best step for
 * given d_β is −(g₀ + h₀ᵀd_β)/h₀₀), leaving the Schur complement: the
 * curvature of centred columns, so a column with a large mean is not nearly
 * collinear with the intercept and the descent converges in few sweeps.
 */
function proximalStep(h: Float64Array, gradient: Float64Array, theta: Float64Array, l1: number, q: number, fitIntercept: boolean): Float64Array {
  const p = q - 1;
  const h00 = h[0] as number;
  const eliminate = fitIntercept && h00 > 0;
  // Reduced quadratic over d_β: S = H_ββ − h_β0 h_0βᵀ / h₀₀, r = g_β − h_β0 g₀ / h₀₀.
  const S = new Float64Array(p * p);
  const r = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const hj0 = eliminate ? (h[(j + 1) * q] as number) : 0;
    r[j] = (gradient[j + 1] as number) - (eliminate ? (hj0 * (gradient[0] as number)) / h00 : 0);
    for (let k = 0; k < p; k++) S[j * p + k] = (h[(j + 1) * q + k + 1] as number) - (eliminate ? (hj0 * (h[k + 1] as number)) / h00 : 0);
  }
  const d = new Float64Array(q);
  const sd = new Float64Array(p);
  for (let sweep = 0; sweep < 1000; sweep++) {
    let change = 0;
    for (let j = 0; j < p; j++) {
      const sjj = S[j * p + j] as number;
      if (!(sjj > 0)) continue;
      const dj = d[j + 1] as number;
      // Partial derivative of the model at d, without j's own term.
      const partial = (r[j] as number) + (sd[j] as number) - sjj * dj;
      const current = theta[j + 1] as number;
      const z = current - partial / sjj;
      const next = Math.sign(z) * Math.max(0, Math.abs(z) - l1 / sjj) - current;
      const delta = next - dj;
      if (delta !== 0) {
        for (let k = 0; k < p; k++) sd[k] = (sd[k] as number) + (S[k * p + j] as number) * delta;
        d[j + 1] = next;
        change = Math.max(change, Math.abs(delta) * Math.sqrt(sjj));
      }
    }
    if (change < 1e-14) break;
  }
  if (eliminate) {
    let total = gradient[0] as number;
    for (let j = 0; j < p; j++) total += (h[j + 1] as number) * (d[j + 1] as number);
    d[0] = -total / h00;
  }
  return d;
}

/**
 * Separation, read off the fitted values: complete when every row is fitted
 * to within 1e-6 of its label (the likelihood tends to 1 as β grows without
 * bound); quasi-complete when some rows are fitted numerically at 0 or 1
 * (|η| > 25, R's "fitted probabilities numerically 0 or 1").
 *
 * `'weakly_separating'`: some row is fitted beyond odds of e¹⁰ (|η| > 10)
 * and the fitted direction puts every row (of positive weight) on its label's side of the boundary
 * or on it (margin (2y − 1)·η ≥ −1e-6·max |η|). Such a direction separates
 * the classes weakly, so the likelihood keeps rising along it and no finite
 * optimum exists (quasi-complete separation, Albert & Anderson 1984) —
 * however small the gradient became on the way: the rows on the boundary
 * cancel to rounding while the saturated ones contribute nothing. A finite
 * optimum always misclassifies some row by a clear margin.
 */
function separationOf(labels: Float64Array, eta: Float64Array, weights?: Float64Array): 'complete' | 'weakly_separating' | 'quasi' | null {
  let saturated = 0;
  let fitted = 0;
  let largest = 0;
  let worstMargin = Infinity;
  for (let i = 0; i < labels.length; i++) {
    const e = eta[i] as number;
    const probability = 1 / (1 + Math.exp(-e));
    if (Math.abs(probability - (labels[i] as number)) < 1e-6) fitted++;
    if (Math.abs(e) > 25) saturated++;
    if (weights !== undefined && weights[i] === 0) continue;
    const margin = labels[i] === 1 ? e : -e;
    if (margin < worstMargin) worstMargin = margin;
    if (Math.abs(e) > largest) largest = Math.abs(e);
  }
  if (fitted === labels.length) return 'complete';
  // A row fitted beyond odds of e¹⁰ on its side, and none clearly on the wrong side.
  if (largest > 10 && worstMargin >= -1e-6 * largest) return 'weakly_separating';
  return saturated > 0 ? 'quasi' : null;
}

/**
 * True when an eigenvector v of the Hessian with an eigenvalue below 1e-8 of
 * the largest separates the classes weakly: the margins mᵢ = (2yᵢ − 1)·x̃ᵢ·v
 * (x̃ᵢ = (1, xᵢ) with an intercept) of the rows of positive weight are all ≥
 * −1e-7·max m, and max m is more than 1e-6 of the largest row norm (so v is
 * not merely a collinear direction, where X v ≈ 0). The likelihood then
 * keeps rising along v — the rows that move are the saturated ones, each on
 * its label's side — so no finite optimum exists although the gradient
 * vanished to rounding (Albert & Anderson 1984). The Hessian is q × q and
 * its eigenvectors come from ml-matrix; each candidate costs one pass over X.
 */
function flatSeparatingDirection(problem: Problem, h: Float64Array, q: number, theta: Float64Array): boolean {
  const rows = Array.from({ length: q }, (_, i) => Array.from(h.subarray(i * q, i * q + q)));
  const { fitIntercept } = problem;
  // Without an intercept its row and column are zero: leave them out.
  const kept = fitIntercept ? rows : rows.slice(1).map((row) => row.slice(1));
  const size = kept.length;
  if (size === 0) return false;
  const decomposition = new EigenvalueDecomposition(new Matrix(kept), { assumeSymmetric: true });
  const values = decomposition.realEigenvalues;
  const vectors = decomposition.eigenvectorMatrix;
  const largest = Math.max(...values.map(Math.abs));
  if (!(largest > 0)) return false;
  const { X, y, w } = problem;
  const { data, rows: n, cols: p } = X;
  let rowNorm = 0;
  for (let i = 0; i < n; i++) {
    let total = fitIntercept ? 1 : 0;
    for (let j = 0; j < p; j++) total += (data[i * p + j] as number) ** 2;
    rowNorm = Math.max(rowNorm, Math.sqrt(total));
  }
  const flat: number[][] = [];
  for (let k = 0; k < size; k++) if (Math.abs(values[k] as number) <= 1e-8 * largest) flat.push(vectors.getColumn(k));
  if (flat.length === 0) return false;
  // Candidates: each flat eigenvector, and the fitted coefficients projected on
  // their span (the way the iterates were running off when the flat space has
  // several dimensions and the separating direction mixes them).
  const candidates = [...flat];
  if (flat.length > 1) {
    const coefficients = fitIntercept ? Array.from(theta) : Array.from(theta.subarray(1));
    const projection = new Array<number>(size).fill(0);
    for (const u of flat) {
      let c = 0;
      for (let j = 0; j < size; j++) c += (u[j] as number) * (coefficients[j] as number);
      for (let j = 0; j < size; j++) projection[j] = (projection[j] as number) + c * (u[j] as number);
    }
    candidates.push(projection);
  }
  for (const candidate of candidates) {
    const norm = Math.hypot(...candidate);
    if (!(norm > 0)) continue;
    const v = candidate.map((value) => value / norm);
    const intercept = fitIntercept ? (v[0] as number) : 0;
    const offset = fitIntercept ? 1 : 0;
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < n; i++) {
      if (w !== undefined && w[i] === 0) continue;
      let e = intercept;
      for (let j = 0; j < p; j++) e += (v[j + offset] as number) * (data[i * p + j] as number);
      const margin = y[i] === 1 ? e : -e;
      if (margin < low) low = margin;
      if (margin > high) high = margin;
    }
    // Either sign of v: one side must hold every row, the other some row strictly.
    for (const [top, bottom] of [[high, low], [-low, -high]] as const) {
      if (top > 1e-6 * rowNorm && bottom >= -1e-7 * top) return true;
    }
  }
  return false;
}

function inverseSymmetric(h: Float64Array, q: number): Float64Array | undefined {
  const factor = pivotedCholesky(h, q, 1e-14);
  if (factor.rank < q) return undefined;
  const inverse = choleskyInverse(factor.factor, q);
  const out = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    for (let b = 0; b < q; b++) out[(factor.order[a] as number) * q + (factor.order[b] as number)] = inverse[a * q + b] as number;
  }
  return out;
}
