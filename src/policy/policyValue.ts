import { z } from 'zod';
import { InputError } from '../errors.js';
import type { DenseMatrix } from '../linalg/denseMatrix.js';
import { sortedQuantile } from '../internal/quantile.js';
import { drawCopies, randomState } from '../internal/random.js';
import { checkOptions, finiteVector, rules } from '../internal/validate.js';
import { type CampaignEconomics, type ResolvedEconomics, resolveEconomics } from './economics.js';

export const PolicyEstimateSchema = z
  .object({
    /** Incremental profit over the population (against sending nothing). */
    estimate: z.number(),
    standardError: z.number(),
    /** Percentile bootstrap interval at level 1 − alpha. */
    ci: z.tuple([z.number(), z.number()]),
  })
  .readonly();
export type PolicyEstimate = z.infer<typeof PolicyEstimateSchema>;

const estimatorPair = { ipw: PolicyEstimateSchema, dr: PolicyEstimateSchema.nullable() };
const EstimatorPairSchema = z.object(estimatorPair).readonly();
const ArmEstimatorPairSchema = z.object({ arm: z.string(), ...estimatorPair }).readonly();

export const PolicyValueSchema = z
  .object({
    kind: z.literal('policy_value'),
    /** Treated arms, in the order of the predictions' columns. */
    arms: z.array(z.string()),
    control: z.string(),
    rows: z.number(),
    population: z.number(),
    /** Customers the policy gives each arm, scaled to the population. */
    targeted: z.array(z.number()),
    /** The policy's incremental profit (inverse-propensity and doubly robust). */
    policy: EstimatorPairSchema,
    /** Each arm sent to everyone. */
    treatAll: z.array(ArmEstimatorPairSchema),
    /** The policy minus the best blanket arm (by that estimator's point estimate), paired over resamples. */
    versusTreatAll: ArmEstimatorPairSchema,
    alpha: z.number(),
    resamples: z.number(),
    seed: z.number(),
  })
  .readonly();
export type PolicyValue = z.infer<typeof PolicyValueSchema>;

export interface PolicyValueOptions {
  /** Label of the control arm (no offer) in `treatment` and `policy`. Default 0. */
  readonly control?: number | string;
  /** One set of economics or one per arm label. Default: value 1 per unit, no costs. */
  readonly economics?: CampaignEconomics;
  /**
   * Predicted outcome of each row under control and under each arm, rows ×
   * (1 + arms): column 0 control, then the arms in order of first appearance
   * in `treatment` (or `arms`). Enables the doubly robust estimator; they must
   * come from a model that did not see these rows.
   */
  readonly predictions?: DenseMatrix;
  /** Treated arm labels, fixing their order. Default: first appearance in `treatment`. */
  readonly arms?: readonly string[];
  /** Scale the estimates to this many customers. Default: the rows given. */
  readonly population?: number;
  /** Bootstrap resamples (stratified by arm). Default 1000. */
  readonly resamples?: number;
  /** Interval level 1 − alpha. Default 0.05. */
  readonly alpha?: number;
  /** Seed of the resampling. Default 0. */
  readonly seed?: number;
}

