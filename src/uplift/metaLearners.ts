import { z } from 'zod';
import { InputError } from '../errors.js';
import { type DenseMatrix, type MatrixInput, takeFiniteRows, takeRows, takeValues, toDenseMatrix } from '../linalg/denseMatrix.js';
import { finiteVector, sameLength } from '../internal/validate.js';
import { type Learner, type LearnerSpec, learnerFromSpec, linearLearner, logisticLearner, predictEach } from '../models/learner.js';
import { kFold } from '../models/validation.js';

/** The meta-learners. */
export type MetaLearnerKind = 's_learner' | 't_learner' | 'x_learner' | 'dr_learner' | 'class_transformation';

export interface MetaLearnerOptions {
  /** Outcome model: a classifier's probabilities or a regressor's means. Default: logistic (l2 = 1) for 0/1 outcomes, linear otherwise. */
  readonly learner?: Learner;
  /** Model of an effect (X, DR, transformed outcome): a regressor. Default linear (l2 = 1). */
  readonly effectLearner?: Learner;
  /** The control arm's label in `treatment`. Default 0. */
  readonly control?: number | string;
  /**
   * Propensity P(treated | x) where a learner needs it: `'constant'` (default:
   * the observed treated share, right for a randomised campaign), a number,
   * or `'logistic'` (fitted on X).
   */
  readonly propensity?: 'constant' | 'logistic' | number;
  /** Fitted propensities are clipped to [clip, 1 − clip]. Default 0.01. */
  readonly clip?: number;
  /** S-learner: add treatment × feature interactions so the effect can vary. Default true. */
  readonly interactions?: boolean;
  /** DR-learner: cross-fitting folds. Default 5. */
  readonly folds?: number;
  /** Class transformation: `'class'` (0/1 outcomes; rows reweighted to a 50/50 split) or `'outcome'` (transformed-outcome regression, any outcome). Default `'class'` for 0/1 outcomes. */
  readonly variant?: 'class' | 'outcome';
  /** Seed of the DR cross-fitting folds. Default 0. */
  readonly seed?: number;
}

const ArmModelSchema = z
  .object({
    arm: z.string(),
    /** Fitted models by role ('outcome', 'treated', 'control', 'effect', 'effectTreated', 'effectControl', 'propensity'). */
    models: z.record(z.string(), z.unknown()),
    /** Treated share used (constant propensity). */
    propensity: z.number(),
  })
  .readonly();

export const UpliftModelSchema = z
  .object({
    kind: z.enum(['s_learner', 't_learner', 'x_learner', 'dr_learner', 'class_transformation']),
    control: z.string(),
    arms: z.array(ArmModelSchema),
    features: z.number(),
    learner: z.string(),
    effectLearner: z.string(),
    /** Specs of built-in learners, so the model predicts after a JSON round trip; null for a user's own learner. */
    learnerSpec: z.unknown().nullable(),
    effectLearnerSpec: z.unknown().nullable(),
    propensity: z.union([z.enum(['constant', 'logistic']), z.number()]),
    variant: z.enum(['class', 'outcome']).nullable(),
    interactions: z.boolean(),
  })
  .readonly();
export type UpliftModel = z.infer<typeof UpliftModelSchema>;

interface Fitted {
  readonly learner: Learner;
  readonly effectLearner: Learner;
  readonly clip: number;
}

function isBinary(y: Float64Array): boolean {
  for (let i = 0; i < y.length; i++) if (y[i] !== 0 && y[i] !== 1) return false;
  return true;
}

