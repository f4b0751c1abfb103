import { InputError } from '../errors.js';

/** The type a column is read as: numbers, categories (text levels) or booleans (0/1). */
export type ColumnType = 'number' | 'category' | 'boolean';

/**
 * The smallest part of a zod object schema this package reads: its `shape`
 * (to learn each column's type) and `safeParse` (to validate rows).
 */
export interface ZodObjectLike {
  readonly shape: Readonly<Record<string, unknown>>;
  safeParse(value: unknown): {
    success: boolean;
    error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
  };
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
