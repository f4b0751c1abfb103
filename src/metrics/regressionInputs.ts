import { finiteVector, sameLength, sampleWeights } from '../internal/validate.js';

export interface RegressionOptions {
  /** Non-negative weight per row. Default: every row weighs 1. */
  readonly sampleWeight?: ArrayLike<number>;
}

/** Validated (yTrue, yPred, weights) of a regression metric. @internal */
export function regressionInputs(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: RegressionOptions) {
  const actual = finiteVector('yTrue', yTrue);
  const predicted = finiteVector('yPred', yPred);
  sameLength('yPred', predicted, actual.length, 'yTrue');
  const weights = sampleWeights(options.sampleWeight, actual.length, 'yTrue');
  return { actual, predicted, weights };
}

/** Weighted mean of f(i) over rows, compensated. @internal */
export function weightedMean(n: number, weights: Float64Array | undefined, term: (i: number) => number): number {
  let total = 0;
  let compensation = 0;
  let weightTotal = 0;
  for (let i = 0; i < n; i++) {
    const weight = weights === undefined ? 1 : (weights[i] as number);
    const value = weight * term(i);
    const next = total + value;
    compensation += Math.abs(total) >= Math.abs(value) ? total - next + value : value - next + total;
    total = next;
    weightTotal += weight;
  }
  return (total + compensation) / weightTotal;
}
