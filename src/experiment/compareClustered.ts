import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { binaryVector, describe, finiteVector, rules, sameLength } from '../internal/validate.js';
import {
  EffectEstimateSchema,
  type EffectOptions,
  InferenceSchema,
  type RelativeResult,
  finishInference,
  logRelativeEstimate,
  parseEffectOptions,
  relativeEstimate,
  tEstimate,
} from './effect.js';

/** One cluster's rows in one arm, as a SQL `GROUP BY cluster, arm` returns them. */
export interface ClusterTotal {
  readonly cluster: string | number;
  /** 0 for control, 1 for treated. */
  readonly arm: 0 | 1;
  /** Rows of this cluster in this arm. */
  readonly n: number;
  /** Sum of the outcome over those rows (successes for a proportion). */
  readonly sum: number;
}

export interface ClusteredOptions extends EffectOptions {
  /** `'mean'` (default) or `'proportion'` (a 0/1 outcome: the linear probability model). */
  readonly outcome?: 'mean' | 'proportion';
  /**
   * A pre-period covariate per row (rows only): CUPED by regression, the OLS of y on
   * [1, treated, pre − mean(pre)] with the same CR1 sandwich (G − 1 degrees of freedom).
   */
  readonly pre?: ArrayLike<number>;
  /** The pre-period covariate's name, recorded in the result and named in errors. Default `'pre'`. */
  readonly covariate?: string;
}

/** The pre-period adjustment of a cluster-robust comparison. */
export const ClusteredAdjustmentSchema = z
  .object({
    covariate: z.string(),
    /** The common slope on the centred covariate. */
    theta: z.number(),
    /** 1 − Var(adjusted difference) / Var(unadjusted difference), both CR1. */
    varianceReduction: z.number(),
    /** Each arm's mean at the pooled covariate mean. */
    adjustedMeans: z.object({ control: z.number(), treated: z.number() }).readonly(),
  })
  .readonly();

const ClusteredArmSchema = z.object({ n: z.number(), mean: z.number(), clusters: z.number() }).readonly();

export const ClusteredComparisonSchema = z
  .object({
    kind: z.literal('clustered'),
    outcome: z.enum(['mean', 'proportion']),
    control: ClusteredArmSchema,
    treated: ClusteredArmSchema,
    /** Distinct clusters over both arms (G); the t distribution has G − 1 degrees of freedom. */
    clusters: z.number(),
    df: z.number(),
    absolute: EffectEstimateSchema,
    relative: EffectEstimateSchema.nullable(),
    relativeNote: z.string().nullable(),
    /** The pre-period adjustment, when `pre` was given. */
    adjustment: ClusteredAdjustmentSchema.optional(),
    alpha: z.number(),
    alternative: z.enum(['two-sided', 'less', 'greater']),
    ...InferenceSchema,
  })
  .readonly();
export type ClusteredComparison = z.infer<typeof ClusteredComparisonSchema>;

/**
 * Difference of means (or of proportions, as a linear probability model)
 * treated − control with cluster-robust standard errors, for data randomised
 * by cluster (stores, regions, households) or with repeated rows per unit:
 * the OLS of y on [1, treated] with the CR1 sandwich
 * G/(G−1)·(N−1)/(N−2)·Σ_g u_g², u_g = Σ_{i∈g}(e_i·[treated]/N₁ − e_i·[control]/N₀),
 * and a t distribution with G − 1 degrees of freedom — statsmodels
 * `OLS(...).fit(cov_type='cluster', use_t=True)`. The relative lift uses the
 * same sandwich on the log scale (both means positive) or the delta method.
 * With `pre` (CUPED with clustered rows) the model is y on [1, treated,
 * pre − mean(pre)], CR1 with G/(G−1)·(N−1)/(N−3), and the lift compares the
 * arms' means at the pooled pre-period mean — statsmodels with the
 * covariate as a column. O(n) from rows (see {@link compareClusteredTotals}
 * for cluster totals).
 *
 * @param values - the outcome per row
 * @param arm - 1 treated, 0 control, per row
 * @param cluster - the cluster id per row (numbers or strings)
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary`,
 *   `out_of_range` (fewer than 2 clusters), `zero_variance` (also a constant
 *   covariate), `invalid_option`
 * @example
 * const r = compareClustered([1, 2, 3, 4, 6, 7, 9, 8], [0, 0, 0, 0, 1, 1, 1, 1], [1, 1, 2, 2, 3, 3, 4, 4]);
 * r.df; // => 3
 */