/**
 * Off-policy value on randomised data: the incremental profit (against
 * sending nothing) of a targeting policy — which arm, or none, each customer
 * gets — of sending each arm to everyone, and of the policy against the best
 * of those, each with a stratified percentile bootstrap interval.
 *
 * With m_a the customers the policy gives arm a, n_g the rows assigned to g
 * in the experiment and economics per arm (v value, c cost per treated, k
 * cost per conversion, F fixed), the inverse-propensity estimate per
 * customer is
 *
 *   Σ_a [(v − k)·Σ_{π=a, T=a} y / n_a − v·Σ_{π=a, T=0} y / n_0 − c·m_a / n],
 *
 * (propensities are the observed shares n_g / n, the Hájek form), and the
 * doubly robust one replaces the outcome sums by model predictions plus
 * inverse-propensity weighted residuals: Γ_ia = μ̂_a(x_i) + 1[T_i = a]
 * (y_i − μ̂_a(x_i)) · n / n_a. Both are scaled to `population`; the fixed cost
 * of each arm used is subtracted (with no uncertainty). The bootstrap
 * resamples rows within each experiment arm, so arm sizes stay fixed as in
 * the design. O(resamples · n · arms).
 *
 * @param y - outcome per row
 * @param treatment - arm each row was randomised to
 * @param policy - arm the policy gives each row (the control label for none)
 * @throws InputError `length_mismatch`, `not_finite`, `single_class` (no control or no treated rows), `unknown_column` (a policy arm absent from the experiment), `invalid_option`
 * @example
 * // Treated rows convert, control rows do not: each offer earns 10 − 1.
 * const value = policyValue([1, 1, 0, 0], [1, 1, 0, 0], [1, 1, 1, 1], { economics: { valuePerUnit: 10, costPerTreated: 1 }, resamples: 10 });
 * value.policy.ipw.estimate; // => 36
 */
