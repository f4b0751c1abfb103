import type { Assignment } from '../../data/assignment.js';
import { type DenseMatrix, type MatrixInput, takeRows, takeRowsInto, takeValues } from '../../linalg/denseMatrix.js';
import { type Learner, fitKeepsNoRows } from '../../models/learner.js';
import { kFold } from '../../models/validation.js';
import { borrowScratch, returnScratch } from '../../internal/scratch.js';
import type { UpliftModel } from '../schema.js';
import { type ArmContext, type FittedArm, type MetaLearner, type MetaLearnerOptions, type PredictContext, propensityOf, splitRows, upliftModelSchema } from './common.js';
import { fitArms } from './multiArm.js';

/**
 * The DR-learner's arm: doubly robust pseudo-outcomes from nuisance models
 * cross-fitted over the folds (no row scored by a model that saw it), then
 * one effect model regressed on them.
 */
function fitArm(context: ArmContext, X: DenseMatrix, y: Float64Array, t: Float64Array): FittedArm {
  const { learner, effectLearner, options } = context;
  const propensity = propensityOf(context, X, t);
  const pseudo = new Float64Array(X.rows);
  const folds = kFold(X.rows, options.folds ?? 5, { seed: options.seed ?? 0, stratify: t });
  // A library learner keeps nothing of the rows it fits, so the folds' copies can share three
  // scratch buffers (the treated and control training rows, the held-out rows), each as large as
  // its largest fold; a host's learner might keep them, and gets copies of its own.
  let reuse: { data: Float64Array }[] | null = null;
  if (fitKeepsNoRows(learner)) {
    let treatedCount = 0;
    for (let i = 0; i < t.length; i++) treatedCount += t[i] === 1 ? 1 : 0;
    const most = Math.max(...folds.map((f) => f.train.length));
    reuse = [treatedCount, X.rows - treatedCount, Math.max(...folds.map((f) => f.test.length))].map((rows) => ({ data: borrowScratch(Math.min(rows, most) * X.cols) }));
  }
  const rowsOf = (rows: Int32Array, slot: number) => (reuse === null ? takeRows(X, rows) : takeRowsInto(X, rows, reuse[slot] as { data: Float64Array }));
  for (const { train, test } of folds) {
    const trainT = takeValues(t, train);
    const { treated: trainTreated, control: trainControl } = splitRows(trainT);
    // Each group's rows taken from X at once (the fold's rows of X are copied only for a fitted propensity).
    const treatedRows = trainTreated.map((k) => train[k] as number);
    const controlRows = trainControl.map((k) => train[k] as number);
    const mu1 = learner.fit(rowsOf(treatedRows, 0), takeValues(y, treatedRows));
    const mu0 = learner.fit(rowsOf(controlRows, 1), takeValues(y, controlRows));
    const testX = rowsOf(test, 2);
    const e = propensity.at(propensity.learner === undefined ? undefined : propensity.learner.fit(takeRows(X, train), trainT), testX);
    const m1 = learner.predict(mu1, testX);
    const m0 = learner.predict(mu0, testX);
    for (let k = 0; k < test.length; k++) {
      const row = test[k] as number;
      const ti = t[row] as number;
      const yi = y[row] as number;
      const ek = e[k] as number;
      pseudo[row] = (m1[k] as number) - (m0[k] as number) + (ti * (yi - (m1[k] as number))) / ek - ((1 - ti) * (yi - (m0[k] as number))) / (1 - ek);
    }
  }
  if (reuse !== null) returnScratch(...reuse.map((slot) => slot.data));
  const models: Record<string, unknown> = { effect: effectLearner.fit(X, pseudo) };
  if (propensity.model !== undefined) models.propensity = propensity.model;
  return { models, propensity: propensity.constant };
}

function predictArms(context: PredictContext, arms: readonly FittedArm[], X: DenseMatrix): Float64Array[] {
  return arms.map(({ models }) => (context.effectLearner as Learner).predict(models.effect, X));
}

/** @internal */
export const drLearner: MetaLearner = {
  kind: 'dr',
  fitArm,
  predictArms,
  roles: (model) => [
    { name: 'effect', learner: 'effectLearner', columns: model.features },
    { name: 'propensity', learner: 'propensity', columns: model.features, optional: true },
  ],
};

/** The DR-learner's fitted model: everything its prediction reads, checked. */
export const DrLearnerModelSchema = upliftModelSchema('dr', drLearner.roles);

/**
 * DR-learner (Kennedy 2020): doubly robust pseudo-outcomes
 * μ₁ − μ₀ + t(y − μ₁)/e − (1 − t)(y − μ₀)/(1 − e) from nuisance models
 * cross-fitted over `folds` (each row scored by models that never saw it),
 * then one effect model regressed on them.
 *
 * @throws InputError as `fitSLearner`
 */
export function fitDrLearner(X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string> | Assignment, options: MetaLearnerOptions = {}): UpliftModel {
  return fitArms(drLearner, X, y, treatment, options);
}
