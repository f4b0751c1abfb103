import { describe, expect, it } from 'vitest';
import { type Learner, linearLearner, logisticLearner } from 'promolens/models';
import * as u from 'promolens/uplift';
import { generate } from '../../bench/gen.js';
import { inputErrorOf } from '../helpers.js';

const data = generate(4000);
const n = data.n;
const p = 4;
const X = new Float64Array(n * p);
for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) X[i * p + j] = data.X[i * 20 + j] as number;
const matrix = { data: X, rows: n, cols: p };
const { t, y } = data.vectors;
const threeArms = Array.from(t, (v, i) => (v === 0 ? 'none' : i % 2 === 0 ? 'a' : 'b'));

const fits: [string, (o?: u.MetaLearnerOptions) => u.UpliftModel][] = [
  ['t', (o) => u.fitTLearner(matrix, y, t, o)],
  ['s', (o) => u.fitSLearner(matrix, y, t, o)],
  ['x', (o) => u.fitXLearner(matrix, y, t, o)],
  ['dr', (o) => u.fitDrLearner(matrix, y, t, { folds: 3, ...o })],
  ['class_transformation', (o) => u.fitClassTransformation(matrix, y, t, o)],
];

describe('one module per learner, one model schema per learner', () => {
  it('each learner names its model by the one scheme, and fitMetaLearner fits it by that name', () => {
    expect([...u.META_LEARNERS].sort()).toEqual(fits.map(([kind]) => kind).sort());
    for (const [kind, fit] of fits) {
      const model = fit();
      expect(model.kind).toBe(kind);
      const byName = u.fitMetaLearner(kind as u.MetaLearnerKind, matrix, y, t, kind === 'dr' ? { folds: 3 } : {});
      expect(Array.from(u.predictUplift(byName, matrix))).toEqual(Array.from(u.predictUplift(model, matrix)));
    }
    expect(inputErrorOf(() => u.fitMetaLearner('tree' as never, matrix, y, t))).toMatchObject({ reason: 'invalid_option', field: 'kind' });
  });

  it('a tampered model is an InputError naming the field, never a garbage prediction', () => {
    for (const [kind, fit] of fits) {
      const model = JSON.parse(JSON.stringify(fit()));
      const role = Object.keys(model.arms[0].models).find((r) => r !== 'propensity' && r !== 'treated' && r !== 'control') ?? 'treated';
      const tamper = (change: (m: any) => void) => {
        const copy = JSON.parse(JSON.stringify(model));
        change(copy);
        return inputErrorOf(() => u.predictUplift(copy, matrix));
      };
      expect(tamper((m) => (m.arms[0].models[role].intercept = '1')), kind).toMatchObject({ reason: 'incompatible', field: `model.arms.0.models.${role}` });
      expect(tamper((m) => m.arms[0].models[role].coefficients.pop()), kind).toMatchObject({ reason: 'incompatible', field: `model.arms.0.models.${role}` });
      expect(tamper((m) => (m.arms[0].models[role].coefficients[0] = null)), kind).toMatchObject({ reason: 'incompatible' });
      expect(tamper((m) => delete m.arms[0].models[role]), kind).toMatchObject({ reason: 'incompatible', field: `model.arms.0.models.${role}` });
      expect(tamper((m) => (m.features = 'four')), kind).toMatchObject({ reason: 'incompatible', field: 'model.features' });
      expect(tamper((m) => (m.arms = [])), kind).toMatchObject({ reason: 'incompatible', field: 'model.arms' });
      expect(tamper((m) => (m.kind = 'tree')), kind).toMatchObject({ reason: 'incompatible', field: 'model.kind' });
      expect(tamper((m) => (m.arms[0].propensity = 1.5)), kind).toMatchObject({ reason: 'incompatible' });
      expect(() => u.UpliftModelSchema.parse(model)).not.toThrow();
    }
    expect(inputErrorOf(() => u.predictUplift(null as never, matrix))).toMatchObject({ reason: 'wrong_type', field: 'model' });
    expect(inputErrorOf(() => u.predictUpliftByArm(5 as never, matrix))).toMatchObject({ reason: 'wrong_type', field: 'model' });
  });

  it('the T-learner fits the control model once for all arms, and predicts the same as one fit per arm', () => {
    let controlFits = 0;
    let fitsSeen = 0;
    const base = logisticLearner({ l2: 1 });
    const counting: Learner = {
      name: 'counting',
      fit: (a, b, w) => {
        fitsSeen++;
        return base.fit(a, b, w);
      },
      predict: (model, a) => base.predict(model as never, a),
    };
    const model = u.fitTLearner(matrix, y, threeArms, { control: 'none', learner: counting });
    controlFits = fitsSeen - model.arms.length;
    expect(controlFits).toBe(1);
    expect(model.arms[0]?.models.control).toBe(model.arms[1]?.models.control);
    // Each arm on its own (arm + control rows only) gives the same uplift.
    const byArm = u.predictUpliftByArm(model, matrix, { learner: counting });
    for (const [a, arm] of model.arms.entries()) {
      const rows = threeArms.flatMap((label, i) => (label === arm.arm || label === 'none' ? [i] : []));
      const sub = { data: Float64Array.from(rows.flatMap((i) => Array.from(X.subarray(i * p, i * p + p)))), rows: rows.length, cols: p };
      const single = u.fitTLearner(sub, rows.map((i) => y[i] as number), rows.map((i) => (threeArms[i] === 'none' ? 0 : 1)));
      const expected = u.predictUplift(single, matrix);
      const got = byArm.uplift[a] as Float64Array;
      for (let i = 0; i < n; i += 97) expect(got[i]).toBeCloseTo(expected[i] as number, 12);
    }
  });

  it('options are strict: unknown keys and wrong types are invalid_option naming the key', () => {
    expect(inputErrorOf(() => u.fitTLearner(matrix, y, t, { learnr: linearLearner() } as never))).toMatchObject({ reason: 'invalid_option', field: 'learnr' });
    expect(inputErrorOf(() => u.fitDrLearner(matrix, y, t, { folds: '3' } as never))).toMatchObject({ reason: 'invalid_option', field: 'folds' });
    expect(inputErrorOf(() => u.fitSLearner(matrix, y, t, { interactions: 1 } as never))).toMatchObject({ reason: 'invalid_option', field: 'interactions' });
    expect(inputErrorOf(() => u.fitXLearner(matrix, y, t, { learner: {} } as never))).toMatchObject({ reason: 'invalid_option', field: 'learner' });
    expect(inputErrorOf(() => u.fitTLearner(matrix, y, t, null as never))).toMatchObject({ reason: 'invalid_option', field: 'options' });
    const model = u.fitTLearner(matrix, y, t);
    expect(inputErrorOf(() => u.predictUplift(model, matrix, { arms: '1' } as never))).toMatchObject({ reason: 'invalid_option', field: 'arms' });
  });
});

