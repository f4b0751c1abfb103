import type { Assignment } from '../../data/assignment.js';
import { InputError } from '../../errors.js';
import { type MatrixInput, takeFiniteRows, takeValues, toDenseMatrix } from '../../linalg/denseMatrix.js';
import { checkOptions, finiteVector, rules, sameLength } from '../../internal/validate.js';
import { linearLearner, logisticLearner } from '../../models/learner.js';
import { isBinary } from '../inputs.js';
import type { UpliftModel } from '../schema.js';
import { type ArmContext, type MetaLearner, type MetaLearnerOptions, learnerRule, sharedFitsOf } from './common.js';

const META_LEARNER_OPTIONS = {
  learner: learnerRule,
  effectLearner: learnerRule,
  control: rules.either(rules.number(), rules.string(true)),
  propensity: rules.either(rules.oneOf(['constant', 'logistic']), rules.fraction()),
  clip: rules.number({ min: 0, max: 0.5, maxExclusive: true }),
  interactions: rules.boolean(),
  folds: rules.integer({ min: 2 }),
  variant: rules.oneOf(['class', 'outcome']),
  seed: rules.integer(),
} as const;

/**
 * Treatment labels → per-row arm code (−1 control, else the index of the
 * arm's name in order of first appearance). Numeric labels are looked up by
 * value: no string per row; small whole numbers (the usual 0/1 or arm codes)
 * in a table, at code + 2 (0: not seen). @internal
 */
export function codeArms(treatment: ArrayLike<number | string>, n: number, control: number | string): { codes: Int32Array; names: string[] } {
  if (treatment === null || typeof treatment !== 'object' || typeof treatment.length !== 'number') {
    throw new InputError('wrong_type', 'treatment', 'treatment must be an array of arm labels (numbers or strings)');
  }
  if (treatment.length !== n) throw new InputError('length_mismatch', 'treatment', `treatment has ${treatment.length} values but X has ${n} rows`);
  const names: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(n);
  let controls = 0;
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
    if (typeof value !== 'number' && typeof value !== 'string') {
      throw new InputError('wrong_type', 'treatment', `treatment labels must be numbers or strings, got ${typeof value} at row ${i}`, i);
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
    if (label === controlLabel) {
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

/** True for a data `Assignment` (arms coded once by `codeAssignment`) rather than a vector of labels. @internal */
export function isAssignment(treatment: unknown): treatment is Assignment {
  return treatment !== null && typeof treatment === 'object' && (treatment as Assignment).codes instanceof Int32Array && Array.isArray((treatment as Assignment).arms) && typeof (treatment as Assignment).control === 'string';
}

/**
 * The arms of an `Assignment`, checked against X: its codes as they are
 * (−1 control, 0… the arms, −2 rows left out, which no arm fits on). @internal
 */
function assignmentArms(assignment: Assignment, n: number): { codes: Int32Array; names: string[] } {
  const { codes, arms } = assignment;
  if (codes.length !== n) throw new InputError('length_mismatch', 'treatment', `the assignment has ${codes.length} rows but X has ${n}`);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const code = codes[i] as number;
    if (code < -2 || code >= arms.length) throw new InputError('out_of_range', 'treatment', `the assignment's code ${code} at row ${i} names no arm (${arms.length} arms)`, i);
    if (code === -1) controls++;
  }
  if (controls === 0) throw new InputError('single_class', 'treatment', `no row is in the control arm ${JSON.stringify(assignment.control)}`);
  if (arms.length === 0) throw new InputError('single_class', 'treatment', 'the assignment has no treated arm');
  return { codes, names: [...arms] };
}

/** Rows of one treated arm (code) and of control (−1), in order. */
function armRows(codes: Int32Array, code: number): Int32Array {
  let count = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] === code || codes[i] === -1) count++;
  const rows = new Int32Array(count);
  for (let i = 0, k = 0; i < codes.length; i++) if (codes[i] === code || codes[i] === -1) rows[k++] = i;
  return rows;
}

