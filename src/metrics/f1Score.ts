import { InputError } from '../errors.js';
import { checkOptions, rules } from '../internal/validate.js';
import { confusionCounts, divide, precisionRecallRules } from './confusionMatrix.js';
import type { PrecisionRecallOptions } from './precisionScore.js';

export interface FBetaOptions extends PrecisionRecallOptions {
  /** Weight of recall against precision (β > 0; β = 1 is F1). */
  readonly beta: number;
}

/**
 * F-beta: (1 + β²)·P·R / (β²·P + R), recall counting β times as much as
 * precision. Precision and recall with a zero denominator take
 * `zeroDivision`; when both are 0 the score is 0. Agrees with scikit-learn
 * `fbeta_score` (binary).
 *
 * @throws InputError as `confusionMatrix`; `invalid_option` for β ≤ 0;
 *   `empty` with `zeroDivision: 'error'`
 * @example
 * fBetaScore([0, 1, 1, 0], [1, 1, 0, 0], { beta: 2 }); // => 0.5
 */
export function fBetaScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: FBetaOptions): number {
  if (options === null || typeof options !== 'object') {
    throw new InputError('invalid_option', 'beta', `fBetaScore needs options with beta, got ${String(options)}`);
  }
  checkOptions(options, { ...precisionRecallRules(), beta: rules.any() });
  const beta = options.beta;
  if (typeof beta !== 'number' || !(beta > 0) || beta === Infinity) {
    throw new InputError('invalid_option', 'beta', `beta must be a positive finite number, got ${String(beta)}`);
  }
  const m = confusionCounts(yTrue, yPred, options, true);
  const zeroDivision = options.zeroDivision ?? 0;
  const precision = divide(m.truePositives, m.truePositives + m.falsePositives, zeroDivision, 'precision');
  const recall = divide(m.truePositives, m.truePositives + m.falseNegatives, zeroDivision, 'recall');
  const beta2 = beta * beta;
  const denominator = beta2 * precision + recall;
  return denominator === 0 ? 0 : ((1 + beta2) * precision * recall) / denominator;
}

/**
 * F1: the harmonic mean of precision and recall, 2·P·R / (P + R). Agrees
 * with scikit-learn `f1_score` (binary).
 *
 * @throws InputError as {@link fBetaScore}
 * @example
 * f1Score([0, 1, 1, 0], [1, 1, 0, 0]); // => 0.5
 */
export function f1Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: PrecisionRecallOptions = {}): number {
  return fBetaScore(yTrue, yPred, { ...checkOptions(options, precisionRecallRules()), beta: 1 });
}
