import { z } from 'zod';
import { InputError } from '../errors.js';
import { finiteVector } from '../internal/validate.js';
import { sortedQuantile } from '../internal/quantile.js';

/** An upper cap: at a quantile of the pooled values, or at a fixed value. */
export type Cap = { readonly quantile: number } | { readonly value: number };

export const CapSummarySchema = z
  .object({
    /** How the threshold was set. */
    method: z.enum(['quantile', 'value']),
    /** The quantile asked for (null for a fixed value). */
    quantile: z.number().nullable(),
    threshold: z.number(),
    cappedCount: z.number(),
    /** Share of the rows above the threshold, brought down to it. */
    cappedShare: z.number(),
  })
  .readonly();
export type CapSummary = z.infer<typeof CapSummarySchema>;

/**
 * Caps (winsorises from above) an outcome before comparing arms, so that a
 * few huge orders do not swamp the variance: values above the threshold are
 * set to it. The threshold is a fixed `value` or a `quantile` of the values
 * of all arms pooled (numpy's default linear interpolation), so that it does
 * not depend on the treatment. Reports how many rows were capped. O(n log n)
 * for a quantile, O(n) for a value.
 *
 * @param values - the outcome over all arms
 * @throws InputError `empty`, `not_finite` (naming `field`), `invalid_option`
 * @example
 * capValues([1, 2, 3, 100], { value: 10 }).summary.cappedCount; // => 1
 */
export function capValues(values: ArrayLike<number>, cap: Cap, field = 'values'): { values: Float64Array; summary: CapSummary } {
  const x = finiteVector(field, values);
  if (cap === null || typeof cap !== 'object') throw new InputError('invalid_option', 'cap', 'cap must be { quantile } or { value }');
  const keys = Object.keys(cap);
  if (keys.length !== 1 || (keys[0] !== 'quantile' && keys[0] !== 'value')) {
    throw new InputError('invalid_option', 'cap', `cap must be exactly one of { quantile } or { value }, got keys ${keys.join(', ') || 'none'}`);
  }
  let threshold: number;
  let quantile: number | null = null;
  if ('quantile' in cap) {
    quantile = cap.quantile;
    if (typeof quantile !== 'number' || !(quantile > 0 && quantile <= 1)) {
      throw new InputError('invalid_option', 'cap.quantile', `cap.quantile must be in (0, 1], got ${String(quantile)}`);
    }
    threshold = sortedQuantile(Float64Array.from(x).sort(), quantile);
  } else {
    threshold = cap.value;
    if (typeof threshold !== 'number' || !Number.isFinite(threshold)) throw new InputError('invalid_option', 'cap.value', `cap.value must be a finite number, got ${String(threshold)}`);
  }
  const capped = new Float64Array(x.length);
  let cappedCount = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v > threshold) {
      capped[i] = threshold;
      cappedCount++;
    } else capped[i] = v;
  }
  return {
    values: capped,
    summary: { method: quantile === null ? 'value' : 'quantile', quantile, threshold, cappedCount, cappedShare: cappedCount / x.length },
  };
}
