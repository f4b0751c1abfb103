import type { Assignment } from '../../data/assignment.js';
import type { DenseMatrix, MatrixInput } from '../../linalg/denseMatrix.js';
import type { LinearModel } from '../../models/fitLinear.js';
import type { LogisticModel } from '../../models/fitLogistic.js';
import { type Learner, fitKeepsNoRows } from '../../models/learner.js';
import { borrowScratch, returnScratch } from '../../internal/scratch.js';
import type { UpliftModel } from '../schema.js';
import { type ArmContext, type FittedArm, type MetaLearner, type MetaLearnerOptions, type PredictContext, propensityOf, upliftModelSchema } from './common.js';
import { fitArms } from './multiArm.js';

/** [X, t, t·X] (or [X, t] without interactions), t a vector or one value for every row. */
function withTreatment(X: DenseMatrix, t: Float64Array | number, interactions: boolean, into?: Float64Array): DenseMatrix {
  const p = X.cols;
  const cols = interactions ? 2 * p + 1 : p + 1;
  const data = into === undefined ? new Float64Array(X.rows * cols) : into.subarray(0, X.rows * cols);
  for (let i = 0; i < X.rows; i++) {
    const ti = typeof t === 'number' ? t : (t[i] as number);
    const base = i * cols;
    for (let j = 0; j < p; j++) data[base + j] = X.data[i * p + j] as number;
    data[base + p] = ti;
    if (interactions) for (let j = 0; j < p; j++) data[base + p + 1 + j] = ti * (X.data[i * p + j] as number);
  }
  return { data, rows: X.rows, cols };
}

function fitArm(context: ArmContext, X: DenseMatrix, y: Float64Array, t: Float64Array): FittedArm {
  const propensity = propensityOf(context, X, t);
  const interactions = context.options.interactions ?? true;
  // A built-in learner keeps nothing of the design it fits: it is written into a scratch buffer.
  const scratch = fitKeepsNoRows(context.learner) ? borrowScratch(X.rows * (interactions ? 2 * X.cols + 1 : X.cols + 1)) : undefined;
  const models: Record<string, unknown> = { outcome: context.learner.fit(withTreatment(X, t, interactions, scratch), y) };
  if (scratch !== undefined) returnScratch(scratch);
  if (propensity.model !== undefined) models.propensity = propensity.model;
  return { models, propensity: propensity.constant };
}

/**
 * A linear or logistic outcome model at t = 1 and at t = 0 as two models on
 * X's own columns: b₀ + γ + (β + δ)·x and b₀ + β·x — the same linear
 * predictors as the model on [X, 1, X] and [X, 0, 0], without building
 * either matrix (with 20 features, 41 columns a row).
 */
function collapsed(model: LinearModel | LogisticModel, p: number, interactions: boolean): [LinearModel | LogisticModel, LinearModel | LogisticModel] {
  const c = model.coefficients;
  const beta = c.slice(0, p);
  const treated = interactions ? beta.map((b, j) => b + (c[p + 1 + j] as number)) : beta;
  const names = model.names.slice(0, p);
  return [
    { ...model, names, coefficients: treated, intercept: model.intercept + (c[p] as number), terms: [] },
    { ...model, names, coefficients: beta, terms: [] },
  ];
}

function predictArms(context: PredictContext, arms: readonly FittedArm[], X: DenseMatrix): Float64Array[] {
  const learner = context.learner as Learner;
  const type = learner.spec?.type;
  if ((type === 'linear' || type === 'logistic') && learner.predictMany !== undefined) {
    // Both predictions of every arm in one pass over X, with no design matrix.
    const predictions = learner.predictMany(arms.flatMap(({ models }) => collapsed(models.outcome as LinearModel | LogisticModel, X.cols, context.interactions)), X);
    return arms.map((_, k) => {
      const a = predictions[2 * k] as Float64Array;
      const b = predictions[2 * k + 1] as Float64Array;
      for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) - (b[i] as number);
      return a;
    });
  }
  // One buffer for both: [X, 1, X] predicted by every arm's model, then its treatment columns zeroed to [X, 0, 0].
  const design = withTreatment(X, 1, context.interactions);
  const treated = arms.map(({ models }) => learner.predict(models.outcome, design));
  const p = X.cols;
  for (let i = 0; i < design.rows; i++) design.data.fill(0, i * design.cols + p, (i + 1) * design.cols);
  return arms.map(({ models }, k) => {
    const a = treated[k] as Float64Array;
    const b = learner.predict(models.outcome, design);
    for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) - (b[i] as number);
    return a;
  });
}

/** @internal */
export const sLearner: MetaLearner = {
  kind: 's',
  fitArm,
  predictArms,
  roles: (model) => [
    { name: 'outcome', learner: 'learner', columns: model.interactions ? 2 * model.features + 1 : model.features + 1 },
    { name: 'propensity', learner: 'propensity', columns: model.features, optional: true },
  ],
};

/** The S-learner's fitted model: everything its prediction reads, checked. */
export const SLearnerModelSchema = upliftModelSchema('s', sLearner.roles);

/**
 * S-learner: one outcome model on [X, t, t·X]; the uplift is its prediction
 * with t = 1 minus with t = 0. Interactions let a linear or logistic model
 * express effects that vary with x. Multi-arm: one model per treated arm
 * against control.
 *
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `single_class`, `invalid_option`, and the learner's errors
 */
export function fitSLearner(X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string> | Assignment, options: MetaLearnerOptions = {}): UpliftModel {
  return fitArms(sLearner, X, y, treatment, options);
}
