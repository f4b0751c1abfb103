import { z } from 'zod';
import { InputError } from '../errors.js';

/**
 * An options object checked against its strict schema: `undefined` is `{}`;
 * anything else that is not a plain object, an unknown key, or a value of
 * the wrong type or range throws `invalid_option` naming the key. @internal
 */
export function parseOptions<Schema extends z.ZodType>(schema: Schema, options: unknown, what: string): z.output<Schema> {
  const given = options === undefined ? {} : options;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new InputError('invalid_option', 'options', `${what} options must be an object, got ${given === null ? 'null' : Array.isArray(given) ? 'an array' : typeof given}`);
  }
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  const key = issue.code === 'unrecognized_keys' ? String(issue.keys[0]) : issue.path.map(String).join('.');
  const field = key === '' ? 'options' : key;
  const value = issue.code === 'unrecognized_keys' ? undefined : valueAt(given, issue.path);
  const message =
    issue.code === 'unrecognized_keys'
      ? `${what} has no option '${field}'`
      : `${what} option ${field}: ${issue.message}${value === undefined ? '' : `, got ${describeValue(value)}`}`;
  throw new InputError('invalid_option', field, message);
}

function valueAt(options: object, path: readonly PropertyKey[]): unknown {
  let value: unknown = options;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value !== null && typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

/** A finite number (zod's number refuses NaN and ±Infinity). @internal */
export const finiteNumber = z.number();