/** Treatment labels → per-row arm index (−1 control) and the treated arms' names. */
function arms(treatment: ArrayLike<number | string>, n: number, control: number | string) {
  if (treatment.length !== n) throw new InputError('length_mismatch', 'treatment', `treatment has ${treatment.length} values but X has ${n} rows`);
  const names: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(n);
  let controls = 0;
  // Numeric labels are looked up by value: no string per row; small whole
  // numbers (the usual 0/1 or arm codes) in a table, at code + 2 (0: not seen).
  const byNumber = new Map<number, number>();
  const small = new Int32Array(256);
  const controlLabel = String(control);
  for (let i = 0; i < n; i++) {
    const value = treatment[i];
    if (typeof value === 'number') {
      const isSmall = value >= 0 && value < 256 && Math.floor(value) === value;
      const tabled = isSmall ? (small[value] as number) : 0;
      if (tabled !== 0) {
        codes[i] = tabled - 2;
        if (tabled === 1) controls++;
        continue;
      }
      const known = byNumber.get(value);
      if (known !== undefined) {
        codes[i] = known;
        if (known === -1) controls++;
        continue;
      }
    }
    if (value === undefined || value === null || (typeof value === 'number' && !Number.isFinite(value))) {
      throw new InputError('not_finite', 'treatment', `treatment is missing at row ${i}`, i);
    }
    const label = String(value);
    if (typeof value === 'number') {
      const code = label === controlLabel ? -1 : (index.get(label) ?? names.length);
      if (code === names.length) {
        index.set(label, code);
        names.push(label);
      }
      byNumber.set(value, code);
      if (value >= 0 && value < 256 && Math.floor(value) === value) small[value] = code + 2;
      codes[i] = code;
      if (code === -1) controls++;
      continue;
    }
    if (label === String(control)) {
      codes[i] = -1;
      controls++;
      continue;
    }
    let code = index.get(label);
    if (code === undefined) {
      code = names.length;
      index.set(label, code);
      names.push(label);
    }
    codes[i] = code;
  }
  if (controls === 0) throw new InputError('single_class', 'treatment', `no row has the control label ${JSON.stringify(control)}`);
  if (names.length === 0) throw new InputError('single_class', 'treatment', 'every row is control: uplift needs treated rows');
  return { codes, names };
}

/** Rows of one treated arm (code) and of control (−1), in order. */
function armRows(codes: Int32Array, code: number): Int32Array {
  let count = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] === code || codes[i] === -1) count++;
  const rows = new Int32Array(count);
  for (let i = 0, k = 0; i < codes.length; i++) if (codes[i] === code || codes[i] === -1) rows[k++] = i;
  return rows;
}

/** The rows with t = 1 and those with t = 0, each in order. */
function splitRows(t: Float64Array): { treated: Int32Array; control: Int32Array } {
  let treatedCount = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === 1) treatedCount++;
  const treated = new Int32Array(treatedCount);
  const control = new Int32Array(t.length - treatedCount);
  for (let i = 0, a = 0, b = 0; i < t.length; i++) {
    if (t[i] === 1) treated[a++] = i;
    else control[b++] = i;
  }
  return { treated, control };
}

/** [X, t, t·X] for the S-learner. */
function withTreatment(X: DenseMatrix, t: Float64Array | number, interactions: boolean): DenseMatrix {
  const p = X.cols;
  const cols = interactions ? 2 * p + 1 : p + 1;
  const data = new Float64Array(X.rows * cols);
  for (let i = 0; i < X.rows; i++) {
    const ti = typeof t === 'number' ? t : (t[i] as number);
    const base = i * cols;
    for (let j = 0; j < p; j++) data[base + j] = X.data[i * p + j] as number;
    data[base + p] = ti;
    if (interactions) for (let j = 0; j < p; j++) data[base + p + 1 + j] = ti * (X.data[i * p + j] as number);
  }
  return { data, rows: X.rows, cols };
}

function clipped(value: number, clip: number): number {
  return Math.min(1 - clip, Math.max(clip, value));
}

