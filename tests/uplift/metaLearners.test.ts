import { describe, expect, it } from 'vitest';
import { type Learner, linearLearner, logisticLearner } from 'promolens/models';
import * as u from 'promolens/uplift';
import { generate } from '../../bench/gen.js';
import { inputErrorOf } from '../helpers.js';

// Synthetic campaign with a known heterogeneous effect (the bench generator:
// logit effect 0.25 + 0.5·x0 − 0.4·x2 + 0.3·x5, true uplift p1 − p0 per row).
const data = generate(30000);
const n = data.n;
const p = 6; // x0…x5 carry the effect and most of the baseline
const X = new Float64Array(n * p);
for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) X[i * p + j] = data.X[i * 20 + j] as number;
const matrix = { data: X, rows: n, cols: p };
const { t, y, tau_true: truth } = data.vectors;

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < a.length; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= a.length;
  mb /= b.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('meta-learners recover a known heterogeneous effect', () => {
  // Measured correlations with the true uplift on these 30,000 rows: 0.988 (S, T),
  // 0.930 (X, DR), 0.928 (class transformation), 0.932 (transformed outcome).
  const cases: [string, () => u.UpliftModel, number][] = [
    ['S-learner', () => u.fitSLearner(matrix, y, t), 0.85],
    ['T-learner', () => u.fitTLearner(matrix, y, t), 0.85],
    ['X-learner', () => u.fitXLearner(matrix, y, t), 0.85],
    ['DR-learner', () => u.fitDrLearner(matrix, y, t, { folds: 3 }), 0.85],
    ['class transformation', () => u.fitClassTransformation(matrix, y, t), 0.85],
    ['transformed outcome', () => u.fitClassTransformation(matrix, y, t, { variant: 'outcome' }), 0.85],
  ];
  for (const [name, fit, bound] of cases) {
    it(`${name}: correlation with the true uplift above ${bound}, and a JSON round trip predicts the same`, () => {
      const model = fit();
      const uplift = u.predictUplift(model, matrix);
      expect(correlation(uplift, truth)).toBeGreaterThan(bound);
      const loaded = u.UpliftModelSchema.parse(JSON.parse(JSON.stringify(model)));
      expect(u.predictUplift(loaded, matrix)).toEqual(uplift);
      // A held-out Qini well above random.
      expect(u.qiniAuc(y, uplift, t)).toBeGreaterThan(0.1);
    });
  }

  it('handles continuous outcomes (revenue) with linear learners', () => {
    const model = u.fitTLearner(matrix, data.vectors.revenue, t, { learner: linearLearner({ l2: 1 }) });
    const uplift = u.predictUplift(model, matrix);
    expect(correlation(uplift, truth)).toBeGreaterThan(0.5);
  });
});

