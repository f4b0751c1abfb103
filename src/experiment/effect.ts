import { z } from 'zod';
import { InputError } from '../errors.js';
import { normalQuantile, normalSf } from '../stats/normal.js';
import { studentTQuantile, studentTSf } from '../stats/studentT.js';
import { type OptionRules, checkOptions, rules } from '../internal/validate.js';
import { type BayesianOptions, type BayesianResult, BayesianResultSchema, parsePrior, effectPosterior } from './bayesian.js';
import {
  type SequentialOptions,
  type SequentialSummary,
  SequentialSummarySchema,
  sequentialHalfWidth,
  sequentialPValue,
  sequentialRho,
  sequentialTuning,
} from './sequential.js';

/** Which way the test looks: treated ≠ control, treated < control, or treated > control. */
export type Alternative = 'two-sided' | 'less' | 'greater';

/** One estimated effect with its uncertainty. `ci` bounds are `null` on an unbounded (one-sided) side. */
export const EffectEstimateSchema = z
  .object({
    estimate: z.number(),
    standardError: z.number(),
    statistic: z.number(),
    ci: z.tuple([z.number().nullable(), z.number().nullable()]),
    pValue: z.number(),
  })
  .readonly();
export type EffectEstimate = z.infer<typeof EffectEstimateSchema>;

export const ArmSummarySchema = z.object({ n: z.number(), mean: z.number() }).readonly();
export type ArmSummary = z.infer<typeof ArmSummarySchema>;

export interface TestOptions {
  /** Significance level; intervals have coverage 1 − alpha. Default 0.05. */
  readonly alpha?: number;
  /** Default `'two-sided'`; `'greater'` tests treated > control. */
  readonly alternative?: Alternative;
}

/** @internal */
export function testOptions(options: TestOptions): { alpha: number; alternative: Alternative } {
  const alpha = options.alpha ?? 0.05;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) {
    throw new InputError('invalid_option', 'alpha', `alpha must be in (0, 1), got ${String(alpha)}`);
  }
  const alternative = options.alternative ?? 'two-sided';
  if (alternative !== 'two-sided' && alternative !== 'less' && alternative !== 'greater') {
    throw new InputError('invalid_option', 'alternative', `alternative must be 'two-sided', 'less' or 'greater', got ${String(alternative)}`);
  }
  return { alpha, alternative };
}

/** p-value of a statistic whose upper tail is `sf`. @internal */
export function pValueOf(statistic: number, alternative: Alternative, sf: (x: number) => number): number {
  if (alternative === 'greater') return sf(statistic);
  if (alternative === 'less') return sf(-statistic);
  return Math.min(1, 2 * sf(Math.abs(statistic)));
}

/** Interval estimate ± quantile·se on the sides the alternative asks for. @internal */
export function interval(estimate: number, standardError: number, alpha: number, alternative: Alternative, quantile: (p: number) => number): [number | null, number | null] {
  if (alternative === 'two-sided') {
    const q = quantile(1 - alpha / 2);
    return [estimate - q * standardError, estimate + q * standardError];
  }
  const q = quantile(1 - alpha);
  return alternative === 'greater' ? [estimate - q * standardError, null] : [null, estimate + q * standardError];
}

/** Normal-theory estimate: z = estimate / se (a zero se gives statistic 0 and p-value 1 for a zero estimate). @internal */
export function normalEstimate(estimate: number, standardError: number, alpha: number, alternative: Alternative, nullValue = 0): EffectEstimate {
  const statistic = standardError > 0 ? (estimate - nullValue) / standardError : estimate === nullValue ? 0 : Math.sign(estimate - nullValue) * Infinity;
  return {
    estimate,
    standardError,
    statistic: Number.isFinite(statistic) ? statistic : Math.sign(statistic) * Number.MAX_VALUE,
    ci: interval(estimate, standardError, alpha, alternative, normalQuantile),
    pValue: pValueOf(statistic, alternative, normalSf),
  };
}

