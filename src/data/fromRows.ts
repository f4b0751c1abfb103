import { InputError } from '../errors.js';
import { checkOptions, describe, rules as optionRules } from '../internal/validate.js';
import { type Column, Dataset, categoricalFromStrings, toColumn } from './dataset.js';
import { type ColumnType, type DatasetSchema, type ZodObjectLike, columnRules, isZodObject, zodRowError } from './schema.js';

export interface FromRowsOptions {
  /**
   * Column types that override inference, as a `{ column: 'number' | 'category' | 'boolean' }`
   * map or a zod object schema. With a zod schema every row is validated by
   * `safeParse` first. Every column a schema names must be present.
   */
  readonly schema?: DatasetSchema;
}

type Cell = number | string | boolean | null | undefined;

/**
 * Dataset from an array of plain objects, one per row.
 *
 * Columns are the keys of the first row (then any the schema adds). Numbers
 * make numeric columns (`NaN`, `null` and `undefined` are missing), strings
 * categorical ones, booleans 0/1 numeric ones. A key absent from a row is a
 * missing value; a key absent from the first row is an error, so a typo is
 * never a new column. O(n · columns).
 *
 * @throws InputError `unknown_column`, `missing_column`, `mixed_types`,
 *   `wrong_type`, `not_finite`, `not_numeric` (schema), or the zod issue mapped
 *   to `field` and `row`
 * @example
 * const data = fromRows([{ arm: 'A', spend: 3 }, { arm: 'B', spend: null }]);
 * data.numeric('spend'); // => Float64Array [3, NaN]
 */
export function fromRows(rows: readonly Readonly<Record<string, unknown>>[], options: FromRowsOptions = {}): Dataset {
  if (!Array.isArray(rows)) {
    throw new InputError('wrong_type', 'rows', `fromRows expects an array of row objects, got ${describe(rows)}`);
  }
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new InputError('wrong_type', 'rows', `row ${i} must be an object of column values, got ${describe(row)}`, i);
    }
  }
  const { schema } = checkOptions<FromRowsOptions>(options, { schema: optionRules.object() });
  const rules = columnRules(schema);
  if (schema !== undefined && isZodObject(schema)) validateWithZod(rows, schema);

  const names: string[] = rows.length > 0 ? Object.keys(rows[0] as object) : [];
  for (const name of rules.keys()) if (!names.includes(name)) names.push(name);
  const known = new Set(names);
  for (let i = 1; i < rows.length; i++) {
    for (const key in rows[i]) {
      if (!known.has(key)) {
        throw new InputError(
          'unknown_column',
          key,
          `row ${i} has key '${key}', which the first row does not have; give it in the first row or in the schema`,
          i,
        );
      }
    }
  }

  const columns: Column[] = names.map((name) => {
    const values: Cell[] = new Array(rows.length);
    let present = false;
    for (let i = 0; i < rows.length; i++) {
      const value = (rows[i] as Record<string, unknown>)[name];
      if (value !== undefined) present = true;
      values[i] = value as Cell;
    }
    const rule = rules.get(name);
    if (rule !== undefined && rows.length > 0 && !present) {
      throw new InputError('missing_column', name, `schema column '${name}' is in no row`);
    }
    return rule === undefined ? toColumn(name, values as Parameters<typeof toColumn>[1]) : typed(name, values, rule.type);
  });
  return new Dataset(columns, rows.length);
}

/** A column of the declared type; values of another JS type are errors, not coerced. */
function typed(name: string, values: Cell[], type: ColumnType): Column {
  const describe = (value: unknown, i: number) => `${JSON.stringify(value)} at row ${i}`;
  if (type === 'category') {
    const strings: (string | null)[] = values.map((value, i) => {
      if (value === null || value === undefined) return null;
      if (typeof value === 'string') return value;
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      throw new InputError('wrong_type', name, `${name} is declared category, got ${describe(value, i)}`, i);
    });
    return categoricalFromStrings(name, strings);
  }
  const numbers = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      numbers[i] = Number.NaN;
    } else if (type === 'number') {
      if (typeof value !== 'number') {
        throw new InputError('not_numeric', name, `${name} is declared number, got ${describe(value, i)}`, i);
      }
      if (value === Infinity || value === -Infinity) {
        throw new InputError('not_finite', name, `${name} must be finite or missing, got ${value} at row ${i}`, i);
      }
      numbers[i] = value;
    } else if (typeof value === 'boolean') {
      numbers[i] = value ? 1 : 0;
    } else if (value === 0 || value === 1) {
      numbers[i] = value;
    } else {
      throw new InputError('not_binary', name, `${name} is declared boolean, got ${describe(value, i)}`, i);
    }
  }
  return { kind: 'numeric', name, values: numbers, boolean: type === 'boolean' };
}

function validateWithZod(rows: readonly Readonly<Record<string, unknown>>[], schema: ZodObjectLike): void {
  for (let i = 0; i < rows.length; i++) {
    const result = schema.safeParse(rows[i]);
    if (!result.success) throw zodRowError(result, i, rows[i] as Record<string, unknown>, true);
  }
}