export function compareClustered(
  values: ArrayLike<number>,
  arm: ArrayLike<number>,
  cluster: ArrayLike<number | string>,
  options: ClusteredOptions = {},
): ClusteredComparison {
  const y = finiteVector('values', values);
  const t = binaryVector('arm', arm);
  sameLength('arm', t, y.length, 'values');
  if (cluster === null || typeof cluster !== 'object' || typeof cluster.length !== 'number') {
    throw new InputError('wrong_type', 'cluster', 'cluster must be an array of ids');
  }
  sameLength('cluster', cluster as ArrayLike<unknown>, y.length, 'values');
  const index = new Map<string | number, number>();
  const totals: { cluster: string | number; n0: number; s0: number; n1: number; s1: number }[] = [];
  const clusterOf = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const id = cluster[i] as string | number;
    if ((typeof id !== 'number' && typeof id !== 'string') || (typeof id === 'number' && !Number.isFinite(id))) {
      throw new InputError('not_finite', 'cluster', `cluster must be a finite number or a string, got ${describe(id)} at row ${i}`, i);
    }
    let k = index.get(id);
    if (k === undefined) {
      k = totals.length;
      index.set(id, k);
      totals.push({ cluster: id, n0: 0, s0: 0, n1: 0, s1: 0 });
    }
    clusterOf[i] = k;
    const total = totals[k] as (typeof totals)[number];
    if (t[i] === 1) {
      total.n1++;
      total.s1 += y[i] as number;
    } else {
      total.n0++;
      total.s0 += y[i] as number;
    }
  }
  const unadjusted = clusteredFromTotals(totals, options, y);
  if (options?.pre === undefined) return unadjusted;
  return adjustedByCovariate(y, t, clusterOf, totals.length, options, unadjusted);
}

/**
 * The OLS of y on [1, treated, x − x̄] with the CR1 sandwich c·B(Σ_g s_g s_gᵀ)B,
 * B = (ZᵀZ)⁻¹, s_g = Σ_{i∈g} z_i·e_i, c = G/(G−1)·(N−1)/(N−3): every linear
 * combination l of the coefficients has variance c·Σ_g (l·B s_g)².
 */
function adjustedByCovariate(
  y: Float64Array,
  t: ArrayLike<number>,
  clusterOf: Int32Array,
  clusterCount: number,
  options: ClusteredOptions,
  unadjusted: ClusteredComparison,
): ClusteredComparison {
  const parsed = parseEffectOptions<ClusteredOptions>(options, optionRules);
  const covariate = options.covariate ?? 'pre';
  const x = finiteVector(covariate, options.pre as ArrayLike<number>);
  sameLength(covariate, x, y.length, 'values');
  const n = y.length;
  let meanX = 0;
  for (let i = 0; i < n; i++) meanX += x[i] as number;
  meanX /= n;
  // Normal equations of the three columns, centred covariate.
  const gram = new Matrix(3, 3);
  const moment = new Matrix(3, 1);
  const row = (i: number) => [1, t[i] as number, (x[i] as number) - meanX] as const;
  for (let i = 0; i < n; i++) {
    const z = row(i);
    for (let a = 0; a < 3; a++) {
      moment.set(a, 0, moment.get(a, 0) + (z[a] as number) * (y[i] as number));
      for (let b = 0; b < 3; b++) gram.set(a, b, gram.get(a, b) + (z[a] as number) * (z[b] as number));
    }
  }
  const cholesky = new CholeskyDecomposition(gram);
  if (!cholesky.isPositiveDefinite()) throw new InputError('zero_variance', covariate, `${covariate} is constant (or a copy of the arm): it cannot adjust the comparison`);
  const beta = cholesky.solve(moment);
  const bread = cholesky.solve(Matrix.eye(3));
  const scores = new Float64Array(clusterCount * 3);
  for (let i = 0; i < n; i++) {
    const z = row(i);
    const residual = (y[i] as number) - beta.get(0, 0) - z[1] * beta.get(1, 0) - z[2] * beta.get(2, 0);
    const g = clusterOf[i] as number;
    for (let a = 0; a < 3; a++) scores[g * 3 + a] = (scores[g * 3 + a] as number) + (z[a] as number) * residual;
  }
  const clusters = unadjusted.clusters;
  const correction = (clusters / (clusters - 1)) * ((n - 1) / (n - 3));
  // The influence of each cluster on the coefficients, B s_g.
  const influence = new Float64Array(clusterCount * 3);
  for (let g = 0; g < clusterCount; g++) {
    for (let a = 0; a < 3; a++) {
      let v = 0;
      for (let b = 0; b < 3; b++) v += bread.get(a, b) * (scores[g * 3 + b] as number);
      influence[g * 3 + a] = v;
    }
  }
  const varianceOf = (l: readonly [number, number, number]) => {
    let total = 0;
    for (let g = 0; g < clusterCount; g++) {
      const v = l[0] * (influence[g * 3] as number) + l[1] * (influence[g * 3 + 1] as number) + l[2] * (influence[g * 3 + 2] as number);
      total += v * v;
    }
    return correction * total;
  };
  return finishAdjusted(unadjusted, [beta.get(0, 0), beta.get(1, 0), beta.get(2, 0)], varianceOf, covariate, parsed);
}

