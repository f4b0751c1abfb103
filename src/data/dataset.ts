import { InputError } from '../errors.js';
import { describe, requireObject } from '../internal/validate.js';

/**
 * A numeric column: one float64 per row, `NaN` where the value is missing.
 * `boolean` is true when the column was read from true/false (or yes/no)
 * spellings, or declared boolean; its values are then 0, 1 or NaN.
 */
export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
  readonly boolean: boolean;
  /**
   * For a boolean column read from text, how 0 and 1 were spelled when the
   * column used one spelling throughout (`['No', 'Yes']`, `['FALSE', 'TRUE']`);
   * absent for `false`/`true` and for columns not read from text. Labels as
   * written: see {@link columnLabels}.
   */
  readonly spellings?: readonly [falseText: string, trueText: string];
}

/**
 * A categorical column: one level code per row (`-1` where missing) and the
 * levels, sorted by UTF-16 code unit, so that equal data gives equal codes.
 */
export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  readonly codes: Int32Array;
  readonly levels: readonly string[];
}

export type Column = NumericColumn | CategoricalColumn;

/** Values accepted by {@link Dataset.withColumn} and `fromColumns`. */
export type ColumnValues =
  | ArrayLike<number>
  | readonly (string | null | undefined)[]
  | readonly (boolean | null | undefined)[]
  | { readonly codes: ArrayLike<number>; readonly levels: readonly string[] };

/**
 * A columnar, immutable table. Build one with `fromRows`, `fromColumns` or
 * `parseCsv` (or `readCsv` from `promolens/node`).
 *
 * Column arrays are shared, not copied, between a dataset and the datasets
 * derived from it (`select`, `withColumn`): never write into them.
 */
export class Dataset {
  /** Number of rows. */
  readonly n: number;
  /** Column names in order. */
  readonly names: readonly string[];
  readonly #columns: ReadonlyMap<string, Column>;
  readonly #notes: ReadonlyMap<string, string>;

  /** @internal Use `fromRows`, `fromColumns` or `parseCsv`. */
  constructor(columns: readonly Column[], n: number, notes: ReadonlyMap<string, string> = new Map()) {
    const byName = new Map<string, Column>();
    for (const column of columns) {
      if (byName.has(column.name)) {
        throw new InputError('duplicate_column', column.name, `column '${column.name}' appears twice`);
      }
      const length = column.kind === 'numeric' ? column.values.length : column.codes.length;
      if (length !== n) {
        throw new InputError(
          'length_mismatch',
          column.name,
          `column '${column.name}' has ${length} values, expected ${n}`,
        );
      }
      byName.set(column.name, column);
    }
    this.n = n;
    this.names = Object.freeze(columns.map((column) => column.name));
    this.#columns = byName;
    this.#notes = notes;
    Object.freeze(this);
  }

  /** True when the dataset has a column of that name. */
  has(name: string): boolean {
    return this.#columns.has(name);
  }

  /**
   * The column of that name.
   * @throws InputError `missing_column`
   */
  column(name: string): Column {
    const column = this.#columns.get(name);
    if (column === undefined) {
      const known = this.names.length > 0 ? `; columns are ${this.names.map((c) => `'${c}'`).join(', ')}` : '';
      throw new InputError('missing_column', name, `no column '${name}'${known}`);
    }
    return column;
  }

  /**
   * The values of a numeric column (NaN = missing).
   * @throws InputError `missing_column`, `wrong_type` (the column is categorical)
   */
  numeric(name: string): Float64Array {
    const column = this.column(name);
    if (column.kind !== 'numeric') {
      const note = this.#notes.get(name);
      throw new InputError(
        'wrong_type',
        name,
        `column '${name}' is categorical, not numeric${note === undefined ? '' : ` (${note})`}`,
      );
    }
    return column.values;
  }

