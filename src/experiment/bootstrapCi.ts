import { z } from 'zod';
import { InputError } from '../errors.js';
import { createRandom } from '../internal/random.js';
import { sortedQuantile } from '../internal/quantile.js';
import { finiteVector, checkOptions, rules } from '../internal/validate.js';
import { normalCdf, normalQuantile } from '../stats/normal.js';

export interface BootstrapOptions {
  /** Resamples. Default 2000. */
  readonly resamples?: number;
  /** Interval coverage 1 − alpha. Default 0.05. */
  readonly alpha?: number;
  /** `'percentile'` (default) or `'bca'` (bias-corrected and accelerated, jackknife acceleration). */
  readonly method?: 'percentile' | 'bca';
  /** Seed of the generator: the same seed gives the same interval on every runtime. Default 0. */
  readonly seed?: number;
}

export const BootstrapResultSchema = z
  .object({
    kind: z.literal('bootstrap'),
    estimate: z.number(),
    standardError: z.number(),
    ci: z.tuple([z.number(), z.number()]),
    method: z.enum(['percentile', 'bca']),
    resamples: z.number(),
    alpha: z.number(),
    seed: z.number(),
  })
  .readonly();
export type BootstrapResult = z.infer<typeof BootstrapResultSchema>;

/**
 * Bootstrap interval of any statistic of one or more independent samples
 * (each resampled with replacement within itself, so arms keep their sizes).
 * The generator is xoshiro128** seeded by `seed`, so results repeat exactly
 * across Node, Deno and browsers. Percentile intervals interpolate linearly
 * between order statistics; BCa follows Efron (1987) with the jackknife
 * (leave one row out of one sample at a time) for the acceleration, as scipy
 * `bootstrap(method="BCa")`. O(resamples · cost of the statistic); BCa adds
 * n jackknife evaluations.
 *
 * @param samples - one or more samples
 * @param statistic - maps the samples (in order) to a number
 * @throws InputError `empty`, `not_finite`, `invalid_option`, `not_finite` (a statistic value)
 * @example
 * const mean = ([x]) => x.reduce((a, b) => a + b, 0) / x.length;
 * bootstrapCi([[1, 2, 3, 4, 5, 6, 7, 8]], mean, { seed: 7 }).ci; // => [2.875, 6]
 */
export function bootstrapCi(
  samples: readonly ArrayLike<number>[],
  statistic: (samples: readonly Float64Array[]) => number,
  options: BootstrapOptions = {},
): BootstrapResult {
  if (!Array.isArray(samples) || samples.length === 0) throw new InputError('empty', 'samples', 'samples needs at least one sample');
  const data = samples.map((sample, i) => finiteVector(`samples[${i}]`, sample));
  if (typeof statistic !== 'function') throw new InputError('wrong_type', 'statistic', 'statistic must be a function of the samples');
  // At most 1,000,000 resamples: the draws are held in memory.
  checkOptions(options, { resamples: rules.integer({ min: 10, max: 1_000_000 }), alpha: rules.fraction(), method: rules.oneOf(['percentile', 'bca']), seed: rules.integer() });
  const resamples = options.resamples ?? 2000;
  if (!Number.isInteger(resamples) || resamples < 10) throw new InputError('invalid_option', 'resamples', `resamples must be an integer ≥ 10, got ${resamples}`);
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new InputError('invalid_option', 'alpha', `alpha must be in (0, 1), got ${alpha}`);
  const method = options.method ?? 'percentile';
  if (method !== 'percentile' && method !== 'bca') throw new InputError('invalid_option', 'method', `method must be 'percentile' or 'bca', got ${String(method)}`);
  const seed = options.seed ?? 0;
  const random = createRandom(seed);
  const evaluate = (values: readonly Float64Array[]) => {
    const value = statistic(values);
    if (!Number.isFinite(value)) throw new InputError('not_finite', 'statistic', `the statistic returned ${value}`);
    return value;
  };
  const estimate = evaluate(data);
  const buffers = data.map((sample) => new Float64Array(sample.length));
  const draws = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    data.forEach((sample, s) => {
      const buffer = buffers[s] as Float64Array;
      const n = sample.length;
      for (let i = 0; i < n; i++) buffer[i] = sample[Math.floor(random() * n)] as number;
    });
    draws[b] = evaluate(buffers);
  }
  let mean = 0;
  for (let b = 0; b < resamples; b++) mean += draws[b] as number;
  mean /= resamples;
  let squares = 0;
  for (let b = 0; b < resamples; b++) squares += ((draws[b] as number) - mean) ** 2;
  const standardError = Math.sqrt(squares / (resamples - 1));
  draws.sort();
  let lowerQ = alpha / 2;
  let upperQ = 1 - alpha / 2;
  if (method === 'bca') {
    let below = 0;
    for (let b = 0; b < resamples; b++) if ((draws[b] as number) < estimate) below++;
    const z0 = normalQuantile(below / resamples);
    const acceleration = jackknifeAcceleration(data, evaluate);
    const adjust = (q: number) => {
      const zq = normalQuantile(q);
      return normalCdf(z0 + (z0 + zq) / (1 - acceleration * (z0 + zq)));
    };
    lowerQ = adjust(lowerQ);
    upperQ = adjust(upperQ);
    if (!Number.isFinite(z0)) {
      throw new InputError('out_of_range', 'statistic', 'every resample falls on one side of the estimate: the BCa correction is undefined; use the percentile method');
    }
  }
  return {
    kind: 'bootstrap',
    estimate,
    standardError,
    ci: [sortedQuantile(draws, lowerQ), sortedQuantile(draws, upperQ)],
    method,
    resamples,
    alpha,
    seed,
  };
}

/** a = Σ(θ̄ − θᵢ)³ / (6·(Σ(θ̄ − θᵢ)²)^{3/2}) over leave-one-out estimates of every row of every sample. */
function jackknifeAcceleration(data: readonly Float64Array[], evaluate: (values: readonly Float64Array[]) => number): number {
  const values: number[] = [];
  data.forEach((sample, s) => {
    const without = new Float64Array(sample.length - 1);
    for (let leave = 0; leave < sample.length; leave++) {
      for (let i = 0, k = 0; i < sample.length; i++) if (i !== leave) without[k++] = sample[i] as number;
      const replaced = data.slice();
      replaced[s] = without;
      values.push(evaluate(replaced));
    }
  });
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  let cubes = 0;
  let squares = 0;
  for (const value of values) {
    const d = mean - value;
    cubes += d * d * d;
    squares += d * d;
  }
  return squares === 0 ? 0 : cubes / (6 * squares ** 1.5);
}