/** Fits one treated arm against control on the rows of the two. */
function fitArm(kind: MetaLearnerKind, X: DenseMatrix, y: Float64Array, t: Float64Array, fitted: Fitted, options: MetaLearnerOptions, variant: 'class' | 'outcome' | null) {
  const { learner, effectLearner, clip } = fitted;
  const { treated: treatedRows, control: controlRows } = splitRows(t);
  const share = treatedRows.length / t.length;
  const constant = typeof options.propensity === 'number' ? options.propensity : share;
  if (!(constant > 0 && constant < 1)) throw new InputError('out_of_range', 'propensity', `propensity must be in (0, 1), got ${constant}`);
  const propensityModel = options.propensity === 'logistic' ? logisticLearner({ l2: 1 }) : undefined;
  const propensityOf = (model: unknown, rows: DenseMatrix): Float64Array =>
    propensityModel === undefined ? new Float64Array(rows.rows).fill(clipped(constant, clip)) : propensityModel.predict(model as never, rows).map((e) => clipped(e, clip));
  const models: Record<string, unknown> = {};
  const propensity = propensityModel === undefined ? undefined : propensityModel.fit(X, t);
  if (propensity !== undefined) models.propensity = propensity;
  switch (kind) {
    case 's_learner':
      models.outcome = learner.fit(withTreatment(X, t, options.interactions ?? true), y);
      break;
    // Every row is treated or control: copying them checks X (see fitMeta).
    case 't_learner':
      models.treated = learner.fit(takeFiniteRows(X, treatedRows), takeValues(y, treatedRows));
      models.control = learner.fit(takeFiniteRows(X, controlRows), takeValues(y, controlRows));
      break;
    case 'x_learner': {
      const treatedX = takeFiniteRows(X, treatedRows);
      const controlX = takeFiniteRows(X, controlRows);
      const mu1 = learner.fit(treatedX, takeValues(y, treatedRows));
      const mu0 = learner.fit(controlX, takeValues(y, controlRows));
      models.treated = mu1;
      models.control = mu0;
      const mu0OnTreated = learner.predict(mu0, treatedX);
      const mu1OnControl = learner.predict(mu1, controlX);
      const imputedTreated = takeValues(y, treatedRows).map((v, k) => v - (mu0OnTreated[k] as number));
      const imputedControl = takeValues(y, controlRows).map((v, k) => (mu1OnControl[k] as number) - v);
      models.effectTreated = effectLearner.fit(treatedX, imputedTreated);
      models.effectControl = effectLearner.fit(controlX, imputedControl);
      break;
    }
    case 'dr_learner': {
      // Cross-fitting: nuisance models never score the rows they were fitted on.
      const pseudo = new Float64Array(X.rows);
      for (const { train, test } of kFold(X.rows, options.folds ?? 5, { seed: options.seed ?? 0, stratify: t })) {
        const trainX = takeRows(X, train);
        const trainT = takeValues(t, train);
        const trainY = takeValues(y, train);
        const { treated: trainTreated, control: trainControl } = splitRows(trainT);
        const mu1 = learner.fit(takeRows(trainX, trainTreated), takeValues(trainY, trainTreated));
        const mu0 = learner.fit(takeRows(trainX, trainControl), takeValues(trainY, trainControl));
        const testX = takeRows(X, test);
        const e = propensityOf(propensityModel === undefined ? undefined : propensityModel.fit(trainX, trainT), testX);
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
      models.effect = effectLearner.fit(X, pseudo);
      break;
    }
    case 'class_transformation': {
      const e = propensityOf(propensity, X);
      if (variant === 'class') {
        // z = 1 for treated responders and control non-responders; reweighting each
        // group to half the rows makes 2·P(z = 1 | x) − 1 the uplift.
        const z = y.map((v, i) => (t[i] === 1 ? v : 1 - v));
        const weights = t.map((v, i) => (v === 1 ? 0.5 / (e[i] as number) : 0.5 / (1 - (e[i] as number))));
        models.outcome = learner.fit(X, z, weights);
      } else {
        const transformed = y.map((v, i) => (v * ((t[i] as number) - (e[i] as number))) / ((e[i] as number) * (1 - (e[i] as number))));
        models.effect = effectLearner.fit(X, transformed);
      }
      break;
    }
  }
  return { models, propensity: constant };
}

function fitMeta(kind: MetaLearnerKind, X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string>, options: MetaLearnerOptions): UpliftModel {
  // The T- and X-learners copy every row into a treated or a control matrix before
  // anything reads X, and the copies check the values: X needs no pass of its own.
  const copiesEveryRow = (kind === 't_learner' || kind === 'x_learner') && options.propensity !== 'logistic';
  const matrix = toDenseMatrix(X, 'X', { deferFiniteCheck: copiesEveryRow });
  const outcome = finiteVector('y', y);
  sameLength('y', outcome, matrix.rows, 'X');
  const control = options.control ?? 0;
  const { codes, names } = arms(treatment, matrix.rows, control);
  const binary = isBinary(outcome);
  const learner = options.learner ?? (binary ? logisticLearner({ l2: 1 }) : linearLearner({ l2: 1 }));
  const effectLearner = options.effectLearner ?? linearLearner({ l2: 1 });
  const clip = options.clip ?? 0.01;
  if (!(clip >= 0 && clip < 0.5)) throw new InputError('invalid_option', 'clip', `clip must be in [0, 0.5), got ${clip}`);
  let variant: 'class' | 'outcome' | null = null;
  if (kind === 'class_transformation') {
    variant = options.variant ?? (binary ? 'class' : 'outcome');
    if (variant === 'class' && !binary) throw new InputError('not_binary', 'y', "the 'class' variant needs a 0/1 outcome; use variant 'outcome' for a continuous one");
  }
  const armModels = names.map((arm, code) => {
    const rows = armRows(codes, code);
    const t = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) t[k] = codes[rows[k] as number] === code ? 1 : 0;
    // With one treated arm every row is in it or control: no copy of X.
    const all = rows.length === matrix.rows;
    const fitted = fitArm(kind, all ? matrix : takeFiniteRows(matrix, rows), all ? outcome : takeValues(outcome, rows), t, { learner, effectLearner, clip }, options, variant);
    return { arm, ...fitted };
  });
  return {
    kind,
    control: String(control),
    arms: armModels,
    features: matrix.cols,
    learner: learner.name,
    effectLearner: effectLearner.name,
    learnerSpec: learner.spec ?? null,
    effectLearnerSpec: effectLearner.spec ?? null,
    propensity: options.propensity ?? 'constant',
    variant,
    interactions: options.interactions ?? true,
  };
}

