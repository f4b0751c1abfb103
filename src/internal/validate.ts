import { InputError, type InputReason } from '../errors.js';

/**
 * Input checks shared by the numeric routines: each reads its input once and
 * throws an InputError naming the argument, the row and the value.
 *
 * Vectors accept numbers only: a plain array (or array-like) whose entries are
 * all of type `number`, or a typed array of numbers (not BigInt64Array). No
 * `null`, `""`, `"1"`, `true` or `[1]` is ever coerced: that is `not_numeric`
 * naming the index. A Float64Array is used as is, with one finiteness scan.
 */

/** The longest vector or matrix accepted (values): beyond it no typed array can be allocated. */
export const MAX_LENGTH = 2 ** 32 - 1;

/** A typed array of numbers (every typed array but the BigInt ones and DataView). */
function isNumericTypedArray(values: object): values is ArrayLike<number> {
  return ArrayBuffer.isView(values) && !(values instanceof DataView) && !(values instanceof BigInt64Array) && !(values instanceof BigUint64Array);
}

/**
 * Throws unless `values` is a vector of numbers: an array, an array-like
 * with a valid length, or a typed array of numbers. @internal
 */
function requireArrayLike(name: string, values: unknown): asserts values is ArrayLike<unknown> {
  if (values === null || typeof values !== 'object') {
    throw new InputError('wrong_type', name, `${name} must be an array of numbers, got ${describe(values)}`);
  }
  if (ArrayBuffer.isView(values)) {
    if (!isNumericTypedArray(values)) {
      throw new InputError('not_numeric', name, `${name} must hold numbers, got a ${values.constructor.name}`);
    }
    return;
  }
  const length = (values as { length?: unknown }).length;
  if (!Array.isArray(values) && (typeof length !== 'number' || !Number.isInteger(length) || length < 0)) {
    throw new InputError('wrong_type', name, `${name} must be an array of numbers, got ${describe(values)}`);
  }
  if ((length as number) > MAX_LENGTH) {
    throw new InputError('out_of_range', name, `${name} has ${length} values, more than the ${MAX_LENGTH} supported`);
  }
}

/**
 * The values as a Float64Array (the input itself when it already is one),
 * every entry a number; NaN is kept (for inputs where it means missing).
 * Throws `wrong_type` for a non-array, `not_numeric` naming the index of the
 * first entry that is not a number, `empty` below `minLength` values.
 */
export function numericVector(name: string, values: ArrayLike<number>, minLength = 1): Float64Array {
  requireArrayLike(name, values);
  if (values.length < minLength) {
    throw new InputError('empty', name, minLength <= 1 ? `${name} is empty` : `${name} has ${values.length} values, at least ${minLength} are needed`);
  }
  if (values instanceof Float64Array) return values;
  if (ArrayBuffer.isView(values)) return Float64Array.from(values as ArrayLike<number>);
  const n = values.length;
  const vector = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (typeof value !== 'number') {
      throw new InputError('not_numeric', name, `${name} must hold numbers, got ${describe(value)} at row ${i}`, i);
    }
    vector[i] = value;
  }
  return vector;
}

/**
 * A Float64Array view of the values (the input itself when it already is
 * one), all finite numbers. A Float64Array costs one finiteness scan and no
 * copy.
 *
 * @throws InputError `wrong_type`, `not_numeric`, `empty`, `not_finite` (each naming the row)
 */
export function finiteVector(name: string, values: ArrayLike<number>, minLength = 1): Float64Array {
  const vector = numericVector(name, values, minLength);
  const n = vector.length;
  for (let i = 0; i < n; i++) {
    const value = vector[i] as number;
    if (value - value !== 0) {
      throw new InputError('not_finite', name, `${name} must be finite, got ${value} at row ${i}`, i);
    }
  }
  return vector;
}

/** As {@link finiteVector}, every value 0 or 1. */
export function binaryVector(name: string, values: ArrayLike<number>): Float64Array {
  const vector = numericVector(name, values);
  for (let i = 0; i < vector.length; i++) {
    const value = vector[i] as number;
    if (value !== 0 && value !== 1) {
      if (value - value !== 0) throw new InputError('not_finite', name, `${name} must be finite, got ${value} at row ${i}`, i);
      throw new InputError('not_binary', name, `${name} must be 0 or 1, got ${value} at row ${i}`, i);
    }
  }
  return vector;
}

/** Throws `length_mismatch` unless `values` has length `n`. */
export function sameLength(name: string, values: ArrayLike<unknown>, n: number, reference: string): void {
  if (values.length !== n) {
    throw new InputError('length_mismatch', name, `${name} has ${values.length} values but ${reference} has ${n}`);
  }
}

