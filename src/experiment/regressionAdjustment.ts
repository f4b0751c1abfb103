import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { binaryVector, finiteVector, rules, sameLength } from '../internal/validate.js';
import {
  ArmSummarySchema,
  EffectEstimateSchema,
  type EffectOptions,
  InferenceSchema,
  finishInference,
  normalEstimate,
  parseEffectOptions,
  relativeOfMeans,
} from './effect.js';

/** Heteroskedasticity-consistent covariance: HC0 (White), HC1 (n/(n−p)), HC2 (1/(1−h)), HC3 (1/(1−h)²). */
export type HcType = 'HC0' | 'HC1' | 'HC2' | 'HC3';

export interface RegressionAdjustmentOptions extends EffectOptions {
  /** Standard errors from rows. Default `'HC2'` (Lin 2013; estimatr's `lm_lin`). */
  readonly hc?: HcType;
}

/**
 * Sufficient statistics of one arm for regression adjustment: n, Σy, Σy²,
 * Σx (per covariate), Σxxᵀ (row-major k × k) and Σxy — what a SQL engine
 * returns with one pass of SUMs.
 */
export interface CovariateSums {
  readonly n: number;
  readonly sum: number;
  readonly sumSquares: number;
  readonly covariateSums: readonly number[];
  readonly crossProducts: readonly number[];
  readonly covariateOutcomeSums: readonly number[];
}

export const RegressionAdjustmentSchema = z
  .object({
    kind: z.literal('regression_adjusted'),
    covariates: z.array(z.string()),
    control: ArmSummarySchema,
    treated: ArmSummarySchema,
    /** Each arm's mean adjusted to the pooled covariate means (the fitted value at x̄). */
    adjustedMeans: z.object({ control: z.number(), treated: z.number() }).readonly(),
    /** Slopes on the covariates in each arm. */
    slopes: z.object({ control: z.array(z.number()), treated: z.number().array() }).readonly(),
    /** 1 − Var(adjusted difference) / Var(unadjusted difference). */
    varianceReduction: z.number(),
    /** `'HC0'`…`'HC3'` from rows; `'arm-variance'` (each arm's residual variance) from sums. */
    standardErrors: z.enum(['HC0', 'HC1', 'HC2', 'HC3', 'arm-variance']),
    absolute: EffectEstimateSchema,
    relative: EffectEstimateSchema.nullable(),
    relativeNote: z.string().nullable(),
    alpha: z.number(),
    alternative: z.enum(['two-sided', 'less', 'greater']),
    ...InferenceSchema,
  })
  .readonly();
export type RegressionAdjustment = z.infer<typeof RegressionAdjustmentSchema>;

const optionRules = { hc: rules.oneOf(['HC0', 'HC1', 'HC2', 'HC3']) };

interface ArmFit {
  readonly n: number;
  readonly mean: number;
  readonly rawVariance: number;
  readonly intercept: number;
  readonly interceptVariance: number;
  readonly slopes: number[];
}

function choleskyOf(matrix: Matrix, what: string): CholeskyDecomposition {
  const decomposition = new CholeskyDecomposition(matrix);
  if (!decomposition.isPositiveDefinite()) {
    throw new InputError('singular', what, `the covariates are collinear (or constant) in ${what}: the adjustment is not identified`);
  }
  return decomposition;
}

/**
 * Regression adjustment with several pre-period covariates (Lin 2013): in
 * each arm the OLS of the outcome on the covariates centred at their pooled
 * means; the effect is the difference of the two intercepts (the arms'
 * fitted outcomes at the pooled covariate means), identical to the
 * treatment coefficient of y ~ T + X̃ + T·X̃. Standard errors are
 * heteroskedasticity-consistent (default HC2), so the adjustment never
 * costs validity; with one covariate and equal slopes it reduces to CUPED.
 * Agrees with statsmodels `OLS(y, [1, T, X̃, T·X̃]).fit(cov_type='HC2')`.
 * O(n·k²).
 *
 * @param post - the outcome per row
 * @param covariates - named pre-period columns, one value per row each
 * @param arm - 1 treated, 0 control, per row
 * @throws InputError `empty`, `length_mismatch`, `not_finite` (naming the
 *   covariate), `not_binary`, `singular` (collinear covariates), `invalid_option`
 * @example
 * const r = regressionAdjustment([3, 5, 4, 9, 7, 10, 8, 6], { pre: [1, 3, 2, 2, 1, 3, 2, 1] }, [0, 0, 0, 0, 1, 1, 1, 1]);
 * r.covariates; // => ['pre']
 */