/**
 * The moments of the pre-period-adjusted clustered comparison that a SQL
 * engine can return: the normal equations of y on z = [1, treated, x − x̄]
 * over the two arms' rows (`gram` 3 × 3 and `moment` 3, row-major), and
 * with e = y − z·β the residuals of their solution β, the meat
 * Σ_g s_g s_gᵀ (3 × 3) of the cluster scores s_g = Σ_{i∈g} z_i e_i. @internal
 */
export interface AdjustedClusterMoments {
  readonly gram: readonly number[];
  readonly moment: readonly number[];
  readonly meat: readonly number[];
}

/** The solution β of the normal equations of {@link AdjustedClusterMoments}, for the engine to write into its residuals. @internal */
export function adjustedCoefficients(gram: readonly number[], moment: readonly number[], covariate: string): [number, number, number] {
  const cholesky = new CholeskyDecomposition(new Matrix([gram.slice(0, 3), gram.slice(3, 6), gram.slice(6, 9)] as number[][]));
  if (!cholesky.isPositiveDefinite()) throw new InputError('zero_variance', covariate, `${covariate} is constant (or a copy of the arm): it cannot adjust the comparison`);
  const beta = cholesky.solve(Matrix.columnVector([...moment]));
  return [beta.get(0, 0), beta.get(1, 0), beta.get(2, 0)];
}

/**
 * {@link compareClustered} with `pre` from the unadjusted comparison (from
 * {@link compareClusteredMoments}) and {@link AdjustedClusterMoments}: the
 * same coefficients and, every variance being l·B·M·B·lᵀ with B the inverse
 * of the normal equations and M the meat, the same sandwich up to rounding. @internal
 * @throws InputError as {@link compareClustered}
 */
export function compareClusteredAdjustedMoments(unadjusted: ClusteredComparison, moments: AdjustedClusterMoments, rows: number, options: ClusteredOptions & { readonly covariate: string }): ClusteredComparison {
  const parsed = parseEffectOptions<ClusteredOptions>(options, optionRules);
  const covariate = options.covariate;
  const beta = adjustedCoefficients(moments.gram, moments.moment, covariate);
  const gram = new Matrix([moments.gram.slice(0, 3), moments.gram.slice(3, 6), moments.gram.slice(6, 9)] as number[][]);
  const bread = new CholeskyDecomposition(gram).solve(Matrix.eye(3));
  const meat = moments.meat;
  const clusters = unadjusted.clusters;
  const correction = (clusters / (clusters - 1)) * ((rows - 1) / (rows - 3));
  const varianceOf = (l: readonly [number, number, number]) => {
    // w = l·B, then w·M·wᵀ.
    const w = [0, 1, 2].map((b) => l[0] * bread.get(0, b) + l[1] * bread.get(1, b) + l[2] * bread.get(2, b));
    let total = 0;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) total += (w[a] as number) * (meat[a * 3 + b] as number) * (w[b] as number);
    return correction * Math.max(0, total);
  };
  return finishAdjusted(unadjusted, beta, varianceOf, covariate, parsed);
}