/**
 * Sample weights: finite, non-negative, of length n, with a positive total;
 * `undefined` when none were given.
 *
 * With `rescale` (for statistics that do not change when every weight is
 * multiplied by one constant: weighted means, AUCs, ratios), weights whose
 * total overflows (past 1.8e308) or whose values are subnormal (below
 * 2.2e-308, where products lose their digits) are divided by their largest
 * value, so that the sums stay finite and exact to rounding. Without it,
 * such a total is `out_of_range`. Weights in the ordinary range are
 * returned as given (the input itself when it is a Float64Array).
 */
export function sampleWeights(
  values: ArrayLike<number> | undefined,
  n: number,
  reference: string,
  options: { readonly rescale?: boolean; readonly field?: string } = {},
): Float64Array | undefined {
  if (values === undefined) return undefined;
  const field = options.field ?? 'sampleWeight';
  const weights = finiteVector(field, values, 0);
  sameLength(field, weights, n, reference);
  let total = 0;
  let largest = 0;
  for (let i = 0; i < n; i++) {
    const weight = weights[i] as number;
    if (!(weight >= 0)) {
      throw new InputError('out_of_range', field, `${field} must be ≥ 0, got ${weight} at row ${i}`, i);
    }
    total += weight;
    if (weight > largest) largest = weight;
  }
  if (!(largest > 0)) throw new InputError('empty', field, `${field} sums to 0: no row carries weight`);
  if (total !== Infinity && largest >= 2.2250738585072014e-308 && total <= 1e300) return weights;
  if (options.rescale !== true) {
    throw new InputError(
      'out_of_range',
      field,
      total === Infinity || total > 1e300
        ? `${field} sums past 1e300 (largest ${largest}): divide the weights by a constant`
        : `${field} holds only subnormal values (largest ${largest}): multiply the weights by a constant`,
    );
  }
  const scaled = new Float64Array(n);
  for (let i = 0; i < n; i++) scaled[i] = (weights[i] as number) / largest;
  return scaled;
}

/** A short, quoted echo of a value for a message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'function') return 'a function';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

// ---------------------------------------------------------------------------
// Matrices given as rows

/**
 * Rows of numbers copied row-major into one Float64Array: every row an
 * array (or typed array) of the same length, every entry a number (NaN is
 * kept; the caller checks finiteness where it must). `not_numeric` names
 * `name[i][j]` and the row.
 *
 * @throws InputError `wrong_type`, `length_mismatch` (ragged rows), `not_numeric`, `out_of_range`
 */
export function numericRows(name: string, input: readonly (ArrayLike<number>)[]): { data: Float64Array; rows: number; cols: number } {
  if (!Array.isArray(input)) throw new InputError('wrong_type', name, `${name} must be an array of rows, got ${describe(input)}`);
  const rows = input.length;
  const first: unknown = input[0];
  const cols = rows === 0 ? 0 : rowLength(name, first, 0);
  if (rows * cols > MAX_LENGTH) {
    throw new InputError('out_of_range', name, `${name} has ${rows} × ${cols} values, more than the ${MAX_LENGTH} supported`);
  }
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row: unknown = input[i];
    const length = rowLength(name, row, i);
    if (length !== cols) {
      throw new InputError('length_mismatch', name, `${name} row ${i} has ${length} values, row 0 has ${cols}`, i);
    }
    const base = i * cols;
    if (row instanceof Float64Array) {
      data.set(row, base);
    } else if (ArrayBuffer.isView(row)) {
      data.set(row as unknown as ArrayLike<number>, base);
    } else {
      const values = row as ArrayLike<unknown>;
      for (let j = 0; j < cols; j++) {
        const value = values[j];
        if (typeof value !== 'number') {
          throw new InputError('not_numeric', name, `${name}[${i}][${j}] must be a number, got ${describe(value)} at row ${i}`, i);
        }
        data[base + j] = value;
      }
    }
  }
  return { data, rows, cols };
}

function rowLength(name: string, row: unknown, i: number): number {
  if (Array.isArray(row)) return row.length;
  if (row !== null && typeof row === 'object' && ArrayBuffer.isView(row)) {
    if (!isNumericTypedArray(row)) throw new InputError('not_numeric', name, `${name} row ${i} must hold numbers, got a ${row.constructor.name}`, i);
    return row.length;
  }
  throw new InputError('wrong_type', name, `${name} row ${i} must be an array of numbers, got ${describe(row)}`, i);
}

// ---------------------------------------------------------------------------
// Options and scalar arguments

/**
 * One rule for one option or scalar argument: returns what is wrong with
 * the value (a phrase such as "an integer ≥ 2") or `undefined` when it is
 * acceptable. The value `undefined` is never passed to a rule (an absent
 * option takes its default).
 */