export function policyValue(y: ArrayLike<number>, treatment: ArrayLike<number | string>, policy: ArrayLike<number | string>, options: PolicyValueOptions = {}): PolicyValue {
  const outcome = finiteVector('y', y);
  // At most 100,000 resamples: the draws (resamples × estimates) are held in memory.
  checkOptions(options, {
    control: rules.either(rules.string(true), rules.number()),
    economics: rules.object(),
    predictions: rules.object(),
    arms: rules.strings(),
    population: rules.number({ min: 0, minExclusive: true }),
    resamples: rules.integer({ min: 2, max: 100_000 }),
    alpha: rules.fraction(),
    seed: rules.integer(),
  });
  const n = outcome.length;
  if (treatment.length !== n) throw new InputError('length_mismatch', 'treatment', `treatment has ${treatment.length} values but y has ${n}`);
  if (policy.length !== n) throw new InputError('length_mismatch', 'policy', `policy has ${policy.length} values but y has ${n}`);
  const control = String(options.control ?? 0);
  const arms = options.arms !== undefined ? [...options.arms] : [];
  const armIndex = new Map(arms.map((arm, a) => [arm, a]));
  const group = new Int32Array(n); // −1 control, else arm index
  for (let i = 0; i < n; i++) {
    const label = treatment[i];
    if (label === undefined || label === null || (typeof label === 'number' && !Number.isFinite(label))) throw new InputError('not_finite', 'treatment', `treatment is missing at row ${i}`, i);
    const key = String(label);
    if (key === control) {
      group[i] = -1;
      continue;
    }
    let a = armIndex.get(key);
    if (a === undefined) {
      if (options.arms !== undefined) throw new InputError('unknown_column', 'treatment', `treatment arm ${JSON.stringify(key)} at row ${i} is not one of the arms given`, i);
      a = arms.length;
      arms.push(key);
      armIndex.set(key, a);
    }
    group[i] = a;
  }
  const k = arms.length;
  if (k === 0) throw new InputError('single_class', 'treatment', 'every row is control: a policy value needs treated rows');
  const action = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = String(policy[i]);
    if (key === control) action[i] = -1;
    else {
      const a = armIndex.get(key);
      if (a === undefined) throw new InputError('unknown_column', 'policy', `policy arm ${JSON.stringify(key)} at row ${i} was not in the experiment`, i);
      action[i] = a;
    }
  }
  const economics = resolveEconomics(options.economics, arms);
  const predictions = options.predictions;
  if (predictions !== undefined) {
    if (predictions.rows !== n || predictions.cols !== k + 1 || predictions.data.length !== n * (k + 1)) {
      throw new InputError('length_mismatch', 'predictions', `predictions must be ${n} × ${k + 1} (control, then ${arms.join(', ')}), got ${predictions.rows} × ${predictions.cols}`);
    }
    finiteVector('predictions', predictions.data);
  }
  const resamples = options.resamples ?? 1000;
  if (!Number.isInteger(resamples) || resamples < 2) throw new InputError('invalid_option', 'resamples', `resamples must be an integer ≥ 2, got ${resamples}`);
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new InputError('invalid_option', 'alpha', `alpha must be in (0, 1), got ${alpha}`);
  const seed = options.seed ?? 0;
  const population = options.population ?? n;
  if (!(population > 0 && Number.isFinite(population))) throw new InputError('invalid_option', 'population', `population must be > 0, got ${population}`);

  // Rows of each experiment group, for the stratified resampling.
  const sizes = new Int32Array(k + 1);
  for (let i = 0; i < n; i++) sizes[group[i]! + 1]!++;
  const groups = Array.from(sizes, (size) => new Int32Array(size));
  const filled = new Int32Array(k + 1);
  for (let i = 0; i < n; i++) {
    const g = group[i]! + 1;
    groups[g]![filled[g]!++] = i;
  }
  groups.forEach((rows, g) => {
    if (rows.length === 0) throw new InputError('single_class', 'treatment', g === 0 ? `no row has the control label ${JSON.stringify(control)}` : `no row is in arm ${JSON.stringify(arms[g - 1])}`);
  });
  const targeted = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) if (action[i]! >= 0) targeted[action[i]!]!++;
  const fixed = economics.reduce((sum, e, a) => sum + (targeted[a]! > 0 ? e.fixedCost : 0), 0);

  const estimator = new Estimator(outcome, group, action, predictions?.data ?? null, economics, n, k);
  const point = Float64Array.from(estimator.run(null));
  // Outputs per resample: policy ipw, policy dr, per arm (treat-all ipw, dr).
  const width = 2 + 2 * k;
  const draws = new Float64Array(resamples * width);
  const state = randomState(seed);
  const weights = new Float64Array(n);
  const uniforms = new Float64Array(Math.max(...sizes));
  for (let r = 0; r < resamples; r++) {
    // Within each group, as many draws with replacement as it has rows (the uniforms in one batch per group).
    drawCopies(state, groups, weights, uniforms);
    draws.set(estimator.run(weights), r * width);
  }
  const scale = population / n;
  const summarise = (column: number, reference: number | null = null, fixedCost = 0): PolicyEstimate => {
    const values = new Float64Array(resamples);
    for (let r = 0; r < resamples; r++) values[r] = draws[r * width + column]! - (reference === null ? 0 : draws[r * width + reference]!);
    let mean = 0;
    for (const v of values) mean += v;
    mean /= resamples;
    // Squares in units of a power of two near the largest deviation (exact), so values near 1e200 do not overflow.
    let largest = 0;
    for (const v of values) largest = Math.max(largest, Math.abs(v - mean));
    const unit = largest > 0 && Number.isFinite(largest) ? 2 ** Math.floor(Math.log2(largest)) : 1;
    let squares = 0;
    for (const v of values) squares += ((v - mean) / unit) ** 2;
    values.sort();
    const estimate = point[column]! - (reference === null ? 0 : point[reference]!);
    return {
      estimate: estimate * population - fixedCost,
      standardError: Math.sqrt(squares / (resamples - 1)) * unit * population,
      ci: [sortedQuantile(values, alpha / 2) * population - fixedCost, sortedQuantile(values, 1 - alpha / 2) * population - fixedCost],
    };
  };
  const hasDr = predictions !== undefined;
  const treatAll = arms.map((arm, a) => ({
    arm,
    ipw: summarise(2 + 2 * a, null, economics[a]!.fixedCost),
    dr: hasDr ? summarise(3 + 2 * a, null, economics[a]!.fixedCost) : null,
  }));
  const bestBlanket = (offset: number) => {
    let best = 0;
    for (let a = 1; a < k; a++) if (point[offset + 2 * a]! - economics[a]!.fixedCost / population > point[offset + 2 * best]! - economics[best]!.fixedCost / population) best = a;
    return best;
  };
  const bestIpw = bestBlanket(2);
  const bestDr = bestBlanket(3);
  return {
    kind: 'policy_value',
    arms,
    control,
    rows: n,
    population,
    targeted: targeted.map((count) => count * scale),
    policy: { ipw: summarise(0, null, fixed), dr: hasDr ? summarise(1, null, fixed) : null },
    treatAll,
    versusTreatAll: {
      arm: arms[hasDr ? bestDr : bestIpw]!,
      ipw: summarise(0, 2 + 2 * bestIpw, fixed - economics[bestIpw]!.fixedCost),
      dr: hasDr ? summarise(1, 3 + 2 * bestDr, fixed - economics[bestDr]!.fixedCost) : null,
    },
    alpha,
    resamples,
    seed,
  };
}