/** The adjusted comparison from its coefficients and the variance of any linear combination of them. */
function finishAdjusted(
  unadjusted: ClusteredComparison,
  beta: readonly [number, number, number],
  varianceOf: (l: readonly [number, number, number]) => number,
  covariate: string,
  parsed: ReturnType<typeof parseEffectOptions<ClusteredOptions>>,
): ClusteredComparison {
  const { alpha, alternative } = parsed;
  const clusters = unadjusted.clusters;
  const variance = varianceOf([0, 1, 0]);
  if (!(variance > 0)) throw new InputError('zero_variance', 'values', `the covariate ${covariate} explains the outcome exactly: the difference has no sampling variance`);
  const mean0 = beta[0];
  const mean1 = mean0 + beta[1];
  const df = clusters - 1;
  const absolute = tEstimate(beta[1], Math.sqrt(variance), df, alpha, alternative);
  let relative: RelativeResult;
  if (mean0 === 0) relative = { relative: null, relativeNote: 'undefined: the adjusted control mean is 0', relativeMethod: null };
  else if (mean0 > 0 && mean1 > 0 && parsed.relativeInterval === 'log') {
    // ln m₁ − ln m₀ with m₀ = β₀, m₁ = β₀ + β_T: gradient (1/m₁ − 1/m₀, 1/m₁, 0), handed over as the control's share.
    const logVariance = varianceOf([1 / mean1 - 1 / mean0, 1 / mean1, 0]);
    relative = { relative: logRelativeEstimate(mean0, logVariance * mean0 * mean0, mean1, 0, alpha, alternative), relativeNote: null, relativeMethod: 'log' };
  } else {
    // Var(m₁ − r·m₀) = Var((1 − r)β₀ + β_T), handed over as the treated share.
    const ratio = mean1 / mean0;
    relative = relativeEstimate(mean0, 0, mean1, varianceOf([1 - ratio, 1, 0]), alpha, alternative);
    if (parsed.relativeInterval === 'log') relative = { ...relative, relativeNote: 'delta method: an adjusted mean is not positive, so the log scale does not apply' };
  }
  const rawVariance = unadjusted.absolute.standardError ** 2;
  return {
    ...unadjusted,
    adjustment: { covariate, theta: beta[2], varianceReduction: rawVariance > 0 ? 1 - variance / rawVariance : 0, adjustedMeans: { control: mean0, treated: mean1 } },
    ...finishInference(absolute, relative, clusters, parsed),
  };
}

/**
 * {@link compareClustered} from per-cluster, per-arm counts and sums — the
 * sufficient statistics of the CR1 sandwich for a two-arm difference, so a
 * SQL engine can supply them (`GROUP BY cluster, arm`). The residual sums
 * are Σ y − n·ȳ_arm per cluster and arm.
 *
 * @throws InputError as {@link compareClustered}
 * @example
 * const totals = [
 *   { cluster: 'a', arm: 0, n: 2, sum: 3 }, { cluster: 'b', arm: 0, n: 2, sum: 7 },
 *   { cluster: 'c', arm: 1, n: 2, sum: 13 }, { cluster: 'd', arm: 1, n: 2, sum: 17 },
 * ];
 * compareClusteredTotals(totals).absolute.estimate; // => 5
 */
export function compareClusteredTotals(totals: readonly ClusterTotal[], options: ClusteredOptions = {}): ClusteredComparison {
  if (options?.pre !== undefined) throw new InputError('invalid_option', 'pre', 'a pre-period covariate needs the rows (compareClustered): cluster totals cannot carry it');
  if (!Array.isArray(totals)) throw new InputError('wrong_type', 'totals', 'totals must be an array of { cluster, arm, n, sum }');
  const index = new Map<string | number, number>();
  const merged: { cluster: string | number; n0: number; s0: number; n1: number; s1: number }[] = [];
  totals.forEach((total, i) => {
    if (total === null || typeof total !== 'object') throw new InputError('wrong_type', 'totals', `totals[${i}] must be { cluster, arm, n, sum }`, i);
    const { cluster, arm, n, sum } = total;
    if (typeof cluster !== 'string' && (typeof cluster !== 'number' || !Number.isFinite(cluster))) {
      throw new InputError('wrong_type', 'totals', `totals[${i}].cluster must be a string or a finite number, got ${describe(cluster)}`, i);
    }
    if (arm !== 0 && arm !== 1) throw new InputError('not_binary', 'totals', `totals[${i}].arm must be 0 or 1, got ${describe(arm)}`, i);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new InputError('out_of_range', 'totals', `totals[${i}].n must be an integer ≥ 0, got ${describe(n)}`, i);
    if (typeof sum !== 'number' || !Number.isFinite(sum)) throw new InputError('not_finite', 'totals', `totals[${i}].sum must be finite, got ${describe(sum)}`, i);
    let k = index.get(cluster);
    if (k === undefined) {
      k = merged.length;
      index.set(cluster, k);
      merged.push({ cluster, n0: 0, s0: 0, n1: 0, s1: 0 });
    }
    const target = merged[k] as (typeof merged)[number];
    if (arm === 1) {
      target.n1 += n;
      target.s1 += sum;
    } else {
      target.n0 += n;
      target.s0 += sum;
    }
  });
  return clusteredFromTotals(merged, options, null);
}