/** Student-t estimate with df degrees of freedom. @internal */
export function tEstimate(estimate: number, standardError: number, df: number, alpha: number, alternative: Alternative): EffectEstimate {
  const statistic = estimate / standardError;
  return {
    estimate,
    standardError,
    statistic,
    ci: interval(estimate, standardError, alpha, alternative, (p) => studentTQuantile(p, df)),
    pValue: pValueOf(statistic, alternative, (t) => studentTSf(t, df)),
  };
}

/** How the relative lift's interval is formed (`'score'`: proportions only). */
export type RelativeInterval = 'log' | 'delta' | 'score';

/**
 * Which interval the relative lift carries: `'log'` (delta method on the log
 * ratio; Katz's interval for proportions), `'log-adjusted'` (the same with ½
 * added to each arm's successes and size, for an arm with no successes),
 * `'fieller'` (Fieller's interval, for means whose control mean is near 0 or
 * not positive), `'delta'` (delta method on the ratio itself, as GrowthBook),
 * `'score'` (proportions: the score interval of the risk ratio, the
 * inversion of the pooled z test).
 */
export type RelativeMethod = 'log' | 'log-adjusted' | 'fieller' | 'delta' | 'score';

export const RelativeMethodSchema = z.enum(['log', 'log-adjusted', 'fieller', 'delta', 'score']);

export interface RelativeResult {
  readonly relative: EffectEstimate | null;
  readonly relativeNote: string | null;
  readonly relativeMethod: RelativeMethod | null;
}

/** σ²/m² without overflow or underflow in the squares. */
function relativeVariance(variance: number, mean: number): number {
  return (Math.sqrt(variance) / Math.abs(mean)) ** 2;
}

/**
 * Relative effect treated/control − 1 by the delta method on the ratio:
 * Var ≈ v₁/m₀² + m₁²·v₀/m₀⁴ for independent arm means with variances v.
 * `null` (with the reason) when the control mean is 0. @internal
 */
export function relativeEstimate(
  controlMean: number,
  controlVariance: number,
  treatedMean: number,
  treatedVariance: number,
  alpha: number,
  alternative: Alternative,
): RelativeResult {
  if (controlMean === 0) return { relative: null, relativeNote: 'undefined: the control mean is 0', relativeMethod: null };
  const ratio = treatedMean / controlMean;
  const standardError = Math.sqrt(relativeVariance(treatedVariance, controlMean) + ratio * ratio * relativeVariance(controlVariance, controlMean));
  return { relative: normalEstimate(ratio - 1, standardError, alpha, alternative), relativeNote: null, relativeMethod: 'delta' };
}

/**
 * Relative lift on the log scale: ln(m₁/m₀) ± z·√(v₁/m₁² + v₀/m₀²), mapped
 * back by exp(·) − 1, so the interval never crosses −100% and agrees in
 * direction with the test of the log ratio it reports (statistic and
 * p-value are those of ln(m₁/m₀)). For proportions this is Katz's interval.
 * `standardError` is the delta-method standard error of the lift,
 * (m₁/m₀)·SE(ln ratio). Both means must be positive. @internal
 */
export function logRelativeEstimate(
  controlMean: number,
  controlVariance: number,
  treatedMean: number,
  treatedVariance: number,
  alpha: number,
  alternative: Alternative,
): EffectEstimate {
  const ratio = treatedMean / controlMean;
  const logRatio = Math.log(treatedMean) - Math.log(controlMean);
  const logSe = Math.sqrt(relativeVariance(treatedVariance, treatedMean) + relativeVariance(controlVariance, controlMean));
  const onLog = normalEstimate(logRatio, logSe, alpha, alternative);
  return {
    estimate: ratio - 1,
    standardError: ratio * logSe,
    statistic: onLog.statistic,
    ci: [onLog.ci[0] === null ? null : Math.expm1(onLog.ci[0]), onLog.ci[1] === null ? null : Math.expm1(onLog.ci[1])],
    pValue: onLog.pValue,
  };
}

/**
 * Fieller's interval for ρ = m₁/m₀ − 1: the ρ with
 * (m₁ − (1+ρ)m₀)² ≤ q²(v₁ + (1+ρ)²v₀). Bounded when the control mean is
 * itself significant (m₀² > q²v₀); otherwise the set is unbounded and both
 * bounds are `null`. The test of ρ = 0 is the z test of m₁ − m₀, so the
 * p-value agrees with the absolute difference's normal test. @internal
 */