/** One weighted pass for every estimate: per customer, before the fixed costs. @internal */
export class Estimator {
  private readonly out: Float64Array;
  private readonly sums: Float64Array;

  constructor(
    private readonly y: Float64Array,
    private readonly group: Int32Array,
    private readonly action: Int32Array,
    private readonly predictions: Float64Array | null,
    private readonly economics: readonly ResolvedEconomics[],
    private readonly n: number,
    private readonly k: number,
  ) {
    this.out = new Float64Array(2 + 2 * k);
    this.sums = new Float64Array(SUMS * (k + 1));
  }

  /** [policy ipw, policy dr, arm 0 ipw, arm 0 dr, …] per customer; weights null for the sample itself. */
  run(weights: Float64Array | null): Float64Array {
    const { k, sums } = this;
    sums.fill(0);
    const count = new Float64Array(k + 1); // weighted rows per experiment group (0: control)
    const total = k === 1 && this.predictions !== null ? this.accumulateOne(weights, this.predictions, count) : this.accumulate(weights, count);
    return this.finish(count, total);
  }

  /** The weighted sums of every cell into `sums` and `count`; returns the weighted rows. */
  private accumulate(weights: Float64Array | null, count: Float64Array): number {
    const { y, group, action, predictions, n, k, sums } = this;
    let total = 0;
    const width = k + 1;
    for (let i = 0; i < n; i++) {
      const w = weights === null ? 1 : weights[i]!;
      if (w === 0) continue;
      const g = group[i]! + 1;
      const a = action[i]!;
      const yi = y[i]!;
      total += w;
      count[g]! += w;
      // Policy cells, by the arm the policy gives.
      if (a >= 0) {
        const cell = (a + 1) * SUMS;
        sums[cell + TARGETED]! += w;
        if (g === a + 1) sums[cell + Y_TREATED]! += w * yi;
        else if (g === 0) sums[cell + Y_CONTROL]! += w * yi;
        if (predictions !== null) {
          const treated = predictions[i * width + a + 1]!;
          const untreated = predictions[i * width]!;
          sums[cell + M_TREATED]! += w * treated;
          sums[cell + M_CONTROL]! += w * untreated;
          if (g === a + 1) sums[cell + R_TREATED]! += w * (yi - treated);
          else if (g === 0) sums[cell + R_CONTROL]! += w * (yi - untreated);
        }
      }
      // Treat-all cells: every row counts for every arm; cell 0 holds the control side.
      if (g > 0) sums[g * SUMS + ALL_Y]! += w * yi;
      else sums[ALL_Y]! += w * yi;
      if (predictions !== null) {
        const untreated = predictions[i * width]!;
        sums[ALL_M]! += w * untreated;
        if (g === 0) sums[ALL_R]! += w * (yi - untreated);
        for (let b = 0; b < k; b++) sums[(b + 1) * SUMS + ALL_M]! += w * predictions[i * width + b + 1]!;
        if (g > 0) sums[g * SUMS + ALL_R]! += w * (yi - predictions[i * width + g]!);
      }
    }
    return total;
  }