describe('multi-arm campaigns', () => {
  // Arm "a" helps when x0 > 0, arm "b" when x0 < 0; control "none".
  const rows = 12000;
  const arm: string[] = [];
  const outcome = new Float64Array(rows);
  const features = new Float64Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    const x0 = data.X[i * 20] as number;
    const x1 = data.X[i * 20 + 1] as number;
    features[i * 2] = x0;
    features[i * 2 + 1] = x1;
    const draw = data.vectors.uplift_score[i] as number;
    const which = i % 3 === 0 ? 'none' : i % 3 === 1 ? 'a' : 'b';
    arm.push(which);
    const effect = which === 'a' ? 0.3 * x0 : which === 'b' ? -0.3 * x0 : 0;
    outcome[i] = 1 + 0.5 * x1 + effect + 0.2 * Math.sin(i * 12.9898 + draw);
  }
  const X2 = { data: features, rows, cols: 2 };

  it('fits one model per arm against control and picks the best arm per row', () => {
    const model = u.fitTLearner(X2, outcome, arm, { control: 'none', learner: linearLearner() });
    expect(model.arms.map((a) => a.arm)).toEqual(['a', 'b']);
    const { uplift, bestArm, arms } = u.predictUpliftByArm(model, X2);
    let right = 0;
    for (let i = 0; i < rows; i++) {
      const x0 = features[i * 2] as number;
      const expected = x0 > 0 ? arms.indexOf('a') : arms.indexOf('b');
      if (Math.abs(x0) > 0.2 && bestArm[i] === expected) right++;
      if (Math.abs(x0) > 0.2) expect(Math.sign(uplift[arms.indexOf('a')]?.[i] as number)).toBe(Math.sign(x0));
    }
    expect(right).toBeGreaterThan(0);
    expect(inputErrorOf(() => u.predictUplift(model, X2))).toMatchObject({ reason: 'invalid_option', field: 'arm' });
    expect(u.predictUplift(model, X2, { arm: 'b' })).toEqual(uplift[arms.indexOf('b')]);
    // Numeric labels (small whole numbers, large and fractional ones) name the same arms as their strings.
    for (const [none, a, b] of [[0, 1, 2], [7, 300, 2.5], [-1, 0, 255]] as const) {
      const numeric = arm.map((v) => (v === 'none' ? none : v === 'a' ? a : b));
      const again = u.fitTLearner(X2, outcome, numeric, { control: none, learner: linearLearner() });
      expect(again.arms.map((x) => x.arm)).toEqual([String(a), String(b)]);
      expect(u.predictUplift(again, X2, { arm: String(b) })).toEqual(uplift[arms.indexOf('b')]);
    }
  });

  it('rejects a missing control label and a custom learner not passed back', () => {
    expect(inputErrorOf(() => u.fitTLearner(X2, outcome, arm, { control: 'nobody', learner: linearLearner() }))).toMatchObject({ reason: 'single_class' });
    const builtIn = logisticLearner({ l2: 1 });
    const custom: Learner = { name: 'mine', fit: (a, b, w) => builtIn.fit(a, b, w), predict: (model, a) => builtIn.predict(model as never, a) };
    const model = u.fitTLearner(matrix, y, t, { learner: custom });
    expect(inputErrorOf(() => u.predictUplift(model, matrix))).toMatchObject({ reason: 'invalid_option', field: 'learner' });
    expect(u.predictUplift(model, matrix, { learner: custom }).length).toBe(n);
  });

  it('names the row of a non-finite feature at prediction, checked through the predictions or up front', () => {
    const bad = Float64Array.from(X);
    bad[1234 * p + 5] = Number.POSITIVE_INFINITY;
    const badMatrix = { data: bad, rows: n, cols: p };
    const nan = Float64Array.from(X);
    nan[77 * p] = Number.NaN;
    const fits = [u.fitTLearner(matrix, y, t), u.fitSLearner(matrix, y, t), u.fitXLearner(matrix, y, t), u.fitClassTransformation(matrix, y, t)];
    for (const model of fits) {
      expect(inputErrorOf(() => u.predictUplift(model, badMatrix)), model.kind).toMatchObject({ reason: 'not_finite', field: 'X', row: 1234 });
      expect(inputErrorOf(() => u.predictUplift(model, { data: nan, rows: n, cols: p })), model.kind).toMatchObject({ reason: 'not_finite', row: 77 });
    }
    // At fit time the T- and X-learners check X as they copy its rows into the two arms.
    for (const fit of [u.fitTLearner, u.fitXLearner, u.fitSLearner, u.fitDrLearner]) {
      expect(inputErrorOf(() => fit(badMatrix, y, t)), fit.name).toMatchObject({ reason: 'not_finite', field: 'X', row: 1234 });
      expect(inputErrorOf(() => fit({ data: nan, rows: n, cols: p }, y, t)), fit.name).toMatchObject({ reason: 'not_finite', row: 77 });
    }
    const threeArms = Array.from(t, (v, i) => (v === 0 ? 'none' : i % 2 === 0 ? 'a' : 'b'));
    expect(inputErrorOf(() => u.fitTLearner(badMatrix, y, threeArms, { control: 'none' }))).toMatchObject({ reason: 'not_finite', row: 1234 });
    // A caller's own learner sees only checked rows.
    const builtIn = logisticLearner({ l2: 1 });
    let seen = 0;
    const custom: Learner = { name: 'mine', fit: (a, b, w) => builtIn.fit(a, b, w), predict: (model, a) => ((seen += a.rows), builtIn.predict(model as never, a)) };
    const model = u.fitTLearner(matrix, y, t, { learner: custom });
    seen = 0;
    expect(inputErrorOf(() => u.predictUplift(model, badMatrix, { learner: custom }))).toMatchObject({ reason: 'not_finite', row: 1234 });
    expect(seen).toBe(0);
  });
});
