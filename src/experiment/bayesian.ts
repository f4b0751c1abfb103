import { z } from 'zod';
import { InputError } from '../errors.js';
import { checkScalar, realArgument, requireObject, rules } from '../internal/validate.js';
import { normalCdf, normalPdf, normalQuantile } from '../stats/normal.js';

const FRACTION = rules.fraction();
const REAL = rules.number();
const NON_NEGATIVE = rules.number({ min: 0 });
const POSITIVE = rules.number({ min: 0, minExclusive: true });

/**
 * A Gaussian prior on the effect: on the relative lift (default) or on the
 * absolute difference. Without `sd` (or with `sd: null`) the prior is flat.
 */
export interface EffectPrior {
  /** Which effect the prior (and the posterior) describes. Default `'relative'`. */
  readonly scale?: 'relative' | 'absolute';
  /** Prior mean. Default 0. */
  readonly mean?: number;
  /** Prior standard deviation; omitted or `null` for a flat (improper) prior. */
  readonly sd?: number | null;
}

export interface BayesianOptions {
  /** The prior; default flat on the relative lift. */
  readonly prior?: EffectPrior;
}

export const BayesianResultSchema = z
  .object({
    prior: z.object({ scale: z.enum(['relative', 'absolute']), mean: z.number(), sd: z.number().nullable(), proper: z.boolean() }).readonly(),
    /** Posterior mean of the effect (on the prior's scale). */
    mean: z.number(),
    /** Posterior standard deviation. */
    sd: z.number(),
    /** Equal-tailed credible interval at 1 − alpha. */
    ci: z.tuple([z.number(), z.number()]),
    /** Posterior probability that treated beats control (effect > 0). */
    chanceToWin: z.number(),
    /** Expected loss of shipping each arm: E[max(−effect, 0)] for treated, E[max(effect, 0)] for control. */
    risk: z.object({ control: z.number(), treated: z.number() }).readonly(),
  })
  .readonly();
export type BayesianResult = z.infer<typeof BayesianResultSchema>;

/** @internal Validated prior. */
export function parsePrior(options: BayesianOptions | true): BayesianResult['prior'] {
  const raw = options === true ? {} : options;
  if (raw === null || typeof raw !== 'object') throw new InputError('invalid_option', 'bayesian', `bayesian must be true or { prior }, got ${String(raw)}`);
  for (const key of Object.keys(raw)) if (key !== 'prior') throw new InputError('invalid_option', `bayesian.${key}`, `unknown option bayesian.${key}`);
  const prior = raw.prior ?? {};
  if (prior === null || typeof prior !== 'object') throw new InputError('invalid_option', 'bayesian.prior', 'bayesian.prior must be an object');
  for (const key of Object.keys(prior)) {
    if (key !== 'scale' && key !== 'mean' && key !== 'sd') throw new InputError('invalid_option', `bayesian.prior.${key}`, `unknown option bayesian.prior.${key}`);
  }
  const scale = prior.scale ?? 'relative';
  if (scale !== 'relative' && scale !== 'absolute') {
    throw new InputError('invalid_option', 'bayesian.prior.scale', `bayesian.prior.scale must be 'relative' or 'absolute', got ${String(scale)}`);
  }
  const mean = prior.mean ?? 0;
  if (typeof mean !== 'number' || !Number.isFinite(mean)) throw new InputError('invalid_option', 'bayesian.prior.mean', `bayesian.prior.mean must be finite, got ${String(mean)}`);
  const sd = prior.sd ?? null;
  if (sd !== null && (typeof sd !== 'number' || !(sd > 0) || !Number.isFinite(sd))) {
    throw new InputError('invalid_option', 'bayesian.prior.sd', `bayesian.prior.sd must be a finite number > 0 (or null for a flat prior), got ${String(sd)}`);
  }
  return { scale, mean, sd, proper: sd !== null };
}

/**
 * E[max(X, 0)] / σ for X ~ N(μ, σ²), as a function of z = μ/σ:
 * z·Φ(z) + φ(z). For z < −5 that difference cancels, so it is formed as
 * φ(z)·c/(|z| + c) with c the continued fraction 1/(|z| + 2/(|z| + 3/(|z| + …)))
 * of the Mills ratio, which has no cancellation; accurate to the last few
 * ulps down to z = −38 (where it underflows).
 *
 */
export function positivePartMean(z: number): number {
  realArgument('z', z);
  if (z > -5) return z * normalCdf(z) + normalPdf(z);
  const x = -z;
  // Evaluate c = 1/(x + 2/(x + 3/(x + …))) from the bottom up; 60 levels is ample for x ≥ 5.
  let tail = x;
  for (let k = 60; k >= 2; k--) tail = x + k / tail;
  const c = 1 / tail;
  return (normalPdf(x) * c) / (x + c);
}

/**
 * Posterior of an effect from its estimate and standard error under a
 * Gaussian prior (a normal likelihood, as GrowthBook): precision-weighted
 * mean; with a flat prior the posterior is N(estimate, se²). Chance to win
 * Φ(mean/sd); the risk of shipping treated E[max(−δ, 0)] and of keeping
 * control E[max(δ, 0)], closed-form truncated-normal means.
 *
 */
export function effectPosterior(estimate: number, standardError: number, prior: BayesianResult['prior'], alpha: number): BayesianResult {
  checkScalar('estimate', estimate, REAL);
  checkScalar('standardError', standardError, NON_NEGATIVE);
  requireObject('prior', prior, 'a prior { scale, mean, sd, proper }');
  checkScalar('prior.mean', prior.mean, REAL);
  if (prior.sd !== null) checkScalar('prior.sd', prior.sd, POSITIVE);
  checkScalar('alpha', alpha, FRACTION);
  let mean = estimate;
  let variance = standardError * standardError;
  if (prior.sd !== null) {
    const priorPrecision = 1 / (prior.sd * prior.sd);
    const dataPrecision = 1 / variance;
    variance = 1 / (priorPrecision + dataPrecision);
    mean = variance * (prior.mean * priorPrecision + estimate * dataPrecision);
  }
  const sd = Math.sqrt(variance);
  const q = normalQuantile(1 - alpha / 2);
  const z = sd > 0 ? mean / sd : mean === 0 ? 0 : Math.sign(mean) * Infinity;
  return {
    prior,
    mean,
    sd,
    ci: [mean - q * sd, mean + q * sd],
    chanceToWin: normalCdf(z),
    risk: sd > 0 ? { control: sd * positivePartMean(z), treated: sd * positivePartMean(-z) } : { control: Math.max(mean, 0), treated: Math.max(-mean, 0) },
  };
}