export function regressionAdjustment(
  post: ArrayLike<number>,
  covariates: Readonly<Record<string, ArrayLike<number>>>,
  arm: ArrayLike<number>,
  options: RegressionAdjustmentOptions = {},
): RegressionAdjustment {
  const parsed = parseEffectOptions<RegressionAdjustmentOptions>(options, optionRules);
  const hc = options.hc ?? 'HC2';
  const y = finiteVector('post', post);
  const t = binaryVector('arm', arm);
  sameLength('arm', t, y.length, 'post');
  if (covariates === null || typeof covariates !== 'object' || Array.isArray(covariates)) {
    throw new InputError('wrong_type', 'covariates', 'covariates must be an object of named columns');
  }
  const names = Object.keys(covariates);
  if (names.length === 0) throw new InputError('empty', 'covariates', 'give at least one covariate');
  const columns = names.map((name) => {
    const column = finiteVector(name, covariates[name] as ArrayLike<number>);
    sameLength(name, column, y.length, 'post');
    return column;
  });
  const n = y.length;
  const k = names.length;
  const pooledMeans = columns.map((column) => column.reduce((a, b) => a + b, 0) / n);
  const p = 2 * (k + 1);
  const fits = [0, 1].map((which) => {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (t[i] === which) rows.push(i);
    const label = which === 1 ? 'treated' : 'control';
    if (rows.length <= k + 1) throw new InputError('empty', 'arm', `the ${label} arm has ${rows.length} rows; ${k} covariates need at least ${k + 2}`);
    const design = new Matrix(rows.length, k + 1);
    const outcome = Matrix.columnVector(rows.map((i) => y[i] as number));
    rows.forEach((i, r) => {
      design.set(r, 0, 1);
      for (let j = 0; j < k; j++) design.set(r, j + 1, ((columns[j] as Float64Array)[i] as number) - (pooledMeans[j] as number));
    });
    const gram = design.transpose().mmul(design);
    const cholesky = choleskyOf(gram, `the ${label} arm`);
    const beta = cholesky.solve(design.transpose().mmul(outcome));
    const gramInverse = cholesky.solve(Matrix.eye(k + 1));
    // Sandwich: (ZᵀZ)⁻¹ Zᵀ diag(w·e²) Z (ZᵀZ)⁻¹, first row and column only.
    const first = gramInverse.getRow(0);
    let variance = 0;
    let sum = 0;
    let squares = 0;
    rows.forEach((i, r) => {
      const zRow = design.getRow(r);
      let fitted = 0;
      let leverage = 0;
      let influence = 0;
      for (let a = 0; a <= k; a++) {
        fitted += (zRow[a] as number) * beta.get(a, 0);
        influence += (first[a] as number) * (zRow[a] as number);
        let row = 0;
        for (let b = 0; b <= k; b++) row += gramInverse.get(a, b) * (zRow[b] as number);
        leverage += (zRow[a] as number) * row;
      }
      const residual = (y[i] as number) - fitted;
      const weight = hc === 'HC2' ? 1 / (1 - leverage) : hc === 'HC3' ? 1 / (1 - leverage) ** 2 : hc === 'HC1' ? n / (n - p) : 1;
      variance += weight * residual * residual * influence * influence;
      sum += y[i] as number;
      squares += (y[i] as number) ** 2;
    });
    const mean = sum / rows.length;
    return {
      n: rows.length,
      mean,
      rawVariance: Math.max(0, (squares - sum * mean) / (rows.length - 1)),
      intercept: beta.get(0, 0),
      interceptVariance: variance,
      slopes: Array.from({ length: k }, (_, j) => beta.get(j + 1, 0)),
    } satisfies ArmFit;
  }) as [ArmFit, ArmFit];
  return finish(names, fits, hc, parsed);
}

/**
 * {@link regressionAdjustment} from each arm's sufficient statistics (n,
 * sums, cross-products), so a SQL engine can supply them. Without the rows
 * the heteroskedasticity-consistent sandwich cannot be formed; each arm's
 * intercept variance is its residual variance times [(ZᵀZ)⁻¹]₀₀ (variances
 * may differ between arms, `standardErrors: 'arm-variance'`), which equals
 * statsmodels' nonrobust OLS within each arm.
 *
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `singular`, `invalid_option`
 */