export function fiellerRelativeEstimate(
  controlMean: number,
  controlVariance: number,
  treatedMean: number,
  treatedVariance: number,
  alpha: number,
  alternative: Alternative,
): EffectEstimate {
  const ratio = treatedMean / controlMean;
  const deltaSe = Math.sqrt(relativeVariance(treatedVariance, controlMean) + ratio * ratio * relativeVariance(controlVariance, controlMean));
  const differenceSe = Math.sqrt(treatedVariance + controlVariance);
  const statistic = differenceSe > 0 ? (treatedMean - controlMean) / differenceSe : 0;
  const q = normalQuantile(alternative === 'two-sided' ? 1 - alpha / 2 : 1 - alpha);
  // Work in units of the control mean's standard error so that nothing overflows.
  const scale = Math.sqrt(controlVariance) || Math.sqrt(treatedVariance) || 1;
  const m0 = controlMean / scale;
  const m1 = treatedMean / scale;
  const v0 = controlVariance / (scale * scale);
  const v1 = treatedVariance / (scale * scale);
  const a = m0 * m0 - q * q * v0;
  let lower: number | null = null;
  let upper: number | null = null;
  if (a > 0) {
    const discriminant = m0 * m0 * v1 + m1 * m1 * v0 - q * q * v0 * v1;
    const half = q * Math.sqrt(Math.max(0, discriminant));
    const r1 = (m0 * m1 - half) / a - 1;
    const r2 = (m0 * m1 + half) / a - 1;
    // For a negative control mean the ratio reverses its order.
    lower = Math.min(r1, r2);
    upper = Math.max(r1, r2);
  }
  return {
    estimate: ratio - 1,
    standardError: deltaSe,
    statistic,
    ci: alternative === 'two-sided' ? [lower, upper] : alternative === 'greater' ? [lower, null] : [null, upper],
    pValue: pValueOf(statistic, alternative, normalSf),
  };
}

/**
 * Relative lift of two means by the requested interval: `'log'` uses the log
 * scale when both means are positive and the control mean is at least 5
 * standard errors from 0, and Fieller's interval otherwise; `'delta'` the
 * delta method on the ratio. @internal
 */
export function relativeOfMeans(
  controlMean: number,
  controlVariance: number,
  treatedMean: number,
  treatedVariance: number,
  alpha: number,
  alternative: Alternative,
  method: RelativeInterval,
): RelativeResult {
  if (controlMean === 0) return { relative: null, relativeNote: 'undefined: the control mean is 0', relativeMethod: null };
  if (method === 'delta') return relativeEstimate(controlMean, controlVariance, treatedMean, treatedVariance, alpha, alternative);
  const controlSe = Math.sqrt(controlVariance);
  if (controlMean > 0 && treatedMean > 0 && controlMean >= 5 * controlSe) {
    return { relative: logRelativeEstimate(controlMean, controlVariance, treatedMean, treatedVariance, alpha, alternative), relativeNote: null, relativeMethod: 'log' };
  }
  const relative = fiellerRelativeEstimate(controlMean, controlVariance, treatedMean, treatedVariance, alpha, alternative);
  const unbounded = relative.ci[0] === null && relative.ci[1] === null;
  return {
    relative,
    relativeNote: unbounded
      ? "Fieller's interval is unbounded: the control mean is not distinguishable from 0"
      : controlMean < 0 || treatedMean <= 0
        ? "Fieller's interval: a mean is not positive, so the log scale does not apply"
        : "Fieller's interval: the control mean is within 5 standard errors of 0",
    relativeMethod: 'fieller',
  };
}

/**
 * Relative lift of two proportions x₁/n₁ ÷ x₀/n₀ − 1: Katz's log interval
 * (`'log'`), with ½ added to each arm's successes and size when the treated
 * arm has none (statsmodels `confint_proportions_2indep(compare='ratio',
 * method='log-adjusted')`), so the interval stays valid rather than
 * collapsing to −100% with a zero standard error; `null` with a note when
 * the control arm has none (the lift is unbounded). `'delta'`: the delta
 * method on the ratio. @internal
 */
