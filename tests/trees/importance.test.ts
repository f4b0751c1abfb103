import { describe, expect, it } from 'vitest';
import { UpliftFeatureImportanceSchema, UpliftModelSchema, fitTLearner, predictUplift, predictUpliftByArm, qiniAuc, upliftFeatureImportance } from 'promolens/uplift';
import { predictUpliftForest } from 'promolens/trees';
import { fitUpliftForest, gradientBoostingLearner } from 'promolens/trees';
import { createRandom } from '../../src/internal/random.js';
import { sortedQuantile } from '../../src/internal/quantile.js';

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

  it('each bootstrap drop is the Qini of the resampled rows, scored as qiniAuc scores them (0/1 and continuous outcomes)', () => {
    // The reference resamples the rows explicitly and calls qiniAuc on copies, with the same
    // random stream: the shuffles of each column, then per resample m draws of a row.
    const small = campaign(1_500, 13);
    const forest = fitUpliftForest(train.X, train.y, train.t, { nEstimators: 3, maxFeatures: 5 });
    const spend = small.y.map((v, i) => v * (10 + 20 * small.X.data[i * 5 + 3]! ** 2));
    for (const y of [small.y, spend]) {
      const binary = y === small.y;
      const repeats = 2;
      const resamples = 20;
      const result = upliftFeatureImportance(forest, small.X, y, small.t, { resamples, repeats, seed: 9 });
      const { rows: n, cols: p } = small.X;
      const random = createRandom(9);
      const work = Float64Array.from(small.X.data);
      const scores: Float64Array[][] = [];
      for (let j = 0; j < p; j++) {
        const column = Float64Array.from({ length: n }, (_, i) => work[i * p + j]!);
        scores.push(
          Array.from({ length: repeats }, () => {
            for (let i = n - 1; i > 0; i--) {
              const other = Math.floor(random() * (i + 1));
              [work[i * p + j], work[other * p + j]] = [work[other * p + j]!, work[i * p + j]!];
            }
            return predictUpliftForest(forest, { data: work, rows: n, cols: p });
          }),
        );
        column.forEach((v, i) => (work[i * p + j] = v));
      }
      const base = predictUpliftForest(forest, small.X);
      const qini = (index: Int32Array, score: Float64Array) =>
        qiniAuc(Float64Array.from(index, (i) => y[i]!), Float64Array.from(index, (i) => score[i]!), Float64Array.from(index, (i) => small.t[i]!), { normalize: binary });
      const draws: number[][] = Array.from({ length: p }, () => []);
      for (let b = 0; b < resamples; b++) {
        const index = Int32Array.from({ length: n }, () => Math.floor(random() * n));
        const reference = qini(index, base);
        for (let j = 0; j < p; j++) draws[j]!.push(reference - (qini(index, scores[j]![0]!) + qini(index, scores[j]![1]!)) / repeats);
      }
      for (const feature of result.features) {
        const sorted = Float64Array.from(draws[feature.index]!).sort();
        const scale = Math.max(1, Math.abs(sortedQuantile(sorted, 0.975)));
        expect(feature.ci![0], `feature ${feature.index}`).toBeCloseTo(sortedQuantile(sorted, 0.025), binary ? 12 : 12 - Math.ceil(Math.log10(scale)));
        expect(feature.ci![1], `feature ${feature.index}`).toBeCloseTo(sortedQuantile(sorted, 0.975), binary ? 12 : 12 - Math.ceil(Math.log10(scale)));
      }
    }
  });
});
