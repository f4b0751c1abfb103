import { InputError } from '../errors.js';

/**
 * An options object checked strictly: `undefined` is `{}`; anything but a
 * plain object, or a key not in `allowed`, is `invalid_option` naming the key.
 * Values are checked by the caller.
 * @internal
 */
export function checkOptions<T extends object>(options: unknown, allowed: readonly string[]): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InputError('invalid_option', 'options', `options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new InputError('invalid_option', key, `unknown option '${key}'; options are ${allowed.map((k) => `'${k}'`).join(', ')}`);
    }
  }
  return options as T;
}

/** A short description of a value for a message: its JSON for small values, else its type. @internal */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `a ${value.constructor?.name ?? 'object'}` : typeof value;
}