export function relativeOfProportions(
  control: { n: number; successes: number },
  treated: { n: number; successes: number },
  alpha: number,
  alternative: Alternative,
  method: RelativeInterval,
): RelativeResult {
  if (control.successes === 0) {
    return { relative: null, relativeNote: 'undefined: the control arm has no successes, so the lift is unbounded', relativeMethod: null };
  }
  const p0 = control.successes / control.n;
  const p1 = treated.successes / treated.n;
  if (method === 'delta') return relativeEstimate(p0, (p0 * (1 - p0)) / control.n, p1, (p1 * (1 - p1)) / treated.n, alpha, alternative);
  if (method === 'score') return scoreRelative(control, treated, alpha, alternative);
  if (treated.successes === 0) {
    const x0 = control.successes + 0.5;
    const n0 = control.n + 0.5;
    const x1 = 0.5;
    const n1 = treated.n + 0.5;
    const a0 = x0 / n0;
    const a1 = x1 / n1;
    return {
      relative: logRelativeEstimate(a0, (a0 * (1 - a0)) / n0, a1, (a1 * (1 - a1)) / n1, alpha, alternative),
      relativeNote: 'the treated arm has no successes: the estimate and interval add ½ to each arm\'s successes and size (log-adjusted)',
      relativeMethod: 'log-adjusted',
    };
  }
  return { relative: logRelativeEstimate(p0, (p0 * (1 - p0)) / control.n, p1, (p1 * (1 - p1)) / treated.n, alpha, alternative), relativeNote: null, relativeMethod: 'log' };
}

/**
 * The pooled-variance score statistic of H₀: p₁ = R·p₀ (Koopman 1984; the
 * Miettinen–Nurminen statistic without its N/(N − 1) factor), with the
 * restricted maximum-likelihood p̃₀ the smaller root of
 * N·R·p² − (n₁R + x₁ + n₀ + x₀R)·p + (x₁ + x₀) = 0 and p̃₁ = R·p̃₀:
 * z(R) = (p̂₁ − R·p̂₀) / √(p̃₁(1 − p̃₁)/n₁ + R²·p̃₀(1 − p̃₀)/n₀). At R = 1 it is
 * the pooled two-proportion z statistic; it falls as R grows.
 */
function ratioScore(x0: number, n0: number, x1: number, n1: number, ratio: number): number {
  const a = (n0 + n1) * ratio;
  const b = -(n1 * ratio + x1 + n0 + x0 * ratio);
  const c = x1 + x0;
  const root = Math.sqrt(Math.max(0, b * b - 4 * a * c));
  // The smaller root, in the form that does not cancel: 2c / (−b + √(b² − 4ac)).
  const q0 = Math.min(1, (2 * c) / (-b + root));
  const q1 = Math.min(1, ratio * q0);
  const variance = (q1 * (1 - q1)) / n1 + (ratio * ratio * q0 * (1 - q0)) / n0;
  const numerator = x1 / n1 - (ratio * x0) / n0;
  if (variance <= 0) return numerator === 0 ? 0 : numerator > 0 ? Infinity : -Infinity;
  return numerator / Math.sqrt(variance);
}

