import { z } from 'zod';
import { type AdjustMethod, adjustPValues } from '../experiment/adjustPValues.js';
import { CupedSummarySchema, compareMeans } from '../experiment/compareMeans.js';
import { compareProportions } from '../experiment/compareProportions.js';
import { type ClusteredComparison, compareClustered } from '../experiment/compareClustered.js';
import { cuped } from '../experiment/cuped.js';
import { ArmSummarySchema, EffectEstimateSchema } from '../experiment/effect.js';
import { InputError } from '../errors.js';
import { BayesianResultSchema } from '../experiment/bayesian.js';
import { CapSummarySchema, capValues } from '../experiment/capValues.js';
import type { EffectOptions } from '../experiment/effect.js';
import { TestPlanSchema, planNextTest } from '../experiment/planNextTest.js';
import { SequentialSummarySchema } from '../experiment/sequential.js';
import type { EffectsContext, PreparedOutcome, PreparedRatio } from './context.js';
import type { ValueOutcomeSpec } from './spec.js';
import { type RatioSums, compareRatios } from '../experiment/compareRatios.js';
import { type AdjustedRatioSums, compareRatiosAdjusted } from '../experiment/compareRatiosAdjusted.js';

/** One arm against control on one outcome. */
export const EffectRowSchema = z
  .object({
    arm: z.string(),
    /** The arm `arm` is compared against when it is not the control (`comparisons: 'all-pairs'`). */
    baseline: z.string().optional(),
    outcome: z.string(),
    label: z.string(),
    /** `'clustered'`: cluster-robust (CR1) standard errors over the spec's `cluster` column (with CUPED by regression on a pre-period). */
    kind: z.enum(['proportions', 'means', 'clustered', 'ratios']),
    control: ArmSummarySchema,
    treated: ArmSummarySchema,
    absolute: EffectEstimateSchema,
    relative: EffectEstimateSchema.nullable(),
    relativeNote: z.string().nullable(),
    /** p-value adjusted across arms (Holm) for this outcome; across all segment cells (Benjamini–Hochberg) in segment rows. */
    adjustedPValue: z.number(),
    cuped: CupedSummarySchema.nullable(),
    /** What made `ci` and `pValue`: the fixed-horizon test or the confidence sequence (with its settings). */
    method: z.enum(['fixed-horizon', 'sequential']).optional(),
    sequential: SequentialSummarySchema.nullable().optional(),
    /** Posterior of the effect under the spec's prior (stated in it). */
    bayesian: BayesianResultSchema.nullable().optional(),
    /** The outcome's cap, when the spec caps it: threshold and capped share. */
    cap: CapSummarySchema.optional(),
    /** Planning the next test: the minimum detectable effect at these sizes, the rows needed for this effect at 80% power. */
    plan: TestPlanSchema.optional(),
    /** Clusters per arm when effects are cluster-robust. */
    clusters: z.object({ control: z.number(), treated: z.number(), df: z.number() }).readonly().optional(),
  })
  .readonly();
export type EffectRow = z.infer<typeof EffectRowSchema>;

/** How the p-values of the arms are adjusted, per outcome. */
export const ARM_ADJUSTMENT: AdjustMethod = 'holm';
/** The interval of a difference of proportions. */
const PROPORTION_INTERVAL = 'newcombe';

/** A p-value adjustment's name in words. @internal */
export const ADJUSTMENT_NAMES: Record<AdjustMethod, string> = { holm: 'Holm', 'benjamini-hochberg': 'Benjamini–Hochberg', bonferroni: 'Bonferroni' };

/** How effects are estimated, in words: the methods of the functions {@link compareArms} calls, with the options it passes. */
export const EFFECTS_METHOD = `treated − control; proportions: pooled two-proportion z test with ${PROPORTION_INTERVAL === 'newcombe' ? 'Newcombe' : 'Wald'} interval; means: Welch t (CUPED with a pre-period: θ pooled over the arms); ratios: delta method (with a pre-period numerator and denominator, the regression-adjusted ratio); with a cluster column: OLS with cluster-robust CR1 errors and G − 1 degrees of freedom (a pre-period enters as a covariate); relative lift: for proportions the score interval of the risk ratio (the inversion of the pooled z test, so it never contradicts the p-value); for means the log scale (Fieller's interval for means near 0)`;

/** Every row index 0 … n − 1. @internal */
export function allRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/**
 * One arm-vs-control comparison of an outcome on the given rows: CUPED with
 * a pre-period, else proportions for a 0/1 outcome and Welch means for a
 * continuous one. @internal
 */