/**
 * Fits a meta-learner: each treated arm against control on the rows of the
 * two (with one treated arm, every row, no copy), the arms sharing what
 * `once` computes. @internal
 */
export function fitArms(meta: MetaLearner, X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string> | Assignment, options: MetaLearnerOptions): UpliftModel {
  const given = checkOptions(options, META_LEARNER_OPTIONS);
  // The T- and X-learners copy every row into a treated or a control matrix before
  // anything reads X, and the copies check the values: X needs no pass of its own.
  const copiesEveryRow = (meta.kind === 't' || meta.kind === 'x') && given.propensity !== 'logistic';
  const matrix = toDenseMatrix(X, 'X', { deferFiniteCheck: copiesEveryRow });
  const outcome = finiteVector('y', y);
  sameLength('y', outcome, matrix.rows, 'X');
  let control = given.control ?? 0;
  let coded: { codes: Int32Array; names: string[] };
  if (isAssignment(treatment)) {
    if (given.control !== undefined && String(given.control) !== treatment.control) {
      throw new InputError('invalid_option', 'control', `control ${JSON.stringify(given.control)} differs from the assignment's control ${JSON.stringify(treatment.control)}`);
    }
    control = treatment.control;
    coded = assignmentArms(treatment, matrix.rows);
  } else coded = codeArms(treatment, matrix.rows, control);
  const { codes, names } = coded;
  const binary = isBinary(outcome);
  const learner = given.learner ?? (binary ? logisticLearner({ l2: 1 }) : linearLearner({ l2: 1 }));
  const effectLearner = given.effectLearner ?? linearLearner({ l2: 1 });
  const clip = given.clip ?? 0.01;
  if (!(clip >= 0 && clip < 0.5)) throw new InputError('invalid_option', 'clip', `clip must be in [0, 0.5), got ${clip}`);
  let variant: 'class' | 'outcome' | null = null;
  if (meta.kind === 'class_transformation') {
    variant = given.variant ?? (binary ? 'class' : 'outcome');
    if (variant === 'class' && !binary) throw new InputError('not_binary', 'y', "the 'class' variant needs a 0/1 outcome; use variant 'outcome' for a continuous one");
  }
  const memo = new Map<string, unknown>();
  // Fits shared with other meta-learners on the same inputs (see sharingFits): only a built-in
  // learner's, whose spec says it fits the same model.
  const shared = learner.spec === undefined ? null : sharedFitsOf(X, y, treatment);
  const learnerKey = JSON.stringify(learner.spec);
  let armCode = 0;
  const context: ArmContext = {
    learner,
    effectLearner,
    clip,
    options: given,
    variant,
    once: <V>(key: string, compute: () => V): V => {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as V;
    },
    sharedFit: <V>(role: 'treated' | 'control', compute: () => V): V => {
      if (shared === null) return compute();
      // Control rows are the same for every arm; treated rows are the arm's.
      const key = `${role === 'control' ? 'control' : `treated ${armCode}`} ${learnerKey}`;
      if (!shared.has(key)) shared.set(key, compute());
      return shared.get(key) as V;
    },
  };
  const arms = names.map((arm, code) => {
    armCode = code;
    const rows = armRows(codes, code);
    const t = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) t[k] = codes[rows[k] as number] === code ? 1 : 0;
    const all = rows.length === matrix.rows;
    const fitted = meta.fitArm(context, all ? matrix : takeFiniteRows(matrix, rows), all ? outcome : takeValues(outcome, rows), t);
    return { arm, models: fitted.models, propensity: fitted.propensity };
  });
  return {
    kind: meta.kind,
    control: String(control),
    arms,
    features: matrix.cols,
    learner: learner.name,
    effectLearner: effectLearner.name,
    learnerSpec: learner.spec ?? null,
    effectLearnerSpec: effectLearner.spec ?? null,
    propensity: given.propensity ?? 'constant',
    variant,
    interactions: given.interactions ?? true,
  } as UpliftModel;
}
