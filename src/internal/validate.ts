import { InputError } from '../errors.js';

/**
 * Input checks shared by the numeric routines: each reads its input once and
 * throws an InputError naming the argument, the row and the value.
 */

/** A Float64Array view of the values (the input itself when it already is one), all finite. */
export function finiteVector(name: string, values: ArrayLike<number>, minLength = 1): Float64Array {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new InputError('wrong_type', name, `${name} must be an array of numbers`);
  }
  if (values.length < minLength) {
    throw new InputError('empty', name, `${name} is empty`);
  }
  const vector = values instanceof Float64Array ? values : Float64Array.from(values as ArrayLike<number>);
  for (let i = 0; i < vector.length; i++) {
    const value = vector[i] as number;
    if (value - value !== 0) {
      throw new InputError('not_finite', name, `${name} must be finite, got ${describe(values[i])} at row ${i}`, i);
    }
  }
  return vector;
}

/** As {@link finiteVector}, every value 0 or 1. */
export function binaryVector(name: string, values: ArrayLike<number>): Float64Array {
  const vector = finiteVector(name, values);
  for (let i = 0; i < vector.length; i++) {
    const value = vector[i] as number;
    if (value !== 0 && value !== 1) {
      throw new InputError('not_binary', name, `${name} must be 0 or 1, got ${value} at row ${i}`, i);
    }
  }
  return vector;
}

/** Throws `length_mismatch` unless `values` has length `n`. */
export function sameLength(name: string, values: ArrayLike<number>, n: number, reference: string): void {
  if (values.length !== n) {
    throw new InputError('length_mismatch', name, `${name} has ${values.length} values but ${reference} has ${n}`);
  }
}

/**
 * Sample weights: finite, non-negative, of length n, with a positive total;
 * `undefined` when none were given.
 */
export function sampleWeights(values: ArrayLike<number> | undefined, n: number, reference: string): Float64Array | undefined {
  if (values === undefined) return undefined;
  const weights = finiteVector('sampleWeight', values, 0);
  sameLength('sampleWeight', weights, n, reference);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const weight = weights[i] as number;
    if (weight < 0) {
      throw new InputError('out_of_range', 'sampleWeight', `sampleWeight must be ≥ 0, got ${weight} at row ${i}`, i);
    }
    total += weight;
  }
  if (!(total > 0)) throw new InputError('empty', 'sampleWeight', 'sampleWeight sums to 0: no row carries weight');
  return weights;
}

export function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
