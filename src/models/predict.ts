import { InputError } from '../errors.js';
import { type MatrixInput, multiplyVector, toDenseMatrix } from '../linalg/denseMatrix.js';
import type { LinearModel } from './fitLinear.js';
import type { LogisticModel } from './fitLogistic.js';

function checked(model: { names: readonly string[] }, X: MatrixInput) {
  const matrix = toDenseMatrix(X);
  if (matrix.cols !== model.names.length) {
    throw new InputError('length_mismatch', 'X', `X has ${matrix.cols} columns, the model was fitted on ${model.names.length}`);
  }
  return matrix;
}

/**
 * Predictions b₀ + Xβ of a linear model. O(n·p).
 * @throws InputError as `toDenseMatrix`; `length_mismatch` for the wrong number of columns
 * @example
 * predictLinear(fitLinear([[0], [1], [2], [3]], [1, 3, 5, 7]), [[10]]); // => Float64Array [21]
 */
export function predictLinear(model: LinearModel, X: MatrixInput): Float64Array {
  return multiplyVector(checked(model, X), model.coefficients, model.intercept);
}

/**
 * Linear predictor (log-odds) b₀ + Xβ of a logistic model.
 * @throws InputError as {@link predictLinear}
 */
export function predictLogit(model: LogisticModel, X: MatrixInput): Float64Array {
  return multiplyVector(checked(model, X), model.coefficients, model.intercept);
}

/**
 * Predicted probabilities σ(b₀ + Xβ) of a logistic model.
 * @throws InputError as {@link predictLinear}
 * @example
 * predictProba({ ...fitLogistic([[0], [1], [0], [1]], [0, 0, 1, 1]), intercept: 0, coefficients: [0] }, [[5]]); // => Float64Array [0.5]
 */
export function predictProba(model: LogisticModel, X: MatrixInput): Float64Array {
  const out = predictLogit(model, X);
  for (let i = 0; i < out.length; i++) out[i] = 1 / (1 + Math.exp(-(out[i] as number)));
  return out;
}
