import { mean, medianSorted, modeSorted, quantileSorted, sampleSkewness, sampleStandardDeviation } from 'simple-statistics';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { checkOptions, describe as describeValue, rules } from '../internal/validate.js';
import { type CategoricalColumn, type Column, Dataset, columnLabels } from './dataset.js';

const nullableNumber = z.number().nullable();

/** A numeric column: its spread, centre and shape over the values present. */
export const NumberDescriptionSchema = z
  .object({
    kind: z.literal('number'),
    name: z.string(),
    /** Values present. */
    count: z.number(),
    missing: z.number(),
    /** Distinct values present. */
    distinct: z.number(),
    mean: nullableNumber,
    /** Sample standard deviation (n − 1), as pandas `describe`; null below 2 values. */
    std: nullableNumber,
    min: nullableNumber,
    /** Quartiles by linear interpolation (numpy's default, pandas `describe`). */
    q25: nullableNumber,
    median: nullableNumber,
    q75: nullableNumber,
    max: nullableNumber,
    /** Most frequent value, the smallest on ties (pandas `mode()[0]`). */
    mode: nullableNumber,
    /** Adjusted Fisher–Pearson skewness (pandas `skew`); null below 3 values or with no spread. */
    skewness: nullableNumber,
    /** Every value an integer. */
    integer: z.boolean(),
    /** Integers, each value distinct, at least 20 of them: a row or customer id rather than a measurement. */
    idLike: z.boolean(),
  })
  .readonly();

/** A 0/1 column (numbers 0 and 1, or booleans): the share of ones. */
export const BinaryDescriptionSchema = z
  .object({
    kind: z.literal('binary'),
    name: z.string(),
    count: z.number(),
    missing: z.number(),
    /** Share of ones among the values present; null when none is. */
    rate: nullableNumber,
    ones: z.number(),
    /** The labels of 0 and 1 as written (`['No', 'Yes']`, `['0', '1']`). */
    labels: z.tuple([z.string(), z.string()]),
  })
  .readonly();

/** A text column: its most frequent levels and what its texts look like. */
export const CategoryDescriptionSchema = z
  .object({
    kind: z.literal('category'),
    name: z.string(),
    count: z.number(),
    missing: z.number(),
    /** Distinct levels present. */
    distinct: z.number(),
    /** The most frequent levels, most frequent first (ties by level), with their share of the values present. */
    top: z.array(z.object({ level: z.string(), count: z.number(), share: z.number() }).readonly()).readonly(),
    /** Nearly every value distinct (at least 95 % and 20 values): an id, not a segment or a feature. */
    idLike: z.boolean(),
    /** At least 95 % of the levels read as dates or timestamps (2024-03-01, 01/03/2024, 2024-03-01T10:00). */
    dateLike: z.boolean(),
  })
  .readonly();

export const ColumnDescriptionSchema = z.discriminatedUnion('kind', [NumberDescriptionSchema, BinaryDescriptionSchema, CategoryDescriptionSchema]);

export const DatasetDescriptionSchema = z
  .object({
    kind: z.literal('dataset_description'),
    rows: z.number(),
    columns: z.array(ColumnDescriptionSchema).readonly(),
  })
  .readonly();

export type NumberDescription = z.infer<typeof NumberDescriptionSchema>;
export type BinaryDescription = z.infer<typeof BinaryDescriptionSchema>;
export type CategoryDescription = z.infer<typeof CategoryDescriptionSchema>;
export type ColumnDescription = z.infer<typeof ColumnDescriptionSchema>;
export type DatasetDescription = z.infer<typeof DatasetDescriptionSchema>;

export interface DescribeOptions {
  /** Levels listed per text column. Default 10. */
  readonly topLevels?: number;
}

const ID_MIN_COUNT = 20;
const DATE = [
  /^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
  /^\d{4}\/\d{1,2}\/\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?$/,
  /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}( \d{1,2}:\d{2}(:\d{2})?)?$/,
  /^\d{8}T\d{4,6}Z?$/,
];