export function compareArms(
  outcome: PreparedOutcome,
  codes: Int32Array,
  arm: number,
  rows: ArrayLike<number>,
  pre: Float64Array | undefined,
  names?: { control: string; treated: string },
  inference: Pick<EffectOptions, 'sequential' | 'bayesian'> = {},
) {
  const y = outcome.values;
  let n0 = 0;
  let n1 = 0;
  let s0 = 0;
  let s1 = 0;
  const control: number[] = [];
  const treated: number[] = [];
  // Row-aligned post, pre and arm indicator for CUPED.
  const post: number[] = [];
  const preValues: number[] = [];
  const indicator: number[] = [];
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] as number;
    const code = codes[i] as number;
    if (code !== -1 && code !== arm) continue;
    const v = y[i] as number;
    if (code === -1) {
      n0++;
      s0 += v;
      control.push(v);
    } else {
      n1++;
      s1 += v;
      treated.push(v);
    }
    if (pre !== undefined) {
      post.push(v);
      preValues.push(pre[i] as number);
      indicator.push(code === -1 ? 0 : 1);
    }
  }
  // Errors name the user's outcome and arms.
  const labels = { outcome: outcome.column, ...(names ?? {}) };
  if (pre !== undefined) return { kind: 'means' as const, result: cuped(post, preValues, indicator, { labels, ...inference, ...(outcome.preperiod === undefined ? {} : { covariate: outcome.preperiod }) }) };
  if (outcome.kind === 'binary') return { kind: 'proportions' as const, result: compareProportions({ n: n0, successes: s0 }, { n: n1, successes: s1 }, { interval: PROPORTION_INTERVAL, ...inference }) };
  return { kind: 'means' as const, result: compareMeans(control, treated, { labels, ...inference }) };
}

/** An effect row without its adjusted p-value (set once the whole family is known). @internal */
export function toEffectRow(arm: string, outcome: PreparedOutcome, c: ReturnType<typeof compareArms>): Omit<EffectRow, 'adjustedPValue'> {
  const r = c.result;
  return {
    arm,
    outcome: outcome.column,
    label: outcome.label,
    kind: c.kind,
    control: r.control,
    treated: r.treated,
    absolute: r.absolute,
    relative: r.relative,
    relativeNote: r.relativeNote,
    cuped: 'cuped' in r ? r.cuped : null,
    method: r.method,
    sequential: r.sequential,
    bayesian: r.bayesian,
    plan: planNextTest(r),
  };
}

/**
 * Effects of every arm on every outcome over all rows, with intervals
 * (CUPED where the outcome has a pre-period) and p-values adjusted across
 * the arms of each outcome ({@link ARM_ADJUSTMENT}). Outcome-major order.
 * O(n · arms · outcomes).
 */
export function estimateEffects(context: EffectsContext): EffectRow[] {
  const { assignment, outcomes, dataset, spec } = context;
  const everyRow = allRows(dataset.n);
  const effects: EffectRow[] = [];
  const cluster = spec.cluster === undefined ? undefined : clusterIds(context, spec.cluster);
  // zod's optional keys may hold undefined; the comparisons treat an undefined option as absent.
  const inference = { ...(spec.sequential === undefined ? {} : { sequential: spec.sequential }), ...(spec.bayesian === undefined ? {} : { bayesian: spec.bayesian }) } as Pick<EffectOptions, 'sequential' | 'bayesian'>;
  for (const original of outcomes) {
    const { outcome: o, capped } = cappedOutcome(context, original);
    const compare = (codes: Int32Array, a: number, arm: string, baseline: string) =>
      cluster === undefined
        ? toEffectRow(arm, o, compareArms(o, codes, a, everyRow, o.pre, { control: baseline, treated: arm }, inference))
        : clusteredRow(arm, o, codes, a, cluster, inference);
    const rows = assignment.arms.map((arm, a) => compare(assignment.codes, a, arm, assignment.control));
    if (spec.comparisons === 'all-pairs') {
      // Each later treated arm against each earlier one: recode the earlier as control (−1), the later as arm 0, the rest out (−2).
      assignment.arms.forEach((baseline, b) => {
        assignment.arms.forEach((arm, a) => {
          if (a <= b) return;
          const codes = Int32Array.from(assignment.codes, (code) => (code === b ? -1 : code === a ? 0 : -2));
          rows.push({ ...compare(codes, 0, arm, baseline), baseline });
        });
      });
    }
    if (capped !== undefined) rows.forEach((row, k) => (rows[k] = { ...row, cap: capped.summary }));
    const adjusted = adjustPValues(rows.map((r) => r.absolute.pValue), ARM_ADJUSTMENT);
    rows.forEach((r, k) => effects.push({ ...r, adjustedPValue: adjusted[k] as number }));
  }
  for (const ratio of context.ratios) {
    if (cluster !== undefined) throw new InputError('invalid_option', 'cluster', `ratio outcome '${ratio.column}' has no cluster-robust comparison yet; leave out cluster or the ratio`);
    const rows = assignment.arms.map((arm, a) => ratioRow(arm, ratio, assignment.codes, null, -1, a, inference));
    if (spec.comparisons === 'all-pairs') {
      assignment.arms.forEach((baseline, b) => assignment.arms.forEach((arm, a) => a > b && rows.push({ ...ratioRow(arm, ratio, assignment.codes, null, b, a, inference), baseline })));
    }
    const adjusted = adjustPValues(rows.map((r) => r.absolute.pValue), ARM_ADJUSTMENT);
    rows.forEach((r, k) => effects.push({ ...r, adjustedPValue: adjusted[k] as number }));
  }
  return effects;
}

