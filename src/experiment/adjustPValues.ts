import { InputError } from '../errors.js';
import { describe, rules } from '../internal/validate.js';

/** Multiple-testing correction methods. */
export type AdjustMethod = 'bonferroni' | 'holm' | 'benjamini-hochberg';

/**
 * Adjusted p-values, in the input order: Bonferroni and Holm control the
 * family-wise error rate, Benjamini–Hochberg the false discovery rate.
 * Adjusted values are capped at 1 and monotone in the raw ones. Agrees with
 * statsmodels `multipletests` (`bonferroni`, `holm`, `fdr_bh`). O(m log m).
 *
 * @throws InputError `not_finite`, `out_of_range` (a p-value outside [0, 1]), `invalid_option`
 * @example
 * adjustPValues([0.01, 0.04, 0.03], 'holm'); // => [0.03, 0.06, 0.06]
 */
export function adjustPValues(input: readonly number[], method: AdjustMethod): number[] {
  if (!rules.vector().test(input)) throw new InputError('wrong_type', 'pValues', `pValues must be an array of numbers, got ${describe(input)}`);
  const pValues: readonly number[] = Array.from(input);
  pValues.forEach((p, i) => {
    if (typeof p !== 'number' || Number.isNaN(p)) throw new InputError('not_finite', 'pValues', `pValues[${i}] is not a number`, i);
    if (p < 0 || p > 1) throw new InputError('out_of_range', 'pValues', `pValues[${i}] = ${p} is outside [0, 1]`, i);
  });
  const m = pValues.length;
  if (method === 'bonferroni') return pValues.map((p) => Math.min(1, p * m));
  if (method !== 'holm' && method !== 'benjamini-hochberg') {
    throw new InputError('invalid_option', 'method', `method must be 'bonferroni', 'holm' or 'benjamini-hochberg', got ${String(method)}`);
  }
  const order = pValues.map((_, i) => i).sort((a, b) => (pValues[a] as number) - (pValues[b] as number) || a - b);
  const adjusted = new Array<number>(m);
  if (method === 'holm') {
    let running = 0;
    order.forEach((index, rank) => {
      running = Math.max(running, Math.min(1, (m - rank) * (pValues[index] as number)));
      adjusted[index] = running;
    });
    return adjusted;
  }
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const index = order[rank] as number;
    running = Math.min(running, ((pValues[index] as number) * m) / (rank + 1));
    adjusted[index] = Math.min(1, running);
  }
  return adjusted;
}
