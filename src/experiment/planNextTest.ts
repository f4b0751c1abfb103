import { z } from 'zod';
import { InputError } from '../errors.js';
import { rules, checkOptions } from '../internal/validate.js';
import { minimumDetectableEffect, type PowerDesign, sampleSize } from './power.js';

export interface PlanOptions {
  /** Target power. Default 0.8. */
  readonly power?: number;
}

export const TestPlanSchema = z
  .object({
    kind: z.literal('test_plan'),
    power: z.number(),
    alpha: z.number(),
    /** The smallest absolute effect detectable with the observed arm sizes; null when none within a rate's range is. */
    minimumDetectableEffect: z.number().nullable(),
    /** The same relative to the control mean; null when the control mean is 0. */
    minimumDetectableLift: z.number().nullable(),
    /** Rows per arm for the observed effect at the target power (same treated/control ratio); null when the observed effect is 0. */
    sampleSize: z.object({ control: z.number(), treated: z.number(), total: z.number() }).nullable(),
    note: z.string().nullable(),
  })
  .readonly();
export type TestPlan = z.infer<typeof TestPlanSchema>;

/** What {@link planNextTest} reads from a comparison. */
export interface PlanInput {
  readonly kind: string;
  readonly control: { readonly n: number; readonly mean: number };
  readonly treated: { readonly n: number; readonly mean: number };
  readonly absolute: { readonly estimate: number; readonly standardError: number };
  readonly alpha: number;
  readonly alternative: 'two-sided' | 'less' | 'greater';
}

/**
 * Planning the next test from this one: the minimum detectable effect at
 * the observed arm sizes, and the rows needed to detect the observed effect
 * at the target power (default 80%), keeping the treated/control ratio. For
 * proportions the design uses the control rate (`power`'s unpooled
 * variances); for means the common standard deviation implied by the
 * comparison's standard error, sd = se / √(1/n₀ + 1/n₁). The normal
 * approximation of {@link power}, {@link sampleSize} and
 * {@link minimumDetectableEffect}.
 *
 * @throws InputError `invalid_option`, `wrong_type`
 * @example
 * const result = compareProportions({ n: 5000, successes: 500 }, { n: 5000, successes: 560 });
 * planNextTest(result).sampleSize?.control; // => 10327
 */
export function planNextTest(comparison: PlanInput, options: PlanOptions = {}): TestPlan {
  const checked = checkOptions(options, { power: rules.fraction() });
  const targetPower = checked.power ?? 0.8;
  if (comparison === null || typeof comparison !== 'object' || typeof comparison.control?.n !== 'number') {
    throw new InputError('wrong_type', 'comparison', 'planNextTest needs a comparison result (compareProportions, compareMeans, …)');
  }
  const { control, treated, absolute, alpha, alternative } = comparison;
  const ratio = treated.n / control.n;
  const base = { alpha, alternative, ratio };
  let design: PowerDesign;
  let unit = 1;
  if (comparison.kind === 'proportions') {
    if (!(control.mean > 0 && control.mean < 1)) {
      return { kind: 'test_plan', power: targetPower, alpha, minimumDetectableEffect: null, minimumDetectableLift: null, sampleSize: null, note: `the control rate is ${control.mean}: no test can be planned around it` };
    }
    design = { metric: 'proportion', baseline: control.mean, ...base };
  } else {
    const sd = absolute.standardError / Math.sqrt(1 / control.n + 1 / treated.n);
    if (!(sd > 0)) {
      return { kind: 'test_plan', power: targetPower, alpha, minimumDetectableEffect: null, minimumDetectableLift: null, sampleSize: null, note: 'the outcome does not vary: no test can be planned around it' };
    }
    // In units of a power of two near sd (exact): sd² and effect² of outcomes near 1e200 or 1e-300 neither overflow nor underflow.
    unit = 2 ** Math.floor(Math.log2(sd));
    design = { metric: 'mean', sd: sd / unit, ...base };
  }
  let mde: number | null = null;
  const notes: string[] = [];
  try {
    mde = minimumDetectableEffect(design, control.n, targetPower) * unit;
  } catch {
    notes.push(`no effect within the rate's range reaches ${targetPower * 100}% power with these sizes`);
  }
  let size: TestPlan['sampleSize'] = null;
  const effect = absolute.estimate;
  const wrongWay = (alternative === 'greater' && effect < 0) || (alternative === 'less' && effect > 0);
  if (effect === 0 || wrongWay) notes.push('the observed effect is 0 or against the alternative: no sample size detects it');
  else {
    try {
      size = sampleSize(design, effect / unit, targetPower);
    } catch {
      notes.push('the observed effect leaves the rate range: no sample size computed');
    }
  }
  return {
    kind: 'test_plan',
    power: targetPower,
    alpha,
    minimumDetectableEffect: mde,
    minimumDetectableLift: mde === null || control.mean === 0 ? null : mde / Math.abs(control.mean),
    sampleSize: size,
    note: notes.length === 0 ? null : notes.join('; '),
  };
}