/**
 * The outcome with its values capped as the spec says (threshold from the pooled arms over all
 * rows), and the cap's summary; the outcome itself when it has no cap. @internal
 * @throws InputError `invalid_option` for a cap on a binary outcome
 */
export function cappedOutcome(context: EffectsContext, original: PreparedOutcome): { outcome: PreparedOutcome; capped: ReturnType<typeof capValues> | undefined } {
  const capSpec = context.spec.outcomes.find((s): s is ValueOutcomeSpec => s.kind !== 'ratio' && s.column === original.column)?.cap;
  if (capSpec !== undefined && original.kind !== 'continuous') throw new InputError('invalid_option', 'cap', `outcome '${original.column}' is binary: only continuous outcomes are capped`);
  const capped = capSpec === undefined ? undefined : capValues(original.values, capSpec, original.column);
  return { outcome: capped === undefined ? original : { ...original, values: capped.values }, capped };
}

/** The sums of a ratio metric over the given rows of one arm code. */
function ratioSums(ratio: PreparedRatio, codes: Int32Array, rows: ArrayLike<number>, code: number): RatioSums {
  let n = 0;
  let sumNum = 0;
  let sumDen = 0;
  let sumNum2 = 0;
  let sumDen2 = 0;
  let sumNumDen = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] as number;
    if (codes[i] !== code) continue;
    const x = ratio.numerator[i] as number;
    const d = ratio.denominator[i] as number;
    n++;
    sumNum += x;
    sumDen += d;
    sumNum2 += x * x;
    sumDen2 += d * d;
    sumNumDen += x * d;
  }
  return { n, sumNum, sumDen, sumNum2, sumDen2, sumNumDen };
}

/** Sums and cross-products of (numerator, denominator, pre numerator, pre denominator) over the rows of one arm code. */
function adjustedRatioSums(ratio: PreparedRatio, pre: NonNullable<PreparedRatio['pre']>, codes: Int32Array, code: number): AdjustedRatioSums {
  const columns = [ratio.numerator, ratio.denominator, pre.numerator, pre.denominator];
  const sums: [number, number, number, number] = [0, 0, 0, 0];
  const crossProducts = new Array<number>(16).fill(0);
  let n = 0;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] !== code) continue;
    n++;
    for (let a = 0; a < 4; a++) {
      const va = (columns[a] as Float64Array)[i] as number;
      sums[a] = (sums[a] as number) + va;
      for (let b = a; b < 4; b++) crossProducts[a * 4 + b]! += va * ((columns[b] as Float64Array)[i] as number);
    }
  }
  for (let a = 0; a < 4; a++) for (let b = 0; b < a; b++) crossProducts[a * 4 + b] = crossProducts[b * 4 + a] as number;
  return { n, sums, crossProducts };
}

/**
 * Arm code `a` against arm code `b` (−1: control) on a ratio metric over the given rows: the
 * regression-adjusted ratio (`compareRatiosAdjusted`) when `adjust` and the ratio has a pre-period
 * (over all rows only), else the delta method (`compareRatios`). @internal
 */