export interface Rule {
  /** What the value must be, for the message: "an integer ≥ 2". */
  readonly expected: string;
  /** True when the value is acceptable. */
  readonly test: (value: unknown) => boolean;
}

/** Bounds of a numeric rule; each optional. */
export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
  /** Excludes `min` itself (a tolerance > 0). */
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  /** Accepts ±Infinity (never NaN). Default false. */
  readonly infinite?: boolean;
}

function boundsText(bounds: NumberBounds): string {
  const parts: string[] = [];
  if (bounds.min !== undefined) parts.push(`${bounds.minExclusive === true ? '>' : '≥'} ${bounds.min}`);
  if (bounds.max !== undefined) parts.push(`${bounds.maxExclusive === true ? '<' : '≤'} ${bounds.max}`);
  return parts.length === 0 ? '' : ` ${parts.join(' and ')}`;
}

function inBounds(value: number, bounds: NumberBounds): boolean {
  if (bounds.min !== undefined && (bounds.minExclusive === true ? !(value > bounds.min) : !(value >= bounds.min))) return false;
  if (bounds.max !== undefined && (bounds.maxExclusive === true ? !(value < bounds.max) : !(value <= bounds.max))) return false;
  return true;
}

/** The rules for options and scalar arguments. */
export const rules = {
  /** A finite number (±Infinity with `infinite`), within the bounds. */
  number(bounds: NumberBounds = {}): Rule {
    return {
      expected: `a ${bounds.infinite === true ? '' : 'finite '}number${boundsText(bounds)}`,
      test: (value) =>
        typeof value === 'number' && !Number.isNaN(value) && (bounds.infinite === true || Number.isFinite(value)) && inBounds(value, bounds),
    };
  },
  /** A safe integer within the bounds (a size, a count, a seed). */
  integer(bounds: Omit<NumberBounds, 'infinite'> = {}): Rule {
    return {
      expected: `an integer${boundsText(bounds)}`,
      test: (value) => typeof value === 'number' && Number.isSafeInteger(value) && inBounds(value, bounds),
    };
  },
  /** A number strictly between 0 and 1 (a share, a confidence level's alpha). */
  fraction(): Rule {
    return rules.number({ min: 0, max: 1, minExclusive: true, maxExclusive: true });
  },
  boolean(): Rule {
    return { expected: 'true or false', test: (value) => typeof value === 'boolean' };
  },
  /** A string (non-empty unless `allowEmpty`). */
  string(allowEmpty = false): Rule {
    return { expected: allowEmpty ? 'a string' : 'a non-empty string', test: (value) => typeof value === 'string' && (allowEmpty || value.length > 0) };
  },
  /** One of the listed values (strings, numbers, booleans or null). */
  oneOf(values: readonly (string | number | boolean | null)[]): Rule {
    return { expected: `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, test: (value) => values.includes(value as never) };
  },
  /** A vector of numbers (its contents are checked where it is used). */
  vector(): Rule {
    return {
      expected: 'an array of numbers',
      test: (value) =>
        value !== null &&
        typeof value === 'object' &&
        (Array.isArray(value) || isNumericTypedArray(value as object)),
    };
  },
  /** An array (its contents are checked where it is used). */
  array(): Rule {
    return { expected: 'an array', test: (value) => Array.isArray(value) };
  },
  /** An array of strings (column names, levels). */
  strings(): Rule {
    return { expected: 'an array of strings', test: (value) => Array.isArray(value) && value.every((v) => typeof v === 'string') };
  },
  /** A plain object (its contents are checked where it is used). */
  object(): Rule {
    return { expected: 'an object', test: (value) => value !== null && typeof value === 'object' && !Array.isArray(value) };
  },
  func(): Rule {
    return { expected: 'a function', test: (value) => typeof value === 'function' };
  },
  /** Either of two rules (a number or a list of numbers). */
  either(first: Rule, second: Rule): Rule {
    return { expected: `${first.expected} or ${second.expected}`, test: (value) => first.test(value) || second.test(value) };
  },
  /** Any value (checked where it is used): the key is known, nothing more. */
  any(): Rule {
    return { expected: 'any value', test: () => true };
  },
} as const;

/** One rule per option key; every key of the options type must be listed. */
export type OptionRules<T> = { readonly [K in keyof Required<T>]: Rule };

/**
 * The options object checked strictly: `undefined` reads as `{}`; `null`, an
 * array or any non-object is `invalid_option` (field `options`, or the name
 * given); an unknown key is `invalid_option` naming the key (with the
 * nearest known key when one is close, for typos such as `sampleWeights`);
 * a value that breaks its key's rule is `invalid_option` naming the key and
 * echoing the value. A key whose value is `undefined` counts as absent.
 * O(number of keys). For instance
 * `checkOptions(options, { bins: rules.integer({ min: 1 }) })`.
 */
export function checkOptions<T extends object>(options: T | null | undefined, spec: OptionRules<T>, name = 'options'): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InputError('invalid_option', name, `${name} must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    const rule = (spec as Record<string, Rule | undefined>)[key];
    if (rule === undefined || !Object.prototype.hasOwnProperty.call(spec, key)) {
      const known = Object.keys(spec);
      const near = nearest(key, known);
      throw new InputError(
        'invalid_option',
        key,
        `unknown option ${JSON.stringify(key)} in ${name}${near === undefined ? '' : `; did you mean ${JSON.stringify(near)}?`}${known.length === 0 ? ' (none is accepted)' : ` (known: ${known.join(', ')})`}`,
      );
    }
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined && !rule.test(value)) {
      throw new InputError('invalid_option', key, `${key} must be ${rule.expected}, got ${describe(value)}`);
    }
  }
  return options;
}

