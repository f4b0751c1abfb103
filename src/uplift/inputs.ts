import { InputError } from '../errors.js';
import { binaryVector, finiteVector, sameLength } from '../internal/validate.js';

/** Validated (yTrue, uplift, treatment) of an uplift metric. @internal */
export function upliftInputs(yTrue: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>, binaryOutcome = false) {
  // Fast path for typed arrays: one pass checks everything (resampling calls this thousands of times);
  // any problem falls through to the checks below, which name it.
  if (yTrue instanceof Float64Array && uplift instanceof Float64Array && treatment instanceof Float64Array && yTrue.length > 0 && uplift.length === yTrue.length && treatment.length === yTrue.length) {
    // Branch-free: |t(1 − t)| is 0 exactly for t ∈ {0, 1} (and |v(1 − v)| for a 0/1 outcome), x − x is 0
    // for finite x and NaN otherwise, so the running sum stays 0 exactly when every value is valid.
    const binary = binaryOutcome ? 1 : 0;
    let treated = 0;
    let bad = 0;
    const n = yTrue.length;
    for (let i = 0; i < n; i++) {
      const v = yTrue[i] as number;
      const t = treatment[i] as number;
      const s = uplift[i] as number;
      bad += Math.abs(t * (1 - t)) + binary * Math.abs(v * (1 - v)) + (v - v) + (s - s);
      treated += t;
    }
    if (bad === 0 && treated > 0 && treated < n) return { y: yTrue, score: uplift, t: treatment, treated };
  }
  const y = binaryOutcome ? binaryVector('yTrue', yTrue) : finiteVector('yTrue', yTrue);
  const score = finiteVector('uplift', uplift);
  const t = binaryVector('treatment', treatment);
  sameLength('uplift', score, y.length, 'yTrue');
  sameLength('treatment', t, y.length, 'yTrue');
  let treated = 0;
  for (let i = 0; i < t.length; i++) treated += t[i] as number;
  if (treated === 0 || treated === t.length) {
    throw new InputError('single_class', 'treatment', `treatment has only ${treated === 0 ? 'control' : 'treated'} rows; uplift needs both groups`);
  }
  return { y, score, t, treated };
}

/**
 * A result checked finite: outcomes so large that the curve's sums overflow
 * double precision (past about 1.8e308) are `out_of_range` on yTrue, never
 * an Infinity or NaN returned. Checks every number of an array or a plain
 * object's values too. @internal
 */
export function finiteResult<T>(value: T, what: string): T {
  const bad = (v: unknown): boolean => {
    if (typeof v === 'number') return v - v !== 0;
    if (Array.isArray(v)) return v.some(bad);
    if (v !== null && typeof v === 'object') return Object.values(v).some(bad);
    return false;
  };
  if (bad(value)) throw new InputError('out_of_range', 'yTrue', `${what} overflows double precision: the outcomes are too large to sum; rescale yTrue`);
  return value;
}

/** The length of an array-like input, 0 for anything else (its own check then names it). @internal */
export function lengthOf(values: unknown): number {
  return values !== null && typeof values === 'object' && typeof (values as { length?: unknown }).length === 'number' ? ((values as ArrayLike<unknown>).length as number) : 0;
}

/** True when every value is 0 or 1. @internal */
export function isBinary(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && values[i] !== 1) return false;
  return true;
}