/**
 * S-learner: one outcome model on [X, t, t·X]; the uplift is its prediction
 * with t = 1 minus with t = 0. Interactions let a linear or logistic model
 * express effects that vary with x. Multi-arm: one model per treated arm
 * against control.
 *
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `single_class`, `invalid_option`, and the learner's errors
 */
export function fitSLearner(X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string>, options: MetaLearnerOptions = {}): UpliftModel {
  return fitMeta('s_learner', X, y, treatment, options);
}

/**
 * T-learner (two models): μ₁ on treated rows, μ₀ on control rows; uplift =
 * μ₁(x) − μ₀(x). scikit-uplift `TwoModels(method='vanilla')`.
 *
 * @throws InputError as {@link fitSLearner}
 */
export function fitTLearner(X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string>, options: MetaLearnerOptions = {}): UpliftModel {
  return fitMeta('t_learner', X, y, treatment, options);
}

/**
 * X-learner (Künzel et al. 2019): T-learner models, then effect models fitted
 * to imputed effects (y − μ₀(x) on treated rows, μ₁(x) − y on control rows),
 * combined as τ(x) = e(x)·τ₀(x) + (1 − e(x))·τ₁(x) with the propensity e.
 *
 * @throws InputError as {@link fitSLearner}
 */
export function fitXLearner(X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string>, options: MetaLearnerOptions = {}): UpliftModel {
  return fitMeta('x_learner', X, y, treatment, options);
}

/**
 * DR-learner (Kennedy 2020): doubly robust pseudo-outcomes
 * μ₁ − μ₀ + t(y − μ₁)/e − (1 − t)(y − μ₀)/(1 − e) from nuisance models
 * cross-fitted over `folds` (each row scored by models that never saw it),
 * then one effect model regressed on them.
 *
 * @throws InputError as {@link fitSLearner}
 */
export function fitDrLearner(X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string>, options: MetaLearnerOptions = {}): UpliftModel {
  return fitMeta('dr_learner', X, y, treatment, options);
}

/**
 * Class transformation (Jaskowski & Jaroszewicz 2012) for 0/1 outcomes: a
 * classifier of z = [treated responder or control non-responder], rows
 * reweighted so treated and control weigh half each, and uplift =
 * 2·P(z = 1 | x) − 1. Variant `'outcome'`: the transformed outcome
 * y·(t − e)/(e(1 − e)) regressed on X, for any outcome and propensity.
 *
 * @throws InputError as {@link fitSLearner}; `not_binary` for the class variant on a continuous outcome
 */
export function fitClassTransformation(X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string>, options: MetaLearnerOptions = {}): UpliftModel {
  return fitMeta('class_transformation', X, y, treatment, options);
}

function resolve(spec: unknown, given: Learner | undefined, role: string): Learner {
  if (given !== undefined) return given;
  if (spec === null || spec === undefined) {
    throw new InputError('invalid_option', role, `the model was fitted with a custom ${role}; pass it to predict`);
  }
  return learnerFromSpec(spec as LearnerSpec);
}

/** Uplift per row for each treated arm, and the best arm per row. */
export interface ArmUplift {
  readonly arms: readonly string[];
  /** One Float64Array per arm: predicted uplift against control. */
  readonly uplift: readonly Float64Array[];
  /** Index into `arms` of the arm with the largest predicted uplift, or −1 when none beats control. */
  readonly bestArm: Int32Array;
}

/**
 * Predicted uplift of every treated arm against control, and the best arm
 * per row. Built-in learners are rebuilt from the model (so a model loaded
 * from JSON predicts); a custom learner must be passed again.
 *
 * @throws InputError as `toDenseMatrix`; `length_mismatch` (wrong column count); `invalid_option` (a custom learner not passed)
 */
