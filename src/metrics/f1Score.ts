import { InputError } from '../errors.js';
import { confusionMatrix, divide } from './confusionMatrix.js';
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
  const beta = options.beta;
  if (typeof beta !== 'number' || !(beta > 0) || beta === Infinity) {
    throw new InputError('invalid_option', 'beta', `beta must be a positive finite number, got ${String(beta)}`);
  }
  const m = confusionMatrix(yTrue, yPred, options);
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
  return fBetaScore(yTrue, yPred, { ...options, beta: 1 });
}