/** The R > 0 where the decreasing score z(R) crosses `level`, by bisection on log R from `start`. */
function ratioScoreRoot(x0: number, n0: number, x1: number, n1: number, level: number, start: number): number {
  let lo = Math.log(start);
  let hi = lo;
  // Bracket: z(e^lo) ≥ level ≥ z(e^hi).
  let step = 1;
  while (ratioScore(x0, n0, x1, n1, Math.exp(lo)) < level && step < 1e4) {
    lo -= step;
    step *= 2;
  }
  step = 1;
  while (ratioScore(x0, n0, x1, n1, Math.exp(hi)) > level && step < 1e4) {
    hi += step;
    step *= 2;
  }
  for (let k = 0; k < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); k++) {
    const mid = (lo + hi) / 2;
    if (ratioScore(x0, n0, x1, n1, Math.exp(mid)) >= level) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * Relative lift of two proportions by the score interval of the risk ratio
 * (Koopman 1984; statsmodels `confint_proportions_2indep(compare='ratio',
 * method='score', correction=False)`): the ratios R with |z(R)| ≤ q. Its
 * test of R = 1 is the pooled two-proportion z test, so the interval
 * leaves out 0% exactly when that test rejects: the lift never contradicts
 * the p-value beside it. The statistic and p-value are the pooled test's;
 * the standard error is Katz's delta-method one, (p̂₁/p̂₀)·SE(ln ratio), for
 * the sequential and Bayesian results (with no treated successes, from ½
 * added to each arm). With no treated successes the lower bound is −100%
 * (a ratio of 0 is consistent with the data). The control must have
 * successes (the caller returns `null` otherwise).
 */
function scoreRelative(control: { n: number; successes: number }, treated: { n: number; successes: number }, alpha: number, alternative: Alternative): RelativeResult {
  const { n: n0, successes: x0 } = control;
  const { n: n1, successes: x1 } = treated;
  const ratio = x1 / n1 / (x0 / n0);
  const q = normalQuantile(alternative === 'two-sided' ? 1 - alpha / 2 : 1 - alpha);
  const lower = x1 === 0 ? 0 : ratioScoreRoot(x0, n0, x1, n1, q, ratio);
  const upper = ratioScoreRoot(x0, n0, x1, n1, -q, Math.max(ratio, 1e-300));
  const add = x1 === 0 ? 0.5 : 0;
  const a0 = (x0 + add) / (n0 + add);
  const a1 = (x1 + add) / (n1 + add);
  const logSe = Math.sqrt(relativeVariance((a1 * (1 - a1)) / (n1 + add), a1) + relativeVariance((a0 * (1 - a0)) / (n0 + add), a0));
  const statistic = ratioScore(x0, n0, x1, n1, 1);
  return {
    relative: {
      estimate: ratio - 1,
      standardError: (a1 / a0) * logSe,
      statistic,
      ci: [alternative === 'less' ? null : lower - 1, alternative === 'greater' ? null : upper - 1],
      pValue: pValueOf(statistic, alternative, normalSf),
    },
    relativeNote: x1 === 0 ? 'the treated arm has no successes: the lift is −100% and the interval starts there' : null,
    relativeMethod: 'score',
  };
}

/** @internal */
export function positiveCount(name: string, value: number, minimum = 1): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError('not_finite', name, `${name} must be a finite number, got ${String(value)}`);
  if (!Number.isInteger(value) || value < minimum) {
    throw new InputError(value < minimum && Number.isInteger(value) && value >= 0 ? 'empty' : 'out_of_range', name, `${name} must be an integer ≥ ${minimum}, got ${value}`);
  }
  return value;
}

/** Options every two-arm comparison takes. */
export interface EffectOptions extends TestOptions {
  /**
   * Interval of the relative lift: `'log'` (the default for means: the
   * log-scale delta method, or Fieller's interval near a zero control mean;
   * Katz's log interval for proportions), `'score'` (the default for
   * proportions and for them only: the score interval of the risk ratio,
   * which never disagrees with the pooled z test) or `'delta'` (the delta
   * method on the ratio, as GrowthBook's frequentist engine; kept for
   * comparison).
   */
  readonly relativeInterval?: RelativeInterval;
  /**
   * Always-valid inference: `true` or `{ tuning }` replaces each effect's
   * `ci` by the asymptotic confidence sequence and its `pValue` by the
   * always-valid p-value (see {@link sequentialHalfWidth}).
   */
  readonly sequential?: boolean | SequentialOptions;
  /** Bayesian results beside the frequentist ones: `true` (flat prior on the relative lift) or `{ prior }`. */
  readonly bayesian?: boolean | BayesianOptions;
}

/** @internal Rules for the keys of {@link EffectOptions}. */
export const effectOptionRules = {
  alpha: rules.fraction(),
  alternative: rules.oneOf(['two-sided', 'less', 'greater']),
  relativeInterval: rules.oneOf(['log', 'delta']),
  sequential: rules.either(rules.boolean(), rules.object()),
  bayesian: rules.either(rules.boolean(), rules.object()),
} as const;