  /**
   * The codes (−1 = missing) and levels of a categorical column.
   * @throws InputError `missing_column`, `wrong_type` (the column is numeric)
   */
  categorical(name: string): CategoricalColumn {
    const column = this.column(name);
    if (column.kind !== 'categorical') {
      throw new InputError('wrong_type', name, `column '${name}' is numeric, not categorical`);
    }
    return column;
  }

  /**
   * How the column's type was decided, when inference had something to say
   * (for example the first value that made a column categorical).
   */
  note(name: string): string | undefined {
    return this.#notes.get(name);
  }

  /**
   * A dataset with only these columns, in this order.
   * @throws InputError `missing_column`, `duplicate_column`
   */
  select(names: readonly string[]): Dataset {
    if (!Array.isArray(names)) throw new InputError('wrong_type', 'names', `select expects an array of column names, got ${describe(names)}`);
    return new Dataset(
      names.map((name) => this.column(name)),
      this.n,
      this.#notesFor(names),
    );
  }

  /**
   * The rows where `mask` is true (or non-zero), in order.
   * @throws InputError `length_mismatch`
   */
  filter(mask: ArrayLike<boolean | number>): Dataset {
    if (!isArrayLike(mask)) throw new InputError('wrong_type', 'mask', `filter expects an array of booleans, got ${describe(mask)}`);
    if (mask.length !== this.n) {
      throw new InputError('length_mismatch', 'mask', `mask has ${mask.length} values, expected ${this.n}`);
    }
    let count = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) count++;
    const indices = new Int32Array(count);
    let k = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) indices[k++] = i;
    return this.#gather(indices);
  }

  /**
   * The rows at these 0-based indices, in this order (repeats allowed).
   * @throws InputError `wrong_type` (not an array), `out_of_range` (not an integer row index)
   */
  take(indices: ArrayLike<number>): Dataset {
    if (!isArrayLike(indices)) throw new InputError('wrong_type', 'indices', `take expects an array of row indices, got ${describe(indices)}`);
    const checked = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i] as number;
      if (!Number.isInteger(index) || index < 0 || index >= this.n) {
        throw new InputError(
          'out_of_range',
          'indices',
          `indices[${i}] = ${index} is not a row index in [0, ${this.n - 1}]`,
          i,
        );
      }
      checked[i] = index;
    }
    return this.#gather(checked);
  }

  /**
   * A dataset with one column added, or replaced if the name exists.
   * Numbers make a numeric column (copied), strings a categorical one,
   * booleans a 0/1 numeric column.
   * @throws InputError `length_mismatch`, `mixed_types`, `not_finite`
   */
  withColumn(name: string, values: ColumnValues | Column): Dataset {
    const column = isColumn(values) ? { ...values, name } : toColumn(name, values);
    const length = column.kind === 'numeric' ? column.values.length : column.codes.length;
    if (length !== this.n && this.names.length > 0) {
      throw new InputError('length_mismatch', name, `column '${name}' has ${length} values, expected ${this.n}`);
    }
    const columns = this.names.map((existing) => (existing === name ? column : this.column(existing)));
    if (!this.#columns.has(name)) columns.push(column);
    const notes = new Map(this.#notes);
    notes.delete(name);
    return new Dataset(columns, length, notes);
  }

  /**
   * The rows as plain objects: numbers (NaN → null), booleans for boolean
   * columns, strings for categorical columns (missing → null).
   */
  toRows(): Record<string, number | string | boolean | null>[] {
    const rows: Record<string, number | string | boolean | null>[] = [];
    const columns = this.names.map((name) => this.column(name));
    for (let i = 0; i < this.n; i++) {
      const row: Record<string, number | string | boolean | null> = {};
      for (const column of columns) row[column.name] = cellValue(column, i);
      rows.push(row);
    }
    return rows;
  }

  #gather(indices: Int32Array): Dataset {
    const columns = this.names.map((name): Column => {
      const column = this.column(name);
      if (column.kind === 'numeric') {
        const values = new Float64Array(indices.length);
        for (let i = 0; i < indices.length; i++) values[i] = column.values[indices[i] as number] as number;
        return { ...column, values };
      }
      const codes = new Int32Array(indices.length);
      for (let i = 0; i < indices.length; i++) codes[i] = column.codes[indices[i] as number] as number;
      return { ...column, codes };
    });
    return new Dataset(columns, indices.length, this.#notes);
  }

  #notesFor(names: readonly string[]): Map<string, string> {
    const notes = new Map<string, string>();
    for (const name of names) {
      const note = this.#notes.get(name);
      if (note !== undefined) notes.set(name, note);
    }
    return notes;
  }
}