const optionRules = { outcome: rules.oneOf(['mean', 'proportion']), pre: rules.vector(), covariate: rules.string() };

function clusteredFromTotals(
  totals: readonly { n0: number; s0: number; n1: number; s1: number }[],
  options: ClusteredOptions,
  rows: Float64Array | null,
): ClusteredComparison {
  const parsed = parseEffectOptions<ClusteredOptions>(options, optionRules);
  const { alpha, alternative } = parsed;
  const outcome = options.outcome ?? 'mean';
  if (outcome === 'proportion' && rows !== null) {
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i] as number;
      if (v !== 0 && v !== 1) throw new InputError('not_binary', 'values', `a proportion's values must be 0 or 1, got ${v} at row ${i}`, i);
    }
  }
  let n0 = 0;
  let n1 = 0;
  let sum0 = 0;
  let sum1 = 0;
  let clusters0 = 0;
  let clusters1 = 0;
  let clusters = 0;
  for (const total of totals) {
    if (total.n0 + total.n1 === 0) continue;
    clusters++;
    n0 += total.n0;
    n1 += total.n1;
    sum0 += total.s0;
    sum1 += total.s1;
    if (total.n0 > 0) clusters0++;
    if (total.n1 > 0) clusters1++;
  }
  const mean0 = sum0 / n0;
  const mean1 = sum1 / n1;
  // Sandwich pieces (before the CR1 factor): Var(ȳ₁), Var(ȳ₀) and their covariance (nonzero when a cluster holds both arms).
  const spread = () => {
    let v00 = 0;
    let v11 = 0;
    let v01 = 0;
    for (const total of totals) {
      const e0 = (total.s0 - total.n0 * mean0) / n0;
      const e1 = (total.s1 - total.n1 * mean1) / n1;
      v00 += e0 * e0;
      v11 += e1 * e1;
      v01 += e0 * e1;
    }
    return { v00, v11, v01 };
  };
  // ln ȳ₁ − ln ȳ₀ has variance Σ_g c·(e₁g/ȳ₁ − e₀g/ȳ₀)² (a sum of squares, so never negative).
  const logSpread = () => {
    let logVariance = 0;
    for (const total of totals) {
      const d = (total.s1 - total.n1 * mean1) / (n1 * mean1) - (total.s0 - total.n0 * mean0) / (n0 * mean0);
      logVariance += d * d;
    }
    return logVariance;
  };
  // Var(ȳ₁/ȳ₀) ≈ Σ_g c·(e₁g − r·e₀g)²/ȳ₀².
  const ratioSpread = (ratio: number) => {
    let ratioVariance = 0;
    for (const total of totals) {
      const d = (total.s1 - total.n1 * mean1) / n1 - (ratio * (total.s0 - total.n0 * mean0)) / n0;
      ratioVariance += d * d;
    }
    return ratioVariance;
  };
  return finishClustered({ n0, n1, sum0, sum1, clusters0, clusters1, clusters }, outcome, parsed, spread, logSpread, ratioSpread);
}

/** Counts and sums of a clustered two-arm comparison. */
interface ClusterCounts {
  readonly n0: number;
  readonly n1: number;
  readonly sum0: number;
  readonly sum1: number;
  readonly clusters0: number;
  readonly clusters1: number;
  /** Clusters with a row in either arm (G). */
  readonly clusters: number;
}

/**
 * The residual moments of a clustered comparison: with E_ag = Σ_{i∈g, arm a}
 * (yᵢ − ȳ_a) the residual total of cluster g in arm a, `e00` = Σ_g E_0g²,
 * `e11` = Σ_g E_1g², `e01` = Σ_g E_0g·E_1g — with the counts, all the CR1
 * sandwich of {@link compareClustered} needs, and what a SQL engine returns
 * from a GROUP BY cluster nested in an aggregate. @internal
 */
