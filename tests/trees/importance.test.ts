import { describe, expect, it } from 'vitest';
import { UpliftFeatureImportanceSchema, UpliftModelSchema, fitTLearner, predictUplift, predictUpliftByArm, upliftFeatureImportance } from 'promolens/uplift';
import { predictUpliftForest } from 'promolens/trees';
import { fitUpliftForest, gradientBoostingLearner } from 'promolens/trees';
import { createRandom } from '../../src/internal/random.js';

/** The effect depends on x0 and x1 only (x0 > 0.3 with x1 < 0); x2 … x4 move the baseline or nothing. */
function campaign(n: number, seed: number) {
  const random = createRandom(seed);
  const p = 5;
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) X[i * p + j] = 2 * random() - 1;
    const tau = X[i * p]! > 0.3 && X[i * p + 1]! < 0 ? 0.3 : 0;
    t[i] = random() < 0.5 ? 1 : 0;
    y[i] = random() < 0.1 + 0.1 * (X[i * p + 2]! > 0 ? 1 : 0) + t[i]! * tau ? 1 : 0;
  }
  return { X: { data: X, rows: n, cols: p }, y, t };
}

describe('upliftFeatureImportance', () => {
  const train = campaign(20_000, 11);
  const test = campaign(6_000, 12);

  it('ranks the features that drive the effect first, with intervals above zero, for a forest', () => {
    const forest = fitUpliftForest(train.X, train.y, train.t, { nEstimators: 5, maxFeatures: 5 });
    const result = upliftFeatureImportance(forest, test.X, test.y, test.t, { resamples: 30, repeats: 2, names: ['x0', 'x1', 'x2', 'x3', 'x4'] });
    expect(UpliftFeatureImportanceSchema.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
    expect(new Set(result.features.slice(0, 2).map((f) => f.name))).toEqual(new Set(['x0', 'x1']));
    for (const f of result.features.slice(0, 2)) expect(f.ci![0]).toBeGreaterThan(0);
    // predictUplift reads uplift forests as it reads the meta-learners' models.
    expect(predictUplift(forest, test.X)).toEqual(predictUpliftForest(forest, test.X));
    expect(predictUpliftByArm(forest, test.X).arms).toEqual(['1']);
    // A feature the model ignores: shuffling it changes nothing.
    const x4 = result.features.find((f) => f.name === 'x4')!;
    expect(Math.abs(x4.importance)).toBeLessThan(result.features[0]!.importance / 5);
  });

  it('works for any uplift model: a T-learner on gradient boosting', () => {
    const learner = gradientBoostingLearner({ maxIterations: 30, maxLeaves: 8 });
    const model = fitTLearner(train.X, train.y, train.t, { learner });
    expect(predictUplift(model, test.X, { learner })).toHaveLength(6_000);
    // The gradient-boosting spec is stored: after a JSON round trip the model predicts without the learner.
    const loaded = UpliftModelSchema.parse(JSON.parse(JSON.stringify(model)));
    expect(predictUplift(loaded, test.X)).toEqual(predictUplift(model, test.X, { learner }));
    const result = upliftFeatureImportance(loaded, test.X, test.y, test.t, { resamples: 0, repeats: 1 });
    expect(result.features[0]!.index === 0 || result.features[0]!.index === 1).toBe(true);
    expect(result.features[0]!.ci).toBeNull();
  });
});
