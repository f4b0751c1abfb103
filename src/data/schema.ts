import { InputError } from '../errors.js';
import { type Dataset, cellValue } from './dataset.js';

/** The type a column is read as: numbers, categories (text levels) or booleans (0/1). */
export type ColumnType = 'number' | 'category' | 'boolean';

/**
 * The smallest part of a zod object schema this package reads: its `shape`
 * (to learn each column's type) and `safeParse` (to validate rows).
 */
export interface ZodObjectLike {
  readonly shape: Readonly<Record<string, unknown>>;
  safeParse(value: unknown): ZodResultLike;
}

/** What this package reads of a zod `safeParse` result. */
export interface ZodResultLike {
  success: boolean;
  error?: { issues: readonly ZodIssueLike[] };
}

/** What this package reads of a zod issue. */
export interface ZodIssueLike {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
}

/**
 * A schema: either a map from column name to type, or a zod object
 * (`z.object({ spend: z.number(), segment: z.enum([...]), ok: z.boolean().optional() })`).
 * Every column it names must be present; columns it does not name are inferred.
 */
export type DatasetSchema = Readonly<Record<string, ColumnType>> | ZodObjectLike;

/** What a schema says about one column. @internal */
export interface ColumnRule {
  readonly type: ColumnType;
}

/**
 * The per-column types a schema declares.
 * @throws InputError `invalid_option` for a type this package cannot store
 * @internal
 */
export function columnRules(schema: DatasetSchema | undefined): Map<string, ColumnRule> {
  const rules = new Map<string, ColumnRule>();
  if (schema === undefined) return rules;
  if (isZodObject(schema)) {
    for (const [name, field] of Object.entries(schema.shape)) rules.set(name, { type: zodColumnType(name, field) });
    return rules;
  }
  for (const [name, type] of Object.entries(schema as Record<string, unknown>)) {
    if (type !== 'number' && type !== 'category' && type !== 'boolean') {
      throw new InputError(
        'invalid_option',
        name,
        `schema type of '${name}' must be 'number', 'category' or 'boolean', got ${JSON.stringify(type)}`,
      );
    }
    rules.set(name, { type });
  }
  return rules;
}

/** @internal */
export function isZodObject(schema: unknown): schema is ZodObjectLike {
  return (
    typeof schema === 'object' &&
    schema !== null &&
    typeof (schema as { safeParse?: unknown }).safeParse === 'function' &&
    typeof (schema as { shape?: unknown }).shape === 'object'
  );
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'readonly', 'catch', 'nonoptional', 'prefault']);

function zodColumnType(name: string, field: unknown): ColumnType {
  let def = (field as { _zod?: { def?: { type?: string; innerType?: unknown } } })._zod?.def;
  while (def !== undefined && def.type !== undefined && WRAPPERS.has(def.type)) {
    def = (def.innerType as { _zod?: { def?: { type?: string; innerType?: unknown } } } | undefined)?._zod?.def;
  }
  switch (def?.type) {
    case 'number':
    case 'int':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'string':
    case 'enum':
    case 'literal':
      return 'category';
    default:
      throw new InputError(
        'invalid_option',
        name,
        `schema field '${name}' has zod type '${def?.type ?? 'unknown'}'; use a number, string, enum, literal or boolean (optionally optional/nullable)`,
      );
  }
}

/**
 * The InputError for the first issue of a row that fails a zod schema: a key
 * the schema does not allow is `unknown_column`; a column absent from the row
 * `missing_column`; a missing value where one is required `not_finite`;
 * anything else (a wrong type, an enum level, a bound, an integer rule)
 * `wrong_type`; each naming the column and the row.
 * @internal
 */
export function zodRowError(result: ZodResultLike, row: number, values: Readonly<Record<string, unknown>>, absentIsMissingColumn: boolean): InputError {
  const issue = result.error?.issues[0];
  if (issue?.code === 'unrecognized_keys' && issue.keys !== undefined && issue.keys.length > 0) {
    const key = issue.keys[0] as string;
    return new InputError('unknown_column', key, `row ${row}: column '${key}' is not in the strict schema (${issue.message})`, row);
  }
  if (issue === undefined || issue.path.length === 0) {
    return new InputError('wrong_type', '(row)', `row ${row}: ${issue?.message ?? 'invalid'}`, row);
  }
  const field = String(issue.path[0]);
  const value = values[field];
  if (absentIsMissingColumn && !(field in values)) {
    return new InputError('missing_column', field, `row ${row}, column '${field}': ${issue.message} (the row has no '${field}')`, row);
  }
  if (value === undefined || value === null) {
    return new InputError('not_finite', field, `row ${row}, column '${field}': a value is required, the cell is missing (${issue.message})`, row);
  }
  return new InputError('wrong_type', field, `row ${row}, column '${field}': ${issue.message} (got ${JSON.stringify(value)})`, row);
}

/**
 * Validates every row of a dataset read from CSV with a zod object schema, so
 * that a schema is honoured wholly (enums, bounds, integers, required
 * columns, refinements), not only for its types. A missing cell is passed as
 * `undefined`, or as `null` to a field that accepts null but not undefined.
 * O(n · columns) zod calls.
 * @throws InputError as {@link zodRowError}
 * @internal
 */
export function validateDataset(dataset: Dataset, schema: ZodObjectLike): void {
  const columns = dataset.names.map((name) => dataset.column(name));
  const missingAs = dataset.names.map((name) => {
    const field = schema.shape[name] as { safeParse?: (value: unknown) => ZodResultLike } | undefined;
    if (field?.safeParse === undefined || field.safeParse(undefined).success) return undefined;
    return field.safeParse(null).success ? null : undefined;
  });
  for (let i = 0; i < dataset.n; i++) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c] as (typeof columns)[number];
      const value = cellValue(column, i);
      row[column.name] = value === null ? missingAs[c] : value;
    }
    const result = schema.safeParse(row);
    if (!result.success) throw zodRowError(result, i, row, false);
  }
}