/** The value of one cell as JSON: number or null, boolean, or string. */
export function cellValue(column: Column, row: number): number | string | boolean | null {
  if (column.kind === 'numeric') {
    const value = column.values[row] as number;
    if (Number.isNaN(value)) return null;
    return column.boolean ? value === 1 : value;
  }
  const code = column.codes[row] as number;
  return code < 0 ? null : (column.levels[code] as string);
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { length?: unknown }).length === 'number' &&
    !(value instanceof BigInt64Array || value instanceof BigUint64Array)
  );
}

/**
 * A column's values as labels, as written: a categorical column as it is; a
 * boolean column with its spellings as levels (`['No', 'Yes']`, code 0 for
 * false), or `'false'`/`'true'` when it has none; other numbers as their
 * shortest text (`String(value)`), levels in numeric order. Missing values
 * are code −1. O(n) (O(n log n) for numbers).
 *
 * @example
 * const data = parseCsv('arm\nNo\nYes\nNo\n');
 * const arms = columnLabels(data.column('arm'));
 * [arms.levels, Array.from(arms.codes)]; // => [['No', 'Yes'], [0, 1, 0]]
 */
export function columnLabels(column: Column): CategoricalColumn {
  requireObject('column', column, 'a column (from dataset.column)');
  const candidate = column as { kind?: unknown; name?: unknown; codes?: unknown; levels?: unknown; values?: unknown };
  const wellFormed =
    typeof candidate.name === 'string' &&
    (candidate.kind === 'categorical'
      ? candidate.codes instanceof Int32Array && Array.isArray(candidate.levels)
      : candidate.kind === 'numeric' && candidate.values instanceof Float64Array);
  if (!wellFormed) throw new InputError('wrong_type', 'column', `column must be a numeric or categorical column (from dataset.column), got ${describe(column)}`);
  if (column.kind === 'categorical') return column;
  const { name, values } = column;
  const codes = new Int32Array(values.length);
  if (column.boolean) {
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as number;
      codes[i] = Number.isNaN(value) ? -1 : value === 1 ? 1 : 0;
    }
    return { kind: 'categorical', name, codes, levels: Object.freeze([...(column.spellings ?? ['false', 'true'])]) };
  }
  const distinct = [...new Set(Array.from(values).filter((value) => !Number.isNaN(value)))].sort((a, b) => a - b);
  const codeOf = new Map(distinct.map((value, code) => [value, code]));
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    codes[i] = Number.isNaN(value) ? -1 : (codeOf.get(value) as number);
  }
  return { kind: 'categorical', name, codes, levels: Object.freeze(distinct.map((value) => String(value))) };
}

function isColumn(values: ColumnValues | Column): values is Column {
  return typeof values === 'object' && values !== null && 'kind' in values && 'name' in values;
}

/**
 * Builds a column from JavaScript values, checking each one.
 * @internal
 */
