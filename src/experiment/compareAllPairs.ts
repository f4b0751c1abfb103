import { z } from 'zod';
import { InputError } from '../errors.js';
import { type AdjustMethod, adjustPValues } from './adjustPValues.js';
import { type MeanComparison, MeanComparisonSchema, type MeanOptions, compareMeans } from './compareMeans.js';
import { type ProportionComparison, ProportionComparisonSchema, type ProportionCounts, type ProportionOptions, compareProportions } from './compareProportions.js';
import type { MeanInput } from './summaries.js';

export interface AllPairsOptions {
  /** Correction across all pairs. Default `'holm'`. */
  readonly correction?: AdjustMethod;
  /** Options of each comparison (alpha, alternative, relativeInterval, sequential, bayesian). */
  readonly comparison?: ProportionOptions | MeanOptions;
}

export const PairComparisonSchema = z
  .object({
    /** The arm playing control in this pair (the earlier one in the input order). */
    control: z.string(),
    treated: z.string(),
    comparison: z.union([ProportionComparisonSchema, MeanComparisonSchema]),
    /** The absolute effect's p-value after the correction across all pairs. */
    adjustedPValue: z.number(),
  })
  .readonly();
export type PairComparison = z.infer<typeof PairComparisonSchema>;

/**
 * Each arm against each arm: every pair (a, b) with a before b in the input
 * order is compared with b as "treated", proportions when every arm is
 * `{ n, successes }` and means otherwise, and the absolute effects'
 * p-values are corrected across all m(m − 1)/2 pairs (Holm by default).
 * O(m²) comparisons.
 *
 * @throws InputError `empty` (fewer than 2 arms), and those of the comparisons
 * @example
 * const pairs = compareAllPairs({ a: { n: 1000, successes: 100 }, b: { n: 1000, successes: 130 }, c: { n: 1000, successes: 90 } });
 * pairs.map((p) => `${p.control}-${p.treated}`); // => ['a-b', 'a-c', 'b-c']
 */
export function compareAllPairs(arms: Readonly<Record<string, ProportionCounts | MeanInput>>, options: AllPairsOptions = {}): PairComparison[] {
  if (arms === null || typeof arms !== 'object') throw new InputError('wrong_type', 'arms', 'arms must be an object of arm name → counts or values');
  for (const key of Object.keys(options ?? {})) {
    if (key !== 'correction' && key !== 'comparison') throw new InputError('invalid_option', key, `unknown option ${JSON.stringify(key)} (known: correction, comparison)`);
  }
  const names = Object.keys(arms);
  if (names.length < 2) throw new InputError('empty', 'arms', `all-pairs comparisons need at least 2 arms, got ${names.length}`);
  const isCounts = (value: unknown): value is ProportionCounts =>
    value !== null && typeof value === 'object' && 'successes' in (value as object) && !('length' in (value as object));
  const proportions = names.every((name) => isCounts(arms[name]));
  const pairs: { control: string; treated: string; comparison: ProportionComparison | MeanComparison }[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = names[i] as string;
      const b = names[j] as string;
      const comparison = proportions
        ? compareProportions(arms[a] as ProportionCounts, arms[b] as ProportionCounts, options.comparison as ProportionOptions)
        : compareMeans(arms[a] as MeanInput, arms[b] as MeanInput, { ...(options.comparison as MeanOptions), labels: { control: a, treated: b } });
      pairs.push({ control: a, treated: b, comparison });
    }
  }
  const adjusted = adjustPValues(pairs.map((p) => p.comparison.absolute.pValue), options.correction ?? 'holm');
  return pairs.map((pair, k) => ({ ...pair, adjustedPValue: adjusted[k] as number }));
}
