import { z } from 'zod';
import { InputError } from '../errors.js';
import { type MatrixInput, isChecked, requireFinite, toDenseMatrix } from '../linalg/denseMatrix.js';
import { returnScratch } from '../internal/scratch.js';
import { lbfgs } from '../linalg/lbfgs.js';
import { binaryVector, checkOptions, rules, sameLength, sampleWeights } from '../internal/validate.js';
import { normalQuantile, normalSf } from '../stats/normal.js';
import { plainTerm } from './fitLinear.js';
import { flatSeparatingDirection, inverseSymmetric, separationOf } from './logisticInference.js';
import { type Problem, classWeights, columnMoments, evaluate, hessian, hessianSample, maxAbs } from './logisticObjective.js';
import { newton, warmStart } from './logisticSolvers.js';
import { type Term, TermSchema, featureNames } from './term.js';

// The objective and its row passes, the solvers and the inference live in
// logisticObjective.ts, logisticSolvers.ts and logisticInference.ts; this
// file checks the inputs, picks the solver and assembles the model.
export { evaluate, type Problem } from './logisticObjective.js';

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
    // Optimise over standardised columns (γⱼ = sⱼβⱼ, centred intercept), which
    // conditions the problem; the gradient maps back by the chain rule. The
    // column sums double as the finiteness check (a non-finite value makes its
    // column's sum non-finite; only then is X searched for it), so X is read
    // twice before the solver starts, not three times.
    const { means, scales } = columnMoments(matrix);
    if (!isChecked(matrix) && !means.every(Number.isFinite)) requireFinite(matrix);
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
    // The sample's rows were a scratch copy (see hessianSample); nothing refers to them now.
    if (sample !== undefined) returnScratch(sample.X.data);
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