export function regressionAdjustmentFromSums(
  control: CovariateSums,
  treated: CovariateSums,
  covariates: readonly string[],
  options: EffectOptions = {},
): RegressionAdjustment {
  const parsed = parseEffectOptions<EffectOptions>(options, {});
  if (!Array.isArray(covariates) || covariates.length === 0) throw new InputError('empty', 'covariates', 'name at least one covariate');
  const k = covariates.length;
  const arms = [control, treated].map((sums, which) => {
    const label = which === 1 ? 'treated' : 'control';
    if (sums === null || typeof sums !== 'object') throw new InputError('wrong_type', label, `${label} must be { n, sum, sumSquares, covariateSums, crossProducts, covariateOutcomeSums }`);
    if (typeof sums.n !== 'number' || !Number.isInteger(sums.n) || sums.n <= k + 1) {
      throw new InputError('empty', `${label}.n`, `${label}.n must be an integer above ${k + 1}, got ${String(sums.n)}`);
    }
    finiteVector(`${label}.sum`, [sums.sum, sums.sumSquares]);
    const xs = finiteVector(`${label}.covariateSums`, sums.covariateSums);
    const xx = finiteVector(`${label}.crossProducts`, sums.crossProducts);
    const xy = finiteVector(`${label}.covariateOutcomeSums`, sums.covariateOutcomeSums);
    sameLength(`${label}.covariateSums`, xs, k, 'covariates');
    sameLength(`${label}.crossProducts`, xx, k * k, 'covariates²');
    sameLength(`${label}.covariateOutcomeSums`, xy, k, 'covariates');
    return { label, n: sums.n, sum: sums.sum, sumSquares: sums.sumSquares, xs, xx, xy };
  });
  const total = (arms[0]?.n as number) + (arms[1]?.n as number);
  const pooledMeans = Array.from({ length: k }, (_, j) => (((arms[0]?.xs[j] as number) + (arms[1]?.xs[j] as number)) / total));
  const fits = arms.map((a) => {
    const mean = a.sum / a.n;
    const means = Array.from({ length: k }, (_, j) => (a.xs[j] as number) / a.n);
    // Within-arm centred cross-products.
    const sxx = new Matrix(k, k);
    const sxy = new Matrix(k, 1);
    for (let i = 0; i < k; i++) {
      // Formed once per pair and mirrored: summed cross-products may differ in the last bit between (i, j) and (j, i).
      for (let j = i; j < k; j++) {
        const value = ((a.xx[i * k + j] as number) + (a.xx[j * k + i] as number)) / 2 - a.n * (means[i] as number) * (means[j] as number);
        sxx.set(i, j, value);
        sxx.set(j, i, value);
      }
      sxy.set(i, 0, (a.xy[i] as number) - a.n * (means[i] as number) * mean);
    }
    const syy = a.sumSquares - a.n * mean * mean;
    const cholesky = choleskyOf(sxx, `the ${a.label} arm`);
    const slopes = cholesky.solve(sxy);
    let explained = 0;
    for (let i = 0; i < k; i++) explained += slopes.get(i, 0) * sxy.get(i, 0);
    const residualVariance = Math.max(0, syy - explained) / (a.n - k - 1);
    const shift = Matrix.columnVector(means.map((m, j) => m - (pooledMeans[j] as number)));
    let intercept = mean;
    for (let i = 0; i < k; i++) intercept -= slopes.get(i, 0) * shift.get(i, 0);
    const solved = cholesky.solve(shift);
    let quadratic = 0;
    for (let i = 0; i < k; i++) quadratic += shift.get(i, 0) * solved.get(i, 0);
    return {
      n: a.n,
      mean,
      rawVariance: Math.max(0, syy / (a.n - 1)),
      intercept,
      interceptVariance: residualVariance * (1 / a.n + quadratic),
      slopes: Array.from({ length: k }, (_, j) => slopes.get(j, 0)),
    } satisfies ArmFit;
  }) as [ArmFit, ArmFit];
  return finish([...covariates], fits, 'arm-variance', parsed);
}

function finish(names: string[], [control, treated]: [ArmFit, ArmFit], standardErrors: RegressionAdjustment['standardErrors'], parsed: ReturnType<typeof parseEffectOptions>): RegressionAdjustment {
  const { alpha, alternative } = parsed;
  const variance = control.interceptVariance + treated.interceptVariance;
  if (!(variance > 0)) throw new InputError('zero_variance', 'post', 'the covariates explain the outcome exactly: the adjusted difference has no sampling variance');
  const rawVariance = control.rawVariance / control.n + treated.rawVariance / treated.n;
  const absolute = normalEstimate(treated.intercept - control.intercept, Math.sqrt(variance), alpha, alternative);
  const relative = relativeOfMeans(control.intercept, control.interceptVariance, treated.intercept, treated.interceptVariance, alpha, alternative, parsed.relativeInterval);
  return {
    kind: 'regression_adjusted',
    covariates: names,
    control: { n: control.n, mean: control.mean },
    treated: { n: treated.n, mean: treated.mean },
    adjustedMeans: { control: control.intercept, treated: treated.intercept },
    slopes: { control: control.slopes, treated: treated.slopes },
    varianceReduction: rawVariance > 0 ? 1 - variance / rawVariance : 0,
    standardErrors,
    alpha,
    alternative,
    ...finishInference(absolute, relative, control.n + treated.n, parsed),
  };
}