  /**
   * {@link accumulate} for one arm with predictions (each arm of a campaign
   * is valued so): the sums in locals rather than in the array, each added
   * in the same row order, so the same sums to the bit at a fraction of the
   * loads and stores of a bootstrap's hundreds of passes.
   */
  private accumulateOne(weights: Float64Array | null, predictions: Float64Array, count: Float64Array): number {
    const { y, group, action, n, sums } = this;
    let total = 0;
    let n0 = 0;
    let n1 = 0;
    let targeted = 0;
    let yTreated = 0;
    let yControl = 0;
    let mTreated = 0;
    let mControl = 0;
    let rTreated = 0;
    let rControl = 0;
    let allY0 = 0;
    let allY1 = 0;
    let allM0 = 0;
    let allM1 = 0;
    let allR0 = 0;
    let allR1 = 0;
    for (let i = 0; i < n; i++) {
      const w = weights === null ? 1 : weights[i]!;
      if (w === 0) continue;
      const treatedRow = group[i]! === 0;
      const yi = y[i]!;
      const untreated = predictions[2 * i]!;
      const treated = predictions[2 * i + 1]!;
      total += w;
      if (action[i]! === 0) {
        targeted += w;
        mTreated += w * treated;
        mControl += w * untreated;
        if (treatedRow) {
          yTreated += w * yi;
          rTreated += w * (yi - treated);
        } else {
          yControl += w * yi;
          rControl += w * (yi - untreated);
        }
      }
      allM0 += w * untreated;
      allM1 += w * treated;
      if (treatedRow) {
        n1 += w;
        allY1 += w * yi;
        allR1 += w * (yi - treated);
      } else {
        n0 += w;
        allY0 += w * yi;
        allR0 += w * (yi - untreated);
      }
    }
    count[0] = n0;
    count[1] = n1;
    sums[SUMS + TARGETED] = targeted;
    sums[SUMS + Y_TREATED] = yTreated;
    sums[SUMS + Y_CONTROL] = yControl;
    sums[SUMS + M_TREATED] = mTreated;
    sums[SUMS + M_CONTROL] = mControl;
    sums[SUMS + R_TREATED] = rTreated;
    sums[SUMS + R_CONTROL] = rControl;
    sums[ALL_Y] = allY0;
    sums[SUMS + ALL_Y] = allY1;
    sums[ALL_M] = allM0;
    sums[SUMS + ALL_M] = allM1;
    sums[ALL_R] = allR0;
    sums[SUMS + ALL_R] = allR1;
    return total;
  }

  /** The estimates from the sums. */
  private finish(count: Float64Array, total: number): Float64Array {
    const { sums, k } = this;
    const out = this.out;
    out.fill(0);
    const n0 = count[0]!;
    for (let a = 0; a < k; a++) {
      const e = this.economics[a]!;
      const gain = e.valuePerUnit - e.costPerConversion;
      const na = count[a + 1]!;
      const cell = (a + 1) * SUMS;
      out[0]! += gain * (sums[cell + Y_TREATED]! / na) - e.valuePerUnit * (sums[cell + Y_CONTROL]! / n0) - e.costPerTreated * (sums[cell + TARGETED]! / total);
      out[2 + 2 * a] = gain * (sums[cell + ALL_Y]! / na) - e.valuePerUnit * (sums[ALL_Y]! / n0) - e.costPerTreated;
      if (this.predictions !== null) {
        const treated = (sums[cell + M_TREATED]! + (sums[cell + R_TREATED]! * total) / na) / total;
        const untreated = (sums[cell + M_CONTROL]! + (sums[cell + R_CONTROL]! * total) / n0) / total;
        out[1]! += gain * treated - e.valuePerUnit * untreated - e.costPerTreated * (sums[cell + TARGETED]! / total);
        const allTreated = (sums[cell + ALL_M]! + (sums[cell + ALL_R]! * total) / na) / total;
        const allUntreated = (sums[ALL_M]! + (sums[ALL_R]! * total) / n0) / total;
        out[3 + 2 * a] = gain * allTreated - e.valuePerUnit * allUntreated - e.costPerTreated;
      }
    }
    return out;
  }
}

// Offsets of the weighted sums kept per cell.
const TARGETED = 0;
const Y_TREATED = 1;
const Y_CONTROL = 2;
const M_TREATED = 3;
const M_CONTROL = 4;
const R_TREATED = 5;
const R_CONTROL = 6;
const ALL_Y = 7;
const ALL_M = 8;
const ALL_R = 9;
const SUMS = 10;