/**
 * A scalar argument (not an option) checked against its rule: a value of
 * the wrong type is `not_numeric` (for numeric rules) or `wrong_type`, a
 * number outside the rule is `out_of_range` — or the given reason.
 */
export function checkScalar<V>(name: string, value: V, rule: Rule, reason?: InputReason): V {
  if (!rule.test(value)) {
    const fallback: InputReason = typeof value === 'number' ? (Number.isNaN(value) ? 'not_finite' : 'out_of_range') : 'not_numeric';
    throw new InputError(reason ?? fallback, name, `${name} must be ${rule.expected}, got ${describe(value)}`);
  }
  return value;
}

/** Throws `wrong_type` unless the value is a plain object (a model, a spec). */
export function requireObject(name: string, value: unknown, what = 'an object'): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('wrong_type', name, `${name} must be ${what}, got ${describe(value)}`);
  }
}

/** The known key within edit distance 2 of `key` (case-insensitive), if any. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  const lower = key.toLowerCase();
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best;
}

/** Levenshtein distance, cut off at `limit` (returns `limit` when at least that). */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit || a.length > 64 || b.length > 64) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return Math.min(previous[b.length] as number, limit);
}

/** What {@link parseWith} needs of a zod schema. */
interface SafeParser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string; code?: string }[] } };
}

/**
 * A stored object (a model, a spec, a pipeline) checked by its zod schema:
 * the first issue becomes `wrong_type` (or the given reason) naming the
 * path, e.g. `model.intercept`, and echoing zod's message.
 */
export function parseWith<T>(schema: SafeParser<T>, value: unknown, name: string, what: string, reason: InputReason = 'wrong_type'): T {
  if (value === null || typeof value !== 'object') {
    throw new InputError(reason, name, `${name} must be ${what}, got ${describe(value)}`);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue === undefined ? [] : issue.path.map(String);
  const field = [name, ...path].join('.');
  throw new InputError(reason, field, `${name} is not ${what}: ${field}: ${issue?.message ?? 'invalid'}`);
}

/**
 * Throws `wrong_type` unless the value is a Dataset (from `fromRows`,
 * `fromColumns`, `parseCsv`): read by its shape, so that a Dataset of
 * another bundle copy passes too.
 */
export function requireDataset(name: string, value: unknown): void {
  const candidate = value as { n?: unknown; numeric?: unknown; categorical?: unknown; column?: unknown } | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    typeof candidate.n !== 'number' ||
    typeof candidate.numeric !== 'function' ||
    typeof candidate.categorical !== 'function' ||
    typeof candidate.column !== 'function'
  ) {
    throw new InputError('wrong_type', name, `${name} must be a Dataset (from fromRows, fromColumns or parseCsv), got ${describe(value)}`);
  }
}

/**
 * A scalar argument of a distribution function or formula: a value of type
 * `number` that is not NaN (±Infinity passes; each caller handles its
 * limits). `null`, booleans, strings and BigInts are `not_numeric` naming
 * the argument, NaN is `not_finite`. No allocation: cheap inside loops.
 */
export function realArgument(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw new InputError('not_numeric', name, `${name} must be a number, got ${describe(value)}`);
  if (value !== value) throw new InputError('not_finite', name, `${name} is NaN`);
}

/** {@link realArgument} for a probability: a number in [0, 1]. */
export function probabilityArgument(name: string, value: unknown): asserts value is number {
  realArgument(name, value);
  if (!(value >= 0 && value <= 1)) throw new InputError('out_of_range', name, `${name} must be in [0, 1], got ${value}`);
}
