import { inputErrorOf } from '../helpers.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crossValidate, type InputError } from 'promolens';
import { logLoss } from 'promolens/metrics';
import { GradientBoostingModelSchema, fitGradientBoosting, gradientBoostingLearner, predictGradientBoosting } from 'promolens/trees';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/trees/gbm.json', import.meta.url), 'utf8'));
const withNaN = (rows: (number | null)[][]) => rows.map((row) => row.map((v) => (v === null ? Number.NaN : v)));
const Xtrain = withNaN(fixture.X_train);
const Xtest = withNaN(fixture.X_test);

function thrown(f: () => unknown): InputError {
  try {
    f();
  } catch (error) {
    return error as InputError;
  }
  throw new Error('expected a throw');
}

describe('fitGradientBoosting', () => {
  it('first tree: leaf values are the Newton step -G/(H + l2) worked by hand', () => {
    // y = 0,0,1,1 at x = 0..3: baseline log-odds 0, p = 0.5, g = p - y = ±0.5, h = 0.25.
    // Split at 1.5: left G = 1, H = 0.5 -> -2; right G = -1, H = 0.5 -> +2.
    const model = fitGradientBoosting([[0], [1], [2], [3]], [0, 0, 1, 1], { maxIterations: 1, learningRate: 1, minSamplesLeaf: 1, maxLeaves: 2 });
    const tree = model.trees[0]!;
    expect(model.baseline).toBe(0);
    expect(tree.threshold[0]).toBe(1.5);
    expect(tree.values[tree.left[0]!]).toBeCloseTo(-2, 12);
    expect(tree.values[tree.right[0]!]).toBeCloseTo(2, 12);
    // Gain: 1²/0.5 + 1²/0.5 - 0 = 4.
    expect(tree.gain[0]).toBeCloseTo(4, 12);
    // With l2 = 1: -1/1.5 and +1/1.5.
    const penalised = fitGradientBoosting([[0], [1], [2], [3]], [0, 0, 1, 1], { maxIterations: 1, learningRate: 1, minSamplesLeaf: 1, maxLeaves: 2, l2: 1 }).trees[0]!;
    expect(penalised.values[penalised.left[0]!]).toBeCloseTo(-1 / 1.5, 12);
  });

  it('first tree with weights: baseline and leaf values by hand', () => {
    // w = 1,2,1,1: weighted mean 2/5, baseline log(0.4/0.6); g = w(0.4 - y) = 0.4, 0.8, -0.6, -0.6;
    // h = 0.24w. Left (x <= 1.5): G = 1.2, H = 0.72 -> -1.2/0.72; right: G = -1.2, H = 0.48 -> 2.5.
    const model = fitGradientBoosting([[0], [1], [2], [3]], [0, 0, 1, 1], { maxIterations: 1, learningRate: 1, minSamplesLeaf: 1, maxLeaves: 2, sampleWeight: [1, 2, 1, 1] });
    const tree = model.trees[0]!;
    expect(model.baseline).toBeCloseTo(Math.log(0.4 / 0.6), 14);
    expect(tree.values[tree.left[0]!]).toBeCloseTo(-1.2 / 0.72, 12);
    expect(tree.values[tree.right[0]!]).toBeCloseTo(2.5, 12);
  });

  // The fixture's cases use scikit-learn's bin grid (midpoints, or 'midpoint' percentiles), gain and
  // leaf values exactly as here; scikit-learn keeps gradients and hessians in float32, we in float64,
  // so predictions differ by ~1e-9. Tolerance 1e-7 on every prediction: a changed split would move
  // some by 1e-3 or more (the weighted case stops at 20 rounds, where a near-tie starts to differ).
  for (const name of ['classifier', 'classifier_weighted', 'classifier_depth', 'regressor'] as const) {
    it(`agrees with scikit-learn HistGradientBoosting on the held-out rows: ${name}`, () => {
      const { settings, proba, prediction } = fixture.cases[name];
      const regression = name === 'regressor';
      const model = fitGradientBoosting(Xtrain, regression ? fixture.r_train : fixture.y_train, {
        loss: regression ? 'squared' : 'logistic',
        learningRate: settings.learning_rate,
        maxIterations: settings.max_iter,
        maxLeaves: settings.max_leaf_nodes,
        maxDepth: settings.max_depth ?? null,
        minSamplesLeaf: settings.min_samples_leaf,
        l2: settings.l2_regularization,
        ...(name === 'classifier_weighted' ? { sampleWeight: fixture.w_train } : {}),
      });
      const ours = predictGradientBoosting(model, Xtest);
      const reference: number[] = regression ? prediction : proba;
      for (let i = 0; i < reference.length; i++) expect(Math.abs(ours[i]! - reference[i]!)).toBeLessThan(1e-7);
      if (!regression) expect(logLoss(fixture.y_test, ours)).toBeCloseTo(fixture.cases[name].log_loss, 7);
    });
  }

  it('round-trips through JSON and predicts identically', () => {
    const model = fitGradientBoosting(Xtrain, fixture.y_train, { maxIterations: 10 });
    const loaded = GradientBoostingModelSchema.parse(JSON.parse(JSON.stringify(model)));
    expect(predictGradientBoosting(loaded, Xtest)).toEqual(predictGradientBoosting(model, Xtest));
  });

  it('sends missing values to the side that gains more', () => {
    // Missing values behave as the high group: a split sending them right (with x > 1.5) gains most.
    const X = [[0], [1], [2], [3], [NaN], [NaN]];
    const model = fitGradientBoosting(X, [0, 0, 1, 1, 1, 1], { maxIterations: 1, learningRate: 1, minSamplesLeaf: 1, maxLeaves: 2 });
    expect(model.trees[0]!.missingLeft[0]).toBe(false);
    const flipped = fitGradientBoosting(X, [1, 1, 0, 0, 1, 1], { maxIterations: 1, learningRate: 1, minSamplesLeaf: 1, maxLeaves: 2 });
    expect(flipped.trees[0]!.missingLeft[0]).toBe(true);
    const p = predictGradientBoosting(flipped, [[NaN], [0.5], [2.5]]);
    expect(p[0]).toBe(p[1]);
  });

  it('early stopping keeps the best round on a held-out share', () => {
    const model = fitGradientBoosting(Xtrain, fixture.y_train, { earlyStopping: true, maxIterations: 500, learningRate: 0.5, patience: 5 });
    const losses = model.validationLoss!;
    expect(losses.length).toBeLessThan(500);
    const best = Math.min(...losses);
    expect(model.trees.length).toBe(losses.indexOf(best) + 1);
  });

  it('validationShare sets the held-out share of early stopping, and one that leaves no row is refused by name', () => {
    const base = { earlyStopping: true, maxIterations: 30, patience: 3 };
    const tenth = fitGradientBoosting(Xtrain, fixture.y_train, base);
    const third = fitGradientBoosting(Xtrain, fixture.y_train, { ...base, validationShare: 1 / 3 });
    // Other held-out rows, other losses (and other training rows, so other trees).
    expect(third.validationLoss).not.toEqual(tenth.validationLoss);
    expect(third.trees[0]).not.toEqual(tenth.trees[0]);
    // Each class keeps at least one held-out row (the share rounds up), and a share of 1 (no training row) is outside the option's range.
    const few = [...Array(40).keys()].map((i) => [i]);
    const labels = few.map((_, i) => i % 2);
    expect(fitGradientBoosting(few, labels, { earlyStopping: true, validationShare: 0.001, maxIterations: 3 }).validationLoss!.length).toBeGreaterThan(0);
    expect(inputErrorOf(() => fitGradientBoosting(few, labels, { earlyStopping: true, validationShare: 1 }))).toMatchObject({ reason: 'invalid_option', field: 'validationShare' });
  });

  it('subsampling is seeded', () => {
    const a = fitGradientBoosting(Xtrain, fixture.y_train, { maxIterations: 5, subsample: 0.5, seed: 3 });
    const b = fitGradientBoosting(Xtrain, fixture.y_train, { maxIterations: 5, subsample: 0.5, seed: 3 });
    const c = fitGradientBoosting(Xtrain, fixture.y_train, { maxIterations: 5, subsample: 0.5, seed: 4 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('is a Learner that crossValidate uses', () => {
    const learner = gradientBoostingLearner({ maxIterations: 20 });
    const result = crossValidate(learner, withNaN(fixture.X_train).map((row) => row.map((v) => (Number.isNaN(v) ? 0 : v))), fixture.y_train, { folds: 3, metric: logLoss });
    expect(result.scores).toHaveLength(3);
    expect(result.mean).toBeLessThan(0.7);
    expect(learner.spec).toEqual({ type: 'gradient_boosting', options: { maxIterations: 20 } });
  });

  it('rejects bad inputs with typed errors', () => {
    expect(thrown(() => fitGradientBoosting([[1], [2]], [0, 2], { loss: 'logistic' })).reason).toBe('not_binary');
    expect(thrown(() => fitGradientBoosting([[1], [2]], [0])).reason).toBe('length_mismatch');
    expect(thrown(() => fitGradientBoosting([[1], [Infinity]], [0, 1])).reason).toBe('not_finite');
    expect(thrown(() => fitGradientBoosting([[1], [2]], [0, NaN])).reason).toBe('not_finite');
    expect(thrown(() => fitGradientBoosting([[1], [2]], [0, 1], { maxLeaves: 1 })).reason).toBe('invalid_option');
    expect(thrown(() => fitGradientBoosting([[1], [2]], [0, 1], { learningRate: 0 })).reason).toBe('invalid_option');
    expect(thrown(() => fitGradientBoosting([[1], [2]], [0, 1], { leaves: 3 } as never)).reason).toBe('invalid_option');
    expect(thrown(() => fitGradientBoosting([[1], [2]], [0, 1], { sampleWeight: [1, -1] })).reason).toBe('out_of_range');
    expect(thrown(() => fitGradientBoosting([], [])).reason).toBe('empty');
    const model = fitGradientBoosting([[1, 2], [2, 1]], [0, 1], { minSamplesLeaf: 1 });
    expect(thrown(() => predictGradientBoosting(model, [[1]])).reason).toBe('length_mismatch');
    expect(GradientBoostingModelSchema.safeParse({ ...model, trees: [{ ...model.trees[0]!, left: [0, -1, -1] }] }).success).toBe(false);
    // A tampered entry of a tree's arrays is named down to its position.
    const tree = model.trees[0]!;
    const tampered = (change: Partial<Record<keyof typeof tree, unknown[]>>) => inputErrorOf(() => predictGradientBoosting({ ...model, trees: [{ ...tree, ...change }] } as never, [[1, 2]]));
    expect(tampered({ threshold: [Number.NaN, ...tree.threshold.slice(1)] })).toMatchObject({ field: 'model.trees.0.threshold.0' });
    expect(tampered({ values: [...tree.values.slice(0, -1), '0.5'] })).toMatchObject({ field: `model.trees.0.values.${tree.values.length - 1}` });
    expect(tampered({ feature: [1.5, ...tree.feature.slice(1)] })?.field).toBe('model.trees.0.feature.0');
    expect(tampered({ missingLeft: tree.missingLeft.map(() => 1) })?.field).toBe('model.trees.0.missingLeft.0');
    expect(GradientBoostingModelSchema.safeParse({ ...model, trees: [{ ...tree, gain: 'none' }] }).success).toBe(false);
  });
});