describe('learners take the arms as coded once by codeAssignment', () => {
  it('an Assignment fits the same models as the labels, rows left out fitting no arm', async () => {
    const { codeAssignment, fromColumns } = await import('promolens/data');
    const labels = threeArms.map((label, i) => (i % 101 === 5 ? null : label));
    const assignment = codeAssignment(fromColumns({ arm: labels as string[] }), 'arm', 'none', { missing: 'exclude' });
    const kept = labels.flatMap((label, i) => (label === null ? [] : [i]));
    const sub = { data: Float64Array.from(kept.flatMap((i) => Array.from(X.subarray(i * p, i * p + p)))), rows: kept.length, cols: p };
    const fromLabels = u.fitTLearner(sub, kept.map((i) => y[i] as number), kept.map((i) => labels[i] as string), { control: 'none' });
    const fromAssignment = u.fitTLearner(matrix, y, assignment);
    expect(fromAssignment.arms.map((a) => a.arm)).toEqual(['a', 'b']);
    for (const arm of ['a', 'b']) {
      expect(u.predictUplift(fromAssignment, matrix, { arm })).toEqual(u.predictUplift(fromLabels, matrix, { arm }));
    }
    expect(inputErrorOf(() => u.fitTLearner(matrix, y, assignment, { control: 'a' }))).toMatchObject({ reason: 'invalid_option', field: 'control' });
    expect(inputErrorOf(() => u.fitSLearner({ data: X.subarray(0, 8), rows: 2, cols: p }, [0, 1], assignment))).toMatchObject({ reason: 'length_mismatch', field: 'treatment' });
  });
});
