import { choleskySolve, pivotedCholesky } from '../linalg/cholesky.js';
import { takeValues } from '../linalg/denseMatrix.js';
import { type Problem, type Sample, classWeights, evaluate, hessian, optimality } from './logisticObjective.js';
import { separationOf } from './logisticInference.js';

/*
 * The solvers of fitLogistic: damped Newton with BFGS refreshes of the
 * Hessian model (and a warm start from a row sample on many rows), and the
 * proximal Newton step with coordinate descent for an l1 penalty. L-BFGS
 * lives in linalg/lbfgs.ts; fitLogistic drives it. @internal
 */

export interface NewtonResult {
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
export function newton(
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
  // 'exact': the model is the Hessian just computed at the current point;
  // 'updated': BFGS updates (or a given Hessian) have changed it since.
  let modelState: 'exact' | 'updated' = 'updated';
  // A fit that converged on an updated model is finished by one exact Newton step —
  // unless the Hessian is fixed or sampled (it stays an approximation) or the caller asked not to.
  const polishes = settings.finish !== false && settings.hessian === undefined && sample === undefined;
  let polished = false;
  const change = new Float64Array(q);
  const curvature = new Float64Array(q);
  while (iterations < maxIterations) {
    if (gradientNorm <= tolerance * Math.max(1, Math.abs(objective))) {
      // Reached on an updated model, finish with one exact Newton step: from here it
      // gains many digits, as the exact-Hessian iteration would have.
      if (modelState === 'exact' || polished || !polishes) {
        converged = true;
        break;
      }
      polished = true;
      refresh = true;
    }
    if (refresh || model === undefined) {
      model = hessian(problem, currentEta, sample);
      refresh = l1 > 0;
      modelState = 'exact';
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
          modelState = 'updated';
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
export function bfgsUpdate(h: Float64Array, s: Float64Array, y: Float64Array, q: number): void {
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
export function warmStart(problem: Problem, sample: Sample, start: Float64Array, tolerance: number, onNonFinite: () => void): { theta: Float64Array; hessian: Float64Array } | undefined {
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

/** −H⁻¹g by pivoted Cholesky (a rank-deficient H leaves the dependent directions still). */
export function newtonStep(h: Float64Array, gradient: Float64Array, q: number): Float64Array {
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
export function proximalStep(h: Float64Array, gradient: Float64Array, theta: Float64Array, l1: number, q: number, fitIntercept: boolean): Float64Array {
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