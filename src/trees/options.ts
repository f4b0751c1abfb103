import { InputError } from '../errors.js';

/**
 * Option checks of the tree learners: unknown keys, and numbers outside
 * their documented range, are `invalid_option` errors naming the option.
 * @internal
 */
export function knownKeys(options: object, allowed: readonly string[], what: string): void {
  if (options === null || typeof options !== 'object') throw new InputError('invalid_option', 'options', `${what} options must be an object`);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new InputError('invalid_option', key, `${what} has no option '${key}'; options are ${allowed.join(', ')}`);
  }
}

/** An integer option in [min, max], or its default when undefined. @internal */
export function integerOption(name: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError('invalid_option', name, `${name} must be an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}], got ${String(value)}`);
  }
  return value;
}

/** A number option in the given range (open or closed ends), or its default when undefined. @internal */
export function numberOption(name: string, value: unknown, fallback: number, min: number, max: number, openMin = false, openMax = false): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && (openMin ? value > min : value >= min) && (openMax ? value < max : value <= max);
  if (!ok) {
    throw new InputError('invalid_option', name, `${name} must be in ${openMin ? '(' : '['}${min}, ${max === Infinity ? '∞' : max}${openMax ? ')' : ']'}, got ${String(value)}`);
  }
  return value as number;
}

/** A boolean option, or its default when undefined. @internal */
export function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InputError('invalid_option', name, `${name} must be true or false, got ${String(value)}`);
  return value;
}

/** One of the allowed strings, or its default when undefined. @internal */
export function choiceOption<T extends string>(name: string, value: unknown, fallback: T, allowed: readonly T[]): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new InputError('invalid_option', name, `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}