export function ratioRow(
  arm: string,
  ratio: PreparedRatio,
  codes: Int32Array,
  rows: ArrayLike<number> | null,
  b: number,
  a: number,
  inference: Pick<EffectOptions, 'sequential' | 'bayesian'>,
): Omit<EffectRow, 'adjustedPValue'> {
  const adjusted = rows === null && ratio.pre !== undefined ? compareRatiosAdjusted(adjustedRatioSums(ratio, ratio.pre, codes, b), adjustedRatioSums(ratio, ratio.pre, codes, a), inference) : null;
  const over = rows ?? allRows(codes.length);
  const r = adjusted ?? compareRatios(ratioSums(ratio, codes, over, b), ratioSums(ratio, codes, over, a), inference);
  return {
    arm,
    outcome: ratio.column,
    label: ratio.label,
    kind: 'ratios',
    control: r.control,
    treated: r.treated,
    absolute: r.absolute,
    relative: r.relative,
    relativeNote: r.relativeNote,
    cuped: adjusted === null ? null : { covariate: (ratio.pre as NonNullable<PreparedRatio['pre']>).name, theta: adjusted.theta, varianceReduction: adjusted.varianceReduction },
    method: r.method,
    sequential: r.sequential,
    bayesian: r.bayesian,
    plan: planNextTest(r),
  };
}

/** The cluster id of every row (categorical codes or numeric values), missing ids rejected. @internal */
export function clusterIds(context: EffectsContext, name: string): Float64Array {
  const column = context.dataset.column(name);
  const ids = new Float64Array(context.dataset.n);
  for (let row = 0; row < ids.length; row++) {
    const id = column.kind === 'categorical' ? (column.codes[row] as number) : (column.values[row] as number);
    if (Number.isNaN(id) || (column.kind === 'categorical' && id < 0)) throw new InputError('not_finite', name, `cluster '${name}' is missing at row ${row}`, row);
    ids[row] = id;
  }
  return ids;
}

/**
 * One arm against control with cluster-robust (CR1) errors over the given rows (all when null),
 * adjusted by the outcome's pre-period when it has one. @internal
 */
export function clusteredRow(
  arm: string,
  outcome: PreparedOutcome,
  codes: Int32Array,
  a: number,
  cluster: Float64Array,
  inference: Pick<EffectOptions, 'sequential' | 'bayesian'>,
  rows: ArrayLike<number> | null = null,
): Omit<EffectRow, 'adjustedPValue'> {
  const count = rows === null ? codes.length : rows.length;
  const rowAt = (k: number) => (rows === null ? k : (rows[k] as number));
  let used = 0;
  for (let k = 0; k < count; k++) {
    const code = codes[rowAt(k)] as number;
    if (code === -1 || code === a) used++;
  }
  // The arm's and control's rows, in typed arrays sized by a first count.
  const values = new Float64Array(used);
  const indicator = new Float64Array(used);
  const ids = new Float64Array(used);
  const rowsUsed = new Int32Array(used);
  for (let k = 0, m = 0; k < count; k++) {
    const i = rowAt(k);
    const code = codes[i] as number;
    if (code !== -1 && code !== a) continue;
    rowsUsed[m] = i;
    values[m] = outcome.values[i] as number;
    indicator[m] = code === -1 ? 0 : 1;
    ids[m++] = cluster[i] as number;
  }
  // With a pre-period: CUPED by regression on the centred covariate, the same CR1 sandwich.
  const pre = outcome.pre === undefined ? undefined : Float64Array.from(ids, (_, k) => (outcome.pre as Float64Array)[rowsUsed[k] as number] as number);
  const r = compareClustered(values, indicator, ids, {
    outcome: outcome.kind === 'binary' ? 'proportion' : 'mean',
    ...inference,
    ...(pre === undefined ? {} : { pre, covariate: outcome.preperiod ?? 'pre' }),
  });
  return clusteredEffectRow(arm, outcome, r);
}

/** The effect row of a clustered comparison (from rows here, from a SQL engine's cluster moments there). @internal */
export function clusteredEffectRow(arm: string, outcome: { readonly column: string; readonly label: string }, r: ClusteredComparison): Omit<EffectRow, 'adjustedPValue'> {
  return {
    arm,
    outcome: outcome.column,
    label: outcome.label,
    kind: 'clustered',
    control: { n: r.control.n, mean: r.control.mean },
    treated: { n: r.treated.n, mean: r.treated.mean },
    absolute: r.absolute,
    relative: r.relative,
    relativeNote: r.relativeNote,
    cuped: r.adjustment === undefined ? null : { covariate: r.adjustment.covariate, theta: r.adjustment.theta, varianceReduction: r.adjustment.varianceReduction },
    method: r.method,
    sequential: r.sequential,
    bayesian: r.bayesian,
    clusters: { control: r.control.clusters, treated: r.treated.clusters, df: r.df },
  };
}
