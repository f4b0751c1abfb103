import { describe, expect, it } from 'vitest';
import { fromColumns } from 'promolens/data';
import { fitPipeline, transform } from 'promolens/features';
import { expectedCalibrationError, meanAbsoluteError, meanSquaredError, r2Score, rocAuc, rootMeanSquaredError, accuracyScore } from 'promolens/metrics';
import { fitLinear } from 'promolens/models';
import { inputErrorOf } from '../helpers.js';

const near = (a: number, b: number, tolerance: number) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(tolerance * Math.abs(b));

describe('numbers at the ends of the doubles', () => {
  it('fitLinear of y × 1e200 and y × 1e-300 is the fit of y scaled (no NaN or zero standard errors)', () => {
    const X = [[1], [2], [3], [4], [5]];
    const y = [2.1, 3.9, 6.2, 7.8, 10.1];
    const base = fitLinear(X, y);
    for (const factor of [1e200, 1e-300]) {
      const scaled = fitLinear(X, y.map((v) => v * factor));
      // y·factor is rounded once per value: relative 1e-13 covers it.
      near(scaled.coefficients[0] as number, (base.coefficients[0] as number) * factor, 1e-13);
      base.terms.forEach((term, k) => near(scaled.terms[k]?.standardError as number, (term.standardError as number) * factor, 1e-12));
      near(scaled.residualStandardError as number, (base.residualStandardError as number) * factor, 1e-12);
      near(scaled.r2, base.r2, 1e-13);
    }
  });

  it('MSE, RMSE, MAE and R² of values near ±1.7e308 are finite or out_of_range, never NaN', () => {
    // (1.7e308 − (−1.7e308))² overflows: the MSE is beyond the doubles, the RMSE is not (3.4e308 is, too).
    expect(inputErrorOf(() => meanSquaredError([1.7e308], [-1.7e308]))).toMatchObject({ reason: 'out_of_range' });
    near(rootMeanSquaredError([1e200, 0], [-1e200, 0]), 2e200 / Math.SQRT2, 1e-15);
    near(meanAbsoluteError([1.5e308, 0], [-1.5e308, 0]), 1.5e308, 1e-15);
    near(r2Score([1.7e308, -1.7e308, 1e308], [1.6e308, -1.6e308, 1e308]), r2Score([1.7, -1.7, 1], [1.6, -1.6, 1]), 1e-14);
  });

  it('weights summing past 1.8e308 or all subnormal give the unweighted answer of the scale-free metrics', () => {
    const y = [0, 1, 0, 1, 1, 0];
    const score = [0.1, 0.8, 0.3, 0.6, 0.2, 0.4];
    const plain = rocAuc(y, score);
    expect(rocAuc(y, score, { sampleWeight: y.map(() => 1e308) })).toBe(plain);
    expect(rocAuc(y, score, { sampleWeight: y.map(() => 1e-320) })).toBe(plain);
    expect(accuracyScore(y, score, { sampleWeight: y.map(() => 1e308) })).toBe(accuracyScore(y, score));
    expect(expectedCalibrationError(y, score, { sampleWeight: y.map(() => 1e308) })).toBe(expectedCalibrationError(y, score));
    expect(meanSquaredError([1, 2], [1.5, 2.5], { sampleWeight: [1e308, 1e308] })).toBe(0.25);
  });
});

describe('features that would kill a fit', () => {
  it('an all-missing feature is dropped with a warning', () => {
    const data = fromColumns({ a: [Number.NaN, Number.NaN, Number.NaN], b: [1, 2, 3] });
    const fitted = fitPipeline({ numeric: { a: { impute: 'mean' }, b: {} } }, data);
    expect(fitted.dropped).toEqual([{ column: 'a', reason: 'all_missing' }]);
    expect(fitted.warnings[0]).toContain('a was dropped');
    expect(transform(fitted, data).names).toEqual(['b']);
  });

  it('an ID-like categorical is dropped; one past maxLevels keeps its most frequent levels and pools the rest', () => {
    const ids = Array.from({ length: 300 }, (_, i) => `user${i}`);
    const idFit = fitPipeline({ categorical: { id: {} } }, fromColumns({ id: ids }));
    expect(idFit.dropped).toEqual([{ column: 'id', reason: 'id_like' }]);
    expect(idFit.warnings[0]).toContain('identifier');
    // 6 levels with counts 6, 5, 4, 3, 2, 2 and maxLevels 4: keep 3 most frequent + other.
    const counts = { a: 6, b: 5, c: 4, d: 3, e: 2, f: 2 };
    const column = Object.entries(counts).flatMap(([level, count]) => Array.from({ length: count }, () => level));
    const fitted = fitPipeline({ categorical: { shop: { maxLevels: 4 } } }, fromColumns({ shop: column }));
    expect(fitted.categorical[0]?.levels).toEqual(['a', 'b', 'c', 'other']);
    expect(fitted.categorical[0]?.pooled).toEqual(['d', 'e', 'f']);
    expect(fitted.warnings[0]).toContain('pooled');
    const out = transform(fitted, fromColumns({ shop: ['a', 'f'] }));
    expect(Array.from(out.matrix.data)).toEqual([1, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('the campaign spec sets the response models\' penalty', () => {
  it('responseModels.l2 reaches the logistic fit (no inference), and a bad value is invalid_option', async () => {
    const { evaluateCampaign } = await import('promolens/campaign');
    const n = 400;
    const arm = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'control' : 'offer'));
    const x = Array.from({ length: n }, (_, i) => ((i * 37) % 101) / 10);
    const bought = x.map((v, i) => ((v * 13 + i) % 7 < 2 ? 1 : 0));
    const data = fromColumns({ arm, x, bought });
    const spec = { treatment: { column: 'arm', control: 'control' }, outcomes: [{ column: 'bought', kind: 'binary' as const }], features: ['x'], learners: ['s' as const] };
    const plain = evaluateCampaign(data, spec, { resamples: 20 });
    const penalised = evaluateCampaign(data, { ...spec, responseModels: { l2: 5 } }, { resamples: 20 });
    const termsOf = (report: typeof plain) => report.responseModels?.[0]?.topTerms ?? [];
    expect(termsOf(plain).some((term) => term.standardError !== null)).toBe(true);
    expect(termsOf(penalised).every((term) => term.standardError === null)).toBe(true);
    expect(inputErrorOf(() => evaluateCampaign(data, { ...spec, responseModels: { l2: -1 } }))).toMatchObject({ reason: 'invalid_option' });
  });
});
