import { InputError } from '../errors.js';
import { type DenseMatrix, type MatrixInput, multiplyVectors, toDenseMatrix } from '../linalg/denseMatrix.js';
import { parseWith } from '../internal/validate.js';
import { type LinearModel, LinearModelSchema } from './fitLinear.js';
import { type LogisticModel, LogisticModelSchema } from './fitLogistic.js';

type Linear = Pick<LinearModel | LogisticModel, 'names' | 'coefficients' | 'intercept'>;

/**
 * The model checked by its schema before anything is read from it: a
 * tampered or truncated model (a string intercept, a short coefficient
 * list, a missing field) is an InputError, never a garbage prediction.
 */
function checkedLinear(model: unknown): LinearModel {
  return parseWith(LinearModelSchema, model, 'model', 'a LinearModel (from fitLinear)');
}

function checkedLogistic(model: unknown): LogisticModel {
  return parseWith(LogisticModelSchema, model, 'model', 'a LogisticModel (from fitLogistic)');
}

/**
 * b₀ + Xβ of each model in one pass over X. X's finiteness is checked
 * through the results (see `multiplyVectors`), not by a pass of its own.
 */
function linearPredictors(models: readonly Linear[], X: MatrixInput): Float64Array[] {
  const matrix: DenseMatrix = toDenseMatrix(X, 'X', { deferFiniteCheck: true });
  for (const model of models) {
    if (matrix.cols !== model.names.length) {
      throw new InputError('length_mismatch', 'X', `X has ${matrix.cols} columns, the model was fitted on ${model.names.length}`);
    }
  }
  return multiplyVectors(
    matrix,
    models.map((model) => Float64Array.from(model.coefficients)),
    models.map((model) => model.intercept),
  );
}

function toProbabilities(logits: Float64Array): Float64Array {
  for (let i = 0; i < logits.length; i++) logits[i] = 1 / (1 + Math.exp(-(logits[i] as number)));
  return logits;
}

/**
 * Predictions b₀ + Xβ of a linear model. O(n·p).
 * @throws InputError as `toDenseMatrix`; `length_mismatch` for the wrong number of columns;
 *   `wrong_type` naming the field (`model.intercept`, …) for a model its schema rejects
 * @example
 * predictLinear(fitLinear([[0], [1], [2], [3]], [1, 3, 5, 7]), [[10]]); // => Float64Array [21]
 */
export function predictLinear(model: LinearModel, X: MatrixInput): Float64Array {
  return linearPredictors([checkedLinear(model)], X)[0] as Float64Array;
}

/**
 * Linear predictor (log-odds) b₀ + Xβ of a logistic model.
 * @throws InputError as {@link predictLinear}
 */
export function predictLogit(model: LogisticModel, X: MatrixInput): Float64Array {
  return linearPredictors([checkedLogistic(model)], X)[0] as Float64Array;
}

/**
 * Predicted probabilities σ(b₀ + Xβ) of a logistic model.
 * @throws InputError as {@link predictLinear}
 * @example
 * predictProba({ ...fitLogistic([[0], [1], [0], [1]], [0, 0, 1, 1]), intercept: 0, coefficients: [0] }, [[5]]); // => Float64Array [0.5]
 */
export function predictProba(model: LogisticModel, X: MatrixInput): Float64Array {
  return toProbabilities(linearPredictors([checkedLogistic(model)], X)[0] as Float64Array);
}

/** {@link predictLinear} of several models on the same rows, in one pass over X. @internal */
export function predictLinearMany(models: readonly LinearModel[], X: MatrixInput): Float64Array[] {
  return linearPredictors(models.map(checkedLinear), X);
}

/** {@link predictProba} of several models on the same rows, in one pass over X. @internal */
export function predictProbaMany(models: readonly LogisticModel[], X: MatrixInput): Float64Array[] {
  return linearPredictors(models.map(checkedLogistic), X).map(toProbabilities);
}
