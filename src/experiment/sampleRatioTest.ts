import { checkOptions, describe, rules } from '../internal/validate.js';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { chiSquareSf } from '../stats/chiSquare.js';
import { positiveCount } from './effect.js';

export interface SampleRatioOptions {
  /** Flag a mismatch when the p-value is below this. Default 0.001. */
  readonly threshold?: number;
}

export const SampleRatioTestSchema = z
  .object({
    kind: z.literal('sample_ratio_test'),
    counts: z.array(z.number()),
    expectedShares: z.array(z.number()),
    expectedCounts: z.array(z.number()),
    statistic: z.number(),
    df: z.number(),
    pValue: z.number(),
    threshold: z.number(),
    mismatch: z.boolean(),
  })
  .readonly();
export type SampleRatioTest = z.infer<typeof SampleRatioTestSchema>;

/**
 * Sample-ratio-mismatch check: Pearson's chi-square goodness-of-fit test of
 * the observed arm sizes against the planned shares (equal by default). A
 * p-value below `threshold` (0.001) means the assignment or the logging is
 * broken and effects should not be trusted. Agrees with scipy `chisquare`.
 *
 * @param counts - rows per arm
 * @param expectedShares - planned share per arm, summing to 1 (normalised if not)
 * @throws InputError `empty`, `length_mismatch`, `out_of_range`, `not_finite`
 * @example
 * sampleRatioTest([44700, 45489]).pValue; // => 0.008607987810836238
 */
export function sampleRatioTest(counts: readonly number[], expectedShares?: readonly number[], options: SampleRatioOptions = {}): SampleRatioTest {
  if (!Array.isArray(counts) || counts.length < 2) throw new InputError('empty', 'counts', 'counts needs at least two arms');
  counts.forEach((count, i) => positiveCount(`counts[${i}]`, count, 0));
  const { threshold: given } = checkOptions(options, { threshold: rules.fraction() });
  if (expectedShares !== undefined && !Array.isArray(expectedShares)) throw new InputError('wrong_type', 'expectedShares', `expectedShares must be an array of numbers, got ${describe(expectedShares)}`);
  const shares = expectedShares ?? counts.map(() => 1 / counts.length);
  if (shares.length !== counts.length) {
    throw new InputError('length_mismatch', 'expectedShares', `expectedShares has ${shares.length} values but counts has ${counts.length}`);
  }
  let shareTotal = 0;
  shares.forEach((share, i) => {
    if (!(share > 0) || !Number.isFinite(share)) throw new InputError('out_of_range', 'expectedShares', `expectedShares[${i}] must be > 0, got ${share}`, i);
    shareTotal += share;
  });
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) throw new InputError('empty', 'counts', 'counts are all 0');
  const threshold = given ?? 0.001;
  const expectedCounts = shares.map((share) => (total * share) / shareTotal);
  let statistic = 0;
  counts.forEach((count, i) => {
    const expected = expectedCounts[i] as number;
    statistic += (count - expected) ** 2 / expected;
  });
  const df = counts.length - 1;
  const pValue = chiSquareSf(statistic, df);
  return {
    kind: 'sample_ratio_test',
    counts: [...counts],
    expectedShares: shares.map((share) => share / shareTotal),
    expectedCounts,
    statistic,
    df,
    pValue,
    threshold,
    mismatch: pValue < threshold,
  };
}