export interface ClusterMoments extends ClusterCounts {
  readonly e00: number;
  readonly e11: number;
  readonly e01: number;
}

/**
 * {@link compareClustered} from {@link ClusterMoments}: the sandwich pieces
 * as sums of the moments (the log-scale and ratio variances expanded from
 * the squares), the same estimates up to rounding. @internal
 * @throws InputError as {@link compareClustered}
 */
export function compareClusteredMoments(moments: ClusterMoments, options: ClusteredOptions = {}): ClusteredComparison {
  const parsed = parseEffectOptions<ClusteredOptions>(options, optionRules);
  const outcome = options.outcome ?? 'mean';
  const { n0, n1, sum0, sum1, e00, e11, e01 } = moments;
  const mean0 = sum0 / n0;
  const mean1 = sum1 / n1;
  return finishClustered(
    moments,
    outcome,
    parsed,
    () => ({ v00: e00 / (n0 * n0), v11: e11 / (n1 * n1), v01: e01 / (n0 * n1) }),
    () => Math.max(0, e11 / (n1 * mean1) ** 2 - (2 * e01) / (n0 * mean0 * n1 * mean1) + e00 / (n0 * mean0) ** 2),
    (ratio) => Math.max(0, e11 / (n1 * n1) - (2 * ratio * e01) / (n0 * n1) + (ratio * ratio * e00) / (n0 * n0)),
  );
}

/** The comparison from its counts and its sandwich pieces (before the CR1 factor), computed on demand. */
function finishClustered(
  counts: ClusterCounts,
  outcome: 'mean' | 'proportion',
  parsed: ReturnType<typeof parseEffectOptions<ClusteredOptions>>,
  spread: () => { v00: number; v11: number; v01: number },
  logSpread: () => number,
  ratioSpread: (ratio: number) => number,
): ClusteredComparison {
  const { alpha, alternative } = parsed;
  const { n0, n1, sum0, sum1, clusters0, clusters1, clusters } = counts;
  if (n0 === 0) throw new InputError('empty', 'arm', 'the control arm has no rows');
  if (n1 === 0) throw new InputError('empty', 'arm', 'the treated arm has no rows');
  if (clusters < 2) throw new InputError('out_of_range', 'cluster', `cluster-robust errors need at least 2 clusters, got ${clusters}`);
  if (outcome === 'proportion' && (sum0 > n0 || sum1 > n1 || sum0 < 0 || sum1 < 0)) {
    throw new InputError('out_of_range', 'totals', 'a proportion needs 0 ≤ sum ≤ n in every arm');
  }
  const mean0 = sum0 / n0;
  const mean1 = sum1 / n1;
  const n = n0 + n1;
  const correction = (clusters / (clusters - 1)) * ((n - 1) / (n - 2));
  const pieces = spread();
  const variance = Math.max(0, (pieces.v00 * correction + pieces.v11 * correction) - 2 * (pieces.v01 * correction));
  if (!(variance > 0)) throw new InputError('zero_variance', 'values', 'the outcome does not vary within arms: the difference has no sampling variance');
  const df = clusters - 1;
  const absolute = tEstimate(mean1 - mean0, Math.sqrt(variance), df, alpha, alternative);
  let relative: RelativeResult;
  if (mean0 === 0) relative = { relative: null, relativeNote: 'undefined: the control mean is 0', relativeMethod: null };
  else if (mean0 > 0 && mean1 > 0 && parsed.relativeInterval === 'log') {
    // Handed to the log-scale helper as the control's share with the treated share 0.
    const logVariance = logSpread() * correction;
    relative = { relative: logRelativeEstimate(mean0, logVariance * mean0 * mean0, mean1, 0, alpha, alternative), relativeNote: null, relativeMethod: 'log' };
  } else {
    // Handed over as the treated share with the control share 0.
    const ratio = mean1 / mean0;
    relative = relativeEstimate(mean0, 0, mean1, ratioSpread(ratio) * correction, alpha, alternative);
    if (parsed.relativeInterval === 'log') relative = { ...relative, relativeNote: 'delta method: a mean is not positive, so the log scale does not apply' };
  }
  return {
    kind: 'clustered',
    outcome,
    control: { n: n0, mean: mean0, clusters: clusters0 },
    treated: { n: n1, mean: mean1, clusters: clusters1 },
    clusters,
    df,
    alpha,
    alternative,
    ...finishInference(absolute, relative, clusters, parsed),
  };
}