export interface ParsedEffectOptions {
  readonly alpha: number;
  readonly alternative: Alternative;
  readonly relativeInterval: RelativeInterval;
  readonly tuning: number | null;
  readonly prior: BayesianResult['prior'] | null;
}

/** @internal Validates the shared comparison options (strictly: unknown keys are `invalid_option`). */
export function parseEffectOptions<T extends EffectOptions>(options: T | undefined, extra: OptionRules<Omit<T, keyof EffectOptions>>): ParsedEffectOptions {
  const checked = checkOptions(options as T, { ...effectOptionRules, ...extra } as unknown as OptionRules<T>);
  const { alpha, alternative } = testOptions(checked);
  const sequential = checked.sequential ?? false;
  const bayesian = checked.bayesian ?? false;
  return {
    alpha,
    alternative,
    relativeInterval: checked.relativeInterval ?? 'log',
    tuning: sequential === false ? null : sequentialTuning(sequential),
    prior: bayesian === false ? null : parsePrior(bayesian),
  };
}

export const InferenceSchema = {
  relativeMethod: RelativeMethodSchema.nullable(),
  /** What made `absolute` and `relative`'s `ci` and `pValue`. */
  method: z.enum(['fixed-horizon', 'sequential']),
  sequential: SequentialSummarySchema.nullable(),
  bayesian: BayesianResultSchema.nullable(),
};

/**
 * The comparison's effects after the requested inference: with `sequential`
 * each `ci` becomes the confidence sequence and each `pValue` the
 * always-valid one (the relative lift on the log scale when its interval is
 * a log one); with `bayesian` the posterior of the effect on the prior's
 * scale. `n` counts the units of both arms. @internal
 */
export function finishInference(
  absolute: EffectEstimate,
  relativeResult: RelativeResult,
  n: number,
  parsed: ParsedEffectOptions,
): RelativeResult & {
  absolute: EffectEstimate;
  method: 'fixed-horizon' | 'sequential';
  sequential: SequentialSummary | null;
  bayesian: BayesianResult | null;
} {
  const { alpha, alternative } = parsed;
  let result = { absolute, ...relativeResult };
  let sequential: SequentialSummary | null = null;
  if (parsed.tuning !== null) {
    const rho = sequentialRho(alpha, parsed.tuning);
    const level = alternative === 'two-sided' ? alpha : 2 * alpha;
    const sequence = (estimate: number, standardError: number, map: (x: number) => number): Pick<EffectEstimate, 'statistic' | 'ci' | 'pValue'> => {
      const half = sequentialHalfWidth(standardError, n, rho, level);
      const statistic = standardError > 0 ? estimate / standardError : 0;
      return {
        statistic,
        ci: [alternative === 'less' ? null : map(estimate - half), alternative === 'greater' ? null : map(estimate + half)],
        pValue: standardError > 0 ? sequentialPValue(statistic, n, rho, alternative) : estimate === 0 ? 1 : 0,
      };
    };
    const absoluteSequence = { ...absolute, ...sequence(absolute.estimate, absolute.standardError, (x) => x) };
    let relative = result.relative;
    if (relative !== null) {
      const onLog = result.relativeMethod === 'log' || result.relativeMethod === 'log-adjusted' || result.relativeMethod === 'score';
      relative = onLog
        ? { ...relative, ...sequence(Math.log1p(relative.estimate), relative.standardError / (1 + relative.estimate), Math.expm1) }
        : { ...relative, ...sequence(relative.estimate, relative.standardError, (x) => x) };
    }
    result = { ...result, absolute: absoluteSequence, relative };
    sequential = { method: 'asymptotic-confidence-sequence', tuning: parsed.tuning, rho, n };
  }
  let bayesian: BayesianResult | null = null;
  if (parsed.prior !== null) {
    const effect = parsed.prior.scale === 'absolute' ? absolute : relativeResult.relative;
    if (effect !== null) bayesian = effectPosterior(effect.estimate, effect.standardError, parsed.prior, alpha);
  }
  return { ...result, method: sequential === null ? 'fixed-horizon' : 'sequential', sequential, bayesian };
}