export function toColumn(name: string, values: ColumnValues): Column {
  if (values === null || typeof values !== 'object') {
    throw new InputError('wrong_type', name, `column '${name}' must be an array of values or { codes, levels }, got ${describe(values)}`);
  }
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    throw new InputError('wrong_type', name, `column '${name}' is a ${values.constructor.name}; give numbers (a Float64Array or an array)`);
  }
  if (!isArrayLike(values) && !('codes' in values && 'levels' in values)) {
    throw new InputError('wrong_type', name, `column '${name}' must be an array of values or { codes, levels }, got ${describe(values)}`);
  }
  if ('codes' in values && 'levels' in values && !ArrayBuffer.isView(values)) {
    return categoricalFromCodes(name, values.codes, values.levels);
  }
  const list = values as ArrayLike<unknown>;
  if (ArrayBuffer.isView(list)) return numericFrom(name, list as ArrayLike<number>, false);
  let kind: 'number' | 'string' | 'boolean' | undefined;
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    if (value === null || value === undefined) continue;
    const type = typeof value;
    if (type !== 'number' && type !== 'string' && type !== 'boolean') {
      throw new InputError('wrong_type', name, `${name}[${i}] is a ${type}, expected a number, string or boolean`, i);
    }
    if (kind === undefined) kind = type as 'number' | 'string' | 'boolean';
    else if (kind !== type) {
      throw new InputError(
        'mixed_types',
        name,
        `column '${name}' mixes ${kind} and ${type} values (${JSON.stringify(value)} at row ${i})`,
        i,
      );
    }
  }
  if (kind === 'string') return categoricalFromStrings(name, list as ArrayLike<string | null | undefined>);
  if (kind === 'boolean') {
    const numbers = new Float64Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const value = list[i];
      numbers[i] = value === null || value === undefined ? Number.NaN : value ? 1 : 0;
    }
    return { kind: 'numeric', name, values: numbers, boolean: true };
  }
  return numericFrom(name, list as ArrayLike<number | null | undefined>, false);
}

function numericFrom(name: string, list: ArrayLike<number | null | undefined>, boolean: boolean): NumericColumn {
  const values = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    if (value === null || value === undefined) {
      values[i] = Number.NaN;
      continue;
    }
    if (value === Infinity || value === -Infinity) {
      throw new InputError('not_finite', name, `${name} must be finite or missing, got ${value} at row ${i}`, i);
    }
    values[i] = value;
  }
  return { kind: 'numeric', name, values, boolean };
}

/** Sorted levels and their codes from strings (null/undefined = missing). @internal */
export function categoricalFromStrings(
  name: string,
  list: ArrayLike<string | null | undefined>,
): CategoricalColumn {
  const codeOf = new Map<string, number>();
  const codes = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    if (value === null || value === undefined) {
      codes[i] = -1;
      continue;
    }
    let code = codeOf.get(value);
    if (code === undefined) {
      code = codeOf.size;
      codeOf.set(value, code);
    }
    codes[i] = code;
  }
  return sortLevels(name, codes, [...codeOf.keys()]);
}

/** Renumbers codes so that levels are in sorted order (mutates `codes`). @internal */
export function sortLevels(name: string, codes: Int32Array, levels: readonly string[]): CategoricalColumn {
  const order = levels.map((_, i) => i).sort((a, b) => compareStrings(levels[a] as string, levels[b] as string));
  const newCode = new Int32Array(levels.length);
  order.forEach((old, position) => {
    newCode[old] = position;
  });
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] as number;
    if (code >= 0) codes[i] = newCode[code] as number;
  }
  return { kind: 'categorical', name, codes, levels: Object.freeze(order.map((old) => levels[old] as string)) };
}

function categoricalFromCodes(name: string, source: ArrayLike<number>, levels: readonly string[]): CategoricalColumn {
  if (new Set(levels).size !== levels.length) {
    throw new InputError('duplicate_column', name, `levels of '${name}' repeat a value`);
  }
  const codes = new Int32Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const code = source[i] as number;
    if (!Number.isInteger(code) || code < -1 || code >= levels.length) {
      throw new InputError(
        'out_of_range',
        name,
        `${name} code ${code} at row ${i} is not −1 or a level index below ${levels.length}`,
        i,
      );
    }
    codes[i] = code;
  }
  return { kind: 'categorical', name, codes, levels: Object.freeze([...levels]) };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