/**
 * What a table holds, column by column, to write a spec from: per column its
 * kind, values present and missing; for numbers the mean, standard
 * deviation, range, quartiles, median, mode and skewness (simple-statistics
 * `mean`, `sampleStandardDeviation`, `quantileSorted`, `medianSorted`,
 * `modeSorted`, `sampleSkewness`, over the values present); for 0/1 columns
 * the rate of ones; for text the most frequent levels with their shares.
 * Flags id-like columns (every value distinct) and date-like text. Agrees
 * with pandas `describe`, `skew` and `mode` (quartiles by linear
 * interpolation, standard deviation with n − 1). O(n log n) per numeric
 * column (a sorted copy), O(n) per text column.
 *
 * @throws InputError `wrong_type` (not a dataset), `invalid_option`
 * @example
 * const summary = describe(fromColumns({ spend: [1, 2, 3, 10], sent: [true, false, true, true], arm: ['A', 'B', 'A', null] }));
 * summary.columns.map((column) => [column.kind, column.kind === 'number' ? column.median : column.kind === 'binary' ? column.rate : column.top[0]?.level]);
 * // => [['number', 2.5], ['binary', 0.75], ['category', 'A']]
 */
export function describe(dataset: Dataset, options: DescribeOptions = {}): DatasetDescription {
  if (!(dataset instanceof Dataset)) {
    throw new InputError('wrong_type', 'dataset', `describe expects a Dataset, got ${describeValue(dataset)}`);
  }
  const { topLevels = 10 } = checkOptions(options, { topLevels: rules.integer({ min: 0, max: 10_000 }) });
  return {
    kind: 'dataset_description',
    rows: dataset.n,
    columns: dataset.names.map((name) => describeColumn(dataset.column(name), topLevels)),
  };
}

function describeColumn(column: Column, topLevels: number): ColumnDescription {
  if (column.kind === 'categorical') return describeCategory(column, topLevels);
  const present = column.values.filter((value) => !Number.isNaN(value));
  const missing = column.values.length - present.length;
  if (column.boolean || (present.length > 0 && present.every((value) => value === 0 || value === 1))) {
    let ones = 0;
    for (const value of present) if (value === 1) ones++;
    const labels = columnLabels(column).levels;
    return {
      kind: 'binary',
      name: column.name,
      count: present.length,
      missing,
      rate: present.length === 0 ? null : ones / present.length,
      ones,
      labels: column.boolean ? [labels[0] as string, labels[1] as string] : ['0', '1'],
    };
  }
  return describeNumbers(column.name, present, missing);
}

function describeNumbers(name: string, present: Float64Array, missing: number): NumberDescription {
  const count = present.length;
  const sorted = present.sort();
  let distinct = 0;
  let integer = true;
  for (let i = 0; i < count; i++) {
    const value = sorted[i] as number;
    if (i === 0 || value !== sorted[i - 1]) distinct++;
    if (!Number.isInteger(value)) integer = false;
  }
  if (count === 0) {
    return { kind: 'number', name, count, missing, distinct, mean: null, std: null, min: null, q25: null, median: null, q75: null, max: null, mode: null, skewness: null, integer, idLike: false };
  }
  // simple-statistics reads plain indexable arrays; a Float64Array serves.
  const values = sorted as unknown as number[];
  const std = count >= 2 ? sampleStandardDeviation(values) : null;
  return {
    kind: 'number',
    name,
    count,
    missing,
    distinct,
    mean: mean(values),
    std,
    min: sorted[0] as number,
    q25: quantileSorted(values, 0.25),
    median: medianSorted(values),
    q75: quantileSorted(values, 0.75),
    max: sorted[count - 1] as number,
    mode: modeSorted(values),
    skewness: count >= 3 && std !== null && std > 0 ? sampleSkewness(values) : null,
    integer,
    idLike: integer && distinct === count && count >= ID_MIN_COUNT,
  };
}

function describeCategory(column: CategoricalColumn, topLevels: number): CategoryDescription {
  const counts = new Float64Array(column.levels.length);
  let missing = 0;
  for (const code of column.codes) {
    if (code < 0) missing++;
    else counts[code]!++;
  }
  const count = column.codes.length - missing;
  const used: number[] = [];
  for (let code = 0; code < counts.length; code++) if ((counts[code] as number) > 0) used.push(code);
  // Most frequent first; ties keep the levels' sorted order (the sort is stable).
  const ranked = [...used].sort((a, b) => (counts[b] as number) - (counts[a] as number));
  const top = ranked.slice(0, topLevels).map((code) => ({
    level: column.levels[code] as string,
    count: counts[code] as number,
    share: (counts[code] as number) / count,
  }));
  let dates = 0;
  const checked = used.slice(0, 1000);
  for (const code of checked) {
    const level = (column.levels[code] as string).trim();
    if (DATE.some((pattern) => pattern.test(level))) dates++;
  }
  return {
    kind: 'category',
    name: column.name,
    count,
    missing,
    distinct: used.length,
    top,
    idLike: count >= ID_MIN_COUNT && used.length >= 0.95 * count,
    dateLike: checked.length > 0 && dates >= 0.95 * checked.length,
  };
}