export function predictUpliftByArm(model: UpliftModel, X: MatrixInput, learners: { readonly learner?: Learner; readonly effectLearner?: Learner } = {}): ArmUplift {
  const uplift = armUplifts(model, X, learners);
  return { arms: model.arms.map((a) => a.arm), uplift, bestArm: bestArms(uplift, (uplift[0] as Float64Array).length) };
}

function armUplifts(model: UpliftModel, X: MatrixInput, learners: { readonly learner?: Learner; readonly effectLearner?: Learner }): Float64Array[] {
  const needsOutcome = model.kind !== 'dr_learner' && !(model.kind === 'class_transformation' && model.variant === 'outcome');
  const needsEffect = model.kind === 'x_learner' || model.kind === 'dr_learner' || (model.kind === 'class_transformation' && model.variant === 'outcome');
  // The built-in learners check X through their predictions (a non-finite value makes its
  // row's linear predictor non-finite); a caller's own learner gets X checked up front.
  const builtIn = (!needsOutcome || learners.learner === undefined) && (!needsEffect || learners.effectLearner === undefined);
  const matrix = toDenseMatrix(X, 'X', { deferFiniteCheck: builtIn });
  if (matrix.cols !== model.features) throw new InputError('length_mismatch', 'X', `X has ${matrix.cols} columns, the model was fitted on ${model.features}`);
  const learner = needsOutcome ? resolve(model.learnerSpec, learners.learner, 'learner') : undefined;
  const effectLearner = needsEffect ? resolve(model.effectLearnerSpec, learners.effectLearner, 'effectLearner') : undefined;
  const propensityLearner = logisticLearner({ l2: 1 });
  const uplift = model.arms.map(({ models, propensity }) => {
    const m = models as Record<string, never>;
    switch (model.kind) {
      case 's_learner': {
        const treated = (learner as Learner).predict(m.outcome, withTreatment(matrix, 1, model.interactions));
        const control = (learner as Learner).predict(m.outcome, withTreatment(matrix, 0, model.interactions));
        return treated.map((v, i) => v - (control[i] as number));
      }
      case 't_learner': {
        const [treated, control] = predictEach(learner as Learner, [m.treated, m.control], matrix) as [Float64Array, Float64Array];
        for (let i = 0; i < treated.length; i++) treated[i] = (treated[i] as number) - (control[i] as number);
        return treated;
      }
      case 'x_learner': {
        const [tau1, tau0] = predictEach(effectLearner as Learner, [m.effectTreated, m.effectControl], matrix) as [Float64Array, Float64Array];
        const e = m.propensity === undefined ? undefined : propensityLearner.predict(m.propensity, matrix);
        return tau1.map((v, i) => {
          const g = e === undefined ? propensity : (e[i] as number);
          return g * (tau0[i] as number) + (1 - g) * v;
        });
      }
      case 'dr_learner':
        return (effectLearner as Learner).predict(m.effect, matrix);
      case 'class_transformation':
        return model.variant === 'class' ? (learner as Learner).predict(m.outcome, matrix).map((v) => 2 * v - 1) : (effectLearner as Learner).predict(m.effect, matrix);
    }
  });
  return uplift;
}

/**
 * Predicted uplift of one treated arm (the only one by default) against control.
 *
 * @throws InputError as {@link predictUpliftByArm}; `invalid_option` when a multi-arm model is asked without `arm`
 */
export function predictUplift(model: UpliftModel, X: MatrixInput, options: { readonly arm?: string; readonly learner?: Learner; readonly effectLearner?: Learner } = {}): Float64Array {
  const armName = options.arm ?? (model.arms.length === 1 ? model.arms[0]?.arm : undefined);
  if (armName === undefined) throw new InputError('invalid_option', 'arm', `the model has arms ${model.arms.map((a) => a.arm).join(', ')}; name one, or use predictUpliftByArm`);
  const index = model.arms.findIndex((a) => a.arm === armName);
  if (index < 0) throw new InputError('invalid_option', 'arm', `no arm '${armName}'; arms are ${model.arms.map((a) => a.arm).join(', ')}`);
  return armUplifts(model, X, options)[index] as Float64Array;
}

/** Per row, the index of the arm with the largest positive uplift, or −1 when none beats control. @internal */
export function bestArms(uplift: readonly Float64Array[], rows: number): Int32Array {
  const best = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let arm = -1;
    let value = 0;
    for (let a = 0; a < uplift.length; a++) {
      const candidate = (uplift[a] as Float64Array)[i] as number;
      if (candidate > value) {
        value = candidate;
        arm = a;
      }
    }
    best[i] = arm;
  }
  return best;
}
