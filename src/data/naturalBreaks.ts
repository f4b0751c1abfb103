import { ckmeans } from 'simple-statistics';
import { InputError } from '../errors.js';
import { checkScalar, describe, rules } from '../internal/validate.js';

/** Groups of a continuous column cut at its natural breaks. */
export interface NaturalBreaks {
  readonly kind: 'natural_breaks';
  /**
   * The lower bound of every group after the first, ascending: a value `v`
   * falls in group `g` = the number of thresholds ≤ `v`.
   */
  readonly thresholds: readonly number[];
  /** Each group's smallest and largest value and its count (over the values used). */
  readonly groups: readonly { readonly min: number; readonly max: number; readonly count: number }[];
  /** Values the breaks were found on: all present values, or an evenly spaced selection of their order statistics above `maxValues`. */
  readonly valuesUsed: number;
}

/** Above this many values the breaks are found on evenly spaced order statistics: Ckmeans holds two k × n tables. */
const MAX_VALUES = 20_000;

/**
 * Cuts a continuous column into at most `groups` groups at its natural
 * breaks: the grouping of the sorted values that minimises the
 * within-group sum of squares (Ckmeans.1d.dp, Wang & Song 2011, through
 * simple-statistics `ckmeans`), for segments such as "spend: 0–40, 40–180,
 * 180+". Missing values (NaN) are left out; fewer groups come back when
 * there are fewer distinct values. O(k · m log m) for m ≤ 20,000 values used.
 *
 * @throws InputError `wrong_type` (not an array), `out_of_range` (`groups`
 *   not an integer from 1 to 50), `not_finite` (±Infinity), `empty` (no values)
 * @see https://journal.r-project.org/archive/2011-2/RJournal_2011-2_Wang+Song.pdf
 * @example
 * naturalBreaks([1, 2, 3, 10, 11, 12, 50, 52], 3).thresholds; // => [10, 50]
 */
export function naturalBreaks(values: ArrayLike<number>, groups: number): NaturalBreaks {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new InputError('wrong_type', 'values', `values must be an array of numbers, got ${describe(values)}`);
  }
  checkScalar('groups', groups, rules.integer({ min: 1, max: 50 }));
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'number') throw new InputError('not_numeric', 'values', `values[${i}] must be a number, got ${describe(value)}`, i);
    if (Number.isNaN(value)) continue;
    if (!Number.isFinite(value)) throw new InputError('not_finite', 'values', `values[${i}] is ${value}`, i);
    present.push(value);
  }
  if (present.length === 0) throw new InputError('empty', 'values', 'values holds no number to cut into groups');
  present.sort((a, b) => a - b);
  let used = present;
  if (present.length > MAX_VALUES) {
    used = new Array<number>(MAX_VALUES);
    for (let k = 0; k < MAX_VALUES; k++) used[k] = present[Math.round((k * (present.length - 1)) / (MAX_VALUES - 1))] as number;
  }
  let distinct = 0;
  for (let i = 0; i < used.length; i++) if (i === 0 || used[i] !== used[i - 1]) distinct++;
  const clusters = ckmeans(used, Math.min(groups, distinct));
  return {
    kind: 'natural_breaks',
    thresholds: clusters.slice(1).map((cluster) => cluster[0] as number),
    groups: clusters.map((cluster) => ({ min: cluster[0] as number, max: cluster[cluster.length - 1] as number, count: cluster.length })),
    valuesUsed: used.length,
  };
}
